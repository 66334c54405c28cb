"""Office breaks in the built app: prompts on a fake clock, the mini player, the tray, closing, bedtime."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from massage_guide import paths as paths_module
from massage_guide.app import App, build
from massage_guide.core.engine import State
from massage_guide.core.reminders import Presence
from massage_guide.ui import theme
from massage_guide.ui.break_prompt import BreakPromptWindow
from massage_guide.ui.reminders_settings import IN_TRAY, NEEDS_RUNNING
from massage_guide.ui.settings_page import SettingsPage
from tests.conftest import FakeClock
from tests.ui.test_session_controller import RecordingAudio

MONDAY_10 = datetime(2026, 3, 2, 10, 0, tzinfo=timezone(timedelta(hours=1)))
REMINDERS_ON = "reminders:\n  enabled: true\n  every_minutes: 50\nsafety_notice_seen: true\n"


@dataclass
class Desk:
    """The fake world around the app: clocks, what the desktop says, the sound it was asked to make."""

    clock: FakeClock = field(default_factory=FakeClock)
    now: datetime = MONDAY_10
    presence: Presence = field(default_factory=Presence)
    audio: RecordingAudio = field(default_factory=RecordingAudio)

    def wall(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.clock.advance(seconds)
        self.now += timedelta(seconds=seconds)


class FakeProbe:
    def __init__(self, desk: Desk) -> None:
        self.desk = desk

    def presence(self) -> Presence:
        return self.desk.presence


@pytest.fixture
def desk() -> Desk:
    return Desk()


BUILT: list[App] = []


@pytest.fixture
def qt() -> Iterator[QApplication]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    yield app
    while BUILT:  # no reminder timer of this test may fire in a later one
        built = BUILT.pop()
        built.controller.settings_controller.shutdown()
        if built.office is not None:
            built.office.shutdown()
    app.setQuitOnLastWindowClosed(True)
    for widget in app.topLevelWidgets():
        widget.hide()
    theme.apply(app, "system", "medium")


def make_app(
    qtbot: QtBot, qt: QApplication, desk: Desk, mg_home: Path, *, tray: bool, settings: str = REMINDERS_ON
) -> App:
    (mg_home / "settings.yaml").write_text(settings, encoding="utf-8")
    prompts: list[BreakPromptWindow] = []

    def prompt_factory() -> BreakPromptWindow:
        prompt = BreakPromptWindow()
        qtbot.addWidget(prompt)
        prompts.append(prompt)
        return prompt

    app = build(
        qt,
        paths=paths_module.resolve(),
        clock=desk.clock,
        audio=desk.audio,
        ask_safety=lambda _text: True,
        tray_available=tray,
        probe=FakeProbe(desk),
        wall=desk.wall,
        prompt_factory=prompt_factory,
    )
    qtbot.addWidget(app.window)
    BUILT.append(app)
    app.open_history()
    assert app.history is not None
    return app


def prompt_counts(app: App) -> dict[str, int]:
    assert app.history is not None
    # The history stamps prompts with the real date; the fake wall clock only drives the scheduler.
    return app.history.prompt_counts(date(2000, 1, 1), date(2100, 1, 1))


def due(app: App, desk: Desk) -> BreakPromptWindow:
    assert app.office is not None
    desk.advance(50 * 60)
    app.office.reminders.check_now()
    prompt = app.office.reminders.prompt
    assert prompt is not None and prompt.isVisible()
    return prompt


def test_a_due_break_prompts_and_start_opens_the_mini_player(
    qtbot: QtBot, qt: QApplication, desk: Desk, mg_home: Path
) -> None:
    """50 minutes into work the prompt appears; Start runs the desk break in the mini player, on record."""
    app = make_app(qtbot, qt, desk, mg_home, tray=False)
    assert app.office is not None
    app.window.show()
    desk.advance(49 * 60)
    app.office.reminders.check_now()
    assert app.office.reminders.prompt is None
    prompt = due(app, desk)
    assert "desk break, 3 min" in prompt.routine_label.text()
    qtbot.mouseClick(prompt.start_button, Qt.MouseButton.LeftButton)
    mini = app.office.mini
    assert mini is not None and mini.isVisible()
    assert not app.window.isVisible()
    assert app.controller.session_running()
    assert mini.windowFlags() & Qt.WindowType.WindowStaysOnTopHint
    assert mini.step_label.text()
    assert mini.countdown.text().count(":") == 1
    qtbot.mouseClick(mini.pause_button, Qt.MouseButton.LeftButton)
    snapshot = app.session.snapshot()
    assert snapshot is not None and snapshot.state is State.PAUSED
    assert mini.pause_button.text() == "Resume"
    qtbot.mouseClick(mini.stop_button, Qt.MouseButton.LeftButton)
    assert not app.controller.session_running()
    assert not mini.isVisible()
    assert app.window.isVisible()
    counts = prompt_counts(app)
    assert (counts["shown"], counts["started"]) == (1, 1)
    # The break restarted the interval: nothing is due 49 minutes later.
    desk.advance(49 * 60)
    app.office.reminders.check_now()
    assert not prompt.isVisible()


def test_snooze_skip_and_missed_are_recorded(
    qtbot: QtBot, qt: QApplication, desk: Desk, mg_home: Path
) -> None:
    """Every answer to a prompt lands in the history, and snooze brings it back in ten minutes."""
    app = make_app(qtbot, qt, desk, mg_home, tray=False)
    assert app.office is not None
    prompt = due(app, desk)
    qtbot.mouseClick(prompt.snooze_button, Qt.MouseButton.LeftButton)
    desk.advance(10 * 60)
    app.office.reminders.check_now()
    assert prompt.isVisible()
    qtbot.mouseClick(prompt.skip_button, Qt.MouseButton.LeftButton)
    prompt = due(app, desk)
    prompt._miss()  # what the two-minute timer does
    assert not prompt.isVisible()
    assert prompt_counts(app) == {"shown": 3, "started": 0, "snoozed": 1, "skipped": 1, "missed": 1}


def test_quiet_in_full_screen_and_during_a_session(
    qtbot: QtBot, qt: QApplication, desk: Desk, mg_home: Path
) -> None:
    """A full-screen window or a running session holds the prompt back."""
    app = make_app(qtbot, qt, desk, mg_home, tray=False)
    assert app.office is not None
    desk.presence = Presence(fullscreen=True)
    desk.advance(50 * 60)
    app.office.reminders.check_now()
    assert app.office.reminders.prompt is None
    assert app.controller.start_routine("desk-break-3-minutes")
    desk.presence = Presence()
    desk.advance(60)
    app.office.reminders.check_now()
    assert app.office.reminders.prompt is None
    assert prompt_counts(app)["shown"] == 0


def test_tray_menu_tooltip_and_pause(qtbot: QtBot, qt: QApplication, desk: Desk, mg_home: Path) -> None:
    """The tray offers the issue's menu and its tooltip gives the time to the next break."""
    app = make_app(qtbot, qt, desk, mg_home, tray=True)
    assert app.office is not None
    tray = app.office.tray
    assert tray is not None
    texts = [a.text() for a in tray.menu.actions() if not a.isSeparator() and a.isVisible()]
    assert texts == ["Start a quick break", "Start wind-down", "Pause reminders", "Open", "Quit"]
    assert [a.text() for a in tray.pause_menu.actions()] == ["For 1 hour", "Until tomorrow", "Resume"]
    assert "Next break in 50 min" in tray.tooltip()
    desk.advance(20 * 60)
    app.office.reminders.check_now()
    assert "Next break in 30 min" in tray.tooltip()
    tray.actions["pause_hour"].trigger()
    assert "paused until 11:20" in tray.tooltip()
    assert tray.actions["resume"].isEnabled()
    tray.actions["resume"].trigger()
    assert "Next break in 50 min" in tray.tooltip()
    tray.actions["pause_tomorrow"].trigger()
    assert "paused until tomorrow at 09:00" in tray.tooltip()


