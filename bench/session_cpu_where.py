"""Benchmark: where a session's CPU goes, voice off and on, and what the ambience's file format costs the mixer.

Runs bench/session_cpu.py three times (voice off, voice on, and voice on in the first session with the bed,
the Ogg streamed; its rows split the process's CPU between the Qt main thread, SDL's audio thread and the
rest, and report the voice's processes apart), then opens pygame's mixer
as the app does (44.1 kHz, 16-bit stereo, 1024-frame buffer) in fresh processes and reads SDL's audio
thread's CPU from /proc while it plays the built-in ambience from its Ogg Vorbis file, the same sound as
FLAC and as WAV (converted by sox), and nothing. Writes "## Session CPU: where it goes" to
docs/performance.md unless --no-doc. Run: python bench/session_cpu_where.py [--step 30] [--seconds 20]."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from perf_doc import write_section

BENCH = Path(__file__).resolve().parent
REPO_ROOT = BENCH.parent
AMBIENCE = REPO_ROOT / "audio" / "ambience" / "soft-rain.ogg"

# A child: the mixer opened as services/audio.py opens it, a file looped on pygame.mixer.music, and SDL's
# audio thread's CPU (schedstat, in ns) over the given seconds after a 2 s settle.
MIXER = """
import os, sys, time
os.environ["SDL_NO_SIGNAL_HANDLERS"] = "1"
sys.path.insert(0, sys.argv[3])
from massage_guide.services import audio
from massage_guide.services.pygame_import import import_pygame
pygame = import_pygame()
pygame.mixer.pre_init(audio.MIXER_RATE, audio.MIXER_SIZE, audio.MIXER_CHANNELS, audio.MIXER_BUFFER)
pygame.mixer.init()
if sys.argv[1] != "-":
    pygame.mixer.music.load(sys.argv[1])
    pygame.mixer.music.set_volume(0.5)
    pygame.mixer.music.play(loops=-1)
time.sleep(2)
def audio_ns():
    total = 0
    for task in os.listdir("/proc/self/task"):
        if open(f"/proc/self/task/{task}/comm").read().startswith("SDLAudio"):
            total += int(open(f"/proc/self/task/{task}/schedstat").read().split()[0])
    return total
first, start = audio_ns(), time.monotonic()
time.sleep(float(sys.argv[2]))
print("audio", 100 * (audio_ns() - first) / 1e9 / (time.monotonic() - start), flush=True)
os._exit(0)
"""


def session(step: int, *, voice: bool, first: bool = False) -> dict[str, str]:
    """bench/session_cpu.py's rows (name -> figure) for one run."""
    env = {**os.environ}
    env.setdefault("SDL_AUDIODRIVER", "dummy")
    args = [sys.executable, str(BENCH / "session_cpu.py"), "--step", str(step), "--no-doc", "--rows"]
    out = subprocess.run(
        [*args, *(["--voice"] if voice else []), *(["--first-session"] if first else [])],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        cwd=BENCH,
        timeout=20 * step,
    ).stdout
    rows: dict[str, str] = {}
    for line in out.splitlines():
        if line.startswith("ROW\t"):
            _, name, figure, *_rest = line.split("\t")
            rows[name] = figure
    return rows


def mixer_cpu(path: str, seconds: float) -> float:
    env = {**os.environ, "SDL_AUDIODRIVER": os.environ.get("SDL_AUDIODRIVER", "dummy")}
    out = subprocess.run(
        [sys.executable, "-c", MIXER, path, str(seconds), str(REPO_ROOT)],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        timeout=60 + 2 * seconds,
    ).stdout
    for line in out.splitlines():
        if line.startswith("audio"):
            return float(line.split()[1])
    raise SystemExit(f"the mixer child failed: {out}")


