"""The audio service on real mixers: SDL's disk driver records what a user would hear, sample by sample."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import wave
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from massage_guide.core.ports import AudioSettings, Cue
from massage_guide.services.audio import DUCK_LEVEL, AudioService, SilentAudio
from massage_guide.services.speech import NO_ENGINE_MESSAGE, EspeakSpeech
from tests.services.disk_driver import REPO_ROOT, is_silent, rms_db, run_on_disk_driver, write_tone

pytestmark = pytest.mark.slow


def test_a_cue_writes_real_samples(tmp_path: Path) -> None:
    """Playing a cue puts audible sound in the mixer's output, where there was silence before."""
    rec = run_on_disk_driver(
        tmp_path,
        """
        audio = service()
        play_for(0.2)
        mark("cue")
        audio.play_cue(Cue.NEXT_STEP)
        play_for(0.6)
        finish(audio)
        """,
    )
    assert is_silent(rec.samples[: rec.marks["cue"]])
    assert rms_db(rec.after("cue", 0, 0.5)) > -40
    assert rec.problems == []


def test_ambience_fades_in(tmp_path: Path) -> None:
    """The ambience starts quiet and rises over its fade-in, then holds its level."""
    rec = run_on_disk_driver(
        tmp_path,
        """
        audio = service()
        mark("start")
        audio.start_ambience("brown-noise", fade_in_seconds=1.0)
        play_for(2.0)
        finish(audio)
        """,
    )
    sound = rec.samples[rec.marks["start"] :]
    onset = int(np.argmax(np.any(sound != 0, axis=1)))
    levels = [rms_db(sound[onset + i * 4410 : onset + (i + 1) * 4410]) for i in range(15)]
    assert levels[0] < levels[4] < levels[9] - 1, levels
    assert levels[9] - levels[0] > 12, levels
    assert abs(levels[14] - levels[10]) < 4, levels  # after the fade: steady


def test_stop_with_a_fade_leaves_silence(tmp_path: Path) -> None:
    """Stopping fades the ambience out and then the output is silent."""
    rec = run_on_disk_driver(
        tmp_path,
        """
        audio = service()
        audio.start_ambience("ocean-waves", fade_in_seconds=0.1)
        play_for(1.0)
        mark("stop")
        audio.stop(fade_out_seconds=0.5)
        play_for(1.5)
        finish(audio)
        """,
    )
    assert rms_db(rec.samples[rec.marks["stop"] - 8820 : rec.marks["stop"]]) > -45
    assert is_silent(rec.after("stop", 0.8))


def test_stop_without_a_fade_silences_a_ringing_cue_at_once(tmp_path: Path) -> None:
    """stop(0) (Ctrl+C, quit) cuts everything, even a long bowl, within a buffer or two."""
    rec = run_on_disk_driver(
        tmp_path,
        """
        audio = service()
        audio.play_cue(Cue.SESSION_START)
        play_for(0.5)
        mark("stop")
        audio.stop()
        play_for(1.0)
        finish(audio)
        """,
    )
    assert rms_db(rec.samples[: rec.marks["stop"]]) > -40
    assert is_silent(rec.after("stop", 0.2))


def test_pause_silences_and_resume_brings_the_ambience_back(tmp_path: Path) -> None:
    """Pausing the session pauses its sound; resuming continues it."""
    rec = run_on_disk_driver(
        tmp_path,
        """
        audio = service()
        audio.start_ambience("soft-rain", fade_in_seconds=0.1)
        play_for(0.5)
        mark("pause")
        audio.pause()
        play_for(1.0)
        mark("resume")
        audio.resume()
        play_for(0.5)
        finish(audio)
        """,
    )
    assert is_silent(rec.after("pause", 0.2, 1.0))
    assert rms_db(rec.after("resume", 0.2)) > -45


def test_mute_gives_silence(tmp_path: Path) -> None:
    """With mute on, neither ambience nor cues make a sound."""
    rec = run_on_disk_driver(
        tmp_path,
        """
        audio = service(AudioSettings(muted=True))
        audio.start_ambience("ocean-waves", fade_in_seconds=0.0)
        audio.play_cue(Cue.SESSION_START)
        play_for(1.0)
        finish(audio)
        """,
    )
    assert is_silent(rec.samples)


def test_turning_cues_off_silences_cues_but_not_breathing_tones(tmp_path: Path) -> None:
    """Cues and breathing tones are separate switches: cues off leaves the breath tones on."""
    rec = run_on_disk_driver(
        tmp_path,
        """
        audio = service(AudioSettings(cues_enabled=False))
        audio.play_cue(Cue.NEXT_STEP)
        audio.play_cue(Cue.SWITCH_SIDE)
        play_for(0.5)
        mark("breath")
        audio.play_cue(Cue.INHALE)
        play_for(0.5)
        finish(audio)
        """,
    )
    assert is_silent(rec.samples[: rec.marks["breath"]])
    assert rms_db(rec.after("breath", 0, 0.5)) > -50


