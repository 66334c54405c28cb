"""Break reminders: when the next break is due, and when to keep quiet (pure; the clocks are handed in)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any, Final, Protocol

from massage_guide.core.i18n import N_
from massage_guide.core.setting_specs import Flag, Items, Text, Whole, build, setting, to_yaml

WEEKDAYS: Final = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT_ROUTINE: Final = "desk-break-3-minutes"
EVERY_MINUTES_RANGE: Final = (10, 240)
# Five minutes away from the keyboard (or asleep, or locked) is a break in itself: prompting right after
# would nag someone who just came back (breaktimer#53: a break timer that fires straight after resume).
AWAY_SECONDS: Final = 5 * 60
SNOOZE_SECONDS: Final = 10 * 60
# While reminders are on, presence (idle time, lock, full screen) is looked at this often: often enough to
# notice five minutes away, rare enough to cost nothing (one wake-up a minute).
PRESENCE_POLL_SECONDS: Final = 60.0
# The wall clock may move against the monotonic one by a little (NTP slews it); more than this is a sleep.
CLOCK_JUMP_TOLERANCE_SECONDS: Final = 30.0
_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


def parse_hhmm(text: str) -> time | None:
    """``"09:00"`` -> time(9, 0); None when it is not a 24-hour HH:MM time."""
    match = _HHMM.match(text) if isinstance(text, str) else None
    return time(int(match.group(1)), int(match.group(2))) if match else None


def parse_work_hours(text: str) -> tuple[time, time] | None:
    """``"09:00-17:30"`` -> (09:00, 17:30); a span past midnight (``"22:00-06:00"``) is allowed."""
    if not isinstance(text, str) or text.count("-") != 1:
        return None
    start_text, end_text = (part.strip() for part in text.split("-"))
    start, end = parse_hhmm(start_text), parse_hhmm(end_text)
    if start is None or end is None or start == end:
        return None
    return start, end


def _routine_id(value: str) -> bool:
    return re.fullmatch(r"[a-z0-9][a-z0-9-]*", value) is not None


def _weekday(value: str) -> bool:
    return value in WEEKDAYS


BREAKS: Final = N_("Breaks")


@dataclass(frozen=True)
class ReminderSettings:
    """The ``reminders:`` group of settings.yaml; each key's spec is its one description (docs/settings.md
    is generated from them)."""

    enabled: bool = setting(
        False,
        Flag(),
        doc="Turns the reminders on.",
        page=BREAKS,
        label=N_("Remind me to take breaks"),
    )
    every_minutes: int = setting(
        50,
        Whole(*EVERY_MINUTES_RANGE, expected=N_("expected a whole number of minutes from {low} to {high}")),
        doc="Minutes of work between two reminders.",
        page=BREAKS,
        label=N_("Remind every"),
    )
    work_hours: str = setting(
        "09:00-17:30",
        Text(
            lambda text: parse_work_hours(text) is not None,
            N_('expected a time span such as "09:00-17:30"'),
            'a 24-hour span such as `"09:00-17:30"`; one past midnight (`"22:00-06:00"`) is allowed',
            quoted=True,
        ),
        doc="Reminders come only between these times.",
        page=BREAKS,
        label=N_("Work hours"),
    )
    weekdays: tuple[str, ...] = setting(
        ("mon", "tue", "wed", "thu", "fri"),
        Items(
            _weekday,
            N_("expected a list of days from {choices}, such as [mon, tue, wed, thu, fri]"),
            "a list of days from " + ", ".join(f"`{day}`" for day in WEEKDAYS) + ", at least one",
            choices=WEEKDAYS,
            non_empty=True,
            flow=True,
        ),
        doc="Reminders come only on these days.",
        page=BREAKS,
        label=N_("Work days"),
    )
    routine: str = setting(
        DEFAULT_ROUTINE,
        Text(_routine_id, N_("expected a routine id such as desk-break-3-minutes"), "a routine id"),
        doc="The routine a reminder offers.",
        page=BREAKS,
        label=N_("Break routine"),
    )

    def as_yaml(self) -> dict[str, Any]:
        return to_yaml(self)


def reminder_settings(values: Mapping[str, Any]) -> tuple[ReminderSettings, list[tuple[str, str]]]:
    """Build settings from a mapping; returns them and (key, problem) for every key not taken."""
    return build(ReminderSettings, values)


# --- presence --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Presence:
    """What the desktop says about the person: seconds since their last input, a locked screen, and
    whether the active window fills the screen (a film, a presentation, a game, a call)."""

    idle_seconds: float = 0.0
    locked: bool = False
    fullscreen: bool = False


class PresenceProbe(Protocol):
    """Reads presence from the desktop (X11, D-Bus); tests pass a fake. Never raises."""

    def presence(self) -> Presence: ...


# --- the scheduler ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    """The scheduler's answer: prompt now or not, why, and how many seconds until it wants to look again."""

    prompt: bool
    reason: str
    next_check_seconds: float | None


