"""The progress page's figures, pages of sessions and exports, read through core from a real history file."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from massage_guide.core import progress
from massage_guide.core.history import HistoryStore
from massage_guide.core.progress import (
    TREND_POINTS,
    WEEKLY_BARS,
    SessionQuery,
    export_matching,
    matching_sessions,
    progress_figures,
    session_page,
)
from tests.conftest import REPO_ROOT

TODAY = date(2024, 5, 15)  # a Wednesday
ZONE = timezone(timedelta(hours=2))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[HistoryStore]:
    opened, _ = HistoryStore.open(tmp_path / "history.sqlite3")
    yield opened
    opened.close()


def row(day: date, *, hour: int = 18, minutes: int = 10, **more: Any) -> dict[str, Any]:
    started = datetime(day.year, day.month, day.day, hour, 0, tzinfo=ZONE)
    fields: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "routine_id": "neck-release",
        "routine_title": "Neck release",
        "started_at": started.isoformat(),
        "ended_at": (started + timedelta(minutes=minutes)).isoformat(),
        "status": "completed",
        "planned_seconds": minutes * 60,
        "active_seconds": minutes * 60,
        "steps_completed": 4,
        "steps_total": 4,
    }
    fields.update(more)
    return fields


def load(store: HistoryStore, *rows: dict[str, Any]) -> None:
    result = store.import_records(list(enumerate(rows, start=1)))
    assert result.added == len(rows), result.problems


def test_figures_of_an_empty_history_say_there_is_nothing_yet(store: HistoryStore) -> None:
    """With no finished session the figures say so, and every chart is empty."""
    figures = progress_figures(store, TODAY)
    assert not figures.has_sessions
    assert figures.calendar == () and figures.trend == ()
    assert figures.week.sessions == 0 and figures.tension.rated_sessions == 0


def test_figures_hold_totals_streak_tension_breaks_and_charts(store: HistoryStore) -> None:
    """Week and month totals, the streak, tension, and the chart series come from the recorded sessions."""
    load(
        store,
        row(TODAY, minutes=10, tension_before=7, tension_after=3),
        row(TODAY - timedelta(days=1), minutes=15, tension_before=6, tension_after=4),
        row(TODAY - timedelta(days=4), minutes=5),
        row(TODAY - timedelta(days=20), minutes=30),  # 25 April: last month
        row(TODAY - timedelta(days=400), minutes=20),  # before the calendar and the weekly bars
    )
    figures = progress_figures(store, TODAY, rest_days_per_week=1)
    assert figures.has_sessions
    assert (figures.week.minutes, figures.week.sessions) == (25.0, 2)
    assert (figures.month.minutes, figures.month.sessions) == (30.0, 3)
    assert figures.streaks is not None and figures.streaks.current == 3
    assert figures.tension.average_change == pytest.approx(-3.0)
    assert [d.day for d in figures.calendar] == [TODAY - timedelta(days=n) for n in (20, 4, 1, 0)]
    assert figures.calendar_start == date(2023, 11, 20)  # 26 whole weeks ending this week
    assert len(figures.weekly) == WEEKLY_BARS
    assert figures.weekly[-1] == (date(2024, 5, 13), 25.0)
    assert [(p.before, p.after) for p in figures.trend] == [(6, 4), (7, 3)]  # oldest first
    assert progress_figures(store, TODAY, show_streaks=False).streaks is None


def test_the_trend_keeps_only_the_latest_rated_sessions(store: HistoryStore) -> None:
    """More rated sessions than the trend draws: the newest TREND_POINTS, oldest first."""
    load(
        store,
        *(
            row(TODAY - timedelta(days=n), tension_before=n % 10, tension_after=0)
            for n in range(TREND_POINTS + 5)
        ),
    )
    trend = progress_figures(store, TODAY).trend
    assert len(trend) == TREND_POINTS
    assert trend[-1].started_at.startswith(TODAY.isoformat())
    assert trend[0].started_at.startswith((TODAY - timedelta(days=TREND_POINTS - 1)).isoformat())


def test_break_prompts_of_this_week_are_counted(tmp_path: Path) -> None:
    """Reminders shown this week and those that started a break; last week's are left out."""
    moments = iter(datetime(2024, 5, day, 11, 0, tzinfo=ZONE) for day in (6, 13, 14, 14))
    store, _ = HistoryStore.open(tmp_path / "h.sqlite3", now=lambda: next(moments))
    with store:
        for outcome in ("shown", "shown", "started", "shown"):
            store.record_prompt(outcome)
        figures = progress_figures(store, TODAY)
    assert (figures.breaks_shown, figures.breaks_taken) == (2, 1)