def test_closing_with_a_tray_keeps_running_and_notes_it_once(
    qtbot: QtBot, qt: QApplication, desk: Desk, mg_home: Path
) -> None:
    """With reminders on and a tray, closing the window keeps the app, says so once, and lets pages go."""
    app = make_app(qtbot, qt, desk, mg_home, tray=True)
    assert app.office is not None
    assert not qt.quitOnLastWindowClosed()
    app.window.show()
    app.finish_start()
    assert app.window.has_page("library")
    app.window.close()
    qtbot.waitUntil(lambda: not app.window.has_page("library"))
    assert app.window.windowHandle() is None  # the native window and its backing store are let go too
    assert app.read_state().get("tray_note_shown") is True
    app.office.open_window()
    assert app.window.isVisible() and app.window.windowHandle() is not None
    assert app.window.current_page_name() == "library"


def test_a_second_launch_reopens_the_tray_app_on_its_routines(
    qtbot: QtBot, qt: QApplication, desk: Desk, mg_home: Path
) -> None:
    """A second launch while the app sits in the tray shows the routines, not the waiting page."""
    app = make_app(qtbot, qt, desk, mg_home, tray=True)
    assert app.office is not None
    app.window.show()
    app.finish_start()
    app.window.close()
    qtbot.waitUntil(lambda: not app.window.has_page("library"))
    assert app.window.current_page_name() == "welcome"
    app.office.handle_message({})
    assert app.window.isVisible()
    assert app.window.current_page_name() == "library"
    assert app.controller.library_page.visible_routine_ids()


