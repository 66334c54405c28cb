"""Hearing the voice before a session: the Settings page's "Preview voice" button, and the words a routine
will start with rendered while its page is read."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from massage_guide.core.library import load_library
from massage_guide.core.settings import Settings
from massage_guide.core.spoken import spoken_texts
from massage_guide.ui.session_controller import SessionController
from massage_guide.ui.settings_page import SettingsPage
from tests.ui.test_session_controller import RecordingAudio


class PrefetchingAudio(RecordingAudio):
    """RecordingAudio that also notes what it was asked to render ahead."""

    def prefetch_speech(self, texts: Any) -> None:
        self.calls.append(("prefetch", tuple(texts)))


def test_the_preview_button_asks_to_hear_the_voice(qtbot: QtBot) -> None:
    """Clicking "Preview voice" emits a request; with the voice turned off the button is disabled."""
    page = SettingsPage()
    qtbot.addWidget(page)
    page.show_settings(Settings(), ("soft-rain",))
    page.show()
    with qtbot.waitSignal(page.preview_voice_requested):
        qtbot.mouseClick(page.preview_voice, Qt.MouseButton.LeftButton)
    page.show_settings(Settings(voice_enabled=False), ("soft-rain",))
    assert not page.preview_voice.isEnabled()


def test_a_preview_speaks_with_the_users_voice_settings(qtbot: QtBot) -> None:
    """The preview reaches the audio service with the user's rate and engine, and never during a session."""
    audio = PrefetchingAudio()
    controller = SessionController(audio=audio, history=None)
    controller.configure(Settings(voice_rate=120, voice_engine="espeak"))
    controller.preview_voice("Let your shoulders drop.")
    assert ("speak", "Let your shoulders drop.") in audio.calls
    assert audio.settings[-1].voice_rate == 120
    assert audio.settings[-1].voice_engine == "espeak"
    routine = next(iter(load_library(use_cache=False).routines.values()))
    controller.start(routine)
    audio.calls.clear()
    controller.preview_voice("Not now.")
    assert ("speak", "Not now.") not in audio.calls
    controller.shutdown()


def test_a_routines_first_words_are_rendered_before_its_session(qtbot: QtBot) -> None:
    """Opening a routine renders the words its first two steps will say ahead of Start: the first with
    the safety line before it, exactly as the session speaks it."""
    audio = PrefetchingAudio()
    controller = SessionController(audio=audio, history=None)
    routine = next(iter(load_library(use_cache=False).routines.values()))
    controller.prepare_voice(routine)
    (prefetch,) = [call for call in audio.calls if call[0] == "prefetch"]
    assert prefetch[1] == tuple(spoken_texts(routine)[:2])
    assert prefetch[1][0].endswith(routine.steps[0].spoken_text("en"))
