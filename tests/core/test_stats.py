"""Progress figures: streaks on local days (month ends, time zones, DST, rest days), totals and tension."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from massage_guide.core.history import DayTotal, HistoryStore, SessionRecord
from massage_guide.core.stats import (
    compute_stats,
    counts_for_streak,
    heat_map_start,
    month_bounds,
    streak_days,
    streaks,
    week_bounds,
    weekly_minutes,
)


def days(*values: str) -> list[date]:
    return [date.fromisoformat(v) for v in values]


def record(started_at: str, *, status: str = "completed", active: int = 600, **more: Any) -> SessionRecord:
    fields: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "routine_id": "neck-tension-release",
        "routine_title": "Neck tension release",
        "routine_hash": "",
        "started_at": started_at,
        "ended_at": None,
        "status": status,
        "planned_seconds": 600,
        "active_seconds": active,
        "steps_completed": 1,
        "steps_total": 1,
    }
    fields.update(more)
    return SessionRecord(**fields)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[HistoryStore]:
    opened, _ = HistoryStore.open(tmp_path / "history.sqlite3")
    yield opened
    opened.close()


def load(store: HistoryStore, *records: SessionRecord) -> None:
    rows = [(n, {k: "" if v is None else v for k, v in r.to_dict().items()}) for n, r in enumerate(records)]
    result = store.import_records(rows)
    assert result.problems == () and result.added == len(records)


def test_a_strict_streak_runs_across_a_month_end_and_a_leap_day() -> None:
    """Consecutive days count across Jan/Feb and Feb 29; with no rest days one missed day ends it."""
    run = days(
        "2024-01-30", "2024-01-31", "2024-02-01", "2024-02-02", "2024-02-28", "2024-02-29", "2024-03-01"
    )
    result = streaks(run, today=date(2024, 3, 2), rest_days_per_week=0)
    assert (result.current, result.best) == (3, 4)
    assert streaks(run, today=date(2024, 3, 3), rest_days_per_week=0).current == 0


def test_today_without_a_session_does_not_break_the_streak() -> None:
    """The day is not over: yesterday's streak still stands this morning."""
    assert (
        streaks(days("2024-05-06", "2024-05-07"), today=date(2024, 5, 8), rest_days_per_week=0).current == 2
    )
    assert (
        streaks(days("2024-05-06", "2024-05-08"), today=date(2024, 5, 8), rest_days_per_week=0).current == 1
    )


def test_rest_days_are_forgiven_per_week_up_to_the_allowance() -> None:
    """One rest day a week keeps a streak going; a second in the same week (Mon-Sun) ends it."""
    # Mon 6 May to Sun 19 May 2024: Wednesday 8 off, then Tuesday 14 off (a new week): one streak.
    one_each_week = days(
        "2024-05-06", "2024-05-07", "2024-05-09", "2024-05-10", "2024-05-11", "2024-05-12", "2024-05-13",
        "2024-05-15",
    )  # fmt: skip
    assert streaks(one_each_week, date(2024, 5, 15), rest_days_per_week=1).current == 8
    assert streaks(one_each_week, date(2024, 5, 15), rest_days_per_week=0).current == 1
    # Wednesday 8 and Friday 10 off in the same week: the second rest day breaks it.
    two_same_week = days("2024-05-06", "2024-05-07", "2024-05-09", "2024-05-11")
    result = streaks(two_same_week, date(2024, 5, 11), rest_days_per_week=1)
    assert (result.current, result.best) == (1, 3)
    assert streaks(two_same_week, date(2024, 5, 11), rest_days_per_week=2).current == 4
    # Sunday 12 and Monday 13 off: one rest day in each week, both forgiven.
    across = days("2024-05-11", "2024-05-14")
    assert streaks(across, date(2024, 5, 14), rest_days_per_week=1).current == 2


def test_a_long_gap_always_ends_a_streak() -> None:
    """Even the largest allowance cannot bridge a whole missed week."""
    # Sunday 5 May, then nothing until Monday 13 May: all of Monday 6 to Sunday 12 missed.
    result = streaks(days("2024-05-05", "2024-05-13"), date(2024, 5, 13), rest_days_per_week=99)
    assert result.rest_days_per_week == 6 and result.current == 1


def test_what_counts_toward_a_streak() -> None:
    """Only completed sessions count (issue 15): stopped or interrupted ones never do, however long."""
    assert counts_for_streak(record("2024-05-01T10:00:00+02:00", active=5))
    assert not counts_for_streak(record("2024-05-01T10:00:00+02:00", status="stopped", active=600))
    assert not counts_for_streak(record("2024-05-01T10:00:00+02:00", status="interrupted", active=1200))
    assert not counts_for_streak(record("2024-05-01T10:00:00+02:00", status="in_progress", active=900))


