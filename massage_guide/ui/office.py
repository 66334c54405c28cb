"""Office breaks wired together: reminders, the tray, the mini player, the quit policy and the night theme.

Built by app.py. It listens to the app controller and the session controller and asks them for things;
it never drives the engine itself."""

from __future__ import annotations

import contextlib
import gc
import logging
import sys
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final, cast

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QPixmapCache
from PySide6.QtWidgets import QApplication

from massage_guide import desktop
from massage_guide.core import bedtime
from massage_guide.core.reminders import Presence, PresenceProbe
from massage_guide.core.settings import Settings
from massage_guide.ui import theme
from massage_guide.ui.reminder_controller import ReminderController, local_now

if TYPE_CHECKING:
    from massage_guide.core.engine import Snapshot
    from massage_guide.core.model import Routine
    from massage_guide.ui.app_controller import AppController
    from massage_guide.ui.break_prompt import BreakPromptWindow
    from massage_guide.ui.mini_player import MiniPlayerWindow
    from massage_guide.ui.session_controller import SessionController
    from massage_guide.ui.tray import TrayController

log = logging.getLogger(__name__)

WIND_DOWN_ROUTINE: Final = "sleep-wind-down"
# Pages kept when the window goes to the tray: the welcome stand-in (tiny) and the player, which the session
# controller holds on to. The rest are rebuilt when next shown.
KEPT_PAGES: Final = frozenset({"welcome", "player"})
RELEASE_DELAY_MS: Final = 500  # after deleteLater has run and Python has dropped its wrappers


def release_memory() -> None:
    """Give freed heap pages back to the system (glibc keeps them otherwise); elsewhere nothing to do."""
    import ctypes
    import ctypes.util

    gc.collect()
    name = ctypes.util.find_library("c")
    if not name or not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(name).malloc_trim(0)


class _LazyPresence:
    """Builds the desktop probe on first use, so an app with reminders off never opens X or D-Bus."""

    def __init__(self, platform: str) -> None:
        self._platform = platform
        self._probe: PresenceProbe | None = None

    def presence(self) -> Presence:
        if self._probe is None:
            from massage_guide.ui.presence import DesktopPresence

            self._probe = DesktopPresence(self._platform)
        return self._probe.presence()


