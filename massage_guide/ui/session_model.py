"""The sessions table's model: pages of the history read as the list is scrolled, newest first."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from massage_guide.core.history import HistoryStore, SessionRecord
from massage_guide.ui import theme

PAGE_ROWS: Final = 200  # read at a time: a few screens of rows, a millisecond of SQLite on any history
COLUMNS: Final = ("When", "Routine", "Status", "Time", "Steps", "Tension", "Note")
STATUS_LABELS: Final = {
    "completed": "Completed",
    "stopped": "Ended early",
    "interrupted": "Interrupted",
    "in_progress": "In progress",
}
_STATUS_COLUMN: Final = 2
_NOTE_COLUMN: Final = 6

AnyIndex = QModelIndex | QPersistentModelIndex


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status)


def _when(record: SessionRecord) -> str:
    try:
        started = datetime.fromisoformat(record.started_at)
    except ValueError:
        return record.started_at
    return f"{started.day} {started.strftime('%b %Y, %H:%M')}"


def _dash(value: int | None) -> str:
    return "–" if value is None else str(value)


def _duration(seconds: int) -> str:
    minutes, rest = divmod(seconds, 60)
    return f"{minutes}:{rest:02d}"


@dataclass(frozen=True)
class SessionQuery:
    """Which sessions the table lists: one routine, one status, text in title, note or id."""

    routine_id: str | None = None
    status: str | None = None
    text: str = ""
    text_routine_ids: tuple[str, ...] = ()

    @property
    def filtered(self) -> bool:
        return bool(self.routine_id or self.status or self.text)


class SessionTableModel(QAbstractTableModel):
    """Sessions, newest first, a page at a time: the view asks for more (``fetchMore``) as it scrolls, so
    every session can be reached and a million cost no more to open than two hundred."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store: HistoryStore | None = None
        self._titles: dict[str, str] = {}
        self._query = SessionQuery()
        self._rows: list[SessionRecord] = []
        self._cursor: tuple[float, str] | None = None
        self._more = False

    def load(self, store: HistoryStore | None, query: SessionQuery, titles: dict[str, str]) -> None:
        """Start again from the newest session that matches ``query``; ``titles`` names routines by id."""
        self.beginResetModel()
        self._store, self._query, self._titles = store, query, titles
        self._rows, self._cursor, self._more = [], None, store is not None
        self.endResetModel()
        if self._more:
            self.fetchMore(QModelIndex())

    def has_more(self) -> bool:
        return self._more

    def records(self) -> Sequence[SessionRecord]:
        return self._rows

    def title(self, record: SessionRecord) -> str:
        return self._titles.get(record.routine_id) or record.routine_title or record.routine_id

    # -- lazy loading

    def canFetchMore(self, parent: AnyIndex) -> bool:
        return not parent.isValid() and self._more

    def fetchMore(self, parent: AnyIndex) -> None:
        if parent.isValid() or not self._more or self._store is None:
            return
        query = self._query
        page, self._cursor = self._store.sessions_before(
            self._cursor,
            PAGE_ROWS,
            routine_id=query.routine_id,
            status=query.status,
            text=query.text,
            text_routine_ids=query.text_routine_ids,
        )
        self._more = self._cursor is not None
        if page:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
            self._rows.extend(page)
            self.endInsertRows()

    # -- Qt's model interface

    def rowCount(self, parent: AnyIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

    def data(self, index: AnyIndex, role: int = 0) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        record = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(record, column)
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and column == _STATUS_COLUMN
            and record.status != "completed"
        ):
            return QColor(theme.current().muted)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == _NOTE_COLUMN and record.note:
                return record.note
            if column == 1:
                return self.title(record)
        return None

    def _text(self, record: SessionRecord, column: int) -> str:
        if column == 0:
            return _when(record)
        if column == 1:
            return self.title(record)
        if column == _STATUS_COLUMN:
            return status_label(record.status)
        if column == 3:  # Time
            return _duration(record.active_seconds)
        if column == 4:  # Steps
            return f"{record.steps_completed} of {record.steps_total}"
        if column == 5:  # Tension
            if record.tension_before is None and record.tension_after is None:
                return ""
            return f"{_dash(record.tension_before)} → {_dash(record.tension_after)}"
        return (record.note or "").replace("\n", " ")
