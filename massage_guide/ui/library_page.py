"""The library: search, filters and the body map over routine cards, favourites and recent ones first."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from massage_guide.core.library import Library
from massage_guide.core.model import (
    AREA_LABELS,
    AREAS,
    EQUIPMENT,
    EQUIPMENT_LABELS,
    GOAL_LABELS,
    GOALS,
    Routine,
)
from massage_guide.ui import icons, theme
from massage_guide.ui.body_map import BodyMapView
from massage_guide.ui.routine_card import CARD_HEIGHT, CARD_WIDTH, RoutineCard, areas_text, equipment_text
from massage_guide.ui.scrolling import vertical_scroll

SHORT_SECONDS = 5 * 60
LONG_SECONDS = 15 * 60
LENGTHS: tuple[tuple[str, str], ...] = (
    ("short", "Under 5 min"),
    ("medium", "5–15 min"),
    ("long", "Over 15 min"),
)
NO_EQUIPMENT = "none"
RECENT_LIMIT = 6  # two rows of cards at most: a reminder, not a history


@dataclass(frozen=True)
class Filters:
    """What the person narrowed the library to; None means any."""

    text: str = ""
    area: str | None = None
    goal: str | None = None
    length: str | None = None
    equipment: str | None = None

    @property
    def active(self) -> bool:
        return bool(self.text.strip()) or any((self.area, self.goal, self.length, self.equipment))


def length_bucket(seconds: int) -> str:
    if seconds < SHORT_SECONDS:
        return "short"
    return "medium" if seconds <= LONG_SECONDS else "long"


def matches(routine: Routine, filters: Filters, language: str = "en") -> bool:
    """Whether a routine passes every filter; the search words may appear in any order and field."""
    if filters.area and filters.area not in routine.areas:
        return False
    if filters.goal and filters.goal not in routine.goals:
        return False
    if filters.length and length_bucket(routine.duration_seconds) != filters.length:
        return False
    if filters.equipment == NO_EQUIPMENT and routine.equipment:
        return False
    if filters.equipment not in (None, NO_EQUIPMENT) and filters.equipment not in routine.equipment:
        return False
    words = filters.text.casefold().split()
    if not words:
        return True
    haystack = " ".join(
        [
            routine.id,
            routine.title.get(language),
            routine.summary.get(language),
            areas_text(routine),
            equipment_text(routine),
            *(GOAL_LABELS.get(goal, goal) for goal in routine.goals),
        ]
    ).casefold()
    return all(word in haystack for word in words)


class CardGrid(QWidget):
    """Cards in as many columns as fit, re-flowed when the width changes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._cards: list[RoutineCard] = []
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def set_cards(self, cards: Sequence[RoutineCard]) -> None:
        """Show these cards in this order; cards left out are hidden, not destroyed."""
        for card in self._cards:
            if card not in cards:
                card.hide()
        self._cards = list(cards)
        for card in self._cards:
            if card.parentWidget() is not self:
                card.setParent(self)
            card.show()
        self._place(self.width())
        self.updateGeometry()

    def cards(self) -> list[RoutineCard]:
        return list(self._cards)

    def _columns(self, width: int) -> int:
        return max(1, (width + 2 * theme.SPACE) // (CARD_WIDTH + 2 * theme.SPACE))

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        if not self._cards:
            return 0
        rows = -(-len(self._cards) // self._columns(width))
        return rows * CARD_HEIGHT + (rows - 1) * 2 * theme.SPACE

    def sizeHint(self) -> QSize:
        width = 3 * CARD_WIDTH + 4 * theme.SPACE
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:
        return QSize(CARD_WIDTH, self.heightForWidth(CARD_WIDTH))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place(event.size().width())

    def _place(self, width: int) -> None:
        columns = self._columns(width)
        gap = 2 * theme.SPACE
        for index, card in enumerate(self._cards):
            row, column = divmod(index, columns)
            card.move(column * (CARD_WIDTH + gap), row * (CARD_HEIGHT + gap))


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
        self._cards: dict[str, RoutineCard] = {}
        self._filters = Filters()
        self._build()
        self.set_library(library)

    # -- building -----------------------------------------------------------------------------------
    def _build(self) -> None:
        title = QLabel("Library")
        title.setProperty("role", "title")
        subtitle = QLabel("Pick a routine, or choose where it aches on the body.")
        subtitle.setProperty("role", "muted")
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search routines")
        self.search.setAccessibleName("Search routines")
        self.search.setClearButtonEnabled(True)
        self.search.addAction(
            icons.icon("search", theme.current().muted), QLineEdit.ActionPosition.LeadingPosition
        )
        self.search.setMinimumWidth(260)
        self.search.textChanged.connect(self._refilter)
        self.search.installEventFilter(self)

        self.area_box = self._combo("Filter by area", "Any area", [(a, AREA_LABELS[a]) for a in AREAS])
        self.goal_box = self._combo("Filter by goal", "Any goal", [(g, GOAL_LABELS[g]) for g in GOALS])
        self.length_box = self._combo("Filter by length", "Any length", list(LENGTHS))
        self.equipment_box = self._combo(
            "Filter by equipment",
            "Any equipment",
            [(NO_EQUIPMENT, "No equipment"), *((e, EQUIPMENT_LABELS[e]) for e in EQUIPMENT)],
        )
        self.clear_button = QPushButton("Clear filters")
        self.clear_button.setAccessibleName("Clear filters")
        self.clear_button.setIcon(icons.icon("close"))
        self.clear_button.clicked.connect(self.clear_filters)
        self.clear_button.setVisible(False)

        header = QHBoxLayout()
        heading = QVBoxLayout()
        heading.setSpacing(2)
        heading.addWidget(title)
        heading.addWidget(subtitle)
        header.addLayout(heading, 1)
        header.addWidget(self.search, 0, Qt.AlignmentFlag.AlignBottom)

        filters = QHBoxLayout()
        filters.setSpacing(theme.SPACE)
        for box in (self.area_box, self.goal_box, self.length_box, self.equipment_box):
            filters.addWidget(box)
        filters.addWidget(self.clear_button)
        filters.addStretch(1)

        self.body_map = BodyMapView()
        self.body_map.setAccessibleName("Body map: choose an area to filter routines")
        self.body_map.area_clicked.connect(self._area_clicked)
        map_panel = QFrame()
        map_panel.setProperty("role", "panel")
        map_panel.setFixedWidth(268)
        map_layout = QVBoxLayout(map_panel)
        map_layout.setContentsMargins(theme.SPACE, 2 * theme.SPACE, theme.SPACE, 2 * theme.SPACE)
        map_hint = QLabel("Where does it ache?")
        map_hint.setFont(theme.font(1.1, bold=True))
        map_hint.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        map_layout.addWidget(map_hint)
        map_layout.addWidget(self.body_map, 1)

        content = QWidget()
        self._content_layout = QVBoxLayout(content)
        self._content_layout.setContentsMargins(0, 0, theme.SPACE, 2 * theme.SPACE)
        self._content_layout.setSpacing(theme.SPACE)
        self.favourites_heading = self._heading("Favourites")
        self.favourites_grid = CardGrid()
        self.recent_heading = self._heading("Recently done")
        self.recent_grid = CardGrid()
        self.all_heading = self._heading("All routines")
        self.all_grid = CardGrid()
        self.empty_state = self._empty_state()
        for widget in (
            self.favourites_heading, self.favourites_grid, self.recent_heading, self.recent_grid,
            self.all_heading, self.all_grid, self.empty_state,
        ):  # fmt: skip
            self._content_layout.addWidget(widget)
        self._content_layout.addStretch(1)
        self.scroll_area = vertical_scroll(content)

        body = QHBoxLayout()
        body.setSpacing(3 * theme.SPACE)
        body.addWidget(map_panel)
        body.addWidget(self.scroll_area, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(3 * theme.SPACE, 3 * theme.SPACE, 2 * theme.SPACE, 0)
        layout.setSpacing(2 * theme.SPACE)
        layout.addLayout(header)
        layout.addLayout(filters)
        layout.addLayout(body, 1)
        self.setTabOrder(self.search, self.area_box)

    def _combo(self, name: str, any_text: str, items: Sequence[tuple[str, str]]) -> QComboBox:
        box = QComboBox()
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
        label.setContentsMargins(0, theme.SPACE, 0, 0)
        return label

    def _empty_state(self) -> QWidget:
        box = QFrame()
        box.setProperty("role", "panel")
        layout = QVBoxLayout(box)
        layout.setContentsMargins(4 * theme.SPACE, 4 * theme.SPACE, 4 * theme.SPACE, 4 * theme.SPACE)
        layout.setSpacing(2 * theme.SPACE)
        self.empty_label = QLabel("No routine matches.")
        self.empty_label.setProperty("role", "heading")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        hint = QLabel("Try fewer words or another area.")
        hint.setProperty("role", "muted")
        hint.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.empty_clear_button = QPushButton("Clear filters")
        self.empty_clear_button.setAccessibleName("Clear filters and show every routine")
        self.empty_clear_button.setProperty("role", "primary")
        self.empty_clear_button.clicked.connect(self.clear_filters)
        layout.addWidget(self.empty_label)
        layout.addWidget(hint)
        layout.addWidget(self.empty_clear_button, 0, Qt.AlignmentFlag.AlignHCenter)
        box.setVisible(False)
        return box

    def _card(self, routine: Routine) -> RoutineCard:
        card = RoutineCard(routine, language=self._language, favourite=routine.id in self._favourites)
        card.activated.connect(self.routine_selected)
        card.favourite_toggled.connect(self._favourite_clicked)
        return card

    # -- public API ---------------------------------------------------------------------------------
    def set_library(self, library: Library) -> None:
        """Show a (re)loaded library; filters and favourites stay."""
        self._library = library
        for card in self._cards.values():
            card.deleteLater()
        self._cards = {rid: self._card(routine) for rid, routine in library.routines.items()}
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
        return [card.routine_id for card in self.all_grid.cards()]

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
        routines = self._library.routines
        for card in self._cards.values():
            card.set_favourite(card.routine_id in self._favourites)
        for grid, ids in (
            (self.favourites_grid, [rid for rid in self._favourites if rid in routines]),
            (self.recent_grid, [rid for rid in self._recent if rid in routines][:RECENT_LIMIT]),
        ):
            old = grid.cards()
            grid.set_cards([self._card(routines[rid]) for rid in ids])
            for card in old:
                card.deleteLater()

    def _refilter(self) -> None:
        self._filters = Filters(
            text=self.search.text(),
            area=self.area_box.currentData(),
            goal=self.goal_box.currentData(),
            length=self.length_box.currentData(),
            equipment=self.equipment_box.currentData(),
        )
        active = self._filters.active
        self.body_map.set_selected({self._filters.area} if self._filters.area else set())
        shown = [
            card for card in self._cards.values() if matches(card.routine, self._filters, self._language)
        ]
        self.all_grid.set_cards(shown)
        has_favourites = bool(self.favourites_grid.cards()) and not active
        has_recent = bool(self.recent_grid.cards()) and not active
        self.favourites_heading.setVisible(has_favourites)
        self.favourites_grid.setVisible(has_favourites)
        self.recent_heading.setVisible(has_recent)
        self.recent_grid.setVisible(has_recent)
        count = len(shown)
        if active:
            self.all_heading.setText(f"{count} routine matches" if count == 1 else f"{count} routines match")
        else:
            self.all_heading.setText("All routines")
        self.all_heading.setVisible(count > 0)
        self.all_grid.setVisible(count > 0)
        self.empty_state.setVisible(count == 0)
        self.empty_label.setText("No routine matches." if self._cards else "No routines yet.")
        self.clear_button.setVisible(active)
        self._fix_tab_order()

    def _fix_tab_order(self) -> None:
        """Tab walks search, filters, body map, then the cards in reading order."""
        chain: list[QWidget] = [
            self.search, self.area_box, self.goal_box, self.length_box, self.equipment_box,
            self.clear_button, self.body_map._whole, self.body_map,
        ]  # fmt: skip
        for grid in (self.favourites_grid, self.recent_grid, self.all_grid):
            if grid.isVisibleTo(self):
                for card in grid.cards():
                    chain.extend((card, card.heart))
        chain.append(self.empty_clear_button)
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.search and isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress:
            if event.key() == Qt.Key.Key_Escape and self.search.text():
                self.search.clear()
                return True
            cards = self.all_grid.cards()
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Down) and cards:
                # From the search box, Enter or Down goes to the first result.
                cards[0].setFocus(Qt.FocusReason.TabFocusReason)
                return True
        return super().eventFilter(watched, event)
