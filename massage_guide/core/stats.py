"""Progress figures from the history: forgiving streaks, minutes per week and month, tension change."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Final, Protocol

# The records, not the store: pages and widgets show these figures and must not load the store.
from massage_guide.core.history_records import (
    DayTotal,
    RoutineTotal,
    SessionRecord,
)

DEFAULT_REST_DAYS_PER_WEEK: Final = 1
# Seven rest days a week would make every streak endless, which is no streak at all.
MAX_REST_DAYS_PER_WEEK: Final = 6
UNKNOWN_AREA: Final = "unknown"  # a routine no longer in the library (deleted or renamed)
HEAT_MAP_WEEKS: Final = 26  # about six months, whole weeks so the calendar grid is square


class FiguresSource(Protocol):
    """The history's aggregate queries the figures are computed from (``HistoryStore`` answers them)."""

    def daily_totals(self, start: date | None = None, end: date | None = None) -> list[DayTotal]: ...

    def routine_totals(self, start: date, end: date) -> list[RoutineTotal]: ...

    def tension_summary(self) -> tuple[int, float | None, float | None]: ...

    def prompt_counts(self, start: date, end: date) -> dict[str, int]: ...


@dataclass(frozen=True)
class Streaks:
    """Streaks in active days. A missed day is forgiven while the week (Monday to Sunday) has rest days
    left; today never breaks a streak, because it is not over yet."""

    current: int
    best: int
    rest_days_per_week: int


@dataclass(frozen=True)
class Share:
    """Minutes and sessions for one routine or one body area."""

    key: str
    label: str
    minutes: float
    sessions: int


@dataclass(frozen=True)
class PeriodTotals:
    """Finished sessions on local days in [start, end]."""

    start: date
    end: date
    minutes: float
    sessions: int
    by_routine: tuple[Share, ...]
    by_area: tuple[Share, ...]


@dataclass(frozen=True)
class TensionStats:
    """Tension rated 0-10 before and after; a negative change means less tension afterwards."""

    rated_sessions: int
    average_before: float | None
    average_after: float | None

    @property
    def average_change(self) -> float | None:
        if self.average_before is None or self.average_after is None:
            return None
        return self.average_after - self.average_before


