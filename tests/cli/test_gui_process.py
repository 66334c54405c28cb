"""The desktop app as a process: a second launch hands --start to the first and exits, and SIGTERM
stops the running session, records it and ends the app."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

# Only a hang guard: each wait below ends on its event (a file, a row, the process's exit). On a loaded
# machine the app's start and its clean exit (the session recorded, the voice's process ended) can take
# many seconds, so a tight limit here failed tests whose behaviour was right.
HANG_GUARD_SECONDS = 120


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return
        time.sleep(0.05)  # polling another process: there is no signal to wait on
    raise AssertionError(f"timed out waiting for {what}")


def sessions(history: Path) -> list[tuple[str, str]]:
    if not history.exists():
        return []
    try:
        with sqlite3.connect(history, timeout=5) as connection:
            return list(connection.execute("SELECT routine_id, status FROM sessions"))
    except sqlite3.OperationalError:  # the table is being created
        return []


@pytest.mark.slow
def test_second_launch_starts_routine_in_first_and_sigterm_records_stop(mg_home: Path) -> None:
    """--start from a second launch reaches the running app; SIGTERM then ends it with the session stopped."""
    (mg_home / "settings.yaml").write_text("safety_notice_seen: true\n", encoding="utf-8")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "SDL_AUDIODRIVER": "dummy"}
    first = subprocess.Popen([sys.executable, "-m", "massage_guide"], cwd=REPO_ROOT, env=env)
    history = mg_home / "history.sqlite3"
    try:
        # The history opens after the first paint, once the app is listening for later launches.
        wait_for(history.exists, HANG_GUARD_SECONDS, "the first app to open its history")
        second = subprocess.run(
            [sys.executable, "-m", "massage_guide", "--start", "neck-tension-release"],
            cwd=REPO_ROOT,
            env=env,
            timeout=HANG_GUARD_SECONDS,
            check=False,
        )
        assert second.returncode == 0
        wait_for(
            lambda: sessions(history) == [("neck-tension-release", "in_progress")],
            HANG_GUARD_SECONDS,
            "the session to start",
        )
        first.send_signal(signal.SIGTERM)
        assert first.wait(timeout=HANG_GUARD_SECONDS) == 0
    finally:
        if first.poll() is None:
            first.kill()
    assert sessions(history) == [("neck-tension-release", "stopped")]


@pytest.mark.slow
def test_edit_opens_a_builtin_as_a_copy_whose_draft_survives_sigterm(mg_home: Path) -> None:
    """--edit on a built-in opens the editor on a copy; its unsaved draft is still there after SIGTERM."""
    from massage_guide.core.drafts import find_drafts

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "SDL_AUDIODRIVER": "dummy"}
    app = subprocess.Popen(
        [sys.executable, "-m", "massage_guide", "--edit", "neck-tension-release"], cwd=REPO_ROOT, env=env
    )
    folder = mg_home / "routines"
    try:
        # The editor keeps a draft of the copy from the moment it opens (the copy is not saved yet).
        wait_for(lambda: bool(find_drafts(folder)), HANG_GUARD_SECONDS, "the editor to open on a copy")
        app.send_signal(signal.SIGTERM)
        assert app.wait(timeout=HANG_GUARD_SECONDS) == 0
    finally:
        if app.poll() is None:
            app.kill()
    drafts = find_drafts(folder)
    assert [(d.target, d.title) for d in drafts] == [(None, "Neck tension release (my copy)")]
    assert "id: neck-tension-release-copy" in drafts[0].text
    assert sorted(p.name for p in folder.iterdir()) == [drafts[0].draft_file.name]  # nothing saved
