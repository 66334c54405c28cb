"""The seam between the office breaks (reminders, tray, mini player) and the rest of the app."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

    from massage_guide.core.library import Library
    from massage_guide.core.settings import Settings
    from massage_guide.ui.main_window import MainWindow
    from massage_guide.ui.session_controller import SessionController


class BreakHost(Protocol):
    """What reminders, the tray and the mini player may ask of the app; ``AppController`` offers it.

    They start routines and show windows through it and follow its news; they never build pages, save
    settings or drive the engine themselves."""

    window: MainWindow
    language: str
    # The settings page explains, either way, whether reminders can live in a tray.
    tray_available: bool

    @property
    def settings(self) -> Settings: ...

    @property
    def library(self) -> Library: ...

    @property
    def session(self) -> SessionController:
        """The session controller (built on first use): views attach to it."""

    @property
    def settings_applied(self) -> SignalInstance:
        """Emits the new Settings after a change took effect."""

    @property
    def session_created(self) -> SignalInstance:
        """Emits the session controller when it is first built."""

    @property
    def mini_requested(self) -> SignalInstance:
        """The player's mini button: go on in the small window."""

    def session_running(self) -> bool: ...

    def start_routine(self, routine_id: str) -> bool:
        """Start a session of ``routine_id`` now (after the safety notice the first time); False if it did not."""

    def handle_instance_message(self, message: dict[str, Any]) -> None:
        """Bring the window forward (and start ``message["start"]``, if given)."""
