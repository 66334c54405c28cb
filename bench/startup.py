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

# Both children print "painted <maxrss_kb>" on the first paint of a QMainWindow and exit at once.
_WATCH = """
import resource, sys
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QMainWindow

class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and isinstance(obj, QMainWindow):
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            print("painted", rss, flush=True)
            import os
            os._exit(0)
        return False
"""

BARE = (
    _WATCH
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
    _WATCH
    + """
app = QApplication(sys.argv[:1])
watch = FirstPaint(); app.installEventFilter(watch)
from massage_guide.app import main
main()
"""
)


def once(code: str, env: dict[str, str]) -> tuple[float, int]:
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    elapsed = time.perf_counter() - start
    line = next((ln for ln in result.stdout.splitlines() if ln.startswith("painted")), None)
    if line is None:
        raise SystemExit(f"the child did not paint:\n{result.stdout}\n{result.stderr}")
    return elapsed, int(line.split()[1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "MASSAGE_GUIDE_HOME": home}
        if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
            env["QT_QPA_PLATFORM"] = "offscreen"
        (Path(home) / "settings.yaml").write_text("safety_notice_seen: true\n")
        once(APP, env)  # first run fills the routine cache, as any later start of the app finds it
        bare, app = [], []
        for _ in range(args.runs):
            bare.append(once(BARE, env))
            app.append(once(APP, env))
    bare_t = statistics.median(t for t, _ in bare)
    app_t = statistics.median(t for t, _ in app)
    bare_m = statistics.median(m for _, m in bare) / 1024
    app_m = statistics.median(m for _, m in app) / 1024
    ratio = app_t / bare_t
    platform = env.get("QT_QPA_PLATFORM", "display " + env.get("DISPLAY", "?"))
    print(f"platform: {platform}; medians of {args.runs} alternating runs")
    print(f"bare QMainWindow + label: {bare_t * 1000:6.0f} ms, peak {bare_m:5.0f} MiB")
    print(f"Massage Guide library:    {app_t * 1000:6.0f} ms, peak {app_m:5.0f} MiB")
    print(f"ratio: {ratio:.2f}x (goal <= 1.5x) -> {'PASS' if ratio <= 1.5 else 'FAIL'}")
    return 0 if ratio <= 1.5 else 1


if __name__ == "__main__":
    raise SystemExit(main())
