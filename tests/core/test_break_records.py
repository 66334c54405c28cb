"""Break prompts on record: every outcome kept, older files migrated, and the week's figures."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from massage_guide.core.history import MIGRATIONS, SCHEMA_VERSION, HistoryStore
from massage_guide.core.stats import compute_stats

MONDAY = datetime(2026, 3, 2, 10, 0, tzinfo=timezone(timedelta(hours=1)))


def test_every_outcome_is_recorded_and_counted(tmp_path: Path) -> None:
    """shown, started, snoozed, skipped and missed each land in the prompts table."""
    store, _ = HistoryStore.open(tmp_path / "h.sqlite3", now=lambda: MONDAY)
    with store:
        for outcome in ("shown", "started", "shown", "snoozed", "shown", "missed", "shown", "skipped"):
            store.record_prompt(outcome)
        counts = store.prompt_counts(date(2026, 3, 2), date(2026, 3, 8))
        with pytest.raises(ValueError, match="shown, started"):
            store.record_prompt("taken")
    assert counts == {"shown": 4, "started": 1, "snoozed": 1, "skipped": 1, "missed": 1}


def test_version_2_file_is_migrated_keeping_its_prompts(tmp_path: Path) -> None:
    """A history from before issue 12 keeps its prompts; 'taken' becomes 'started'."""
    path = tmp_path / "h.sqlite3"
    connection = sqlite3.connect(path)
    for statements in MIGRATIONS[:2]:
        for statement in statements:
            connection.execute(statement)
    connection.execute(
        "INSERT INTO prompts (at, local_day, outcome) VALUES ('2026-03-02T10:00:00+01:00', '2026-03-02', 'taken')"
    )
    connection.execute("PRAGMA user_version = 2")
    connection.commit()
    connection.close()
    store, _ = HistoryStore.open(path)
    with store:
        assert store.schema_version == SCHEMA_VERSION
        assert store.prompt_counts(date(2026, 3, 1), date(2026, 3, 8))["started"] == 1
        store.record_prompt("missed")


def test_stats_count_breaks_taken_this_week_only(tmp_path: Path) -> None:
    """Breaks taken this week are the prompts started this week; last week's do not count."""
    moments = [MONDAY - timedelta(days=7), MONDAY, MONDAY + timedelta(days=2)]
    current = iter(moments)
    store, _ = HistoryStore.open(tmp_path / "h.sqlite3", now=lambda: next(current))
    with store:
        for _ in moments:
            store.record_prompt("started")
        figures = compute_stats(store, date(2026, 3, 5))
    assert figures.breaks_taken == 2
    assert figures.to_dict()["breaks_this_week"]["taken"] == 2
