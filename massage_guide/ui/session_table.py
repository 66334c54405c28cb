"""The session list on the progress page: newest first, filtered by routine, status and text, exportable;
read a page at a time as it scrolls, so every session can be reached."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Final

from PySide6.QtCore import Qt, QTimer, Signal
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
    QTableView,
    QVBoxLayout,
    QWidget,
)

from massage_guide.core.history import HistoryStore, SessionRecord
from massage_guide.core.history_transfer import export_sessions
from massage_guide.core.library import Library
from massage_guide.ui import icons, theme
from massage_guide.ui.flow_layout import FlowLayout
from massage_guide.ui.session_model import (
    COLUMNS,
    STATUS_LABELS,
    SessionQuery,
    SessionTableModel,
    status_label,
)

__all__ = ["COLUMNS", "STATUS_LABELS", "SessionListView", "status_label"]

FILTER_DELAY_MS: Final = 250  # typing settles before the list is searched again
PAGE_MEASURE_ROWS: Final = 50  # rows looked at to size the columns
SEARCH_MIN_WIDTH: Final = 240  # px: room for "Search by routine or note"
ROUTINE_FILTER_CHARS: Final = 22  # most routine titles whole, the longest elided


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

        # A flow, so a narrow window wraps the filters instead of cutting them (or the page) short.
        self.filter_bar = QWidget()
        filters = FlowLayout(self.filter_bar, spacing=theme.SPACE)
        self.search.setMinimumWidth(SEARCH_MIN_WIDTH)
        self.routine_filter.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.routine_filter.setMinimumContentsLength(ROUTINE_FILTER_CHARS)
        for widget in (self.search, self.routine_filter, self.status_filter, self.export_button):
            filters.addWidget(widget)

        self.model = SessionTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Sessions, newest first")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(False)
        self.table.setShowGrid(False)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        self.table.setMinimumHeight(260)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.table.horizontalHeader()
        # Sized to their contents once per load (not at every paint), from the first rows only.
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        header.setResizeContentsPrecision(PAGE_MEASURE_ROWS)
        self.model.rowsInserted.connect(self._show_count)
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
        layout.addWidget(self.filter_bar)
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
        titles = sorted((r.title.get(language), rid) for rid, r in library.summaries.items())
        for title, rid in titles:
            self.routine_filter.addItem(title, rid)
        index = self.routine_filter.findData(current)
        self.routine_filter.setCurrentIndex(max(0, index))
        self.routine_filter.blockSignals(False)
        self.reload()

    def _title(self, record: SessionRecord) -> str:
        routine = self._library.summaries.get(record.routine_id) if self._library else None
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

    def query(self) -> SessionQuery:
        """The filters as a query of the history: routine titles as shown are searched too."""
        needle = self.search.text().strip().casefold()
        named: tuple[str, ...] = ()
        if needle and self._library is not None:
            summaries = self._library.summaries
            named = tuple(
                rid
                for rid, routine in summaries.items()
                if needle in routine.title.get(self._language).casefold()
            )
        return SessionQuery(
            routine_id=self.routine_filter.currentData(),
            status=self.status_filter.currentData(),
            text=needle,
            text_routine_ids=named,
        )

    def reload(self) -> None:
        """Show the newest sessions that match; more are read as the table is scrolled down."""
        self._filter_timer.stop()
        titles = {}
        if self._library is not None:
            titles = {rid: r.title.get(self._language) for rid, r in self._library.summaries.items()}
        self.model.load(self._store, self.query(), titles)
        for column in range(len(COLUMNS)):
            if self.table.horizontalHeader().sectionResizeMode(column) == QHeaderView.ResizeMode.Interactive:
                self.table.resizeColumnToContents(column)
        self._show_count()

    def _show_count(self) -> None:
        rows = self.model.rowCount()
        filtered = self.filters_active()
        self.clear_button.setVisible(filtered)
        if not rows:
            self.footer.setText("No session matches these filters." if filtered else "No sessions yet.")
        elif self.model.has_more():
            self.footer.setText(f"The newest {rows} shown. Scroll down for older ones.")
        else:
            self.footer.setText(f"{rows} session{'s' if rows != 1 else ''}.")
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
