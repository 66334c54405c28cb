"""Turns the break scheduler into prompts: one coarse timer, the prompt window, and every outcome on record."""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Final

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from massage_guide.core import formatting, i18n
from massage_guide.core.i18n import _
from massage_guide.core.reminders import (
    PresenceProbe,
    ReminderScheduler,
    ReminderSettings,
)

if TYPE_CHECKING:
    from massage_guide.core.history import HistoryStore
    from massage_guide.core.library import Library
    from massage_guide.ui.break_prompt import BreakPromptWindow

log = logging.getLogger(__name__)

PAUSE_HOUR_SECONDS: Final = 3600
# Qt timers take milliseconds in a signed 32-bit int; a day is far below that, and the scheduler never asks
# for more than an hour anyway.
MAX_TIMER_MS: Final = 24 * 3600 * 1000


def local_now() -> datetime:
    return datetime.now().astimezone()


def next_break_text(
    seconds: float | None, paused_until: datetime | None, enabled: bool, today: date | None = None
) -> str:
    """The tray's tooltip line about reminders."""
    if not enabled:
        return _("Break reminders are off")
    if paused_until is not None:
        time = formatting.time_of_day(paused_until)
        if today is None or paused_until.date() == today:
            return _("Reminders paused until {time}").format(time=time)
        return _("Reminders paused until tomorrow at {time}").format(time=time)
    if seconds is None:
        return _("No break reminders right now")
    if seconds <= 0:
        return _("A break is due now")
    minutes = max(1, math.ceil(seconds / formatting.SECONDS_PER_MINUTE))
    return _("Next break in {time}").format(time=formatting.duration(minutes * formatting.SECONDS_PER_MINUTE))


