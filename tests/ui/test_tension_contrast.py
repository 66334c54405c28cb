"""The tension chart's two lines stand out from the panel and from each other in every theme (issue 15)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from massage_guide.core.history_records import TensionPair
from massage_guide.ui import theme
from massage_guide.ui.tension_trend import BACKGROUND, SeriesStyle, TensionTrendView, series_styles
from massage_guide.ui.theme import Palette
from tests.ui.test_contrast import NON_TEXT_AA, PALETTES, ratio

BEFORE, AFTER = 8, 2  # flat lines, far apart: each can be followed across the plot on its own row
SESSIONS = 6
# A pixel belongs to a line when its colour is this close to the line's (anti-aliasing blends the edges).
NEAR = 60


@pytest.fixture(autouse=True)
def light_again(qapp: QApplication) -> Iterator[None]:
    yield
    theme.apply(qapp, "light")  # the next test starts from the default theme


def told_apart(first: SeriesStyle, second: SeriesStyle) -> bool:
    """3:1 apart in colour, or different by more than colour: dash pattern and marker fill both differ."""
    if ratio(first.colour, second.colour) >= NON_TEXT_AA:
        return True
    return first.dashed != second.dashed and first.hollow != second.hollow


@pytest.mark.parametrize("palette", PALETTES, ids=lambda p: p.name)
def test_both_lines_stand_out_from_the_panel_and_from_each_other(palette: Palette) -> None:
    """Each line is at least 3:1 against the panel it is drawn on, and the two are told apart."""
    before, after = series_styles(palette)
    background = getattr(palette, BACKGROUND)
    for style in (before, after):
        assert ratio(style.colour, background) >= NON_TEXT_AA, (palette.name, style.label)
    assert told_apart(before, after), palette.name


def _near(image: QImage, x: int, y: int, colour: str) -> bool:
    pixel, wanted = QColor(image.pixel(x, y)), QColor(colour)
    distance = sum(
        abs(a - b)
        for a, b in zip(
            (pixel.red(), pixel.green(), pixel.blue()),
            (wanted.red(), wanted.green(), wanted.blue()),
            strict=True,
        )
    )
    return distance <= NEAR


def _runs(flags: list[bool]) -> int:
    """How many separate stretches of True there are."""
    return sum(1 for i, flag in enumerate(flags) if flag and (i == 0 or not flags[i - 1]))


@pytest.mark.parametrize("name", ["light", "dark", "night"])
def test_the_drawn_lines_are_dashed_and_solid_as_the_legend_says(
    qtbot: QtBot, qapp: QApplication, name: str
) -> None:
    """Painted, "before" is broken into dashes and "after" is one unbroken line, in every theme."""
    theme.apply(qapp, name)
    palette = theme.current()
    before, after = series_styles(palette)
    view = TensionTrendView()
    qtbot.addWidget(view)
    view.resize(480, 220)
    view.set_points(
        [TensionPair(f"2024-05-{day:02d}T18:00:00+02:00", BEFORE, AFTER) for day in range(1, SESSIONS + 1)]
    )
    image = view.grab().toImage()
    # Between the first two markers, well clear of both.
    start = round(view.point_position(0, 0).x()) + 8
    end = round(view.point_position(1, 0).x()) - 8
    before_y = round(view.point_position(0, BEFORE).y())
    after_y = round(view.point_position(0, AFTER).y())
    on_before = [_near(image, x, before_y, before.colour) for x in range(start, end)]
    on_after = [_near(image, x, after_y, after.colour) for x in range(start, end)]
    assert all(on_after), name
    assert _runs(on_before) >= 2 and not all(on_before), name
