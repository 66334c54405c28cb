"""Reading a long history in pieces: pages of sessions newest first, and the newest rated sessions."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

from massage_guide.core.history import HistoryStore

ZONE = timezone(timedelta(hours=2))


def _fill(store: HistoryStore, count: int) -> None:
    start = datetime(2024, 1, 1, 8, tzinfo=ZONE)
    rows = []
    for n in range(count):
        started = start + timedelta(hours=5 * n)
        rows.append(
            (
                n + 1,
                {
                    "id": str(uuid.UUID(int=n + 1)), "routine_id": "neck" if n % 3 else "feet",
                    "routine_title": "Neck release" if n % 3 else "Happy feet",
                    "started_at": started.isoformat(), "ended_at": (started + timedelta(minutes=5)).isoformat(),
                    "status": "completed" if n % 4 else "stopped", "planned_seconds": 300, "active_seconds": 300,
                    "steps_completed": 3, "steps_total": 3, "tension_before": n % 10 if n % 2 else None,
                    "tension_after": (n + 1) % 10 if n % 2 else None, "note": f"Calm jaw {n}" if n % 7 == 0 else None,
                },
            )
        )  # fmt: skip
    assert store.import_records(rows).added == count


def test_pages_walk_the_whole_history_newest_first(tmp_path: Path) -> None:
    """Following the cursor page by page lists every session once, newest first, then stops."""
    store, _ = HistoryStore.open(tmp_path / "history.sqlite3")
    with store:
        _fill(store, 95)
        seen: list[str] = []
        cursor = None
        while True:
            page, cursor = store.sessions_before(cursor, 20)
            seen.extend(record.started_at for record in page)
            if cursor is None:
                break
        assert len(seen) == 95 == len(set(seen))
        assert seen == sorted(seen, reverse=True)
        assert store.finished_count() == 95


def test_pages_filter_by_routine_status_and_text(tmp_path: Path) -> None:
    """Routine, status and words in the title, the note or a named routine narrow the pages alike."""
    store, _ = HistoryStore.open(tmp_path / "history.sqlite3")
    with store:
        _fill(store, 60)
        feet, _ = store.sessions_before(None, 100, routine_id="feet")
        assert len(feet) == 20 and {r.routine_id for r in feet} == {"feet"}
        stopped, _ = store.sessions_before(None, 100, status="stopped")
        assert len(stopped) == 15 and {r.status for r in stopped} == {"stopped"}
        jaw, _ = store.sessions_before(None, 100, text="calm jaw")
        assert sorted(int(r.note.split()[-1]) for r in jaw if r.note) == list(range(0, 60, 7))
        happy, _ = store.sessions_before(None, 100, text="zzz", text_routine_ids=("feet",))
        assert len(happy) == 20


def test_latest_rated_sessions_oldest_first(tmp_path: Path) -> None:
    """The trend reads only the newest rated sessions it draws, in time order."""
    store, _ = HistoryStore.open(tmp_path / "history.sqlite3")
    with store:
        _fill(store, 80)
        latest = store.latest_tension_pairs(10)
        everything = store.tension_pairs()
        assert latest == everything[-10:]
        assert len(everything) == 40