def test_without_a_tray_closing_quits_and_settings_say_so(
    qtbot: QtBot, qt: QApplication, desk: Desk, mg_home: Path
) -> None:
    """No tray: the last window closing quits, and Settings explains reminders need the app running."""
    app = make_app(qtbot, qt, desk, mg_home, tray=False)
    assert qt.quitOnLastWindowClosed()
    app.window.show()
    page = app.window.show_page("settings")
    assert isinstance(page, SettingsPage)
    assert page.reminders_group.note.text() == NEEDS_RUNNING
    assert page.reminders_group.enabled.isChecked()
    assert page.reminders_group.routine.currentData() == "desk-break-3-minutes"
    with_tray = make_app(qtbot, qt, desk, mg_home, tray=True)
    tray_page = with_tray.window.show_page("settings")
    assert isinstance(tray_page, SettingsPage)
    assert tray_page.reminders_group.note.text() == IN_TRAY


def test_settings_page_edits_the_reminders_group(
    qtbot: QtBot, qt: QApplication, desk: Desk, mg_home: Path
) -> None:
    """Changing the interval on the page saves the group and the scheduler follows it."""
    app = make_app(qtbot, qt, desk, mg_home, tray=False)
    assert app.office is not None
    page = app.window.show_page("settings")
    assert isinstance(page, SettingsPage)
    group = page.reminders_group
    group.every.setCurrentIndex(group.every.findData(30))
    group.days["sat"].setChecked(True)
    text = (mg_home / "settings.yaml").read_text(encoding="utf-8")
    assert "every_minutes: 30" in text
    assert "weekdays: [mon, tue, wed, thu, fri, sat]" in text
    assert app.office.reminders.scheduler.settings.every_minutes == 30
    assert app.office.reminders.status_text() == "Next break in 30 min"


