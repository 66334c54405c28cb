"""History on a full, read-only or locked disk: the file is left alone, sessions wait and are saved later."""

from __future__ import annotations

import logging
import os
import sqlite3
import stat
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from massage_guide.core import history as history_module
from massage_guide.core.engine import SessionEngine
from massage_guide.core.history import (
    Fault,
    HistoryDeferredError,
    HistoryStore,
    HistoryUnavailableError,
)
from massage_guide.core.history_faults import classify
from massage_guide.core.history_pending import journal_files
from massage_guide.core.model import Routine, Step, Text
from massage_guide.core.session import Session
from tests.conftest import FakeClock
from tests.disk import SmallDisk, mounted


def begin(store: HistoryStore, routine_id: str = "neck") -> str:
    try:
        return store.begin(
            routine_id=routine_id, routine_title="Neck", content_hash="", planned_seconds=60, steps_total=2
        )
    except HistoryDeferredError as waiting:
        assert waiting.session_id is not None
        return waiting.session_id


def finished_session(file: Path) -> str:
    store, messages = HistoryStore.open(file)
    assert messages == []
    session_id = begin(store)
    store.finish(session_id, status="completed", active_seconds=60, steps_completed=2)
    store.close()
    return session_id


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[SmallDisk]:
    with mounted(tmp_path / "disk") as small:
        yield small


def test_a_full_disk_leaves_the_history_in_place_and_readable(disk: SmallDisk) -> None:
    """On a full disk the history is not set aside as damaged: it opens for reading and says the disk is full."""
    file = disk.root / "history.sqlite3"
    kept = finished_session(file)
    disk.fill()
    store, messages = HistoryStore.open(file, full_check=True)
    with store:
        assert store.fault is Fault.FULL
        assert [r.id for r in store.list_sessions()] == [kept]
    assert len(messages) == 1 and "disk is full" in messages[0] and "\n" not in messages[0]
    assert not list(disk.root.glob("*.corrupt-*"))


def test_a_session_finished_on_a_full_disk_is_on_record_once_space_returns(disk: SmallDisk) -> None:
    """A session begun and finished while the disk is full waits in memory and is written when space returns."""
    file = disk.root / "history.sqlite3"
    finished_session(file)
    store, _messages = HistoryStore.open(file)
    disk.fill()
    with pytest.raises(HistoryDeferredError) as told:
        store.begin(
            routine_id="calm", routine_title="Calm", content_hash="", planned_seconds=60, steps_total=2
        )
    assert told.value.fault is Fault.FULL and "disk is full" in str(told.value)
    session_id = told.value.session_id
    assert session_id is not None
    store.progress(session_id, active_seconds=30, steps_completed=1)  # told once: no second error
    store.finish(session_id, status="completed", active_seconds=60, steps_completed=2)
    assert store.retry_pending() is False and store.waiting == 1
    disk.free()
    assert store.retry_pending() is True
    store.close()
    again, _messages = HistoryStore.open(file)
    with again:
        record = again.get(session_id)
        assert record is not None and record.status == "completed" and record.active_seconds == 60


def test_a_history_opened_on_a_full_disk_saves_waiting_sessions_when_space_returns(disk: SmallDisk) -> None:
    """A store opened read-only because the disk was full reopens for writing by itself once there is room."""
    file = disk.root / "history.sqlite3"
    finished_session(file)
    disk.fill()
    store, _messages = HistoryStore.open(file)
    session_id = begin(store)
    store.finish(session_id, status="stopped", active_seconds=20, steps_completed=1)
    disk.free()
    assert store.retry_pending() and store.fault is None
    store.close()
    with HistoryStore.open(file)[0] as again:
        assert again.count() == 2


def test_a_read_only_disk_is_reported_as_read_only_and_sessions_wait(disk: SmallDisk) -> None:
    """A history on a read-only file system is read, never moved, and new sessions wait with a clear message."""
    file = disk.root / "history.sqlite3"
    finished_session(file)
    disk.read_only()
    try:
        store, messages = HistoryStore.open(file, full_check=True)
        assert store.fault is Fault.READ_ONLY and "read-only" in messages[0]
        assert store.count() == 1
        with pytest.raises(HistoryDeferredError, match="read-only"):
            store.begin(routine_id="x", routine_title="X", content_hash="", planned_seconds=1, steps_total=1)
        store.close()
        assert not list(disk.root.glob("*.corrupt-*"))
    finally:
        disk.read_only(False)


