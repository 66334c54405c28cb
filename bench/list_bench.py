"""Benchmark: `massage-guide list --json` with 1,000 user routines against the built-ins alone (goal <= 2.5x).

Run: python bench/list_bench.py [--runs 7]. Prints one line per case and the ratio; the first run of the big
library fills the parse cache (reported separately as "cold")."""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from perf_doc import write_section

ROUTINE = """\
schema_version: 1
id: generated-{n:04d}
title: Generated routine {n}
summary: A generated routine used to measure how the library scales.
areas: [{area}]
goals: [tension_relief]
level: beginner
equipment: [tennis_ball]
cautions: ["Stop if you feel sharp pain, numbness or tingling."]
ambience: soft-rain
steps:
  - title: Settle in
    instruction: Sit comfortably, let your shoulders drop and breathe in for four, out for six.
    duration: 45s
    technique: breathing
    breathing: {{inhale: 4, exhale: 6}}
  - title: Work the muscle
    instruction: Press the ball into the muscle with medium pressure and roll slowly, pausing on tender spots.
    duration: 1m30s
    technique: rolling
    pressure: medium
    side: left
    mirror: true
    focus: {area}
  - repeat: 3
    steps:
      - title: Circles
        instruction: Small slow circles with the fingertips, breathing out as you press.
        duration: 30s
        technique: friction
  - title: Rest
    instruction: Rest your hands and notice how the area feels now.
    duration: 1m
    technique: rest
"""
AREAS = ("neck", "shoulders", "feet", "calves", "hands", "lower_back")


def timed(home: Path, runs: int) -> list[float]:
    env = {**os.environ, "MASSAGE_GUIDE_HOME": str(home)}
    # As on a user's machine, Python may cache compiled bytecode (this sandbox sets the variable off).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "massage_guide", "list", "--json"],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        times.append(time.perf_counter() - start)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--no-doc", action="store_true", help="print only; leave docs/performance.md alone")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as small_dir, tempfile.TemporaryDirectory() as big_dir:
        small, big = Path(small_dir), Path(big_dir)
        routines = big / "routines"
        routines.mkdir()
        for n in range(1000):
            (routines / f"generated-{n:04d}.yaml").write_text(ROUTINE.format(n=n, area=AREAS[n % len(AREAS)]))
        timed(small, 1)  # warm the OS file cache and the built-ins' parse cache
        cold = timed(big, 1)[0]
        base = statistics.median(timed(small, args.runs))
        warm = statistics.median(timed(big, args.runs))
    ratio = warm / base
    print(f"built-ins only:            {base * 1000:7.0f} ms (median of {args.runs})")
    print(f"1,000 user routines, cold: {cold * 1000:7.0f} ms (first run, fills the cache)")
    print(f"1,000 user routines:       {warm * 1000:7.0f} ms (median of {args.runs})")
    print(f"ratio: {ratio:.2f}x (goal <= 2.5x) -> {'PASS' if ratio <= 2.5 else 'FAIL'}")
    if not args.no_doc:
        write_section(
            "## Library listing",
            [
                f"`python bench/list_bench.py` ({time.strftime('%Y-%m-%d')}): `massage-guide list --json` in a fresh "
                f"process, median of {args.runs} runs, with 1,000 generated user routines (each with a mirrored step "
                "and a repeat block) against the built-in routines alone.",
                "",
                "| library | time |",
                "|---|---|",
                f"| built-ins only | {base * 1000:.0f} ms |",
                f"| + 1,000 user routines, first run (parses all and fills the cache) | {cold * 1000:.0f} ms |",
                f"| + 1,000 user routines | {warm * 1000:.0f} ms |",
                "",
                f"Ratio {ratio:.2f}x (goal at most 2.5x). Parsed routines are cached in `cache/routines/library.cache` "
                "(checked JSON data, never code), keyed on each file's path, size and modification time, so only "
                "changed files are parsed again; the whole listing is kept beside it while no file changes.",
            ],
        )
    return 0 if ratio <= 2.5 else 1


if __name__ == "__main__":
    raise SystemExit(main())
