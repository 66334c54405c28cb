"""Small WAV helpers for rendered speech: loudness matching, headroom and trimmed silence, in pure Python."""

from __future__ import annotations

import math
import operator
import sys
import wave
from array import array
from collections.abc import Callable
from pathlib import Path

# Speech is brought to one loudness whichever engine made it, measured as the RMS of its voiced 20 ms
# blocks (pauses would otherwise make a slow voice measure quieter). -24 dBFS sits the words clearly over
# the beds at their default volume (audio/README.md gives the ratio).
VOICE_TARGET_DBFS = -24.0
# Peaks stay 3 dB or more under full scale (the headroom), with 1 dB spare for the mixer's sum.
VOICE_PEAK_DBFS = -4.0
BLOCK_SECONDS = 0.02
# A block counts as voiced when within this much of the loudest block: skips breaths and pauses.
VOICED_BLOCK_RANGE_DB = 30.0
# Quieter than this (relative to full scale) is silence at the start or end of a rendering.
SILENCE_DBFS = -50.0
# What silence is kept before the first word (so the attack is not cut) and after the last.
LEAD_SECONDS = 0.03
TAIL_SECONDS = 0.15
FULL_SCALE = 32767
FIXED_BITS = 16  # gain is applied as an integer multiply and shift: exact to 1/65536
FIXED_ONE = 1 << FIXED_BITS
# Samples handled between two looks at the stop flag: ~0.2 s of 22 kHz speech, a few milliseconds of
# work, so a quitting app waits that long at most for a rendering to let go.
CHUNK_SAMPLES = 4096


def _never() -> bool:
    return False


class StoppedError(Exception):
    """Normalising was asked to stop (the app is closing); the file is left as it was."""


class WavError(Exception):
    """A rendering that is not the 16-bit PCM WAV the engines write."""


def _read(path: Path) -> tuple[wave._wave_params, array[int]]:
    try:
        with wave.open(str(path), "rb") as source:
            params = source.getparams()
            data = source.readframes(params.nframes)
    except (OSError, EOFError, wave.Error) as error:
        raise WavError(f"{path}: {error}") from error
    if params.sampwidth != 2:
        raise WavError(f"{path}: expected 16-bit samples, got {8 * params.sampwidth}-bit")
    samples = array("h")
    samples.frombytes(data[: len(data) - len(data) % 2])
    if sys.byteorder == "big":
        samples.byteswap()
    return params, samples


def _write(path: Path, params: wave._wave_params, samples: array[int]) -> None:
    out = array("h", samples)
    if sys.byteorder == "big":
        out.byteswap()
    with wave.open(str(path), "wb") as target:
        target.setnchannels(params.nchannels)
        target.setsampwidth(2)
        target.setframerate(params.framerate)
        target.writeframes(out.tobytes())


def _db(value: float) -> float:
    return 20 * math.log10(max(value, 1e-9))


def _check(should_stop: Callable[[], bool]) -> None:
    if should_stop():
        raise StoppedError


def block_levels(samples: array[int], block: int, should_stop: Callable[[], bool] = _never) -> list[float]:
    """RMS of each block, as a fraction of full scale."""
    levels = []
    blocks_per_check = max(1, CHUNK_SAMPLES // block)
    for number, start in enumerate(range(0, len(samples), block)):
        if number % blocks_per_check == 0:
            _check(should_stop)
        chunk = samples[start : start + block]
        if chunk:
            levels.append(math.sqrt(sum(map(operator.mul, chunk, chunk)) / len(chunk)) / FULL_SCALE)
    return levels


def voiced_level_dbfs(
    samples: array[int], rate: int, channels: int = 1, should_stop: Callable[[], bool] = _never
) -> float:
    """The RMS level of the voiced blocks, in dBFS (-180 for silence)."""
    block = max(1, int(rate * BLOCK_SECONDS)) * channels
    levels = block_levels(samples, block, should_stop)
    if not levels or max(levels) <= 0:
        return -180.0
    floor = max(levels) * 10 ** (-VOICED_BLOCK_RANGE_DB / 20)
    voiced = [level for level in levels if level >= floor]
    return _db(math.sqrt(sum(v * v for v in voiced) / len(voiced)))


def _first_loud(
    samples: array[int], quiet: float, should_stop: Callable[[], bool], *, from_end: bool = False
) -> int | None:
    """Index of the first (or last) sample louder than ``quiet``: a chunk at a time, the chunk's peak
    found in C (``max(map(abs, ...))``) before any sample is looked at one by one."""
    starts = range(0, len(samples), CHUNK_SAMPLES)
    for start in reversed(starts) if from_end else starts:
        _check(should_stop)
        chunk = samples[start : start + CHUNK_SAMPLES]
        if max(map(abs, chunk)) > quiet:
            indices = range(len(chunk) - 1, -1, -1) if from_end else range(len(chunk))
            return start + next(i for i in indices if abs(chunk[i]) > quiet)
    return None


def normalise_speech(path: Path, should_stop: Callable[[], bool] = _never) -> float:
    """Rewrite the WAV at ``path`` at the voice loudness, peaks under VOICE_PEAK_DBFS, silence trimmed.

    Returns the gain applied in dB. Takes ~0.1 s for a 20-second step. Raises StoppedError, with the file
    untouched, as soon as ``should_stop`` says so (it is asked every CHUNK_SAMPLES samples)."""
    params, samples = _read(path)
    channels, rate = params.nchannels, params.framerate
    quiet = FULL_SCALE * 10 ** (SILENCE_DBFS / 20)
    first_loud = _first_loud(samples, quiet, should_stop)
    if first_loud is None:
        return 0.0
    last_loud = _first_loud(samples, quiet, should_stop, from_end=True) or first_loud
    first = max(0, first_loud - int(LEAD_SECONDS * rate) * channels)
    last = min(len(samples), last_loud + int(TAIL_SECONDS * rate) * channels)
    first -= first % channels
    samples = samples[first:last]
    level = voiced_level_dbfs(samples, rate, channels, should_stop)
    peak = max(map(abs, samples)) / FULL_SCALE
    gain_db = min(VOICE_TARGET_DBFS - level, VOICE_PEAK_DBFS - _db(peak))
    gain = 10 ** (gain_db / 20)
    scaled = _scaled(samples, gain, should_stop)
    _check(should_stop)
    _write(path, params, scaled)
    return gain_db


def _scaled(samples: array[int], gain: float, should_stop: Callable[[], bool] = _never) -> array[int]:
    """``samples`` times ``gain``, in 16.16 fixed point, a chunk at a time through C-level ``map`` (about
    twice as fast as a comprehension; numpy is not imported for this, to keep it out of the app's memory).
    The gain keeps the peak at VOICE_PEAK_DBFS or under, so no sample can leave the 16-bit range."""
    multiply = round(gain * FIXED_ONE).__mul__
    shift = FIXED_BITS.__rrshift__  # shift(x) is x >> FIXED_BITS
    out = array("h")
    for start in range(0, len(samples), CHUNK_SAMPLES):
        _check(should_stop)
        out.extend(map(shift, map(multiply, samples[start : start + CHUNK_SAMPLES])))
    return out
