"""The break scheduler on fake clocks: work hours, weekdays, snooze, pause, suspend, lock, DST, sessions."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from massage_guide.core.reminders import (
    AWAY_SECONDS,
    SNOOZE_SECONDS,
    Presence,
    ReminderScheduler,
    ReminderSettings,
    parse_work_hours,
    reminder_settings,
)

BERLIN = ZoneInfo("Europe/Berlin")
ON = ReminderSettings(enabled=True, every_minutes=50)


class Clocks:
    """A monotonic clock and a wall clock that move together, except while the computer sleeps."""

    def __init__(self, start: datetime) -> None:
        self.mono = 5000.0
        self.stamp = start.timestamp()

    def monotonic(self) -> float:
        return self.mono

    def wall(self) -> datetime:
        return datetime.fromtimestamp(self.stamp, BERLIN)

    def advance(self, seconds: float) -> None:
        self.mono += seconds
        self.stamp += seconds

    def sleep(self, seconds: float) -> None:
        """A suspend: only the wall clock runs."""
        self.stamp += seconds


def make(start: datetime, settings: ReminderSettings = ON) -> tuple[ReminderScheduler, Clocks]:
    clocks = Clocks(start)
    return ReminderScheduler(settings, monotonic=clocks.monotonic, wall=clocks.wall), clocks


MONDAY_9 = datetime(2026, 3, 2, 9, 0, tzinfo=BERLIN)


def test_prompt_comes_one_interval_into_work_time() -> None:
    """The first prompt of the day comes a whole interval after work starts, not at once."""
    scheduler, clocks = make(MONDAY_9)
    assert not scheduler.check().prompt
    clocks.advance(49 * 60)
    assert not scheduler.check().prompt
    clocks.advance(60)
    assert scheduler.check().prompt


def test_off_by_default_and_when_disabled() -> None:
    """Reminders are off until turned on: no prompt however long the day."""
    assert ReminderSettings().enabled is False
    scheduler, clocks = make(MONDAY_9, ReminderSettings())
    scheduler.check()
    clocks.advance(4 * 3600)
    result = scheduler.check()
    assert not result.prompt
    assert result.reason == "off"


def test_no_prompt_outside_work_hours_or_on_weekends() -> None:
    """Before 09:00, after 17:30 and on a Saturday no prompt comes."""
    scheduler, clocks = make(datetime(2026, 3, 2, 7, 0, tzinfo=BERLIN))
    for _ in range(12):
        assert not scheduler.check().prompt
        clocks.advance(10 * 60)  # 07:00 -> 09:00, never due yet
    evening, clocks = make(datetime(2026, 3, 2, 17, 0, tzinfo=BERLIN))
    evening.check()
    clocks.advance(55 * 60)  # 17:55: an interval passed, but after hours
    assert evening.check().reason == "outside work time"
    saturday, clocks = make(datetime(2026, 3, 7, 10, 0, tzinfo=BERLIN))
    saturday.check()
    clocks.advance(3 * 3600)
    assert saturday.check().reason == "outside work time"


def test_weekdays_setting_adds_a_day() -> None:
    """A Saturday listed in weekdays gets prompts."""
    saturday, clocks = make(datetime(2026, 3, 7, 10, 0, tzinfo=BERLIN), replace(ON, weekdays=("sat",)))
    saturday.check()
    clocks.advance(50 * 60)
    assert saturday.check().prompt


def test_overnight_work_hours() -> None:
    """Hours past midnight count to the day the shift began."""
    settings = replace(ON, work_hours="22:00-06:00", weekdays=("fri",))
    scheduler, clocks = make(datetime(2026, 3, 6, 23, 0, tzinfo=BERLIN), settings)  # Friday night
    scheduler.check()
    clocks.advance(2 * 3600)  # Saturday 01:00, still Friday's shift
    assert scheduler.check().prompt


def test_snooze_brings_the_prompt_back_in_ten_minutes() -> None:
    """Snooze 10 min: no prompt for ten minutes, then one."""
    scheduler, clocks = make(MONDAY_9)
    scheduler.check()
    clocks.advance(50 * 60)
    assert scheduler.check().prompt
    scheduler.prompt_shown()
    scheduler.snooze()
    clocks.advance(SNOOZE_SECONDS - 1)
    assert not scheduler.check().prompt
    clocks.advance(1)
    assert scheduler.check().prompt


def test_skip_waits_a_whole_interval() -> None:
    """Skip (or a missed prompt) restarts the interval."""
    scheduler, clocks = make(MONDAY_9)
    scheduler.check()
    clocks.advance(50 * 60)
    scheduler.prompt_shown()
    scheduler.skip()
    clocks.advance(49 * 60)
    assert not scheduler.check().prompt
    clocks.advance(60)
    assert scheduler.check().prompt


def test_no_second_prompt_while_one_is_open() -> None:
    """Prompts are never queued: while one is showing, no other is asked for, however late it gets."""
    scheduler, clocks = make(MONDAY_9)
    scheduler.check()
    clocks.advance(50 * 60)
    assert scheduler.check().prompt
    scheduler.prompt_shown()
    clocks.advance(3 * 3600)
    assert scheduler.check().reason == "prompt open"


def test_pause_for_an_hour_then_resumes_by_itself() -> None:
    """Pause 1 hour: quiet for the hour, then a fresh interval."""
    scheduler, clocks = make(MONDAY_9)
    scheduler.check()
    clocks.advance(45 * 60)
    scheduler.pause_for(3600)
    clocks.advance(30 * 60)
    assert scheduler.check().reason == "paused"
    clocks.advance(30 * 60)
    assert not scheduler.check().prompt
    assert not scheduler.is_paused()
    clocks.advance(50 * 60)
    assert scheduler.check().prompt


def test_pause_until_tomorrow_and_resume() -> None:
    """Until tomorrow lasts the rest of the day; resume ends any pause at once."""
    scheduler, clocks = make(MONDAY_9)
    scheduler.check()
    scheduler.pause_until_tomorrow()
    assert scheduler.paused_until is not None
    assert scheduler.paused_until == datetime(2026, 3, 3, 9, 0, tzinfo=scheduler.paused_until.tzinfo)
    clocks.advance(4 * 3600)
    assert scheduler.check().reason == "paused"
    scheduler.resume()
    assert not scheduler.is_paused()
    scheduler.check()
    clocks.advance(50 * 60)
    assert scheduler.check().prompt


def test_session_in_progress_keeps_quiet_and_counts_as_break() -> None:
    """No prompt during a session; its end starts a new interval."""
    scheduler, clocks = make(MONDAY_9)
    scheduler.check()
    clocks.advance(40 * 60)
    scheduler.session_started()
    clocks.advance(20 * 60)
    assert scheduler.check().reason == "session"
    scheduler.session_ended()
    clocks.advance(49 * 60)
    assert not scheduler.check().prompt
    clocks.advance(60)
    assert scheduler.check().prompt


def test_waking_from_suspend_is_a_break_and_never_prompts_at_once() -> None:
    """After a suspend of five minutes or more the interval restarts: no prompt on waking."""
    scheduler, clocks = make(MONDAY_9)
    scheduler.check()
    clocks.advance(49 * 60)
    scheduler.check()
    clocks.sleep(30 * 60)
    clocks.advance(2 * 60)  # 51 minutes awake: it would be due, but the sleep was a break
    assert not scheduler.check().prompt
    clocks.advance(49 * 60)
    assert not scheduler.check().prompt
    clocks.advance(60)
    assert scheduler.check().prompt


def test_short_suspend_does_not_reset() -> None:
    """A two-minute suspend is not a break: the interval goes on (minus the time asleep)."""
    scheduler, clocks = make(MONDAY_9)
    scheduler.check()
    clocks.advance(30 * 60)
    scheduler.check()
    clocks.sleep(2 * 60)
    clocks.advance(20 * 60)
    assert scheduler.check().prompt


def test_dst_change_is_not_a_suspend() -> None:
    """The clocks going forward an hour (Europe, last Sunday of March) move no interval."""
    sunday = datetime(2026, 3, 29, 1, 0, tzinfo=BERLIN)  # at 02:00 it becomes 03:00
    scheduler, clocks = make(sunday, replace(ON, weekdays=("sun",), work_hours="00:30-23:00"))
    scheduler.check()
    clocks.advance(30 * 60)
    scheduler.check()
    clocks.advance(20 * 60)
    scheduler.check()
    clocks.advance(20 * 60)  # 01:50 CET -> 03:10 CEST: 20 real minutes, 80 on the face of the clock
    assert clocks.wall().hour == 3
    assert scheduler.check().prompt  # 70 real minutes: due, and not mistaken for a sleep


def test_work_hours_follow_local_time_across_dst() -> None:
    """After the change, 09:00 is still 09:00 local."""
    monday_after = datetime(2026, 3, 30, 8, 59, tzinfo=BERLIN)
    scheduler, clocks = make(monday_after)
    assert scheduler.check().reason == "outside work time"
    clocks.advance(60)
    assert scheduler.check().reason == "not due"


def test_locked_screen_keeps_quiet_and_counts_as_break() -> None:
    """A locked screen gets no prompt; locked for five minutes restarts the interval."""
    scheduler, clocks = make(MONDAY_9)
    scheduler.check(Presence())
    clocks.advance(45 * 60)
    scheduler.check(Presence())
    for _ in range(10):  # locked for ten minutes, looked at each minute
        clocks.advance(60)
        assert scheduler.check(Presence(locked=True)).reason == "away"
    clocks.advance(60)
    assert not scheduler.check(Presence()).prompt  # back after 56 minutes: the lock was the break
    clocks.advance(49 * 60)
    assert not scheduler.check(Presence()).prompt
    clocks.advance(60)  # 50 minutes since the return
    assert scheduler.check(Presence()).prompt


def test_idle_five_minutes_counts_as_break_from_when_they_came_back() -> None:
    """Away from the keyboard for 5+ minutes restarts the interval at the return."""
    scheduler, clocks = make(MONDAY_9)
    scheduler.check(Presence())
    clocks.advance(20 * 60)
    scheduler.check(Presence(idle_seconds=0))
    clocks.advance(7 * 60)
    assert scheduler.check(Presence(idle_seconds=7 * 60)).reason == "away"
    clocks.advance(3 * 60)  # came back two minutes ago after ten minutes away
    assert scheduler.check(Presence(idle_seconds=2 * 60)).reason == "not due"
    clocks.advance(47 * 60)  # 49 minutes since the return
    assert not scheduler.check(Presence()).prompt
    clocks.advance(60)
    assert scheduler.check(Presence()).prompt


def test_short_idle_is_not_a_break() -> None:
    """Reading for three minutes without touching the keyboard changes nothing."""
    scheduler, clocks = make(MONDAY_9)
    scheduler.check(Presence())
    clocks.advance(50 * 60)
    assert scheduler.check(Presence(idle_seconds=3 * 60)).prompt
    assert AWAY_SECONDS == 300


def test_full_screen_defers_until_it_ends() -> None:
    """A full-screen window holds a due prompt back until it is gone."""
    scheduler, clocks = make(MONDAY_9)
    scheduler.check(Presence())
    clocks.advance(50 * 60)
    assert scheduler.check(Presence(fullscreen=True)).reason == "full screen"
    clocks.advance(60)
    assert scheduler.check(Presence()).prompt


def test_time_to_next_break_for_the_tooltip() -> None:
    """The tray's tooltip reads the time left; nothing while paused."""
    scheduler, clocks = make(MONDAY_9)
    scheduler.check()
    clocks.advance(20 * 60)
    assert scheduler.seconds_to_next_break() == pytest.approx(30 * 60)
    scheduler.pause(None)
    assert scheduler.seconds_to_next_break() is None


def test_settings_group_checks_each_key() -> None:
    """Bad values in the group are named one by one; good ones are kept."""
    settings, problems = reminder_settings(
        {"enabled": True, "every_minutes": 3, "work_hours": "9-5", "weekdays": ["mon", "fry"], "x": 1}
    )
    assert settings.enabled is True
    assert settings.every_minutes == 50
    assert [key for key, _ in problems] == ["every_minutes", "work_hours", "weekdays", "x"]
    assert parse_work_hours("09:00-17:30") is not None
    assert parse_work_hours("17:30-17:30") is None