def test_night_theme_comes_on_from_night_from(
    qtbot: QtBot, qt: QApplication, desk: Desk, mg_home: Path
) -> None:
    """With night_from "21:30", the app is in the night theme at 22:00 and back to its own in the morning."""
    desk.now = datetime(2026, 3, 2, 22, 0, tzinfo=MONDAY_10.tzinfo)
    app = make_app(qtbot, qt, desk, mg_home, tray=False, settings="theme: light\nnight_from: '21:30'\n")
    assert app.office is not None
    assert theme.current().name == "night"
    desk.now = datetime(2026, 3, 3, 7, 0, tzinfo=MONDAY_10.tzinfo)
    app.controller.settings_controller.update_night_theme()
    assert theme.current().name == "light"


def test_sleep_timer_can_be_stopped_from_the_completion_page_and_tray(
    qtbot: QtBot, qt: QApplication, desk: Desk, mg_home: Path
) -> None:
    """After a routine with the sleep timer on, "Stop the sound now" ends the fading ambience."""
    app = make_app(qtbot, qt, desk, mg_home, tray=True, settings=REMINDERS_ON + "sleep_fade_minutes: 10\n")
    assert app.office is not None and app.office.tray is not None
    assert app.controller.start_routine("desk-break-3-minutes")
    with qtbot.waitSignal(app.session.session_finished):
        for _ in range(40):
            desk.advance(10)
            app.session.refresh()
    assert app.window.current_page_name() == "completion"
    from massage_guide.ui.completion_page import CompletionPage

    completion = app.window.page("completion")
    assert isinstance(completion, CompletionPage)
    assert completion.stop_sound.isVisibleTo(completion)
    assert app.office.tray.actions["cancel_sleep"].isVisible()
    assert ("fade", 0.0, 600.0) in desk.audio.calls
    qtbot.mouseClick(completion.stop_sound, Qt.MouseButton.LeftButton)
    assert desk.audio.calls[-1] == ("stop", 2.0)
    assert not completion.stop_sound.isVisibleTo(completion)
    assert not app.office.tray.actions["cancel_sleep"].isVisible()
    assert not app.session.sleep_timer_running()


def test_a_session_lets_go_of_the_library_and_finds_it_again_after(
    qtbot: QtBot, qt: QApplication, desk: Desk, mg_home: Path
) -> None:
    """While a session runs the library page is let go (memory); afterwards it comes back with its routines."""
    app = make_app(qtbot, qt, desk, mg_home, tray=False)
    app.window.show()
    app.finish_start()
    assert app.window.has_page("library")
    assert app.controller.start_routine("desk-break-3-minutes")
    assert not app.window.has_page("library")
    assert app.window.has_page("player")
    with qtbot.waitSignal(app.session.session_finished):
        for _ in range(40):
            desk.advance(10)
            app.session.refresh()
    assert app.window.current_page_name() == "completion"
    app.window.show_page("library")
    assert "desk-break-3-minutes" in app.controller.library_page.visible_routine_ids()


