"""Settings: saves what the person changes and makes it take effect, with the look (theme, text size, night)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Final, cast

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QScrollArea, QScrollBar, QWidget

from massage_guide.core import bedtime
from massage_guide.core.i18n import _
from massage_guide.core.library import Library
from massage_guide.core.os_errors import os_reason
from massage_guide.core.settings import Settings, SettingsStore
from massage_guide.ui import theme
from massage_guide.ui.reminder_controller import local_now

if TYPE_CHECKING:
    from massage_guide.ui.main_window import MainWindow
    from massage_guide.ui.settings_page import SettingsPage

log = logging.getLogger(__name__)

# The night theme's timer looks again at least this often (seconds): a clock changed by hand, or a laptop
# that slept through the evening, is caught within the hour.
NIGHT_RECHECK_SECONDS: Final = 3600
# Armed a second past the change, so the look is taken when the new minute has surely begun.
NIGHT_MARGIN_MS: Final = 1000
# Pages kept when the look changes: the player holds a live session (it re-applies fonts at its next routine).
KEPT_ON_NEW_LOOK: Final = frozenset({"player"})


class SettingsController(QObject):
    """Saves each change, applies it, and keeps the look right: the person's theme and text size, and the
    night theme from ``night_from`` on by the wall clock. The look at start is ``first_look``'s, applied before
    the window is built (restyling built widgets would slow the first paint).

    Signals: ``settings_applied(object)`` after a change took effect (the new Settings),
    ``favourites_changed(object)`` (the tuple of favourite routine ids), ``preview_voice_requested()``,
    ``language_chosen(str)`` (the ``language`` setting changed: the language switch applies it)."""

    settings_applied = Signal(object)
    favourites_changed = Signal(object)
    preview_voice_requested = Signal()
    language_chosen = Signal(str)

    def __init__(
        self,
        *,
        window: MainWindow,
        settings_store: SettingsStore,
        library: Library,
        language: str,
        wall: Callable[[], datetime] = local_now,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.window = window
        self.settings_store = settings_store
        self.library = library
        self.language = language
        self.tray_available = False  # set by the office-breaks wiring; the settings page explains either way
        # Whether a session runs (set by the app controller): a language chosen meanwhile waits for its end.
        self.session_running: Callable[[], bool] = lambda: False
        self._wall = wall
        self._night_on = False
        self._night_timer = QTimer(self)
        self._night_timer.setSingleShot(True)
        self._night_timer.setTimerType(Qt.TimerType.VeryCoarseTimer)
        self._night_timer.timeout.connect(self.update_night_theme)
        settings = self.settings
        self._look = _look_of(settings)
        self._night_on = bedtime.night_active(wall(), settings.night_from)
        self._arm_night_timer(settings)
        window.add_page("settings", self._make_settings)
        window.page_changed.connect(self._page_changed)

    @property
    def settings(self) -> Settings:
        return self.settings_store.settings

    # -- the page ------------------------------------------------------------------------------------------
    def _make_settings(self) -> SettingsPage:
        from massage_guide.ui.settings_page import SettingsPage

        page = SettingsPage()
        page.change_requested.connect(self.change_setting)
        page.preview_voice_requested.connect(self.preview_voice_requested)
        return page

    def _page_changed(self, name: str) -> None:
        if name == "settings":
            settings_page = cast("SettingsPage", self.window.page("settings"))
            settings_page.show_settings(self.settings, self.library.sound_ids.get("ambience", ()))
            routines = [(r.id, r.title.get(self.language)) for r in self.library.routines.values()]
            settings_page.show_reminders(self.settings, routines, tray_available=self.tray_available)
            settings_page.show_session_running(self.session_running())

    # -- changes -------------------------------------------------------------------------------------------
    def change_setting(self, key: str, value: object) -> None:
        try:
            settings = self.settings_store.update(**{key: value})
        except (KeyError, ValueError, OSError) as exc:
            log.warning("setting %s=%r not saved: %s", key, value, exc)
            self.window.set_status(
                _("That setting could not be saved ({error}).").format(error=os_reason(exc))
            )
            return
        self.apply_settings(settings, changed=key)

    def apply_settings(self, settings: Settings, changed: str = "") -> None:
        """Make ``settings`` take effect. The look is redone only when what decides it changed: a volume or a
        favourite leaves the pages alone."""
        look = _look_of(settings)
        if look != self._look or changed in ("", "theme", "text_size"):
            self._look = look
            self._apply_look(settings)
        self.settings_applied.emit(settings)
        if changed == "language":
            self.language_chosen.emit(settings.language)

    def set_favourite(self, routine_id: str, favourite: bool) -> None:
        current = list(self.settings.favourites)
        if favourite and routine_id not in current:
            current.append(routine_id)
        elif not favourite and routine_id in current:
            current.remove(routine_id)
        self.change_setting("favourites", tuple(current))
        self.favourites_changed.emit(tuple(current))

    # -- a new language ------------------------------------------------------------------------------------
    def settings_place(self) -> SettingsPlace | None:
        """Where the person is on the settings page (None when it is not on screen), to find again on the
        page built in a new language."""
        if self.window.current_page_name() != "settings":
            return None
        page = cast("SettingsPage", self.window.page("settings"))
        focus = self.window.focusWidget()
        focused = next(
            (
                key
                for key, field in page.fields.items()
                if focus is not None and (field is focus or field.isAncestorOf(focus))
            ),
            "",
        )
        return SettingsPlace(_scroll_bar(page).value(), focused)

    def restore_place(self, place: SettingsPlace | None) -> None:
        """Back to ``place`` on the rebuilt settings page: its scroll position, and the keyboard on the field
        that had it (picking a language with the arrow keys goes on where it was)."""
        if place is None or self.window.current_page_name() != "settings":
            return
        page = cast("SettingsPage", self.window.page("settings"))
        field = page.fields.get(place.focused)
        if field is not None:
            field.setFocus(Qt.FocusReason.OtherFocusReason)
        # The new page has its height once laid out, on the next turn of the event loop.
        QTimer.singleShot(0, page, lambda: _scroll_bar(page).setValue(place.scroll))

    def show_session_running(self, running: bool) -> None:
        """Tell the settings page, if built, whether a session runs (its language note)."""
        if self.window.has_page("settings"):
            cast("SettingsPage", self.window.page("settings")).show_session_running(running)

    # -- the look ------------------------------------------------------------------------------------------
    def night_theme_on(self) -> bool:
        """Whether the night theme is on now because of ``night_from`` (not because it was chosen)."""
        return self._night_on

    def update_night_theme(self) -> None:
        """Switch to (or from) the night theme when ``night_from`` says so, and arm for the next change."""
        settings = self.settings
        if bedtime.night_active(self._wall(), settings.night_from) != self._night_on:
            self._apply_look(settings)
        else:
            self._arm_night_timer(settings)

    def _apply_look(self, settings: Settings) -> None:
        now = self._wall()
        self._night_on = bedtime.night_active(now, settings.night_from)
        app = cast(QApplication, QApplication.instance())
        theme.apply(
            app, bedtime.effective_theme(settings.theme, now, settings.night_from), settings.text_size
        )
        self.window.refresh_icons()
        # Pages set their fonts and icons when built: rebuild them in the new look as they are next shown.
        self.window.discard_pages(keep=KEPT_ON_NEW_LOOK)
        self._arm_night_timer(settings)

    def _arm_night_timer(self, settings: Settings) -> None:
        seconds = bedtime.seconds_to_change(self._wall(), settings.night_from)
        if seconds is None:
            self._night_timer.stop()
        else:
            self._night_timer.start(int(min(seconds, NIGHT_RECHECK_SECONDS) * 1000) + NIGHT_MARGIN_MS)

    def shutdown(self) -> None:
        self._night_timer.stop()


def first_look(qt: QApplication, settings: Settings, now: datetime) -> None:
    """The look to start in (the night theme if it is night), applied before the main window is built."""
    theme.apply(qt, bedtime.effective_theme(settings.theme, now, settings.night_from), settings.text_size)


@dataclass(frozen=True)
class SettingsPlace:
    """Where the person was on the settings page: the scroll position and the field with the keyboard."""

    scroll: int
    focused: str


def _scroll_bar(page: QWidget) -> QScrollBar:
    scroll = page.findChild(QScrollArea)
    assert scroll is not None
    return scroll.verticalScrollBar()


def _look_of(settings: Settings) -> tuple[str, str, str | None]:
    """What decides how the app looks."""
    return (settings.theme, settings.text_size, settings.night_from)
