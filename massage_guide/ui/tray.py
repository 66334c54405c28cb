"""The tray icon: quick breaks, pausing reminders, the sleep timer, and the way back to the window."""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import QObject, Signal, SignalInstance
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from massage_guide.core.i18n import N_, _
from massage_guide.ui import app_icon

TOOLTIP_TITLE: Final = "Massage Guide"  # the app's name, the same in every language
CLOSED_TO_TRAY_NOTE: Final = N_(
    "Massage Guide is still here for your break reminders. Quit it from this icon's menu."
)
NOTE_MS: Final = 8000
# The menu's words by entry, translated where shown (and again when the language changes).
MENU_TEXTS: Final = {
    "quick_break": N_("Start a quick break"),
    "wind_down": N_("Start wind-down"),
    "pause_hour": N_("For 1 hour"),
    "pause_tomorrow": N_("Until tomorrow"),
    "resume": N_("Resume"),
    "cancel_sleep": N_("Stop the sleep timer"),
    "open": N_("Open"),
    "quit": N_("Quit"),
}
PAUSE_MENU_TEXT: Final = N_("Pause reminders")


class TrayController(QObject):
    """Owns the QSystemTrayIcon and its menu; every menu item is a request signal.

    Signals: ``quick_break_requested()``, ``wind_down_requested()``, ``pause_hour_requested()``,
    ``pause_tomorrow_requested()``, ``resume_requested()``, ``cancel_sleep_timer_requested()``,
    ``open_requested()``, ``quit_requested()``."""

    quick_break_requested = Signal()
    wind_down_requested = Signal()
    pause_hour_requested = Signal()
    pause_tomorrow_requested = Signal()
    resume_requested = Signal()
    cancel_sleep_timer_requested = Signal()
    open_requested = Signal()
    quit_requested = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.icon = QSystemTrayIcon(app_icon.icon(), self)
        self.menu = QMenu()
        self.actions: dict[str, QAction] = {}
        self._add("quick_break", self.quick_break_requested)
        self._add("wind_down", self.wind_down_requested)
        pause = self.menu.addMenu("")
        self.pause_menu = pause
        self._add("pause_hour", self.pause_hour_requested, pause)
        self._add("pause_tomorrow", self.pause_tomorrow_requested, pause)
        self._add("resume", self.resume_requested, pause)
        self._add("cancel_sleep", self.cancel_sleep_timer_requested)
        self.actions["cancel_sleep"].setVisible(False)
        self.menu.addSeparator()
        self._add("open", self.open_requested)
        self._add("quit", self.quit_requested)
        self.retranslate()
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._activated)
        self.set_status("")

    def _add(self, key: str, signal: SignalInstance, menu: QMenu | None = None) -> None:
        action = (menu or self.menu).addAction("")
        action.triggered.connect(lambda _checked=False: signal.emit())
        self.actions[key] = action

    def retranslate(self) -> None:
        """The menu's words in the active language (at start, and when the person picks another one)."""
        for key, text in MENU_TEXTS.items():
            self.actions[key].setText(_(text))
        self.pause_menu.setTitle(_(PAUSE_MENU_TEXT))

    @staticmethod
    def available() -> bool:
        return QSystemTrayIcon.isSystemTrayAvailable()

    def show(self) -> None:
        self.icon.show()

    def hide(self) -> None:
        self.icon.hide()

    def is_visible(self) -> bool:
        return self.icon.isVisible()

    def set_status(self, line: str) -> None:
        """The tooltip: the app's name and the time to the next break."""
        self.icon.setToolTip(f"{TOOLTIP_TITLE}\n{line}" if line else TOOLTIP_TITLE)

    def tooltip(self) -> str:
        return self.icon.toolTip()

    def set_paused(self, paused: bool) -> None:
        self.actions["resume"].setEnabled(paused)
        self.actions["pause_hour"].setEnabled(not paused)
        self.actions["pause_tomorrow"].setEnabled(not paused)

    def set_sleep_timer(self, running: bool) -> None:
        self.actions["cancel_sleep"].setVisible(running)

    def note_closed_to_tray(self) -> None:
        self.icon.showMessage(
            TOOLTIP_TITLE, _(CLOSED_TO_TRAY_NOTE), QSystemTrayIcon.MessageIcon.Information, NOTE_MS
        )

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger, QSystemTrayIcon.ActivationReason.DoubleClick):
            self.open_requested.emit()
