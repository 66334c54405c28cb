"""The sessions table's model: pages of the history, newest first, asked for as the list is scrolled."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from massage_guide.core import formatting
from massage_guide.core.history_records import SessionRecord
from massage_guide.core.i18n import N_, _
from massage_guide.core.progress import Cursor, SessionPage, SessionQuery
from massage_guide.ui import theme

COLUMNS: Final = (N_("When"), N_("Routine"), N_("Status"), N_("Time"), N_("Steps"), N_("Tension"), N_("Note"))
STATUS_LABELS: Final = {
    "completed": N_("Completed"),
    "stopped": N_("Ended early"),
    "interrupted": N_("Interrupted"),
    "in_progress": N_("In progress"),
}
_WHEN_COLUMN: Final = 0
_ROUTINE_COLUMN: Final = 1
_STATUS_COLUMN: Final = 2
_TIME_COLUMN: Final = 3
_STEPS_COLUMN: Final = 4
_TENSION_COLUMN: Final = 5
_NOTE_COLUMN: Final = 6

AnyIndex = QModelIndex | QPersistentModelIndex


def status_label(status: str) -> str:
    """A session's status as the list names it, in the person's language."""
    label = STATUS_LABELS.get(status)
    return status if label is None else _(label)


def _when(record: SessionRecord) -> str:
    try:
        started = datetime.fromisoformat(record.started_at)
    except ValueError:
        return record.started_at
    return formatting.date_time(started)


def _dash(value: int | None) -> str:
    return "–" if value is None else str(value)


@dataclass(frozen=True)
class PageRequest:
    """A page of sessions the list wants: those ``query`` matches that started before ``cursor`` (None: the
    newest)."""

    query: SessionQuery
    cursor: Cursor | None


class SessionTableModel(QAbstractTableModel):
    """Sessions, newest first, a page at a time: as the view scrolls (``fetchMore``) the model asks for the
    next page, so every session can be reached and a million cost no more to open than two hundred.

    Signals: ``page_requested(PageRequest)``, answered with ``add_page``."""

    page_requested = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._titles: Mapping[str, str] = {}
        self._query = SessionQuery()
        self._rows: list[SessionRecord] = []
        self._cursor: Cursor | None = None
        self._more = False
        self._waiting: PageRequest | None = None  # asked for and not answered yet
        # A row's texts, written the first time it is shown: Qt asks for each cell many times (sizing the
        # columns, every paint), and dates and numbers in the person's language cost ~50 µs each.
        self._texts: dict[int, tuple[str, ...]] = {}

    def load(self, query: SessionQuery, titles: Mapping[str, str]) -> None:
        """Start again from the newest session that matches ``query``; ``titles`` names routines by id."""
        self.beginResetModel()
        self._query, self._titles = query, titles
        self._rows, self._cursor, self._more, self._waiting = [], None, True, None
        self._texts = {}
        self.endResetModel()
        self.fetchMore(QModelIndex())

    def add_page(self, request: PageRequest, page: SessionPage) -> None:
        """The answer to ``request``; an answer to an older request (the filters changed since) is dropped."""
        if request != self._waiting:
            return
        self._waiting = None
        self._cursor = page.next_cursor
        self._more = page.next_cursor is not None
        if page.records:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(page.records) - 1)
            self._rows.extend(page.records)
            self.endInsertRows()

    def has_more(self) -> bool:
        return self._more

    def query(self) -> SessionQuery:
        return self._query

    def records(self) -> Sequence[SessionRecord]:
        return self._rows

    def text(self, row: int, column: int) -> str:
        """What the cell shows, written once per row (see ``_texts``)."""
        texts = self._texts.get(row)
        if texts is None:
            record = self._rows[row]
            texts = self._texts[row] = tuple(self._text(record, c) for c in range(len(COLUMNS)))
        return texts[column]

    def title(self, record: SessionRecord) -> str:
        return self._titles.get(record.routine_id) or record.routine_title or record.routine_id

    # -- lazy loading

    def canFetchMore(self, parent: AnyIndex) -> bool:
        return not parent.isValid() and self._more and self._waiting is None

    def fetchMore(self, parent: AnyIndex) -> None:
        if not self.canFetchMore(parent):
            return
        self._waiting = PageRequest(self._query, self._cursor)
        self.page_requested.emit(self._waiting)

    # -- Qt's model interface

    def rowCount(self, parent: AnyIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _(COLUMNS[section])
        return None

    def data(self, index: AnyIndex, role: int = 0) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        record = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(index.row(), column)
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and column == _STATUS_COLUMN
            and record.status != "completed"
        ):
            return QColor(theme.current().muted)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == _NOTE_COLUMN and record.note:
                return record.note
            if column == _ROUTINE_COLUMN:
                return self.title(record)
        return None

    def _text(self, record: SessionRecord, column: int) -> str:
        if column == _WHEN_COLUMN:
            return _when(record)
        if column == _ROUTINE_COLUMN:
            return self.title(record)
        if column == _STATUS_COLUMN:
            return status_label(record.status)
        if column == _TIME_COLUMN:
            return formatting.clock(record.active_seconds)
        if column == _STEPS_COLUMN:
            return _("{done} of {total}").format(
                done=formatting.number(record.steps_completed), total=formatting.number(record.steps_total)
            )
        if column == _TENSION_COLUMN:
            if record.tension_before is None and record.tension_after is None:
                return ""
            return f"{_dash(record.tension_before)} → {_dash(record.tension_after)}"
        return (record.note or "").replace("\n", " ")
