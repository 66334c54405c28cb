"""Benchmark: CPU and peak memory of a running session (player page + session controller + real audio).

Runs a short routine in real time (by default 60 s: 20 s plain, 20 s breathing, 20 s plain) with the real
PlayerPage, SessionController and AudioService, and reports % of one core outside the breathing step and
during it, and peak RSS. Run under Xvfb (``xvfb-run -a python bench/session_cpu.py``) or, without a
display, on Qt's offscreen platform. Goal: <= 3% of a core outside the breathing animation, <= 150 MB."""

from __future__ import annotations

import argparse
import itertools
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("SDL_NO_SIGNAL_HANDLERS", "1")
if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--step", type=int, default=20, help="seconds per step (three steps)")
    parser.add_argument("--silent", action="store_true", help="use SilentAudio instead of the mixer")
    args = parser.parse_args()
    os.environ.setdefault("MASSAGE_GUIDE_HOME", tempfile.mkdtemp(prefix="mg-bench-"))

    from PySide6.QtWidgets import QApplication

    from massage_guide import resources
    from massage_guide.core.history import HistoryStore
    from massage_guide.core.loader import load_routine_bytes
    from massage_guide.core.ports import AudioPort
    from massage_guide.core.settings import Settings
    from massage_guide.services.audio import AudioService, SilentAudio
    from massage_guide.ui import theme
    from massage_guide.ui.player_page import PlayerPage
    from massage_guide.ui.session_controller import SessionController

    app = QApplication(sys.argv[:1])
    theme.apply(app, "light")
    settings = Settings(voice_enabled=False)  # speech rendering is measured elsewhere
    audio: AudioPort
    if args.silent:
        audio = SilentAudio()
    else:
        service = AudioService([resources.audio_dir()], speech=None, settings=settings.audio())
        service.open()
        audio = service
    home = Path(os.environ["MASSAGE_GUIDE_HOME"])
    store, _ = HistoryStore.open(home / "history.sqlite3")
    text = ROUTINE.format(plain=args.step, breath=args.step)
    routine, problems = load_routine_bytes(text.encode(), home / "bench.yaml")
    if routine is None:
        print(problems, file=sys.stderr)
        return 1

    page = PlayerPage()
    page.resize(1100, 750)
    controller = SessionController(audio=audio, history=store)
    controller.configure(settings)
    controller.attach(page)
    page.show()

    marks: list[tuple[int, float, float]] = []  # (step index, wall, cpu) at each step start

    def mark(index: int, _step: object) -> None:
        marks.append((index, time.monotonic(), time.process_time()))

    def finished(_summary: object) -> None:
        marks.append((-1, time.monotonic(), time.process_time()))
        app.quit()

    controller.step_started.connect(mark)
    controller.session_finished.connect(finished)
    controller.start(routine)
    app.exec()

    plain_wall = plain_cpu = breath_wall = breath_cpu = 0.0
    for (index, wall, cpu), (_, next_wall, next_cpu) in itertools.pairwise(marks):
        if index == 1:
            breath_wall += next_wall - wall
            breath_cpu += next_cpu - cpu
        else:
            plain_wall += next_wall - wall
            plain_cpu += next_cpu - cpu
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    platform = app.platformName()
    print(f"platform: {platform}; audio: {'silent' if args.silent else 'pygame mixer'}")
    print(f"outside breathing: {100 * plain_cpu / plain_wall:.2f}% of one core over {plain_wall:.1f} s")
    print(f"during breathing:  {100 * breath_cpu / breath_wall:.2f}% of one core over {breath_wall:.1f} s")
    print(f"peak RSS: {peak_mb:.0f} MB")
    controller.shutdown()
    audio.close()
    store.close()
    sys.stdout.flush()
    # PySide6 6.12.0 can abort in interpreter finalisation after many signal emissions; the figures
    # are printed, so leave without it.
    os._exit(0)


if __name__ == "__main__":
    raise SystemExit(main())
