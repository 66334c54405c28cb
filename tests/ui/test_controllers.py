"""The main window's controllers one at a time: navigation, settings with the night theme, the session's pages."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from massage_guide import paths as paths_module
from massage_guide.core import i18n
from massage_guide.core.library import Library, load_library
from massage_guide.core.settings import SettingsStore
from massage_guide.services.audio import SilentAudio
from massage_guide.ui import theme
from massage_guide.ui.detail_page import RoutineDetailPage
from massage_guide.ui.main_window import MainWindow
from massage_guide.ui.navigation_controller import NavigationController
from massage_guide.ui.player_page import PlayerPage
from massage_guide.ui.session_controller import SessionController
from massage_guide.ui.session_pages import SessionPagesController
from massage_guide.ui.settings_controller import NIGHT_MARGIN_MS, SettingsController, first_look
from tests.conftest import FakeClock

ROUTINE = "desk-break-3-minutes"
EVENING = datetime(2026, 3, 2, 21, 0, tzinfo=timezone(timedelta(hours=1)))


@pytest.fixture
def window(qtbot: QtBot) -> Iterator[MainWindow]:
    made = MainWindow()
    qtbot.addWidget(made)
    yield made
    qt = QApplication.instance()
    assert isinstance(qt, QApplication)
    theme.apply(qt, "system", "medium")
    i18n.activate("en")


@pytest.fixture
def library() -> Library:
    return load_library(paths_module.resolve())


def settings_store(mg_home: Path, text: str = "") -> SettingsStore:
    (mg_home / "settings.yaml").write_text(text, encoding="utf-8")
    return SettingsStore(mg_home / "settings.yaml")


def test_navigation_asks_for_a_start_and_goes_back(
    window: MainWindow, library: Library, mg_home: Path
) -> None:
    """Opening a routine shows its page and says so; Start is a request; back leads home, even for a lost one."""
    store = settings_store(mg_home)
    navigation = NavigationController(
        window=window,
        library=library,
        settings=lambda: store.settings,
        language="en",
        session_running=lambda: False,
        sound_missing=lambda: False,
    )
    shown: list[str] = []
    starts: list[tuple[str, bool, bool]] = []
    navigation.routine_shown.connect(lambda routine: shown.append(routine.id))
    navigation.start_requested.connect(lambda *args: starts.append(args))
    navigation.open_routine(ROUTINE)
    assert window.current_page_name() == "detail"
    assert shown == [ROUTINE]
    detail = window.page("detail")
    assert isinstance(detail, RoutineDetailPage)
    detail.start_requested.emit(ROUTINE, True, False)
    assert starts == [(ROUTINE, True, False)]
    navigation.back_to_routine("gone-since")
    assert window.current_page_name() == "library"
    navigation.open_routine("gone-since")  # nothing to show: stays where it is
    assert window.current_page_name() == "library"


def test_navigation_keeps_search_out_of_a_session(
    window: MainWindow, library: Library, mg_home: Path
) -> None:
    """Ctrl+F during a session leaves the player where it is."""
    store = settings_store(mg_home)
    running = [True]
    NavigationController(
        window=window,
        library=library,
        settings=lambda: store.settings,
        language="en",
        session_running=lambda: running[0],
        sound_missing=lambda: False,
    )
    assert window.current_page_name() == "welcome"
    window.search_requested.emit()
    assert window.current_page_name() == "welcome"
    running[0] = False
    window.search_requested.emit()
    assert window.current_page_name() == "library"


def test_a_setting_is_saved_applied_and_a_refused_one_is_told_in_the_users_language(
    qtbot: QtBot, window: MainWindow, library: Library, mg_home: Path
) -> None:
    """A change lands in settings.yaml and is announced; a refused value keeps the file and says why, in German."""
    store = settings_store(mg_home, "# mine\ncue_volume: 50\n")
    controller = SettingsController(window=window, settings_store=store, library=library, language="en")
    with qtbot.waitSignal(controller.settings_applied) as applied:
        controller.change_setting("cue_volume", 30)
    assert applied.args is not None and applied.args[0].cue_volume == 30
    assert "cue_volume: 30" in (mg_home / "settings.yaml").read_text(encoding="utf-8")
    before = (mg_home / "settings.yaml").read_text(encoding="utf-8")
    i18n.activate("de")
    with qtbot.assertNotEmitted(controller.settings_applied):
        controller.change_setting("text_size", "enormous")
    assert (mg_home / "settings.yaml").read_text(encoding="utf-8") == before
    status = window.status_label.text()
    assert status.startswith("Diese Einstellung ließ sich nicht speichern") and "text_size" in status
    assert "\n" not in status


def test_the_night_theme_follows_the_wall_clock_and_arms_for_the_next_change(
    window: MainWindow, library: Library, mg_home: Path
) -> None:
    """At 21:00 with night_from 21:30 the look is the person's own; at 21:30 the night theme comes on by itself."""
    now = [EVENING]
    store = settings_store(mg_home, "theme: light\nnight_from: '21:30'\n")
    qt = QApplication.instance()
    assert isinstance(qt, QApplication)
    first_look(qt, store.settings, now[0])
    controller = SettingsController(
        window=window, settings_store=store, library=library, language="en", wall=lambda: now[0]
    )
    assert theme.current().name == "light" and not controller.night_theme_on()
    # The timer is armed for 21:30 (and a margin), not polled.
    assert controller._night_timer.isActive()
    assert controller._night_timer.interval() == 30 * 60 * 1000 + NIGHT_MARGIN_MS
    now[0] = EVENING + timedelta(minutes=31)
    controller.update_night_theme()  # what the timer does
    assert theme.current().name == "night" and controller.night_theme_on()
    controller.change_setting("theme", "dark")  # the person's own choice waits for the morning
    assert theme.current().name == "night"
    now[0] = EVENING + timedelta(hours=11)
    controller.update_night_theme()
    assert theme.current().name == "dark"
    controller.shutdown()
    assert not controller._night_timer.isActive()


