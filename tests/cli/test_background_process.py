"""The app started for break reminders (--background) as a process: a later --start ID --mini reaches it,
and SIGTERM records the break as stopped and ends it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.test_gui_process import sessions, wait_for
from tests.conftest import REPO_ROOT


@pytest.mark.slow
def test_background_app_takes_a_mini_break_from_a_later_launch(mg_home: Path) -> None:
    """--background opens the history without a page; --start ID --mini from a second launch starts the break."""
    (mg_home / "settings.yaml").write_text(
        "safety_notice_seen: true\nvoice_enabled: false\nreminders:\n  enabled: true\n", encoding="utf-8"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "SDL_AUDIODRIVER": "dummy"}
    first = subprocess.Popen([sys.executable, "-m", "massage_guide", "--background"], cwd=REPO_ROOT, env=env)
    history = mg_home / "history.sqlite3"
    try:
        wait_for(history.exists, 30, "the background app to open its history")
        second = subprocess.run(
            [sys.executable, "-m", "massage_guide", "--start", "desk-break-3-minutes", "--mini"],
            cwd=REPO_ROOT,
            env=env,
            timeout=30,
            check=False,
        )
        assert second.returncode == 0
        wait_for(
            lambda: sessions(history) == [("desk-break-3-minutes", "in_progress")], 30, "the break to start"
        )
        first.send_signal(signal.SIGTERM)
        assert first.wait(timeout=10) == 0
    finally:
        if first.poll() is None:
            first.kill()
    assert sessions(history) == [("desk-break-3-minutes", "stopped")]


@pytest.mark.slow
def test_start_mini_runs_the_routine_without_the_main_window(mg_home: Path) -> None:
    """--start ID --mini starts the session at once (the mini player) and SIGTERM ends it on record."""
    (mg_home / "settings.yaml").write_text(
        "safety_notice_seen: true\nvoice_enabled: false\n", encoding="utf-8"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "SDL_AUDIODRIVER": "dummy"}
    app = subprocess.Popen(
        [sys.executable, "-m", "massage_guide", "--start", "desk-break-3-minutes", "--mini"],
        cwd=REPO_ROOT,
        env=env,
    )
    history = mg_home / "history.sqlite3"
    try:
        wait_for(lambda: sessions(history) == [("desk-break-3-minutes", "in_progress")], 30, "the break")
        app.send_signal(signal.SIGTERM)
        assert app.wait(timeout=10) == 0
    finally:
        if app.poll() is None:
            app.kill()
    assert sessions(history) == [("desk-break-3-minutes", "stopped")]
