"""The command line on a real full disk: history is shown, never set aside; a session played is kept."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from massage_guide.core.history import HistoryStore
from tests.cli.test_history_cli import REPO_ROOT
from tests.cli.test_play import TINY_ROUTINE
from tests.disk import SmallDisk, mounted

pytestmark = pytest.mark.slow


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[SmallDisk]:
    with mounted(tmp_path / "disk") as small:
        yield small


def run(home: Path, runtime: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "MASSAGE_GUIDE_HOME": str(home),
        "XDG_RUNTIME_DIR": str(runtime),
        "MASSAGE_GUIDE_TIME_SCALE": "60",
        "SDL_AUDIODRIVER": "dummy",
    }
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


def test_history_play_and_stats_on_a_full_disk_lose_nothing(disk: SmallDisk, tmp_path: Path) -> None:
    """On a full disk `history` and `stats` show what is on record with a one-line note, `play` runs and
    says once that the session waits, and once space returns the session is on record."""
    home = disk.root
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    (home / "routines").mkdir()
    (home / "routines" / "tiny.yaml").write_text(TINY_ROUTINE, encoding="utf-8")
    store, _messages = HistoryStore.open(home / "history.sqlite3")
    first = store.begin(
        routine_id="tiny-test", routine_title="Tiny", content_hash="", planned_seconds=70, steps_total=3
    )
    store.finish(first, status="completed", active_seconds=70, steps_completed=3)
    store.close()
    crashed, _messages = HistoryStore.open(home / "history.sqlite3", pid=2**22 + 7)  # no such process
    crashed.begin(
        routine_id="tiny-test", routine_title="Tiny", content_hash="", planned_seconds=70, steps_total=3
    )
    crashed._db.close()  # killed: the session stays in_progress
    disk.fill()

    listed = run(home, runtime, "history")
    assert listed.returncode == 0 and "Tiny" in listed.stdout, listed.stderr
    assert "No sessions on record" not in listed.stdout
    assert listed.stderr.count("\n") == 1 and "disk is full" in listed.stderr
    assert run(home, runtime, "stats").returncode == 0

    played = run(home, runtime, "play", "tiny-test", "--no-voice")
    assert played.returncode == 0, played.stderr
    both = played.stdout + played.stderr
    assert "Traceback" not in both and both.count("could not be saved yet because the disk is full") == 1
    assert not list(home.glob("*.corrupt-*"))

    disk.free()
    after = run(home, runtime, "history", "--json")
    assert after.returncode == 0 and after.stdout.count('"completed"') == 2, after.stderr
    assert after.stdout.count('"interrupted"') == 1  # the crashed one, marked once it could be
