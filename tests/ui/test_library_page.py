"""The library page: cards for every routine, search, filters, body map, favourites, recent and keys."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from massage_guide.core.library import Library, load_library
from massage_guide.core.loader import load_routine_bytes
from massage_guide.core.model import Routine
from massage_guide.ui.library_page import LibraryPage, length_bucket
from massage_guide.ui.routine_card import RoutineCard, minutes_text


@pytest.fixture(scope="module")
def bundled() -> Library:
    return load_library(use_cache=False)


def _routine(
    tmp_path: Path, rid: str, title: str, minutes: int, areas: str, *, equipment: str = "[]"
) -> Routine:
    text = f"""schema_version: 1
id: {rid}
title: {title}
summary: A short test routine.
areas: {areas}
goals: [stress_relief]
equipment: {equipment}
steps:
  - title: Breathe
    instruction: Breathe slowly.
    duration: {minutes}m
""".encode()
    routine, problems = load_routine_bytes(text, tmp_path / f"{rid}.yaml")
    assert routine is not None, problems
    return routine


@pytest.fixture
def small(tmp_path: Path) -> Library:
    routines = [
        _routine(tmp_path, "neck-short", "Neck in a minute", 2, "[neck]"),
        _routine(tmp_path, "back-ball", "Back with a ball", 10, "[lower_back]", equipment="[tennis_ball]"),
        _routine(tmp_path, "legs-long", "Long legs", 20, "[thighs, calves]", equipment="[foam_roller]"),
    ]
    return Library({r.id: r for r in routines})


def _page(qtbot: QtBot, library: Library, **kwargs: object) -> LibraryPage:
    page = LibraryPage(library, **kwargs)  # type: ignore[arg-type]
    qtbot.addWidget(page)
    page.resize(1000, 750)
    page.show()
    qtbot.waitExposed(page)
    return page


def test_bundled_library_shows_a_card_per_routine(qtbot: QtBot, bundled: Library) -> None:
    """Every routine gets a card with its title and length (how fast it builds is bench/startup.py's job)."""
    page = LibraryPage(bundled)
    qtbot.addWidget(page)
    assert len(page.visible_routine_ids()) == len(bundled.routines)
    card = page.all_grid.cards()[0]
    routine = card.routine
    assert routine.title.get() in card.accessibleName()
    assert card.meta_label.text().startswith(minutes_text(routine.duration_seconds))


def test_search_narrows_and_empty_state_offers_to_clear(qtbot: QtBot, small: Library) -> None:
    """Typing filters by title words; nothing found shows the kind empty state, and Clear brings all back."""
    page = _page(qtbot, small)
    qtbot.keyClicks(page.search, "ball")
    assert page.visible_routine_ids() == ["back-ball"]
    assert page.all_heading.text() == "1 routine matches"
    page.search.clear()
    qtbot.keyClicks(page.search, "nothing like this")
    assert page.visible_routine_ids() == []
    assert page.empty_state.isVisible()
    assert page.empty_label.text() == "No routine matches."
    qtbot.mouseClick(page.empty_clear_button, Qt.MouseButton.LeftButton)
    assert len(page.visible_routine_ids()) == 3
    assert page.search.text() == ""
    assert not page.empty_state.isVisible()


def test_filters_by_length_equipment_and_goal(qtbot: QtBot, small: Library) -> None:
    """The length, equipment and goal boxes each narrow the list the way their labels say."""
    page = _page(qtbot, small)
    page.length_box.setCurrentIndex(page.length_box.findText("Under 5 min"))
    assert page.visible_routine_ids() == ["neck-short"]
    page.length_box.setCurrentIndex(page.length_box.findText("Over 15 min"))
    assert page.visible_routine_ids() == ["legs-long"]
    page.length_box.setCurrentIndex(0)
    page.equipment_box.setCurrentIndex(page.equipment_box.findText("No equipment"))
    assert page.visible_routine_ids() == ["neck-short"]
    page.equipment_box.setCurrentIndex(page.equipment_box.findText("Foam roller"))
    assert page.visible_routine_ids() == ["legs-long"]
    assert page.clear_button.isVisible()
    qtbot.mouseClick(page.clear_button, Qt.MouseButton.LeftButton)
    page.goal_box.setCurrentIndex(page.goal_box.findText("Sleep"))
    assert page.visible_routine_ids() == []
    assert length_bucket(5 * 60) == "medium" and length_bucket(15 * 60) == "medium"


def test_body_map_click_filters_by_area_and_second_click_clears(qtbot: QtBot, small: Library) -> None:
    """Clicking the lower back on the map keeps only lower-back routines; clicking it again shows all."""
    page = _page(qtbot, small)
    point = page.body_map.area_center("lower_back")
    assert point is not None
    qtbot.mouseClick(page.body_map, Qt.MouseButton.LeftButton, pos=point.toPoint())
    assert page.visible_routine_ids() == ["back-ball"]
    assert page.area_box.currentText() == "Lower back"
    assert page.body_map.selected() == {"lower_back"}
    qtbot.mouseClick(page.body_map, Qt.MouseButton.LeftButton, pos=point.toPoint())
    assert len(page.visible_routine_ids()) == 3
    assert page.body_map.selected() == set()


def test_favourites_and_recent_rows_at_the_top(qtbot: QtBot, small: Library) -> None:
    """Favourites and recently done routines get their own rows, hidden while a filter is on."""
    page = _page(qtbot, small, favourites=["legs-long"], recent=["back-ball", "gone-routine", "neck-short"])
    assert [c.routine_id for c in page.favourites_grid.cards()] == ["legs-long"]
    assert [c.routine_id for c in page.recent_grid.cards()] == ["back-ball", "neck-short"]
    assert page.favourites_heading.isVisible() and page.recent_heading.isVisible()
    qtbot.keyClicks(page.search, "neck")
    assert not page.favourites_heading.isVisible()
    assert not page.recent_grid.isVisible()


def test_heart_toggles_favourite_everywhere(qtbot: QtBot, small: Library) -> None:
    """Clicking a heart asks to favourite the routine and the favourites row shows it at once."""
    page = _page(qtbot, small)
    card = next(c for c in page.all_grid.cards() if c.routine_id == "neck-short")
    with qtbot.waitSignal(page.favourite_toggled) as blocker:
        qtbot.mouseClick(card.heart, Qt.MouseButton.LeftButton)
    assert blocker.args == ["neck-short", True]
    assert [c.routine_id for c in page.favourites_grid.cards()] == ["neck-short"]
    assert card.heart.accessibleName() == "Remove from favourites"
    page.set_favourites([])
    assert not card.is_favourite()
    assert not page.favourites_heading.isVisible()


def test_cards_open_by_click_and_by_keyboard(qtbot: QtBot, small: Library) -> None:
    """A click on a card, or Enter from the search box and then on the card, asks to open the routine."""
    page = _page(qtbot, small)
    card: RoutineCard = page.all_grid.cards()[1]
    with qtbot.waitSignal(page.routine_selected) as blocker:
        qtbot.mouseClick(card, Qt.MouseButton.LeftButton, pos=card.rect().center())
    assert blocker.args == [card.routine_id]
    page.focus_search()
    qtbot.keyClicks(page.search, "legs")
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    first = page.all_grid.cards()[0]
    qtbot.waitUntil(first.hasFocus)
    with qtbot.waitSignal(page.routine_selected) as blocker:
        qtbot.keyClick(first, Qt.Key.Key_Return)
    assert blocker.args == ["legs-long"]


def test_escape_clears_search_and_set_library_reloads(qtbot: QtBot, small: Library, bundled: Library) -> None:
    """Esc in the search box clears it; a reloaded library replaces the cards and keeps the filter."""
    page = _page(qtbot, small)
    qtbot.keyClicks(page.search, "neck")
    qtbot.keyClick(page.search, Qt.Key.Key_Escape)
    assert page.search.text() == ""
    page.set_area("neck")
    page.set_library(bundled)
    shown = page.visible_routine_ids()
    assert shown and all("neck" in bundled.routines[rid].areas for rid in shown)
    page.set_library(Library({}))
    assert page.empty_label.text() == "No routines yet."
