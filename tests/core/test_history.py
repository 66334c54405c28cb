"""The history store: records, migrations, crash recovery, corrupt and newer files, writers at once."""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from massage_guide.core.history import (
    MIGRATIONS,
    RECORD_FIELDS,
    SCHEMA_VERSION,
    HistoryStore,
    HistoryTooNewError,
    UnknownSessionError,
    owner_alive,
    process_marker,
    validate_record,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
BERLIN_SUMMER = timezone(timedelta(hours=2))


class StepClock:
    """A wall clock for the store that moves a minute every time it is read."""

    def __init__(self, start: datetime) -> None:
        self.moment = start

    def __call__(self) -> datetime:
        value = self.moment
        self.moment += timedelta(minutes=1)
        return value


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "history.sqlite3"


@pytest.fixture
def store(db: Path) -> Iterator[HistoryStore]:
    opened, messages = HistoryStore.open(
        db, now=StepClock(datetime(2024, 5, 1, 18, 30, tzinfo=BERLIN_SUMMER))
    )
    assert messages == []
    yield opened
    opened.close()


def begin(store: HistoryStore, routine_id: str = "neck-tension-release") -> str:
    return store.begin(
        routine_id=routine_id,
        routine_title="Neck tension release",
        content_hash="sha256:abc",
        planned_seconds=495,
        steps_total=8,
    )


def csv_row(**changes: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "routine_id": "lower-back-relief",
        "routine_title": "Lower back relief",
        "started_at": "2024-03-01T08:00:00+01:00",
        "ended_at": "2024-03-01T08:10:00+01:00",
        "status": "completed",
        "planned_seconds": "585",
        "active_seconds": "585",
        "steps_completed": "7",
        "steps_total": "7",
        "tension_before": "",
        "tension_after": "",
        "note": "",
    }
    row.update(changes)
    return row


def test_a_session_round_trips_with_every_field(store: HistoryStore) -> None:
    """What the engine records (start, progress, finish, feedback) reads back exactly, offsets kept."""
    session_id = begin(store)
    assert uuid.UUID(session_id)
    first = store.get(session_id)
    assert first is not None and first.status == "in_progress"
    store.progress(session_id, active_seconds=61.6, steps_completed=1)
    store.finish(session_id, status="completed", active_seconds=494.8, steps_completed=8)
    store.set_feedback(session_id, tension_before=7, tension_after=3, note="Jaw let go too.")
    record = store.get(session_id)
    assert record is not None
    assert record.to_dict() == {
        "id": session_id,
        "routine_id": "neck-tension-release",
        "routine_title": "Neck tension release",
        "routine_hash": "sha256:abc",
        "started_at": "2024-05-01T18:30:00+02:00",
        "ended_at": "2024-05-01T18:32:00+02:00",
        "status": "completed",
        "planned_seconds": 495,
        "active_seconds": 495,
        "steps_completed": 8,
        "steps_total": 8,
        "tension_before": 7,
        "tension_after": 3,
        "note": "Jaw let go too.",
    }
    assert tuple(record.to_dict()) == RECORD_FIELDS


def test_bad_values_from_the_engine_are_refused(store: HistoryStore) -> None:
    """A finish status other than completed/stopped, tension 11, or an unknown id is an error, not data."""
    session_id = begin(store)
    with pytest.raises(ValueError, match="completed or stopped"):
        store.finish(session_id, status="interrupted", active_seconds=1, steps_completed=0)
    with pytest.raises(ValueError, match="0 to 10"):
        store.set_feedback(session_id, tension_before=11, tension_after=None, note=None)
    with pytest.raises(UnknownSessionError):
        store.progress(str(uuid.uuid4()), active_seconds=1, steps_completed=1)


def test_files_are_private(store: HistoryStore, db: Path) -> None:
    """The database and its -wal and -shm files are readable by their owner only (mode 0600)."""
    begin(store)
    for name in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        assert name.exists(), name
        assert name.stat().st_mode & 0o777 == 0o600, name


def test_a_version_1_database_is_migrated_with_its_data(db: Path) -> None:
    """A file from schema version 1 is upgraded step by step to the current version, every row kept."""
    db.parent.mkdir(parents=True)
    old = sqlite3.connect(db)
    for statement in MIGRATIONS[0]:
        old.execute(statement)
    old.execute(
        "INSERT INTO sessions (id, routine_id, routine_title, started_at, started_utc, local_day, ended_at,"
        " updated_at, status, planned_seconds, active_seconds, steps_completed, steps_total, tension_before,"
        " tension_after) VALUES ('6f1c1b7e-4a51-4a43-9d7e-6c1f0a4b2d11', 'feet', 'Feet', "
        "'2023-12-31T23:30:00-05:00', 1704083400, '2023-12-31', '2024-01-01T00:00:00-05:00', "
        "'2024-01-01T00:00:00-05:00', 'completed', 540, 545, 6, 6, 5, 2)"
    )
    old.execute("PRAGMA user_version = 1")
    old.commit()
    old.close()

    store, messages = HistoryStore.open(db)
    with store:
        assert messages == []
        assert store.schema_version == SCHEMA_VERSION == 4
        record = store.get("6f1c1b7e-4a51-4a43-9d7e-6c1f0a4b2d11")
        assert record is not None and record.active_seconds == 545 and record.tension_after == 2
        assert record.local_day == date(2023, 12, 31)
        assert [(d.day, d.seconds, d.sessions) for d in store.daily_totals()] == [
            (date(2023, 12, 31), 545, 1)
        ]
        assert store.tension_summary() == (1, 5.0, 2.0)
        store.record_prompt("snoozed")
        assert store.prompt_counts(date(2000, 1, 1), date(2100, 1, 1))["snoozed"] == 1


def test_a_version_3_file_is_migrated_so_only_completed_sessions_make_a_streak_day(db: Path) -> None:
    """Schema 4 (issue 15): a day with only a stopped or interrupted session, however long, no longer
    counts toward a streak; its minutes and sessions stay, and new sessions follow the same rule."""
    db.parent.mkdir(parents=True)
    old = sqlite3.connect(db, isolation_level=None)
    for step in MIGRATIONS[:3]:
        for statement in step:
            old.execute(statement)
    columns = (
        "id, routine_id, routine_title, started_at, started_utc, local_day, updated_at, status,"
        " planned_seconds, active_seconds, steps_completed, steps_total"
    )
    sessions = [  # (day, status, active seconds): 1 March done, 2 March stopped late, 3 March interrupted
        ("2024-03-01", "completed", 30),
        ("2024-03-02", "stopped", 900),
        ("2024-03-03", "interrupted", 600),
        ("2024-03-03", "stopped", 20),
    ]
    for n, (day, status, active) in enumerate(sessions):
        old.execute(
            f"INSERT INTO sessions ({columns}) VALUES (?, 'feet', 'Feet', ?, 0, ?, ?, ?, 600, ?, 1, 8)",
            (
                str(uuid.UUID(int=n + 1)),
                f"{day}T08:00:00+01:00",
                day,
                f"{day}T08:00:00+01:00",
                status,
                active,
            ),
        )
    old.execute("PRAGMA user_version = 3")
    before = old.execute("SELECT local_day, streak_sessions FROM days ORDER BY local_day").fetchall()
    old.close()
    assert before == [("2024-03-01", 1), ("2024-03-02", 1), ("2024-03-03", 1)]  # the old rule

    store, messages = HistoryStore.open(db, now=StepClock(datetime(2024, 3, 4, 9, 0, tzinfo=BERLIN_SUMMER)))
    with store:
        assert messages == [] and store.schema_version == 4
        totals = [(d.day.day, d.seconds, d.sessions, d.counts_for_streak) for d in store.daily_totals()]
        assert totals == [(1, 30, 1, True), (2, 900, 1, False), (3, 620, 2, False)]
        assert store.streak_days() == [date(2024, 3, 1)]
        stopped, done = begin(store), begin(store)
        store.finish(stopped, status="stopped", active_seconds=1200, steps_completed=3)
        assert store.streak_days() == [date(2024, 3, 1)]
        store.finish(done, status="completed", active_seconds=400, steps_completed=8)
        assert store.streak_days() == [date(2024, 3, 1), date(2024, 3, 4)]


def test_a_newer_database_is_refused_and_left_untouched(db: Path) -> None:
    """A file written by a newer version raises a clear error and keeps every byte as it was."""
    db.parent.mkdir(parents=True)
    newer = sqlite3.connect(db)
    newer.execute("CREATE TABLE future (x)")
    newer.execute("PRAGMA user_version = 99")
    newer.commit()
    newer.close()
    before = db.read_bytes()
    with pytest.raises(HistoryTooNewError, match="newer version") as raised:
        HistoryStore.open(db)
    assert str(db) in str(raised.value)
    assert db.read_bytes() == before
    assert sorted(p.name for p in db.parent.iterdir()) == [db.name]


def test_a_corrupt_file_is_moved_aside_and_a_fresh_one_started(db: Path) -> None:
    """Garbage in the file: it is kept under a 'corrupt' name, the user is told where, the app goes on."""
    db.parent.mkdir(parents=True)
    garbage = b"this is not a database\x00\xff" * 200
    db.write_bytes(garbage)
    store, messages = HistoryStore.open(db, now=lambda: datetime(2024, 2, 29, 7, 5, 9, tzinfo=UTC))
    with store:
        moved = db.with_name("history.sqlite3.corrupt-20240229-070509")
        assert moved.read_bytes() == garbage
        assert len(messages) == 1 and str(moved) in messages[0]
        begin(store)
        assert store.count() == 1
        assert store.schema_version == SCHEMA_VERSION


def test_recover_marks_sessions_of_dead_processes_only(store: HistoryStore) -> None:
    """A row owned by a process that is gone (or whose pid was reused) becomes interrupted; ours stays."""
    ours = begin(store)
    dead = begin(store)
    reused = begin(store)
    store.progress(dead, active_seconds=130, steps_completed=2)
    finished = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], check=True, capture_output=True
    )
    gone_pid = int(finished.stdout)
    connection = sqlite3.connect(store.path)
    connection.execute("UPDATE sessions SET owner_pid = ? WHERE id = ?", (gone_pid, dead))
    connection.execute("UPDATE sessions SET owner_start = 'another-boot:1' WHERE id = ?", (reused,))
    connection.commit()
    connection.close()

    assert store.recover_interrupted() == 2
    statuses = {s: store.get(s).status for s in (ours, dead, reused)}  # type: ignore[union-attr]
    assert statuses == {ours: "in_progress", dead: "interrupted", reused: "interrupted"}
    record = store.get(dead)
    assert record is not None and record.active_seconds == 130 and record.steps_completed == 2
    assert record.ended_at is not None
    assert store.recover_interrupted() == 0


