"""Cue latency: from a step change to the step cue's first sample in the mixer output, on SDL's disk driver.

Run: ``python bench/cue_latency.py [--trials 40] [--no-write]``. A real Session (core/session.py) on the
real clock is moved a step forward or back each trial, as the Next and Back keys do; its StepStarted plays
the step cue through AudioService. The disk driver paces itself like a sound card (it mixes one buffer,
writes it, sleeps for the buffer's length), so two figures are measured per step change:

- *position*: how far into the output stream, after the point written when the step changed, the cue's
  first non-zero sample lies (audio time; what the mixer adds: waiting for the next buffer);
- *wall*: real time from the step change until that sample is in the file (adds the thread wake-up).

A real device adds its own queue on top (typically one more buffer, ~23 ms at 1024 frames). The result goes
to docs/performance.md under "## Cue latency" (that section only; the rest of the file is left alone).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from perf_doc import write_section

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HEADING = "## Cue latency"
FRAME_BYTES = 4  # 16-bit stereo
TIMEOUT_SECONDS = 2.0
SETTLE_SECONDS = 8.0  # the 7 s start bowl rings out: silence before the trials


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="cue latency on SDL's disk driver")
    parser.add_argument("--trials", type=int, default=40)
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/performance.md alone")
    args = parser.parse_args(argv)

    out = Path(tempfile.mkdtemp(prefix="cue-latency-")) / "mixer.raw"
    os.environ["SDL_AUDIODRIVER"] = "disk"
    os.environ["SDL_DISKAUDIOFILE"] = str(out)
    os.environ.pop("SDL_DISKAUDIODELAY", None)  # real-time pacing, like a sound card

    import numpy as np

    from massage_guide.core.engine import SessionEngine
    from massage_guide.core.library import load_library
    from massage_guide.core.ports import AudioSettings
    from massage_guide.core.session import Session
    from massage_guide.resources import audio_dir
    from massage_guide.services.audio import MIXER_BUFFER, AudioService

    audio = AudioService([audio_dir()], speech=None, settings=AudioSettings(), autotick=False)
    if not audio.open():
        print("the mixer did not open:", audio.problems())
        return 1
    import pygame

    rate = pygame.mixer.get_init()[0]
    routine = next(r for r in load_library(use_cache=False).routines.values() if len(r.steps) >= 3)
    session = Session(routine, SessionEngine(routine.steps, time.monotonic), audio, None, ambience=None)
    position_ms: list[float] = []
    wall_ms: list[float] = []
    rng = random.Random(4)
    try:
        session.start()
        time.sleep(SETTLE_SECONDS)  # the start bowl rings out first
        session.tick()
        for trial in range(args.trials):
            # A random wait, so the change lands anywhere within a buffer period; the last knock has ended.
            time.sleep(0.45 + rng.uniform(0, 0.05))
            frames_at_call = out.stat().st_size // FRAME_BYTES
            called = time.perf_counter()
            if trial % 2 == 0:
                session.next()
            else:
                session.previous()
            found = None
            while found is None and time.perf_counter() - called < TIMEOUT_SECONDS:
                data = np.fromfile(out, "<i2", offset=frames_at_call * FRAME_BYTES)
                loud = np.flatnonzero(data)
                if len(loud):
                    found = (time.perf_counter(), int(loud[0]) // 2)
                else:
                    time.sleep(0.0005)
            if found is None:
                print("a cue never reached the output")
                return 1
            wall_ms.append((found[0] - called) * 1000)
            position_ms.append(found[1] / rate * 1000)
        session.stop(0.0)
    finally:
        audio.close()
        out.unlink(missing_ok=True)

    def summary(values: list[float]) -> str:
        values = sorted(values)
        p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
        return f"median {statistics.median(values):.1f} ms, p95 {p95:.1f} ms, max {values[-1]:.1f} ms"

    buffer_ms = MIXER_BUFFER / rate * 1000
    line_position = f"position in the output stream: {summary(position_ms)}"
    line_wall = f"wall clock, call to sample in file: {summary(wall_ms)}"
    print(
        f"step change to cue over {args.trials} changes (buffer {MIXER_BUFFER} frames = {buffer_ms:.1f} ms)"
    )
    print(f"  {line_position}")
    print(f"  {line_wall}")
    if not args.no_write:
        write_section(
            HEADING,
            [
                f"`python bench/cue_latency.py` ({time.strftime('%Y-%m-%d')}): {args.trials} step changes of a "
                "real Session (Next and Back in turn), each playing the step cue on a cue channel of its own, on "
                f"SDL's disk driver (real-time pacing), mixer at {rate} Hz with a {MIXER_BUFFER}-frame buffer "
                f"({buffer_ms:.1f} ms). Target: a cue heard within 50 ms of the step change.",
                "",
                f"- {line_position.capitalize()}.",
                f"- {line_wall.capitalize()}.",
                "- The disk driver works in pairs of buffers: it mixes and writes two 1024-frame buffers"
                " every ~46 ms, so a call waits 0-46 ms for the next mix (hence the wall figures), and the"
                " cue lands at the start of the first or the second buffer (position 0 or ~23 ms).",
                "- A device that honours the 1024-frame buffer waits at most ~23 ms for the next mix, plus"
                " its own output queue; the 50 ms target holds on the disk driver's coarser period too.",
            ],
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
