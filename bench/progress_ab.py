"""Benchmark: the progress page's first screen on a million sessions, this tree against an earlier commit.

Both trees open the same generated history (bench/history_scale.py writes it) in fresh processes, taken in
turn so a busy machine slows both alike; the figure is the median CPU time of the first screen (open the
history, figures, calendar, charts, the first page of sessions, painted) and the wall-clock time beside it.
Run: python bench/progress_ab.py [--against REV] [--sessions 1000000] [--rounds 3]."""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from history_scale import make_history
from perf_doc import write_section

REPO_ROOT = Path(__file__).resolve().parent.parent
RUNS_PER_ROUND = 7

# The page child: with a ProgressController where the tree has one, else the page's own set_data.
PAGE = """
import os, sys, time
from pathlib import Path
from PySide6.QtWidgets import QApplication
from massage_guide.core.history import HistoryStore
from massage_guide.core.library import load_library
from massage_guide.core.settings import Settings
from massage_guide.ui import theme
from massage_guide.ui.progress_page import ProgressPage

app = QApplication(sys.argv[:1])
theme.apply(app, "light")
library = load_library()
page = ProgressPage()
try:
    from massage_guide.ui.progress_controller import ProgressController
except ImportError:
    show = lambda store: page.set_data(store, library, Settings())
else:
    controller = ProgressController(page)
    show = lambda store: controller.show_history(store, library, Settings())
page.resize(1180, 780)
page.show()
app.processEvents()
for _ in range(int(sys.argv[2])):
    start, start_cpu = time.perf_counter(), time.process_time()
    store, _ = HistoryStore.open(Path(sys.argv[1]))
    store.recover_interrupted()
    show(store)
    page.repaint()
    print("run", (time.perf_counter() - start) * 1000, (time.process_time() - start_cpu) * 1000, flush=True)
    store.close()
os._exit(0)
"""


def runs(tree: Path, file: Path, home: Path) -> list[tuple[float, float]]:
    """(wall ms, CPU ms) of each first screen, the page built from ``tree``."""
    env = {**os.environ, "MASSAGE_GUIDE_HOME": str(home), "PYTHONPATH": str(tree)}
    if not env.get("DISPLAY"):
        env["QT_QPA_PLATFORM"] = "offscreen"
    out = subprocess.run(
        [sys.executable, "-c", PAGE, str(file), str(RUNS_PER_ROUND)],
        env=env,
        cwd=tree,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    ).stdout
    found = [
        (float(w), float(c))
        for _, w, c in (line.split() for line in out.splitlines() if line.startswith("run"))
    ]
    if not found:
        raise SystemExit(f"the page child of {tree} failed: {out}")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--against", default="HEAD~1", help="the commit to compare with (default HEAD~1)")
    parser.add_argument("--sessions", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-doc", action="store_true", help="print only; leave docs/performance.md alone")
    args = parser.parse_args()
    revision = subprocess.run(
        ["git", "rev-parse", "--short", args.against],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    with tempfile.TemporaryDirectory(prefix="mg-progress-ab-") as folder:
        base = Path(folder) / "base"
        base.mkdir()
        archive = subprocess.run(["git", "archive", revision], cwd=REPO_ROOT, capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", str(base)], input=archive.stdout, check=True)
        home = Path(folder) / "home"
        home.mkdir()
        # One history per tree, each made by that tree's own store: the schema may have moved on since.
        file = home / "history.sqlite3"
        make_history(file, args.sessions)
        base_file = home / "base.sqlite3"
        make = "import sys\nfrom pathlib import Path\nfrom history_scale import make_history\n"
        make += f"make_history(Path({str(base_file)!r}), {args.sessions})\n"
        env = {**os.environ, "PYTHONPATH": os.pathsep.join((str(base / "bench"), str(base)))}
        subprocess.run([sys.executable, "-c", make], cwd=base, env=env, check=True)
        before: list[tuple[float, float]] = []
        after: list[tuple[float, float]] = []
        for _ in range(args.rounds):
            before += runs(base, base_file, home)
            after += runs(REPO_ROOT, file, home)
    load = os.getloadavg()[0]

    def median(values: list[tuple[float, float]], index: int) -> float:
        return statistics.median(v[index] for v in values)

    lines = [
        f"`python bench/progress_ab.py --against {args.against}` ({time.strftime('%Y-%m-%d')}, Python "
        f"{sys.version.split()[0]}): the progress page's first screen on {args.sessions:,} generated sessions, "
        f"this tree against {revision}, {args.rounds} rounds of {RUNS_PER_ROUND} taken in turn. Load average "
        f"{load:.1f} on {os.cpu_count()} cores at the end: on a busy machine the wall-clock time is the CPU "
        "time stretched by the wait for a core, so the CPU time is the figure to compare.",
        "",
        "| tree | CPU time | wall clock |",
        "|---|---|---|",
        f"| {revision} | {median(before, 1):.0f} ms | {median(before, 0):.0f} ms |",
        f"| this tree | {median(after, 1):.0f} ms | {median(after, 0):.0f} ms |",
    ]
    print("\n".join(lines))
    if not args.no_doc:
        write_section("## Progress page through its controller, against the page before it", lines)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
