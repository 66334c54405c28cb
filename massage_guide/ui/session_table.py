"""The session list on the progress page: newest first, filtered by routine, status and text, exportable."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Final

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from massage_guide.core.history import HistoryStore, SessionRecord
from massage_guide.core.library import Library
from massage_guide.history_cli import export_sessions
from massage_guide.ui import icons, theme

LIST_LIMIT: Final = 200  # rows shown at once: enough to browse, cheap with any history size
FILTER_DELAY_MS: Final = 250  # typing settles before the list is searched again
STATUS_LABELS: Final = {
    "completed": "Completed",
    "stopped": "Ended early",
    "interrupted": "Interrupted",
    "in_progress": "In progress",
}
COLUMNS: Final = ("When", "Routine", "Status", "Time", "Steps", "Tension", "Note")


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


class SessionListView(QFrame):
    """A panel listing sessions from the store with filters and an Export button.

    Signals: ``exported(str, int)`` (path, sessions written) after a successful export."""

    exported = Signal(str, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "panel")
        self._store: HistoryStore | None = None
        self._library: Library | None = None
        self._language = "en"

        heading = QLabel("Your sessions")
        heading.setProperty("role", "heading")

        self.search = QLineEdit()
        self.search.setPlaceholderText("Search by routine or note")
        self.search.setAccessibleName("Search sessions")
        self.search.setClearButtonEnabled(True)
        self.search.addAction(
            icons.icon("search", theme.current().muted), QLineEdit.ActionPosition.LeadingPosition
        )

        self.routine_filter = QComboBox()
        self.routine_filter.setAccessibleName("Show sessions of routine")
        self.routine_filter.setToolTip("Show only one routine's sessions")
        self.status_filter = QComboBox()
        self.status_filter.setAccessibleName("Show sessions with status")
        self.status_filter.addItem("Any status", None)
        for status in ("completed", "stopped", "interrupted"):
            self.status_filter.addItem(STATUS_LABELS[status], status)

        self.export_button = QPushButton(icons.icon("export"), "Export…")
        self.export_button.setAccessibleName("Export sessions")
        self.export_button.setToolTip("Save the sessions that match the filters as a .csv or .json file")
        self.export_button.setMinimumHeight(theme.MIN_TARGET)

        filters = QHBoxLayout()
        filters.setSpacing(theme.SPACE)
        filters.addWidget(self.search, 3)
        filters.addWidget(self.routine_filter, 2)
        filters.addWidget(self.status_filter, 1)
        filters.addWidget(self.export_button)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setAccessibleName("Sessions, newest first")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(False)
        self.table.setShowGrid(False)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        self.table.setMinimumHeight(260)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)

        self.footer = QLabel()
        self.footer.setProperty("role", "muted")
        self.footer.setWordWrap(True)
        self.clear_button = QPushButton("Clear filters")
        self.clear_button.setAccessibleName("Clear filters")
        self.clear_button.setMinimumHeight(theme.MIN_TARGET)
        self.clear_button.hide()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()
        footer_row = QHBoxLayout()
        footer_row.addWidget(self.footer, 1)
        footer_row.addWidget(self.clear_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(2 * theme.SPACE, 2 * theme.SPACE, 2 * theme.SPACE, 2 * theme.SPACE)
        layout.setSpacing(theme.SPACE * 3 // 2)
        layout.addWidget(heading)
        layout.addLayout(filters)
        layout.addWidget(self.table)
        layout.addLayout(footer_row)
        layout.addWidget(self.message)

        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(self.reload)
        self.search.textChanged.connect(self._filter_timer.start)
        self.routine_filter.currentIndexChanged.connect(self.reload)
        self.status_filter.currentIndexChanged.connect(self.reload)
        self.clear_button.clicked.connect(self.clear_filters)
        self.export_button.clicked.connect(self._choose_export)

    # -- data

    def set_source(self, store: HistoryStore | None, library: Library, *, language: str = "en") -> None:
        self._store = store
        self._library = library
        self._language = language
        current = self.routine_filter.currentData()
        self.routine_filter.blockSignals(True)
        self.routine_filter.clear()
        self.routine_filter.addItem("All routines", None)
        titles = sorted((r.title.get(language), rid) for rid, r in library.routines.items())
        for title, rid in titles:
            self.routine_filter.addItem(title, rid)
        index = self.routine_filter.findData(current)
        self.routine_filter.setCurrentIndex(max(0, index))
        self.routine_filter.blockSignals(False)
        self.reload()

    def _title(self, record: SessionRecord) -> str:
        routine = self._library.get(record.routine_id) if self._library else None
        if routine is not None:
            return routine.title.get(self._language)
        return record.routine_title or record.routine_id

    def filters_active(self) -> bool:
        return bool(
            self.search.text().strip()
            or self.routine_filter.currentData() is not None
            or self.status_filter.currentData() is not None
        )

    def matching(self) -> Iterator[SessionRecord]:
        """Every session the filters let through, newest first (for export: no limit)."""
        if self._store is None:
            return
        needle = self.search.text().strip().casefold()
        for record in self._store.iter_sessions(
            routine_id=self.routine_filter.currentData(),
            status=self.status_filter.currentData(),
            newest_first=True,
        ):
            if needle and not any(
                needle in text.casefold()
                for text in (self._title(record), record.routine_id, record.routine_title, record.note or "")
            ):
                continue
            yield record

    def reload(self) -> None:
        """Show the newest LIST_LIMIT sessions that match."""
        self._filter_timer.stop()
        rows: list[SessionRecord] = []
        for record in self.matching():
            rows.append(record)
            if len(rows) > LIST_LIMIT:
                break
        more = len(rows) > LIST_LIMIT
        rows = rows[:LIST_LIMIT]
        self.table.setUpdatesEnabled(False)
        self.table.setRowCount(len(rows))
        muted = theme.current().muted
        for row, record in enumerate(rows):
            values = (
                _when(record),
                self._title(record),
                status_label(record.status),
                _duration(record.active_seconds),
                f"{record.steps_completed} of {record.steps_total}",
                ""
                if record.tension_before is None and record.tension_after is None
                else f"{_dash(record.tension_before)} → {_dash(record.tension_after)}",
                (record.note or "").replace("\n", " "),
            )
            for column, text in enumerate(values):
                item = QTableWidgetItem(text)
                if column == 2 and record.status != "completed":
                    item.setForeground(QColor(muted))
                if column == 6 and record.note:
                    item.setToolTip(record.note)
                self.table.setItem(row, column, item)
        self.table.setUpdatesEnabled(True)
        filtered = self.filters_active()
        self.clear_button.setVisible(filtered)
        if not rows:
            self.footer.setText("No session matches these filters." if filtered else "No sessions yet.")
        elif more:
            self.footer.setText(f"Showing the {LIST_LIMIT} most recent. Export to keep them all in a file.")
        else:
            self.footer.setText(f"{len(rows)} session{'s' if len(rows) != 1 else ''}.")
        self.export_button.setEnabled(bool(rows))

    def clear_filters(self) -> None:
        for widget in (self.search, self.routine_filter, self.status_filter):
            widget.blockSignals(True)
        self.search.clear()
        self.routine_filter.setCurrentIndex(0)
        self.status_filter.setCurrentIndex(0)
        for widget in (self.search, self.routine_filter, self.status_filter):
            widget.blockSignals(False)
        self.reload()

    # -- export

    def _choose_export(self) -> None:
        name, chosen_filter = QFileDialog.getSaveFileName(
            self,
            "Export sessions",
            str(Path.home() / "massage-guide-sessions.csv"),
            "CSV spreadsheet (*.csv);;JSON (*.json)",
        )
        if not name:
            return
        path = Path(name)
        if path.suffix.lower() not in (".csv", ".json"):
            path = path.with_name(path.name + (".json" if "json" in chosen_filter.lower() else ".csv"))
        self.export_to(path)

    def export_to(self, path: Path) -> bool:
        """Export the matching sessions to ``path`` and say how it went below the list."""
        try:
            count = export_sessions(self.matching(), path)
        except OSError as error:
            self._say(
                f"Could not save {path} ({error.strerror or error}). "
                "Check that the folder exists and you can write to it, then try again.",
                problem=True,
            )
            return False
        self._say(f"Saved {count} session{'s' if count != 1 else ''} to {path}.", problem=False)
        self.exported.emit(str(path), count)
        return True

    def _say(self, text: str, *, problem: bool) -> None:
        palette = theme.current()
        self.message.setStyleSheet(f"color: {palette.danger if problem else palette.muted};")
        self.message.setText(text)
        self.message.show()
