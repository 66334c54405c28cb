"""The library: search, filters and the body map over painted routine cards, favourites and recent first."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from massage_guide.core import formatting
from massage_guide.core.i18n import N_, _, ngettext
from massage_guide.core.library import Library, RoutineInfo
from massage_guide.core.library_search import (
    LONG_SECONDS,
    NO_EQUIPMENT,
    SHORT_SECONDS,
    Filters,
    length_bucket,
    matches,
)
from massage_guide.core.model import (
    AREAS,
    EQUIPMENT,
    GOALS,
    area_label,
    equipment_label,
    goal_label,
)
from massage_guide.ui import icons, theme
from massage_guide.ui.body_map import BodyMapView
from massage_guide.ui.card_view import CardGridView
from massage_guide.ui.caret import CalmLineEdit
from massage_guide.ui.flow_layout import FlowLayout
from massage_guide.ui.library_model import RoutineListModel
from massage_guide.ui.routine_card import CARD_GAP, RoutineCardDelegate
from massage_guide.ui.scrolling import vertical_scroll

__all__ = ["LONG_SECONDS", "SHORT_SECONDS", "Filters", "LibraryPage", "length_bucket", "matches"]

LENGTHS: tuple[tuple[str, str], ...] = (
    # Translators: the bounds follow library_search.SHORT_SECONDS and LONG_SECONDS.
    ("short", N_("Under 5 min")),
    ("medium", N_("5–15 min")),
    ("long", N_("Over 15 min")),
)
RECENT_LIMIT = 6  # two rows of cards at most: a reminder, not a history
MAP_PANEL_WIDTH = 268  # px: the body map's panel, unless the map needs more for its 24 px targets


def length_choices() -> list[tuple[str, str]]:
    """The length filter's choices in the active language."""
    return [(key, _(label)) for key, label in LENGTHS]