def test_owner_alive_knows_this_process_and_not_another_host() -> None:
    """The liveness check sees the current process, and treats a row from another computer as gone."""
    import socket

    marker = process_marker(os.getpid())
    assert marker is not None
    assert owner_alive(socket.gethostname(), os.getpid(), marker)
    assert not owner_alive("some-other-laptop", os.getpid(), marker)


CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from massage_guide.core.history import HistoryStore
    store, _ = HistoryStore.open(Path(sys.argv[1]))
    sid = store.begin(routine_id="neck", routine_title="Neck", content_hash="h", planned_seconds=300,
                      steps_total=5)
    store.progress(sid, active_seconds=95, steps_completed=3)
    print(sid, flush=True)
    sys.stdin.read()
    """
)


@contextlib.contextmanager
def _child_in_session(db: Path) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """A separate process that has begun a session, recorded progress, and now waits (until killed)."""
    with subprocess.Popen(
        [sys.executable, "-c", CHILD, str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO_ROOT,
    ) as child:
        assert child.stdout is not None
        try:
            yield child, child.stdout.readline().strip()
        finally:
            child.kill()
            child.wait()


@pytest.mark.slow
def test_a_session_killed_with_sigkill_is_marked_interrupted_with_its_progress(db: Path) -> None:
    """A process killed mid-session leaves in_progress; the next open marks it interrupted, progress kept."""
    with _child_in_session(db) as (child, session_id):
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        assert child.returncode == -signal.SIGKILL
    store, _ = HistoryStore.open(db)
    with store:
        assert store.recover_interrupted() == 1
        record = store.get(session_id)
        assert record is not None
        assert (record.status, record.active_seconds, record.steps_completed) == ("interrupted", 95, 3)


@pytest.mark.slow
def test_a_session_running_in_another_live_process_is_left_alone(db: Path) -> None:
    """Recovery in one process never touches a session another running process is still recording."""
    with _child_in_session(db) as (_child, session_id):
        store, _ = HistoryStore.open(db)
        with store:
            assert store.recover_interrupted() == 0
            record = store.get(session_id)
            assert record is not None and record.status == "in_progress"


WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from massage_guide.core.history import HistoryStore
    store, _ = HistoryStore.open(Path(sys.argv[1]))
    for n in range(200):
        sid = store.begin(routine_id=sys.argv[2], routine_title="T", content_hash="h", planned_seconds=60,
                          steps_total=1)
        store.finish(sid, status="completed", active_seconds=60, steps_completed=1)
    """
)


