"""Helpers to run an audio scenario in a fresh interpreter on SDL's disk driver and read what it wrote."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

REPO_ROOT = Path(__file__).resolve().parents[2]
RATE = 44_100
Samples = np.ndarray[Any, np.dtype[np.float64]]

# Runs in a fresh interpreter with SDL_AUDIODRIVER=disk: the mixer is process-wide, so each scenario gets its own.
PREAMBLE = textwrap.dedent(
    '''
    import json, os, time
    from pathlib import Path
    from massage_guide.core.ports import AudioSettings, Cue
    from massage_guide.resources import audio_dir
    from massage_guide.core.ports import SilentAudio
    from massage_guide.services.audio import AudioService

    OUT = Path(os.environ["SDL_DISKAUDIOFILE"])
    marks = {}

    def frames():
        return OUT.stat().st_size // 4 if OUT.exists() else 0

    def play_for(seconds):
        """Wait until the mixer has written `seconds` more audio to the disk file."""
        end = frames() + int(seconds * 44100)
        deadline = time.monotonic() + 30
        while frames() < end:
            if time.monotonic() > deadline:
                raise SystemExit("the disk driver stopped writing")
            time.sleep(0.001)

    def mark(name):
        marks[name] = frames()

    class ToneSpeech:
        """A SpeechPort whose every rendering is the same ready WAV (TONE_WAV): a pure tone of known length."""

        def configure(self, *, voice, rate, engine="auto"):
            pass

        def is_available(self):
            return True

        def prefetch(self, texts):
            pass

        def wav_for(self, text):
            return Path(os.environ["TONE_WAV"])

        def has_failed(self, text):
            return False

        def problems(self):
            return []

        def close(self):
            pass

    def audio_clock():
        """Seconds of sound written so far: the disk driver runs faster than real time, so the service's
        timing (when words end) must follow the written sound, not the wall clock."""
        return frames() / 44100

    def service(settings=AudioSettings(), dirs=None, speech=None):
        audio = AudioService(
            dirs or [audio_dir()], speech=speech, settings=settings, autotick=False, clock=audio_clock
        )
        assert audio.open(), audio.problems()
        return audio

    def finish(audio):
        problems = audio.problems()
        audio.close()
        print(json.dumps({"marks": marks, "problems": problems}))
    '''
)


@dataclass
class Recording:
    samples: Samples  # frames x 2, floats in [-1, 1)
    marks: dict[str, int]
    problems: list[str]

    def after(self, mark: str, start: float = 0.0, end: float | None = None) -> Samples:
        """Samples from ``start`` to ``end`` seconds after a mark."""
        first = self.marks[mark] + int(start * RATE)
        return self.samples[first : None if end is None else self.marks[mark] + int(end * RATE)]


def write_tone(path: Path, seconds: float, hertz: float = 200.0, level: float = 0.3) -> Path:
    """A mono 22,050 Hz WAV of a pure tone: a stand-in for words, easy to tell apart from every cue."""
    t = np.arange(int(seconds * 22_050)) / 22_050
    tone = (level * np.sin(2 * np.pi * hertz * t) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(22_050)
        w.writeframes(tone.tobytes())
    return path


def run_on_disk_driver(
    tmp_path: Path, scenario: str, driver: str = "disk", tone: Path | None = None, delay_ms: int | None = 0
) -> Recording:
    """Run ``scenario`` after PREAMBLE in a fresh interpreter and return what the mixer wrote.

    ``delay_ms`` is SDL's pause per 1024-frame buffer (23 ms of sound): 0 writes as fast as it can, which
    turns every millisecond the scenario spends in Python into ~0.1 s of sound; a few milliseconds keep
    the scenario's calls close together in sound time and still run several times faster than real time.
    None paces it like a sound card, in real time: needed where SDL_mixer times something by the wall
    clock (its fades)."""
    out = tmp_path / "mixer.raw"
    env = dict(os.environ)
    if tone is not None:
        env["TONE_WAV"] = str(tone)
    env.pop("SDL_DISKAUDIODELAY", None)
    if delay_ms is not None:
        env["SDL_DISKAUDIODELAY"] = str(delay_ms)
    env.update(
        SDL_AUDIODRIVER=driver,
        SDL_DISKAUDIOFILE=str(out),
        PYTHONPATH=str(REPO_ROOT),
    )
    result = subprocess.run(
        [sys.executable, "-c", PREAMBLE + textwrap.dedent(scenario)],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    raw = np.fromfile(out, "<i2") if out.exists() else np.zeros(0, "<i2")
    return Recording(raw.reshape(-1, 2).astype(np.float64) / 32768, report["marks"], report["problems"])


def rms_db(x: Samples) -> float:
    return float(20 * np.log10(max(float(np.sqrt(np.mean(x**2))) if len(x) else 0.0, 1e-9)))


def is_silent(x: Samples) -> bool:
    return len(x) > 0 and float(np.max(np.abs(x))) == 0.0