class LibraryPage(QWidget):
    """Search, filters and body map over the routine cards.

    Signals: ``routine_selected(str)`` routine id; ``favourite_toggled(str, bool)`` id and the new state.
    """

    routine_selected = Signal(str)
    favourite_toggled = Signal(str, bool)

    def __init__(
        self,
        library: Library,
        *,
        language: str = "en",
        favourites: Iterable[str] = (),
        recent: Sequence[str] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._language = language
        self._library = library
        self._favourites: list[str] = list(dict.fromkeys(favourites))
        self._recent: list[str] = list(dict.fromkeys(recent))
        self._summaries: dict[str, RoutineInfo] = {}
        self._filters = Filters()
        self._build()
        self.set_library(library)

    # -- building -----------------------------------------------------------------------------------
    def _build(self) -> None:
        title = QLabel(_("Library"))
        title.setProperty("role", "title")
        subtitle = QLabel(_("Pick a routine, or choose where it aches on the body."))
        subtitle.setProperty("role", "muted")
        subtitle.setWordWrap(True)  # large text on a small screen: wrap rather than cut the sentence
        self.search = CalmLineEdit()
        self.search.setPlaceholderText(_("Search routines"))
        self.search.setAccessibleName(_("Search routines"))
        self.search.setClearButtonEnabled(True)
        self.search.addAction(
            icons.icon("search", theme.current().muted), QLineEdit.ActionPosition.LeadingPosition
        )
        self.search.setMinimumWidth(260)
        self.search.textChanged.connect(self._refilter)
        self.search.installEventFilter(self)

        self.area_box = self._combo(_("Filter by area"), _("Any area"), [(a, area_label(a)) for a in AREAS])
        self.goal_box = self._combo(_("Filter by goal"), _("Any goal"), [(g, goal_label(g)) for g in GOALS])
        self.length_box = self._combo(_("Filter by length"), _("Any length"), length_choices())
        self.equipment_box = self._combo(
            _("Filter by equipment"),
            _("Any equipment"),
            [(NO_EQUIPMENT, _("No equipment")), *((e, equipment_label(e)) for e in EQUIPMENT)],
        )
        self.clear_button = QPushButton(_("Clear filters"))
        self.clear_button.setAccessibleName(_("Clear filters"))
        self.clear_button.setIcon(icons.icon("close"))
        self.clear_button.clicked.connect(self.clear_filters)
        self.clear_button.setVisible(False)
        # Its place is kept while hidden: choosing a filter must not re-wrap the bar and move the page.
        policy = self.clear_button.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.clear_button.setSizePolicy(policy)

        header = QHBoxLayout()
        heading = QVBoxLayout()
        heading.setSpacing(2)
        heading.addWidget(title)
        heading.addWidget(subtitle)
        header.addLayout(heading, 1)
        header.addWidget(self.search, 0, Qt.AlignmentFlag.AlignBottom)

        # A flow: in a narrow window the boxes wrap to a second line instead of being cut short.
        self.filter_bar = QWidget()
        filters = FlowLayout(self.filter_bar, spacing=theme.SPACE)
        choices: tuple[QWidget, ...] = (self.area_box, self.goal_box, self.length_box, self.equipment_box)
        for choice in (*choices, self.clear_button):
            filters.addWidget(choice)

        self.body_map = BodyMapView()
        self.body_map.setAccessibleName(_("Body map: choose an area to filter routines"))
        self.body_map.area_clicked.connect(self._area_clicked)
        # Never smaller than the size at which every area keeps a 24 px target (issue 15): on a short window
        # or at a large text size the panel scrolls rather than shrink the figure under that.
        self.body_map.setMinimumSize(self.body_map.target_size())
        map_panel = QFrame()
        map_panel.setProperty("role", "panel")
        map_layout = QVBoxLayout(map_panel)
        map_layout.setContentsMargins(theme.SPACE, 2 * theme.SPACE, theme.SPACE, 2 * theme.SPACE)
        panel_width = max(MAP_PANEL_WIDTH, self.body_map.minimumWidth() + 2 * theme.SPACE + 2)
        map_panel.setFixedWidth(panel_width)
        map_hint = QLabel(_("Where does it ache?"))
        map_hint.setFont(theme.font(1.1, bold=True))
        map_hint.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        map_hint.setWordWrap(True)  # the panel keeps its width; large text takes a second line
        map_layout.addWidget(map_hint)
        map_layout.addWidget(self.body_map, 1)
        self.map_scroll = _PanelScroll(map_panel)
        # Room for the scroll bar is kept, so the panel never has to shrink under its figure when it shows.
        scroll_bar = self.map_scroll.verticalScrollBar().sizeHint().width()
        self.map_scroll.setFixedWidth(panel_width + scroll_bar)

        content = QWidget()
        self._content_layout = QVBoxLayout(content)
        self._content_layout.setContentsMargins(0, 0, theme.SPACE, 2 * theme.SPACE)
        self._content_layout.setSpacing(theme.SPACE)
        self.scroll_area = vertical_scroll(content)
        # One delegate paints every card; three models, one per row of cards.
        self.delegate = RoutineCardDelegate(self, language=self._language)
        self.favourites_model = RoutineListModel(self, language=self._language)
        self.recent_model = RoutineListModel(self, language=self._language)
        self.all_model = RoutineListModel(self, language=self._language)
        self.favourites_heading = self._heading(_("Favourites"))
        self.favourites_grid = self._grid(self.favourites_model, _("Favourite routines"))
        self.recent_heading = self._heading(_("Recently done"))
        self.recent_grid = self._grid(self.recent_model, _("Routines done recently"))
        self.all_heading = self._heading(_("All routines"))
        self.all_grid = self._grid(self.all_model, _("Routines"))
        self.empty_state = self._empty_state()
        for widget in (
            self.favourites_heading, self.favourites_grid, self.recent_heading, self.recent_grid,
            self.all_heading, self.all_grid, self.empty_state,
        ):  # fmt: skip
            self._content_layout.addWidget(widget)
        self._content_layout.addStretch(1)

        # The map panel runs beside the filters and the cards: the figure gets the page's full height.
        results = QVBoxLayout()
        results.setSpacing(2 * theme.SPACE)
        results.addWidget(self.filter_bar)
        results.addWidget(self.scroll_area, 1)
        body = QHBoxLayout()
        body.setSpacing(2 * theme.SPACE)
        body.addWidget(self.map_scroll)
        body.addLayout(results, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(3 * theme.SPACE, 3 * theme.SPACE, 2 * theme.SPACE, 0)
        layout.setSpacing(2 * theme.SPACE)
        layout.addLayout(header)
        layout.addLayout(body, 1)
        self._fix_tab_order()

    def _grid(self, model: RoutineListModel, name: str) -> CardGridView:
        grid = CardGridView(model, self.delegate, name=name, scroll_area=self.scroll_area)
        grid.open_requested.connect(self.routine_selected)
        grid.favourite_requested.connect(self._favourite_clicked)
        return grid

    def _combo(self, name: str, any_text: str, items: Sequence[tuple[str, str]]) -> QComboBox:
        box = QComboBox()
        # As wide as its longest choice: never "After a workou".
        box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        # ...but on a narrow page it may shrink to show its first choice ("Any area") in full: the open list
        # still shows every choice whole.
        arrow_and_padding = 6 * theme.SPACE
        box.setMinimumWidth(box.fontMetrics().horizontalAdvance(any_text) + arrow_and_padding)
        box.setAccessibleName(name)
        box.setToolTip(name)
        box.addItem(any_text, None)
        for key, label in items:
            box.addItem(label, key)
        box.currentIndexChanged.connect(self._refilter)
        return box

    def _heading(self, text: str) -> QLabel:
        label = QLabel(text)
        label.setProperty("role", "heading")
        # In line with the cards, which sit half a gap inside their grid cells.
        label.setContentsMargins(CARD_GAP // 2, theme.SPACE, 0, 0)
        return label

    def _empty_state(self) -> QWidget:
        box = QFrame()
        box.setProperty("role", "panel")
        layout = QVBoxLayout(box)
        layout.setContentsMargins(4 * theme.SPACE, 4 * theme.SPACE, 4 * theme.SPACE, 4 * theme.SPACE)
        layout.setSpacing(2 * theme.SPACE)
        self.empty_label = QLabel(_("No routine matches."))
        self.empty_label.setProperty("role", "heading")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        hint = QLabel(_("Try fewer words or another area."))
        hint.setProperty("role", "muted")
        hint.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.empty_clear_button = QPushButton(_("Clear filters"))
        self.empty_clear_button.setAccessibleName(_("Clear filters and show every routine"))
        self.empty_clear_button.setProperty("role", "primary")
        self.empty_clear_button.clicked.connect(self.clear_filters)
        layout.addWidget(self.empty_label)
        layout.addWidget(hint)
        layout.addWidget(self.empty_clear_button, 0, Qt.AlignmentFlag.AlignHCenter)
        box.setVisible(False)
        return box

    # -- public API ---------------------------------------------------------------------------------
    def set_library(self, library: Library) -> None:
        """Show a (re)loaded library; filters and favourites stay."""
        self._library = library
        self._summaries = dict(library.summaries)
        self.all_model.set_routines(self._summaries.values())
        self._rebuild_rows()
        self._refilter()

    def set_favourites(self, ids: Iterable[str]) -> None:
        self._favourites = list(dict.fromkeys(ids))
        self._rebuild_rows()
        self._refilter()

    def set_recent(self, ids: Sequence[str]) -> None:
        """Routines done lately, most recent first."""
        self._recent = list(dict.fromkeys(ids))
        self._rebuild_rows()
        self._refilter()

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def filters(self) -> Filters:
        return self._filters

    def visible_routine_ids(self) -> list[str]:
        """The routines in the main list, in order, as the person sees them."""
        return self.all_model.routine_ids()

    def clear_filters(self) -> None:
        for box in (self.area_box, self.goal_box, self.length_box, self.equipment_box):
            box.blockSignals(True)
            box.setCurrentIndex(0)
            box.blockSignals(False)
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self._refilter()

    def set_area(self, area: str | None) -> None:
        """Filter by one area (None for any), as a click on the body map does."""
        index = self.area_box.findData(area) if area else 0
        self.area_box.setCurrentIndex(max(index, 0))

    # -- behaviour ----------------------------------------------------------------------------------
    def _area_clicked(self, area: str) -> None:
        # A second click on the chosen area lets it go again.
        self.set_area(None if self._filters.area == area else area)

    def _favourite_clicked(self, routine_id: str, on: bool) -> None:
        if on and routine_id not in self._favourites:
            self._favourites.append(routine_id)
        elif not on and routine_id in self._favourites:
            self._favourites.remove(routine_id)
        self._rebuild_rows()
        self._refilter()
        self.favourite_toggled.emit(routine_id, on)

    def _rebuild_rows(self) -> None:
        summaries = self._summaries
        favourites = [summaries[rid] for rid in self._favourites if rid in summaries]
        recent = [summaries[rid] for rid in self._recent if rid in summaries][:RECENT_LIMIT]
        for model, rows in ((self.favourites_model, favourites), (self.recent_model, recent)):
            model.set_favourites(self._favourites)
            model.set_routines(rows)
        self.all_model.set_favourites(self._favourites)

    def _refilter(self) -> None:
        filters = Filters(
            text=self.search.text(),
            area=self.area_box.currentData(),
            goal=self.goal_box.currentData(),
            length=self.length_box.currentData(),
            equipment=self.equipment_box.currentData(),
        )
        changed = filters != self._filters
        self._filters = filters
        active = filters.active
        selected = {filters.area} if filters.area else set()
        if self.body_map.selected() != selected:  # a repaint of the map costs as much as the cards
            self.body_map.set_selected(selected)
        self.all_model.set_filters(filters)
        has_favourites = self.favourites_model.rowCount() > 0 and not active
        has_recent = self.recent_model.rowCount() > 0 and not active
        self.favourites_heading.setVisible(has_favourites)
        self.favourites_grid.setVisible(has_favourites)
        self.recent_heading.setVisible(has_recent)
        self.recent_grid.setVisible(has_recent)
        count = self.all_model.rowCount()
        if active:
            self.all_heading.setText(
                ngettext("{count} routine matches", "{count} routines match", count).format(
                    count=formatting.number(count)
                )
            )
        else:
            self.all_heading.setText(_("All routines"))
        self.all_heading.setVisible(count > 0)
        self.all_grid.setVisible(count > 0)
        self.empty_state.setVisible(count == 0)
        self.empty_label.setText(
            _("No routine matches.") if self.all_model.total() else _("No routines yet.")
        )
        # One way to clear: when nothing matches, the empty state's button does it, so the bar's one hides.
        self.clear_button.setVisible(active and count > 0)
        self.empty_clear_button.setVisible(active)  # with no routines at all there is nothing to clear
        if changed:
            # New results start at the top, not wherever the last ones were scrolled to.
            self.scroll_area.verticalScrollBar().setValue(0)

    def _fix_tab_order(self) -> None:
        """Tab walks search, filters, body map, then the cards in reading order."""
        chain: list[QWidget] = [
            self.search, self.area_box, self.goal_box, self.length_box, self.equipment_box,
            self.clear_button, self.body_map._whole, self.body_map,
        ]  # fmt: skip
        chain.extend((self.favourites_grid, self.recent_grid, self.all_grid, self.empty_clear_button))
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.search and event.type() == QEvent.Type.FocusIn:
            # Build the search index while the person moves to the keys, not on their first keystroke.
            self.all_model.prepare_search()
        if watched is self.search and isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress:
            if event.key() == Qt.Key.Key_Escape and self.search.text():
                self.search.clear()
                return True
            if (
                event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Down)
                and self.all_model.rowCount()
            ):
                # From the search box, Enter or Down goes to the first result.
                self.all_grid.focus_first()
                return True
        return super().eventFilter(watched, event)


class _PanelScroll(QScrollArea):
    """A panel as tall as the page, or taller with a scroll bar when the page is shorter than its minimum.

    Not ``widgetResizable``: that gives a panel with a wrapping label its preferred height, not the room
    there is, and the body map would scroll where it could simply fit."""

    def __init__(self, panel: QWidget) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setWidget(panel)

    def _fit(self) -> None:
        panel = self.widget()
        if panel is not None:
            height = max(self.viewport().height(), panel.minimumSizeHint().height())
            panel.resize(panel.width(), height)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit()
