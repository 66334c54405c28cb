"""Keyboard focus is visible on every control of the session journey: a ring in the focus colour (or, on a
primary button, the text colour) that is not there without focus, in every theme."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import partial
from pathlib import Path
from typing import cast

import numpy as np
import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from massage_guide import paths as paths_module
from massage_guide.app import App, build
from massage_guide.services.audio import SilentAudio
from massage_guide.ui import theme
from massage_guide.ui.completion_page import CompletionPage
from massage_guide.ui.detail_page import RoutineDetailPage
from massage_guide.ui.player_page import PlayerPage
from massage_guide.ui.settings_page import SettingsPage

ROUTINE = "neck-tension-release"
RING_PIXELS = 20  # a ring round even a small button is well over this many pixels of its colour


@pytest.fixture(params=["light", "dark", "night"])
def app(request: pytest.FixtureRequest, qtbot: QtBot, mg_home: Path) -> Iterator[App]:
    (mg_home / "settings.yaml").write_text(
        f"safety_notice_seen: true\ntheme: {request.param}\n", encoding="utf-8"
    )
    qt = QApplication.instance()
    assert isinstance(qt, QApplication)
    built = build(qt, paths=paths_module.resolve(), audio=SilentAudio())
    qtbot.addWidget(built.window)
    built.window.resize(1180, 780)
    built.window.show()
    qtbot.waitExposed(built.window)
    built.finish_start()
    qtbot.waitUntil(lambda: built.history is not None, timeout=5000)
    built.window.activateWindow()
    qtbot.waitUntil(built.window.isActiveWindow)
    yield built
    if built.controller.session_running():
        built.session.stop()
    built.close()
    theme.apply(qt, "light")


def count(image: QImage, colour: str) -> int:
    """Pixels of exactly ``colour`` in the image."""
    rgb = image.convertToFormat(QImage.Format.Format_RGB32)
    pixels = np.frombuffer(rgb.constBits(), dtype=np.uint32, count=rgb.sizeInBytes() // 4)
    return int(np.count_nonzero((pixels & 0xFFFFFF) == int(colour[1:], 16)))


def ring_colour(widget: QWidget) -> str:
    palette = theme.current()
    primary = isinstance(widget, QPushButton) and widget.property("role") == "primary"
    return palette.text if primary else palette.focus


def _lost_focus(widget: QWidget) -> bool:
    return not widget.hasFocus()


def unringed(qtbot: QtBot, widgets: Sequence[QWidget], away: QWidget) -> list[str]:
    """The widgets whose focus does not show: focused, they gain fewer than RING_PIXELS of the ring colour."""
    problems = []
    for widget in widgets:
        if widget is away:
            continue
        away.setFocus()
        qtbot.waitUntil(partial(_lost_focus, widget))
        plain = count(widget.grab().toImage(), ring_colour(widget))
        widget.setFocus()
        qtbot.waitUntil(widget.hasFocus)
        ringed = count(widget.grab().toImage(), ring_colour(widget))
        if ringed - plain < RING_PIXELS:
            name = widget.accessibleName() or type(widget).__name__
            problems.append(f"{name}: {plain} -> {ringed} px of {ring_colour(widget)}")
    return problems


def focusable(page: QWidget) -> list[QWidget]:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QAbstractScrollArea, QScrollBar

    return [
        w
        for w in page.findChildren(QWidget)
        if w.isVisible()
        and w.isEnabled()
        and w.focusPolicy() & Qt.FocusPolicy.TabFocus
        and not isinstance(w, (QScrollBar, QAbstractScrollArea))  # the scroll areas' own frames
    ]


def test_detail_before_player_and_completion_show_focus(app: App, qtbot: QtBot) -> None:
    """Start, the heart, the check boxes, the rating, Begin, Pause and the other controls, Done: all ringed."""
    app.controller.open_routine(ROUTINE)
    detail = cast(RoutineDetailPage, app.window.page("detail"))
    problems = unringed(qtbot, focusable(detail), detail.back_button)
    back = detail.back_button
    problems += unringed(qtbot, [back], detail.start_button)
    assert app.controller.start_routine(ROUTINE, ask_tension=True)
    player = cast(PlayerPage, app.window.page("player"))
    problems += unringed(
        qtbot, [player.before_rating, player.begin_button, player.before_back], player.begin_button
    )
    player.begin_button.click()
    controls = [*player.controls().values(), player.mini_button]
    problems += unringed(qtbot, controls, player.controls()["pause"])
    problems += unringed(qtbot, [player.controls()["pause"]], player.controls()["next"])
    with qtbot.waitSignal(app.session.session_stopped):
        app.session.stop()
    completion = cast(CompletionPage, app.window.page("completion"))
    problems += unringed(qtbot, [completion.after, completion.before, completion.done], completion.note)
    assert problems == []


def test_settings_controls_show_focus(app: App, qtbot: QtBot) -> None:
    """Every drop-down list, check box, slider and button on the settings page (those of issue 15's
    layout) shows a ring when it has the keyboard."""
    page = cast(SettingsPage, app.window.show_page("settings"))
    mine = [page.theme_choice, page.text_size, page.reduced_motion, page.ambience, page.muted, page.cues,
            page.voice, page.voice_rate.slider, page.safety_button]  # fmt: skip
    assert unringed(qtbot, mine, page.sleep_fade) == []
