"""The session list on the progress page: newest first, filtered by routine, status and text, exportable;
read a page at a time as it scrolls, so every session can be reached."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Final

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFontMetricsF
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

from massage_guide.core import formatting
from massage_guide.core.i18n import _, ngettext
from massage_guide.core.progress import SessionPage, SessionQuery
from massage_guide.ui import icons, theme
from massage_guide.ui.charts import wrapping
from massage_guide.ui.flow_layout import FlowLayout
from massage_guide.ui.session_model import (
    COLUMNS,
    STATUS_LABELS,
    PageRequest,
    SessionTableModel,
    status_label,
)

__all__ = ["COLUMNS", "STATUS_LABELS", "PageRequest", "SessionListView", "status_label"]

FILTER_DELAY_MS: Final = 250  # typing settles before the list is searched again
PAGE_MEASURE_ROWS: Final = 50  # rows looked at to size the columns
# Room beside the placeholder for the search icon, the clear button and the frame.
SEARCH_ICON_ROOM: Final = 64  # px
ROUTINE_FILTER_CHARS: Final = 22  # most routine titles whole, the longest elided
TABLE_MIN_HEIGHT: Final = 260  # px: about eight rows, enough to scan without scrolling the page
EXPORT_NAME: Final = "massage-guide-sessions.csv"  # the file name first offered: the CLI's export name


class SessionListView(QFrame):
    """A panel listing sessions with filters and an Export button; it reads nothing itself.

    Signals: ``page_requested(PageRequest)`` when it needs a page of sessions (answer with ``add_page``);
    ``export_requested(Path, SessionQuery)`` when the person chose a file to export the matching sessions
    to (answer with ``show_exported`` or ``show_export_problem``)."""

    page_requested = Signal(object)
    export_requested = Signal(object, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "panel")
        self._titles: dict[str, str] = {}

        heading = QLabel(_("Your sessions"))
        heading.setProperty("role", "heading")
        wrapping(heading)

        self.search = QLineEdit()
        placeholder = _("Search by routine or note")
        self.search.setPlaceholderText(placeholder)
        self.search.setAccessibleName(_("Search sessions"))
        self.search.setClearButtonEnabled(True)
        self.search.addAction(
            icons.icon("search", theme.current().muted), QLineEdit.ActionPosition.LeadingPosition
        )

        self.routine_filter = QComboBox()
        self.routine_filter.setAccessibleName(_("Show sessions of routine"))
        self.routine_filter.setToolTip(_("Show only one routine's sessions"))
        self.status_filter = QComboBox()
        self.status_filter.setAccessibleName(_("Show sessions with status"))
        self.status_filter.addItem(_("Any status"), None)
        for status in ("completed", "stopped", "interrupted"):
            self.status_filter.addItem(status_label(status), status)

        self.export_button = QPushButton(icons.icon("export"), _("Export…"))
        self.export_button.setAccessibleName(_("Export sessions"))
        self.export_button.setToolTip(_("Save the sessions that match the filters as a .csv or .json file"))
        self.export_button.setMinimumHeight(theme.MIN_TARGET)

        # A flow, so a narrow window wraps the filters instead of cutting them (or the page) short.
        self.filter_bar = QWidget()
        filters = FlowLayout(self.filter_bar, spacing=theme.SPACE)
        # Wide enough for the placeholder in any language, measured rather than fixed.
        self.search.setMinimumWidth(
            self.search.fontMetrics().horizontalAdvance(placeholder) + SEARCH_ICON_ROOM
        )
        self.routine_filter.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.routine_filter.setMinimumContentsLength(ROUTINE_FILTER_CHARS)
        for widget in (self.search, self.routine_filter, self.status_filter, self.export_button):
            filters.addWidget(widget)

        self.model = SessionTableModel(self)
        self.model.page_requested.connect(self.page_requested)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(_("Sessions, newest first"))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # Tab leaves the list, the arrow keys move in it: a table's own Tab went cell by cell, so a keyboard
        # that arrived in a long history could not get out (and the page did not scroll to show it).
        self.table.setTabKeyNavigation(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(False)
        self.table.setShowGrid(False)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        self.table.setMinimumHeight(TABLE_MIN_HEIGHT)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.table.horizontalHeader()
        # Sized to their contents once per load (not at every paint), from the first rows only.
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        header.setResizeContentsPrecision(1)  # Qt measures one row for the padding; _size_columns the rest
        self.model.rowsInserted.connect(self._show_count)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)

        self.footer = QLabel()
        self.footer.setProperty("role", "muted")
        wrapping(self.footer)
        self.clear_button = QPushButton(_("Clear filters"))
        self.clear_button.setAccessibleName(_("Clear filters"))
        self.clear_button.setMinimumHeight(theme.MIN_TARGET)
        self.clear_button.hide()
        self.message = QLabel()
        wrapping(self.message)
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

    def set_routines(self, titles: dict[str, str]) -> None:
        """The routines the filter offers and the list names, ``{id: title as shown}``; then list again."""
        self._titles = titles
        current = self.routine_filter.currentData()
        self.routine_filter.blockSignals(True)
        self.routine_filter.clear()
        self.routine_filter.addItem(_("All routines"), None)
        for title, rid in sorted((title, rid) for rid, title in titles.items()):
            self.routine_filter.addItem(title, rid)
        index = self.routine_filter.findData(current)
        self.routine_filter.setCurrentIndex(max(0, index))
        self.routine_filter.blockSignals(False)
        self.reload()

    def add_page(self, request: PageRequest, page: SessionPage) -> None:
        """The sessions asked for by ``page_requested``."""
        self.model.add_page(request, page)
        self._show_count()

    def filters_active(self) -> bool:
        return bool(
            self.search.text().strip()
            or self.routine_filter.currentData() is not None
            or self.status_filter.currentData() is not None
        )

    def query(self) -> SessionQuery:
        """The filters as a query of the history: routine titles as shown are searched too."""
        needle = self.search.text().strip().casefold()
        named: tuple[str, ...] = ()
        if needle:
            named = tuple(rid for rid, title in self._titles.items() if needle in title.casefold())
        return SessionQuery(
            routine_id=self.routine_filter.currentData(),
            status=self.status_filter.currentData(),
            text=needle,
            text_routine_ids=named,
        )

    def reload(self) -> None:
        """Show the newest sessions that match; more are asked for as the table is scrolled down."""
        self._filter_timer.stop()
        self.model.load(self.query(), self._titles)
        self._size_columns()
        self._show_count()

    def _size_columns(self) -> None:
        """Each sized column as wide as its widest text in the first PAGE_MEASURE_ROWS rows, and its header.

        The texts are measured with the font directly and the cell's padding taken from Qt's measure of one
        row: Qt's own measure of every row asks the model for a dozen roles a cell, which was a fifth of
        the page's first screen on a long history."""
        header = self.table.horizontalHeader()
        rows = min(self.model.rowCount(), PAGE_MEASURE_ROWS)
        self.table.ensurePolished()
        metrics = QFontMetricsF(self.table.font())

        def advance(text: str) -> int:
            return math.ceil(metrics.horizontalAdvance(text))  # as Qt rounds a text's width up

        measured = max(0, self.table.rowAt(0))  # the row Qt measures: the first one in view
        for column in range(len(COLUMNS)):
            if header.sectionResizeMode(column) != QHeaderView.ResizeMode.Interactive:
                continue
            if measured >= rows:
                self.table.resizeColumnToContents(column)  # no rows: the header alone
                continue
            padding = self.table.sizeHintForColumn(column) - advance(self.model.text(measured, column))
            widest = max(advance(self.model.text(row, column)) for row in range(rows))
            header.resizeSection(column, max(widest + padding, header.sectionSizeHint(column)))

    def _show_count(self) -> None:
        rows = self.model.rowCount()
        filtered = self.filters_active()
        self.clear_button.setVisible(filtered)
        if not rows:
            self.footer.setText(_("No session matches these filters.") if filtered else _("No sessions yet."))
        elif self.model.has_more():
            self.footer.setText(
                ngettext(
                    "The newest {count} shown. Scroll down for older ones.",
                    "The newest {count} shown. Scroll down for older ones.",
                    rows,
                ).format(count=formatting.number(rows))
            )
        else:
            self.footer.setText(
                ngettext("{count} session.", "{count} sessions.", rows).format(count=formatting.number(rows))
            )
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
            _("Export sessions"),
            str(Path.home() / EXPORT_NAME),
            _("CSV spreadsheet (*.csv);;JSON (*.json)"),
        )
        if not name:
            return
        path = Path(name)
        if path.suffix.lower() not in (".csv", ".json"):
            path = path.with_name(path.name + (".json" if "json" in chosen_filter.lower() else ".csv"))
        self.request_export(path)

    def request_export(self, path: Path) -> None:
        """Ask for the sessions the filters match to be written to ``path``."""
        self.export_requested.emit(path, self.query())

    def show_exported(self, path: Path, count: int) -> None:
        self._say(
            ngettext("Saved {count} session to {path}.", "Saved {count} sessions to {path}.", count).format(
                count=formatting.number(count), path=path
            ),
            problem=False,
        )

    def show_export_problem(self, path: Path, reason: str) -> None:
        self._say(
            _(
                "Could not save {path} ({reason}). "
                "Check that the folder exists and you can write to it, then try again."
            ).format(path=path, reason=reason),
            problem=True,
        )

    def _say(self, text: str, *, problem: bool) -> None:
        palette = theme.current()
        self.message.setStyleSheet(f"color: {palette.danger if problem else palette.muted};")
        self.message.setText(text)
        self.message.show()