def test_missing_and_corrupt_files_are_reported_and_stay_silent(tmp_path: Path) -> None:
    """A missing or unreadable sound gives the user a message naming it, and nothing crashes."""
    user = tmp_path / "user-audio"
    (user / "ambience").mkdir(parents=True)
    (user / "cues").mkdir()
    (user / "ambience" / "broken.ogg").write_bytes(b"OggS but not really" * 50)
    (user / "cues" / "cracked.ogg").write_bytes(b"\x00\x01garbage" * 50)
    rec = run_on_disk_driver(
        tmp_path,
        f"""
        audio = service(dirs=[Path({str(user)!r}), audio_dir()])
        audio.start_ambience("no-such-bed")
        audio.play_cue(Cue.NEXT_STEP, "no-such-cue")
        audio.start_ambience("broken")
        audio.play_cue(Cue.NEXT_STEP, "cracked")
        audio.play_cue(Cue.NEXT_STEP, "cracked")
        play_for(0.5)
        finish(audio)
        """,
    )
    assert is_silent(rec.samples)
    text = "\n".join(rec.problems)
    assert "no-such-bed" in text
    assert "no-such-cue" in text
    assert "broken.ogg" in text
    assert "cracked.ogg" in text
    assert len(rec.problems) == 4  # each said once, however often it is asked for


def test_a_mixer_that_will_not_open_gives_silent_audio_and_one_message(tmp_path: Path) -> None:
    """With no usable sound device the app gets SilentAudio, a message for the user, and no exception."""
    script = """
        from massage_guide.services.audio_factory import build_audio
        audio = build_audio(
            [audio_dir()], Path('speech'), AudioSettings(voice_enabled=False), open_now=True, autotick=False
        )
        assert isinstance(audio, SilentAudio), audio
        audio.start_ambience("ocean-waves")
        audio.play_cue(Cue.SESSION_START)
        audio.speak("hello")
        audio.stop(1.0)
        finish(audio)
        """
    rec = run_on_disk_driver(tmp_path, script, driver="no-such-driver")
    assert len(rec.problems) == 1
    assert "silent" in rec.problems[0]


