"""Where a session's memory goes (issue 16, item 5): the app's resident memory after each stage of its life.

Builds the app as main() does (as bench/session_cpu.py, voice off), then records after each stage the resident
memory (VmRSS) and the highest it reached during the stage (VmHWM, set back at every stage through
/proc/self/clear_refs), so the moment of the peak shows. Two journeys, each in a fresh process: started
straight from the library, as bench/session_cpu.py (which holds the 100 MiB goal) does, and as a person
starts one, from the routine's page (which loads the sound library in the background). Run: python
bench/session_memory.py [--no-doc]. Without a display it uses Qt's offscreen platform."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("SDL_NO_SIGNAL_HANDLERS", "1")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SECTION = "## Session memory: where it goes"
STEP_SECONDS = 3
SETTLE_MS = 2000  # as bench/session_cpu.py: the window's first seconds are start-up
BEFORE_STEP_MS = 1500  # a person reads the "before" step (and may rate their tension) before Begin
JOURNEYS = {
    "library": "started from the library (as bench/session_cpu.py)",
    "routine": "started from the routine's page (as a person does)",
}
PEAK_ROW = "peak over the whole run (VmHWM)"


def status_mib(field: str) -> float:
    with open("/proc/self/status", encoding="ascii") as status:  # noqa: PTH123 - a one-off read
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def reset_peak() -> None:
    """Set VmHWM back to the resident memory now (Linux 4.0 on), so the next reading is this stage's peak."""
    with open("/proc/self/clear_refs", "w", encoding="ascii") as clear:  # noqa: PTH123 - a one-off write
        clear.write("5")


