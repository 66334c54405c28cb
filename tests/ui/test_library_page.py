"""The library page: cards for every routine, search, filters, body map, favourites, recent and keys."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from massage_guide.core import formatting
from massage_guide.core.library import Library, RoutineSummary, load_library
from massage_guide.core.loader import load_routine_bytes
from massage_guide.core.model import Routine, Text, level_label
from massage_guide.ui import theme
from massage_guide.ui.card_view import CardGridView
from massage_guide.ui.library_page import LibraryPage, length_bucket
from massage_guide.ui.routine_card import ROUTINE_ROLE


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


def _many(count: int) -> Library:
    """A library of ``count`` summaries, as a big user library is held (no steps in memory)."""
    summaries = {
        f"gen-{n:05d}": RoutineSummary(
            f"gen-{n:05d}", Text.of(f"Generated routine {n}"), Text.of("For scale."), ("neck",),
            ("stress_relief",), "beginner", (), 300 + n, "user", None,
        )
        for n in range(count)
    }  # fmt: skip
    return Library(summaries)  # type: ignore[arg-type]


def _index(grid: CardGridView, routine_id: str) -> QModelIndex:
    model = grid.card_model()
    return model.index(model.row_of(routine_id))


def _card_point(grid: CardGridView, routine_id: str) -> QPoint:
    return grid.visualRect(_index(grid, routine_id)).center()


def _heart_point(page: LibraryPage, grid: CardGridView, routine_id: str) -> QPoint:
    card = page.delegate.card_rect(grid.visualRect(_index(grid, routine_id)))
    return page.delegate._heart(card).center().toPoint()


def test_bundled_library_shows_a_card_per_routine(qtbot: QtBot, bundled: Library) -> None:
    """Every routine gets a card with its title, length and level (speed is bench/library_scale.py's job)."""
    page = _page(qtbot, bundled)
    assert len(page.visible_routine_ids()) == len(bundled.routines)
    index = page.all_model.index(0)
    routine = index.data(ROUTINE_ROLE)
    assert routine.title.get() in index.data(Qt.ItemDataRole.AccessibleTextRole)
    title, meta, _areas, _equipment = page.delegate.texts(routine, 300)
    assert title.rstrip("…").split()[0] in routine.title.get()
    assert meta == f"{formatting.duration(routine.duration_seconds)}  ·  {level_label(routine.level)}"


def test_cards_are_painted_not_widgets(qtbot: QtBot) -> None:
    """Two thousand routines make no widget per card, and the cards on screen are painted on the page."""
    page = _page(qtbot, _many(2000))
    assert len(page.visible_routine_ids()) == 2000
    assert len(page.findChildren(QWidget)) < 150
    grid = page.all_grid
    image = grid.viewport().grab().toImage()
    card = page.delegate.card_rect(grid.visualRect(page.all_model.index(0)))
    inside = image.pixelColor(int(card.left()) + 6, int(card.center().y()))
    gap = image.pixelColor(int(card.right()) + 4, int(card.center().y()))
    assert inside == QColor(theme.current().surface)
    assert gap != inside


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


def test_nothing_found_offers_one_way_to_clear(qtbot: QtBot, small: Library) -> None:
    """When nothing matches, exactly one "Clear filters" button shows: the empty state's, under its message."""
    page = _page(qtbot, small)
    page.goal_box.setCurrentIndex(page.goal_box.findText("Sleep"))
    qtbot.keyClicks(page.search, "nothing like this")
    shown = [button for button in page.findChildren(QPushButton) if button.isVisible()]
    assert [button for button in shown if button.text() == "Clear filters"] == [page.empty_clear_button]
    qtbot.mouseClick(page.empty_clear_button, Qt.MouseButton.LeftButton)
    assert len(page.visible_routine_ids()) == 3
    assert page.goal_box.currentIndex() == 0


def test_search_words_in_any_order_and_typing_on_narrows(qtbot: QtBot, small: Library) -> None:
    """Words match in any order and field (area, equipment); deleting a letter widens the list again."""
    page = _page(qtbot, small)
    qtbot.keyClicks(page.search, "roller long")
    assert page.visible_routine_ids() == ["legs-long"]
    page.search.setText("lower back tennis")
    assert page.visible_routine_ids() == ["back-ball"]
    page.search.setText("lon")
    assert page.visible_routine_ids() == ["legs-long"]
    page.search.setText("lo")
    assert set(page.visible_routine_ids()) == {"back-ball", "legs-long"}


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
    map_place = page.body_map.mapTo(page, QPoint(0, 0))
    qtbot.mouseClick(page.body_map, Qt.MouseButton.LeftButton, pos=point.toPoint())
    assert page.visible_routine_ids() == ["back-ball"]
    assert page.body_map.mapTo(page, QPoint(0, 0)) == map_place  # the page did not jump
    assert page.area_box.currentText() == "Lower back"
    assert page.body_map.selected() == {"lower_back"}
    qtbot.mouseClick(page.body_map, Qt.MouseButton.LeftButton, pos=point.toPoint())
    assert len(page.visible_routine_ids()) == 3
    assert page.body_map.selected() == set()


def test_favourites_and_recent_rows_at_the_top(qtbot: QtBot, small: Library) -> None:
    """Favourites and recently done routines get their own rows, hidden while a filter is on."""
    page = _page(qtbot, small, favourites=["legs-long"], recent=["back-ball", "gone-routine", "neck-short"])
    assert page.favourites_model.routine_ids() == ["legs-long"]
    assert page.recent_model.routine_ids() == ["back-ball", "neck-short"]
    assert page.favourites_heading.isVisible() and page.recent_heading.isVisible()
    assert page.recent_grid.height() == page.recent_grid.cell_size().height()
    qtbot.keyClicks(page.search, "neck")
    assert not page.favourites_heading.isVisible()
    assert not page.recent_grid.isVisible()


def test_heart_toggles_favourite_everywhere(qtbot: QtBot, small: Library) -> None:
    """Clicking a card's heart asks to favourite the routine, without opening it; the row shows it at once."""
    page = _page(qtbot, small)
    grid = page.all_grid
    with qtbot.assertNotEmitted(page.routine_selected), qtbot.waitSignal(page.favourite_toggled) as blocker:
        qtbot.mouseClick(
            grid.viewport(), Qt.MouseButton.LeftButton, pos=_heart_point(page, grid, "neck-short")
        )
    assert blocker.args == ["neck-short", True]
    assert page.favourites_model.routine_ids() == ["neck-short"]
    description = _index(grid, "neck-short").data(Qt.ItemDataRole.AccessibleDescriptionRole)
    assert "A favourite" in description
    page.set_favourites([])
    assert "Not a favourite" in _index(grid, "neck-short").data(Qt.ItemDataRole.AccessibleDescriptionRole)
    assert not page.favourites_heading.isVisible()


def test_cards_open_by_click_and_by_keyboard(qtbot: QtBot, small: Library) -> None:
    """A click on a card, or Enter from the search box and then on the card, asks to open the routine;
    arrow keys move between cards and F toggles the favourite."""
    page = _page(qtbot, small)
    grid = page.all_grid
    second = page.visible_routine_ids()[1]
    with qtbot.waitSignal(page.routine_selected) as blocker:
        qtbot.mouseClick(grid.viewport(), Qt.MouseButton.LeftButton, pos=_card_point(grid, second))
    assert blocker.args == [second]
    page.focus_search()
    qtbot.keyClicks(page.search, "legs")
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    qtbot.waitUntil(grid.hasFocus)
    assert grid.current_routine_id() == "legs-long"
    with qtbot.waitSignal(page.routine_selected) as blocker:
        qtbot.keyClick(grid, Qt.Key.Key_Return)
    assert blocker.args == ["legs-long"]
    with qtbot.waitSignal(page.favourite_toggled) as blocker:
        qtbot.keyClick(grid, Qt.Key.Key_F)
    assert blocker.args == ["legs-long", True]
    page.clear_filters()
    grid.focus_first()
    first, following = page.visible_routine_ids()[:2]
    assert grid.current_routine_id() == first
    qtbot.keyClick(grid, Qt.Key.Key_Right)
    assert grid.current_routine_id() == following


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


def test_new_results_scroll_to_the_top(qtbot: QtBot) -> None:
    """After scrolling down a long list, changing the search shows the new results from the top."""
    page = _page(qtbot, _many(300))
    bar = page.scroll_area.verticalScrollBar()
    bar.setValue(bar.maximum())
    assert bar.value() > 0
    qtbot.keyClicks(page.search, "1")
    assert bar.value() == 0
    assert page.visible_routine_ids()[0] == "gen-00001"


def test_keyboard_moves_bring_the_card_into_view(qtbot: QtBot) -> None:
    """Moving down the cards with the keyboard scrolls the page so the current card stays on screen."""
    page = _page(qtbot, _many(120))
    grid = page.all_grid
    grid.focus_first()
    for _ in range(12):
        qtbot.keyClick(grid, Qt.Key.Key_Down)
    index = grid.currentIndex()
    assert index.row() >= 12
    rect = grid.visualRect(index)
    top = grid.viewport().mapTo(page.scroll_area.viewport(), rect.topLeft()).y()
    assert 0 <= top <= page.scroll_area.viewport().height() - rect.height() + 8


def test_card_grid_uses_the_width_it_has(qtbot: QtBot) -> None:
    """Cards fill the row: a wider page gets more columns or wider cards, never a wide empty margin."""
    page = _page(qtbot, _many(30))
    for width in (900, 1180, 1600):
        page.resize(width, 750)
        qtbot.waitUntil(lambda w=width: page.width() == w)  # type: ignore[misc]
        grid = page.all_grid
        used = grid.columns() * grid.cell_size().width()
        assert grid.width() - used < grid.cell_size().width() // 2 or grid.cell_size().width() >= 420
    assert page.all_grid.columns() >= 3


def test_filter_bar_wraps_instead_of_cutting_words(qtbot: QtBot, small: Library) -> None:
    """In a narrow window every filter box shows its choice whole ("After a workout", not "After a workou"),
    stays inside the bar, and the bar wraps onto another line."""
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QFontMetrics
    from PySide6.QtWidgets import QComboBox, QStyle, QStyleOptionComboBox

    def choice_width(box: QComboBox) -> int:
        option = QStyleOptionComboBox()
        box.initStyleOption(option)
        metrics = QFontMetrics(box.font())
        text = QSize(metrics.horizontalAdvance(box.currentText()), metrics.height())
        needed = box.style().sizeFromContents(QStyle.ContentsType.CT_ComboBox, option, text, box).width()
        return min(needed, box.sizeHint().width())

    page = _page(qtbot, small)
    page.goal_box.setCurrentIndex(page.goal_box.findText("After a workout"))
    wide = page.filter_bar.height()
    page.resize(560, 750)
    qtbot.waitUntil(lambda: page.filter_bar.height() > wide)
    for box in (page.area_box, page.goal_box, page.length_box, page.equipment_box):
        assert box.width() >= choice_width(box)
        assert box.geometry().right() <= page.filter_bar.width()
    assert page.clear_button.width() >= page.clear_button.sizeHint().width()
    assert page.clear_button.geometry().right() <= page.filter_bar.width()


@pytest.mark.parametrize("text_size", ["medium", "extra_large"])
@pytest.mark.parametrize("page_size", [(808, 570), (964, 750)])
def test_every_body_area_has_a_24_px_target_in_the_library_panel(
    qtbot: QtBot, qapp: QApplication, bundled: Library, text_size: str, page_size: tuple[int, int]
) -> None:
    """In the library's own panel (a 1024x600 screen and the default window, normal and largest text),
    every area of the body map, the jaw and the neck too, answers over at least 24 px each way; when the
    page is too short for that, the panel scrolls instead of shrinking the figure."""
    from PySide6.QtCore import QPointF

    from massage_guide.ui.body_map import HIT_MIN, figure

    theme.apply(qapp, "light", text_size)
    try:
        page = LibraryPage(bundled)
        qtbot.addWidget(page)
        page.resize(*page_size)
        page.show()
        qtbot.waitExposed(page)
        view = page.body_map
        assert view.width() < 300  # the real side panel, not the map's own comfortable size (360 x 520)
        step = 2
        found: dict[str, list[tuple[int, int]]] = {}
        for x in range(0, view.width(), step):
            for y in range(0, view.height(), step):
                area = view.area_at(QPointF(x, y))
                if area is not None:
                    found.setdefault(area, []).append((x, y))
        small = {}
        for area in figure("front").areas | figure("back").areas:
            points = found.get(area, [])
            xs, ys = [p[0] for p in points], [p[1] for p in points]
            extent = (max(xs) - min(xs) + step, max(ys) - min(ys) + step) if points else (0, 0)
            if min(extent) < HIT_MIN:
                small[area] = extent
        assert small == {}
        # Never squeezed under its target size: what does not fit is reached by scrolling the panel.
        assert view.height() >= view.target_size().height()
        panel = page.map_scroll
        content = panel.widget()
        assert content is not None
        assert panel.verticalScrollBar().maximum() == max(0, content.height() - panel.viewport().height())
    finally:
        theme.apply(qapp, "light")