def test_a_locked_history_keeps_the_session_in_a_journal_saved_at_the_next_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While another program holds the write lock a session waits in a journal file; the next start saves it."""
    monkeypatch.setattr(history_module, "BUSY_TIMEOUT_MS", 50)
    file = tmp_path / "history.sqlite3"
    finished_session(file)
    store, _messages = HistoryStore.open(file)
    blocker = sqlite3.connect(file, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    with pytest.raises(HistoryDeferredError, match="locked") as told:
        store.begin(
            routine_id="calm", routine_title="Calm", content_hash="", planned_seconds=60, steps_total=2
        )
    session_id = told.value.session_id
    assert session_id is not None
    store.finish(session_id, status="completed", active_seconds=60, steps_completed=2)
    journals = journal_files(file)
    assert [j.name for j in journals] == [f"history.sqlite3.pending-{session_id}.json"]
    assert journals[0].stat().st_mode & 0o777 == 0o600
    # The app is killed here: its memory is gone, only the journal remains.
    store._pending.rows.clear()
    blocker.execute("ROLLBACK")
    blocker.close()
    again, _messages = HistoryStore.open(file)
    with again:
        record = again.get(session_id)
        assert record is not None and record.status == "completed" and again.count() == 2
    assert journal_files(file) == []


def test_a_journal_that_is_not_a_session_is_left_in_place(tmp_path: Path) -> None:
    """A planted or damaged journal file is never written to the history and never deleted."""
    file = tmp_path / "history.sqlite3"
    finished_session(file)
    planted = file.with_name("history.sqlite3.pending-00000000-0000-0000-0000-000000000000.json")
    planted.write_text('{"id": "x", "status": "completed"}', encoding="utf-8")
    with HistoryStore.open(file)[0] as store:
        assert store.count() == 1
    assert planted.exists()


def test_a_damaged_file_is_still_moved_aside(tmp_path: Path) -> None:
    """Only real damage (not a database) sets the file aside, with a message saying so."""
    file = tmp_path / "history.sqlite3"
    file.write_bytes(b"this is not a database, it is a shopping list" * 100)
    store, messages = HistoryStore.open(file)
    store.close()
    assert "damaged" in messages[0] and len(list(tmp_path.glob("history.sqlite3.corrupt-*"))) == 1


def test_an_unopenable_history_is_left_alone(tmp_path: Path) -> None:
    """A history path that is a folder cannot be opened: nothing is moved, and the message says so."""
    file = tmp_path / "history.sqlite3"
    file.mkdir()
    with pytest.raises(HistoryUnavailableError, match="could not be opened"):
        HistoryStore.open(file)
    assert file.is_dir() and not list(tmp_path.glob("*.corrupt-*"))


def test_sqlite_result_codes_are_classified() -> None:
    """Full, read-only, locked and damaged are told apart from SQLite's own result codes."""
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE TABLE t (x)")
    connection.execute("PRAGMA query_only = ON")
    with pytest.raises(sqlite3.Error) as caught:
        connection.execute("INSERT INTO t VALUES (1)")
    assert classify(caught.value) is Fault.READ_ONLY
    assert classify(OSError(28, "No space left on device")) is Fault.FULL


def _routine() -> Routine:
    step = Step(title=Text.of("Hold"), instruction=Text.of("Hold gently."), duration_seconds=10)
    return Routine(
        id="calm", title=Text.of("Calm"), summary=Text.of("Calm."), areas=("neck",), goals=("relax",),
        steps=(step, step),
    )  # fmt: skip


def test_a_session_on_a_full_disk_tells_once_without_a_traceback(
    disk: SmallDisk, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    """A whole session on a full disk says once that it waits, logs no traceback, and is saved later."""
    from tests.core.test_session import RecordingAudio

    file = disk.root / "history.sqlite3"
    store, _messages = HistoryStore.open(file, now=lambda: datetime(2024, 5, 1, 8, tzinfo=UTC))
    disk.fill()
    routine = _routine()
    session = Session(
        routine, SessionEngine(routine.steps, clock), RecordingAudio(prefetch=False), store, prefetch=False
    )
    told: list[str] = []
    with caplog.at_level(logging.WARNING):
        session.start()
        told += session.problems()
        for _ in range(30):
            clock.advance(1)
            session.tick()
            told += session.problems()
    assert session.status == "completed"
    assert len(told) == 1 and "disk is full" in told[0]
    assert all(record.exc_info is None for record in caplog.records)
    disk.free()
    assert store.retry_pending()
    assert session.session_id is not None
    record = store.get(session.session_id)
    assert record is not None and record.status == "completed"
    store.close()


def test_a_session_kept_while_the_disk_is_full_survives_the_app_closing(
    disk: SmallDisk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the history's disk full the journal goes to the private runtime folder, so a session finished
    and closed before space returns is on record at the next start."""
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    file = disk.root / "history.sqlite3"
    finished_session(file)
    store, _messages = HistoryStore.open(file)
    disk.fill()
    session_id = begin(store)
    store.finish(session_id, status="completed", active_seconds=60, steps_completed=2)
    store.close()
    assert len(journal_files(file)) == 1 and journal_files(file)[0].parent == runtime
    disk.free()
    with HistoryStore.open(file)[0] as again:
        record = again.get(session_id)
        assert record is not None and record.status == "completed"
    assert journal_files(file) == []


def test_a_pipe_in_place_of_the_history_is_refused_at_once(tmp_path: Path) -> None:
    """A named pipe called history.sqlite3 does not hang the app: it is reported and left where it is."""
    file = tmp_path / "history.sqlite3"
    os.mkfifo(file)
    with pytest.raises(HistoryUnavailableError, match="not a regular file"):
        HistoryStore.open(file)
    assert stat.S_ISFIFO(file.lstat().st_mode)
