"""Benchmark: how long the routine editor's check takes (write the document, run the loader), per edit.

The editor checks after a pause in typing (CHECK_DELAY_MS); a check well under that pause keeps typing
fluid. Cases: the largest built-in routine, and a 200-step routine of one's own (the most a person writes by
hand is far less). Run: python bench/editor_check.py [--runs 7] [--write]."""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from perf_doc import write_section

from massage_guide import resources
from massage_guide.core.document import read_document, text
from massage_guide.core.routine_writer import check_document, write_document
from massage_guide.core.step_timing import timing_warnings

STEPS_IN_BIG_ROUTINE = 200
HEADER = """\
# A long routine written by hand: every step a comment.
schema_version: 1
id: long-one
title: A long one
summary: Two hundred steps, to measure the editor.
areas: [neck]
goals: [tension_relief]
steps:
"""
STEP = """\
  - title: Step {n}   # step {n}
    instruction: Press the ball into the muscle with medium pressure and roll slowly, pausing on tender spots.
    duration: 30s
    technique: rolling
    pressure: medium
"""


def _median_ms(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def measure(source: str, name: str, runs: int) -> list[str]:
    document = read_document(source)
    edited = replace(document, title=text(document.title.get() + " (edited)"))
    path = Path(f"{document.id}.yaml")

    def check() -> object:
        routine, _problems, _written = check_document(edited, path)
        return timing_warnings(routine, path) if routine is not None else []

    read_ms = _median_ms(lambda: read_document(source), runs)
    write_ms = _median_ms(lambda: write_document(edited), runs)
    check_ms = _median_ms(check, runs)
    lines = source.count("\n")
    return [f"| {name} ({lines} lines) | {read_ms:.0f} ms | {write_ms:.0f} ms | {check_ms:.0f} ms |"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--write", action="store_true", help="write the figures to docs/performance.md")
    args = parser.parse_args()
    builtins = sorted(resources.routines_dir().glob("*.yaml"), key=lambda p: p.stat().st_size)
    largest = builtins[-1]
    big = HEADER + "".join(STEP.format(n=n) for n in range(1, STEPS_IN_BIG_ROUTINE + 1))
    rows = measure(largest.read_text(encoding="utf-8"), f"largest built-in, {largest.stem}", args.runs)
    rows += measure(big, f"{STEPS_IN_BIG_ROUTINE} steps of one's own", args.runs)
    lines = [
        "One check runs after each pause in typing (300 ms): the editor writes the routine with ruamel.yaml",
        "(round-trip, so comments survive) and runs the loader on the text, the same rules as `validate`,",
        "plus validate's timing warnings. Medians of "
        f"{args.runs} runs on this machine; `python bench/editor_check.py --write` renews them.",
        "",
        "| routine | open (read the document) | write it | check (write + load + warnings) |",
        "|---|---|---|---|",
        *rows,
    ]
    print("\n".join(lines))
    if args.write:
        write_section("## Routine editor: checking as you type", lines)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
