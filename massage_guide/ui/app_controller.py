"""The app's journey: library -> detail -> safety notice -> session -> completion, settings and favourites."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QDialog, QVBoxLayout, QWidget

from massage_guide import resources
from massage_guide.core.library import Library
from massage_guide.core.settings import Settings, SettingsStore
from massage_guide.ui import theme

if TYPE_CHECKING:
    from massage_guide.core.history import HistoryStore
    from massage_guide.ui.completion_page import CompletionPage
    from massage_guide.ui.detail_page import RoutineDetailPage
    from massage_guide.ui.library_page import LibraryPage
    from massage_guide.ui.main_window import MainWindow
    from massage_guide.ui.player_page import PlayerPage
    from massage_guide.ui.progress_page import ProgressPage
    from massage_guide.ui.session_controller import SessionController
    from massage_guide.ui.settings_page import SettingsPage

log = logging.getLogger(__name__)

# How many past sessions to scan for the "Recently done" row.
RECENT_SESSIONS_SCANNED = 60
RECENT_ROUTINES_SHOWN = 6
# What "Preview voice" says: the voice's pace and tone, on words like those of a session.
PREVIEW_SENTENCE = "Let your shoulders drop, and breathe out slowly. This is how I will guide you."


class AppController(QObject):
    """Drives navigation and hands user requests to the session controller, the settings and the history.

    Signals: ``settings_applied(object)`` after a settings change took effect; ``session_created(object)``
    when the session controller is first built; ``mini_requested()`` from the player's mini button."""

    settings_applied = Signal(object)
    session_created = Signal(object)
    mini_requested = Signal()

    def __init__(
        self,
        *,
        window: MainWindow,
        library: Library,
        settings_store: SettingsStore,
        session_factory: Callable[[], SessionController],
        language: str,
        ask_safety: Callable[[str], bool] | None = None,
        sound_missing: Callable[[], bool] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.window = window
        self._recent: list[str] = []
        self.library = library
        self.settings_store = settings_store
        self._session_factory = session_factory
        self._session: SessionController | None = None
        self.language = language
        self.history: HistoryStore | None = None
        self._ask_safety = ask_safety or self._safety_dialog
        # Whether the sound service found no device (asked when a routine or session is shown).
        self._sound_missing = sound_missing or (lambda: False)
        # The session waiting on the player's optional "before" step: routine id, voice on, ambience on.
        self._pending: tuple[str, bool, bool] | None = None
        self.tray_available = False  # set by the office-breaks wiring; the settings page explains either way

        window.add_page("library", self._make_library)
        window.add_page("detail", self._make_detail)
        window.add_page("player", self._make_player)
        window.add_page("completion", self._make_completion)
        window.add_page("progress", self._make_progress)
        window.add_page("settings", self._make_settings)
        window.search_requested.connect(self.focus_search)
        window.page_changed.connect(self._page_changed)
        window.close_requested.connect(self.shutdown)

    @property
    def session(self) -> SessionController:
        """The session controller, built on first use: the engine and its timer stay off the first paint."""
        if self._session is None:
            session = self._session_factory()
            session.configure(self.settings)
            session.set_history(self.history)
            session.session_finished.connect(self._session_ended)
            session.session_stopped.connect(self._session_ended)
            session.problem.connect(self._show_problem)
            self._session = session
            self.session_created.emit(session)
        return self._session

    def session_running(self) -> bool:
        return self._session is not None and self._session.is_running()

    @property
    def settings(self) -> Settings:
        return self.settings_store.settings

    # -- pages, built when first shown ---------------------------------------------------------------------
    def _make_library(self) -> QWidget:
        """The library page with the problems panel under it."""
        from massage_guide.ui.library_page import LibraryPage
        from massage_guide.ui.problems_panel import ProblemsPanel

        page = LibraryPage(
            self.library, language=self.language, favourites=self.settings.favourites, recent=self._recent
        )
        page.routine_selected.connect(self.open_routine)
        page.favourite_toggled.connect(self.set_favourite)
        problems = ProblemsPanel()
        problems.set_problems(self.library.problems, len(self.library.failed_files))
        container = QWidget()
        layout = QVBoxLayout(container)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(page, 1)
        layout.addWidget(problems)
        self._library_page = page
        return container

    @property
    def library_page(self) -> LibraryPage:
        self.window.page("library")
        return self._library_page

    def _make_detail(self) -> RoutineDetailPage:
        from massage_guide.ui.detail_page import RoutineDetailPage

        page = RoutineDetailPage()
        page.start_requested.connect(
            lambda routine_id, voice, ambience: self.start_routine(
                routine_id, voice, ambience, ask_tension=True
            )
        )
        page.back_requested.connect(lambda: self.window.show_page("library"))
        page.favourite_toggled.connect(self.set_favourite)
        return page

    def _make_player(self) -> PlayerPage:
        from massage_guide.ui.player_page import PlayerPage

        page = PlayerPage()
        page.set_reduced_motion(self.settings.reduced_motion)
        page.set_hide_time_left(self.settings.hide_time_left)
        page.set_muted(self.settings.muted)
        page.mute_toggled.connect(lambda muted: self.change_setting("muted", muted))
        page.begin_requested.connect(self._begin_pending)
        page.back_requested.connect(self._leave_before_step)
        page.mini_requested.connect(self.mini_requested)
        self.session.attach(page)
        self.session.session_started.connect(lambda _routine: page.set_sound_missing(self._sound_missing()))
        return page

    def _make_completion(self) -> CompletionPage:
        from massage_guide.ui.completion_page import CompletionPage

        page = CompletionPage()
        page.feedback_submitted.connect(self.session.record_feedback)
        page.done_requested.connect(self._completion_done)
        page.sleep_timer_cancel_requested.connect(self.session.cancel_sleep_timer)
        return page

    def _make_progress(self) -> ProgressPage:
        from massage_guide.ui.progress_controller import ProgressController
        from massage_guide.ui.progress_page import ProgressPage

        page = ProgressPage()
        self.progress_controller = ProgressController(page, parent=self)
        return page

    def _make_settings(self) -> SettingsPage:
        from massage_guide.ui.settings_page import SettingsPage

        page = SettingsPage()
        page.change_requested.connect(self.change_setting)
        page.preview_voice_requested.connect(lambda: self.session.preview_voice(PREVIEW_SENTENCE))
        return page

    def _page_changed(self, name: str) -> None:
        if name == "progress":
            self.window.page("progress")  # built, with its controller, the first time it is shown
            self.progress_controller.show_history(self.history, self.library, self.settings)
        elif name == "settings":
            settings_page = cast("SettingsPage", self.window.page("settings"))
            settings_page.show_settings(self.settings, self.library.sound_ids.get("ambience", ()))
            routines = [(r.id, r.title.get(self.language)) for r in self.library.routines.values()]
            settings_page.show_reminders(self.settings, routines, tray_available=self.tray_available)

    # -- the journey ---------------------------------------------------------------------------------------
    def focus_search(self) -> None:
        if self.session_running():
            return
        self.window.show_page("library")
        self.library_page.focus_search()

    def open_routine(self, routine_id: str) -> None:
        routine = self.library.get(routine_id)
        if routine is None:
            return
        detail = cast("RoutineDetailPage", self.window.page("detail"))
        detail.show_routine(
            routine,
            language=self.language,
            voice_on=self.settings.voice_enabled,
            ambience_on=self.settings.ambience_for(routine.ambience) is not None,
            favourite=routine_id in self.settings.favourites,
        )
        detail.set_sound_missing(self._sound_missing())
        self.window.show_page("detail")
        if self.settings.voice_enabled and not self.session.is_running():
            self.session.prepare_voice(routine)  # its first words are ready by the time Start is pressed

    def start_routine(
        self, routine_id: str, voice: bool = True, ambience: bool = True, *, ask_tension: bool = False
    ) -> bool:
        """Start a session, after the safety notice the first time. False if it did not start.

        With ``ask_tension`` (Start on the detail page) the player first shows its optional "before" step,
        and the session begins when the person presses Begin; reminders and ``--start`` begin at once."""
        routine = self.library.get(routine_id)
        if routine is None:
            self._show_problem(f"There is no routine called '{routine_id}'.")
            return False
        if self.session.is_running():
            self.window.show_page("player")
            return False
        if not self.settings.safety_notice_seen:
            if not self._ask_safety(_safety_text()):
                return False
            self.change_setting("safety_notice_seen", True)
        if ask_tension:
            player = cast("PlayerPage", self.window.page("player"))
            self._pending = (routine_id, voice, ambience)
            player.show_before(routine, self.language)
            self.window.show_page("player")
            return True
        self._pending = None
        self.window.show_page("player")
        self.session.start(routine, voice=voice, ambience=ambience)
        return True

    def _begin_pending(self, tension_before: object) -> None:
        """Begin pressed on the "before" step: start the session with the tension rated (or None)."""
        pending, self._pending = self._pending, None
        routine = None if pending is None else self.library.get(pending[0])
        if pending is None or routine is None or self.session.is_running():
            return
        before = tension_before if isinstance(tension_before, int) else None
        self.session.start(routine, voice=pending[1], ambience=pending[2], tension_before=before)

    def _leave_before_step(self) -> None:
        """Not now (or Esc) on the "before" step: back to the routine, nothing recorded."""
        pending, self._pending = self._pending, None
        if pending is not None and self.library.get(pending[0]) is not None:
            self.open_routine(pending[0])
        else:
            self.window.show_page("library")

    def _session_ended(self, summary: Any) -> None:
        completion = cast("CompletionPage", self.window.page("completion"))
        completion.show_summary(summary)
        completion.set_sleep_timer(self.session.sleep_timer_running())
        self.window.show_page("completion")
        self.refresh_recent()

    def _completion_done(self) -> None:
        self.window.show_page("library")

    def set_favourite(self, routine_id: str, favourite: bool) -> None:
        current = list(self.settings.favourites)
        if favourite and routine_id not in current:
            current.append(routine_id)
        elif not favourite and routine_id in current:
            current.remove(routine_id)
        self.change_setting("favourites", tuple(current))
        if self.window.has_page("library"):
            self.library_page.set_favourites(tuple(current))

    def change_setting(self, key: str, value: object) -> None:
        try:
            settings = self.settings_store.update(**{key: value})
        except (KeyError, ValueError, OSError) as exc:
            log.warning("setting %s=%r not saved: %s", key, value, exc)
            self._show_problem(f"That setting could not be saved ({exc}).")
            return
        self.apply_settings(settings, changed=key)

    def apply_settings(self, settings: Settings, changed: str = "") -> None:
        if changed in ("", "theme", "text_size"):
            app = cast(QApplication, QApplication.instance())
            theme.apply(app, settings.theme, settings.text_size)
            self.window.refresh_icons()
            # Pages set their fonts and icons when built: rebuild them in the new look as they are next
            # shown. The player keeps its page (it re-applies both at its next routine).
            self.window.discard_pages(keep={"player"})
        if self._session is not None:
            self._session.configure(settings)
        if self.window.has_page("player"):
            player = cast("PlayerPage", self.window.page("player"))
            player.set_reduced_motion(settings.reduced_motion)
            player.set_hide_time_left(settings.hide_time_left)
            player.set_muted(settings.muted)
        self.settings_applied.emit(settings)

    # -- history, once it is open --------------------------------------------------------------------------
    def set_history(self, history: HistoryStore | None) -> None:
        self.history = history
        if self._session is not None:
            self._session.set_history(history)
        self.refresh_recent()

    def refresh_recent(self) -> None:
        if self.history is None:
            return
        try:
            sessions = self.history.list_sessions(limit=RECENT_SESSIONS_SCANNED, newest_first=True)
        except Exception as exc:  # A history problem must never block the library.
            log.warning("recent sessions unavailable: %s", exc)
            return
        recent: list[str] = []
        for record in sessions:
            if record.routine_id in self.library.routines and record.routine_id not in recent:
                recent.append(record.routine_id)
        self._recent = recent[:RECENT_ROUTINES_SHOWN]
        if self.window.has_page("library"):
            self.library_page.set_recent(self._recent)

    def handle_instance_message(self, message: dict[str, Any]) -> None:
        """A second launch asked us to come forward (and maybe start a routine)."""
        self.window.showNormal() if self.window.isMinimized() else self.window.show()
        self.window.raise_()
        self.window.activateWindow()
        start = message.get("start")
        if isinstance(start, str) and start:
            QTimer.singleShot(0, lambda: self.start_routine(start))

    def _show_problem(self, text: str) -> None:
        self.window.set_status(text)

    def shutdown(self) -> None:
        """The window is closing: a running session is recorded as stopped, a rating or note typed on the
        completion page is kept."""
        if self._session is not None and self._session.is_running():
            self._session.stop()
        if self.window.has_page("completion"):
            cast("CompletionPage", self.window.page("completion")).submit()

    def _safety_dialog(self, text: str) -> bool:
        from massage_guide.ui.safety_dialog import SafetyNoticeDialog

        dialog = SafetyNoticeDialog(text, self.window)
        return dialog.exec() == QDialog.DialogCode.Accepted


def _safety_text() -> str:
    """docs/safety.md without its top heading: the dialog has its own title."""
    try:
        text = resources.safety_notice_file().read_text(encoding="utf-8")
        first, _, rest = text.partition("\n")
        return rest.lstrip() if first.startswith("# ") else text
    except OSError:
        return (
            "# Before you start\n\nMassage Guide is not medical advice. Do not massage over injuries, infections, "
            "fresh bruises or varicose veins, and stop if you feel sharp pain, numbness or tingling."
        )
