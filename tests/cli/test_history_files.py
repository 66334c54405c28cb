"""Hostile history files: formulas, huge numbers, deep nesting, broken characters, pipes, big imports."""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest

from massage_guide.core.history import HistoryStore
from massage_guide.core.history_transfer import CSV_COLUMNS, neutralise, restore
from tests.cli.test_history_cli import REPO_ROOT, run

pytestmark = pytest.mark.slow


def record(**changes: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "routine_id": "neck-tension-release",
        "routine_title": "Neck tension release",
        "routine_hash": "",
        "started_at": "2024-03-01T08:00:00+01:00",
        "ended_at": "2024-03-01T08:09:00+01:00",
        "status": "completed",
        "planned_seconds": 495,
        "active_seconds": 500,
        "steps_completed": 8,
        "steps_total": 8,
        "tension_before": 6,
        "tension_after": 3,
        "note": None,
    }
    fields.update(changes)
    return fields


def json_file(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("[\n" + ",\n".join(json.dumps(r) for r in records) + "\n]\n", encoding="utf-8")
    return path


def sessions(home: Path) -> list[dict[str, Any]]:
    result = run(home, "history", "--json")
    assert result.returncode == 0, result.stderr
    listed: list[dict[str, Any]] = json.loads(result.stdout)
    return listed


def test_csv_export_neutralises_formulas_and_the_round_trip_is_exact(tmp_path: Path, mg_home: Path) -> None:
    """Cells a spreadsheet would run get a leading quote, every cell is quoted, and importing restores them."""
    notes = ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "\tTab", "\rCR", "'=quoted", "''+two", "a\rb"]
    records = [record(note=note, routine_title="=cmd|' /C calc'!A0") for note in notes]
    source = json_file(tmp_path / "in.json", records)
    assert run(mg_home, "history", "import", str(source)).returncode == 0
    exported = tmp_path / "out.csv"
    assert run(mg_home, "history", "export", str(exported)).returncode == 0
    rows = list(csv.reader(io.StringIO(exported.read_bytes().decode("utf-8"), newline="")))
    cells = [cell for row in rows[1:] for cell in row]
    assert not any(cell[:1] in ("=", "+", "-", "@", "\t", "\r") for cell in cells)
    assert all(line.startswith('"') for line in exported.read_bytes().decode("utf-8").split("\n") if line)
    new_home = tmp_path / "new"
    imported = run(new_home, "history", "import", str(exported))
    assert imported.returncode == 0, imported.stderr
    assert sorted(r["note"] for r in sessions(new_home)) == sorted(notes)
    assert {r["routine_title"] for r in sessions(new_home)} == {"=cmd|' /C calc'!A0"}


@pytest.mark.parametrize("text", ["", "=", "'", "'=", "''=x", "-", "ok", "a=b", "\r\n", "'\t"])
def test_neutralise_and_restore_are_inverse(text: str) -> None:
    """Restoring a neutralised cell gives back exactly the original text, whatever it starts with."""
    assert restore(neutralise(text)) == text
    assert neutralise(text)[:1] not in ("=", "+", "-", "@", "\t", "\r")


def test_hostile_json_rows_are_reported_by_line_without_a_traceback(tmp_path: Path, mg_home: Path) -> None:
    """Huge numbers, floats, broken characters and bad types are each one line, and nothing is imported."""
    text = (
        "[\n"
        + json.dumps(record()) + ",\n"  # line 2: good
        + json.dumps(record(active_seconds=2**63)) + ",\n"  # 3
        + json.dumps(record(planned_seconds=0)).replace(": 0,", ": " + "9" * 5000 + ",") + ",\n"  # 4
        + json.dumps(record(note="\ud800 lone")) + ",\n"  # 5
        + json.dumps(record(steps_total=8.0)) + ",\n"  # 6
        + json.dumps(record(routine_id=["a"])) + ",\n"  # 7
        + json.dumps(record(started_at="２０２４-03-01T08:00:00+01:00")) + ",\n"  # 8
        + json.dumps(record(note="line one\nline two\x1b[31m")) + "\n"  # 9: good, a note may have lines
        + "]\n"
    )  # fmt: skip
    source = tmp_path / "hostile.json"
    source.write_text(text, encoding="utf-8")
    result = run(mg_home, "history", "import", str(source))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert [line.split(": ", 1)[0] for line in lines] == [f"{source}:{n}" for n in (3, 4, 5, 6, 7, 8)]
    assert "too large" in lines[0] and "too large" in lines[1] and "not UTF-8" in lines[2]
    assert all(len(line) < 300 for line in lines)
    assert sessions(mg_home) == []
    skipped = run(mg_home, "history", "import", "--skip-invalid", str(source))
    assert skipped.returncode == 0 and "Imported 2 sessions, skipped 6." in skipped.stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[" * 100_000 + "]" * 100_000, "too deeply"),
        ('[{"id": NaN}]', "not valid JSON"),
        ('[{"note": "a"} {"note": "b"}]', "expected , or ]"),
        ("[] trailing", "more after the closing ]"),
        ("{}", "expected a JSON list"),
    ],
)
def test_a_json_file_of_the_wrong_shape_imports_nothing(
    tmp_path: Path, mg_home: Path, content: str, message: str
) -> None:
    """A JSON file that is not a list of sessions gives one located line and changes nothing."""
    source = tmp_path / "odd.json"
    source.write_text(content, encoding="utf-8")
    result = run(mg_home, "history", "import", str(source))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    last = result.stderr.splitlines()[-1]
    assert last.startswith(f"{source}:1: ") and message in last
    assert "Imported 0 sessions" in result.stdout


