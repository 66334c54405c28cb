"""The routine detail page: summary, needs, cautions, timed step list, toggles, Start, Back and favourite."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from massage_guide.core.loader import load_routine_bytes
from massage_guide.core.model import Routine
from massage_guide.ui.detail_page import RoutineDetailPage

ROUTINE = b"""schema_version: 1
id: calm-neck
title: Calm neck
summary: Ease a stiff neck in three gentle steps.
areas: [neck, shoulders]
goals: [tension_relief]
equipment: [tennis_ball, towel]
cautions:
  - Stop if you feel dizzy.
ambience: soft-rain
steps:
  - title: Settle
    instruction: Sit tall and breathe.
    duration: 30s
    technique: breathing
  - title: Press the knot
    instruction: Press gently beside the spine.
    duration: 1m
    technique: compression
    pressure: light
    side: left
    mirror: true
"""


def _routine(tmp_path: Path, data: bytes = ROUTINE) -> Routine:
    routine, problems = load_routine_bytes(data, tmp_path / "calm-neck.yaml")
    assert routine is not None, problems
    return routine


def _page(qtbot: QtBot) -> RoutineDetailPage:
    page = RoutineDetailPage()
    qtbot.addWidget(page)
    page.resize(1000, 750)
    page.show()
    qtbot.waitExposed(page)
    return page


def test_shows_summary_needs_cautions_and_timed_steps(qtbot: QtBot, tmp_path: Path) -> None:
    """Everything a person reads before starting is there, with mirrored steps split by side."""
    page = _page(qtbot)
    page.show_routine(_routine(tmp_path))
    assert page.title_label.text() == "Calm neck"
    assert page.summary_label.text() == "Ease a stiff neck in three gentle steps."
    assert "Tennis ball" in page.needs_label.text() and "Towel" in page.needs_label.text()
    assert page.cautions_panel.isVisible()
    assert page.cautions_label.text() == "Stop if you feel dizzy."
    assert page.step_rows() == [
        ("0:00", "Settle", "", "0:30"),
        ("0:30", "Press the knot", "Left side", "1:00"),
        ("1:30", "Press the knot", "Right side", "1:00"),
    ]
    assert page.total_label.text() == "2:30 min"
    assert page.steps_count_label.text() == "3 steps"
    assert page.ambience_box.text() == "Background sound: Soft rain"


def test_the_length_is_said_once(qtbot: QtBot, tmp_path: Path) -> None:
    """The routine's length shows once on the page, not again in the line under it."""
    page = _page(qtbot)
    page.show_routine(_routine(tmp_path))
    shown = [label.text() for label in page.findChildren(QLabel) if label.isVisible()]
    assert [text for text in shown if "2:30" in text] == ["2:30 min"]


def test_start_sends_the_chosen_toggles(qtbot: QtBot, tmp_path: Path) -> None:
    """Start asks for this routine with voice and ambience as the boxes show them."""
    page = _page(qtbot)
    page.show_routine(_routine(tmp_path), voice_on=True, ambience_on=True)
    qtbot.mouseClick(page.ambience_box, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(page.start_requested) as blocker:
        qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    assert blocker.args == ["calm-neck", True, False]
    page.show_routine(_routine(tmp_path), voice_on=False, ambience_on=True)
    with qtbot.waitSignal(page.start_requested) as blocker:
        qtbot.keyClick(page.start_button, Qt.Key.Key_Space)
    assert blocker.args == ["calm-neck", False, True]


def test_quiet_routine_without_cautions_or_equipment(qtbot: QtBot, tmp_path: Path) -> None:
    """No ambience disables the sound box and Start sends False; no equipment says hands are enough."""
    data = ROUTINE.replace(b"ambience: soft-rain\n", b"").replace(b"[tennis_ball, towel]", b"[]")
    data = data.replace(b"cautions:\n  - Stop if you feel dizzy.\n", b"")
    page = _page(qtbot)
    page.show_routine(_routine(tmp_path, data), ambience_on=True)
    assert not page.ambience_box.isEnabled()
    assert page.ambience_box.text() == "No background sound"
    assert not page.cautions_panel.isVisible()
    assert page.needs_label.text() == "Just your hands and a comfortable place."
    with qtbot.waitSignal(page.start_requested) as blocker:
        qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    assert blocker.args == ["calm-neck", True, False]


def test_back_by_button_and_escape(qtbot: QtBot, tmp_path: Path) -> None:
    """The Library button and the Esc key both ask to go back."""
    page = _page(qtbot)
    page.show_routine(_routine(tmp_path))
    with qtbot.waitSignal(page.back_requested):
        qtbot.mouseClick(page.back_button, Qt.MouseButton.LeftButton)
    page.activateWindow()
    page.start_button.setFocus()
    qtbot.waitUntil(page.start_button.hasFocus)
    with qtbot.waitSignal(page.back_requested):
        qtbot.keyClick(page.start_button, Qt.Key.Key_Escape)


def test_favourite_heart(qtbot: QtBot, tmp_path: Path) -> None:
    """The heart shows the favourite state given and asks to change it when clicked."""
    page = _page(qtbot)
    with qtbot.assertNotEmitted(page.favourite_toggled):
        page.show_routine(_routine(tmp_path), favourite=True)
    assert page.heart.isChecked()
    with qtbot.waitSignal(page.favourite_toggled) as blocker:
        qtbot.mouseClick(page.heart, Qt.MouseButton.LeftButton)
    assert blocker.args == ["calm-neck", False]


def test_each_target_muscle_is_named_once_where_it_is_first_worked(qtbot: QtBot, tmp_path: Path) -> None:
    """People learn a muscle's name from the step list: it appears once, not on every step that works it."""
    data = (
        ROUTINE
        + b"""    muscle: upper trapezius
  - title: Squeeze the ridge
    instruction: Squeeze the shoulder ridge.
    duration: 30s
    muscle: Upper trapezius
  - title: Hold the base of the skull
    instruction: Press up under the skull.
    duration: 30s
    muscle: suboccipital muscles
"""
    )
    page = _page(qtbot)
    page.show_routine(_routine(tmp_path, data))
    assert [row[1] for row in page.step_rows()] == [
        "Settle",
        "Press the knot · upper trapezius",
        "Press the knot",
        "Squeeze the ridge",
        "Hold the base of the skull · suboccipital muscles",
    ]