@pytest.mark.slow
def test_two_processes_writing_at_once_lose_nothing(db: Path) -> None:
    """Two processes recording 200 sessions each at the same time: all 400 are on record."""
    HistoryStore.open(db)[0].close()
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(db), name], cwd=REPO_ROOT) for name in ("a", "b")
    ]
    assert [w.wait(timeout=120) for w in writers] == [0, 0]
    store, _ = HistoryStore.open(db)
    with store:
        assert store.count() == 400
        assert len(store.list_sessions(routine_id="a", status="completed")) == 200


def test_import_validates_rows_and_never_adds_an_id_twice(store: HistoryStore) -> None:
    """Malformed rows are reported by line and skipped; a repeated id (in the file or on record) is not added."""
    good = csv_row()
    rows = [
        (2, good),
        (3, csv_row(id="not-a-uuid")),
        (4, csv_row(started_at="yesterday")),
        (5, csv_row(started_at="2024-03-01T08:00:00")),
        (6, csv_row(status="finished")),
        (7, csv_row(active_seconds="-5")),
        (8, csv_row(tension_after="11")),
        (9, csv_row(steps_completed="9")),
        (10, csv_row(ended_at="2024-03-01T07:00:00+01:00")),
        (11, dict(good)),
    ]
    result = store.import_records(rows)
    assert (result.added, result.already) == (1, 1)
    lines = [line for line, _ in result.problems]
    assert lines == [3, 4, 5, 6, 7, 8, 9, 10]
    messages = dict(result.problems)
    assert "UUID" in messages[3] and "no UTC offset" in messages[5] and "finished" in messages[6]
    assert "negative" in messages[7] and "11" in messages[8]
    again = store.import_records([(2, good)])
    assert (again.added, again.already) == (0, 1)
    assert store.count() == 1