@dataclass(frozen=True)
class Stats:
    """Everything ``massage-guide stats`` shows; ``streaks`` is None when the user hides streaks."""

    today: date
    streaks: Streaks | None
    week: PeriodTotals
    month: PeriodTotals
    total_minutes: float
    total_sessions: int
    active_days: int
    tension: TensionStats
    # Break prompts this week by outcome (shown, started, snoozed, skipped, missed); a break taken is a
    # prompt whose session was started.
    break_prompts: Mapping[str, int] = field(default_factory=dict)

    @property
    def breaks_taken(self) -> int:
        return int(self.break_prompts.get("started", 0))

    def to_dict(self) -> dict[str, Any]:
        def period(p: PeriodTotals) -> dict[str, Any]:
            return {
                "start": p.start.isoformat(),
                "end": p.end.isoformat(),
                "minutes": p.minutes,
                "sessions": p.sessions,
                "by_routine": [
                    {
                        "routine_id": s.key,
                        "routine_title": s.label,
                        "minutes": s.minutes,
                        "sessions": s.sessions,
                    }
                    for s in p.by_routine
                ],
                "by_area": [{"area": s.key, "minutes": s.minutes, "sessions": s.sessions} for s in p.by_area],
            }

        change = self.tension.average_change
        return {
            "today": self.today.isoformat(),
            "streaks": None
            if self.streaks is None
            else {
                "current": self.streaks.current,
                "best": self.streaks.best,
                "rest_days_per_week": self.streaks.rest_days_per_week,
            },
            "this_week": period(self.week),
            "this_month": period(self.month),
            "all_time": {
                "minutes": self.total_minutes,
                "sessions": self.total_sessions,
                "active_days": self.active_days,
            },
            "tension": {
                "rated_sessions": self.tension.rated_sessions,
                "average_before": _round(self.tension.average_before),
                "average_after": _round(self.tension.average_after),
                "average_change": _round(change),
            },
            "breaks_this_week": {"taken": self.breaks_taken, "prompts": dict(self.break_prompts)},
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def minutes(seconds: float) -> float:
    return round(seconds / 60, 1)


# --- streaks --------------------------------------------------------------------------------------------


def counts_for_streak(record: SessionRecord) -> bool:
    """Only a completed session makes its day count (issue 15): a stopped one, whatever its length,
    was not done, and its status already says so honestly (at least half its steps done)."""
    return record.status == "completed"


def streak_days(records: Iterable[SessionRecord]) -> list[date]:
    """The local calendar days (in the offset each session was recorded with) that count toward a streak."""
    return sorted({r.local_day for r in records if counts_for_streak(r)})


def _bridge(first: date, last: date, rest_days: int, used: dict[tuple[int, int], int]) -> bool:
    """Whether every day strictly between ``first`` and ``last`` is a forgiven rest day; on success the
    rest days are charged to their weeks in ``used``."""
    gap = (last - first).days - 1
    if gap <= 0:
        return True
    # At most rest_days at the end of one week and rest_days at the start of the next can be forgiven.
    if gap > 2 * rest_days:
        return False
    trial = dict(used)
    for offset in range(1, gap + 1):
        year, week, _ = (first + timedelta(days=offset)).isocalendar()
        if trial.get((year, week), 0) >= rest_days:
            return False
        trial[(year, week)] = trial.get((year, week), 0) + 1
    used.update(trial)
    return True


def streaks(
    days: Iterable[date], today: date, rest_days_per_week: int = DEFAULT_REST_DAYS_PER_WEEK
) -> Streaks:
    """Current and best streak, counted in active days, over the days that count toward a streak."""
    rest = max(0, min(MAX_REST_DAYS_PER_WEEK, rest_days_per_week))
    # A day "after today" happens after flying west; it still counts, and today cannot break the streak.
    ordered = sorted(set(days))
    best = run = 0
    used: dict[tuple[int, int], int] = {}
    previous: date | None = None
    for day in ordered:
        if previous is not None and _bridge(previous, day, rest, used):
            run += 1
        else:
            run = 1
            used = {}
        best = max(best, run)
        previous = day
    current = run if previous is not None and _bridge(previous, today, rest, used) else 0
    return Streaks(current=current, best=best, rest_days_per_week=rest)


# --- totals ---------------------------------------------------------------------------------------------


def week_bounds(today: date) -> tuple[date, date]:
    """Monday to Sunday of the week holding ``today``."""
    monday = today - timedelta(days=today.weekday())
    return monday, monday + timedelta(days=6)


def month_bounds(today: date) -> tuple[date, date]:
    first = today.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


def period_totals(
    totals: Sequence[RoutineTotal],
    start: date,
    end: date,
    areas_by_routine: Mapping[str, Sequence[str]] | None = None,
) -> PeriodTotals:
    """Roll per-routine totals up into a period; a session counts toward every area its routine works
    on, so the area figures overlap. Without ``areas_by_routine`` there are no area figures."""
    by_routine = tuple(Share(t.routine_id, t.routine_title, minutes(t.seconds), t.sessions) for t in totals)
    by_area: tuple[Share, ...] = ()
    if areas_by_routine is not None:
        seconds: dict[str, int] = {}
        sessions: dict[str, int] = {}
        for t in totals:
            for area in areas_by_routine.get(t.routine_id) or (UNKNOWN_AREA,):
                seconds[area] = seconds.get(area, 0) + t.seconds
                sessions[area] = sessions.get(area, 0) + t.sessions
        by_area = tuple(
            Share(area, area, minutes(seconds[area]), sessions[area])
            for area in sorted(seconds, key=lambda a: (-seconds[a], a))
        )
    return PeriodTotals(
        start=start,
        end=end,
        minutes=minutes(sum(t.seconds for t in totals)),
        sessions=sum(t.sessions for t in totals),
        by_routine=by_routine,
        by_area=by_area,
    )


def weekly_minutes(days: Iterable[DayTotal], start: date, end: date) -> list[tuple[date, float]]:
    """Minutes per week (keyed by its Monday) for every week from ``start`` to ``end``, empty weeks as 0."""
    first, _ = week_bounds(start)
    seconds: dict[date, int] = {}
    for total in days:
        if start <= total.day <= end:
            monday, _ = week_bounds(total.day)
            seconds[monday] = seconds.get(monday, 0) + total.seconds
    weeks: list[tuple[date, float]] = []
    monday = first
    while monday <= end:
        weeks.append((monday, minutes(seconds.get(monday, 0))))
        monday += timedelta(days=7)
    return weeks


def heat_map_start(today: date, weeks: int = HEAT_MAP_WEEKS) -> date:
    """The Monday the progress page's calendar begins on: ``weeks`` whole weeks ending with this one."""
    monday, _ = week_bounds(today)
    return monday - timedelta(days=7 * (weeks - 1))


def compute_stats(
    store: FiguresSource,
    today: date,
    *,
    areas_by_routine: Mapping[str, Sequence[str]] | None = None,
    rest_days_per_week: int = DEFAULT_REST_DAYS_PER_WEEK,
    show_streaks: bool = True,
) -> Stats:
    """All the figures ``massage-guide stats`` shows, from SQL aggregates (fast on 100,000 sessions)."""
    days = store.daily_totals()
    week = week_bounds(today)
    month = month_bounds(today)
    count, before, after = store.tension_summary()
    return Stats(
        today=today,
        streaks=streaks([d.day for d in days if d.counts_for_streak], today, rest_days_per_week)
        if show_streaks
        else None,
        week=period_totals(store.routine_totals(*week), *week, areas_by_routine),
        month=period_totals(store.routine_totals(*month), *month, areas_by_routine),
        total_minutes=minutes(sum(d.seconds for d in days)),
        total_sessions=sum(d.sessions for d in days),
        active_days=len(days),
        tension=TensionStats(count, before, after),
        break_prompts=store.prompt_counts(*week),
    )