def test_a_csv_with_bad_bytes_or_a_named_pipe_is_refused(tmp_path: Path, mg_home: Path) -> None:
    """A file that is not UTF-8 is one located line; a named pipe is refused at once instead of hanging."""
    latin = tmp_path / "latin.csv"
    fields = record(note="café")
    line = ",".join("" if fields[c] is None else str(fields[c]) for c in CSV_COLUMNS)
    latin.write_bytes((",".join(CSV_COLUMNS) + "\n" + line + "\n").encode("latin-1"))
    result = run(mg_home, "history", "import", str(latin))
    assert result.returncode == 1 and f"{latin}:2: " in result.stderr and "not UTF-8" in result.stderr
    pipe = tmp_path / "pipe.csv"
    os.mkfifo(pipe)
    result = run(mg_home, "history", "import", str(pipe))
    assert result.returncode == 1 and "not a regular file" in result.stderr


def test_exports_are_private(tmp_path: Path, mg_home: Path) -> None:
    """An export holds health data: only its owner may read it, whatever the umask."""
    json_file(tmp_path / "in.json", [record()])
    assert run(mg_home, "history", "import", str(tmp_path / "in.json")).returncode == 0
    for name in ("out.csv", "out.json"):
        assert run(mg_home, "history", "export", str(tmp_path / name)).returncode == 0
        assert (tmp_path / name).stat().st_mode & 0o777 == 0o600


def test_a_session_that_ends_during_a_long_import_is_recorded(tmp_path: Path, mg_home: Path) -> None:
    """An import commits in short batches and, while a session runs, leaves the lock free after each one
    for longer than SQLite's busy handler sleeps, so the session finishing meanwhile is saved."""
    rows = 60_000  # three batches: the session finishes during the second
    template = json.dumps(record(id="@"))
    body = ",\n".join(template.replace("@", str(uuid.UUID(int=n + 1))) for n in range(rows))
    source = tmp_path / "big.json"
    source.write_text("[\n" + body + "\n]\n", encoding="utf-8")
    file = mg_home / "history.sqlite3"
    store, _messages = HistoryStore.open(file)
    with store:
        session_id = store.begin(
            routine_id="calm", routine_title="Calm", content_hash="", planned_seconds=60, steps_total=1
        )
        env = {**os.environ, "MASSAGE_GUIDE_HOME": str(mg_home)}
        importer = subprocess.Popen(
            [sys.executable, "-m", "massage_guide", "history", "import", str(source)],
            cwd=REPO_ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        watcher = sqlite3.connect(file)
        while watcher.execute("SELECT count(*) FROM sessions").fetchone()[0] == 1:
            assert importer.poll() is None, importer.communicate()
        watcher.close()
        store.finish(session_id, status="completed", active_seconds=60, steps_completed=1)
        assert importer.poll() is None, "the import ended before the session: make the file bigger"
    out, err = importer.communicate(timeout=120)
    assert importer.returncode == 0, err
    assert f"Imported {rows:,} sessions".replace(",", "") in out.replace(",", "")
    with HistoryStore.open(file)[0] as check:
        finished = check.get(session_id)
        assert check.count() == rows + 1 and finished is not None and finished.status == "completed"


@pytest.mark.parametrize("suffix", [".csv", ".json"])
def test_a_bad_last_row_of_100k_leaves_the_history_untouched(
    tmp_path: Path, mg_home: Path, suffix: str
) -> None:
    """A large file is checked on two cores, the second half by a helper process; a bad row at its very end
    is still reported on its own line, nothing at all is imported, and no scratch file is left behind."""
    rows = 100_000
    good = [record(id=str(uuid.UUID(int=n + 1)), note=None) for n in range(rows - 1)]
    bad = record(steps_completed=9)
    if suffix == ".csv":
        lines = [",".join(CSV_COLUMNS)]
        lines += [",".join("" if r[c] is None else str(r[c]) for c in CSV_COLUMNS) for r in [*good, bad]]
        source = tmp_path / "big.csv"
        source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    else:
        source = json_file(tmp_path / "big.json", [*good, bad])
    assert (
        run(mg_home, "history", "import", str(json_file(tmp_path / "one.json", [record()]))).returncode == 0
    )
    before = (mg_home / "history.sqlite3").read_bytes()
    result = run(mg_home, "history", "import", str(source))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        f"{source}:{rows + 1}: steps_completed (9) is more than steps_total (8)"
    ]
    assert "Imported 0 sessions" in result.stdout
    assert len(sessions(mg_home)) == 1
    assert sorted(p.name for p in mg_home.iterdir() if "import" in p.name) == []
    assert (mg_home / "history.sqlite3").read_bytes() == before