def test_days_follow_local_time_across_dst_not_utc(store: HistoryStore) -> None:
    """Around the March DST change in Berlin, late-evening sessions count on their local day."""
    sessions = [
        record("2024-03-30T22:00:00+01:00"),  # Saturday, winter time
        record("2024-03-31T23:30:00+02:00"),  # Sunday, summer time (21:30 UTC)
        record("2024-04-01T00:15:00+02:00"),  # Monday just after midnight (still 31 March in UTC)
    ]
    load(store, *sessions)
    expected = days("2024-03-30", "2024-03-31", "2024-04-01")
    assert store.streak_days() == expected == streak_days(sessions)
    assert streaks(store.streak_days(), date(2024, 4, 1), rest_days_per_week=0).current == 3


def test_a_change_of_time_zone_keeps_each_session_on_the_day_it_happened(store: HistoryStore) -> None:
    """A session in New York at 23:30 and one in Berlin next morning are two days, though 90 min apart."""
    load(store, record("2024-05-10T23:30:00-04:00"), record("2024-05-11T07:00:00+02:00"))
    assert store.streak_days() == days("2024-05-10", "2024-05-11")
    # Asked "today" in New York again, the Berlin day is ahead of today: it still counts.
    assert streaks(store.streak_days(), date(2024, 5, 10), rest_days_per_week=0).current == 2


def test_stats_totals_by_routine_and_area_and_tension(store: HistoryStore) -> None:
    """Week and month totals per routine and area (areas overlap), all-time figures and tension change."""
    load(
        store,
        record("2024-05-06T08:00:00+02:00", active=600, tension_before=6, tension_after=2),
        record(
            "2024-05-07T08:00:00+02:00", active=300, routine_id="feet-plantar-fascia", routine_title="Feet"
        ),
        record("2024-05-01T08:00:00+02:00", active=1200, tension_before=5, tension_after=4),
        record("2024-04-30T08:00:00+02:00", active=60, routine_id="gone-routine"),
        record("2024-05-07T09:00:00+02:00", status="stopped", active=30),
    )
    figures = compute_stats(
        store,
        date(2024, 5, 8),
        areas_by_routine={"neck-tension-release": ("neck", "shoulders"), "feet-plantar-fascia": ("feet",)},
    )
    assert (figures.week.start, figures.week.end) == (date(2024, 5, 6), date(2024, 5, 12))
    assert (figures.week.minutes, figures.week.sessions) == (15.5, 3)
    assert [(s.key, s.minutes, s.sessions) for s in figures.week.by_routine] == [
        ("neck-tension-release", 10.5, 2),
        ("feet-plantar-fascia", 5.0, 1),
    ]
    assert {s.key: s.minutes for s in figures.week.by_area} == {"neck": 10.5, "shoulders": 10.5, "feet": 5.0}
    assert (figures.month.minutes, figures.month.sessions) == (35.5, 4)
    assert (figures.total_minutes, figures.total_sessions, figures.active_days) == (36.5, 5, 4)
    assert figures.tension.average_change == pytest.approx(-2.5)
    assert figures.streaks is not None and figures.streaks.current == 2  # 6 and 7 May; 1 to 5 May apart
    data = figures.to_dict()
    assert data["tension"] == {
        "rated_sessions": 2,
        "average_before": 5.5,
        "average_after": 3.0,
        "average_change": -2.5,
    }
    month = compute_stats(store, date(2024, 4, 30), areas_by_routine={})
    assert [s.key for s in month.month.by_area] == ["unknown"]


def test_streaks_can_be_hidden(store: HistoryStore) -> None:
    """With streaks switched off, no streak figure is computed or printed."""
    load(store, record("2024-05-06T08:00:00+02:00"))
    figures = compute_stats(store, date(2024, 5, 8), show_streaks=False)
    assert figures.streaks is None and figures.to_dict()["streaks"] is None


def test_calendar_helpers() -> None:
    """Week, month and heat-map bounds, and weekly minutes with empty weeks as zero."""
    assert week_bounds(date(2024, 3, 3)) == (date(2024, 2, 26), date(2024, 3, 3))
    assert month_bounds(date(2024, 2, 10)) == (date(2024, 2, 1), date(2024, 2, 29))
    assert month_bounds(date(2023, 12, 31)) == (date(2023, 12, 1), date(2023, 12, 31))
    start = heat_map_start(date(2024, 5, 8))
    assert start.weekday() == 0 and (date(2024, 5, 6) - start) == timedelta(weeks=25)
    totals = [DayTotal(date(2024, 5, 1), 600, 1, True), DayTotal(date(2024, 5, 14), 120, 1, True)]
    assert weekly_minutes(totals, date(2024, 4, 29), date(2024, 5, 19)) == [
        (date(2024, 4, 29), 10.0),
        (date(2024, 5, 6), 0.0),
        (date(2024, 5, 13), 2.0),
    ]
