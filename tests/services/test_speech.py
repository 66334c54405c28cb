"""Offline speech: espeak-ng renders WAV files once, the cache serves them after, and no engine is no crash."""

from __future__ import annotations

import shutil
import wave
from pathlib import Path

import pytest

from massage_guide.services.speech import (
    NO_ENGINE_MESSAGE,
    EngineChoice,
    EspeakEngine,
    EspeakSpeech,
    RenderingSpeech,
)

needs_espeak = pytest.mark.skipif(
    shutil.which("espeak-ng") is None, reason="espeak-ng is not installed (apt-get install espeak-ng)"
)


def wav_seconds(path: Path) -> float:
    with wave.open(str(path), "rb") as w:
        return w.getnframes() / w.getframerate()


@needs_espeak
def test_a_sentence_renders_to_a_wav_in_the_cache(tmp_path: Path) -> None:
    """The words of a step become a playable WAV of plausible length, stored under the cache folder."""
    speech = EspeakSpeech(tmp_path / "speech", voice="en", rate=150)
    try:
        path = speech.wait("Let your shoulders drop, and breathe out slowly.")
        assert path is not None
        assert path.parent == tmp_path / "speech"
        assert 1.0 < wav_seconds(path) < 8.0
        assert speech.problems() == []
    finally:
        speech.close()


@needs_espeak
def test_a_second_request_reuses_the_file(tmp_path: Path) -> None:
    """Asking again, in this run or the next, plays the cached file without running the engine again."""
    text = "Press gently into the muscle."
    first = EspeakSpeech(tmp_path, rate=150)
    path = first.wait(text)
    assert path is not None
    assert first.wait(text) == path
    assert first.renders == 1
    first.close()
    content = path.read_bytes()

    later = EspeakSpeech(tmp_path, rate=150)
    assert later.wav_for(text) == path  # ready at once: no render, no wait
    assert later.renders == 0
    assert path.read_bytes() == content
    later.close()


@needs_espeak
def test_voice_and_rate_are_part_of_the_cache_key(tmp_path: Path) -> None:
    """Changing the speaking rate renders anew instead of replaying the old speed."""
    speech = EspeakSpeech(tmp_path, rate=150)
    try:
        slow = speech.wait("Breathe in.")
        speech.configure(voice="en", rate=110)  # words a minute
        slower = speech.wait("Breathe in.")
        assert slow is not None
        assert slower is not None
        assert slow != slower
        assert wav_seconds(slower) > wav_seconds(slow)
        speech.configure(voice="en_GB", rate=110)
        british = speech.wait("Breathe in.")
        assert british is not None
        assert british not in (slow, slower)
    finally:
        speech.close()


@needs_espeak
def test_text_starting_with_a_dash_is_spoken_not_read_as_an_option(tmp_path: Path) -> None:
    """Text goes to the engine as text, whatever it looks like."""
    speech = EspeakSpeech(tmp_path)
    try:
        path = speech.wait("-v slowly now")
        assert path is not None
        assert wav_seconds(path) > 0.3
    finally:
        speech.close()


@needs_espeak
def test_a_language_espeak_lacks_falls_back_to_english_and_speaks(tmp_path: Path) -> None:
    """A language with no espeak-ng voice still gets spoken guidance, in English, rather than silence."""
    speech = EspeakSpeech(tmp_path, voice="nosuchvoice")
    try:
        path = speech.wait("Hello")
        assert path is not None
        assert wav_seconds(path) > 0.2
        assert speech.problems() == []
        assert speech.description().startswith("espeak-ng en-us (fallback:")
    finally:
        speech.close()


@needs_espeak
def test_an_engine_failure_is_a_message_not_an_exception(tmp_path: Path) -> None:
    """When the engine itself refuses (a voice name it does not have), the user is told what to check."""
    engine = EspeakEngine(shutil.which("espeak-ng") or "espeak-ng", "nosuchvoice", 140)
    speech = RenderingSpeech(tmp_path, lambda engine_setting, language, rate: EngineChoice(engine, "broken"))
    try:
        assert speech.wait("Hello") is None
        assert speech.has_failed("Hello")
        assert len(speech.problems()) == 1
        assert "voice" in speech.problems()[0].lower()
    finally:
        speech.close()


def test_no_engine_gives_one_message_and_no_voice(tmp_path: Path) -> None:
    """Where no speech engine exists the user hears nothing and is told once why."""
    speech = EspeakSpeech(tmp_path, executable="no-such-speech-engine")
    assert not speech.is_available()
    speech.prefetch(["one", "two"])
    assert speech.wav_for("one") is None
    assert speech.has_failed("one")
    assert speech.wait("two") is None
    assert speech.problems() == [NO_ENGINE_MESSAGE]
    assert list(tmp_path.iterdir()) == []
