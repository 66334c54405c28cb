"""A session's sound as heard: every cue whole beside the voice, breath tones after the words, words fading
instead of cut, and the mixer open only while a session needs it. Recorded on SDL's disk driver."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import numpy as np
import pytest

from massage_guide.core.ports import AudioSettings
from massage_guide.resources import audio_dir
from massage_guide.services.audio import VOICE_FADE_SECONDS, AudioService
from tests.services.disk_driver import (
    RATE,
    REPO_ROOT,
    Samples,
    is_silent,
    rms_db,
    run_on_disk_driver,
    write_tone,
)

pytestmark = pytest.mark.slow

PACED_MS = 5  # ~4.6x faster than real time, with the scenario's calls milliseconds apart in sound time
# Well past the 0.8 s words even if they start late: they wait for the chime at most
# CUE_WORDS_WAIT_MAX_SECONDS (2.5 s), so they end by ~3.3 s.
USER_CHIME_SECONDS = 4.5
VOICE_HZ = 200.0  # the stand-in words are a pure tone, so what else is in the mix can be told apart


def tone_share(x: Samples, hertz: float = VOICE_HZ) -> float:
    """The share of the signal's energy within 15 Hz of ``hertz``."""
    mono = x.mean(axis=1)
    power = np.abs(np.fft.rfft(mono * np.hanning(len(mono)))) ** 2
    freqs = np.fft.rfftfreq(len(mono), 1 / RATE)
    near = np.abs(freqs - hertz) < 15
    return float(power[near].sum() / max(power.sum(), 1e-12))


def onset(x: Samples) -> int:
    """Index of the first sample that is not silence."""
    return int(np.argmax(np.any(x != 0, axis=1)))


def voice_span(x: Samples, block: int = 2205) -> tuple[int, int]:
    """First and last sample of the audible 50 ms blocks where the words' tone is a clear part."""
    spoken = [
        i
        for i in range(0, len(x) - block, block)
        if rms_db(x[i : i + block]) > -35 and tone_share(x[i : i + block]) > 0.2
    ]
    assert spoken, "the words were never heard"
    return spoken[0], spoken[-1] + block


@pytest.mark.parametrize(
    ("cue", "seconds"), [("SESSION_START", 4.5), ("SWITCH_SIDE", 2.4), ("SESSION_END", 6.0)]
)
def test_a_cue_rings_whole_while_the_voice_speaks(tmp_path: Path, cue: str, seconds: float) -> None:
    """The start bowl, the side-switch chime and the end bowl sound to their natural end when the words
    are asked for with them and ticks crowd in, and the words are not cut either (cues never take their
    channel). The words wait for the cue's body (test_words_after_cue.py): the chime is over by then."""
    tone = write_tone(tmp_path / "words.wav", 1.0)
    rec = run_on_disk_driver(
        tmp_path,
        f"""
        audio = service(speech=ToneSpeech())
        mark("alone")
        audio.play_cue(Cue.{cue})
        play_for({seconds} + 2)
        mark("together")
        audio.play_cue(Cue.{cue})
        audio.speak("The first step.")
        for extra in range(8):  # more cues than there are cue channels
            audio.play_cue(Cue.TEN_SECONDS)
        for _ in range(int(({seconds} + 2) / 0.02)):  # ticking as the worker does: the words wait for the cue
            play_for(0.02)
            audio.tick()
        finish(audio)
        """,
        tone=tone,
        delay_ms=PACED_MS,
    )
    # From each mark to the next, not a fixed length: a bowl is decoded on its first play, after the mark,
    # which on the sped-up disk driver can move its onset by a good part of a second.
    alone = rec.samples[rec.marks["alone"] : rec.marks["together"]]
    together = rec.after("together")
    alone = alone[onset(alone) :]
    together = together[onset(together) :]
    first, last = voice_span(together)
    assert (last - first) / RATE > 0.85  # the words were heard whole
    # Outside the words (and after the ticks, 0.15 s), the cue sounds just as it does alone, to its end.
    window = int(0.25 * RATE)
    parts = [
        slice(start, start + window)
        for start in range(window, int((seconds - 0.1) * RATE) - window, window)
        if start + window < first - 2205 or start > last + 2205
    ]
    assert len(parts) >= 4, "the test needs a second of the cue beside the words"
    assert rms_db(alone[parts[-1]]) > -60  # its last part compared still rings
    for part in parts:
        assert abs(rms_db(together[part]) - rms_db(alone[part])) < 0.3, part.start / RATE


