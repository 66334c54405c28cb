"""The mini player on its own: what it shows of a session, hiding the time, and stepping aside when done."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from massage_guide.ui.mini_player import DONE_TEXT, WIDTH, MiniPlayerWindow
from massage_guide.ui.session_controller import SessionController
from tests.conftest import FakeClock
from tests.ui.pseudo_locale import clipped, pseudo_locale, shown_texts, untranslated
from tests.ui.test_session_controller import RecordingAudio, make_routine


def test_it_follows_a_session_and_honours_hide_time_left(qtbot: QtBot, tmp_path: Path) -> None:
    """Step title and countdown follow the session; with hide_time_left the countdown is not shown."""
    clock = FakeClock()
    session = SessionController(audio=RecordingAudio(), history=None, clock=clock)
    mini = MiniPlayerWindow()
    qtbot.addWidget(mini)
    routine = make_routine(tmp_path)
    session.session_started.connect(mini.show_routine)
    session.snapshot_changed.connect(mini.show_snapshot)
    mini.show()
    session.start(routine)
    clock.advance(5)
    session.refresh()
    assert mini.routine_label.text() == "Tiny neck"
    assert mini.step_label.text() == "Warm the neck"
    assert mini.countdown.text() == "0:15"
    mini.set_hide_time_left(True)
    assert not mini.countdown.isVisibleTo(mini)
    session.shutdown()


def test_done_lingers_then_hides(qtbot: QtBot) -> None:
    """At the end it says so, disables its controls, and hides by itself after a while."""
    mini = MiniPlayerWindow()
    qtbot.addWidget(mini)
    mini._linger.setInterval(20)
    mini.show()
    mini.show_done()
    assert mini.step_label.text() == DONE_TEXT
    assert not mini.pause_button.isEnabled()
    qtbot.waitUntil(lambda: not mini.isVisible(), timeout=2000)


def test_pseudo_locale_translates_every_text_and_cuts_none(qtbot: QtBot, tmp_path: Path) -> None:
    """Under the pseudo-locale every word of the small window is translated, running, paused and done, and
    the longer button words widen the window rather than being cut (the routine's words are data)."""
    clock = FakeClock()
    with pseudo_locale():
        session = SessionController(audio=RecordingAudio(), history=None, clock=clock)
        mini = MiniPlayerWindow()
        qtbot.addWidget(mini)
        session.session_started.connect(mini.show_routine)
        session.snapshot_changed.connect(mini.show_snapshot)
        mini.show()
        session.start(make_routine(tmp_path))
        clock.advance(5)
        session.refresh()
        mini.place()
        qtbot.waitExposed(mini)
        texts, problems = shown_texts(mini), clipped(mini)
        session.pause()
        texts += shown_texts(mini)
        problems += clipped(mini)
        assert mini.pause_button.text() == "⟦Resume~~⟧"
        mini.show_done()
        texts += shown_texts(mini)
        session.shutdown()
    assert untranslated(texts, {"Tiny", "neck", "Warm", "the"}) == [], texts
    assert problems == []
    assert mini.width() > WIDTH  # the pseudo-locale's longer buttons asked for more room, and got it
