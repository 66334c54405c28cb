"""The body map: bundled figures with every area, exact hit testing, clicks, hover names and keys."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from pytestqt.qtbot import QtBot

from massage_guide.core.model import AREAS
from massage_guide.ui.body_map import (
    ASSETS_DIR,
    COMFORTABLE_SIZE,
    FULL_BODY,
    BodyMapView,
    figure,
    parse_figure,
    parse_path_data,
)

BOTH_VIEWS = {"head", "neck", "shoulders", "arms", "hands", "hips", "thighs", "calves", "feet"}


def _map(qtbot: QtBot) -> BodyMapView:
    view = BodyMapView()
    qtbot.addWidget(view)
    view.resize(520, 620)
    view.show()
    qtbot.waitExposed(view)
    return view


def test_every_area_is_on_a_figure_and_shared_areas_on_both() -> None:
    """Each area but full_body can be clicked on some figure; areas seen from both sides are on both."""
    front, back = figure("front"), figure("back")
    assert (front.areas | back.areas) == set(AREAS) - {FULL_BODY}
    assert front.areas >= BOTH_VIEWS
    assert back.areas >= BOTH_VIEWS
    assert {"face", "jaw", "chest", "abdomen"} <= front.areas
    assert {"upper_back", "lower_back"} <= back.areas


def test_svg_ids_are_unique_area_ids() -> None:
    """The SVG files carry one element per area, named by its id, so other tools can read them too."""
    for view in ("front", "back"):
        root = ET.parse(ASSETS_DIR / f"body_{view}.svg").getroot()
        ids = [element.get("id") for element in root.iter() if element.get("id")]
        assert len(ids) == len(set(ids))
        assert set(ids) <= set(AREAS)


def test_path_parser_reads_absolute_and_relative_commands() -> None:
    """M/L/H/V/C/Q/Z, absolute and relative, give the shape the SVG describes."""
    square = parse_path_data("M0 0 H10 V10 L0 10 Z")
    assert square.boundingRect().width() == pytest.approx(10)
    relative = parse_path_data("m5 5 l10 0 v10 h-10 z")
    assert relative.contains(QPointF(10, 10))
    assert not relative.contains(QPointF(2, 2))
    curve = parse_path_data("M0 0 C0 10 10 10 10 0 Q5 -5 0 0 Z")
    assert curve.contains(QPointF(5, 4))
    with pytest.raises(ValueError):
        parse_path_data("M0")


def test_shapes_other_than_paths_and_unknown_ids() -> None:
    """Ellipses, rects and polygons are read; a shape without an area id is plain body (full body)."""
    svg = b"""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">
      <rect x="0" y="0" width="100" height="100"/>
      <ellipse id="neck" cx="50" cy="20" rx="10" ry="5"/>
      <polygon id="feet" points="0,90 10,90 10,100 0,100"/>
      <circle id="not_an_area" cx="80" cy="80" r="5"/>
    </svg>"""
    fig = parse_figure(svg, "front")
    assert fig.area_at(QPointF(50, 20)) == "neck"
    assert fig.area_at(QPointF(5, 95)) == "feet"
    assert fig.area_at(QPointF(80, 80)) == FULL_BODY
    assert fig.area_at(QPointF(150, 150)) is None


@pytest.mark.parametrize("area", sorted(set(AREAS) - {FULL_BODY}))
def test_clicking_an_area_asks_for_it(qtbot: QtBot, area: str) -> None:
    """A click on any area emits that area's id, at the size the library shows the map."""
    view = _map(qtbot)
    view.resize(250, 420)
    point = view.area_center(area)
    assert point is not None
    with qtbot.waitSignal(view.area_clicked) as blocker:
        qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=point.toPoint())
    assert blocker.args == [area]


def test_clicking_empty_space_asks_for_nothing_and_whole_body_chip_asks_for_full_body(qtbot: QtBot) -> None:
    """Off the figure nothing happens; the Whole body chip asks for full_body."""
    view = _map(qtbot)
    with qtbot.assertNotEmitted(view.area_clicked):
        qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=QPoint(3, 3))
    with qtbot.waitSignal(view.area_clicked) as blocker:
        qtbot.mouseClick(view._whole, Qt.MouseButton.LeftButton)
    assert blocker.args == [FULL_BODY]


def test_hover_names_the_area(qtbot: QtBot) -> None:
    """Moving over an area shows its label as the tooltip and in the caption."""
    view = _map(qtbot)
    point = view.area_center("lower_back")
    assert point is not None
    qtbot.mouseMove(view, point.toPoint())
    qtbot.waitUntil(lambda: view.hovered_area() == "lower_back")
    assert view.toolTip() == "Lower back"


def test_read_only_map_ignores_clicks_and_shows_highlight(qtbot: QtBot) -> None:
    """The player's map is not interactive: clicks do nothing, the chip is hidden, highlight is kept."""
    view = _map(qtbot)
    view.set_interactive(False)
    view.set_highlight("neck")
    point = view.area_center("neck")
    assert point is not None
    with qtbot.assertNotEmitted(view.area_clicked):
        qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=point.toPoint())
    assert not view._whole.isVisible()
    assert view.highlight() == "neck"
    assert view.accessibleDescription() == "Now: Neck"


