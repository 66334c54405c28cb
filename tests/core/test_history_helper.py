"""The import's helper process: the second half of a large file checked on another core gives exactly
what reading the whole file in one process gives (rows, order, problems and their lines), or is not used."""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from massage_guide.core import history_helper
from massage_guide.core.history import HistoryStore
from massage_guide.core.history_helper import ImportHelper
from massage_guide.core.history_records import SessionRecord
from massage_guide.core.history_transfer import csv_lines, json_lines, plain_csv_lines

ROWS = 3000
START = datetime(2024, 3, 1, 8, 0, tzinfo=timezone(timedelta(hours=1)))


def records(count: int, odd: dict[int, dict[str, Any]] | None = None) -> Iterator[SessionRecord]:
    """Plain sessions, with the ones in ``odd`` changed (a note over two lines, a quote, a formula...)."""
    for n in range(count):
        started = START + timedelta(hours=7 * n)
        fields: dict[str, Any] = {
            "id": str(uuid.UUID(int=n + 1)),
            "routine_id": "neck-tension-release",
            "routine_title": "Neck, shoulders" if n % 3 else "Neck tension release",
            "routine_hash": "",
            "started_at": started.isoformat(),
            "ended_at": (started + timedelta(minutes=10)).isoformat(),
            "status": "completed" if n % 4 else "stopped",
            "planned_seconds": 600,
            "active_seconds": 500 + n % 100,
            "steps_completed": 7,
            "steps_total": 8,
            "tension_before": None if n % 2 else 6,
            "tension_after": None if n % 2 else 3,
            "note": None,
        }
        fields.update((odd or {}).get(n, {}))
        yield SessionRecord(**fields)


def write(path: Path, items: Iterator[SessionRecord]) -> Path:
    lines = csv_lines(items) if path.suffix == ".csv" else json_lines(items)
    path.write_text("".join(lines), encoding="utf-8", newline="")
    return path


def staged(
    file: Path, history: Path, monkeypatch: pytest.MonkeyPatch, *, helped: bool
) -> tuple[list[tuple[int, str]], list[Any], list[Any], ImportHelper | None]:
    """Stage and import ``file`` into a fresh ``history``, with the helper or without it: the problems,
    the sessions and day totals on record, and the helper used."""
    used: list[ImportHelper | None] = []
    real_start = history_helper.start_helper

    def start(path: Path, history_path: Path) -> ImportHelper | None:
        helper = real_start(path, history_path) if helped else None
        used.append(helper)
        return helper

    monkeypatch.setattr(history_helper, "start_helper", start)
    monkeypatch.setattr(history_helper, "HELPER_MIN_BYTES", 0)
    store, _ = HistoryStore.open(history)
    with store:
        problems = list(store.stage_file(file))
        if not problems:
            list(store.import_staged())
    assert not list(history.parent.glob("*.import-*")), "the helper's scratch database was left behind"
    with sqlite3.connect(history) as connection:
        rows = connection.execute("SELECT * FROM sessions ORDER BY rowid").fetchall()
        days = connection.execute("SELECT * FROM days ORDER BY local_day").fetchall()
    return problems, rows, days, used[0]


@pytest.mark.parametrize("suffix", [".csv", ".json"])
def test_a_helped_import_equals_one_read_by_a_single_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str
) -> None:
    """The helper takes the plain lines after the middle; the history ends up row for row as without it,
    with odd rows on both sides of the middle and the same session twice across it."""
    odd: dict[int, dict[str, Any]] = {
        10: {"note": "two\nlines"},
        ROWS // 2 - 3: {"note": 'say "ah"'},
        ROWS // 2 + 400: {"note": "=1+1"},
        ROWS - 2: {"id": str(uuid.UUID(int=5))},  # the same id as row 4: the first one stays
    }
    file = write(tmp_path / f"in{suffix}", records(ROWS, odd))
    helped = staged(file, tmp_path / "a" / "history.sqlite3", monkeypatch, helped=True)
    alone = staged(file, tmp_path / "b" / "history.sqlite3", monkeypatch, helped=False)
    helper = helped[3]
    assert helper is not None and 0 < helper.rows < ROWS // 2, "the helper was not used"
    assert helped[:3] == alone[:3]
    assert len(helped[1]) == ROWS - 1


