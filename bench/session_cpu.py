"""Benchmark: CPU and peak memory of the app process running a session (issue 16, item 5).

Builds the app as main() does, with the real sound service, and runs a short routine in real time (by default
60 s: 20 s plain, 20 s breathing, 20 s plain); reports % of one core outside the breathing step and during it,
and the app's peak RSS (the voice, a child process, apart). Run under Xvfb (``xvfb-run -a python
bench/session_cpu.py``) or, without a display, on Qt's offscreen platform. Goals: <= 1% of a core outside the
animation, <= 100 MiB."""

from __future__ import annotations

import argparse
import itertools
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("SDL_NO_SIGNAL_HANDLERS", "1")
if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

WARM_UP = (
    "from PySide6.QtWidgets import QApplication\n"
    "from massage_guide.app import build\n"
    "build(QApplication([])).close()\n"
)
MEMORY_GOAL_MIB = 100
CPU_GOAL_PERCENT = 1.0
SETTLE_MS = 2000  # the window's first seconds (sound and history opening) are start-up, not the session

ROUTINE = """\
schema_version: 1
id: bench-session
title: Bench session
summary: Three steps for measuring the player.
areas: [neck]
goals: [desk_break]
ambience: soft-rain
steps:
  - title: Stroke the neck
    instruction: Stroke down the sides of your neck with flat fingers, slowly, from the ears to the collarbones.
    duration: {plain}s
    technique: stroking
    pressure: light
    focus: neck
  - title: Breathe
    instruction: Breathe in for four and out for six, letting the shoulders drop on every out-breath.
    duration: {breath}s
    technique: breathing
    breathing: {{inhale: 4, exhale: 6}}
  - title: Rest
    instruction: Let your hands rest in your lap and notice how your neck feels now.
    duration: {plain}s
    technique: rest
    focus: neck
"""


