"""The command line in German says what went wrong wholly in German: no English from PyYAML, json or the OS."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.test_history_cli import REPO_ROOT
from tests.disk import SmallDisk, mounted

pytestmark = pytest.mark.slow

SESSION = (
    '{"id": "6f1c2a52-8f0e-4c56-9a43-0e8b1f0f3a11", "routine_id": "neck", "routine_title": "Neck", '
    '"started_at": "2024-05-01T18:30:00+02:00", "ended_at": "2024-05-01T18:35:00+02:00", '
    '"status": "completed", "planned_seconds": 300, "active_seconds": 300, "steps_completed": 3, '
    '"steps_total": 3}'
)


def run_german(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``massage-guide ARGS`` as a German-speaking user runs it, with ``home`` as its data folder."""
    env = {**os.environ, "MASSAGE_GUIDE_HOME": str(home), "LANGUAGE": "de", "LANG": "de_DE.UTF-8"}
    return subprocess.run(
        [sys.executable, "-m", "massage_guide", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO_ROOT,
        check=False,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def test_validate_names_a_tab_in_german(tmp_path: Path) -> None:
    """A tab used for indenting is reported at its line and column, in German, with the fix."""
    routine = tmp_path / "neck.yaml"
    routine.write_text("id: neck\ntitle: Neck\n\tsummary: x\n", encoding="utf-8")
    done = run_german(tmp_path / "home", "validate", str(routine))
    assert done.returncode == 1
    assert (
        f"{routine}:3:1: YAML-Syntaxfehler: ein Tabulator ist hier zum Einrücken nicht erlaubt; rück mit "
        "Leerzeichen ein"
    ) in done.stdout + done.stderr
    assert "cannot start any token" not in done.stdout + done.stderr


def test_history_import_of_broken_json_says_why_in_german(tmp_path: Path) -> None:
    """A missing comma in a JSON export is reported at its line in German, and nothing is imported."""
    sessions = tmp_path / "sessions.json"
    sessions.write_text("[\n" + SESSION.replace(', "status"', '\n "status"') + "\n]\n", encoding="utf-8")
    done = run_german(tmp_path / "home", "history", "import", str(sessions))
    assert done.returncode == 1
    assert (
        f"{sessions}:3: kein gültiges JSON (zwischen zwei Werten fehlt ein „,“); nichts wurde importiert"
    ) in done.stderr
    assert "Expecting" not in done.stderr


def test_history_import_of_a_missing_file_says_why_in_german(tmp_path: Path) -> None:
    """A file name typed wrong gets our German words, not the OS's "No such file or directory"."""
    done = run_german(tmp_path / "home", "history", "import", str(tmp_path / "sesions.csv"))
    assert done.returncode == 1
    assert "die Datei oder ihr Ordner existiert nicht; prüfe den Namen und den Ordner" in done.stderr
    assert "No such file" not in done.stderr


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[SmallDisk]:
    with mounted(tmp_path / "disk") as small:
        yield small


def test_history_export_to_a_full_or_read_only_disk_in_german(disk: SmallDisk, tmp_path: Path) -> None:
    """Exporting onto a real full disk, then a read-only one, says which in German and what to do."""
    home = tmp_path / "home"
    sessions = tmp_path / "sessions.json"
    sessions.write_text(f"[{SESSION}]", encoding="utf-8")
    assert run_german(home, "history", "import", str(sessions)).returncode == 0
    disk.fill()
    full = run_german(home, "history", "export", str(disk.root / "export.csv"))
    assert full.returncode == 1
    assert "das Laufwerk ist voll; schaff etwas Platz und versuch es noch einmal" in full.stderr
    assert "No space left" not in full.stderr
    disk.free()
    disk.read_only()
    try:
        read_only = run_german(home, "history", "export", str(disk.root / "export.csv"))
    finally:
        disk.read_only(False)
    assert read_only.returncode == 1
    assert "das Laufwerk ist schreibgeschützt; wähle einen anderen Ort" in read_only.stderr
    assert "Read-only file system" not in read_only.stderr
