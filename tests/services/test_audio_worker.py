"""The sound service's worker thread: it wakes only while something moves (the duck's ramps), waits for the
words' end in one go instead of polling, and still answers a stop at once. Real mixer on SDL's disk driver,
paced like a sound card, with the real clock."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.services.disk_driver import run_on_disk_driver, write_tone

pytestmark = pytest.mark.slow

WORDS_SECONDS = 4.0  # long enough that a poll every 0.1 s would wake the worker dozens of times
# The quiet stretch looked at: after the duck's 0.3 s attack has settled, before the words end.
QUIET_FROM_SECONDS = 1.0
QUIET_TO_SECONDS = 3.0
STOP_AT_SECONDS = 1.0  # stop_voice() this far into the words...
# ...and by then the 0.3 s fade and 0.6 s release are over, well before the words' own end (4 s).
BACK_UP_AFTER_STOP_SECONDS = 1.5

# Runs after disk_driver.PREAMBLE: an autoticking service on the real clock, its tick() calls counted.
SCENARIO = """
import threading
audio = AudioService([audio_dir()], speech=ToneSpeech(), settings=AudioSettings(ambience_volume=0.8))
wakes = []
real_tick = audio.tick

def counted_tick():
    wakes.append(frames())
    real_tick()

audio.tick = counted_tick
audio.start_ambience("warm-drone", fade_in_seconds=0.0)
play_for(0.3)
full = audio._pygame.mixer.music.get_volume()
mark("words")
audio.speak("hello")
play_for({first})
mark("quiet_from")
play_for({second})
mark("quiet_to")
{rest}
marks["wakes"] = wakes
marks["full"] = full
marks["after"] = audio._pygame.mixer.music.get_volume()
finish(audio)
"""


def run(tmp_path: Path, first: float, second: float, rest: str) -> dict[str, object]:
    tone = write_tone(tmp_path / "words.wav", WORDS_SECONDS)
    scenario = SCENARIO.format(first=first, second=second, rest=rest)
    recording = run_on_disk_driver(tmp_path, scenario, tone=tone, delay_ms=None)
    assert recording.problems == []
    marks: dict[str, object] = json.loads(json.dumps(recording.marks))
    return marks


def wakes_between(marks: dict[str, object], start: str, end: str) -> int:
    wakes = marks["wakes"]
    assert isinstance(wakes, list)
    first, last = marks[start], marks[end]
    assert isinstance(first, int) and isinstance(last, int)
    return sum(1 for frame in wakes if first <= frame < last)


def test_the_worker_sleeps_while_the_words_play_and_brings_the_bed_back_after(tmp_path: Path) -> None:
    """While a long line plays with the duck settled, the worker does not wake at all (no polling for the
    words' end), and once the words end the ambience comes back to its full level."""
    marks = run(
        tmp_path,
        QUIET_FROM_SECONDS,
        QUIET_TO_SECONDS - QUIET_FROM_SECONDS,
        f"play_for({WORDS_SECONDS - QUIET_TO_SECONDS + 1.5})",
    )
    assert wakes_between(marks, "words", "quiet_from") > 0  # the attack's ramp did step
    assert wakes_between(marks, "quiet_from", "quiet_to") == 0
    assert marks["after"] == marks["full"]


def test_stopping_the_words_brings_the_bed_back_before_their_end(tmp_path: Path) -> None:
    """stop_voice() wakes the worker at once: the duck releases long before the line would have ended."""
    marks = run(
        tmp_path,
        STOP_AT_SECONDS / 2,
        STOP_AT_SECONDS / 2,
        f"audio.stop_voice()\nplay_for({BACK_UP_AFTER_STOP_SECONDS})",
    )
    assert STOP_AT_SECONDS + BACK_UP_AFTER_STOP_SECONDS < WORDS_SECONDS
    assert marks["after"] == marks["full"]