@pytest.mark.parametrize("suffix", [".csv", ".json"])
@pytest.mark.parametrize("where", [ROWS // 2 + 1, ROWS // 2 + 200, ROWS - 1])
def test_a_bad_row_in_the_second_half_is_reported_on_its_line_and_nothing_is_imported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str, where: int
) -> None:
    """A bad row where the helper works (or stops) is reported with the same line as without a helper."""
    file = write(tmp_path / f"in{suffix}", records(ROWS, {where: {"steps_completed": 9}}))
    helped = staged(file, tmp_path / "a" / "history.sqlite3", monkeypatch, helped=True)
    alone = staged(file, tmp_path / "b" / "history.sqlite3", monkeypatch, helped=False)
    assert helped[0] == alone[0] and len(alone[0]) == 1
    line = where + 2  # after the header or the opening [
    assert helped[0][0][0] == line and "steps_completed (9) is more than steps_total (8)" in helped[0][0][1]
    assert helped[1] == alone[1] == []


def test_a_cell_over_the_middle_keeps_the_helper_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A quoted note spanning the middle of the file, its lines looking like plain rows: the helper takes
    them, but the import never arrives at the helper's first line at the start of a row, so it reads
    everything itself and the note stays whole."""
    # 60 lines of about 150 characters: inside the longest note (10,000 characters).
    looks_plain = [",".join(str(value or "") for value in r.to_dict().values()) for r in records(60)]
    note = "\n".join(  # 13 cells: no routine_hash, no comma in the title
        line.replace(",,", ",", 1).replace("Neck, shoulders", "Neck and shoulders") for line in looks_plain
    )
    file = write(tmp_path / "in.csv", records(30, {3: {"note": note}}))
    middle = history_helper._middle_line_start(file, file.stat().st_size)
    assert middle is not None
    with file.open("rb") as handle:
        handle.seek(middle)
        first = handle.readline().decode()
    assert plain_csv_lines().row(first) is not None, "the helper would take nothing: not the case to test"
    helped = staged(file, tmp_path / "a" / "history.sqlite3", monkeypatch, helped=True)
    alone = staged(file, tmp_path / "b" / "history.sqlite3", monkeypatch, helped=False)
    assert helped[3] is not None and helped[3].rows == 0
    assert helped[:3] == alone[:3]
    assert helped[1][3][-4] == note


def test_lines_are_counted_as_the_reader_counts_them(tmp_path: Path) -> None:
    """CSV counts \\r, \\n and \\r\\n as one line break each, also across the pieces it reads; JSON counts \\n."""
    file = tmp_path / "lines"
    file.write_bytes(b"a\r\nb\rc\nd\r" + b"\n" + b"e")
    end = len(b"a\r\nb\rc\nd\r\n")
    assert history_helper._line_number(file, end, universal=True) == 5
    assert history_helper._line_number(file, end, universal=False) == 4
    pieces = pytest.MonkeyPatch()
    with pieces.context() as patch:
        patch.setattr(history_helper, "_COUNT_CHUNK_BYTES", 1)  # \r and \n in different pieces
        assert history_helper._line_number(file, end, universal=True) == 5


def test_a_scratch_database_left_by_a_killed_import_is_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The next large import removes the helper's scratch file of an import whose process is gone, and
    leaves one of a running import alone."""
    history = tmp_path / "history.sqlite3"
    gone, running = (tmp_path / f"history.sqlite3.import-{pid}" for pid in (2**22 + 1, os.getpid()))
    gone.write_bytes(b"")
    running.write_bytes(b"")
    monkeypatch.setattr(history_helper, "HELPER_MIN_BYTES", 0)
    file = write(tmp_path / "in.csv", records(100))
    helper = history_helper.start_helper(file, history)
    assert helper is None  # this process's own name is taken: no helper, nothing overwritten
    assert not gone.exists() and running.exists()


def test_when_no_process_can_be_started_the_import_reads_everything_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """fork() failing (no memory, too many processes) leaves no scratch file and the import goes on alone."""

    def no_fork() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    file = write(tmp_path / "in.csv", records(ROWS))
    problems, rows, _days, helper = staged(file, tmp_path / "a" / "history.sqlite3", monkeypatch, helped=True)
    assert helper is None and problems == [] and len(rows) == ROWS