def test_pages_reach_every_session_once_newest_first(store: HistoryStore) -> None:
    """Following the cursor from page to page lists every session exactly once, newest first."""
    load(store, *(row(TODAY - timedelta(days=n // 3), hour=8 + n % 3, note=f"s{n}") for n in range(25)))
    seen: list[str] = []
    page = session_page(store, SessionQuery(), None, limit=10)
    pages = 1
    seen += [r.note or "" for r in page.records]
    while page.next_cursor is not None:
        page = session_page(store, SessionQuery(), page.next_cursor, limit=10)
        pages += 1
        seen += [r.note or "" for r in page.records]
    assert pages == 3
    assert sorted(seen) == sorted(f"s{n}" for n in range(25))
    assert seen[0] == "s2" and seen[-1] == "s24"  # 15 May 10:00 first; 7 May 08:00 last


def test_a_query_filters_by_status_routine_and_text(store: HistoryStore) -> None:
    """Status, routine and text narrow the pages; text also finds a routine by its title as shown."""
    load(
        store,
        row(TODAY, note="calmer jaw"),
        row(TODAY, hour=9, status="stopped", active_seconds=60),
        row(TODAY, hour=10, routine_id="feet", routine_title="Feet"),
    )
    assert len(session_page(store, SessionQuery(status="stopped")).records) == 1
    assert len(session_page(store, SessionQuery(routine_id="feet")).records) == 1
    assert [r.note for r in session_page(store, SessionQuery(text="jaw")).records] == ["calmer jaw"]
    shown_as = SessionQuery(text="plantar", text_routine_ids=("feet",))
    assert [r.routine_id for r in session_page(store, shown_as).records] == ["feet"]


def test_matching_sessions_cross_export_pages(store: HistoryStore, monkeypatch: pytest.MonkeyPatch) -> None:
    """An export reads page after page until the last matching session, with none twice."""
    monkeypatch.setattr(progress, "EXPORT_PAGE_ROWS", 4)
    load(store, *(row(TODAY - timedelta(days=n), note=f"s{n}") for n in range(11)))
    notes = [r.note for r in matching_sessions(store, SessionQuery())]
    assert notes == [f"s{n}" for n in range(11)]


def test_export_writes_only_the_matching_sessions(store: HistoryStore, tmp_path: Path) -> None:
    """CSV and JSON exports hold exactly the sessions the query matches, in the command line's format."""
    load(store, row(TODAY, note="kept"), row(TODAY, hour=9, status="stopped", active_seconds=60))
    completed = SessionQuery(status="completed")
    assert export_matching(store, completed, tmp_path / "out.csv") == 1
    with (tmp_path / "out.csv").open(encoding="utf-8", newline="") as handle:
        assert [r["note"] for r in csv.DictReader(handle)] == ["kept"]
    assert export_matching(store, SessionQuery(), tmp_path / "out.json") == 2
    assert len(json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))) == 2


def test_a_failed_export_raises_and_leaves_no_file(store: HistoryStore, tmp_path: Path) -> None:
    """Writing into a missing folder raises OSError and leaves nothing half-written."""
    load(store, row(TODAY))
    with pytest.raises(OSError, match="No such file"):
        export_matching(store, SessionQuery(), tmp_path / "missing" / "out.csv")
    assert list(tmp_path.rglob("*.partial")) == []


def test_figures_and_pages_do_not_load_the_store() -> None:
    """The figures' module (what pages and widgets import) loads neither the history store nor Qt."""
    code = (
        "import sys\nimport massage_guide.core.progress\n"
        "print(sorted(m for m in sys.modules if m == 'massage_guide.core.history' or m.startswith('PySide6')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO_ROOT, check=True
    )
    assert result.stdout.strip() == "[]"