@dataclass
class _State:
    interval_start: float | None = None  # monotonic; None until the first look inside work hours
    snoozed_until: float | None = None  # monotonic
    paused_until: datetime | None = None  # wall time; None while paused means "until resumed"
    paused: bool = False
    session: bool = False
    prompt_open: bool = False
    away_since: float | None = None  # monotonic: when the person was last seen going away
    last_mono: float | None = None
    last_wall: float | None = None
    was_in_hours: bool = False


class ReminderScheduler:
    """Decides when a break is due, on the clocks it is given.

    ``monotonic`` measures the interval (it does not run while the computer sleeps, and it ignores DST and
    clock changes); ``wall`` (an aware local datetime) says whether it is work time. A jump of the wall clock
    against the monotonic one is a suspend: time asleep of AWAY_SECONDS or more counts as a break."""

    def __init__(
        self,
        settings: ReminderSettings,
        *,
        monotonic: Callable[[], float],
        wall: Callable[[], datetime],
    ) -> None:
        self._settings = settings
        self._mono = monotonic
        self._wall = wall
        self._s = _State()

    # -- settings and requests

    @property
    def settings(self) -> ReminderSettings:
        return self._settings

    def configure(self, settings: ReminderSettings) -> None:
        """New settings; a changed interval (or reminders turned on) starts a fresh one."""
        old, self._settings = self._settings, settings
        if (old.enabled, old.every_minutes) != (settings.enabled, settings.every_minutes):
            self._restart()

    def snooze(self) -> None:
        """The person chose "Snooze 10 min": the next prompt comes SNOOZE_SECONDS from now."""
        self._s.prompt_open = False
        self._s.snoozed_until = self._mono() + SNOOZE_SECONDS

    def skip(self) -> None:
        """Skipped (or missed): a whole interval from now."""
        self._s.prompt_open = False
        self._restart()

    def prompt_shown(self) -> None:
        self._s.prompt_open = True

    def prompt_closed(self) -> None:
        self._s.prompt_open = False

    def session_started(self) -> None:
        self._s.prompt_open = False
        self._s.session = True

    def session_ended(self) -> None:
        """Any session, prompted or not, is a break: the interval runs from its end."""
        self._s.session = False
        self._restart()

    def pause(self, until: datetime | None) -> None:
        """Pause reminders until ``until`` (wall time), or until resumed when None."""
        self._s.paused = True
        self._s.paused_until = until
        self._s.prompt_open = False

    def resume(self) -> None:
        self._s.paused = False
        self._s.paused_until = None
        self._restart()

    def pause_for(self, seconds: float) -> None:
        self.pause(self._wall() + timedelta(seconds=seconds))

    def pause_until_tomorrow(self) -> None:
        """Until work hours begin tomorrow (midnight when hours are not set)."""
        now = self._wall()
        hours = parse_work_hours(self._settings.work_hours)
        start = hours[0] if hours else time(0, 0)
        tomorrow = (now + timedelta(days=1)).date()
        self.pause(datetime.combine(tomorrow, start, tzinfo=now.tzinfo))

    @property
    def in_session(self) -> bool:
        return self._s.session

    @property
    def prompt_open(self) -> bool:
        """A prompt is out and unanswered (False again once a sleep ended it, see ``check``)."""
        return self._s.prompt_open

    def is_paused(self) -> bool:
        return self._paused_now(self._wall())

    @property
    def paused_until(self) -> datetime | None:
        return self._s.paused_until if self._s.paused else None

    def _restart(self) -> None:
        self._s.interval_start = self._mono()
        self._s.snoozed_until = None

    # -- when

    def in_work_time(self, moment: datetime) -> bool:
        hours = parse_work_hours(self._settings.work_hours)
        if hours is None:
            return False
        start, end = hours
        now = moment.time().replace(tzinfo=None)
        day = WEEKDAYS[moment.weekday()]
        if start < end:
            return day in self._settings.weekdays and start <= now < end
        yesterday = WEEKDAYS[(moment.weekday() - 1) % 7]
        return (day in self._settings.weekdays and now >= start) or (
            yesterday in self._settings.weekdays and now < end
        )

    def _paused_now(self, wall: datetime) -> bool:
        s = self._s
        if s.paused and s.paused_until is not None and wall >= s.paused_until:
            s.paused = False
            s.paused_until = None
            self._restart()
        return s.paused

    def _due_at(self) -> float | None:
        s = self._s
        if s.snoozed_until is not None:
            return s.snoozed_until
        if s.interval_start is None:
            return None
        return s.interval_start + self._settings.every_minutes * 60

    def seconds_to_next_break(self) -> float | None:
        """For the tray's tooltip: None while off, paused, outside work time or in a session."""
        s = self._s
        wall = self._wall()
        if not self._settings.enabled or s.session or self._paused_now(wall) or not self.in_work_time(wall):
            return None
        due = self._due_at()
        return None if due is None else max(0.0, due - self._mono())

    def check(self, presence: Presence | None = None) -> Check:
        """Look now: whether to show the prompt, and when to look again."""
        s = self._s
        mono = self._mono()
        wall = self._wall()
        slept = self._slept_seconds(mono, wall)
        if not self._settings.enabled:
            s.was_in_hours = False
            return Check(False, "off", None)
        if slept >= AWAY_SECONDS:
            # Waking from a sleep long enough to count as a break: never prompt straight after it.
            self._restart()
            s.prompt_open = False
        if self._paused_now(wall):
            return Check(False, "paused", self._until_pause_ends(wall))
        in_hours = self.in_work_time(wall)
        if not in_hours:
            s.was_in_hours = False
            return Check(False, "outside work time", self._until_work_time(wall))
        if not s.was_in_hours or s.interval_start is None:
            # The working day (or the reminders) just began: the first break is a whole interval away.
            s.was_in_hours = True
            self._restart()
        if s.session:
            return Check(False, "session", None)
        if presence is not None and self._away(presence, mono):
            return Check(False, "away", PRESENCE_POLL_SECONDS)
        due = self._due_at()
        assert due is not None
        if mono < due:
            return Check(False, "not due", min(due - mono, PRESENCE_POLL_SECONDS))
        if s.prompt_open:
            return Check(False, "prompt open", None)  # never a second prompt queued behind the first
        if presence is not None and presence.fullscreen:
            return Check(False, "full screen", PRESENCE_POLL_SECONDS)
        return Check(True, "due", None)

    def _away(self, presence: Presence, mono: float) -> bool:
        """Locked or idle: no prompt. Away for AWAY_SECONDS or more restarts the interval."""
        s = self._s
        gone = presence.locked or presence.idle_seconds >= AWAY_SECONDS
        if gone:
            if s.away_since is None:
                s.away_since = mono - (0.0 if presence.locked else presence.idle_seconds)
            if mono - s.away_since >= AWAY_SECONDS:
                # A break is being taken right now; the next interval counts from the latest moment away.
                self._restart()
            return True
        if s.away_since is not None:
            away_for = mono - s.away_since - presence.idle_seconds
            if away_for >= AWAY_SECONDS:
                s.interval_start = mono - presence.idle_seconds
                s.snoozed_until = None
            s.away_since = None
        return False

    def _slept_seconds(self, mono: float, wall: datetime) -> float:
        """How far the wall clock ran ahead of the monotonic one since the last look (a suspend)."""
        s = self._s
        stamp = wall.timestamp()  # UTC seconds: a DST change moves nothing here
        slept = 0.0
        if s.last_mono is not None and s.last_wall is not None:
            drift = (stamp - s.last_wall) - (mono - s.last_mono)
            slept = drift if drift > CLOCK_JUMP_TOLERANCE_SECONDS else 0.0
        s.last_mono, s.last_wall = mono, stamp
        return slept

    def _until_pause_ends(self, wall: datetime) -> float | None:
        until = self._s.paused_until
        if until is None:
            return None
        return max(1.0, min((until - wall).total_seconds(), PRESENCE_POLL_SECONDS * 60))

    def _until_work_time(self, wall: datetime) -> float:
        """Seconds to the next minute boundary that could begin work time (looked at again hourly at most:
        the wall clock can change under us)."""
        hours = parse_work_hours(self._settings.work_hours)
        if hours is None:
            return 3600.0
        start = datetime.combine(wall.date(), hours[0], tzinfo=wall.tzinfo)
        if start <= wall:
            start += timedelta(days=1)
        return max(1.0, min((start - wall).total_seconds(), 3600.0))