def test_importing_the_service_does_not_import_pygame() -> None:
    """pygame loads only when sound is opened, so it never slows the first window."""
    code = (
        "import sys, massage_guide.services.audio, massage_guide.services.speech\n"
        "assert 'pygame' not in sys.modules, 'pygame imported too early'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, env={**os.environ, "PYTHONPATH": str(REPO_ROOT)})


# --- in this process, on the dummy driver (conftest), with a fake clock ---------------------------------


class CannedSpeech:
    """A SpeechPort serving one ready-made WAV, so voice timing can be tested without a speech engine."""

    def __init__(self, wav: Path) -> None:
        self.wav = wav
        self.ready = False
        self.requested: list[str] = []

    def configure(self, *, voice: str, rate: int, engine: str = "auto") -> None:
        pass

    def is_available(self) -> bool:
        return True

    def prefetch(self, texts: Any) -> None:
        self.requested.extend(texts)

    def wav_for(self, text: str) -> Path | None:
        self.requested.append(text)
        return self.wav if self.ready else None

    def has_failed(self, text: str) -> bool:
        return False

    def problems(self) -> list[str]:
        return []

    def close(self) -> None:
        pass


@pytest.fixture
def voice_wav(tmp_path: Path) -> Path:
    return write_tone(tmp_path / "voice.wav", 0.5)


@pytest.fixture
def dummy_service(clock: Any, voice_wav: Path) -> Iterator[tuple[AudioService, CannedSpeech]]:
    from massage_guide.resources import audio_dir

    speech = CannedSpeech(voice_wav)
    audio = AudioService(
        [audio_dir()], speech=speech, settings=AudioSettings(ambience_volume=0.8), clock=clock, autotick=False
    )
    assert audio.open()
    yield audio, speech
    audio.close()


def test_voice_waits_for_its_rendering_and_ducks_the_ambience(
    dummy_service: tuple[AudioService, CannedSpeech], clock: Any
) -> None:
    """Speech starts once rendered; meanwhile and while it speaks the ambience is lowered smoothly by
    4-6 dB (never jumping), and it comes back as smoothly after the words."""
    import pygame

    audio, speech = dummy_service
    audio.start_ambience("warm-drone", fade_in_seconds=0.0)
    audio.tick()
    assert pygame.mixer.music.get_volume() == pytest.approx(0.8, abs=0.01)
    audio.speak("Let your shoulders drop.")
    voice = pygame.mixer.Channel(0)
    assert not voice.get_busy()  # not rendered yet
    levels = []
    for _ in range(5):
        clock.advance(0.05)
        audio.tick()
        levels.append(pygame.mixer.music.get_volume())
    assert all(0.8 * DUCK_LEVEL < level < 0.8 for level in levels)  # going down, not jumping
    assert levels == sorted(levels, reverse=True)
    assert max(a / b for a, b in itertools.pairwise(levels)) < 10 ** (1.5 / 20)  # steps under 1.5 dB
    speech.ready = True
    clock.advance(0.2)
    audio.tick()
    assert voice.get_busy()
    ducked = pygame.mixer.music.get_volume()
    # pygame stores volumes in 1/128 steps, hence the tolerance.
    assert 4.0 <= 20 * np.log10(0.8 / ducked) <= 6.2
    audio.stop_voice()
    clock.advance(0.3)
    audio.tick()
    clock.advance(0.15)
    audio.tick()
    assert ducked < pygame.mixer.music.get_volume() < 0.8
    clock.advance(1.0)
    audio.tick()
    assert pygame.mixer.music.get_volume() == pytest.approx(0.8, abs=0.01)


def test_a_newer_request_replaces_words_still_waiting(
    dummy_service: tuple[AudioService, CannedSpeech],
) -> None:
    """If the user skips ahead before the old step's words are ready, only the new step's words are spoken."""
    audio, speech = dummy_service
    audio.speak("old step")
    audio.speak("new step")
    speech.requested.clear()
    speech.ready = True
    audio.tick()
    assert speech.requested == ["new step"]


def test_no_speech_engine_is_reported_once(tmp_path: Path) -> None:
    """Without espeak-ng the user is told once that the session goes on without voice."""
    from massage_guide.resources import audio_dir

    speech = EspeakSpeech(tmp_path / "cache", executable="no-such-speech-engine")
    audio = AudioService([audio_dir()], speech=speech, settings=AudioSettings(), autotick=False)
    try:
        audio.speak("one")
        audio.speak("two")
        assert audio.problems() == [NO_ENGINE_MESSAGE]
    finally:
        audio.close()


def test_silent_audio_does_nothing_and_keeps_its_message() -> None:
    """SilentAudio accepts every call and only reports why it is silent."""
    audio = SilentAudio(["No sound device was found, so the session will be silent."])
    audio.start_ambience("ocean-waves")
    audio.play_cue(Cue.SESSION_END)
    audio.stop(2.0)
    assert audio.problems() == ["No sound device was found, so the session will be silent."]


def test_the_bowls_are_decoded_as_they_play_and_sound_whole_from_their_first_sample(tmp_path: Path) -> None:
    """Opening the mixer decodes the short cues but not the bowls, and a session keeps one bowl or step sound
    of its own at a time (the end bowl takes the start bowl's place). A bowl decoded as it is asked for
    sounds whole, every sample from its first, even when let go while it still rings."""
    user = tmp_path / "user-audio" / "cues"
    user.mkdir(parents=True)
    with wave.open(str(user / "hush.wav"), "wb") as hush:  # a step's own sound, silent: the bowl stays exact
        hush.setnchannels(2)
        hush.setsampwidth(2)
        hush.setframerate(44_100)
        hush.writeframes(bytes(4 * 4410))
    rec = run_on_disk_driver(
        tmp_path,
        f"""
        import pygame
        audio = service(settings=AudioSettings(cue_volume=1.0), dirs=[Path({str(user.parent)!r}), audio_dir()])
        decoded = [audio.decoded_cues()]
        mark("bowl")
        audio.play_cue(Cue.SESSION_START)
        decoded.append(audio.decoded_cues())
        audio.play_cue(Cue.NEXT_STEP, "hush")
        decoded.append(audio.decoded_cues())
        play_for(7.5)
        audio.play_cue(Cue.SESSION_END)
        decoded.append(audio.decoded_cues())
        Path("decoded.json").write_text(json.dumps(decoded))
        Path("bowl.raw").write_bytes(pygame.mixer.Sound(str(audio_dir() / "cues" / "bowl.ogg")).get_raw())
        finish(audio)
        """,
    )
    short = ["breath-in", "breath-out", "chime", "soft-tick", "wood"]
    assert json.loads((tmp_path / "decoded.json").read_text()) == [
        short,
        sorted([*short, "bowl"]),
        sorted([*short, "hush"]),  # the start bowl let go, still ringing
        sorted([*short, "bowl-end"]),
    ]
    bowl = np.fromfile(tmp_path / "bowl.raw", "<i2").reshape(-1, 2).astype(np.float64) / 32768
    heard = rec.samples[rec.marks["bowl"] :]
    assert is_silent(heard[:1])  # nothing sounded before the cue
    first_heard = int(np.argmax(np.any(heard != 0, axis=1)))
    first_in_file = int(np.argmax(np.any(bowl != 0, axis=1)))
    whole = bowl[first_in_file:]
    assert np.array_equal(heard[first_heard : first_heard + len(whole)], whole)