def test_start_at_login_writes_and_removes_the_autostart_file(
    qtbot: QtBot, qt: QApplication, desk: Desk, mg_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The setting writes $XDG_CONFIG_HOME/autostart/massage-guide.desktop starting in the tray, and removes it."""
    config = mg_home / "xdg-config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    app = make_app(qtbot, qt, desk, mg_home, tray=True)
    autostart = config / "autostart" / "massage-guide.desktop"
    app.controller.change_setting("start_at_login", True)
    assert "--background" in autostart.read_text(encoding="utf-8")
    app.controller.change_setting("start_at_login", False)
    assert not autostart.exists()


def test_the_players_mini_button_moves_the_session_to_the_mini_player(
    qtbot: QtBot, qt: QApplication, desk: Desk, mg_home: Path
) -> None:
    """The mini button in the full player goes on in the small window; Expand comes back."""
    app = make_app(qtbot, qt, desk, mg_home, tray=False)
    assert app.office is not None
    app.window.show()
    assert app.controller.start_routine("desk-break-3-minutes")
    from massage_guide.ui.player_page import PlayerPage

    player = app.window.page("player")
    assert isinstance(player, PlayerPage)
    qtbot.mouseClick(player.mini_button, Qt.MouseButton.LeftButton)
    mini = app.office.mini
    assert mini is not None and mini.isVisible() and not app.window.isVisible()
    qtbot.mouseClick(mini.next_button, Qt.MouseButton.LeftButton)
    snapshot = app.session.snapshot()
    assert snapshot is not None and snapshot.index == 1
    qtbot.mouseClick(mini.expand_button, Qt.MouseButton.LeftButton)
    assert app.window.isVisible() and not mini.isVisible()
    assert app.window.current_page_name() == "player"
    app.controller.shutdown()


class FakeQt:
    """Stands in for the QApplication where a test must not end the real event loop."""

    def __init__(self) -> None:
        self.quits = 0
        self.quit_on_last = True
        self.windows_closed = False

    def quit(self) -> None:
        self.quits += 1

    def closeAllWindows(self) -> None:
        self.windows_closed = True

    def setQuitOnLastWindowClosed(self, value: bool) -> None:
        self.quit_on_last = value


def test_tray_wind_down_opens_the_full_player_and_quit_records_the_stop(
    qtbot: QtBot, qt: QApplication, desk: Desk, mg_home: Path
) -> None:
    """Start wind-down opens the window on the player; Quit stops the session on record and ends the app."""
    app = make_app(qtbot, qt, desk, mg_home, tray=True)
    assert app.office is not None and app.office.tray is not None
    app.office.tray.actions["wind_down"].trigger()
    assert app.window.isVisible()
    assert app.window.current_page_name() == "player"
    current = app.session.session()
    assert current is not None and current.routine.id == "sleep-wind-down"
    fake = FakeQt()
    assert app.quit_policy is not None
    app.quit_policy.qt = fake  # type: ignore[assignment]
    app.office.tray.actions["quit"].trigger()
    assert fake.quits and fake.windows_closed
    assert not app.controller.session_running()
    assert app.history is not None
    assert [(r.routine_id, r.status) for r in app.history.list_sessions()] == [("sleep-wind-down", "stopped")]


def test_background_start_shows_no_window_with_a_tray_and_a_minimised_one_without(
    qtbot: QtBot, qt: QApplication, desk: Desk, mg_home: Path
) -> None:
    """--background: the tray alone where there is one; otherwise a minimised window, so the app can be found."""
    app = make_app(qtbot, qt, desk, mg_home, tray=True)
    assert app.office is not None
    app.office.background = True
    app.start_background()
    assert not app.window.isVisible()
    assert app.office.tray is not None and app.office.tray.is_visible()
    no_tray = make_app(qtbot, qt, desk, mg_home, tray=False)
    assert no_tray.office is not None
    no_tray.start_background()
    assert no_tray.window.isVisible() and no_tray.window.isMinimized()


def test_quit_from_the_tray_during_a_mini_break_records_the_stop(
    qtbot: QtBot, qt: QApplication, desk: Desk, mg_home: Path
) -> None:
    """With the main window hidden behind the mini player, Quit still ends the break on record."""
    app = make_app(qtbot, qt, desk, mg_home, tray=True)
    assert app.office is not None and app.office.tray is not None
    app.office.tray.actions["quick_break"].trigger()
    assert app.office.mini is not None and app.office.mini.isVisible()
    assert not app.window.isVisible()
    fake = FakeQt()
    assert app.quit_policy is not None
    app.quit_policy.qt = fake  # type: ignore[assignment]
    app.office.tray.actions["quit"].trigger()
    assert fake.quits
    assert app.history is not None
    assert [(r.routine_id, r.status) for r in app.history.list_sessions()] == [
        ("desk-break-3-minutes", "stopped")
    ]


def test_a_prompt_left_up_through_a_sleep_goes_away_on_waking(
    qtbot: QtBot, qt: QApplication, desk: Desk, mg_home: Path
) -> None:
    """Waking from a long sleep with a prompt still up withdraws it (missed) and brings no new one."""
    app = make_app(qtbot, qt, desk, mg_home, tray=False)
    assert app.office is not None
    prompt = due(app, desk)
    desk.now += timedelta(minutes=40)  # asleep: only the wall clock moves
    app.office.reminders.check_now()
    assert not prompt.isVisible()
    assert prompt_counts(app)["missed"] == 1
    assert prompt_counts(app)["shown"] == 1


def test_night_theme_is_not_redone_for_every_setting(
    qtbot: QtBot, qt: QApplication, desk: Desk, mg_home: Path
) -> None:
    """At night, changing a volume keeps the pages; changing the theme keeps the night look."""
    desk.now = datetime(2026, 3, 2, 22, 0, tzinfo=MONDAY_10.tzinfo)
    app = make_app(qtbot, qt, desk, mg_home, tray=False, settings="theme: light\nnight_from: '21:30'\n")
    app.window.show()
    library = app.window.show_page("library")
    app.window.show_page("progress")
    app.controller.change_setting("cue_volume", 40)
    assert app.window.page("library") is library
    app.controller.change_setting("theme", "dark")
    assert theme.current().name == "night"


def test_after_a_mini_break_the_window_comes_back_or_the_app_ends(
    qtbot: QtBot, qt: QApplication, desk: Desk, mg_home: Path
) -> None:
    """A window hidden for the break returns at its end; with no window and no tray, the app ends after."""
    app = make_app(qtbot, qt, desk, mg_home, tray=False)
    assert app.office is not None
    fake = FakeQt()
    assert app.quit_policy is not None
    app.quit_policy.qt = fake  # type: ignore[assignment]
    app.window.show()
    assert app.office.start_break("desk-break-3-minutes", mini=True)
    assert not app.window.isVisible()
    with qtbot.waitSignal(app.session.session_finished):
        for _ in range(40):
            desk.advance(10)
            app.session.refresh()
    assert app.window.isVisible()
    mini = app.office.mini
    assert mini is not None and mini.isVisible()
    mini.close()
    assert fake.quits == 0  # the window is there: nothing ends
    app.window.hide()
    assert app.office.start_break("desk-break-3-minutes", mini=True)
    mini.close()  # closing the small window mid-break stops it; nothing is left on screen
    assert fake.quits
    assert app.history is not None
    assert sorted(r.status for r in app.history.list_sessions()) == ["completed", "stopped"]


def test_a_break_routine_missing_from_the_library_is_explained(
    qtbot: QtBot, qt: QApplication, desk: Desk, mg_home: Path
) -> None:
    """No prompt that could not start anything; the window says which routine is missing and what to do."""
    settings = "reminders:\n  enabled: true\n  routine: gone-routine\n"
    app = make_app(qtbot, qt, desk, mg_home, tray=False, settings=settings)
    assert app.office is not None
    desk.advance(50 * 60)
    app.office.reminders.check_now()
    assert app.office.reminders.prompt is None
    status = app.window.status_label.text()
    assert "gone-routine" in status and "Settings, Breaks" in status


def test_reminders_off_means_no_timer_and_no_tray(
    qtbot: QtBot, qt: QApplication, desk: Desk, mg_home: Path
) -> None:
    """Off (the default), reminders arm no timer and show no tray icon; on, they look once a minute at most."""
    off = make_app(qtbot, qt, desk, mg_home, tray=True, settings="safety_notice_seen: true\n")
    assert off.office is not None
    assert off.office.reminders.timer_interval_ms() is None
    assert off.office.tray is None
    assert qt.quitOnLastWindowClosed()
    on = make_app(qtbot, qt, desk, mg_home, tray=True)
    assert on.office is not None
    interval = on.office.reminders.timer_interval_ms()
    assert interval is not None and interval <= 60_000
    on.controller.change_setting("reminders", replace(on.controller.settings.reminders, enabled=False))
    assert on.office.reminders.timer_interval_ms() is None
    assert on.office.tray is not None and not on.office.tray.is_visible()
