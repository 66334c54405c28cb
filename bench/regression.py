"""Regression guard: every scale figure of issue 16 in one run, in under five minutes, as one table.

Runs the library at 10,000 routines (bench/library_scale.py), progress and statistics at a million sessions
(bench/history_scale.py), a session's memory and CPU (bench/session_cpu.py) and the history import of
100,000 sessions (as bench/history_bench.py measures it). Prints one table; exits 1 when a goal is not met.
``--doc`` also writes the table to docs/performance.md. Run: python bench/regression.py [--runs 3] [--doc]."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import history_bench
import history_scale
import library_scale
from perf_doc import write_section

BENCH = Path(__file__).resolve().parent
BUDGET_SECONDS = 5 * 60
IMPORT_GOAL_SECONDS = 3  # 100,000 sessions (item 3 of the issue)
IMPORT_SESSIONS = 100_000
SESSION_STEP = 8  # seconds per step of the session run: 24 s, two thirds of it outside the animation

Row = tuple[str, str, str, bool]


def _child(script: str, *args: str, timeout: int = 240) -> str:
    env = {**os.environ}
    env.setdefault("SDL_AUDIODRIVER", "dummy")
    if not env.get("DISPLAY"):
        env["QT_QPA_PLATFORM"] = "offscreen"
    done = subprocess.run(
        [sys.executable, str(BENCH / script), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env=env,
        cwd=BENCH,
    )
    return done.stdout


def session_rows() -> list[Row]:
    """bench/session_cpu.py's rows, read back from its printed table."""
    out = _child("session_cpu.py", "--step", str(SESSION_STEP), "--no-doc", "--rows")
    rows: list[Row] = []
    for line in out.splitlines():
        if line.startswith("ROW\t"):
            _, name, figure, goal, result = line.split("\t")
            if "breathing step" not in name:
                rows.append((name, figure, goal, result == "PASS"))
    if not rows:
        rows.append(("session CPU and memory", "the run failed", "—", False))
    return rows


def import_rows() -> list[Row]:
    """History import of 100,000 sessions, CSV and JSON (issue 16, item 3): the same generated file and the
    same measured ``history import`` run as bench/history_bench.py, at that one size."""
    goal = f"<= {IMPORT_GOAL_SECONDS} s"
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="mg-guard-import-") as folder:
        source = Path(folder) / "sessions.csv"
        history_bench.generate_csv(source, IMPORT_SESSIONS)
        history_bench.csv_to_json(source, source.with_suffix(".json"))
        for suffix in (".csv", ".json"):
            wall, cpu, _mib = history_bench.measured_import(
                Path(folder) / suffix[1:], source.with_suffix(suffix)
            )
            rows.append(
                (
                    f"history import of {IMPORT_SESSIONS:,} sessions, {suffix[1:].upper()}",
                    f"{wall:.2f} s (CPU {cpu:.2f} s)",
                    goal,
                    wall <= IMPORT_GOAL_SECONDS,
                )
            )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--doc", action="store_true", help="also write the table to docs/performance.md")
    args = parser.parse_args()
    start = time.perf_counter()
    rows: list[Row] = []
    library: dict[str, Any] = library_scale.measure(args.runs)
    rows += library_scale.verdicts(library)
    history: dict[str, Any] = history_scale.measure(1_000_000, args.runs)
    rows += history_scale.verdicts(history)
    rows += session_rows()
    rows += import_rows()
    took = time.perf_counter() - start
    rows.append(("this guard's own run", f"{took:.0f} s", f"< {BUDGET_SECONDS} s", took < BUDGET_SECONDS))
    width = max(len(name) for name, *_ in rows)
    figure_width = max(len(figure) for _, figure, *_ in rows)
    print(f"{'measure':{width}}  {'figure':{figure_width}}  {'goal':10}  result")
    for name, figure, goal, met in rows:
        print(f"{name:{width}}  {figure:{figure_width}}  {goal:10}  {'PASS' if met else 'FAIL'}")
    if args.doc:
        machine = os.uname()
        write_section(
            "## Regression guard",
            [
                f"`python bench/regression.py --doc` ({time.strftime('%Y-%m-%d %H:%M')}, {machine.machine} "
                f"{machine.sysname}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the end, "
                f"Python {sys.version.split()[0]}): every figure of issue 16 in one run, medians of {args.runs} "
                "where repeated, except two that swung with the machine's load: the library page's paint is the "
                "best of the runs on each side (with the CPU-time ratio beside it) and the progress page the best "
                "of 9 openings (median beside it). Run it before and after a change and compare.",
                "",
                "| measure | figure | goal | |",
                "|---|---|---|---|",
                *(f"| {n} | {fig} | {g} | {'met' if m else 'NOT met'} |" for n, fig, g, m in rows),
            ],
        )
    return 0 if all(met for *_, met in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
