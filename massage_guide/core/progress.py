"""What the progress page shows, read from the history: frozen figures, pages of sessions and exports."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Final, Protocol

from massage_guide.core import stats
from massage_guide.core.history_records import DayTotal, SessionRecord, TensionPair
from massage_guide.core.history_transfer import export_sessions

WEEKLY_BARS: Final = 16  # about four months of weeks: wide enough bars to read at a glance
TREND_POINTS: Final = 30  # the most recent rated sessions the trend shows; more turns into noise
# Sessions read at a time: a few screens of rows, a millisecond of SQLite on any history.
PAGE_ROWS: Final = 200
# An export reads the matching sessions in large pages: few queries, and memory bounded on any history.
EXPORT_PAGE_ROWS: Final = 5000

# Where the next page of sessions starts: the start time (UTC seconds) and id of the last one read.
Cursor = tuple[float, str]


class ProgressSource(stats.FiguresSource, Protocol):
    """The history's read side the progress page needs (``HistoryStore`` answers it)."""

    def latest_tension_pairs(self, limit: int, since: date | None = None) -> list[TensionPair]: ...

    def sessions_before(
        self,
        cursor: Cursor | None,
        limit: int,
        *,
        routine_id: str | None = None,
        status: str | None = None,
        text: str = "",
        text_routine_ids: Sequence[str] = (),
    ) -> tuple[list[SessionRecord], Cursor | None]: ...


@dataclass(frozen=True)
class ProgressFigures:
    """Everything the progress page draws above its session list, computed once per refresh."""

    today: date
    has_sessions: bool  # any finished session at all: otherwise the page explains what will appear
    week: stats.PeriodTotals
    month: stats.PeriodTotals
    streaks: stats.Streaks | None  # None when the person hides streaks
    tension: stats.TensionStats
    breaks_shown: int  # break reminders shown this week
    breaks_taken: int  # ... and how many of them started a session
    calendar_start: date  # the Monday the calendar begins on
    calendar: tuple[DayTotal, ...]  # days with a session from calendar_start on
    weekly: tuple[tuple[date, float], ...]  # (Monday, minutes), oldest first, WEEKLY_BARS of them
    trend: tuple[TensionPair, ...]  # the latest rated sessions, oldest first


@dataclass(frozen=True)
class SessionQuery:
    """Which sessions the list shows: one routine, one status, text in title, note or id (already folded
    to lower case), or a routine whose title as shown holds the text."""

    routine_id: str | None = None
    status: str | None = None
    text: str = ""
    text_routine_ids: tuple[str, ...] = ()

    @property
    def filtered(self) -> bool:
        return bool(self.routine_id or self.status or self.text)


@dataclass(frozen=True)
class SessionPage:
    """One page of the sessions a query matches, newest first, and where the next page starts (None: the
    last page)."""

    records: tuple[SessionRecord, ...]
    next_cursor: Cursor | None


def progress_figures(
    source: ProgressSource,
    today: date,
    *,
    rest_days_per_week: int = stats.DEFAULT_REST_DAYS_PER_WEEK,
    show_streaks: bool = True,
) -> ProgressFigures:
    """The page's figures from the history's per-day totals and index ranges: a few milliseconds on a
    million sessions (bench/history_scale.py)."""
    days = source.daily_totals()
    week = stats.week_bounds(today)
    month = stats.month_bounds(today)
    rated, before, after = source.tension_summary()
    prompts = source.prompt_counts(*week)
    start = stats.heat_map_start(today)
    first_week = today - timedelta(days=today.weekday() + 7 * (WEEKLY_BARS - 1))
    return ProgressFigures(
        today=today,
        has_sessions=bool(days),
        week=stats.period_totals(source.routine_totals(*week), *week),
        month=stats.period_totals(source.routine_totals(*month), *month),
        streaks=stats.streaks([d.day for d in days if d.counts_for_streak], today, rest_days_per_week)
        if show_streaks
        else None,
        tension=stats.TensionStats(rated, before, after),
        breaks_shown=prompts.get("shown", 0),
        breaks_taken=prompts.get("started", 0),
        calendar_start=start,
        calendar=tuple(d for d in days if start <= d.day <= today),
        weekly=tuple(stats.weekly_minutes(days, first_week, today)),
        trend=tuple(source.latest_tension_pairs(TREND_POINTS, since=start)),
    )


def session_page(
    source: ProgressSource, query: SessionQuery, cursor: Cursor | None = None, limit: int = PAGE_ROWS
) -> SessionPage:
    """The ``limit`` newest sessions matching ``query`` that started before ``cursor`` (None: the newest)."""
    records, following = source.sessions_before(
        cursor,
        limit,
        routine_id=query.routine_id,
        status=query.status,
        text=query.text,
        text_routine_ids=query.text_routine_ids,
    )
    return SessionPage(tuple(records), following)


def matching_sessions(source: ProgressSource, query: SessionQuery) -> Iterator[SessionRecord]:
    """Every session ``query`` matches, newest first: the same rows the list shows, page after page."""
    cursor: Cursor | None = None
    while True:
        page = session_page(source, query, cursor, EXPORT_PAGE_ROWS)
        yield from page.records
        if page.next_cursor is None:
            return
        cursor = page.next_cursor


def export_matching(source: ProgressSource, query: SessionQuery, path: Path) -> int:
    """Write the sessions ``query`` matches to ``path`` (.csv or .json, as ``history export`` does); the
    number written. Raises OSError when the file cannot be written (no partial file is left)."""
    return export_sessions(matching_sessions(source, query), path)
