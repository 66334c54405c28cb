"""The ambience as a WAV at the mixer's format: written whole by a child process, streamed from the next
session on, the shipped Ogg streamed until then or when the WAV cannot be made."""

from __future__ import annotations

import signal
import wave
from pathlib import Path

import pytest

from massage_guide.core.ports import AudioSettings
from massage_guide.resources import audio_dir
from massage_guide.services import ambience_cache
from massage_guide.services.audio import MIXER_CHANNELS, MIXER_RATE, AudioService

pytestmark = pytest.mark.slow

SOURCE = audio_dir() / "ambience" / "warm-drone.ogg"
WRITER_TIMEOUT_SECONDS = 60  # a ceiling for a stuck child on a busy machine, not a speed goal


def write_now(source: Path, cache: Path) -> tuple[Path, int]:
    """Run the writer child for ``source`` into ``cache``; its target and exit code."""
    target = ambience_cache.wav_path(cache, source, MIXER_RATE, MIXER_CHANNELS)
    writer = ambience_cache.start_writing(source, target, MIXER_RATE, MIXER_CHANNELS)
    assert writer is not None
    return target, writer.wait(WRITER_TIMEOUT_SECONDS)


def test_the_writer_leaves_one_whole_wav_at_the_mixers_format(tmp_path: Path) -> None:
    """The child writes a 16-bit WAV at the mixer's rate and channels as long as the Ogg, leaves no
    unfinished file (its own or one a writer stopped at quit left), and replaces the WAV of an older version
    of the same sound."""
    cache = tmp_path / "cache"
    cache.mkdir()
    stale = cache / f"{SOURCE.stem}-0123456789abcdef.wav"
    stale.write_bytes(b"an older version's WAV")
    (cache / f"{SOURCE.stem}-fedcba9876543210.wav.4242.part").write_bytes(b"cut short")
    target, code = write_now(SOURCE, cache)
    assert code == 0
    assert sorted(path.name for path in cache.iterdir()) == [target.name]
    assert target.stat().st_mode & 0o777 == 0o600  # private, as every file the app writes
    with wave.open(str(target)) as written:
        assert (written.getframerate(), written.getnchannels(), written.getsampwidth()) == (MIXER_RATE, 2, 2)
        seconds = written.getnframes() / MIXER_RATE
    assert seconds == pytest.approx(120.0, abs=0.1)  # the bundled beds loop every two minutes


def test_a_source_that_cannot_be_decoded_leaves_nothing_in_the_cache(tmp_path: Path) -> None:
    """A broken sound file gives no WAV and no unfinished file: the app goes on streaming the file itself."""
    source = tmp_path / "broken.ogg"
    source.write_bytes(b"OggS but not really a sound")
    cache = tmp_path / "cache"
    _target, code = write_now(source, cache)
    assert code != 0
    assert not cache.exists() or list(cache.iterdir()) == []


def test_a_changed_sound_file_gets_a_new_wav(tmp_path: Path) -> None:
    """The WAV is named by the file's size and time too, so a replaced sound is never played from an old WAV."""
    source = tmp_path / "bed.ogg"
    source.write_bytes(SOURCE.read_bytes())
    before = ambience_cache.wav_path(tmp_path, source, MIXER_RATE, MIXER_CHANNELS)
    source.write_bytes(SOURCE.read_bytes() + b"\0")
    assert ambience_cache.wav_path(tmp_path, source, MIXER_RATE, MIXER_CHANNELS) != before


def test_the_first_session_streams_the_ogg_and_the_next_the_wav(tmp_path: Path) -> None:
    """With a cache folder, the first session streams the shipped Ogg while a child writes its WAV, and the
    next session streams that WAV; without one, the Ogg is streamed and no child is started."""
    cache = tmp_path / "ambience"
    audio = AudioService(
        [audio_dir()], speech=None, settings=AudioSettings(), autotick=False, ambience_cache_dir=cache
    )
    plain = AudioService([audio_dir()], speech=None, settings=AudioSettings(), autotick=False)
    try:
        audio.start_ambience("warm-drone", fade_in_seconds=0.0)
        assert audio.ambience_file() == SOURCE
        writer = audio.ambience_writer()
        assert writer is not None
        assert writer.wait(WRITER_TIMEOUT_SECONDS) == 0
        audio.stop(0.0)
        audio.start_ambience("warm-drone", fade_in_seconds=0.0)
        wav = audio.ambience_file()
        assert wav is not None and wav.parent == cache and wav.suffix == ".wav"
        assert audio.problems() == []
        audio.stop(0.0)
        plain.start_ambience("warm-drone", fade_in_seconds=0.0)
        assert plain.ambience_file() == SOURCE
        assert plain.ambience_writer() is None
    finally:
        audio.close()
        plain.close()


def test_closing_the_service_stops_a_writer_at_once(tmp_path: Path) -> None:
    """Quitting never waits for a decode: close() ends a writer still running and reaps it."""
    audio = AudioService(
        [audio_dir()], speech=None, settings=AudioSettings(), autotick=False, ambience_cache_dir=tmp_path
    )
    audio.start_ambience("warm-drone", fade_in_seconds=0.0)
    writer = audio.ambience_writer()
    assert writer is not None
    audio.close()  # the child is still importing pygame, let alone decoding
    assert writer.returncode == -signal.SIGTERM
