"""Benchmark: CPU and peak memory of the app process running a session (issue 16, item 5).

Builds the app as main() does, with the real sound service, and runs a routine in real time (by default
90 s: 30 s plain, 30 s breathing, 30 s plain); reports % of one core outside the breathing step and during it,
and the app's peak RSS (the voice, a child process, apart). CPU is user + system time from /proc for the
whole process, split into its Qt main thread, SDL's audio thread (mixing) and the rest (bench/cpu_probe.py);
"outside the animation" is the steady state: both plain steps, less the session's first SESSION_START_S
(the mixer opening, the sounds loading), whose cost is reported apart. Run under Xvfb (``xvfb-run -a python
bench/session_cpu.py``) or, without a display, on Qt's offscreen platform. Goals: <= 1% of a core outside the
animation, <= 100 MiB."""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import cpu_probe

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
# The session's first seconds open the mixer and load its sounds, history record and first words: a
# one-off cost, reported as CPU seconds of its own, not spread over the steady state's window.
SESSION_START_S = 5.0
AMBIENCE_ID = "soft-rain"  # ROUTINE's ambience
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


def write_ambience_wav() -> None:
    """Leave the bench routine's ambience as a WAV in the cache, as the app's first session with it does
    (services/ambience_cache.py, a child process): the sessions after it stream that WAV."""
    from massage_guide import paths as paths_module
    from massage_guide.core import sounds
    from massage_guide.resources import audio_dir
    from massage_guide.services import ambience_cache, audio_factory
    from massage_guide.services.audio import MIXER_CHANNELS, MIXER_RATE

    source = sounds.find([audio_dir()], sounds.AMBIENCE, AMBIENCE_ID)
    assert source is not None, AMBIENCE_ID
    folder = paths_module.resolve().cache_dir / audio_factory.AMBIENCE_CACHE_FOLDER
    target = ambience_cache.wav_path(folder, source, MIXER_RATE, MIXER_CHANNELS)
    writer = ambience_cache.start_writing(source, target, MIXER_RATE, MIXER_CHANNELS)
    assert writer is not None and writer.wait() == 0 and target.is_file(), target


def run_app(step: int, *, voice: bool, ambience_wav: bool = True) -> dict[str, float]:
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
    if ambience_wav:
        write_ambience_wav()
    qt = QApplication(sys.argv[:1])
    app = build(qt, paths=paths_module.resolve())
    app.window.show()
    app.finish_start()
    marks: list[tuple[int, cpu_probe.Sample]] = []  # (step index, a reading) at each step start
    start: list[cpu_probe.Sample] = []  # the session's start and SESSION_START_S later

    def mark(index: int) -> None:
        marks.append((index, cpu_probe.sample(time.monotonic())))

    def begin() -> None:
        session = app.session
        session.step_started.connect(lambda index, _step: mark(index))
        session.session_finished.connect(lambda _summary: finish())
        start.append(cpu_probe.sample(time.monotonic()))
        app.controller.start_routine("bench-session")
        QTimer.singleShot(
            round(SESSION_START_S * 1000), lambda: start.append(cpu_probe.sample(time.monotonic()))
        )

    def finish() -> None:
        mark(-1)
        qt.quit()

    # As a person would: the window settles (sound and history open after the first paint), then Start.
    from PySide6.QtCore import QTimer

    QTimer.singleShot(SETTLE_MS, begin)
    qt.exec()
    # Steady state: from SESSION_START_S into the first step to the breathing step, and the last step.
    steps = dict(marks)
    plain = [cpu_probe.between(start[1], steps[1]), cpu_probe.between(steps[2], steps[-1])]
    breathing = cpu_probe.between(steps[1], steps[2])
    opening = cpu_probe.between(start[0], start[1])
    app.close()
    plain_seconds = sum(part.seconds for part in plain)

    def spread(name: str) -> float:  # a share over both plain windows, weighted by their lengths
        return sum(float(getattr(part, name)) * part.seconds for part in plain) / plain_seconds

    return {
        "plain": spread("process"),
        "plain_seconds": plain_seconds,
        "plain_main": spread("main"),
        "plain_audio": spread("audio"),
        "plain_other": spread("other"),
        "plain_voice": spread("children"),
        "plain_main_wakeups": spread("main_wakeups"),
        "plain_wakeups": spread("wakeups"),
        "start_cpu_s": opening.process * opening.seconds / 100,
        "breathing": breathing.process,
        "breathing_seconds": breathing.seconds,
        "peak_mib": peak_mib(),
        "voice_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--step", type=int, default=30, help="seconds per step (three steps)")
    parser.add_argument(
        "--voice", action="store_true", help="spoken guidance on (espeak-ng, a child process)"
    )
    parser.add_argument("--no-doc", action="store_true", help="print only; leave docs/performance.md alone")
    parser.add_argument("--rows", action="store_true", help="also print the rows tab-separated")
    parser.add_argument(
        "--first-session",
        action="store_true",
        help="no ambience WAV in the cache yet: the Ogg is streamed while a child writes it",
    )
    args = parser.parse_args()
    os.environ.setdefault("MASSAGE_GUIDE_HOME", tempfile.mkdtemp(prefix="mg-bench-"))
    figures = run_app(args.step, voice=args.voice, ambience_wav=not args.first_session)
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
        write_doc(figures, rows, args.step, voice=args.voice, first_session=args.first_session)
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
            "... of it: Qt main thread / SDL audio thread / others",
            f"{f['plain_main']:.2f}% / {f['plain_audio']:.2f}% / {f['plain_other']:.2f}%",
            "—",
            True,
        ),
        (
            "wake-ups outside the animation: main thread / all",
            f"{f['plain_main_wakeups']:.1f}/s / {f['plain_wakeups']:.1f}/s",
            "—",
            True,
        ),
        (
            "voice process(es) outside the animation, apart",
            f"{f['plain_voice']:.2f}% of a core",
            "—",
            True,
        ),
        (
            f"session start (its first {SESSION_START_S:g} s: mixer, sounds, record)",
            f"{f['start_cpu_s']:.2f} s of CPU",
            "—",
            True,
        ),
        (
            "CPU during the breathing step (animated)",
            f"{f['breathing']:.2f}% of a core ({f['breathing_seconds']:.0f} s)",
            "—",
            True,
        ),
    ]


def write_doc(
    f: dict[str, float],
    rows: list[tuple[str, str, str, bool]],
    step: int,
    *,
    voice: bool,
    first_session: bool = False,
) -> None:
    from perf_doc import write_section

    platform = os.environ.get("QT_QPA_PLATFORM") or "display " + os.environ.get("DISPLAY", "?")
    write_section(
        "## Session CPU and memory",
        [
            f"`python bench/session_cpu.py` ({time.strftime('%Y-%m-%d')}, {platform}, SDL audio driver "
            f"{os.environ.get('SDL_AUDIODRIVER', 'default')}): the whole app as `main()` builds it (real sound "
            f"service with ambience, the history, voice {'on' if voice else 'off'}) runs a {3 * step} s routine "
            f"in real time: {step} s plain, {step} s breathing (4 in, 6 out), {step} s plain. The ambience "
            + (
                "streams from its Ogg file, as in the first session with it (`--first-session`)."
                if first_session
                else "streams from the WAV that the first session with it left in the cache "
                "(services/ambience_cache.py; `--first-session` measures the Ogg)."
            ),
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