def timeline(journey: str) -> list[tuple[str, float, float]]:
    """(stage, resident MiB after it, peak MiB during it) through one short session of the app as main()
    builds it."""
    import session_cpu

    home = Path(os.environ.setdefault("MASSAGE_GUIDE_HOME", tempfile.mkdtemp(prefix="mg-memory-")))
    (home / "routines").mkdir(parents=True, exist_ok=True)
    routine = session_cpu.ROUTINE.format(plain=STEP_SECONDS, breath=STEP_SECONDS)
    (home / "routines" / "bench.yaml").write_text(routine)
    (home / "settings.yaml").write_text("safety_notice_seen: true\nvoice_enabled: false\n")
    warm = [sys.executable, "-c", session_cpu.WARM_UP]
    subprocess.run(warm, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    stages: list[tuple[str, float, float]] = []
    overall = [0.0]

    def mark(name: str) -> None:
        peak = status_mib("VmHWM")
        overall[0] = max(overall[0], peak)
        stages.append((name, status_mib("VmRSS"), peak))
        reset_peak()

    mark("Python started")
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    qt = QApplication(sys.argv[:1])
    mark("PySide6 imported, QApplication")
    from massage_guide import paths as paths_module
    from massage_guide.app import build

    app = build(qt, paths=paths_module.resolve())
    mark("app built (windows, pages, controllers)")
    app.window.show()
    qt.processEvents()
    mark("main window shown")
    app.finish_start()

    def begin() -> None:
        mark("library painted, history opened, settled")
        app.session.session_finished.connect(lambda _summary: finish())
        if journey == "library":
            start()  # as bench/session_cpu.py, and as a reminder's break or ``--start`` does: at once
            return
        app.controller.open_routine("bench-session")
        qt.processEvents()
        warming = app.audio.warming_thread() if hasattr(app.audio, "warming_thread") else None
        if warming is not None:
            warming.join()
        mark("routine's page shown, sound library loaded")
        # Start on the routine's page shows the player's "before" step; Begin starts the session.
        app.controller.start_routine("bench-session", ask_tension=True)
        qt.processEvents()
        mark('Start: the player\'s "before" step shown (the pages a session lets go, let go)')
        QTimer.singleShot(BEFORE_STEP_MS, start)

    def start() -> None:
        if journey == "library":
            app.controller.start_routine("bench-session")
        else:
            app.window.page("player").begin_button.click()  # type: ignore[attr-defined]
        mark("session started (sound opens, the start bowl)")
        QTimer.singleShot(1000, lambda: mark("a second into the session (pages let go)"))

    def finish() -> None:
        mark("session finished (the end bowl)")
        QTimer.singleShot(1000, after)

    def after() -> None:
        mark("a second after, completion page")
        qt.quit()

    QTimer.singleShot(SETTLE_MS, begin)
    qt.exec()
    stages.append((PEAK_ROW, overall[0], overall[0]))
    return stages


def run_journey(journey: str) -> list[tuple[str, float, float]]:
    """One journey in a fresh interpreter: each starts from an empty process, as the app does."""
    out = subprocess.run(
        [sys.executable, __file__, "--journey", journey],
        check=True,
        capture_output=True,
        text=True,
        cwd=Path(__file__).parent,
    ).stdout
    rows: list[tuple[str, float, float]] = json.loads(out.strip().splitlines()[-1])
    return [(name, rss, peak) for name, rss, peak in rows]


def table(stages: list[tuple[str, float, float]]) -> list[str]:
    rows = ["| after | resident | added | highest during it |", "|---|---|---|---|"]
    previous = 0.0
    for name, mib, peak in stages:
        if name == PEAK_ROW:
            rows.append(f"| **{name}** | | | **{peak:.1f} MiB** |")
            continue
        rows.append(f"| {name} | {mib:.1f} MiB | {mib - previous:+.1f} | {peak:.1f} MiB |")
        previous = mib
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-doc", action="store_true", help="print only; leave docs/performance.md alone")
    parser.add_argument("--journey", choices=sorted(JOURNEYS), help=argparse.SUPPRESS)  # the child's part
    args = parser.parse_args()
    if args.journey:
        print(json.dumps(timeline(args.journey)), flush=True)
        # As bench/session_cpu.py: PySide6 can abort in finalisation after many signals; the figures are out.
        os._exit(0)
    lines: list[str] = []
    peaks: dict[str, float] = {}
    for journey, title in JOURNEYS.items():
        stages = run_journey(journey)
        peaks[journey] = stages[-1][2]
        rows = table(stages)
        print(title, *rows, sep="\n", flush=True)
        lines += [f"A session {title}:", "", *rows, ""]
    if not args.no_doc:
        from perf_doc import write_section

        platform = os.environ.get("QT_QPA_PLATFORM") or "display " + os.environ.get("DISPLAY", "?")
        write_section(
            SECTION,
            [
                f"`python bench/session_memory.py` ({time.strftime('%Y-%m-%d')}, {platform}, SDL audio driver "
                f"{os.environ.get('SDL_AUDIODRIVER')}): the app's resident memory after each stage of a short "
                "session (three 3 s steps), voice off, and the highest it reached during the stage (VmHWM, set "
                "back at each stage), in a fresh process for each journey.",
                "",
                *lines,
                f"The peak: {peaks['library']:.1f} MiB started from the library, {peaks['routine']:.1f} MiB "
                "from the routine's page, against the 100 MiB goal (110 MiB before this work). The session's "
                "start (sound opens: SDL and its codecs, the mixer's thread, the short cues and the start bowl "
                "decoded) and its end (the end bowl decoded) come within half a MiB of each other. The library, "
                'progress and settings pages are let go when the player\'s "before" step shows, or, for a '
                "session that starts at once, a moment after its start.",
                "",
                "What was taken off the way to a session, measured one at a time: Babel's locale data, ~6.8 MiB "
                "(whole numbers and lengths of time in English and German come from a small table held to "
                "Babel's output by tests; dates still load Babel, on the progress page); the source text of "
                "every module imported after PySide6, which its `__feature__` import hook reads through "
                "`linecache` and keeps, ~2.5 MiB once the app is built (dropped after building, after start-up "
                "and at a session's start: ~5 MiB less at the start, as the freed heap is reused); OpenSSL's "
                "libcrypto, ~3.9 MiB, mapped by `import hashlib` for a settings cache key (the built-in SHA-256 "
                "instead, `core/digest.py`); pygame's twenty C modules other than the mixer's, ~2.2 MiB "
                "(`services/pygame_import.py`); the bowls, decoded as they play rather than when the mixer opens, "
                "one at a time (the end bowl takes the start bowl's place): ~1.6 MiB less at the start, ~1.2 at "
                'the end; and the pages let go at the "before" step: ~2 MiB off the start from a routine\'s '
                "page.",
                "",
                "Tried and left: glibc's arenas (`MALLOC_ARENA_MAX=1` or 2) and a fixed mmap threshold changed "
                "nothing measurable, and `malloc_trim` before the session gives back under 0.5 MiB. What "
                "remains is mostly Qt (its libraries, fonts and the window's 3.5 MiB backing store), the "
                "library page, SQLite and SDL: Python's own objects are a few MiB. Further leads: QtNetwork "
                "(~2.5 MiB, for the single-instance socket alone) and the first-decode slack of an OGG cue in "
                "SDL_mixer (~1 MiB transient, none for a WAV).",
            ],
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
