"""The session journey as a person walks it: the optional "before" rating, the stop question that pauses,
honest completion records, a completion page that keeps what was typed, and the no-sound notice."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import cast

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from massage_guide import paths as paths_module
from massage_guide.app import App, build
from massage_guide.core.engine import State
from massage_guide.services.audio import NO_DEVICE_MESSAGE, SilentAudio
from massage_guide.ui import theme
from massage_guide.ui.completion_page import CompletionPage
from massage_guide.ui.detail_page import RoutineDetailPage
from massage_guide.ui.player_page import PlayerPage
from tests.conftest import FakeClock

ROUTINE = "neck-tension-release"


class NoDeviceAudio(SilentAudio):
    """Silent, and says so the way the real service does when no sound device opens."""

    def problems(self) -> list[str]:
        return [NO_DEVICE_MESSAGE]


def make_app(qtbot: QtBot, mg_home: Path, clock: FakeClock, audio: SilentAudio) -> App:
    (mg_home / "settings.yaml").write_text("safety_notice_seen: true\n", encoding="utf-8")
    qt = QApplication.instance()
    assert isinstance(qt, QApplication)
    built = build(qt, paths=paths_module.resolve(), audio=audio, clock=clock)
    qtbot.addWidget(built.window)
    built.window.resize(1180, 780)
    built.window.show()
    qtbot.waitExposed(built.window)
    built.finish_start()
    qtbot.waitUntil(lambda: built.history is not None, timeout=5000)
    built.window.activateWindow()
    return built


@pytest.fixture
def app(qtbot: QtBot, mg_home: Path, clock: FakeClock) -> Iterator[App]:
    built = make_app(qtbot, mg_home, clock, SilentAudio())
    yield built
    if built.controller.session_running():
        built.session.stop()
    built.close()


def player(app: App) -> PlayerPage:
    return cast(PlayerPage, app.window.page("player"))


def start_from_detail(app: App, qtbot: QtBot) -> PlayerPage:
    app.controller.open_routine(ROUTINE)
    detail = cast(RoutineDetailPage, app.window.page("detail"))
    qtbot.mouseClick(detail.start_button, Qt.MouseButton.LeftButton)
    page = player(app)
    assert page.showing_before()
    return page


def test_before_rating_by_keyboard_is_saved_at_the_start(app: App, qtbot: QtBot) -> None:
    """Start shows the optional "before" step; 7 and Enter begin the session with 7 on record at once."""
    page = start_from_detail(app, qtbot)
    assert not app.controller.session_running()
    qtbot.waitUntil(page.before_rating.hasFocus)
    qtbot.keyClick(page.before_rating, Qt.Key.Key_7)
    qtbot.keyClick(page.before_rating, Qt.Key.Key_Return)
    assert app.controller.session_running()
    assert not page.showing_before()
    session = app.session.session()
    assert session is not None and session.session_id is not None and app.history is not None
    record = app.history.get(session.session_id)
    assert record is not None and record.tension_before == 7


def test_before_step_can_be_skipped_or_left(app: App, qtbot: QtBot) -> None:
    """Begin without a rating records none; "Not now" goes back to the routine without a session."""
    page = start_from_detail(app, qtbot)
    qtbot.mouseClick(page.before_back, Qt.MouseButton.LeftButton)
    assert app.window.current_page_name() == "detail"
    assert not app.controller.session_running()
    page = start_from_detail(app, qtbot)
    qtbot.mouseClick(page.begin_button, Qt.MouseButton.LeftButton)
    session = app.session.session()
    assert session is not None and session.session_id is not None and app.history is not None
    record = app.history.get(session.session_id)
    assert record is not None and record.tension_before is None


def test_stop_question_pauses_and_keep_going_resumes(app: App, qtbot: QtBot) -> None:
    """While "Stop this session?" is open the session is paused; Keep going counts back in (3-2-1)."""
    assert app.controller.start_routine(ROUTINE)
    page = player(app)
    qtbot.keyClick(page.controls()["pause"], Qt.Key.Key_Escape)
    box = page.stop_box()
    assert box is not None and box.isVisible()
    snapshot = app.session.snapshot()
    assert snapshot is not None and snapshot.state is State.PAUSED
    assert box.palette().color(box.backgroundRole()).name() == theme.current().window
    qtbot.mouseClick(box.keep_button, Qt.MouseButton.LeftButton)
    snapshot = app.session.snapshot()
    assert snapshot is not None and snapshot.state is State.LEAD_IN
    assert page.stop_box() is None


def test_skipping_to_the_end_says_what_was_done_and_records_stopped(
    app: App, qtbot: QtBot, clock: FakeClock
) -> None:
    """Skipping every step reaches the completion page with "0 of N steps", on record as stopped."""
    assert app.controller.start_routine(ROUTINE)
    total = len(app.library.routines[ROUTINE].steps)
    with qtbot.waitSignal(app.session.session_finished) as finished:
        for _ in range(total):
            clock.advance(1)
            app.session.next_step()
    summary = finished.args[0]
    assert summary.status == "stopped"
    completion = cast(CompletionPage, app.window.page("completion"))
    assert completion.steps_done() == f"0 of {total} steps"
    assert not completion.heading().startswith("Well done")
    assert app.history is not None
    record = app.history.get(summary.session_id)
    assert record is not None and (record.status, record.steps_completed) == ("stopped", 0)


def test_leaving_completion_by_the_sidebar_keeps_rating_and_note(app: App, qtbot: QtBot) -> None:
    """Typing a rating and a note, then clicking Progress in the sidebar, still saves both."""
    assert app.controller.start_routine(ROUTINE)
    with qtbot.waitSignal(app.session.session_stopped) as stopped:
        app.session.stop()
    completion = cast(CompletionPage, app.window.page("completion"))
    completion.after.set_value(3)
    qtbot.keyClicks(completion.note, "Felt lighter.")
    qtbot.mouseClick(app.window.nav_buttons["progress"], Qt.MouseButton.LeftButton)
    assert app.window.current_page_name() == "progress"
    assert app.history is not None
    record = app.history.get(stopped.args[0].session_id)
    assert record is not None and (record.tension_after, record.note) == (3, "Felt lighter.")


def test_closing_the_app_on_the_completion_page_keeps_the_note(app: App, qtbot: QtBot) -> None:
    """Closing the window with a note typed and Done not pressed keeps the note."""
    assert app.controller.start_routine(ROUTINE)
    with qtbot.waitSignal(app.session.session_stopped) as stopped:
        app.session.stop()
    completion = cast(CompletionPage, app.window.page("completion"))
    qtbot.keyClicks(completion.note, "Out of time.")
    app.window.close()
    assert app.history is not None
    record = app.history.get(stopped.args[0].session_id)
    assert record is not None and record.note == "Out of time."


def test_no_sound_device_is_said_on_the_detail_page_and_in_the_player(
    qtbot: QtBot, mg_home: Path, clock: FakeClock
) -> None:
    """Without a sound device the detail page says the session will be silent, and so does the player."""
    built = make_app(qtbot, mg_home, clock, NoDeviceAudio())
    try:
        built.audio.problems()  # the sound service is built (after the first paint, as in the app)
        built.controller.open_routine(ROUTINE)
        detail = cast(RoutineDetailPage, built.window.page("detail"))
        assert detail.sound_note.isVisible() and "No sound device" in detail.sound_note.text()
        assert built.controller.start_routine(ROUTINE)
        assert player(built)._sound_note.isVisible()
        built.session.stop()
    finally:
        built.close()


@pytest.mark.parametrize("name", ["light", "dark", "night"])
def test_primary_buttons_show_a_focus_ring(qtbot: QtBot, qapp: QApplication, name: str) -> None:
    """A focused primary button (Start, Done, Pause) wears a ring in the text colour; unfocused, none."""
    palette = theme.apply(qapp, name)
    try:
        button = QPushButton("Done")
        button.setProperty("role", "primary")
        other = QPushButton("Other")
        qtbot.addWidget(button)
        qtbot.addWidget(other)
        button.show()
        other.show()
        qtbot.waitExposed(button)
        button.activateWindow()
        button.setFocus()
        qtbot.waitUntil(button.hasFocus)
        edge = button.grab().toImage().pixelColor(button.width() // 2, 1).name()
        other.activateWindow()
        other.setFocus()
        qtbot.waitUntil(lambda: not button.hasFocus())
        plain = button.grab().toImage().pixelColor(button.width() // 2, 1).name()
        assert edge == palette.text
        assert plain != palette.text
    finally:
        theme.apply(qapp, "light")


def test_the_keyboard_lands_on_pause_in_every_session(app: App, qtbot: QtBot) -> None:
    """A second session (its controls were disabled when the first ended) puts the focus back on Pause."""
    for _ in range(2):
        assert app.controller.start_routine(ROUTINE)
        pause = player(app).controls()["pause"]
        qtbot.waitUntil(pause.hasFocus)
        with qtbot.waitSignal(app.session.session_stopped):
            app.session.stop()
