"""The history and stats commands, run as a user runs them: a subprocess with its own home."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from massage_guide.core.history_transfer import CSV_COLUMNS

pytestmark = pytest.mark.slow

REPO_ROOT = Path(__file__).resolve().parents[2]
HEADER = ",".join(CSV_COLUMNS)
QUOTED_HEADER = ",".join(f'"{name}"' for name in CSV_COLUMNS)  # the export quotes every cell


def run(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MASSAGE_GUIDE_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "massage_guide", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO_ROOT,
        check=False,
        timeout=60,
    )


def row(**values: str) -> str:
    fields = {
        "id": str(uuid.uuid4()),
        "routine_id": "neck-tension-release",
        "routine_title": "Neck tension release",
        "started_at": "2024-03-01T08:00:00+01:00",
        "ended_at": "2024-03-01T08:09:00+01:00",
        "status": "completed",
        "planned_seconds": "495",
        "active_seconds": "500",
        "steps_completed": "8",
        "steps_total": "8",
        "tension_before": "6",
        "tension_after": "3",
        "note": "",
    }
    fields.update(values)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow([fields[c] for c in CSV_COLUMNS])
    return buffer.getvalue()


def sample_csv(path: Path) -> Path:
    path.write_text(
        HEADER
        + "\n"
        + row(note='Slept well, "really",\nno headache')
        + row(started_at="2024-03-31T23:30:00+02:00", ended_at="", status="interrupted", tension_before="")
        + row(started_at="2024-02-29T21:00:00-05:00", status="stopped", active_seconds="61", note="short"),
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("suffix", [".csv", ".json"])
def test_export_import_export_is_byte_identical(tmp_path: Path, mg_home: Path, suffix: str) -> None:
    """Moving history to a new computer: export, import into an empty home, export again — same bytes."""
    assert run(mg_home, "history", "import", str(sample_csv(tmp_path / "in.csv"))).returncode == 0
    first = tmp_path / f"first{suffix}"
    result = run(mg_home, "history", "export", str(first))
    assert result.returncode == 0 and "Exported 3 sessions" in result.stdout
    new_home = tmp_path / "new-computer"
    imported = run(new_home, "history", "import", str(first))
    assert imported.returncode == 0, imported.stderr
    assert "Imported 3 sessions, skipped 0." in imported.stdout
    second = tmp_path / f"second{suffix}"
    assert run(new_home, "history", "export", str(second)).returncode == 0
    assert second.read_bytes() == first.read_bytes()
    if suffix == ".csv":
        assert first.read_text(encoding="utf-8").splitlines()[0] == QUOTED_HEADER
    again = run(new_home, "history", "import", str(first))
    assert "Imported 0 sessions, skipped 3." in again.stdout and again.returncode == 0


def test_history_json_lists_records_with_the_issue_field_names(tmp_path: Path, mg_home: Path) -> None:
    """``history --json`` prints a list of records with exactly the documented fields; --since filters."""
    run(mg_home, "history", "import", str(sample_csv(tmp_path / "in.csv")))
    result = run(mg_home, "history", "--json")
    records = json.loads(result.stdout)
    assert [r["started_at"] for r in records] == [
        "2024-02-29T21:00:00-05:00",
        "2024-03-01T08:00:00+01:00",
        "2024-03-31T23:30:00+02:00",
    ]
    assert list(records[0]) == [
        "id", "routine_id", "routine_title", "routine_hash", "started_at", "ended_at", "status",
        "planned_seconds", "active_seconds", "steps_completed", "steps_total", "tension_before",
        "tension_after", "note",
    ]  # fmt: skip
    assert records[1]["note"] == 'Slept well, "really",\nno headache' and records[2]["tension_before"] is None
    since = json.loads(run(mg_home, "history", "--json", "--since", "2024-03-31").stdout)
    assert len(since) == 1
    table = run(mg_home, "history")
    assert table.returncode == 0 and "Neck tension release" in table.stdout and "6 → 3" in table.stdout
    csv_out = run(mg_home, "history", "--csv").stdout
    assert csv_out.startswith(QUOTED_HEADER + "\n") and csv_out.count("neck-tension-release") == 3
    bad_date = run(mg_home, "history", "--since", "last week")
    assert bad_date.returncode == 2 and "2024-05-01" in bad_date.stderr


def test_import_reports_every_bad_row_and_imports_nothing_unless_asked(tmp_path: Path, mg_home: Path) -> None:
    """Each bad row is named FILE:LINE with the reason; nothing is imported, unless --skip-invalid asks for
    the good rows."""
    file = tmp_path / "mixed.csv"
    file.write_text(
        HEADER
        + "\n"
        + row()  # line 2: good
        + row(id="12345")  # 3
        + row(started_at="31/12/2023")  # 4
        + row(status="done")  # 5
        + row(active_seconds="-10")  # 6
        + row(tension_after="11")  # 7
        + "a,b,c\n"  # 8
        + row(note="two\nlines")  # 9-10: good
        + row(planned_seconds="ten"),  # 11
        encoding="utf-8",
    )
    result = run(mg_home, "history", "import", str(file))
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert [line.split(": ", 1)[0] for line in lines] == [f"{file}:{n}" for n in (3, 4, 5, 6, 7, 8, 11)]
    assert "UUID" in lines[0] and "done" in lines[2] and "negative" in lines[3] and "11" in lines[4]
    assert "Imported 0 sessions: 7 rows above have a problem" in result.stdout
    assert "--skip-invalid" in result.stdout
    assert json.loads(run(mg_home, "history", "--json").stdout) == []
    skipping = run(mg_home, "history", "import", "--skip-invalid", str(file))
    assert skipping.returncode == 0 and len(skipping.stderr.splitlines()) == 7
    assert "Imported 2 sessions, skipped 7." in skipping.stdout
    assert len(json.loads(run(mg_home, "history", "--json").stdout)) == 2


def test_a_wrong_header_or_format_imports_nothing(tmp_path: Path, mg_home: Path) -> None:
    """A CSV without the exact header, broken JSON or an unknown extension changes nothing."""
    wrong = tmp_path / "wrong.csv"
    wrong.write_text(HEADER.replace("note", "notes") + "\n" + row(), encoding="utf-8")
    result = run(mg_home, "history", "import", str(wrong))
    assert result.returncode == 1 and f"{wrong}:1: the first line must be exactly" in result.stderr
    broken = tmp_path / "broken.json"
    broken.write_text('[\n{"id": "x",\n', encoding="utf-8")
    assert run(mg_home, "history", "import", str(broken)).returncode == 1
    odd = run(mg_home, "history", "export", str(tmp_path / "history.xlsx"))
    assert odd.returncode == 1 and ".csv or .json" in odd.stderr
    assert json.loads(run(mg_home, "history", "--json").stdout) == []


def test_stats_json_and_hidden_streaks(tmp_path: Path, mg_home: Path) -> None:
    """``stats --json`` gives streaks, week and month totals and tension; the setting hides streaks."""
    today = datetime.now().astimezone().replace(microsecond=0)
    yesterday = today - timedelta(days=1)
    file = tmp_path / "recent.csv"
    file.write_text(
        HEADER
        + "\n"
        + row(started_at=today.isoformat(), ended_at="", tension_before="7", tension_after="4")
        + row(started_at=yesterday.isoformat(), ended_at="", routine_id="feet-plantar-fascia"),
        encoding="utf-8",
    )
    run(mg_home, "history", "import", str(file))
    figures = json.loads(run(mg_home, "stats", "--json").stdout)
    assert figures["today"] == date.today().isoformat()
    assert figures["streaks"] == {"current": 2, "best": 2, "rest_days_per_week": 1}
    assert figures["all_time"] == {"minutes": 16.7, "sessions": 2, "active_days": 2}
    assert figures["tension"]["average_change"] == -3.0
    # Areas come from the routine library: the built-in neck routine works the neck and shoulders.
    assert {a["area"] for a in figures["this_month"]["by_area"]} >= {"neck", "shoulders"}
    plain = run(mg_home, "stats")
    assert plain.returncode == 0 and "Streak: 2 days" in plain.stdout
    (mg_home / "settings.yaml").write_text("show_streaks: false\n", encoding="utf-8")
    assert json.loads(run(mg_home, "stats", "--json").stdout)["streaks"] is None
    assert "Streak" not in run(mg_home, "stats").stdout


def test_every_command_recovers_sessions_of_crashed_processes(mg_home: Path) -> None:
    """A session left in_progress by a process that is gone is shown as interrupted, with its progress."""
    from massage_guide.core.history import HistoryStore

    store, _ = HistoryStore.open(mg_home / "history.sqlite3", pid=2**22 + 7)  # no such process
    session_id = store.begin(
        routine_id="neck", routine_title="Neck", content_hash="h", planned_seconds=300, steps_total=5
    )
    store.progress(session_id, active_seconds=42, steps_completed=2)
    store.close()
    result = run(mg_home, "history", "--json")
    [record] = json.loads(result.stdout)
    assert (record["status"], record["active_seconds"], record["steps_completed"]) == ("interrupted", 42, 2)
    assert "ended unexpectedly" in result.stderr


def test_a_newer_history_file_is_reported_and_left_alone(mg_home: Path) -> None:
    """A history file from a newer version gives a clear message and exit code 1, and is not changed."""
    import sqlite3

    file = mg_home / "history.sqlite3"
    connection = sqlite3.connect(file)
    connection.execute("PRAGMA user_version = 99")
    connection.close()
    before = file.read_bytes()
    result = run(mg_home, "stats")
    assert result.returncode == 1 and "newer version of Massage Guide" in result.stderr
    assert file.read_bytes() == before


def test_stats_json_includes_breaks_this_week(tmp_path: Path, mg_home: Path) -> None:
    """`stats --json` carries breaks_this_week: the prompts by outcome and the breaks taken."""
    from massage_guide.core.history import HistoryStore

    store, _ = HistoryStore.open(mg_home / "history.sqlite3")
    with store:
        for outcome in ("shown", "started", "shown", "snoozed"):
            store.record_prompt(outcome)
    result = run(mg_home, "stats", "--json")
    assert result.returncode == 0, result.stderr
    breaks = json.loads(result.stdout)["breaks_this_week"]
    assert breaks == {
        "taken": 1,
        "prompts": {"shown": 2, "started": 1, "snoozed": 1, "skipped": 0, "missed": 0},
    }
    text = run(mg_home, "stats")
    assert "Breaks this week: 1 taken of 2 reminders" in text.stdout