def formats(seconds: float) -> list[tuple[str, str, float]]:
    """(format, size on disk, SDL audio thread % of a core) for the built-in bed in each format."""
    results: list[tuple[str, str, float]] = []
    with tempfile.TemporaryDirectory(prefix="mg-mixer-") as folder:
        files: list[tuple[str, str]] = [("nothing playing (the open mixer alone)", "-")]
        files.append(("Ogg Vorbis (as shipped)", str(AMBIENCE)))
        if shutil.which("sox"):
            for suffix, name in (
                (".flac", "FLAC"),
                (".wav", "WAV, 44.1 kHz 16-bit stereo (the mixer's format)"),
            ):
                target = Path(folder) / ("bed" + suffix)
                subprocess.run(
                    ["sox", str(AMBIENCE), "-r", "44100", "-b", "16", "-c", "2", str(target)], check=True
                )
                files.append((name, str(target)))
        for name, path in files:
            size = "—" if path == "-" else f"{Path(path).stat().st_size / 2**20:.1f} MiB"
            results.append((name, size, mixer_cpu(path, seconds)))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--step", type=int, default=30, help="seconds per step of each session run")
    parser.add_argument("--seconds", type=float, default=20, help="seconds each mixer format is read over")
    parser.add_argument("--no-doc", action="store_true")
    args = parser.parse_args()
    load_start = os.getloadavg()[0]
    runs = {voice: session(args.step, voice=voice) for voice in (False, True)}
    first = session(args.step, voice=True, first=True)  # the Ogg streamed while its WAV is written
    mixer = formats(args.seconds)
    load_end = os.getloadavg()[0]
    names = (
        "CPU outside the breathing animation",
        "... of it: Qt main thread / SDL audio thread / others",
        "wake-ups outside the animation: main thread / all",
        "voice process(es) outside the animation, apart",
        "session start (its first 5 s: mixer, sounds, record)",
        "CPU during the breathing step (animated)",
    )
    table = [
        "| measure | voice off | voice on | voice on, first session with the bed (Ogg) |",
        "|---|---|---|---|",
    ]
    table += [
        f"| {name} | {runs[False].get(name, '?')} | {runs[True].get(name, '?')} | {first.get(name, '?')} |"
        for name in names
    ]
    mixer_table = ["| the ambience played from | size | SDL's audio thread |", "|---|---|---|"]
    mixer_table += [f"| {name} | {size} | {share:.2f}% of a core |" for name, size, share in mixer]
    for line in (*table, "", *mixer_table):
        print(line)
    if not args.no_doc:
        write_section(
            "## Session CPU: where it goes",
            [
                f"`python bench/session_cpu_where.py` ({time.strftime('%Y-%m-%d %H:%M')}, "
                f"{os.environ.get('QT_QPA_PLATFORM') or 'display ' + os.environ.get('DISPLAY', '?')}, SDL audio "
                f"driver {os.environ.get('SDL_AUDIODRIVER', 'dummy')}, {os.cpu_count()} cores, load average "
                f"{load_start:.1f} at the start and {load_end:.1f} at the end): bench/session_cpu.py with "
                f"{args.step} s steps, voice off and on (the default engine: the natural voice, a Piper "
                "process that renders the next lines ahead, where it is installed, as here; else espeak-ng "
                "per line). CPU is user + system time from /proc for the whole app process, split by thread "
                "(bench/cpu_probe.py), over the plain steps less the session's first 5 s; the voice's "
                "processes apart. The ambience streams from the WAV at the mixer's format that the first "
                "session with it leaves in the cache (services/ambience_cache.py); the last column is that "
                "first session, streaming the shipped Ogg Vorbis while a child process writes the WAV.",
                "",
                *table,
                "",
                "Each second of a plain step the app wakes once: the session timer is a single shot armed to the "
                "next whole second, and the tick repaints the countdown ring's digits and the stretch of arc "
                "that moved, the time-left label (pinned to its text's size, so the page is not laid out "
                "again) and the progress bar when a pixel of it changes. While no view of the session is on "
                "screen (window minimised or hidden, another page in front) the timer waits only for what is "
                "heard (a breath phase, halfway, the last ten seconds, the step's end), and the breathing "
                "animation runs only while the full player is on screen. Before these changes the same tick "
                "laid the whole page out again (six layout passes up to the main window, from the time-left "
                "label's new text) and repainted the ring, label and bar whole: on a quiet machine the main "
                "thread took 0.33-0.49 % of a core, against 0.18-0.21 % after them (per-thread readings over "
                "20 s of a plain step; the figures above are from a machine busy with other work, which adds a "
                "little to CPU time too).",
                "",
                f"The rest is SDL's audio thread mixing the ambience, {args.seconds:g} s per format, fresh "
                "processes, the mixer opened as the app opens it:",
                "",
                *mixer_table,
                "",
                "Decoding Ogg Vorbis on the audio thread is most of what a plain step costs; the same bed as "
                "WAV in the mixer's format costs about what the open mixer costs with nothing playing. "
                "So the sound service streams the bed from a WAV (`pygame.mixer.music`: no memory added), "
                "written once from the Ogg into the cache folder (`ambience/`, ~10 MiB a minute of sound) by "
                "a child process at a lower priority, so the decoding never adds to the app's memory, "
                "through a temporary file renamed into place; until it is there, and when it cannot be "
                "made, the Ogg itself is streamed. Almost all of the ~43 wake-ups a second are the audio "
                "thread's (its 1024-frame buffer, kept for the cue latency). With the voice on, the app's "
                "other threads are the sound service's worker and the rendering of the lines. The worker "
                "wakes only while the duck moves (0.3 s down as the words start, 0.6 s back up after them, "
                "a step every 20 ms) and otherwise waits, untimed or for the words' known end in one go "
                "(stop, skip and pause wake it at once); it used to look for the words' end every 0.1 s.",
            ],
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
