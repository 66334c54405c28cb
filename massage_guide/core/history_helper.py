"""A helper process for a large import: it checks and stages the second half of the file while the
import itself reads the first, so two cores share the work.

The helper starts at the first line after the file's middle and takes plain lines only (history_lines),
staging their rows in a scratch database beside the history; it stops at the first line that is not plain.
The import reads from the start as always; only if its own reading arrives at that very line at the start
of a row does it take the helper's rows there, in order, and go on after them. Otherwise (a quoted cell
spanning the middle, the helper failed, not on Linux) it reads the whole file itself, as
before: the helper can make an import faster, never different."""

from __future__ import annotations

import contextlib
import io
import os
import signal
import sqlite3
import sys
import threading
from pathlib import Path
from typing import Final

from massage_guide.core.history_records import IMPORT_COLUMNS, ImportRow
from massage_guide.core.history_transfer import open_text, plain_csv_lines, plain_json_objects

# Below this size an import takes well under a second on one core: a second process is not worth it.
HELPER_MIN_BYTES: Final = 4 << 20
# How far past the middle to look for the end of a line before giving up on helping.
_LINE_SEARCH_BYTES: Final = 1 << 16
# Counting lines up to the middle reads the file in pieces this big (memory stays flat for any size).
_COUNT_CHUNK_BYTES: Final = 1 << 20
# Rows per INSERT into the scratch table (SQLite takes 32,766 parameters since 3.32; 999 before).
_ROWS_PER_INSERT: Final = 50
_SCRATCH_TABLE: Final = "helped"
_SCRATCH_SUFFIX: Final = ".import-"  # then the importing process's id
_COLUMNS: Final = ", ".join(IMPORT_COLUMNS)


def _line_number(path: Path, end: int, *, universal: bool) -> int:
    """The number of the line starting at byte ``end``: CSV counts \\r, \\n and \\r\\n as one line break
    each (as the reader's universal newlines do), JSON counts \\n."""
    breaks = 0
    carriage = False  # the piece before ended with \r
    with path.open("rb") as handle:
        left = end
        while left > 0:
            piece = handle.read(min(_COUNT_CHUNK_BYTES, left))
            if not piece:
                break
            left -= len(piece)
            breaks += piece.count(b"\n")
            if universal:
                breaks += piece.count(b"\r") - piece.count(b"\r\n")
                if carriage and piece.startswith(b"\n"):
                    breaks -= 1  # \r\n split between two pieces: one break, counted twice
                carriage = piece.endswith(b"\r")
    return breaks + 1


def _middle_line_start(path: Path, size: int) -> int | None:
    """The byte where the first line after the middle of the file starts, or None."""
    with path.open("rb") as handle:
        handle.seek(size // 2)
        piece = handle.read(_LINE_SEARCH_BYTES)
    found = piece.find(b"\n")
    return None if found < 0 else size // 2 + found + 1


class ImportHelper:
    """The helper process for one import file: ``line`` is where its rows would go in; ``take()`` waits
    for it and says where reading goes on; ``close()`` ends it and removes its scratch database."""

    def __init__(self, path: Path, scratch: Path, *, start: int, line: int, pid: int, result: int) -> None:
        self.path = path
        self.scratch = scratch
        self.start = start
        self.line = line
        self._pid: int | None = pid
        self._result = result  # the read end of a pipe: "END LINES" when the helper is done
        self._streams: list[io.TextIOBase] = []
        self.rows = 0  # rows the import took from the helper

    def take(self) -> tuple[io.TextIOBase, int] | None:
        """Wait for the helper: the file from the first line it did not take on, with that line's number;
        None when it took nothing (reading simply goes on)."""
        answer = b""
        while chunk := os.read(self._result, 64):
            answer += chunk
        self._reap()
        try:
            end, lines = (int(part) for part in answer.split())
        except ValueError:  # the helper failed: nothing to take
            return None
        if lines == 0:
            return None
        self.rows = lines
        stream = open_text(self.path, offset=end)
        self._streams.append(stream)
        return stream, self.line + lines

    def _reap(self) -> None:
        if self._pid is not None:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self._pid, 0)
            self._pid = None

    def close(self) -> None:
        if self._pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._pid, signal.SIGTERM)
            self._reap()
        with contextlib.suppress(OSError):
            os.close(self._result)
        for stream in self._streams:
            stream.close()
        self.scratch.unlink(missing_ok=True)