class OfficeBreaks(QObject):
    """Reminders, the tray icon, the mini player, closing to the tray, and the night theme by the clock."""

    def __init__(
        self,
        *,
        qt: QApplication,
        controller: AppController,
        clock: Callable[[], float],
        background: bool = False,
        tray_available: bool | None = None,
        probe: PresenceProbe | None = None,
        wall: Callable[[], datetime] = local_now,
        prompt_factory: Callable[[], BreakPromptWindow] | None = None,
        tray_note_seen: Callable[[], bool] = lambda: False,
        mark_tray_note_seen: Callable[[], None] = lambda: None,
        env: dict[str, str] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        from massage_guide.ui.tray import TrayController

        self.qt = qt
        self.controller = controller
        self.window = controller.window
        self.background = background
        self._wall = wall
        self._env = env
        self._tray_note_seen = tray_note_seen
        self._mark_tray_note_seen = mark_tray_note_seen
        self.tray_available = TrayController.available() if tray_available is None else tray_available
        controller.tray_available = self.tray_available
        settings = controller.settings
        self.reminders = ReminderController(
            settings.reminders,
            library=controller.library,
            monotonic=clock,
            wall=wall,
            probe=probe if probe is not None else _LazyPresence(qt.platformName()),
            prompt_factory=prompt_factory,
            parent=self,
        )
        self.reminders.start_requested.connect(self._break_from_prompt)
        self.reminders.problem.connect(self.window.set_status)
        self.tray: TrayController | None = None
        self.mini: MiniPlayerWindow | None = None
        self._mini_active = False
        self._hid_window_for_mini = False
        self._quitting = False
        self._night_on: bool | None = None
        self._look: tuple[str, str, str | None] | None = None
        self._night_timer = QTimer(self)
        self._night_timer.setSingleShot(True)
        self._night_timer.setTimerType(Qt.TimerType.VeryCoarseTimer)
        self._night_timer.timeout.connect(self.update_night_theme)
        self._sleep_timer = QTimer(self)
        self._sleep_timer.setSingleShot(True)
        self._sleep_timer.timeout.connect(lambda: self._sleep_timer_changed(False))

        controller.settings_applied.connect(self.apply_settings)
        controller.session_created.connect(self._session_created)
        controller.mini_requested.connect(self.switch_to_mini)
        self.window.close_requested.connect(self._window_closing)
        self.apply_settings(settings, first=True)

    # -- settings --------------------------------------------------------------------------------------

    def apply_settings(self, settings: Settings, first: bool = False) -> None:
        self.reminders.configure(settings.reminders)
        self._update_tray(settings)
        self.qt.setQuitOnLastWindowClosed(not self.keeps_running())
        if not first:
            self._sync_autostart(settings)
        # The look is redone only when what decides it changed (the controller has just applied the user's
        # own theme then); a volume or a favourite leaves the pages alone.
        look = (settings.theme, settings.text_size, settings.night_from)
        changed, self._look = look != self._look, look
        self.update_night_theme(force=changed and not first)

    def _sync_autostart(self, settings: Settings) -> None:
        autostart = desktop.autostart_file(self._env)
        if settings.start_at_login == autostart.exists():
            return
        try:
            desktop.set_start_at_login(settings.start_at_login, self._env)
        except OSError as exc:
            self.window.set_status(f"Start at login could not be set ({exc.strerror}).")

    def keeps_running(self) -> bool:
        """Closing the window keeps the app in the tray: reminders on (or started in the background)."""
        return self.tray is not None and self.tray.is_visible()

    def _update_tray(self, settings: Settings) -> None:
        wanted = self.tray_available and (settings.reminders.enabled or self.background)
        if wanted and self.tray is None:
            self.tray = self._make_tray()
        if self.tray is not None:
            if wanted:
                self.tray.show()
            else:
                self.tray.hide()

    def _make_tray(self) -> TrayController:
        from massage_guide.ui.tray import TrayController

        tray = TrayController(self)
        tray.quick_break_requested.connect(
            lambda: self.start_break(self.controller.settings.reminders.routine, mini=None)
        )
        tray.wind_down_requested.connect(lambda: self.start_break(WIND_DOWN_ROUTINE, mini=False))
        tray.pause_hour_requested.connect(self.reminders.pause_for_hour)
        tray.pause_tomorrow_requested.connect(self.reminders.pause_until_tomorrow)
        tray.resume_requested.connect(self.reminders.resume)
        tray.cancel_sleep_timer_requested.connect(self._cancel_sleep_timer)
        tray.open_requested.connect(self.open_window)
        tray.quit_requested.connect(self.quit)
        self.reminders.status_changed.connect(self._status_changed)
        tray.set_status(self.reminders.status_text())
        return tray

    def _status_changed(self, line: str) -> None:
        if self.tray is not None:
            self.tray.set_status(line)
            self.tray.set_paused(self.reminders.scheduler.is_paused())

    # -- the window ------------------------------------------------------------------------------------

    def open_window(self) -> None:
        self.controller.handle_instance_message({})
        if self.window.current_page_name() == "welcome":
            self.window.show_page("library")

    def quit(self) -> None:
        """Quit from the tray: closing the window stops (and records) a live session and saves its place."""
        self._quitting = True
        if self.mini is not None:
            self.mini.hide()
        if self.reminders.prompt is not None:
            self.reminders.prompt.withdraw()
        self.window.close()
        # Other windows (the routine editor) close as when the app is told to quit: they keep their drafts.
        self.qt.closeAllWindows()
        self.qt.quit()

    def shutdown(self) -> None:
        """The app is ending: timers stopped, the prompt and the small player gone, the tray icon removed."""
        self._quitting = True
        self.reminders.shutdown()
        self._night_timer.stop()
        self._sleep_timer.stop()
        if self.mini is not None:
            self.mini.hide()
        if self.tray is not None:
            self.tray.hide()

    def handle_message(self, message: dict[str, Any]) -> None:
        """A later launch: ``--start ID --mini`` opens the mini player, ``--background`` changes nothing."""
        start = message.get("start")
        if isinstance(start, str) and start and message.get("mini"):
            QTimer.singleShot(0, self, lambda: self.start_break(start, mini=True))
        elif not message.get("background"):
            self.controller.handle_instance_message(message)

    def _window_closing(self) -> None:
        if self._quitting or not self.keeps_running():
            return
        if not self._tray_note_seen() and self.tray is not None:
            self.tray.note_closed_to_tray()
            self._mark_tray_note_seen()
        # Let go of the pages while the window is away: they are rebuilt when next shown.
        QTimer.singleShot(0, self, self.release_pages)

    def release_pages(self) -> None:
        if self.window.isVisible():
            return
        if self.window.current_page_name() not in KEPT_PAGES:
            self.window.show_page("welcome")
        self.window.discard_pages(keep=KEPT_PAGES)
        QPixmapCache.clear()
        # The hidden window's native window and backing store go too (~3.5 MiB measured under X11): show()
        # makes them anew. Part of staying under 90 MiB in the tray (bench/background.py).
        self.window.destroy()
        # The pages are deleted on the next turn of the event loop; hand the freed heap back after that.
        QTimer.singleShot(RELEASE_DELAY_MS, self, release_memory)

    def start_in_background(self) -> None:
        """``--background``: the tray only; without a tray, a minimised window so the app can be found."""
        if self.tray is None:
            self.window.showMinimized()

    # -- breaks and the mini player --------------------------------------------------------------------

    def _break_from_prompt(self, routine_id: str) -> None:
        self.start_break(routine_id, mini=None)

    def start_break(self, routine_id: str, *, mini: bool | None) -> bool:
        """Start a routine; in the mini player when ``mini`` (None: as the setting says)."""
        use_mini = self.controller.settings.mini_player_for_breaks if mini is None else mini
        if self.controller.session_running():
            # One session at a time: show the one already running, where it is running.
            if self._mini_active:
                self._show_mini()
            else:
                self.open_window()
                self.window.show_page("player")
            return False
        self._mini_active = use_mini
        started = self.controller.start_routine(routine_id)
        if not started:
            self._mini_active = False
            return False
        if use_mini:
            self._show_mini()
        else:
            self.open_window()
            self.window.show_page("player")
        return True

    def switch_to_mini(self) -> None:
        """The player's mini button: go on in the small window."""
        if not self.controller.session_running():
            return
        self._mini_active = True
        self._show_mini()

    def _show_mini(self) -> None:
        mini = self._mini_window()
        mini.set_hide_time_left(self.controller.settings.hide_time_left)
        session = self.controller.session
        current = session.session()
        if current is not None:
            mini.show_routine(current.routine, self.controller.language)
            snapshot = session.snapshot()
            if snapshot is not None:
                mini.show_snapshot(snapshot)
        if self.window.isVisible():
            self._hid_window_for_mini = True
            self.window.hide()
        mini.show()
        mini.place()

    def _mini_window(self) -> MiniPlayerWindow:
        if self.mini is None:
            from massage_guide.ui.mini_player import MiniPlayerWindow

            mini = MiniPlayerWindow()
            session = self.controller.session
            mini.pause_requested.connect(session.pause)
            mini.resume_requested.connect(session.resume)
            mini.next_requested.connect(session.next_step)
            mini.stop_requested.connect(session.stop)
            mini.expand_requested.connect(self.expand)
            mini.dismissed.connect(self._mini_dismissed)
            self.mini = mini
        return self.mini

    def expand(self) -> None:
        """From the mini player to the full window, on the player (or the completion page when done)."""
        self._mini_active = False
        self._hid_window_for_mini = False
        if self.mini is not None:
            self.mini.hide()
        self.controller.handle_instance_message({})
        if self.controller.session_running():
            self.window.show_page("player")

    def _session_created(self, session: SessionController) -> None:
        session.session_started.connect(self._session_started)
        session.snapshot_changed.connect(self._snapshot)
        session.session_finished.connect(self._session_ended)
        session.session_stopped.connect(self._session_stopped)
        session.sleep_timer_changed.connect(self._sleep_timer_changed)

    def _session_started(self, routine: Routine) -> None:
        self.reminders.session_started()
        if self._mini_active and self.mini is not None:
            self.mini.show_routine(routine, self.controller.language)

    def _snapshot(self, snapshot: Snapshot) -> None:
        if self._mini_active and self.mini is not None and self.mini.isVisible():
            self.mini.show_snapshot(snapshot)

    def _session_ended(self, _summary: Any) -> None:
        self.reminders.session_ended()
        if self._mini_active and self.mini is not None:
            self.mini.show_done()
            if self._hid_window_for_mini:
                self.window.show()  # it was open before the break moved to the small window
        self._mini_active = False
        self._hid_window_for_mini = False

    def _mini_dismissed(self) -> None:
        """The small window went away. With no window left and no tray to live in, the app ends rather than
        linger unseen (``--start ID --mini`` from a desktop without a tray)."""
        if self._quitting or self.controller.session_running():
            return
        if not self.window.isVisible() and not self.keeps_running():
            self.quit()

    def _session_stopped(self, summary: Any) -> None:
        self.reminders.session_ended()
        if self._mini_active and self.mini is not None:
            self.mini.hide()
            if self._hid_window_for_mini:
                self.window.show()
        self._mini_active = False
        self._hid_window_for_mini = False
        del summary

    # -- the sleep timer -------------------------------------------------------------------------------

    def _sleep_timer_changed(self, running: bool) -> None:
        if self.tray is not None:
            self.tray.set_sleep_timer(running)
        if running:
            left = self.controller.session.sleep_timer_seconds_left()
            if left is not None:
                self._sleep_timer.start(int(left * 1000) + 1)
        else:
            self._sleep_timer.stop()
            if self.window.has_page("completion"):
                from massage_guide.ui.completion_page import CompletionPage

                cast(CompletionPage, self.window.page("completion")).set_sleep_timer(False)

    def _cancel_sleep_timer(self) -> None:
        self.controller.session.cancel_sleep_timer()

    # -- the night theme by the clock ------------------------------------------------------------------

    def update_night_theme(self, force: bool = False) -> None:
        """Switch to (or from) the night theme when ``night_from`` says so, and arm for the next change."""
        settings = self.controller.settings
        now = self._wall()
        night = bedtime.night_active(now, settings.night_from)
        if night != self._night_on or (force and night):
            changed = self._night_on is not None or night
            self._night_on = night
            if changed:
                wanted = bedtime.effective_theme(settings.theme, now, settings.night_from)
                theme.apply(self.qt, wanted, settings.text_size)
                self.window.refresh_icons()
                self.window.discard_pages(keep={"player"})
        seconds = bedtime.seconds_to_change(now, settings.night_from)
        if seconds is None:
            self._night_timer.stop()
        else:
            self._night_timer.start(int(min(seconds, 3600) * 1000) + 1000)