def peak_mib() -> float:
    """This process's peak resident memory since it started (VmHWM). Not ru_maxrss: Linux carries that over
    from the parent across fork and exec, so a bench started by a big process would report the parent."""
    with open("/proc/self/status", encoding="ascii") as status:  # noqa: PTH123 - a one-off read
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_app(step: int, *, voice: bool) -> dict[str, float]:
    """The app as main() builds it (real sound, the history, every page it opens) running the bench routine;
    CPU outside and during the breathing step, the app's peak memory and its children's (the voice)."""
    from PySide6.QtWidgets import QApplication

    from massage_guide import paths as paths_module
    from massage_guide.app import build

    home = Path(os.environ["MASSAGE_GUIDE_HOME"])
    (home / "routines").mkdir(parents=True, exist_ok=True)
    (home / "routines" / "bench.yaml").write_text(ROUTINE.format(plain=step, breath=step))
    (home / "settings.yaml").write_text(
        f"safety_notice_seen: true\nvoice_enabled: {'true' if voice else 'false'}\n"
    )
    # Warm caches, as at any start after the first: an earlier start (the app built, then gone) fills the
    # routine and settings caches.
    subprocess.run(
        [sys.executable, "-c", WARM_UP], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    qt = QApplication(sys.argv[:1])
    app = build(qt, paths=paths_module.resolve())
    app.window.show()
    app.finish_start()
    marks: list[tuple[int, float, float]] = []  # (step index, wall, cpu) at each step start

    def begin() -> None:
        session = app.session
        session.step_started.connect(
            lambda index, _step: marks.append((index, time.monotonic(), time.process_time()))
        )
        session.session_finished.connect(lambda _summary: finish())
        app.controller.start_routine("bench-session")

    def finish() -> None:
        marks.append((-1, time.monotonic(), time.process_time()))
        qt.quit()

    # As a person would: the window settles (sound and history open after the first paint), then Start.
    from PySide6.QtCore import QTimer

    QTimer.singleShot(SETTLE_MS, begin)
    qt.exec()
    plain_wall = plain_cpu = breath_wall = breath_cpu = 0.0
    for (index, wall, cpu), (_, next_wall, next_cpu) in itertools.pairwise(marks):
        if index == 1:
            breath_wall += next_wall - wall
            breath_cpu += next_cpu - cpu
        else:
            plain_wall += next_wall - wall
            plain_cpu += next_cpu - cpu
    app.close()
    return {
        "plain": 100 * plain_cpu / plain_wall,
        "plain_seconds": plain_wall,
        "breathing": 100 * breath_cpu / breath_wall,
        "breathing_seconds": breath_wall,
        "peak_mib": peak_mib(),
        "voice_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--step", type=int, default=20, help="seconds per step (three steps)")
    parser.add_argument(
        "--voice", action="store_true", help="spoken guidance on (espeak-ng, a child process)"
    )
    parser.add_argument("--no-doc", action="store_true", help="print only; leave docs/performance.md alone")
    parser.add_argument("--rows", action="store_true", help="also print the rows tab-separated")
    args = parser.parse_args()
    os.environ.setdefault("MASSAGE_GUIDE_HOME", tempfile.mkdtemp(prefix="mg-bench-"))
    figures = run_app(args.step, voice=args.voice)
    rows = verdicts(figures)
    print(f"platform: {os.environ.get('QT_QPA_PLATFORM') or 'display ' + os.environ.get('DISPLAY', '?')}")
    for name, figure, goal, met in rows:
        print(f"{name:52} {figure:30} {goal:10} {'PASS' if met else 'FAIL'}")
        if args.rows:  # for bench/regression.py: one tab-separated line a row
            print("\t".join(("ROW", name, figure, goal, "PASS" if met else "FAIL")))
    if args.voice:
        print(
            f"child processes' peak (the voice; the warm-up listing): {figures['voice_mib']:.0f} MiB",
            flush=True,
        )
    if not args.no_doc:
        write_doc(figures, rows, args.step, voice=args.voice)
    # PySide6 6.12.0 can abort in interpreter finalisation after many signal emissions; the figures
    # are printed, so leave without it.
    os._exit(0 if all(met for *_, met in rows) else 1)


def verdicts(f: dict[str, float]) -> list[tuple[str, str, str, bool]]:
    return [
        (
            "app peak memory during a session",
            f"{f['peak_mib']:.0f} MiB",
            f"<= {MEMORY_GOAL_MIB} MiB",
            f["peak_mib"] <= MEMORY_GOAL_MIB,
        ),
        (
            "CPU outside the breathing animation",
            f"{f['plain']:.2f}% of a core ({f['plain_seconds']:.0f} s)",
            f"<= {CPU_GOAL_PERCENT:g}%",
            f["plain"] <= CPU_GOAL_PERCENT,
        ),
        (
            "CPU during the breathing step (animated)",
            f"{f['breathing']:.2f}% of a core ({f['breathing_seconds']:.0f} s)",
            "—",
            True,
        ),
    ]


def write_doc(f: dict[str, float], rows: list[tuple[str, str, str, bool]], step: int, *, voice: bool) -> None:
    from perf_doc import write_section

    platform = os.environ.get("QT_QPA_PLATFORM") or "display " + os.environ.get("DISPLAY", "?")
    write_section(
        "## Session CPU and memory",
        [
            f"`python bench/session_cpu.py` ({time.strftime('%Y-%m-%d')}, {platform}, SDL audio driver "
            f"{os.environ.get('SDL_AUDIODRIVER', 'default')}): the whole app as `main()` builds it (real sound "
            f"service with ambience, the history, voice {'on' if voice else 'off'}) runs a {3 * step} s routine "
            f"in real time: {step} s plain, {step} s breathing (4 in, 6 out), {step} s plain.",
            "",
            "| measure | figure | goal | |",
            "|---|---|---|---|",
            *(f"| {n} | {fig} | {g} | {'met' if m else 'NOT met'} |" for n, fig, g, m in rows),
            "",
            "The voice, when on, is a separate espeak-ng process, reported apart by `--voice`. pygame is "
            "imported without numpy and pkg_resources, its mixer alone (`services/pygame_import.py`). Where "
            "the memory goes, stage by stage, what was taken off the way to a session (110 MiB before) and "
            "the peak when a session is started from a routine's page: bench/session_memory.py, in "
            '"Session memory: where it goes".',
        ],
    )


if __name__ == "__main__":
    raise SystemExit(main())
