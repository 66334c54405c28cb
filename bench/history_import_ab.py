"""The history import against an earlier version of the code, in one run, alternated (issue 16, item 3).

On a machine shared with other work the wall time of one import swings two- or threefold with the load; the
same import by an earlier version, run in turn with this one, shows what a change did. Exports the package
as it was at REV (git archive) to a temporary folder, imports the same 100,000 generated sessions (CSV and
JSON) with each version in turn, and reports medians of wall and CPU time.
Run: python bench/history_import_ab.py [--against REV] [--runs 3] [--no-doc]."""

from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

import history_bench
from perf_doc import write_section

REPO_ROOT = Path(__file__).resolve().parent.parent
SESSIONS = 100_000
SECTION = "## History import against the version before"


def export_package(rev: str, folder: Path) -> None:
    """The massage_guide package as it was at ``rev``, unpacked into ``folder``."""
    archive = subprocess.run(
        ["git", "archive", rev, "massage_guide"], cwd=REPO_ROOT, check=True, capture_output=True
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")


def one_import(package_root: Path, home: Path, source: Path) -> tuple[float, float]:
    """(wall, CPU) seconds of one ``history import`` run by the package under ``package_root``."""
    env = {**os.environ, "MASSAGE_GUIDE_HOME": str(home), "PYTHONPATH": str(package_root)}
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "massage_guide", "history", "import", str(source)],
        env=env,
        cwd=package_root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _pid, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"the import from {package_root} failed")
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--against", default="e5458c6", help="the earlier revision (default: before issue 16's import work)"
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-doc", action="store_true", help="print only; leave docs/performance.md alone")
    args = parser.parse_args()
    results: dict[tuple[str, str], list[tuple[float, float]]] = {}
    with tempfile.TemporaryDirectory(prefix="mg-import-ab-") as folder_name:
        folder = Path(folder_name)
        before = folder / "before"
        export_package(args.against, before)
        source = folder / "sessions.csv"
        history_bench.generate_csv(source, SESSIONS)
        history_bench.csv_to_json(source, source.with_suffix(".json"))
        versions = (("before", before), ("now", REPO_ROOT))
        for run in range(args.runs):
            for suffix in (".csv", ".json"):
                for name, root in versions if run % 2 == 0 else reversed(versions):
                    home = folder / f"home-{name}-{run}{suffix}"
                    results.setdefault((name, suffix), []).append(
                        one_import(root, home, source.with_suffix(suffix))
                    )
    rows = []
    for suffix in (".csv", ".json"):
        wall = {name: statistics.median(w for w, _ in results[name, suffix]) for name, _ in versions}
        cpu = {name: statistics.median(c for _, c in results[name, suffix]) for name, _ in versions}
        rows.append(
            f"| {suffix[1:].upper()} | {wall['before']:.2f} s | {wall['now']:.2f} s | {cpu['before']:.2f} s "
            f"| {cpu['now']:.2f} s | {cpu['now'] / cpu['before']:.0%} |"
        )
    lines = [
        f"`python bench/history_import_ab.py --against {args.against}` ({time.strftime('%Y-%m-%d %H:%M')}, "
        f"{os.cpu_count()} cores shared with other work, load average {os.getloadavg()[0]:.1f} at the end): "
        f"{SESSIONS:,} generated sessions imported into an empty history by the code at {args.against} and by "
        f"this version in turn, medians of {args.runs} runs each.",
        "",
        "| format | wall before | wall now | CPU before | CPU now | CPU now / before |",
        "|---|---|---|---|---|---|",
        *rows,
    ]
    print("\n".join(lines))
    if not args.no_doc:
        write_section(SECTION, lines)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
