"""Sessions that could not be written yet (disk full, file locked or read-only): kept in memory and in a
small journal file per session beside the history, and written as soon as the history accepts them."""

from __future__ import annotations

import contextlib
import json
import logging
import sqlite3
import zlib
from pathlib import Path
from typing import Any, Final

from massage_guide.core.files import FileReadError, read_regular, write_private
from massage_guide.core.history_records import STATUSES, validate_record

log = logging.getLogger(__name__)

# Every column of a session row, in table order: a pending session carries all of them.
ROW_COLUMNS: Final = (
    "id", "routine_id", "routine_title", "routine_hash", "started_at", "started_utc", "local_day",
    "ended_at", "updated_at", "status", "planned_seconds", "active_seconds", "steps_completed",
    "steps_total", "tension_before", "tension_after", "note", "owner_host", "owner_pid", "owner_start",
)  # fmt: skip
# A journal entry is one session row: a few hundred bytes, a long note at most a few KiB.
JOURNAL_MAX_BYTES: Final = 256 * 1024

_UPSERT: Final = (
    f"INSERT INTO sessions ({', '.join(ROW_COLUMNS)}) VALUES ({', '.join('?' * len(ROW_COLUMNS))})"
    " ON CONFLICT (id) DO UPDATE SET "
    + ", ".join(f"{c} = excluded.{c}" for c in ROW_COLUMNS if c != "id")
    # A journal never takes a finished session back to in_progress (another process may have closed it).
    + " WHERE sessions.status = 'in_progress' OR excluded.status != 'in_progress'"
)


def spare_prefix(history_file: Path) -> str:
    """The name journals of ``history_file`` get in the spare folder (shared by every history there)."""
    return f"massage-guide-{zlib.crc32(str(history_file.resolve()).encode()):08x}"


def spare_folder(history_file: Path) -> Path | None:
    """A private folder on another disk when possible (XDG_RUNTIME_DIR is in memory): where a journal
    goes when the history's own disk is full, so a session survives the app closing before space returns."""
    from massage_guide.paths import runtime_dir

    folder = runtime_dir(history_file.parent)
    return None if folder is None or folder == history_file.parent else folder


def journal_files(history_file: Path) -> list[Path]:
    """The journal files waiting for ``history_file`` (beside it, then in the spare folder)."""
    found = sorted(history_file.parent.glob(f"{history_file.name}.pending-*.json"))
    spare = spare_folder(history_file)
    if spare is not None:
        found += sorted(spare.glob(f"{spare_prefix(history_file)}.pending-*.json"))
    return found


class PendingSessions:
    """Session rows waiting to be written, by id; each also saved to its own journal file when possible."""

    def __init__(self, history_file: Path) -> None:
        self.history_file = history_file
        self.rows: dict[str, dict[str, Any]] = {}

    def __contains__(self, session_id: object) -> bool:
        return session_id in self.rows

    def __bool__(self) -> bool:
        return bool(self.rows)

    def journal(self, session_id: str) -> Path:
        return self.history_file.with_name(f"{self.history_file.name}.pending-{session_id}.json")

    def spare_journal(self, session_id: str) -> Path | None:
        spare = spare_folder(self.history_file)
        return (
            None if spare is None else spare / f"{spare_prefix(self.history_file)}.pending-{session_id}.json"
        )

    def keep(self, row: dict[str, Any]) -> None:
        """Hold ``row`` (a full session row) and write its journal file, beside the history or, when that
        disk is full, in the spare folder; with neither, it is kept in memory only."""
        self.rows[row["id"]] = row
        data = json.dumps(row, ensure_ascii=False).encode("utf-8")
        targets = [self.journal(row["id"]), self.spare_journal(row["id"])]
        for index, target in enumerate(targets):
            if target is None:
                continue
            try:
                write_private(target, data)
            except OSError as exc:
                log.info("journal %s not written: %s", target, exc)
                continue
            for older in targets[:index] + targets[index + 1 :]:  # one journal per session: the newest
                if older is not None:
                    with contextlib.suppress(OSError):
                        older.unlink(missing_ok=True)
            return

    def write_all(self, connection: sqlite3.Connection) -> None:
        """Write every waiting row in one transaction, then drop their journals. Raises what SQLite raises."""
        if not self.rows:
            return
        connection.execute("BEGIN IMMEDIATE")
        try:
            for row in self.rows.values():
                connection.execute(_UPSERT, [row.get(c) for c in ROW_COLUMNS])
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")
        for session_id in self.rows:
            for journal in (self.journal(session_id), self.spare_journal(session_id)):
                if journal is not None:
                    with contextlib.suppress(OSError):
                        journal.unlink(missing_ok=True)
        self.rows.clear()


def replay_journals(history_file: Path, connection: sqlite3.Connection) -> int:
    """Write the sessions other runs left in journal files (at start); returns how many. A journal that
    is not a valid session is left in place for the user to look at, never deleted."""
    replayed = 0
    for file in journal_files(history_file):
        row = _read_journal(file)
        if row is None:
            continue
        connection.execute("BEGIN IMMEDIATE")
        try:
            connection.execute(_UPSERT, [row.get(c) for c in ROW_COLUMNS])
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")
        with contextlib.suppress(OSError):
            file.unlink()
        replayed += 1
    return replayed


def _read_journal(file: Path) -> dict[str, Any] | None:
    try:
        row = json.loads(read_regular(file, JOURNAL_MAX_BYTES))
    except (OSError, FileReadError, ValueError, RecursionError) as exc:
        log.warning("journal %s not read: %s", file, exc)
        return None
    if not isinstance(row, dict) or set(row) != set(ROW_COLUMNS) or row.get("status") not in STATUSES:
        log.warning("journal %s is not a session row; left in place", file)
        return None
    types_ok = (
        isinstance(row["started_utc"], int | float)
        and isinstance(row["local_day"], str)
        and isinstance(row["updated_at"], str)
        and isinstance(row["owner_host"], str | None)
        and (row["owner_pid"] is None or (isinstance(row["owner_pid"], int) and 0 < row["owner_pid"] < 2**31))
        and isinstance(row["owner_start"], str | None)
    )
    if not types_ok:
        log.warning("journal %s has fields of the wrong type; left in place", file)
        return None
    try:
        validate_record(row)
    except ValueError as exc:
        log.warning("journal %s not replayed: %s", file, exc)
        return None
    if not file.name.endswith(f".pending-{row['id']}.json"):  # a journal names its own session
        return None
    return row
