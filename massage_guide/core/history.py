"""The session history store: one SQLite file, versioned, crash-safe, shared safely between processes."""

from __future__ import annotations

import contextlib
import functools
import itertools
import logging
import os
import socket
import sqlite3
import stat
import sys
import time
import urllib.parse
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from massage_guide.core.files import make_private_dir, one_line
from massage_guide.core.history_faults import (
    DamagedError,
    Fault,
    HistoryDeferredError,
    HistoryError,
    classify,
    deferred_message,
    is_storage_error,
    open_message,
)
from massage_guide.core.history_pending import ROW_COLUMNS, PendingSessions, replay_journals
from massage_guide.core.history_records import (
    FINISH_STATUSES,
    IMPORT_COLUMNS,
    PROMPT_OUTCOMES,
    RECORD_FIELDS,
    STATUSES,
    STREAK_MIN_ACTIVE_SECONDS,
    TENSION_MAX,
    TENSION_MIN,
    DayTotal,
    HandedOver,
    ImportResult,
    ImportRow,
    ReadRow,
    RoutineTotal,
    SessionRecord,
    TensionPair,
    import_row,
    local_now,
    parse_timestamp,
    validate_record,
)
from massage_guide.core.history_schema import (
    ADD_DAYS_AFTER_ROWID,
    DAY_INSERT_TRIGGER,
    DAY_INSERT_TRIGGER_NAME,
    MIGRATIONS,
    SCHEMA_VERSION,
)
from massage_guide.core.i18n import _

if TYPE_CHECKING:
    from massage_guide.core.history_helper import ImportHelper

# Records and the schema live in history_records and history_schema; the store re-exports them.
__all__ = [
    "BUSY_TIMEOUT_MS",
    "FILE_MODE",
    "FINISH_STATUSES",
    "MIGRATIONS",
    "PROMPT_OUTCOMES",
    "RECORD_FIELDS",
    "SCHEMA_VERSION",
    "STATUSES",
    "STREAK_MIN_ACTIVE_SECONDS",
    "TENSION_MAX",
    "TENSION_MIN",
    "DayTotal",
    "Fault",
    "HistoryDeferredError",
    "HistoryError",
    "HistoryStore",
    "HistoryTooNewError",
    "HistoryUnavailableError",
    "ImportResult",
    "RoutineTotal",
    "SessionRecord",
    "TensionPair",
    "UnknownSessionError",
    "local_now",
    "owner_alive",
    "parse_timestamp",
    "process_marker",
    "validate_record",
]

log = logging.getLogger(__name__)

# Long enough to outlast another process's short transaction, short enough that nobody waits in silence.
BUSY_TIMEOUT_MS: Final = 5000
FILE_MODE: Final = 0o600  # health data: readable by its owner only
# Rows per import transaction: about a quarter of a second of writing, so a session that ends meanwhile
# waits that long at most (well inside BUSY_TIMEOUT_MS even on a slow disk)...
IMPORT_BATCH_ROWS: Final = 20_000
# ...and the pause after each batch lets it in before the next batch takes the lock again. While a
# session is running somewhere (its row is in_progress), the pause outlasts the longest sleep of SQLite's
# busy handler (100 ms), so its next write is sure to get the lock; otherwise a short pause is enough for
# a session starting or a break prompt (they retry for BUSY_TIMEOUT_MS anyway).
IMPORT_PAUSE_SECONDS: Final = 0.03
IMPORT_PAUSE_WHILE_RUNNING_SECONDS: Final = 0.12
# Rows checked and staged per write to the temporary table: bounds the memory of a million-row import.
STAGE_BATCH_ROWS: Final = 5000
# Rows per INSERT statement while staging: beyond about a hundred the gain levels off.
STAGE_ROWS_PER_INSERT: Final = 200


class HistoryUnavailableError(HistoryError):
    """The file could not be opened at all (not even to read); it was left alone."""

    def __init__(self, message: str, fault: Fault) -> None:
        super().__init__(message)
        self.fault = fault


class HistoryTooNewError(HistoryError):
    """The file was written by a newer Massage Guide; it is left untouched."""


