"""Benchmark: time to the first painted window, Massage Guide against a bare PySide6 QMainWindow with a label.

Run under a display (or Xvfb: ``xvfb-run -a python bench/startup.py``); without one it uses Qt's offscreen
platform. Each run is a fresh process timed from launch to the first paint of its main window; the two are
measured alternately, side by side, with a temporary MASSAGE_GUIDE_HOME. Goal: Massage Guide <= 1.5x bare.
Also reports peak memory (max RSS) at that moment."""

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

# Both children print "painted <maxrss_kb>" on the first paint of a QMainWindow. The bare one exits then;
# Massage Guide goes on until its library page (cards, filters, body map) has painted too, prints
# "library <maxrss_kb>" and exits.
_WATCH = """
import os, resource, sys
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QMainWindow

class FirstPaint(QObject):
    seen = False
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            if isinstance(obj, QMainWindow) and not self.seen:
                self.seen = True
                print("painted", rss, flush=True)
                if WAIT_FOR is None:
                    os._exit(0)
            elif WAIT_FOR is not None and type(obj).__name__ == WAIT_FOR:
                print("library", rss, flush=True)
                os._exit(0)
        return False
"""

BARE = (
    "WAIT_FOR = None\n"
    + _WATCH
    + """
app = QApplication(sys.argv[:1])
watch = FirstPaint(); app.installEventFilter(watch)
window = QMainWindow(); window.setWindowTitle("Bare")
from PySide6.QtWidgets import QLabel
window.setCentralWidget(QLabel("Hello")); window.resize(1180, 780); window.show()
app.exec()
"""
)

APP = (
    "WAIT_FOR = 'LibraryPage'\n"
    + _WATCH
    + """
app = QApplication(sys.argv[:1])
watch = FirstPaint(); app.installEventFilter(watch)
from massage_guide.app import main
main()
"""
)


def once(code: str, env: dict[str, str]) -> tuple[float, int, float | None]:
    """Seconds to the first paint, max RSS (KiB) then, and seconds until the library painted (app only)."""
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    assert child.stdout is not None
    first: tuple[float, int] | None = None
    library: float | None = None
    for line in child.stdout:
        now = time.perf_counter() - start
        if line.startswith("painted"):
            first = (now, int(line.split()[1]))
        elif line.startswith("library"):
            library = now
    child.wait(60)
    if first is None:
        raise SystemExit("the child did not paint")
    return first[0], first[1], library


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--no-doc", action="store_true", help="print only; leave docs/performance.md alone")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "MASSAGE_GUIDE_HOME": home}
        # As on a user's machine, Python may cache compiled bytecode (this sandbox sets the variable off).
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
            env["QT_QPA_PLATFORM"] = "offscreen"
        (Path(home) / "settings.yaml").write_text("safety_notice_seen: true\n")
        once(APP, env)  # first run fills the routine cache, as any later start of the app finds it
        bare, app = [], []
        for _ in range(args.runs):
            bare.append(once(BARE, env))
            app.append(once(APP, env))
    bare_t = statistics.median(t for t, _, _ in bare)
    app_t = statistics.median(t for t, _, _ in app)
    bare_m = statistics.median(m for _, m, _ in bare) / 1024
    app_m = statistics.median(m for _, m, _ in app) / 1024
    filled = statistics.median(lib for _, _, lib in app if lib is not None)
    ratio = app_t / bare_t
    platform = env.get("QT_QPA_PLATFORM", "display " + env.get("DISPLAY", "?"))
    print(f"platform: {platform}; medians of {args.runs} alternating runs")
    print(f"bare QMainWindow + label: {bare_t * 1000:6.0f} ms, peak {bare_m:5.0f} MiB")
    print(f"Massage Guide window:     {app_t * 1000:6.0f} ms, peak {app_m:5.0f} MiB")
    print(f"  ...library cards, filters and body map painted at {filled * 1000:.0f} ms")
    print(f"ratio: {ratio:.2f}x (goal <= 1.5x) -> {'PASS' if ratio <= 1.5 else 'FAIL'}")
    if not args.no_doc:
        write_section(
            "## First window",
            [
                f"`python bench/startup.py` ({time.strftime('%Y-%m-%d')}, {platform}): fresh processes timed from "
                f"launch to the first paint of the main window, Massage Guide and a bare PySide6 QMainWindow with a "
                f"label measured alternately, median of {args.runs} each; routine and settings caches warm, as at "
                "any start after the first.",
                "",
                "| | first paint | peak memory |",
                "|---|---|---|",
                f"| bare QMainWindow + label | {bare_t * 1000:.0f} ms | {bare_m:.0f} MiB |",
                f"| Massage Guide | {app_t * 1000:.0f} ms ({ratio:.2f}x; goal at most 1.5x) | {app_m:.0f} MiB |",
                f"| ... its library page (cards, filters, body map) painted | {filled * 1000:.0f} ms | |",
                "",
                "The first frame is the real window (sidebar, title, the library heading); the library page is "
                "built on the next turn of the event loop, and sound (pygame), speech and the history open only "
                "after the library has painted. On the way to the first paint the app avoids PyYAML (settings "
                "and routines come from caches), pygame, SQLite and PySide's `Qt` namespace, whose ~100 enums "
                "cost ~25 ms to create on Python 3.11.",
            ],
        )
    return 0 if ratio <= 1.5 else 1


if __name__ == "__main__":
    raise SystemExit(main())
