"""Office breaks wired together: reminders, the tray and the mini player.

Built by app.py. It listens to the app controller and the session controller and asks them for things;
it never drives the engine itself. Whether closing the window quits is app.py's decision (QuitPolicy)."""

from __future__ import annotations

import contextlib
import gc
import logging
import sys
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final, cast

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QPixmapCache
from PySide6.QtWidgets import QApplication

from massage_guide import desktop
from massage_guide.core import i18n
from massage_guide.core.i18n import _
from massage_guide.core.os_errors import os_reason
from massage_guide.core.reminders import Presence, PresenceProbe
from massage_guide.core.settings import Settings
from massage_guide.ui.reminder_controller import ReminderController, local_now

if TYPE_CHECKING:
    from massage_guide.core.model import Routine
    from massage_guide.ui.break_host import BreakHost
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
# Pages kept while a session runs: the ones a session leads back to (the routine's page, the completion
# page). The library, progress and settings pages (the library's painted cards are its heaviest part) are let
# go and rebuilt when next shown, so the session's sound comes on top of less (issue 16: 100 MiB a session).
SESSION_KEPT_PAGES: Final = KEPT_PAGES | {"detail", "completion"}


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
    """Reminders, the tray icon, the mini player, and what is let go of while the window is in the tray.

    Signals: ``quit_requested()`` (the tray's Quit), ``mini_closed()`` (the small window went away)."""

    quit_requested = Signal()
    mini_closed = Signal()

    def __init__(
        self,
        *,
        qt: QApplication,
        controller: BreakHost,
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
        self._mini_language = ""  # the language the mini player was made in
        self._mini_active = False
        self._hid_window_for_mini = False
        self._sleep_timer = QTimer(self)
        self._sleep_timer.setSingleShot(True)
        self._sleep_timer.timeout.connect(lambda: self._sleep_timer_changed(False))

        controller.settings_applied.connect(self.apply_settings)
        controller.session_created.connect(self._session_created)
        controller.mini_requested.connect(self.switch_to_mini)
        self.apply_settings(settings, first=True)

    # -- settings --------------------------------------------------------------------------------------

    def apply_settings(self, settings: Settings, first: bool = False) -> None:
        self.reminders.configure(settings.reminders)
        self._update_tray(settings)
        if not first:
            self._sync_autostart(settings)

    def _sync_autostart(self, settings: Settings) -> None:
        autostart = desktop.autostart_file(self._env)
        if settings.start_at_login == autostart.exists():
            return
        try:
            desktop.set_start_at_login(settings.start_at_login, self._env)
        except OSError as exc:
            self.window.set_status(
                _("Start at login could not be set ({reason}).").format(reason=os_reason(exc))
            )

    def tray_shown(self) -> bool:
        """The tray icon is there: reminders on (or started in the background)."""
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
        tray.quit_requested.connect(self.quit_requested)
        self.reminders.status_changed.connect(self._status_changed)
        tray.set_status(self.reminders.status_text())
        return tray

    def _status_changed(self, line: str) -> None:
        if self.tray is not None:
            self.tray.set_status(line)
            self.tray.set_paused(self.reminders.scheduler.is_paused())

    # -- the window ------------------------------------------------------------------------------------

    def open_window(self, message: dict[str, Any] | None = None) -> None:
        """Bring the window back (tray's Open, a second launch): the routines, if the pages were let go."""
        self.controller.handle_instance_message(message or {})
        if self.window.current_page_name() == "welcome":
            self.window.show_page("library")

    def withdraw_windows(self) -> None:
        """The app is quitting: the small player and a waiting prompt go first."""
        if self.mini is not None:
            self.mini.hide()
        if self.reminders.prompt is not None:
            self.reminders.prompt.withdraw()

    def shutdown(self) -> None:
        """The app is ending: timers stopped, the prompt and the small player gone, the tray icon removed."""
        self.reminders.shutdown()
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
            self.open_window(message)

    def closed_to_tray(self) -> None:
        """The window closed and the app lives on in the tray: say so once, and let go of the pages."""
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
        # Attached, it shows the running session's step and countdown at once, then follows it.
        self.controller.session.attach(mini)
        if self.window.isVisible():
            self._hid_window_for_mini = True
            self.window.hide()
        mini.show()
        mini.place()

    def _mini_window(self) -> MiniPlayerWindow:
        if (
            self.mini is not None
            and self._mini_language != i18n.active_language()
            and not self.mini.isVisible()
        ):
            # Made in a language since changed: built again, in the new one.
            self.mini.deleteLater()
            self.mini = None
        if self.mini is None:
            from massage_guide.ui.mini_player import MiniPlayerWindow

            mini = MiniPlayerWindow()
            mini.expand_requested.connect(self.expand)
            mini.dismissed.connect(self._mini_dismissed)
            self.mini = mini
            self._mini_language = i18n.active_language()
        return self.mini

    def retranslate(self) -> None:
        """A new language: the tray's menu and tooltip say it now, and so does a break prompt on screen; the
        mini player is built again in it when next needed (a session keeps the one it has)."""
        if self.tray is not None:
            self.tray.retranslate()
            self.tray.set_status(self.reminders.status_text())
        self.reminders.retranslate()

    def expand(self) -> None:
        """From the mini player to the full window, on the player (or the completion page when done)."""
        self._mini_active = False
        self._hid_window_for_mini = False
        self._detach_mini()
        if self.mini is not None:
            self.mini.hide()
        self.controller.handle_instance_message({})
        if self.controller.session_running():
            self.window.show_page("player")

    def _session_created(self, session: SessionController) -> None:
        session.session_started.connect(self._session_started)
        session.session_finished.connect(self._session_ended)
        session.session_stopped.connect(self._session_stopped)
        session.sleep_timer_changed.connect(self._sleep_timer_changed)

    def _session_started(self, _routine: Routine) -> None:
        self.reminders.session_started()
        self.release_for_session()

    def release_for_session(self) -> None:
        """A session began: let go of the pages it hides, and the painted cards, until they are shown again."""
        self.window.discard_pages(keep=SESSION_KEPT_PAGES)
        QPixmapCache.clear()
        QTimer.singleShot(RELEASE_DELAY_MS, self, release_memory)

    def _detach_mini(self) -> None:
        if self.mini is not None:
            self.controller.session.detach(self.mini)

    def _session_ended(self, _summary: Any) -> None:
        self.reminders.session_ended()
        self._detach_mini()
        if self._mini_active and self.mini is not None:
            self.mini.show_done()
            if self._hid_window_for_mini:
                self.window.show()  # it was open before the break moved to the small window
        self._mini_active = False
        self._hid_window_for_mini = False

    def _mini_dismissed(self) -> None:
        """The small window went away (app.py decides whether the app ends with it)."""
        self._detach_mini()
        self.mini_closed.emit()

    def _session_stopped(self, summary: Any) -> None:
        self.reminders.session_ended()
        self._detach_mini()
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
