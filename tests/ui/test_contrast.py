"""Contrast of every theme, computed from its palette the WCAG way: text 4.5:1, controls and graphics 3:1."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from massage_guide.ui import theme
from massage_guide.ui.caret import CalmPlainTextEdit
from massage_guide.ui.theme import Palette

TEXT_AA = 4.5  # WCAG 2.x 1.4.3, normal-size text
NON_TEXT_AA = 3.0  # WCAG 2.x 1.4.11, control edges, focus rings, chart lines, the body figure


def luminance(colour: str) -> float:
    """Relative luminance of ``#rrggbb`` (WCAG 2.x definition)."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def ratio(first: str, second: str) -> float:
    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


PALETTES = [theme.LIGHT, theme.DARK, theme.NIGHT]
# (foreground, background, minimum): every pair the app draws that a person must read or see.
PAIRS = [
    *[("text", bg, TEXT_AA) for bg in ("window", "surface", "surface_alt", "accent_soft", "body")],
    # Muted text is also the placeholder colour (QPalette.PlaceholderText).
    *[("muted", bg, TEXT_AA) for bg in ("window", "surface", "surface_alt")],
    ("danger", "window", TEXT_AA),
    ("danger", "surface", TEXT_AA),
    ("accent_text", "accent", TEXT_AA),
    *[("control", bg, NON_TEXT_AA) for bg in ("window", "surface", "surface_alt")],
    *[("focus", bg, NON_TEXT_AA) for bg in ("window", "surface", "surface_alt", "accent_soft")],
    # The primary buttons' focus ring is drawn in the text colour around the accent, on the window.
    ("text", "window", NON_TEXT_AA),
    # Progress, rings, the countdown arc and chart lines in the accent; the pacer and hearts in warm.
    *[("accent", bg, NON_TEXT_AA) for bg in ("window", "surface")],
    *[("warm", bg, NON_TEXT_AA) for bg in ("window", "surface")],
    # The body figure: its outline against its panel, and a chosen or current area against the body.
    *[("body_line", bg, NON_TEXT_AA) for bg in ("window", "surface")],
    ("accent", "body", NON_TEXT_AA),
]


@pytest.mark.parametrize("palette", PALETTES, ids=lambda p: p.name)
def test_every_pair_meets_aa(palette: Palette) -> None:
    """Text is at least 4.5:1 and controls, focus rings and graphics at least 3:1 in every theme."""
    failures = [
        f"{fg} on {bg}: {ratio(getattr(palette, fg), getattr(palette, bg)):.2f}:1 (needs {need}:1)"
        for fg, bg, need in PAIRS
        if ratio(getattr(palette, fg), getattr(palette, bg)) < need
    ]
    assert failures == []


def test_the_ratio_is_computed_right() -> None:
    """Black on white is 21:1 and a colour on itself 1:1, as WCAG defines them."""
    assert ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert ratio("#4f7f68", "#4f7f68") == pytest.approx(1.0)


def test_night_stays_dim() -> None:
    """The bedtime theme gets its contrast without bright colours: nothing is brighter than its warm text."""
    ceiling = luminance(theme.NIGHT.text)
    assert ceiling <= luminance("#c7a37e")  # the night text itself was not brightened for the ratios
    for name in ("window", "surface", "surface_alt", "muted", "accent", "warm", "control", "focus", "danger"):
        colour = getattr(theme.NIGHT, name)
        assert luminance(colour) < ceiling, f"night {name} {colour} is brighter than the text"


def test_the_note_caret_is_dim_at_night(qtbot: QtBot, qapp: QApplication) -> None:
    """At night the note's caret is drawn in the muted colour, not as inverted (near-white) pixels."""
    palette = theme.apply(qapp, "night")
    try:
        note = CalmPlainTextEdit()
        qtbot.addWidget(note)
        note.resize(240, 90)
        note.show()
        qtbot.waitExposed(note)
        note.activateWindow()
        note.setFocus()
        qtbot.waitUntil(note.hasFocus)
        image = note.grab().toImage()
        colours = {image.pixelColor(x, y).name() for x in range(image.width()) for y in range(image.height())}
        assert palette.muted in colours  # the caret is there...
        assert all(
            luminance(colour) <= luminance(palette.text) for colour in colours
        )  # ...and nothing glares
    finally:
        theme.apply(qapp, "light")


@pytest.mark.parametrize("theme_name", ["night", "light"])
def test_the_library_search_caret_is_calm(qtbot: QtBot, qapp: QApplication, theme_name: str) -> None:
    """The library's search box draws its caret in the theme's own colour (muted at night), not Qt's
    inverted bar, which glares near-white on the night theme."""
    from massage_guide.core.library import load_library
    from massage_guide.ui.caret import caret_colour
    from massage_guide.ui.library_page import LibraryPage

    palette = theme.apply(qapp, theme_name)
    try:
        page = LibraryPage(load_library(use_cache=False))
        qtbot.addWidget(page)
        page.resize(1000, 700)
        page.show()
        qtbot.waitExposed(page)
        page.activateWindow()
        page.focus_search()
        qtbot.waitUntil(page.search.hasFocus)
        page.search.setText("neck")
        image = page.search.grab().toImage()
        colours = {image.pixelColor(x, y).name() for x in range(image.width()) for y in range(image.height())}
        caret = caret_colour()
        assert caret == (palette.muted if theme_name == "night" else palette.text)
        caret_rect = page.search.cursorRect()
        column = {
            image.pixelColor(caret_rect.center().x(), y).name()
            for y in range(caret_rect.top() + 2, caret_rect.bottom() - 1)
        }
        assert column == {caret}  # a steady bar in the theme's colour where the caret is...
        if theme_name == "night":
            assert all(
                luminance(colour) <= luminance(palette.text) for colour in colours
            )  # ...nothing glares
    finally:
        theme.apply(qapp, "light")
