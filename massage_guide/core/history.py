"""The session history store: one SQLite file, versioned, crash-safe, shared safely between processes."""

from __future__ import annotations

import contextlib
import os
import socket
import sqlite3
import sys
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any, Final

from massage_guide.core.history_records import (
    FINISH_STATUSES,
    PROMPT_OUTCOMES,
    RECORD_FIELDS,
    STATUSES,
    STREAK_MIN_ACTIVE_SECONDS,
    TENSION_MAX,
    TENSION_MIN,
    DayTotal,
    ImportResult,
    RoutineTotal,
    SessionRecord,
    TensionPair,
    local_now,
    parse_timestamp,
    validate_record,
)
from massage_guide.core.history_schema import MIGRATIONS, SCHEMA_VERSION

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
    "HistoryError",
    "HistoryStore",
    "HistoryTooNewError",
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

# Long enough to outlast another process's short transaction, short enough that nobody waits in silence.
BUSY_TIMEOUT_MS: Final = 5000
FILE_MODE: Final = 0o600  # health data: readable by its owner only


class HistoryError(Exception):
    """A history problem the user has to be told about; ``str()`` is the message to show."""


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
    ) -> None:
        self._db = connection
        self.path = path
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
        the command line when a query met damage. A corrupt file is moved aside and a fresh one started (the message says where the old one is).
        Raises HistoryTooNewError, leaving the file untouched, when a newer version wrote it."""
        messages: list[str] = []
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            connection = cls._connect(path, full_check)
        except HistoryTooNewError:
            raise
        except sqlite3.DatabaseError:
            moved = _corrupt_name(path, now())
            path.replace(moved)
            wal = path.with_name(path.name + "-wal")
            if wal.exists():
                wal.replace(moved.with_name(moved.name + "-wal"))
            path.with_name(path.name + "-shm").unlink(missing_ok=True)
            messages.append(
                f"Your session history file could not be read, so it was moved aside to {moved} and a "
                "fresh one was started. Your routines and settings are fine. If you need the old "
                "sessions, keep that file and ask for help recovering it."
            )
            connection = cls._connect(path, full_check)
        return cls(connection, path, now=now, pid=pid), messages

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
                    f"Your session history at {path} was written by a newer version of Massage Guide "
                    f"(history format {version}; this version reads up to {SCHEMA_VERSION}). It was left "
                    "exactly as it is. Please update Massage Guide to see and add to it."
                )
            # Reading the schema catches a damaged first page; the full check reads every page, which
            # takes a while on a long history, so only the app start (not every command) asks for it.
            connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
            if full_check:
                check = connection.execute("PRAGMA quick_check(1)").fetchone()
                if check is None or check[0] != "ok":
                    raise sqlite3.DatabaseError(f"quick_check: {check}")
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
        """Create an ``in_progress`` record owned by this process; returns its id."""
        session_id = str(uuid.uuid4())
        moment = self._stamp()
        text = moment.isoformat()
        with _transaction(self._db):
            self._db.execute(
                "INSERT INTO sessions (id, routine_id, routine_title, routine_hash, started_at, started_utc,"
                " local_day, updated_at, status, planned_seconds, steps_total, owner_host, owner_pid,"
                " owner_start) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'in_progress', ?, ?, ?, ?, ?)",
                (
                    session_id, routine_id, routine_title, content_hash, text, moment.timestamp(),
                    moment.date().isoformat(), text, int(planned_seconds), int(steps_total),
                    self._host, self._pid, self._marker,
                ),
            )  # fmt: skip
        return session_id

    def progress(self, session_id: str, *, active_seconds: float, steps_completed: int) -> None:
        """Save progress at a step boundary, so a crash loses at most the step in progress."""
        self._update(
            session_id,
            "active_seconds = ?, steps_completed = ?, updated_at = ?",
            (_seconds(active_seconds), int(steps_completed), self._stamp().isoformat()),
        )

    def finish(self, session_id: str, *, status: str, active_seconds: float, steps_completed: int) -> None:
        """Close the record as ``completed`` or ``stopped``; committed when this returns."""
        if status not in FINISH_STATUSES:
            raise ValueError(f"a session finishes as completed or stopped, not {status!r}")
        stamp = self._stamp().isoformat()
        self._update(
            session_id,
            "status = ?, active_seconds = ?, steps_completed = ?, ended_at = ?, updated_at = ?",
            (status, _seconds(active_seconds), int(steps_completed), stamp, stamp),
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
            "tension_before = ?, tension_after = ?, note = ?",
            (tension_before, tension_after, note if note and note.strip() else None),
        )

    def _update(self, session_id: str, assignments: str, values: tuple[Any, ...]) -> None:
        with _transaction(self._db):
            cursor = self._db.execute(
                f"UPDATE sessions SET {assignments} WHERE id = ?", (*values, session_id)
            )
        if cursor.rowcount == 0:
            raise UnknownSessionError(f"no session {session_id} on record")

    def record_prompt(self, outcome: str, *, session_id: str | None = None) -> None:
        """Count a break-reminder prompt as taken, snoozed or skipped (for the reminders to come)."""
        if outcome not in PROMPT_OUTCOMES:
            raise ValueError(f"a prompt is taken, snoozed or skipped, not {outcome!r}")
        moment = self._stamp()
        with _transaction(self._db):
            self._db.execute(
                "INSERT INTO prompts (at, local_day, outcome, session_id) VALUES (?, ?, ?, ?)",
                (moment.isoformat(), moment.date().isoformat(), outcome, session_id),
            )

    def recover_interrupted(self) -> int:
        """Mark ``interrupted`` every in-progress session whose process is gone (keeping its progress);
        sessions still running in a live process are left alone. Returns how many were marked."""
        rows = self._db.execute(
            "SELECT id, owner_host, owner_pid, owner_start FROM sessions WHERE status = 'in_progress'"
        ).fetchall()
        gone = [row[0] for row in rows if not owner_alive(row[1], row[2], row[3])]
        if not gone:
            return 0
        with _transaction(self._db):
            for session_id in gone:
                self._db.execute(
                    "UPDATE sessions SET status = 'interrupted', ended_at = updated_at"
                    " WHERE id = ? AND status = 'in_progress'",
                    (session_id,),
                )
        return len(gone)

    # -- reading

    def get(self, session_id: str) -> SessionRecord | None:
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
        """Break-reminder prompts taken, snoozed and skipped on local days in [start, end]."""
        counts = dict.fromkeys(PROMPT_OUTCOMES, 0)
        for outcome, n in self._db.execute(
            "SELECT outcome, count(*) FROM prompts WHERE local_day BETWEEN ? AND ? GROUP BY outcome",
            (start.isoformat(), end.isoformat()),
        ):
            counts[outcome] = int(n)
        return counts

    # -- import

    def import_records(self, rows: Iterable[tuple[int, Mapping[str, Any]]]) -> ImportResult:
        """Validate and add records given as (line number, field mapping); bad rows are reported by line
        and skipped, ids already on record are skipped, all in one transaction."""
        added = already = 0
        problems: list[tuple[int, str]] = []
        seen: set[str] = set()
        with _transaction(self._db):
            for line, raw in rows:
                try:
                    record = validate_record(raw)
                except ValueError as error:
                    problems.append((line, str(error)))
                    continue
                if record.id in seen:
                    already += 1
                    continue
                seen.add(record.id)
                started = datetime.fromisoformat(record.started_at)
                cursor = self._db.execute(
                    "INSERT OR IGNORE INTO sessions (id, routine_id, routine_title, routine_hash, started_at,"
                    " started_utc, local_day, ended_at, updated_at, status, planned_seconds, active_seconds,"
                    " steps_completed, steps_total, tension_before, tension_after, note)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        record.id, record.routine_id, record.routine_title, record.routine_hash,
                        record.started_at, started.timestamp(), started.date().isoformat(), record.ended_at,
                        record.ended_at or record.started_at, record.status, record.planned_seconds,
                        record.active_seconds, record.steps_completed, record.steps_total,
                        record.tension_before, record.tension_after, record.note,
                    ),
                )  # fmt: skip
                if cursor.rowcount:
                    added += 1
                else:
                    already += 1
        return ImportResult(added, already, tuple(problems))


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
