"""``massage-guide play`` honours the sleep fade: the ambience plays on after the routine; a key or Ctrl+C ends it."""

from __future__ import annotations

import os
import pty
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from massage_guide.core.history import HistoryStore
from tests.cli.test_play import PROCESS_TIMEOUT, TINY_ROUTINE, read_until


def start(home: Path, minutes: int, scale: float, **kwargs: object) -> subprocess.Popen[bytes]:
    """The player on ``tiny-test`` with ``sleep_fade_minutes`` set, its clock ``scale`` times faster."""
    (home / "routines").mkdir(exist_ok=True)
    (home / "routines" / "tiny.yaml").write_text(TINY_ROUTINE, encoding="utf-8")
    (home / "settings.yaml").write_text(f"sleep_fade_minutes: {minutes}\n", encoding="utf-8")
    env = {**os.environ, "MASSAGE_GUIDE_TIME_SCALE": str(scale), "SDL_AUDIODRIVER": "dummy"}
    return subprocess.Popen(  # type: ignore[call-overload,no-any-return]
        [sys.executable, "-m", "massage_guide", "play", "tiny-test", "--no-voice"], env=env, **kwargs
    )


def statuses(home: Path) -> list[str]:
    store, _messages = HistoryStore.open(home / "history.sqlite3")
    try:
        return [record.status for record in store.list_sessions()]
    finally:
        store.close()


@pytest.mark.slow
def test_the_sound_plays_on_for_the_sleep_fade_then_the_player_ends(mg_home: Path) -> None:
    """After the last step the player says the sound fades out over the chosen time, waits it out, exits 0."""
    process = start(mg_home, 1, scale=70, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE)
    out, _ = process.communicate(timeout=PROCESS_TIMEOUT)
    text = out.decode()
    assert process.returncode == 0, text
    complete = text.index("Session complete: 1:10 of massage")
    assert text.index("The sound fades out over 1 min.") > complete
    assert "Press any key" not in text  # no terminal: no key to press
    assert statuses(mg_home) == ["completed"]


@pytest.mark.slow
def test_ctrl_c_during_the_sleep_fade_stops_the_sound_and_exits_130(mg_home: Path) -> None:
    """Ctrl+C while the ambience fades ends it at once; the finished session stays on record as completed."""
    with start(mg_home, 60, scale=70, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE) as process:
        try:
            assert process.stdout is not None
            read_until(process.stdout.fileno(), b"fades out over 1 hr")
            process.send_signal(signal.SIGINT)
            process.wait(timeout=PROCESS_TIMEOUT)
        finally:
            process.kill()
    assert process.returncode == 130
    assert statuses(mg_home) == ["completed"]


@pytest.mark.slow
def test_a_key_in_a_terminal_stops_the_sleep_fade(mg_home: Path) -> None:
    """In a terminal any key ends the fading sound, and the player exits 0."""
    master, slave = pty.openpty()
    process = start(mg_home, 60, scale=70, stdin=slave, stdout=slave, stderr=slave)
    os.close(slave)
    try:
        read_until(master, b"Press any key to stop it now.")
        os.write(master, b"x")
        process.wait(timeout=PROCESS_TIMEOUT)
    finally:
        process.kill()
        process.wait()
        os.close(master)
    assert process.returncode == 0
    assert statuses(mg_home) == ["completed"]