def test_an_imported_in_progress_row_becomes_interrupted() -> None:
    """Nothing on this computer runs a session from a file, so an imported in_progress row is interrupted."""
    assert validate_record(csv_row(status="in_progress", ended_at="")).status == "interrupted"


def test_queries_for_the_progress_page(store: HistoryStore) -> None:
    """Daily totals, routine totals and tension pairs count finished sessions on their local day."""
    rows = [
        (1, csv_row(started_at="2024-03-01T23:30:00+01:00", ended_at="", active_seconds="300")),
        (
            2,
            csv_row(
                started_at="2024-03-02T00:30:00+01:00", ended_at="", active_seconds="30", status="stopped"
            ),
        ),
        (
            3,
            csv_row(
                started_at="2024-03-02T09:00:00+01:00", ended_at="", tension_before="6", tension_after="2"
            ),
        ),
    ]
    assert store.import_records(rows).added == 3
    days = store.daily_totals(date(2024, 3, 1), date(2024, 3, 31))
    assert [(d.day.day, d.seconds, d.sessions, d.counts_for_streak) for d in days] == [
        (1, 300, 1, True),
        (2, 615, 2, True),
    ]
    totals = store.routine_totals(date(2024, 3, 2), date(2024, 3, 2))
    assert [(t.routine_id, t.seconds, t.sessions) for t in totals] == [("lower-back-relief", 615, 2)]
    assert [(p.before, p.after) for p in store.tension_pairs()] == [(6, 2)]
    newest = store.list_sessions(limit=1, newest_first=True)
    assert newest[0].started_at == "2024-03-02T09:00:00+01:00"
    assert len(store.list_sessions(since=date(2024, 3, 2))) == 2


def test_the_per_day_summary_always_matches_the_sessions(store: HistoryStore) -> None:
    """The trigger-kept per-day table agrees with a direct count after begins, progress, finishes, feedback."""
    first, second, third = begin(store), begin(store), begin(store)
    store.progress(first, active_seconds=40, steps_completed=1)
    store.finish(second, status="stopped", active_seconds=75, steps_completed=2)
    store.finish(third, status="completed", active_seconds=30, steps_completed=8)
    store.set_feedback(third, tension_before=8, tension_after=5, note=None)
    store.set_feedback(third, tension_before=6, tension_after=5, note="changed my mind")
    late = csv_row(started_at="2024-05-01T23:59:00+02:00", ended_at="", tension_before="4", tension_after="1")
    assert store.import_records([(2, late)]).added == 1
    direct = (
        sqlite3.connect(store.path)
        .execute(
            "SELECT local_day, sum(active_seconds), count(*) FROM sessions WHERE status != 'in_progress'"
            " GROUP BY local_day"
        )
        .fetchall()
    )
    assert [(d.day.isoformat(), d.seconds, d.sessions) for d in store.daily_totals()] == direct
    assert store.daily_totals()[0].counts_for_streak
    assert store.tension_summary() == (2, 5.0, 3.0)