def test_highlight_and_selection_are_painted_in_the_palette(qtbot: QtBot) -> None:
    """Highlighted and selected areas are drawn in the accent, which stands out 3:1 from the plain body."""
    from massage_guide.ui import theme

    view = _map(qtbot)
    view.set_highlight("lower_back")
    view.set_selected({"neck"})
    image = view.grab().toImage()
    palette = theme.current()
    back = view.area_center("lower_back")
    neck = view.area_center("neck")
    assert back is not None and neck is not None
    assert image.pixelColor(back.toPoint()).name() == palette.accent
    assert image.pixelColor(neck.toPoint()).name() == palette.accent


def test_keyboard_walks_areas_and_enter_chooses(qtbot: QtBot) -> None:
    """Arrow keys move between areas and Enter asks for the one in focus."""
    view = _map(qtbot)
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    first = view.focused_area()
    qtbot.keyClick(view, Qt.Key.Key_Right)
    second = view.focused_area()
    assert second != first
    with qtbot.waitSignal(view.area_clicked) as blocker:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert blocker.args == [second]


def test_keeps_aspect_ratio(qtbot: QtBot) -> None:
    """In a wide widget the figures keep their shape: the same area is as tall as in a square one."""
    view = _map(qtbot)
    view.resize(400, 400)
    a = view.area_center("head")
    view.resize(1200, 400)
    b = view.area_center("head")
    assert a is not None and b is not None
    assert abs(a.y() - b.y()) < 2


def _view_point(view: BodyMapView, which: str, x: float, y: float) -> QPoint:
    """A widget point from figure units on the front or back figure."""
    transforms = {fig.view: transform for fig, transform in view._transforms()}
    return transforms[which].map(QPointF(x, y)).toPoint()


def test_a_left_side_step_lights_the_left_side_only(qtbot: QtBot) -> None:
    """A left-side step colours the person's left thigh (our right on the front, our left on the back)."""
    from massage_guide.ui import theme

    view = _map(qtbot)
    view.set_highlight("thighs", "left")
    image = view.grab().toImage()
    palette = theme.current()

    def colour(which: str, x: float) -> str:
        return image.pixelColor(_view_point(view, which, x, 285)).name()

    # The thighs' two shapes are centred near x=83 and x=117 on both figures (x=100 is the middle).
    assert (colour("front", 117), colour("front", 83)) == (palette.accent, palette.body)
    assert (colour("back", 83), colour("back", 117)) == (palette.accent, palette.body)
    assert view.accessibleDescription() == "Now: Thighs, left side"
    view.set_highlight("thighs", "both")
    image = view.grab().toImage()
    assert colour("front", 83) == colour("front", 117) == palette.accent


@pytest.mark.parametrize("size", [COMFORTABLE_SIZE, (480, 640)])
def test_every_area_has_a_target_of_24_px(qtbot: QtBot, size: tuple[int, int]) -> None:
    """At its size hint or larger, each area (the jaw and neck too) answers over at least 24 px each way."""
    view = BodyMapView()
    qtbot.addWidget(view)
    view.resize(*size)
    view.show()
    qtbot.waitExposed(view)
    found: dict[str, list[tuple[int, int]]] = {}
    for x in range(0, view.width(), 3):
        for y in range(0, view.height(), 3):
            area = view.area_at(QPointF(x, y))
            if area is not None:
                found.setdefault(area, []).append((x, y))
    small = {}
    for area in figure("front").areas | figure("back").areas:
        points = found.get(area, [])
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        extent = (max(xs) - min(xs) + 3, max(ys) - min(ys) + 3) if points else (0, 0)
        if min(extent) < 24:
            small[area] = extent
    assert small == {}


def test_the_figure_fills_its_panel(qtbot: QtBot) -> None:
    """The two figures take the panel's height or width (one of them fully), not half of it."""
    view = _map(qtbot)
    (front, front_map), (back, back_map) = view._transforms()
    top = front_map.map(QPointF(front.bounds.left(), front.bounds.top()))
    right = back_map.map(QPointF(back.bounds.right(), back.bounds.bottom()))
    used_width = right.x() - top.x()
    used_height = right.y() - top.y()
    assert used_width >= 0.9 * view.width() or used_height >= 0.85 * view.height()


def test_a_belly_step_lights_the_belly(qtbot: QtBot) -> None:
    """A step on the abdomen colours the belly, and not the chest above it or the hips below."""
    from massage_guide.ui import theme

    view = _map(qtbot)
    view.set_highlight("abdomen")
    image = view.grab().toImage()
    palette = theme.current()
    centres = {area: view.area_center(area) for area in ("abdomen", "chest", "hips")}
    colours = {area: image.pixelColor(point.toPoint()).name() for area, point in centres.items() if point}
    assert colours == {"abdomen": palette.accent, "chest": palette.body, "hips": palette.body}
