"""The ambience as a WAV at the mixer's format, written once into the cache by a child process: cheaper to mix.

SDL's audio thread spends about half its time decoding an Ogg Vorbis bed (0.43 % of a core against 0.20 % for
the same sound as a WAV at the mixer's format, docs/performance.md "Session CPU: where it goes"). The WAV is
written by a child process, so decoding the whole bed never adds to the app's memory, into a temporary file
renamed into place, so a WAV in the cache is always whole. Run as ``python -m
massage_guide.services.ambience_cache SOURCE TARGET RATE CHANNELS``."""

from __future__ import annotations

import contextlib
import logging
import os
import subprocess
import sys
import threading
import wave
from pathlib import Path

from massage_guide.core.digest import sha256_hex
from massage_guide.core.files import use_private_umask

log = logging.getLogger(__name__)

# Formats the mixer mixes without decoding: these are streamed as they are.
UNCOMPRESSED_SUFFIXES = frozenset({".wav"})
# The child runs below the session's own priority: writing the WAV can wait, the session's sound cannot.
WRITER_NICENESS = 10
SAMPLE_BYTES = 2  # the mixer's 16-bit samples (audio.MIXER_SIZE)
PART_SUFFIX = ".part"  # a WAV still being written; renamed when whole


def wav_path(cache_dir: Path, source: Path, rate: int, channels: int) -> Path:
    """Where the WAV for ``source`` goes: named by the sound's id and a hash of the file's place, size and
    time, so a changed or replaced file gets a new one."""
    try:
        stat = source.stat()
        identity = f"{source.resolve()}|{stat.st_size}|{stat.st_mtime_ns}|{rate}|{channels}"
    except OSError:
        identity = f"{source}|{rate}|{channels}"
    return cache_dir / f"{source.stem}-{sha256_hex(identity.encode())[:16]}.wav"


def start_writing(source: Path, target: Path, rate: int, channels: int) -> subprocess.Popen[bytes] | None:
    """Start the child that writes ``target`` from ``source``; None when it cannot start (logged)."""
    environ = {
        **os.environ,
        "SDL_NO_SIGNAL_HANDLERS": "1",
        "PYGAME_HIDE_SUPPORT_PROMPT": "1",
    }
    command = [sys.executable, "-m", __name__, str(source), str(target), str(rate), str(channels)]
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=environ,
        )
    except OSError as error:
        log.info("the ambience's WAV could not be started: %s", error)
        return None
    # Reaped as soon as it ends (a thread blocked in waitpid costs no CPU): no zombie, and no warning when
    # the service lets go of a finished writer it never asked about.
    threading.Thread(target=process.wait, name="ambience-writer", daemon=True).start()
    return process


def stop_writing(process: subprocess.Popen[bytes] | None, timeout: float) -> None:
    """Stop a writer still running (at once: SIGTERM's default, so quitting the app never waits for a
    decode) and reap it; its unfinished file is removed by the next writer."""
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def write(source: Path, target: Path, rate: int, channels: int) -> None:
    """Decode ``source`` at the mixer's format and write it to ``target`` whole (temporary file, then rename),
    removing older WAVs of the same sound."""
    from massage_guide.services.pygame_import import import_pygame

    pygame = import_pygame(mixer_only=True)
    pygame.mixer.init(frequency=rate, size=-8 * SAMPLE_BYTES, channels=channels)
    raw = pygame.mixer.Sound(str(source)).get_raw()
    pygame.mixer.quit()
    target.parent.mkdir(parents=True, exist_ok=True)
    for left in target.parent.glob(f"*{PART_SUFFIX}"):  # a writer stopped mid-way (the app quit)
        with contextlib.suppress(OSError):
            left.unlink()
    part = target.with_name(f"{target.name}.{os.getpid()}{PART_SUFFIX}")
    try:
        with wave.open(str(part), "wb") as out:
            out.setnchannels(channels)
            out.setsampwidth(SAMPLE_BYTES)
            out.setframerate(rate)
            out.writeframes(raw)
        part.replace(target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            part.unlink()
    for older in target.parent.glob(f"{source.stem}-*.wav"):
        if older != target:
            with contextlib.suppress(OSError):
                older.unlink()


def main(argv: list[str]) -> int:
    os.environ["SDL_AUDIODRIVER"] = "dummy"  # the child decodes; it never plays
    use_private_umask()  # like every file the app writes: the WAV and its folder are the user's alone
    with contextlib.suppress(OSError):
        os.nice(WRITER_NICENESS)
    source, target, rate, channels = Path(argv[0]), Path(argv[1]), int(argv[2]), int(argv[3])
    try:
        write(source, target, rate, channels)
    except Exception as error:  # the app streams the source instead; nothing to tell the user
        print(f"{source}: no WAV written: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