def test_a_users_sound_that_replaces_a_cue_plays_whole_too(tmp_path: Path) -> None:
    """A chime of the user's own (same id in their audio/cues) is played the same way: whole, beside the words."""
    user = tmp_path / "user-audio"
    (user / "cues").mkdir(parents=True)
    write_tone(user / "cues" / "chime.wav", USER_CHIME_SECONDS, hertz=1000.0, level=0.2)
    tone = write_tone(tmp_path / "words.wav", 0.8)
    rec = run_on_disk_driver(
        tmp_path,
        f"""
        audio = service(dirs=[Path({str(user)!r}), audio_dir()], speech=ToneSpeech())
        mark("switch")
        audio.play_cue(Cue.SWITCH_SIDE)
        audio.speak("Switch to the other side.")
        for _ in range(int(({USER_CHIME_SECONDS} + 0.5) / 0.02)):  # the words wait for the chime's body
            play_for(0.02)
            audio.tick()
        finish(audio)
        """,
        tone=tone,
        # In real time, so a busy machine delaying the words' start by some milliseconds moves them by as
        # much in the sound (paced faster, each millisecond would be several): the chime outlasts them anyway.
        delay_ms=None,
    )
    heard = rec.after("switch", 0, USER_CHIME_SECONDS + 0.5)
    heard = heard[onset(heard) :]
    _, words_end = voice_span(heard)
    chime_end = int(USER_CHIME_SECONDS * RATE)
    after_words = heard[words_end + 2205 : chime_end - 2205]
    # A guard, not the check: only a machine stalled for seconds between the two calls leaves no room.
    assert len(after_words) > 0.3 * RATE, "the words started too late to hear the chime after them"
    assert tone_share(after_words, 1000.0) > 0.95  # the user's chime, still sounding after the words
    assert rms_db(after_words) > -25  # at its own level: 0.2 of full scale at 70 % cue volume
    assert is_silent(heard[chime_end + 2205 :])  # and it ends where the file ends


def test_breath_tones_start_only_after_the_words_end(tmp_path: Path) -> None:
    """A breathing step's tones never play over its spoken instruction: the first one sounds after it."""
    tone = write_tone(tmp_path / "words.wav", 1.0)
    rec = run_on_disk_driver(
        tmp_path,
        """
        audio = service(speech=ToneSpeech())
        mark("words")
        audio.speak("Breathe with the circle.")
        audio.play_cue(Cue.INHALE)
        play_for(0.5)
        audio.play_cue(Cue.EXHALE)
        play_for(0.7)
        audio.tick()
        mark("breath")
        audio.play_cue(Cue.INHALE)
        play_for(1.0)
        finish(audio)
        """,
        tone=tone,
        delay_ms=PACED_MS,
    )
    heard = rec.after("words", 0, 1.5)
    first, last = voice_span(heard)
    assert (last - first) / RATE > 0.85
    during_words = heard[first + 2205 : last - 2205]
    assert tone_share(during_words) > 0.9999  # nothing but the words: a breath tone would be 1 % or more
    assert rms_db(rec.after("breath", 0.1, 0.9)) > -45  # the next breath sounds once the words are done


def test_words_cut_short_by_a_step_change_fade_instead_of_stopping(tmp_path: Path) -> None:
    """When a step ends mid-sentence the words fade out over about 300 ms: no word is chopped off."""
    tone = write_tone(tmp_path / "words.wav", 3.0)
    rec = run_on_disk_driver(
        tmp_path,
        """
        audio = service(speech=ToneSpeech())
        audio.speak("A long instruction that will not finish.")
        play_for(0.5)
        mark("cut")
        audio.stop_voice()
        play_for(1.0)
        finish(audio)
        """,
        tone=tone,
        delay_ms=None,  # SDL_mixer fades by the wall clock: this one runs in real time
    )
    before = rms_db(rec.after("cut", -0.2, 0.0))
    slices = [rms_db(rec.after("cut", t, t + 0.05)) for t in (0.03, 0.1, 0.17)]
    assert before - 1 < slices[0] + 6  # no sudden drop at the cut...
    assert slices[0] > slices[1] > slices[2] > -60  # ...but a steady fade
    assert is_silent(rec.after("cut", VOICE_FADE_SECONDS + 0.1, 0.9))


def test_no_raw_sound_library_lines_reach_the_terminal_without_a_sound_card(tmp_path: Path) -> None:
    """Where ALSA finds no card it prints a dozen lines of its own; the user sees only our sentence."""
    script = textwrap.dedent(
        """
        from pathlib import Path
        from massage_guide.core.ports import AudioSettings
        from massage_guide.resources import audio_dir
        from massage_guide.services.audio_factory import build_audio
        audio = build_audio(
            [audio_dir()], Path('speech'), AudioSettings(voice_enabled=False), open_now=True, autotick=False
        )
        print(audio.problems())
        audio.close()
        """
    )
    env = {**os.environ, "SDL_AUDIODRIVER": "alsa", "PYTHONPATH": str(REPO_ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60, check=True
    )
    assert "ALSA" not in result.stderr
    assert result.stderr.strip() == ""


def test_the_mixer_opens_for_a_session_and_closes_after_it() -> None:
    """Between sessions sound holds no device and no thread (no wakeups); the next session opens it again."""
    audio = AudioService([audio_dir()], speech=None, settings=AudioSettings(), autotick=True)
    try:
        assert not audio.is_open()
        audio.start_ambience("warm-drone", fade_in_seconds=0.0)
        assert audio.is_open()
        assert any(thread.name == "audio" for thread in threading.enumerate())
        audio.stop(0.0)
        worker = next(thread for thread in threading.enumerate() if thread.name == "audio")
        worker.join(timeout=10)
        assert not worker.is_alive()
        assert not audio.is_open()
        audio.start_ambience("warm-drone", fade_in_seconds=0.0)
        assert audio.is_open()
        assert audio.opened_count == 2
    finally:
        audio.close()
    assert not any(thread.name == "audio" for thread in threading.enumerate())
