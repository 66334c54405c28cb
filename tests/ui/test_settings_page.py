"""The settings page: shows the settings without echoing them, and asks for exactly one change per edit."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from massage_guide.core.settings import Settings, SettingsStore
from massage_guide.ui import theme
from massage_guide.ui.settings_page import SettingsPage

AMBIENCES = ["soft-rain", "ocean-waves", "brown-noise"]


@pytest.fixture(autouse=True)
def styled(qapp: QApplication) -> None:
    """The app's style sheet is in force, as in the real window (it sets minimum heights too)."""
    theme.apply(qapp, "light")


def make_page(qtbot: QtBot, settings: Settings | None = None) -> SettingsPage:
    page = SettingsPage()
    qtbot.addWidget(page)
    page.resize(900, 750)
    page.show_settings(settings or Settings(), AMBIENCES)
    page.show()
    return page


def test_showing_settings_requests_nothing_and_shows_the_values(qtbot: QtBot) -> None:
    """Filling the page from settings emits no change and shows every value."""
    page = SettingsPage()
    qtbot.addWidget(page)
    chosen = Settings(theme="night", text_size="large", cue_volume=35, voice_rate=180, sleep_fade_minutes=7)
    with qtbot.assertNotEmitted(page.change_requested):
        page.show_settings(chosen, AMBIENCES)
    assert page.theme_choice.currentText() == "Night (dim and warm)"
    assert page.text_size.currentText() == "Large"
    assert page.volumes["cue_volume"].label.text() == "35%"
    assert page.voice_rate.label.text() == "180 wpm"
    assert page.sleep_fade.currentText() == "7 min, then fade out"  # a value outside the presets is kept
    labels = [page.ambience.itemText(i) for i in range(page.ambience.count())]
    assert labels == ["The routine's choice", "None", "Brown noise", "Ocean waves", "Soft rain"]


def test_keyboard_and_clicks_request_changes(qtbot: QtBot) -> None:
    """Arrow keys on a combo box or slider and a click on a check box each request one change."""
    page = make_page(qtbot)
    page.theme_choice.setFocus()
    with qtbot.waitSignal(page.change_requested) as signal:
        qtbot.keyClick(page.theme_choice, Qt.Key.Key_Down)
    assert signal.args == ["theme", "light"]

    with qtbot.waitSignal(page.change_requested) as signal:
        qtbot.keyClick(page.volumes["cue_volume"].slider, Qt.Key.Key_Right)
    assert signal.args == ["cue_volume", 75]
    assert page.volumes["cue_volume"].label.text() == "75%"

    with qtbot.waitSignal(page.change_requested) as signal:
        qtbot.mouseClick(
            page.reduced_motion, Qt.MouseButton.LeftButton, pos=page.reduced_motion.rect().center()
        )
    assert signal.args == ["reduced_motion", True]

    page.ambience.setFocus()
    with qtbot.waitSignal(page.change_requested) as signal:
        page.ambience.setCurrentIndex(page.ambience.findData("soft-rain"))
    assert signal.args == ["ambience", "soft-rain"]


def test_dragging_a_slider_saves_once_when_let_go(qtbot: QtBot) -> None:
    """While the handle is held only the figure moves; letting go requests the final value once."""
    page = make_page(qtbot)
    slider = page.volumes["ambience_volume"].slider
    with qtbot.assertNotEmitted(page.change_requested):
        slider.setSliderDown(True)
        for value in (55, 60, 65):
            slider.setValue(value)
    assert page.volumes["ambience_volume"].label.text() == "65%"
    with qtbot.waitSignal(page.change_requested) as signal:
        slider.setSliderDown(False)
    assert signal.args == ["ambience_volume", 65]


def test_turning_voice_or_streaks_off_disables_their_details(qtbot: QtBot) -> None:
    """Voice speed and rest days are greyed out while voice or streaks are off."""
    page = make_page(qtbot)
    with qtbot.waitSignal(page.change_requested) as signal:
        qtbot.mouseClick(page.voice, Qt.MouseButton.LeftButton, pos=page.voice.rect().center())
    assert signal.args == ["voice_enabled", False]
    assert not page.voice_rate.isEnabled()
    with qtbot.waitSignal(page.change_requested) as signal:
        qtbot.mouseClick(page.show_streaks, Qt.MouseButton.LeftButton, pos=page.show_streaks.rect().center())
    assert signal.args == ["show_streaks", False]
    assert not page.rest_days.isEnabled()
    with qtbot.waitSignal(page.change_requested) as signal:
        page.rest_days.setCurrentIndex(page.rest_days.findData(2))
    assert signal.args == ["streak_rest_days_per_week", 2]


def test_show_safety_notice_again(qtbot: QtBot) -> None:
    """The safety button asks for safety_notice_seen false and says when the notice will show."""
    page = make_page(qtbot, Settings(safety_notice_seen=True))
    assert "You have read it" in page.safety_note.text()
    with qtbot.waitSignal(page.change_requested) as signal:
        qtbot.mouseClick(page.safety_button, Qt.MouseButton.LeftButton)
    assert signal.args == ["safety_notice_seen", False]
    assert page.safety_note.text() == "It will be shown before your next session."


def test_every_request_is_a_valid_settings_change(qtbot: QtBot, tmp_path: Path) -> None:
    """Requests fed to the real SettingsStore are accepted and land in settings.yaml."""
    store = SettingsStore(tmp_path / "settings.yaml")
    page = make_page(qtbot, store.settings)
    page.change_requested.connect(lambda key, value: store.update(**{key: value}))
    page.theme_choice.setCurrentIndex(page.theme_choice.findData("dark"))
    page.text_size.setCurrentIndex(page.text_size.findData("extra_large"))
    page.sleep_fade.setCurrentIndex(page.sleep_fade.findData(20))
    page.ambience.setCurrentIndex(page.ambience.findData("none"))
    qtbot.keyClick(page.voice_rate.slider, Qt.Key.Key_Left)
    qtbot.mouseClick(page.muted, Qt.MouseButton.LeftButton, pos=page.muted.rect().center())
    qtbot.mouseClick(page.safety_button, Qt.MouseButton.LeftButton)
    again = SettingsStore(tmp_path / "settings.yaml")
    assert again.problems == []
    assert again.settings == Settings(
        theme="dark",
        text_size="extra_large",
        sleep_fade_minutes=20,
        ambience="none",
        voice_rate=130,  # one step down from the default 140
        muted=True,
    )


def test_every_control_is_named_and_big_enough(qtbot: QtBot) -> None:
    """Every control has an accessible name and is at least 32 px tall."""
    page = make_page(qtbot)
    controls = [
        page.theme_choice, page.text_size, page.reduced_motion, page.ambience, page.muted, page.cues,
        page.breathing_tones, page.voice, page.hide_time_left, page.sleep_fade, page.show_streaks,
        page.rest_days, page.safety_button, page.voice_rate.slider,
        *[slider.slider for slider in page.volumes.values()],
    ]  # fmt: skip
    for control in controls:
        assert control.accessibleName(), control
        assert control.height() >= theme.MIN_TARGET, control.accessibleName()
    headings = {label.text() for label in page.findChildren(QLabel) if label.property("role") == "heading"}
    assert headings == {"Appearance", "Sound", "Voice", "Session", "Progress", "Safety", "Breaks", "Bedtime"}