def test_not_now_on_the_before_step_goes_back_to_that_routine_with_nothing_recorded(
    qtbot: QtBot, window: MainWindow, library: Library, mg_home: Path, clock: FakeClock
) -> None:
    """Start with the "before" step, then Not now: no session begins and the routine's page is asked for."""
    store = settings_store(mg_home, "safety_notice_seen: true\n")
    made: list[SessionController] = []

    def factory() -> SessionController:
        made.append(SessionController(audio=SilentAudio(), history=None, clock=clock))
        return made[-1]

    sessions = SessionPagesController(
        window=window,
        library=library,
        settings=lambda: store.settings,
        session_factory=factory,
        language="en",
    )
    left: list[str] = []
    sessions.routine_left.connect(left.append)
    assert sessions.start_routine(ROUTINE, ask_tension=True)
    player = window.page("player")
    assert isinstance(player, PlayerPage) and player.showing_before()
    assert not sessions.session_running()
    player.before_back.click()
    assert left == [ROUTINE]
    assert not sessions.session_running()
    assert len(made) == 1  # one session controller, built on first use
    sessions.shutdown()


def test_a_declined_safety_notice_starts_nothing_and_saves_nothing(
    window: MainWindow, library: Library, mg_home: Path, clock: FakeClock
) -> None:
    """Declining the first-run notice leaves no session and no "seen" flag; accepting asks to save it once."""
    store = settings_store(mg_home)
    answers = [False, True]
    asked: list[str] = []

    def ask(text: str) -> bool:
        asked.append(text)
        return answers.pop(0)

    sessions = SessionPagesController(
        window=window,
        library=library,
        settings=lambda: store.settings,
        session_factory=lambda: SessionController(audio=SilentAudio(), history=None, clock=clock),
        language="en",
        ask_safety=ask,
    )
    changes: list[tuple[str, object]] = []
    sessions.change_requested.connect(lambda key, value: changes.append((key, value)))
    assert not sessions.start_routine(ROUTINE)
    assert not sessions.session_running() and changes == []
    assert sessions.start_routine(ROUTINE)
    assert sessions.session_running()
    assert changes == [("safety_notice_seen", True)]
    assert "medical advice" in asked[0]
    sessions.shutdown()
    assert not sessions.session_running()