def _remove_stale_scratch(history: Path) -> None:
    """Remove scratch databases left by imports that were killed (their process is gone)."""
    for scratch in history.parent.glob(f"{history.name}{_SCRATCH_SUFFIX}*"):
        pid = scratch.name.rsplit(_SCRATCH_SUFFIX, 1)[1]
        if not pid.isdigit():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            scratch.unlink(missing_ok=True)
        except OSError:
            continue  # alive under another user, or unknown: leave it


def start_helper(path: Path, history: Path) -> ImportHelper | None:
    """A helper for the second half of ``path``, or None when the file is small, cannot be split, or
    this process cannot fork safely: only on Linux (macOS's system libraries are not safe in a forked
    child, Windows has no fork) and only while no other thread runs."""
    if sys.platform != "linux" or threading.active_count() > 1:
        return None
    try:
        size = path.stat().st_size
        if size < HELPER_MIN_BYTES:
            return None
        start = _middle_line_start(path, size)
        if start is None:
            return None
        is_csv = path.suffix.lower() == ".csv"
        line = _line_number(path, start, universal=is_csv)
        _remove_stale_scratch(history)
        scratch = history.with_name(f"{history.name}{_SCRATCH_SUFFIX}{os.getpid()}")
        # Private from the first byte, like the history: the rows are health data.
        os.close(os.open(scratch, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except OSError:
        return None
    try:
        result, done = os.pipe()
    except OSError:  # out of file descriptors: no helper
        scratch.unlink(missing_ok=True)
        return None
    try:
        pid = os.fork()
    except OSError:  # out of processes or memory: the import reads the whole file itself
        os.close(result)
        os.close(done)
        scratch.unlink(missing_ok=True)
        return None
    if pid == 0:  # the helper: never returns into the caller's code
        code = 1
        try:
            os.close(result)
            end, lines = _stage_plain_lines(path, scratch, start, is_csv)
            os.write(done, f"{end} {lines}".encode())
            code = 0
        finally:
            os._exit(code)
    os.close(done)
    return ImportHelper(path, scratch, start=start, line=line, pid=pid, result=result)


def _stage_plain_lines(path: Path, scratch: Path, start: int, is_csv: bool) -> tuple[int, int]:
    """In the helper: stage the plain lines from byte ``start`` on, up to the first that is not plain;
    returns where that line starts and how many lines (one row each) were taken."""
    csv_lines = plain_csv_lines()
    json_objects = plain_json_objects()

    def plain(line: str) -> ImportRow | None:
        if is_csv:
            return csv_lines.row(line)
        # A session object and its comma, alone on a line: the import is then between two sessions.
        found = json_objects.row(line, 0)
        return found[0] if found is not None and line[found[1] :] == ",\n" else None

    connection = sqlite3.connect(scratch, isolation_level=None)
    connection.execute("PRAGMA journal_mode = OFF")  # a scratch file: nothing to recover if it breaks
    connection.execute("PRAGMA synchronous = OFF")
    connection.execute(f"CREATE TABLE {_SCRATCH_TABLE} ({_COLUMNS})")
    values = "(" + ", ".join("?" * len(IMPORT_COLUMNS)) + ")"
    many = f"INSERT INTO {_SCRATCH_TABLE} VALUES " + ", ".join([values] * _ROWS_PER_INSERT)
    one = f"INSERT INTO {_SCRATCH_TABLE} VALUES {values}"
    end, lines = start, 0
    batch: list[ImportRow] = []
    connection.execute("BEGIN")
    with path.open("rb") as handle:
        handle.seek(start)
        for raw in handle:
            row = plain(raw.decode("utf-8", "surrogateescape"))
            if row is None:
                break
            batch.append(row)
            end += len(raw)
            lines += 1
            if len(batch) == _ROWS_PER_INSERT:
                connection.execute(many, [value for row in batch for value in row])
                batch = []
    connection.executemany(one, batch)
    connection.execute("COMMIT")
    connection.close()
    return end, lines


def copy_helped_rows(connection: sqlite3.Connection, helper: ImportHelper, staging: str) -> None:
    """Append the helper's rows, in their order, to the staging table ``staging`` of ``connection``."""
    connection.execute("ATTACH DATABASE ? AS helper", (str(helper.scratch),))
    try:
        connection.execute(
            f"INSERT INTO {staging} ({_COLUMNS}) SELECT {_COLUMNS} FROM helper.{_SCRATCH_TABLE} ORDER BY rowid"
        )
    finally:
        connection.execute("DETACH DATABASE helper")
