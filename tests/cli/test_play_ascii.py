"""``massage-guide play`` under an ASCII locale (LANG=C, LC_ALL=C): plain stand-ins, never a crash."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from massage_guide.cli.plain_text import fit
from massage_guide.cli.terminal_player import KEY_HELP
from massage_guide.core import i18n
from massage_guide.core.i18n import _
from tests.cli.test_play import PROCESS_TIMEOUT, home, player_env, read_until, terminal

__all__ = ["home", "terminal"]  # fixtures shared with test_play


def ascii_env(scale: float) -> dict[str, str]:
    """The C locale as a bare system has it: no UTF-8 mode, no PYTHONIOENCODING, so stdout is ASCII."""
    env = {
        key: value for key, value in player_env(scale).items() if key not in ("PYTHONIOENCODING", "LANGUAGE")
    }
    env.update(LANG="C", LC_ALL="C", PYTHONUTF8="0")
    return env


def test_fit_keeps_what_the_stream_can_show_and_swaps_the_rest() -> None:
    """Typography stays on a UTF-8 stream; on an ASCII one it becomes "-", "...", "#", accents lose their marks."""
    utf8 = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    plain = io.TextIOWrapper(io.BytesIO(), encoding="ascii")
    assert fit("Step 1 · Settle…", utf8) == "Step 1 · Settle…"
    assert fit("Step 1 · Settle…", plain) == "Step 1 - Settle..."
    assert fit("▕██░░▏", plain) == "[##..]"
    assert fit("Schulter lösen ✓", plain) == "Schulter losen ?"


@pytest.mark.slow
def test_play_without_a_terminal_prints_plain_ascii(home: Path) -> None:
    """Piped under LANG=C the player runs to the end with ASCII stand-ins instead of a UnicodeEncodeError."""
    result = subprocess.run(
        [sys.executable, "-m", "massage_guide", "play", "tiny-test", "--no-voice"],
        env=ascii_env(35),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=PROCESS_TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.isascii() and result.stderr.isascii()
    lines = result.stdout.decode("ascii").splitlines()
    assert lines[0] == "Tiny test routine - 1:10"
    assert "Step 1 of 3 - Warm the neck (0:30)" in lines


@pytest.mark.slow
def test_play_in_an_ascii_terminal_draws_plain_status(home: Path, terminal: tuple[int, int]) -> None:
    """In a TTY under LC_ALL=C the countdown bar, pause line and count-in use "#", "-" and "..."."""
    master, slave = terminal
    process = subprocess.Popen(
        [sys.executable, "-m", "massage_guide", "play", "tiny-test", "--no-voice"],
        env=ascii_env(1),
        stdin=slave,
        stdout=slave,
        stderr=slave,
    )
    os.close(slave)
    try:
        out = read_until(master, b"left  [")  # the live countdown and its bar are on screen
        os.write(master, b" ")
        out += read_until(master, b"q to stop")  # the pause line's end
        os.write(master, b" ")
        out += read_until(master, b"Starting again in 3...")
        os.write(master, b"q")
        out += read_until(master, b"It is saved in your history.")
        process.wait(timeout=PROCESS_TIMEOUT)
    finally:
        process.kill()
        process.wait()
    assert process.returncode == 0, out
    assert out.isascii(), out
    assert b"\nspace pause - n next - p back - " in out
    assert b"- space to go on - q to stop" in out


def test_german_key_help_tells_resume_from_next() -> None:
    """In German the terminal's key help says "Fortsetzen" for resume and keeps "weiter" for the next step."""
    i18n.activate("de")
    try:
        help_line = _(KEY_HELP)
        paused = _("Paused at {time} left · space to go on · q to stop")
    finally:
        i18n.activate("en")
    assert help_line.startswith("Leertaste Pause/Fortsetzen · n weiter · ")
    assert "Leertaste zum Fortsetzen" in paused
