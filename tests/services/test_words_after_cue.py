"""A step's cue is heard first and its words right after: recorded on SDL's disk driver, sample by sample."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from massage_guide.core.ports import AudioSettings, Cue
from massage_guide.resources import audio_dir
from massage_guide.services.audio import CUE_BODY_FLOOR_DB, CUE_WORDS_WAIT_MAX_SECONDS, AudioService
from tests.conftest import FakeClock
from tests.services.disk_driver import RATE, Recording, Samples, run_on_disk_driver, write_tone

pytestmark = pytest.mark.slow

MAX_GAP_SECONDS = 0.3  # the words follow the cue closely: a pause, not a wait
TICKS = """
def ticking(seconds):
    for _ in range(int(seconds / 0.02)):
        play_for(0.02)
        audio.tick()
"""


def first_sound(x: Samples) -> int:
    """Index of the first sample that is not silence."""
    return int(np.argmax(np.any(x != 0, axis=1)))


def cue_then_words(
    tmp_path: Path, cue: str, sound_id: str | None = None, seconds: float = 1.5, words: Path | None = None
) -> Recording:
    """Record the cue alone, then the same cue at a step change with its words (a WAV; a tone unless
    given) asked for at once."""
    tone = words or write_tone(tmp_path / "words.wav", 0.6)
    own = "" if sound_id is None else f", {sound_id!r}"
    return run_on_disk_driver(
        tmp_path,
        TICKS
        + f"""
audio = service(speech=ToneSpeech())
mark("alone")
audio.play_cue(Cue.{cue}{own})
ticking({seconds})
mark("step")
audio.play_cue(Cue.{cue}{own})
audio.speak("Rest your hands on your shoulders.")
ticking({seconds})
finish(audio)
""",
        tone=tone,
        # In real time, ticking every 20 ms of sound like the worker: sped up, a busy machine's stall of a
        # few milliseconds would move the words by several times as much sound.
        delay_ms=None,
    )


def cue_end_and_words_start(rec: Recording) -> tuple[float, float]:
    """Seconds from the cue's first sample to its audible end (the last sample above CUE_BODY_FLOOR_DB of
    its peak, as recorded alone) and to the words' first sample (what the step change adds to the cue)."""
    alone = rec.samples[rec.marks["alone"] : rec.marks["step"]]
    step = rec.after("step")
    alone = alone[first_sound(alone) :]
    step = step[first_sound(step) :]
    size = min(len(alone), len(step))
    level = np.max(np.abs(alone), axis=1)
    audible = np.nonzero(level > level.max() * 10 ** (CUE_BODY_FLOOR_DB / 20))[0]
    # The mixer adds its channels: what the step change wrote beyond the cue alone is the words.
    words = np.nonzero(np.any(np.abs(step[:size] - alone[:size]) > 3 / 32768, axis=1))[0]
    assert len(words), "the words were never heard"
    return (int(audible[-1]) + 1) / RATE, int(words[0]) / RATE


@pytest.mark.parametrize(("cue", "length", "seconds"), [("NEXT_STEP", 0.35, 1.5), ("SWITCH_SIDE", 2.4, 3.5)])
def test_a_step_s_words_start_after_its_cue_has_sounded(
    tmp_path: Path, cue: str, length: float, seconds: float
) -> None:
    """At a step change the knock (or the side-switch chime) is heard whole and clear, and the words follow
    it within 0.3 s."""
    rec = cue_then_words(tmp_path, cue, seconds=seconds)
    cue_end, words_start = cue_end_and_words_start(rec)
    assert length - 0.3 < cue_end <= length  # its length in audio/README.md, to where it is inaudible
    assert cue_end <= words_start <= cue_end + MAX_GAP_SECONDS, (cue_end, words_start)


def test_a_step_s_own_sound_is_waited_for_by_its_own_length(tmp_path: Path) -> None:
    """A step's own cue (here the 10-seconds tick, 0.15 s) is measured too: words wait for it, not for a fixed time."""
    rec = cue_then_words(tmp_path, "NEXT_STEP", "soft-tick")
    cue_end, words_start = cue_end_and_words_start(rec)
    assert cue_end < 0.2
    assert cue_end <= words_start <= cue_end + MAX_GAP_SECONDS, (cue_end, words_start)


def test_words_wait_for_a_ringing_bowl_only_so_long(tmp_path: Path) -> None:
    """The start bowl rings for 7 s under the words by design: they come once its strike has sounded,
    two and a half seconds in, not after the whole ring."""
    rec = cue_then_words(tmp_path, "SESSION_START", seconds=3.0)
    cue_end, words_start = cue_end_and_words_start(rec)
    assert cue_end > 5  # the bowl's ring
    assert CUE_WORDS_WAIT_MAX_SECONDS <= words_start <= CUE_WORDS_WAIT_MAX_SECONDS + MAX_GAP_SECONDS


class ReadySpeech:
    """A SpeechPort whose every rendering is one ready WAV."""

    def __init__(self, wav: Path) -> None:
        self.wav = wav

    def configure(self, *, voice: str, rate: int, engine: str = "auto") -> None:
        pass

    def is_available(self) -> bool:
        return True

    def prefetch(self, texts: Any) -> None:
        pass

    def wav_for(self, text: str) -> Path | None:
        return self.wav

    def has_failed(self, text: str) -> bool:
        return False

    def problems(self) -> list[str]:
        return []

    def close(self) -> None:
        pass


def test_a_pause_while_words_wait_for_the_cue_keeps_the_wait(clock: FakeClock, tmp_path: Path) -> None:
    """Paused during the knock, the words do not start on resume before the rest of the knock has played."""
    import pygame

    audio = AudioService(
        [audio_dir()],
        speech=ReadySpeech(write_tone(tmp_path / "words.wav", 0.5)),
        settings=AudioSettings(),
        clock=clock,
        autotick=False,
    )
    try:
        assert audio.open()
        voice = pygame.mixer.Channel(0)
        audio.play_cue(Cue.NEXT_STEP)
        audio.speak("Let your jaw soften.")
        assert not voice.get_busy()  # the knock first
        clock.advance(0.1)
        audio.pause()
        clock.advance(5.0)
        audio.resume()
        audio.tick()
        assert not voice.get_busy()  # still ~0.18 s of knock to hear
        clock.advance(0.2)
        audio.tick()
        assert voice.get_busy()
    finally:
        audio.close()


def test_the_worker_starts_the_words_after_the_knock_without_being_asked(tmp_path: Path) -> None:
    """In the app nobody ticks by hand: the service's own worker starts the waiting words once the knock
    has sounded, as in a GUI session and in `play`."""
    tone = write_tone(tmp_path / "words.wav", 0.6)
    rec = run_on_disk_driver(
        tmp_path,
        """
audio = AudioService([audio_dir()], speech=ToneSpeech(), settings=AudioSettings(), clock=audio_clock)
assert audio.open()
mark("alone")
audio.play_cue(Cue.NEXT_STEP)
play_for(1.0)
mark("step")
audio.play_cue(Cue.NEXT_STEP)
audio.speak("Rest your hands on your shoulders.")
play_for(1.0)
finish(audio)
""",
        tone=tone,
        delay_ms=None,
    )
    cue_end, words_start = cue_end_and_words_start(rec)
    assert cue_end <= words_start <= cue_end + MAX_GAP_SECONDS, (cue_end, words_start)
