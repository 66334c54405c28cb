"""Wires the main window's controllers together: navigation, settings, and the session's pages.

Each job lives in its own controller; this one only connects their signals and gives the rest of the app (the
office breaks, the routine editor, the tests) one place to ask for things."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from massage_guide.core.library import Library
from massage_guide.core.settings import Settings, SettingsStore
from massage_guide.ui.language import LanguageSwitch
from massage_guide.ui.navigation_controller import NavigationController
from massage_guide.ui.reminder_controller import local_now
from massage_guide.ui.session_pages import SessionPagesController
from massage_guide.ui.settings_controller import SettingsController

if TYPE_CHECKING:
    from massage_guide.core.history import HistoryStore
    from massage_guide.ui.library_page import LibraryPage
    from massage_guide.ui.main_window import MainWindow
    from massage_guide.ui.session_controller import SessionController


class AppController(QObject):
    """Builds the navigation, settings and session-pages controllers and connects them.

    Signals (passed on from those controllers): ``settings_applied(object)`` after a settings change took
    effect; ``session_created(object)`` when the session controller is first built; ``mini_requested()``
    from the player's mini button; ``language_changed(str)`` once the window speaks a new language (the
    tray and the other windows follow it)."""

    settings_applied = Signal(object)
    session_created = Signal(object)
    mini_requested = Signal()
    language_changed = Signal(str)

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
        wall: Callable[[], datetime] = local_now,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.window = window
        self.settings_store = settings_store
        self.language = language
        missing = sound_missing or (lambda: False)
        self.settings_controller = SettingsController(
            window=window,
            settings_store=settings_store,
            library=library,
            language=language,
            wall=wall,
            parent=self,
        )
        self.sessions = SessionPagesController(
            window=window,
            library=library,
            settings=lambda: settings_store.settings,
            session_factory=session_factory,
            language=language,
            ask_safety=ask_safety,
            sound_missing=missing,
            parent=self,
        )
        self.navigation = NavigationController(
            window=window,
            library=library,
            settings=lambda: settings_store.settings,
            language=language,
            session_running=self.sessions.session_running,
            sound_missing=missing,
            parent=self,
        )
        settings, sessions, navigation = self.settings_controller, self.sessions, self.navigation
        navigation.start_requested.connect(
            lambda routine_id, voice, ambience: sessions.start_routine(
                routine_id, voice, ambience, ask_tension=True
            )
        )
        navigation.favourite_toggled.connect(settings.set_favourite)
        navigation.routine_shown.connect(sessions.prepare_voice)
        settings.favourites_changed.connect(navigation.set_favourites)
        settings.preview_voice_requested.connect(sessions.preview_voice)
        settings.settings_applied.connect(sessions.apply_settings)
        settings.settings_applied.connect(self.settings_applied)
        sessions.change_requested.connect(settings.change_setting)
        sessions.routine_left.connect(navigation.back_to_routine)
        sessions.session_ended.connect(lambda _summary: navigation.refresh_recent())
        sessions.session_created.connect(self.session_created)
        sessions.mini_requested.connect(self.mini_requested)
        # A language chosen in Settings applies at once; one chosen during a session, when it ends.
        self.language_switch = LanguageSwitch(language, session_running=sessions.session_running, parent=self)
        settings.session_running = sessions.session_running
        settings.language_chosen.connect(self.language_switch.choose)
        sessions.session_ended.connect(lambda _summary: self.language_switch.session_ended())
        self.language_switch.pending_changed.connect(
            lambda _pending: settings.show_session_running(sessions.session_running())
        )
        self.language_switch.language_changed.connect(self.set_language)

    # -- what the rest of the app asks for -----------------------------------------------------------------
    @property
    def session(self) -> SessionController:
        """The session controller, built on first use."""
        return self.sessions.session

    def session_running(self) -> bool:
        return self.sessions.session_running()

    @property
    def settings(self) -> Settings:
        return self.settings_store.settings

    @property
    def library(self) -> Library:
        return self.navigation.library

    @library.setter
    def library(self, library: Library) -> None:
        """A new library (the editor saved a routine): every controller reads routines from it from now on."""
        self.navigation.library = library
        self.settings_controller.library = library
        self.sessions.library = library

    @property
    def library_page(self) -> LibraryPage:
        return self.navigation.library_page

    @property
    def tray_available(self) -> bool:
        return self.settings_controller.tray_available

    @tray_available.setter
    def tray_available(self, available: bool) -> None:
        self.settings_controller.tray_available = available

    def open_routine(self, routine_id: str) -> None:
        self.navigation.open_routine(routine_id)

    def focus_search(self) -> None:
        self.navigation.focus_search()

    def start_routine(
        self, routine_id: str, voice: bool = True, ambience: bool = True, *, ask_tension: bool = False
    ) -> bool:
        """Start a session, after the safety notice the first time. False if it did not start."""
        return self.sessions.start_routine(routine_id, voice, ambience, ask_tension=ask_tension)

    def change_setting(self, key: str, value: object) -> None:
        self.settings_controller.change_setting(key, value)

    def apply_settings(self, settings: Settings, changed: str = "") -> None:
        self.settings_controller.apply_settings(settings, changed)

    def set_favourite(self, routine_id: str, favourite: bool) -> None:
        self.settings_controller.set_favourite(routine_id, favourite)

    def set_history(self, history: HistoryStore | None) -> None:
        self.sessions.set_history(history)
        self.navigation.set_history(history)

    def refresh_recent(self) -> None:
        self.navigation.refresh_recent()

    def handle_instance_message(self, message: dict[str, Any]) -> None:
        """A second launch asked us to come forward (and maybe start a routine)."""
        self.navigation.bring_forward()
        start = message.get("start")
        if isinstance(start, str) and start:
            QTimer.singleShot(0, self, lambda: self.start_routine(start))

    def set_language(self, language: str) -> None:
        """The app speaks ``language`` now: the controllers use it, the sidebar says it, and every page is
        built again in it, keeping what it showed (the page, the library's search, the settings' place)."""
        self.language = language
        self.settings_controller.language = language
        self.navigation.language = language
        self.sessions.set_language(language)
        self.window.retranslate()
        place = self.settings_controller.settings_place()
        self.sessions.release_player()
        self.navigation.rebuild_pages()
        self.sessions.show_again()
        self.settings_controller.restore_place(place)
        self.language_changed.emit(language)

    def shutdown(self) -> None:
        """The window is closing: a running session is recorded as stopped, a rating or note is kept."""
        self.sessions.shutdown()