class UnknownSessionError(HistoryError, KeyError):
    """No session with that id is on record."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "unknown session"


# --- processes ---------------------------------------------------------------------------------------


def _read_text(path: str) -> str | None:
    try:
        with open(path, encoding="ascii", errors="replace") as handle:  # noqa: PTH123 - /proc, many calls
            return handle.read()
    except OSError:
        return None


def process_marker(pid: int) -> str | None:
    """A string that changes when ``pid`` is reused (boot id + start time), or None if the process is
    gone or already a zombie. Where /proc is missing the marker is empty and only the pid is checked."""
    if not Path("/proc/self/stat").exists():
        return "" if _pid_alive(pid) else None
    stat = _read_text(f"/proc/{pid}/stat")
    if stat is None:
        return None
    fields = stat[stat.rfind(")") + 2 :].split()
    if not fields or fields[0] in ("Z", "X"):
        return None
    boot = (_read_text("/proc/sys/kernel/random/boot_id") or "").strip()
    return f"{boot}:{fields[19]}"


def _pid_alive(pid: int) -> bool:
    if sys.platform == "win32":
        import ctypes

        still_active = 259
        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)  # QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        ctypes.windll.kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        ctypes.windll.kernel32.CloseHandle(handle)
        return code.value == still_active
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def owner_alive(host: str | None, pid: int | None, marker: str | None) -> bool:
    """Whether the process that wrote an in-progress row is still running.

    A row written on another computer (a copied file) cannot be running here, so it counts as gone."""
    if host != socket.gethostname() or pid is None:
        return False
    now_marker = process_marker(pid)
    if now_marker is None:
        return False
    return not (marker and now_marker and marker != now_marker)


# --- the store -----------------------------------------------------------------------------------------


_make_folder = make_private_dir


def _refuse_special_files(path: Path) -> None:
    """A pipe or a device in the history's place would hang SQLite's first read: refuse it, untouched."""
    for candidate in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            mode = candidate.stat().st_mode
        except OSError:
            continue
        if not stat.S_ISREG(mode) and not (candidate == path and stat.S_ISDIR(mode)):
            reason = ValueError(
                _("{name} is not a regular file but a pipe or a device").format(name=one_line(candidate.name))
            )
            raise HistoryUnavailableError(open_message(Fault.UNOPENABLE, path, reason), Fault.UNOPENABLE)


def _read_only_connection(path: Path) -> sqlite3.Connection | None:
    """The history opened for reading only, or None when it needs a migration first. When even the
    shared-memory file cannot be created (a full disk), the file is read as immutable: after a clean
    close there is no write-ahead log left whose sessions that would miss."""
    base = "file:" + urllib.parse.quote(str(path)) + "?mode=ro"
    wal = path.with_name(path.name + "-wal")
    attempts = [base]
    if not (wal.exists() and wal.stat().st_size > 0):
        attempts.append(base + "&immutable=1")
    failure: sqlite3.Error | None = None
    for uri in attempts:
        connection = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        try:
            version = int(connection.execute("PRAGMA user_version").fetchone()[0])
            if version != SCHEMA_VERSION:
                connection.close()
                return None
            connection.execute("SELECT count(*) FROM sessions").fetchone()
        except sqlite3.Error as error:
            connection.close()
            failure = error
            continue
        return connection
    assert failure is not None
    raise failure


def _restrict_mode(path: Path) -> None:
    with contextlib.suppress(OSError):
        if path.exists() and (path.stat().st_mode & 0o777) != FILE_MODE:
            path.chmod(FILE_MODE)


def _corrupt_name(path: Path, moment: datetime) -> Path:
    base = f"{path.name}.corrupt-{moment.strftime('%Y%m%d-%H%M%S')}"
    candidate = path.with_name(base)
    counter = 1
    while candidate.exists():
        counter += 1
        candidate = path.with_name(f"{base}-{counter}")
    return candidate


def _row_to_record(row: Sequence[Any]) -> SessionRecord:
    return SessionRecord(*row)


_SELECT_RECORD: Final = "SELECT " + ", ".join(RECORD_FIELDS) + " FROM sessions"


class HistoryStore:
    """Sessions on record in ``history.sqlite3``; implements ``HistoryPort``.

    Every write is one short ``BEGIN IMMEDIATE`` transaction, so several processes (the app, the command
    line) can write at once; each waits up to BUSY_TIMEOUT_MS for the others."""

    def __init__(
        self,
        connection: sqlite3.Connection,
        path: Path,
        *,
        now: Callable[[], datetime] = local_now,
        pid: int | None = None,
        fault: Fault | None = None,
    ) -> None:
        self._db = connection
        self.path = path
        # Why the store is open for reading only (None when it can be written): every write waits.
        self.fault = fault
        self._pending = PendingSessions(path)
        self._told: set[str] = set()  # sessions whose wait the user was told about (once is enough)
        self._staging = False
        self._now = now
        self._pid = os.getpid() if pid is None else pid
        self._host = socket.gethostname()
        self._marker = process_marker(self._pid) or ""

    # -- opening

    @classmethod
    def open(
        cls,
        path: Path,
        *,
        now: Callable[[], datetime] = local_now,
        pid: int | None = None,
        full_check: bool = False,
    ) -> tuple[HistoryStore, list[str]]:
        """Open (or create) the store at ``path``; returns it and any messages for the user.

        ``full_check`` also reads every page (PRAGMA quick_check): the app does it once at start, and
        the command line when a query met damage. Only a file SQLite reports as damaged is moved aside
        and a fresh one started (the message says where the old one is). A full, read-only, locked or
        unopenable file is left exactly as it is and opened for reading where possible: the store then
        keeps new sessions waiting (``fault`` says why). Sessions left waiting by an earlier run are
        written now. Raises HistoryTooNewError, leaving the file untouched, when a newer version wrote it,
        and HistoryUnavailableError when the file cannot even be read."""
        messages: list[str] = []
        _refuse_special_files(path)
        try:
            _make_folder(path.parent)
            connection = cls._connect(path, full_check)
        except HistoryTooNewError:
            raise
        except (sqlite3.Error, OSError) as error:
            fault = classify(error, path)
            if fault is not Fault.DAMAGED:
                connection = cls._connect_read_only(path, fault, error)
                store = cls(connection, path, now=now, pid=pid, fault=fault)
                return store, [open_message(fault, path, error)]
            moved = _corrupt_name(path, now())
            path.replace(moved)
            wal = path.with_name(path.name + "-wal")
            if wal.exists():
                wal.replace(moved.with_name(moved.name + "-wal"))
            path.with_name(path.name + "-shm").unlink(missing_ok=True)
            messages.append(
                _(
                    "Your session history file was damaged, so it was moved aside to {moved} and a "
                    "fresh one was started. Your routines and settings are fine. If you need the old "
                    "sessions, keep that file and ask for help recovering it."
                ).format(moved=moved)
            )
            connection = cls._connect(path, full_check)
        store = cls(connection, path, now=now, pid=pid)
        try:
            replay_journals(path, connection)
        except (sqlite3.Error, OSError) as error:  # still full or locked: they wait for the next start
            log.info("waiting sessions not written yet: %s", error)
        return store, messages

    @staticmethod
    def _connect_read_only(path: Path, fault: Fault, error: BaseException) -> sqlite3.Connection:
        """A connection that only reads, for a file that cannot be written now; an empty history
        (with the schema, so queries work) when the file does not exist yet."""
        try:
            if path.exists():
                connection = _read_only_connection(path)
                if connection is not None:
                    return connection
            connection = sqlite3.connect(":memory:", isolation_level=None)
            HistoryStore._migrate(connection, 0)
            connection.execute("PRAGMA query_only = ON")
            return connection
        except (sqlite3.Error, OSError) as again:
            raise HistoryUnavailableError(open_message(fault, path, error), fault) from again

    @staticmethod
    def _connect(path: Path, full_check: bool) -> sqlite3.Connection:
        if not path.exists():
            # Create the file ourselves so it is private from the first byte; SQLite gives the -wal and
            # -shm files the same mode as the database.
            os.close(os.open(path, os.O_CREAT | os.O_RDWR, FILE_MODE))
        _restrict_mode(path)
        connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        try:
            connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            # Reading the version reads the header: a file that is not a database fails here.
            version = int(connection.execute("PRAGMA user_version").fetchone()[0])
            if version > SCHEMA_VERSION:
                raise HistoryTooNewError(
                    _(
                        "Your session history at {path} was written by a newer version of Massage Guide "
                        "(history format {version}; this version reads up to {readable}). It was left "
                        "exactly as it is. Please update Massage Guide to see and add to it."
                    ).format(path=path, version=version, readable=SCHEMA_VERSION)
                )
            # Reading the schema catches a damaged first page; the full check reads every page, which
            # takes a while on a long history, so only the app start (not every command) asks for it.
            connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
            if full_check:
                check = connection.execute("PRAGMA quick_check(1)").fetchone()
                if check is None or check[0] != "ok":
                    raise DamagedError(f"quick_check: {check}")
            connection.execute("PRAGMA journal_mode = WAL")
            # FULL: a session on record stays on record even if the power goes right after it ends.
            connection.execute("PRAGMA synchronous = FULL")
            connection.execute("PRAGMA foreign_keys = ON")
            HistoryStore._migrate(connection, version)
        except BaseException:
            connection.close()
            raise
        for suffix in ("-wal", "-shm"):
            _restrict_mode(path.with_name(path.name + suffix))
        return connection

    @staticmethod
    def _migrate(connection: sqlite3.Connection, version: int) -> None:
        while version < SCHEMA_VERSION:
            with _transaction(connection):
                # Re-read inside the write lock: another process may have migrated meanwhile.
                version = int(connection.execute("PRAGMA user_version").fetchone()[0])
                if version >= SCHEMA_VERSION:
                    break
                for statement in MIGRATIONS[version]:
                    connection.execute(statement)
                version += 1
                connection.execute(f"PRAGMA user_version = {version}")

    def close(self) -> None:
        """Close the file; a last try writes waiting sessions (their journals keep them otherwise)."""
        with contextlib.suppress(sqlite3.Error, OSError):
            self._try_write_pending()
        self._db.close()

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    # -- recording (HistoryPort)

    def _stamp(self) -> datetime:
        moment = self._now()
        if moment.tzinfo is None:
            raise ValueError("the history clock must return a time with a UTC offset")
        return moment

    def begin(
        self,
        *,
        routine_id: str,
        routine_title: str,
        content_hash: str,
        planned_seconds: int,
        steps_total: int,
    ) -> str:
        """Create an ``in_progress`` record owned by this process; returns its id.

        When the history cannot be written (full, read-only, locked), the record is kept waiting and
        HistoryDeferredError says so; later calls with the returned id keep working."""
        session_id = str(uuid.uuid4())
        moment = self._stamp()
        text = moment.isoformat()
        row: dict[str, Any] = {
            "id": session_id, "routine_id": routine_id, "routine_title": routine_title,
            "routine_hash": content_hash, "started_at": text, "started_utc": moment.timestamp(),
            "local_day": moment.date().isoformat(), "ended_at": None, "updated_at": text,
            "status": "in_progress", "planned_seconds": int(planned_seconds), "active_seconds": 0,
            "steps_completed": 0, "steps_total": int(steps_total), "tension_before": None,
            "tension_after": None, "note": None, "owner_host": self._host, "owner_pid": self._pid,
            "owner_start": self._marker,
        }  # fmt: skip
        self._pending.rows[session_id] = row
        self._write_waiting(session_id, first=True)
        return session_id

    def progress(self, session_id: str, *, active_seconds: float, steps_completed: int) -> None:
        """Save progress at a step boundary, so a crash loses at most the step in progress."""
        self._update(
            session_id,
            {
                "active_seconds": _seconds(active_seconds),
                "steps_completed": int(steps_completed),
                "updated_at": self._stamp().isoformat(),
            },
        )

    def finish(self, session_id: str, *, status: str, active_seconds: float, steps_completed: int) -> None:
        """Close the record as ``completed`` or ``stopped``; committed when this returns."""
        if status not in FINISH_STATUSES:
            raise ValueError(f"a session finishes as completed or stopped, not {status!r}")
        stamp = self._stamp().isoformat()
        self._update(
            session_id,
            {
                "status": status,
                "active_seconds": _seconds(active_seconds),
                "steps_completed": int(steps_completed),
                "ended_at": stamp,
                "updated_at": stamp,
            },
        )

    def set_feedback(
        self,
        session_id: str,
        *,
        tension_before: int | None,
        tension_after: int | None,
        note: str | None,
    ) -> None:
        """Record tension (0-10, optional) and a note (optional; blank means none)."""
        for value in (tension_before, tension_after):
            if value is not None and not TENSION_MIN <= value <= TENSION_MAX:
                raise ValueError(f"tension is rated {TENSION_MIN} to {TENSION_MAX}, not {value}")
        self._update(
            session_id,
            {
                "tension_before": tension_before,
                "tension_after": tension_after,
                "note": note if note and note.strip() else None,
            },
        )

    def _update(self, session_id: str, changes: dict[str, Any]) -> None:
        """Change a session's row; a session that is waiting is changed in memory and written if it can be."""
        if session_id in self._pending:
            self._pending.rows[session_id].update(changes)
            self._write_waiting(session_id, first=False)
            return
        if self.fault is None:
            try:
                self._retry_quietly()
                assignments = ", ".join(f"{name} = ?" for name in changes)
                with _transaction(self._db):
                    cursor = self._db.execute(
                        f"UPDATE sessions SET {assignments} WHERE id = ?", (*changes.values(), session_id)
                    )
            except (sqlite3.Error, OSError) as error:
                if not is_storage_error(error) or classify(error, self.path) is Fault.DAMAGED:
                    raise
                self._defer_existing(session_id, changes, classify(error, self.path))
                return
            if cursor.rowcount == 0:
                raise UnknownSessionError(f"no session {session_id} on record")
            return
        self._defer_existing(session_id, changes, self.fault)

    def _defer_existing(self, session_id: str, changes: dict[str, Any], fault: Fault) -> None:
        """Keep a session that is on record but cannot be updated now: its row, changed, waits."""
        row = self._db.execute(
            f"SELECT {', '.join(ROW_COLUMNS)} FROM sessions WHERE id = ?", (session_id,)
        ).fetchone()
        if row is None:
            raise UnknownSessionError(f"no session {session_id} on record")
        waiting = dict(zip(ROW_COLUMNS, row, strict=True))
        waiting.update(changes)
        self._pending.keep(waiting)
        self._told.add(session_id)
        raise HistoryDeferredError(deferred_message(fault), fault, session_id)

    def _write_waiting(self, session_id: str, *, first: bool) -> None:
        """Try to write every waiting session; if ``session_id`` must keep waiting, journal it, and raise
        HistoryDeferredError the first time only (the user was told once; later steps stay quiet)."""
        fault = self._try_write_pending()
        if fault is None:
            return
        self._pending.keep(self._pending.rows[session_id])
        if first or session_id not in self._told:
            self._told.add(session_id)
            raise HistoryDeferredError(deferred_message(fault), fault, session_id)

    def _try_write_pending(self) -> Fault | None:
        """Write waiting sessions; None when all are written, else why they still wait."""
        if not self._pending:
            return None
        if self.fault is not None and not self._reopen():
            return self.fault
        try:
            self._pending.write_all(self._db)
        except (sqlite3.Error, OSError) as error:
            if not is_storage_error(error):
                raise
            fault = classify(error, self.path)
            if fault is Fault.DAMAGED:
                raise
            return fault
        return None

    def _retry_quietly(self) -> None:
        with contextlib.suppress(sqlite3.Error, OSError):
            self._try_write_pending()

    def _reopen(self) -> bool:
        """After a fault: try to open the file for writing again; True when it now can be written."""
        try:
            connection = self._connect(self.path, full_check=False)
        except HistoryTooNewError:
            return False
        except (sqlite3.Error, OSError):
            return False
        self._db.close()
        self._db = connection
        self.fault = None
        with contextlib.suppress(sqlite3.Error, OSError):
            replay_journals(self.path, connection)
        return True

    @property
    def waiting(self) -> int:
        """How many sessions are waiting to be written."""
        return len(self._pending.rows)

    def retry_pending(self) -> bool:
        """Write sessions that are waiting, if the file allows now; True when nothing waits any more.
        Every session write tries this first, and so do close() and the next start."""
        return self._try_write_pending() is None

    def record_prompt(self, outcome: str, *, session_id: str | None = None) -> None:
        """Record what became of a break prompt: shown, started, snoozed, skipped or missed."""
        if outcome not in PROMPT_OUTCOMES:
            raise ValueError(f"a prompt is {', '.join(PROMPT_OUTCOMES)}, not {outcome!r}")
        moment = self._stamp()
        if self.fault is not None:
            return  # a count of prompts is not worth a journal: with the file read-only it is skipped
        try:
            with _transaction(self._db):
                self._db.execute(
                    "INSERT INTO prompts (at, local_day, outcome, session_id) VALUES (?, ?, ?, ?)",
                    (moment.isoformat(), moment.date().isoformat(), outcome, session_id),
                )
        except (sqlite3.Error, OSError) as error:
            if not is_storage_error(error) or classify(error, self.path) is Fault.DAMAGED:
                raise
            log.info("break prompt not counted: %s", error)

    def recover_interrupted(self) -> int:
        """Mark ``interrupted`` every in-progress session whose process is gone (keeping its progress);
        sessions still running in a live process are left alone. Returns how many were marked."""
        rows = self._db.execute(
            "SELECT id, owner_host, owner_pid, owner_start FROM sessions WHERE status = 'in_progress'"
        ).fetchall()
        gone = [row[0] for row in rows if not owner_alive(row[1], row[2], row[3])]
        if not gone or self.fault is not None:
            return 0  # a history that cannot be written now is recovered at a later start
        try:
            with _transaction(self._db):
                for session_id in gone:
                    self._db.execute(
                        "UPDATE sessions SET status = 'interrupted', ended_at = updated_at"
                        " WHERE id = ? AND status = 'in_progress'",
                        (session_id,),
                    )
        except (sqlite3.Error, OSError) as error:
            if not is_storage_error(error) or classify(error, self.path) is Fault.DAMAGED:
                raise
            log.info("crashed sessions not marked yet: %s", error)
            return 0
        return len(gone)

    # -- reading

    def get(self, session_id: str) -> SessionRecord | None:
        waiting = self._pending.rows.get(session_id)
        if waiting is not None:
            return SessionRecord(*(waiting[name] for name in RECORD_FIELDS))
        row = self._db.execute(_SELECT_RECORD + " WHERE id = ?", (session_id,)).fetchone()
        return None if row is None else _row_to_record(row)

    def count(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM sessions").fetchone()[0])

    def sessions_before(
        self,
        cursor: tuple[float, str] | None,
        limit: int,
        *,
        routine_id: str | None = None,
        status: str | None = None,
        text: str = "",
        text_routine_ids: Sequence[str] = (),
    ) -> tuple[list[SessionRecord], tuple[float, str] | None]:
        """One page of sessions, newest first, started before ``cursor`` (None: from the newest), and the
        cursor of the next page (None at the end). ``text`` is found in the recorded title, the note or
        the id, case aside, or the routine is one of ``text_routine_ids``. Reads only the page, through the
        start-time index, however long the history."""
        clauses: list[str] = []
        values: list[Any] = []
        if cursor is not None:
            clauses.append("(started_utc, id) < (?, ?)")
            values.extend(cursor)
        if routine_id is not None:
            clauses.append("routine_id = ?")
            values.append(routine_id)
        if status is not None:
            clauses.append("status = ?")
            values.append(status)
        if text:
            found = "instr(lower(routine_title), ?) OR instr(lower(routine_id), ?) OR instr(lower(note), ?)"
            if text_routine_ids:
                found += f" OR routine_id IN ({', '.join('?' * len(text_routine_ids))})"
            clauses.append(f"({found})")
            values.extend([text.lower()] * 3)
            values.extend(text_routine_ids)
        sql = _SELECT_RECORD.replace(" FROM sessions", ", started_utc FROM sessions")
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        sql += " ORDER BY started_utc DESC, id DESC LIMIT ?"
        values.append(int(limit) + 1)
        rows = self._db.execute(sql, values).fetchall()
        page = [_row_to_record(row[:-1]) for row in rows[:limit]]
        more = len(rows) > limit and page
        return page, ((rows[limit - 1][-1], page[-1].id) if more else None)

    def finished_count(self) -> int:
        """Finished sessions (not in progress), from the per-day totals: instant on any history."""
        return int(self._db.execute("SELECT coalesce(sum(sessions), 0) FROM days").fetchone()[0])

    def list_sessions(
        self,
        *,
        since: date | None = None,
        limit: int | None = None,
        routine_id: str | None = None,
        status: str | None = None,
        newest_first: bool = False,
    ) -> list[SessionRecord]:
        """Sessions in start order (oldest first unless ``newest_first``); ``since`` is a local day."""
        rows = self.iter_sessions(
            since=since, limit=limit, routine_id=routine_id, status=status, newest_first=newest_first
        )
        return list(rows)

    def iter_sessions(
        self,
        *,
        since: date | None = None,
        limit: int | None = None,
        routine_id: str | None = None,
        status: str | None = None,
        newest_first: bool = False,
    ) -> Iterator[SessionRecord]:
        clauses: list[str] = []
        values: list[Any] = []
        if since is not None:
            clauses.append("local_day >= ?")
            values.append(since.isoformat())
        if routine_id is not None:
            clauses.append("routine_id = ?")
            values.append(routine_id)
        if status is not None:
            clauses.append("status = ?")
            values.append(status)
        sql = _SELECT_RECORD
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        order = "DESC" if newest_first else "ASC"
        sql += f" ORDER BY started_utc {order}, id {order}"
        if limit is not None:
            sql += " LIMIT ?"
            values.append(int(limit))
        for row in self._db.execute(sql, values):
            yield _row_to_record(row)

    def daily_totals(self, start: date | None = None, end: date | None = None) -> list[DayTotal]:
        """Active time and finished sessions per local day in [start, end] (the heat map, streaks)."""
        sql = "SELECT local_day, seconds, sessions, streak_sessions FROM days WHERE sessions > 0"
        values: list[str] = []
        if start is not None:
            sql += " AND local_day >= ?"
            values.append(start.isoformat())
        if end is not None:
            sql += " AND local_day <= ?"
            values.append(end.isoformat())
        sql += " ORDER BY local_day"
        return [
            DayTotal(date.fromisoformat(day), int(seconds), int(count), counts > 0)
            for day, seconds, count, counts in self._db.execute(sql, values)
        ]

    def streak_days(self) -> list[date]:
        """Every local day that counts toward a streak, in order."""
        return [d.day for d in self.daily_totals() if d.counts_for_streak]

    def routine_totals(self, start: date, end: date) -> list[RoutineTotal]:
        """Active time and finished sessions per routine for local days in [start, end]."""
        rows = self._db.execute(
            # With a single max(), SQLite takes the bare routine_title from that row: the latest title.
            "SELECT routine_id, routine_title, sum(active_seconds), count(*), max(started_utc) FROM sessions"
            " WHERE local_day BETWEEN ? AND ? AND status != 'in_progress'"
            " GROUP BY routine_id ORDER BY sum(active_seconds) DESC, routine_id",
            (start.isoformat(), end.isoformat()),
        )
        return [RoutineTotal(rid, title, int(sec), int(n)) for rid, title, sec, n, _ in rows]

    def tension_pairs(self, since: date | None = None) -> list[TensionPair]:
        """Sessions rated both before and after, oldest first (the tension trend)."""
        sql = (
            "SELECT started_at, tension_before, tension_after FROM sessions"
            " WHERE tension_before IS NOT NULL AND tension_after IS NOT NULL"
        )
        values: list[str] = []
        if since is not None:
            sql += " AND local_day >= ?"
            values.append(since.isoformat())
        sql += " ORDER BY started_utc"  # walks the sessions_rated index: no sort, no table reads
        return [TensionPair(s, int(b), int(a)) for s, b, a in self._db.execute(sql, values)]

    def latest_tension_pairs(self, limit: int, since: date | None = None) -> list[TensionPair]:
        """The newest ``limit`` rated sessions (since a local day), oldest first: what a trend chart draws,
        read backwards through the rated index, however many there are."""
        sql = (
            "SELECT started_at, tension_before, tension_after FROM sessions"
            " WHERE tension_before IS NOT NULL AND tension_after IS NOT NULL"
        )
        values: list[Any] = []
        if since is not None:
            sql += " AND local_day >= ?"
            values.append(since.isoformat())
        sql += " ORDER BY started_utc DESC LIMIT ?"
        values.append(int(limit))
        rows = self._db.execute(sql, values).fetchall()
        return [TensionPair(s, int(b), int(a)) for s, b, a in reversed(rows)]

    def tension_summary(self) -> tuple[int, float | None, float | None]:
        """(number of finished sessions rated before and after, average before, average after)."""
        n, before, after = self._db.execute(
            "SELECT sum(rated), sum(tension_before_sum), sum(tension_after_sum) FROM days"
        ).fetchone()
        if not n:
            return 0, None, None
        return int(n), before / n, after / n

    def prompt_counts(self, start: date, end: date) -> dict[str, int]:
        """Break prompts by outcome (shown, started, snoozed, skipped, missed) on local days in [start, end]."""
        counts = dict.fromkeys(PROMPT_OUTCOMES, 0)
        for outcome, n in self._db.execute(
            "SELECT outcome, count(*) FROM prompts WHERE local_day BETWEEN ? AND ? GROUP BY outcome",
            (start.isoformat(), end.isoformat()),
        ):
            counts[outcome] = int(n)
        return counts

    # -- import

    def import_records(
        self, rows: Iterable[tuple[int, Mapping[str, Any]]], *, batch_size: int = IMPORT_BATCH_ROWS
    ) -> ImportResult:
        """Validate and add records given as (line number, field mapping); bad rows are reported by line
        and skipped, ids already on record are skipped. Commits every ``batch_size`` rows, so the write
        lock is never held long (ids make a repeated import safe)."""
        added = already = 0
        problems: list[tuple[int, str]] = []
        batch: list[ImportRow] = []
        for line, raw in rows:
            try:
                batch.append(import_row(raw))
            except ValueError as error:
                problems.append((line, str(error)))
                continue
            if len(batch) >= batch_size:
                new, old = self.import_batch(batch)
                added, already, batch = added + new, already + old, []
        if batch:
            new, old = self.import_batch(batch)
            added, already = added + new, already + old
        return ImportResult(added, already, tuple(problems))

    def stage_file(self, path: Path) -> Iterator[tuple[int, str]]:
        """stage_rows() for an import file, with a helper process checking the second half of a large
        one on another core (history_helper). Raises what read_rows raises."""
        from massage_guide.core.history_helper import start_helper
        from massage_guide.core.history_transfer import read_rows

        helper = start_helper(path, self.path)
        try:
            yield from self.stage_rows(read_rows(path, handover=helper), helper=helper)
        finally:
            if helper is not None:
                helper.close()

    def stage_rows(
        self, rows: Iterable[tuple[int, ReadRow]], *, helper: ImportHelper | None = None
    ) -> Iterator[tuple[int, str]]:
        """Check every row (line and a row the reader checked already, a field mapping, or the reader's
        problem) and hold the good ones for import_staged() in a temporary table; yields (line, problem)
        for each bad row, in order. No lock on the history is taken, so a whole file is checked first and
        then moved in quickly."""
        batch: list[ImportRow] = []
        for line, raw in rows:
            if isinstance(raw, tuple):  # checked by the reader's fast path
                batch.append(raw)
            elif isinstance(raw, str):
                yield line, raw
                continue
            elif isinstance(raw, HandedOver):  # a helper's rows go in here, in their place
                from massage_guide.core.history_helper import copy_helped_rows

                assert helper is not None
                self._stage_rows(batch)
                batch = []
                copy_helped_rows(self._db, helper, "temp.import_staging")
                continue
            else:
                try:
                    batch.append(import_row(raw))
                except ValueError as error:
                    yield line, str(error)
                    continue
            if len(batch) >= STAGE_BATCH_ROWS:
                self._stage_rows(batch)
                batch = []
        self._stage_rows(batch)

    def _stage_rows(self, rows: Sequence[ImportRow]) -> None:
        if not self._staging:
            self._db.execute(f"CREATE TEMP TABLE IF NOT EXISTS import_staging ({_IMPORT_COLUMNS})")
            self._db.execute("DELETE FROM temp.import_staging")
            self._staging = True
        per = self._stage_rows_per_statement()
        whole = len(rows) - len(rows) % per
        self._db.execute("BEGIN")  # deferred: touches the temporary database only
        try:
            # Many rows per statement: binding is the same, but SQLite's per-statement work and
            # Python's per-row calls are paid once for them all.
            many = _stage_many_sql(per)
            for first in range(0, whole, per):
                self._db.execute(many, list(itertools.chain.from_iterable(rows[first : first + per])))
            self._db.executemany(_STAGE_SQL, rows[whole:])
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def _stage_rows_per_statement(self) -> int:
        """Rows per INSERT: as many as SQLite takes parameters for (999 before 3.32), at most STAGE_ROWS_PER_INSERT."""
        limit = self._db.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        return max(1, min(STAGE_ROWS_PER_INSERT, limit // len(IMPORT_COLUMNS)))

    def discard_staged(self) -> None:
        if self._staging:
            self._db.execute("DROP TABLE IF EXISTS temp.import_staging")
            self._staging = False

    def import_staged(self) -> Iterator[tuple[int, int]]:
        """Move the staged records into the history, IMPORT_BATCH_ROWS per short transaction, pausing
        between batches so a session that ends meanwhile gets the lock; yields (added, already on
        record) per batch. Ids make a repeated or interrupted import safe to run again.

        Each batch adds its sessions to the per-day totals in one statement rather than one trigger run
        per row (the trigger is dropped and put back inside the batch's transaction)."""
        if not self._staging:
            return
        last = int(self._db.execute("SELECT coalesce(max(rowid), 0) FROM temp.import_staging").fetchone()[0])
        saved = [self._db.execute(f"PRAGMA {name}").fetchone()[0] for name, _ in _BULK_PRAGMAS]
        for name, value in _BULK_PRAGMAS:
            self._db.execute(f"PRAGMA {name} = {value}")
        try:
            for first in range(1, last + 1, IMPORT_BATCH_ROWS):
                end = min(first + IMPORT_BATCH_ROWS - 1, last)
                with _transaction(self._db):
                    added = self._copy_staged(first, end)
                yield added, end - first + 1 - added
                if end < last:
                    time.sleep(self._import_pause())
        finally:
            for (name, _), value in zip(_BULK_PRAGMAS, saved, strict=True):
                self._db.execute(f"PRAGMA {name} = {value}")
            self.discard_staged()
            with contextlib.suppress(sqlite3.Error):
                self._db.execute("PRAGMA wal_checkpoint(PASSIVE)")

    def _copy_staged(self, first: int, end: int) -> int:
        """Inside a transaction: copy staged rows ``first``..``end`` into the history and add them to the
        per-day totals; returns how many were new."""
        db = self._db
        before = int(db.execute("SELECT coalesce(max(rowid), 0) FROM main.sessions").fetchone()[0])
        db.execute(f"DROP TRIGGER IF EXISTS main.{DAY_INSERT_TRIGGER_NAME}")
        added = max(db.execute(_COPY_SQL, (first, end)).rowcount, 0)
        db.execute(ADD_DAYS_AFTER_ROWID, (before,))
        db.execute(DAY_INSERT_TRIGGER)
        return added

    def _import_pause(self) -> float:
        """How long to leave the lock free after a batch: long enough for a running session's write."""
        running = self._db.execute("SELECT 1 FROM sessions WHERE status = 'in_progress' LIMIT 1").fetchone()
        return IMPORT_PAUSE_WHILE_RUNNING_SECONDS if running else IMPORT_PAUSE_SECONDS

    def import_batch(self, rows: Sequence[ImportRow]) -> tuple[int, int]:
        """Add checked rows (from import_row) in one short transaction; returns (added, already on record)."""
        with _transaction(self._db):
            # rowcount sums sqlite3_changes() per row: the sessions inserted, not what the triggers did.
            cursor = self._db.executemany(_IMPORT_SQL, rows)
        added = max(cursor.rowcount, 0)
        return added, len(rows) - added


_IMPORT_COLUMNS: Final = ", ".join(IMPORT_COLUMNS)
_IMPORT_SQL: Final = f"INSERT OR IGNORE INTO sessions ({_IMPORT_COLUMNS}) VALUES ({', '.join('?' * 17)})"
_STAGE_SQL: Final = f"INSERT INTO temp.import_staging ({_IMPORT_COLUMNS}) VALUES ({', '.join('?' * 17)})"


@functools.cache
def _stage_many_sql(rows: int) -> str:
    """One INSERT of ``rows`` rows into the staging table."""
    values = "(" + ", ".join("?" * len(IMPORT_COLUMNS)) + ")"
    return f"INSERT INTO temp.import_staging ({_IMPORT_COLUMNS}) VALUES " + ", ".join([values] * rows)


_COPY_SQL: Final = (
    f"INSERT OR IGNORE INTO main.sessions ({_IMPORT_COLUMNS}) SELECT {_IMPORT_COLUMNS}"
    " FROM temp.import_staging WHERE rowid BETWEEN ? AND ? ORDER BY rowid"
)
# While an import copies its rows: a larger page cache (random UUIDs touch pages all over the index),
# and NORMAL sync, which in WAL mode never damages the file; a power cut could lose the last batches,
# and running the same import again adds exactly those. Put back when the import ends.
_BULK_PRAGMAS: Final = (("cache_size", -65536), ("synchronous", 1), ("wal_autocheckpoint", 10000))


@contextlib.contextmanager
def _transaction(connection: sqlite3.Connection) -> Iterator[None]:
    """BEGIN IMMEDIATE takes the write lock up front, so two writers queue instead of deadlocking."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


def _seconds(value: float) -> int:
    if value < 0:
        raise ValueError(f"active time cannot be negative ({value})")
    return round(value)