class ReminderController(QObject):
    """Looks at the scheduler when it asks to be looked at (a single coarse timer; none while off).

    Signals: ``start_requested(str)`` (a routine id, from the prompt), ``status_changed(str)`` (the line
    for the tray's tooltip), ``problem(str)`` (a message to show once)."""

    start_requested = Signal(str)
    status_changed = Signal(str)
    problem = Signal(str)

    def __init__(
        self,
        settings: ReminderSettings,
        *,
        library: Library,
        monotonic: Callable[[], float],
        wall: Callable[[], datetime] = local_now,
        probe: PresenceProbe | None = None,
        prompt_factory: Callable[[], BreakPromptWindow] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.scheduler = ReminderScheduler(settings, monotonic=monotonic, wall=wall)
        self._wall = wall
        self.library = library
        self.history: HistoryStore | None = None
        self._probe = probe
        self._prompt_factory = prompt_factory
        self._prompt: BreakPromptWindow | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        # Coarse on purpose: a break a few seconds late is fine, and the system can batch the wake-up.
        self._timer.setTimerType(Qt.TimerType.VeryCoarseTimer)
        self._timer.timeout.connect(self.check_now)
        self.check_now()

    # -- settings and requests

    def configure(self, settings: ReminderSettings) -> None:
        self.scheduler.configure(settings)
        if not settings.enabled and self._prompt is not None:
            self._prompt.withdraw()
            self.scheduler.prompt_closed()
        self.check_now()

    def set_history(self, history: HistoryStore | None) -> None:
        self.history = history

    def pause_for_hour(self) -> None:
        self._dismiss_prompt()
        self.scheduler.pause_for(PAUSE_HOUR_SECONDS)
        self.check_now()

    def pause_until_tomorrow(self) -> None:
        self._dismiss_prompt()
        self.scheduler.pause_until_tomorrow()
        self.check_now()

    def resume(self) -> None:
        self.scheduler.resume()
        self.check_now()

    def session_started(self) -> None:
        if self._prompt is not None and self._prompt.is_waiting():
            self._prompt.withdraw()
        self.scheduler.session_started()
        self.check_now()

    def session_ended(self) -> None:
        self.scheduler.session_ended()
        self.check_now()

    def shutdown(self) -> None:
        """The app is ending: no more looks at the clock, and no prompt left on screen."""
        self._timer.stop()
        if self._prompt is not None:
            self._prompt.withdraw()

    def timer_interval_ms(self) -> int | None:
        """The armed timer's interval, or None when idle (what the tests check the idle cost by)."""
        return self._timer.interval() if self._timer.isActive() else None

    def status_text(self) -> str:
        scheduler = self.scheduler
        return next_break_text(
            scheduler.seconds_to_next_break(),
            scheduler.paused_until,
            scheduler.settings.enabled,
            self._wall().date(),
        )

    # -- the clock

    def check_now(self) -> None:
        """Ask the scheduler; show the prompt if a break is due; arm the timer for the next look."""
        scheduler = self.scheduler
        presence = None
        if self._probe is not None and scheduler.settings.enabled:
            presence = self._probe.presence()
        result = scheduler.check(presence)
        if self._prompt is not None and self._prompt.is_waiting() and not scheduler.prompt_open:
            # The computer slept while the prompt was up: that was the break; a stale prompt goes away.
            self._prompt.withdraw()
            self._record("missed")
        if result.prompt:
            self._show_prompt()
        if result.next_check_seconds is None:
            self._timer.stop()
        else:
            self._timer.start(min(MAX_TIMER_MS, max(1000, math.ceil(result.next_check_seconds * 1000))))
        self.status_changed.emit(self.status_text())

    def _show_prompt(self) -> None:
        routine_id = self.scheduler.settings.routine
        routine = self.library.get(routine_id)
        if routine is None:
            log.warning("break routine %s is not in the library", routine_id)
            # A prompt without a routine to start would only frustrate: say why once, and wait an interval.
            self.problem.emit(
                _(
                    "Break reminders: the routine '{routine}' is not in your library. "
                    "Choose another under Settings, Breaks."
                ).format(routine=routine_id)
            )
            self.scheduler.skip()
            return
        prompt = self._prompt_window()
        prompt.show_break(routine.title.get(i18n.active_language()), routine.duration_seconds)
        self.scheduler.prompt_shown()
        self._record("shown")

    def _prompt_window(self) -> BreakPromptWindow:
        if self._prompt is None:
            if self._prompt_factory is not None:
                prompt = self._prompt_factory()
            else:
                from massage_guide.ui.break_prompt import BreakPromptWindow

                prompt = BreakPromptWindow()
            prompt.start_requested.connect(self._started)
            prompt.snooze_requested.connect(self._snoozed)
            prompt.skip_requested.connect(self._skipped)
            prompt.missed.connect(self._missed)
            self._prompt = prompt
        return self._prompt

    def retranslate(self) -> None:
        """A new language: a prompt on screen shows itself again in it (its wait starts over); a hidden one
        is built again, in it, when next needed."""
        prompt, self._prompt = self._prompt, None
        if prompt is None:
            return
        waiting = prompt.is_waiting()
        prompt.withdraw()
        prompt.deleteLater()
        routine = self.library.get(self.scheduler.settings.routine)
        if waiting and routine is not None:
            self._prompt_window().show_break(
                routine.title.get(i18n.active_language()), routine.duration_seconds
            )

    @property
    def prompt(self) -> BreakPromptWindow | None:
        return self._prompt

    def _dismiss_prompt(self) -> None:
        if self._prompt is not None and self._prompt.is_waiting():
            self._prompt.withdraw()
            self._record("skipped")
        self.scheduler.prompt_closed()

    def _started(self) -> None:
        self._record("started")
        self.scheduler.prompt_closed()
        self.start_requested.emit(self.scheduler.settings.routine)
        if not self.scheduler.in_session:
            # The session did not begin (the safety notice was declined): no prompt straight back.
            self.scheduler.skip()
            self.check_now()

    def _snoozed(self) -> None:
        self._record("snoozed")
        self.scheduler.snooze()
        self.check_now()

    def _skipped(self) -> None:
        self._record("skipped")
        self.scheduler.skip()
        self.check_now()

    def _missed(self) -> None:
        self._record("missed")
        self.scheduler.skip()
        self.check_now()

    def _record(self, outcome: str) -> None:
        if self.history is None:
            return
        try:
            self.history.record_prompt(outcome)
        except Exception:  # a reminder must never fail because the history could not be written
            log.exception("break prompt not recorded")
