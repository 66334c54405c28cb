"""Benchmark: how fast things end. The terminal player after SIGTERM, a second app launch handing its
--start over to the running window, and the app after SIGTERM (goals: each within a second).

Run: python bench/exits.py [--runs 5]. Uses Qt's offscreen platform and SDL's dummy audio driver."""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from perf_doc import write_section

ROUTINE = """\
schema_version: 1
id: bench-exit
title: Bench exit
summary: A long step to interrupt.
areas: [hands]
goals: [stress_relief]
steps:
  - {title: Hold, instruction: Keep your hands still., duration: 10m}
"""


def wait_for(condition: Callable[[], bool], timeout: float = 30) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return
        time.sleep(0.02)
    raise SystemExit("timed out")


def play_sigterm(env: dict[str, str]) -> float:
    process = subprocess.Popen(
        [sys.executable, "-m", "massage_guide", "play", "bench-exit", "--no-voice"],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    for line in process.stdout:
        if "Step 1 of 1" in line:
            break
    sent = time.perf_counter()
    process.send_signal(signal.SIGTERM)
    process.wait(30)
    return time.perf_counter() - sent


def app_round(env: dict[str, str], home: Path) -> tuple[float, float]:
    history = home / "history.sqlite3"
    history.unlink(missing_ok=True)
    app = subprocess.Popen([sys.executable, "-m", "massage_guide"], env=env)
    try:
        wait_for(history.exists)
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "massage_guide", "--start", "bench-exit"], env=env, check=True)
        handover = time.perf_counter() - started
        time.sleep(1.0)
        sent = time.perf_counter()
        app.send_signal(signal.SIGTERM)
        app.wait(30)
        return handover, time.perf_counter() - sent
    finally:
        if app.poll() is None:
            app.kill()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-doc", action="store_true", help="print only; leave docs/performance.md alone")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        (home / "routines").mkdir()
        (home / "routines" / "bench-exit.yaml").write_text(ROUTINE, encoding="utf-8")
        (home / "settings.yaml").write_text("safety_notice_seen: true\n", encoding="utf-8")
        env = {
            **os.environ,
            "MASSAGE_GUIDE_HOME": folder,
            "QT_QPA_PLATFORM": "offscreen",
            "SDL_AUDIODRIVER": "dummy",
        }
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        player = [play_sigterm(env) for _ in range(args.runs)]
        rounds = [app_round(env, home) for _ in range(args.runs)]
    play_t = statistics.median(player)
    handover = statistics.median(h for h, _ in rounds)
    app_t = statistics.median(t for _, t in rounds)
    worst = max([*player, *(h for h, _ in rounds), *(t for _, t in rounds)])
    print(f"play, SIGTERM to exit:        {play_t * 1000:5.0f} ms (median of {args.runs})")
    print(f"second launch, --start handed over and exited: {handover * 1000:5.0f} ms")
    print(f"app, SIGTERM to exit:         {app_t * 1000:5.0f} ms")
    print(f"worst of all: {worst * 1000:.0f} ms (goal under 1 s) -> {'PASS' if worst < 1 else 'FAIL'}")
    if not args.no_doc:
        write_section(
            "## Stopping and handing over",
            [
                f"`python bench/exits.py` ({time.strftime('%Y-%m-%d')}), medians of {args.runs} runs, offscreen Qt, "
                "SDL dummy audio. Each must happen within a second.",
                "",
                "| what | time |",
                "|---|---|",
                f"| `massage-guide play`: SIGTERM mid-step until the process has exited (sound faded, session "
                f"recorded as stopped) | {play_t * 1000:.0f} ms |",
                f"| a second `massage-guide --start ID`: launch until it has handed over and exited | "
                f"{handover * 1000:.0f} ms |",
                f"| the app: SIGTERM mid-session until the process has exited (session recorded as stopped) | "
                f"{app_t * 1000:.0f} ms |",
                "",
                f"Worst single run: {worst * 1000:.0f} ms.",
            ],
        )
    return 0 if worst < 1 else 1


if __name__ == "__main__":
    raise SystemExit(main())
