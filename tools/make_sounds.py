"""Synthesise every bundled sound (audio/ambience, audio/cues) with numpy and encode it to Ogg Vorbis.

Every sound here is made from numbers, so the project owns it outright (see audio/README.md) and anyone can
rebuild it: ``python tools/make_sounds.py`` (needs numpy and ``oggenc`` from Debian's vorbis-tools).
The random generator is seeded, so a rebuild gives the same sounds. The file names are the sound ids that
routines use.

Ambience beds loop without a seam by construction: noise is made in the frequency domain with random phases
over exactly the loop length (an inverse FFT is circular), tones use frequencies that are whole multiples of
1/loop length, and every slow modulation has a period that divides the loop length. Events (drops, bubbles)
are placed on a circle, wrapping past the end back to the start.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import wave
from collections.abc import Callable
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

# Run as a script (tools/ first on sys.path): the repository root makes ``tools.loudness`` importable.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

Signal = NDArray[np.float64]

RATE = 44_100
# Two minutes: long enough that a loop's return is not heard over a 20-minute session (at 48 s the same
# wave and the same drops came back noticeably). Every modulation period below divides 120 s.
LOOP_SECONDS = 120
# Beds are matched by loudness (BS.1770, tools/loudness.py), not by RMS: at equal RMS the bright ones
# measured up to 5 LU louder. -28 LUFS is ~3 LU under the voice with the bed at full volume, ~14 LU under
# it at the default volume while ducked.
AMBIENCE_LUFS = -28.0
# Peaks: with every volume at 100 %, a ducked bed (-5 dB), the voice (peaks -4 dBFS) and a cue must not sum
# past full scale: 0.18 + 0.63 + 0.18 < 1.
AMBIENCE_PEAK_DBFS = -10.0
# Cues sit 7 dB lower against the voice than they did (the issue asked for 6-8): the voice itself went
# 4 dB down when it was normalised (-20.8 -> ~-25 LUFS), so cues go 11 dB down from their old -4 dBFS.
CUE_PEAK_DBFS = -15.0
# The end of a ringing cue fades over this long, after it has decayed, so the file ends in silence.
RING_FADE_SECONDS = 1.0
OGG_QUALITY = (
    0  # ~64 kbit/s: these beds are soft and dark (little above 5 kHz), and two-minute loops stay small
)
SEAM_ATTEMPTS = 12  # loop rotations tried to find a seam the encoder left clean (see encode_loop)
FADE_SECONDS = 0.012  # cue edges: long enough to avoid a click, short enough to keep the attack

ROOT = Path(__file__).resolve().parent.parent
AUDIO_DIR = ROOT / "audio"


# --- building blocks -------------------------------------------------------------------------------------


def _db(value: float) -> float:
    return float(10 ** (value / 20))


def periodic_noise(
    rng: np.random.Generator, n: int, shape: Callable[[Signal], Signal], channels: int = 2
) -> Signal:
    """Noise of exactly ``n`` samples whose spectrum follows ``shape(freqs)`` and which loops seamlessly.

    Random phases over the whole loop, then an inverse real FFT: the result is periodic in ``n``."""
    freqs: Signal = np.fft.rfftfreq(n, 1 / RATE).astype(np.float64)
    magnitude = shape(freqs)
    magnitude[0] = 0.0  # no DC offset
    out = np.empty((n, channels))
    for ch in range(channels):
        phases = rng.uniform(0, 2 * np.pi, len(freqs))
        out[:, ch] = np.fft.irfft(magnitude * np.exp(1j * phases), n)
    out /= np.max(np.abs(out))
    return out


def periodic_lfo(rng: np.random.Generator, n: int, max_hz: float, channels: int = 1) -> Signal:
    """A smooth random wobble in [-1, 1] that loops in ``n`` samples (only frequencies below ``max_hz``)."""
    return periodic_noise(rng, n, lambda f: np.where((f > 0) & (f <= max_hz), 1.0, 0.0), channels)


def lowpass_shape(cutoff: float, order: int = 2) -> Callable[[Signal], Signal]:
    """A gentle Butterworth-like magnitude roll-off above ``cutoff`` Hz."""
    return lambda f: 1 / np.sqrt(1 + (f / cutoff) ** (2 * order))


def highpass(f: Signal, cutoff: float, order: int = 2) -> Signal:
    safe = np.maximum(f, 1e-9)
    return 1 / np.sqrt(1 + (cutoff / safe) ** (2 * order))


def sine_cycles(n: int, hz: float) -> Signal:
    """A sine whose frequency is rounded to a whole number of cycles over ``n`` samples, so it loops."""
    cycles = max(1, round(hz * n / RATE))
    return np.sin(2 * np.pi * cycles * np.arange(n) / n)


def place_circular(bed: Signal, event: Signal, start: int, gain: Signal | float) -> None:
    """Add ``event`` (samples x channels) into ``bed`` at ``start``, wrapping past the end to the start."""
    idx = (start + np.arange(len(event))) % len(bed)
    np.add.at(bed, idx, event * gain)


def fade_edges(x: Signal, seconds: float = FADE_SECONDS) -> Signal:
    """Raised-cosine fade at both ends, so a cue neither starts nor ends with a click."""
    k = max(1, int(seconds * RATE))
    ramp = 0.5 - 0.5 * np.cos(np.linspace(0, np.pi, k))
    y = x.copy()
    y[:k] *= ramp[:, None]
    y[-k:] *= ramp[::-1, None]
    return y


def level_bed(x: Signal) -> Signal:
    """Scale a bed to the loudness target, then keep its peak under the ambience ceiling with a soft knee."""
    from tools.loudness import integrated_lufs

    x = x - x.mean(axis=0)
    for _ in range(2):  # the soft knee takes a little off: measure again and correct
        x = x * _db(AMBIENCE_LUFS - integrated_lufs(x, RATE, circular=True))
        x = _soft_ceiling(x)
    return x


def _soft_ceiling(x: Signal) -> Signal:
    ceiling = _db(AMBIENCE_PEAK_DBFS)
    knee = 0.7 * ceiling
    over = np.abs(x) > knee
    # Above the knee, compress smoothly towards the ceiling (tanh) instead of clipping.
    x[over] = np.sign(x[over]) * (
        knee + (ceiling - knee) * np.tanh((np.abs(x[over]) - knee) / (ceiling - knee))
    )
    return x


def level_cue(x: Signal) -> Signal:
    x = x - x.mean(axis=0)
    return fade_edges(x * _db(CUE_PEAK_DBFS) / np.max(np.abs(x)))


def ring_out(x: Signal, seconds: float = RING_FADE_SECONDS) -> Signal:
    """Fade the last ``seconds`` of a decaying cue to nothing, so the file ends in silence, not mid-ring."""
    k = int(seconds * RATE)
    y = x.copy()
    y[-k:] *= (0.5 + 0.5 * np.cos(np.linspace(0, np.pi, k)))[:, None]
    return y


def stereo(mono: Signal, spread: float = 0.0) -> Signal:
    """Mono to stereo; ``spread`` delays the right channel a little (in seconds) for width."""
    right = np.roll(mono, int(spread * RATE)) if spread else mono
    return np.stack([mono, right], axis=1)


def envelope(n: int, attack: float, decay: float) -> Signal:
    """A soft attack (raised cosine over ``attack`` s) into an exponential decay with time constant ``decay``."""
    t = np.arange(n) / RATE
    env = np.exp(-t / decay)
    k = max(1, int(attack * RATE))
    env[:k] *= 0.5 - 0.5 * np.cos(np.linspace(0, np.pi, k))
    return env


# --- ambience beds ---------------------------------------------------------------------------------------


def ocean_waves(rng: np.random.Generator) -> Signal:
    """Ocean waves: a deep wash of low-passed noise that swells and recedes about every 8 s.

    Two noise bands: a dark body (low-pass 500 Hz) always present, and a brighter foam band (low-pass
    2.5 kHz, high-pass 300 Hz) that rises with each wave crest. The wave envelope repeats six times per
    48 s loop with a smooth random wobble in depth so the waves do not sound mechanical."""
    n = LOOP_SECONDS * RATE
    t = np.arange(n) / n
    body = periodic_noise(rng, n, lambda f: lowpass_shape(500)(f) / np.sqrt(np.maximum(f, 20)))
    foam = periodic_noise(rng, n, lambda f: lowpass_shape(2500, 3)(f) * highpass(f, 300))
    wobble = periodic_lfo(rng, n, 0.05)[:, 0]
    swell = 0.5 - 0.5 * np.cos(2 * np.pi * 15 * t)  # fifteen waves per loop: one every 8 s
    swell = swell ** (1.6 + 0.6 * wobble)  # crests a little sharper than troughs, and uneven
    pan = 0.15 * sine_cycles(n, 1 / 24)  # the surf drifts gently left and right
    foam_env = swell[:, None] * np.stack([1 + pan, 1 - pan], axis=1)
    return level_bed(body * (0.45 + 0.55 * swell[:, None]) + 0.6 * foam * foam_env)


def soft_rain(rng: np.random.Generator) -> Signal:
    """Soft rain: a steady hiss of pinkish noise (band 200 Hz - 4 kHz) with sparse, quiet drops.

    The hiss is 1/f-shaped and low-passed so it stays soft; about 6 drops a second, each a tiny decaying
    tone between 1.5 and 3.5 kHz at a random level and stereo position, placed on the loop circle."""
    n = LOOP_SECONDS * RATE
    hiss = periodic_noise(
        rng, n, lambda f: lowpass_shape(3500, 4)(f) * highpass(f, 200) / np.sqrt(np.maximum(f, 1))
    )
    breathing = 1 + 0.12 * periodic_lfo(rng, n, 0.1)
    bed = hiss * breathing
    drops = np.zeros((n, 2))
    drop_len = int(0.03 * RATE)
    td = np.arange(drop_len) / RATE
    for _ in range(6 * LOOP_SECONDS):
        hz = rng.uniform(1500, 3500)
        tone = np.sin(2 * np.pi * hz * td * (1 - 0.3 * td / td[-1])) * envelope(drop_len, 0.002, 0.006)
        pan = rng.uniform(0.2, 0.8)
        event = np.stack([tone * (1 - pan), tone * pan], axis=1)
        place_circular(drops, event, int(rng.integers(n)), rng.uniform(0.03, 0.12))
    return level_bed(bed + drops)


def brown_noise(rng: np.random.Generator) -> Signal:
    """Brown noise: a 1/f^2 spectrum (a deep, even rumble), high-passed at 30 Hz and low-passed at 3 kHz.

    Nothing moves in it on purpose; the two channels are independent, which makes it wide and enveloping."""
    n = LOOP_SECONDS * RATE
    return level_bed(
        periodic_noise(rng, n, lambda f: highpass(f, 30) * lowpass_shape(3000)(f) / np.maximum(f, 20))
    )


# How far a drone partial's phase wanders (radians), slowly: about ±0.4 % in pitch, never a static tone.
DRONE_WANDER_RADIANS = 40.0


def warm_drone(rng: np.random.Generator) -> Signal:
    """Warm drone: a soft chord on A (110, 165, 220, 330 Hz) that never stands still.

    Each partial is a pair of sines a fraction of a hertz apart (the beating) whose pitch wanders slowly
    (a smooth random phase drift, about ±0.4 %) and whose level drifts on its own slow course, so the
    chord's colour keeps changing; a touch of low-passed noise adds air. Everything loops in 120 s."""
    n = LOOP_SECONDS * RATE
    t = np.arange(n) / n
    out = np.zeros((n, 2))
    for hz, level in ((110, 1.0), (165, 0.55), (220, 0.4), (330, 0.18)):
        colour = 0.55 + 0.45 * periodic_lfo(rng, n, 0.03)[:, 0]
        wander = DRONE_WANDER_RADIANS * periodic_lfo(rng, n, 0.01)[:, 0]
        for ch, detune in enumerate((-0.125, 0.125)):
            for partial_hz, weight in ((hz, 1.0), (hz + detune, 0.7)):
                cycles = max(1, round(partial_hz * LOOP_SECONDS))
                out[:, ch] += level * weight * colour * np.sin(2 * np.pi * cycles * t + wander)
    air = periodic_noise(rng, n, lambda f: lowpass_shape(800, 2)(f) * highpass(f, 80))
    return level_bed(out / np.max(np.abs(out)) + 0.08 * air)


def forest_stream(rng: np.random.Generator) -> Signal:
    """Forest stream: running water, a band of noise (150 Hz - 2.5 kHz) with a quick uneven flutter, plus
    many small bubbles (short rising tones, 300-1200 Hz) scattered across the stereo field.

    The flutter is a periodic random modulation below 6 Hz, so the water sounds busy but never rhythmic."""
    n = LOOP_SECONDS * RATE
    water = periodic_noise(rng, n, lambda f: lowpass_shape(2500, 4)(f) * highpass(f, 150, 1))
    flutter = 1 + 0.35 * periodic_lfo(rng, n, 6.0, channels=2)
    bed = water * flutter
    bubbles = np.zeros((n, 2))
    bubble_len = int(0.06 * RATE)
    tb = np.arange(bubble_len) / RATE
    for _ in range(12 * LOOP_SECONDS):
        hz = rng.uniform(300, 1200)
        rise = hz * (1 + 2.5 * tb / tb[-1])  # a bubble's pitch rises as it closes
        phase = 2 * np.pi * np.cumsum(rise) / RATE
        tone = np.sin(phase) * envelope(bubble_len, 0.004, 0.015)
        pan = rng.uniform(0.15, 0.85)
        event = np.stack([tone * (1 - pan), tone * pan], axis=1)
        place_circular(bubbles, event, int(rng.integers(n)), rng.uniform(0.05, 0.25))
    return level_bed(bed + bubbles)


# --- cues ------------------------------------------------------------------------------------------------


def _bowl_strike(seconds: float, fundamental: float, decay: float, rng: np.random.Generator) -> Signal:
    # Measured singing-bowl partials are inharmonic, near 1 : 2.7 : 5.1 : 8.2 of the fundamental,
    # each a slowly beating pair; upper partials fade faster.
    n = int(seconds * RATE)
    t = np.arange(n) / RATE
    mono = np.zeros(n)
    for ratio, level, partial_decay in (
        (1.0, 1.0, 1.0),
        (2.71, 0.5, 0.6),
        (5.12, 0.18, 0.35),
        (8.21, 0.06, 0.2),
    ):
        hz = fundamental * ratio
        beat = 1 + 0.25 * np.sin(2 * np.pi * rng.uniform(0.8, 2.0) * t)
        mono += (
            level
            * beat
            * np.sin(2 * np.pi * hz * t + rng.uniform(0, 2 * np.pi))
            * np.exp(-t / (decay * partial_decay))
        )
    attack = int(0.015 * RATE)  # a felt mallet: soft, no click
    mono[:attack] *= 0.5 - 0.5 * np.cos(np.linspace(0, np.pi, attack))
    return mono


def bowl(rng: np.random.Generator) -> Signal:
    """Singing bowl (session start): one soft strike at 294 Hz, inharmonic partials, 15 ms attack, ring
    decaying over 7 s to silence."""
    mono = _bowl_strike(7.0, 294, 1.3, rng)
    return ring_out(level_cue(stereo(mono, 0.0004)))


def bowl_end(rng: np.random.Generator) -> Signal:
    """Deeper bowl (session end): two gentle strikes at 196 Hz, the second softer, 1.6 s apart, ringing out
    to silence by 9.5 s."""
    first = _bowl_strike(9.5, 196, 1.6, rng)
    second = _bowl_strike(9.5 - 1.6, 196, 1.6, rng)
    mono = first.copy()
    mono[int(1.6 * RATE) :] += 0.6 * second[: len(mono) - int(1.6 * RATE)]
    return ring_out(level_cue(stereo(mono, 0.0004)))


def wood(rng: np.random.Generator) -> Signal:
    """Wood tone (next step): a soft hollow knock, a 520 Hz tone with one woody overtone, 8 ms attack, 0.35 s."""
    n = int(0.35 * RATE)
    t = np.arange(n) / RATE
    mono = np.sin(2 * np.pi * 520 * t) * np.exp(-t / 0.06) + 0.3 * np.sin(2 * np.pi * 1370 * t) * np.exp(
        -t / 0.025
    )
    attack = int(0.008 * RATE)
    mono[:attack] *= 0.5 - 0.5 * np.cos(np.linspace(0, np.pi, attack))
    return level_cue(stereo(mono))


def chime(rng: np.random.Generator) -> Signal:
    """Two-note chime (switch side): E5 then B4, a soft falling fifth, each bell-like with a 10 ms attack."""
    n = int(2.4 * RATE)
    mono = np.zeros(n)
    for offset, hz, level in ((0.0, 659.26, 1.0), (0.45, 493.88, 0.9)):
        start = int(offset * RATE)
        m = n - start
        t = np.arange(m) / RATE
        note = (
            np.sin(2 * np.pi * hz * t) + 0.25 * np.sin(2 * np.pi * hz * 2.76 * t) * np.exp(-t / 0.2)
        ) * envelope(m, 0.01, 0.55)
        mono[start:] += level * note
    return ring_out(level_cue(stereo(mono, 0.0003)), 0.5)


def soft_tick(rng: np.random.Generator) -> Signal:
    """Soft tick (10 s left, countdown): a very quiet, short 880 Hz blip, 5 ms attack, gone in 0.15 s."""
    n = int(0.15 * RATE)
    mono = np.sin(2 * np.pi * 880 * np.arange(n) / RATE) * envelope(n, 0.005, 0.03)
    return level_cue(stereo(mono)) * _db(-8)  # much quieter than the other cues: it may come every second


def _glide(seconds: float, start_hz: float, end_hz: float) -> Signal:
    n = int(seconds * RATE)
    u = np.linspace(0, 1, n)
    hz = start_hz * (end_hz / start_hz) ** u  # an even glide in pitch
    phase = 2 * np.pi * np.cumsum(hz) / RATE
    tone = np.sin(phase) + 0.2 * np.sin(2 * phase) + 0.05 * np.sin(3 * phase)
    swell = np.sin(np.pi * u) ** 1.5  # rises and falls with the breath, no edge at all
    return tone * swell


# A sustained tone sounds much louder than a decaying strike of the same peak, and it comes with every breath.
BREATH_TONE_DB = -7.0


def breath_in(rng: np.random.Generator) -> Signal:
    """Breath in: a soft tone rising from 220 to 330 Hz over 1.8 s, swelling in and out."""
    return level_cue(stereo(_glide(1.8, 220, 330), 0.0005)) * _db(BREATH_TONE_DB)


def breath_out(rng: np.random.Generator) -> Signal:
    """Breath out: a soft tone falling from 330 to 220 Hz over 1.8 s, swelling in and out."""
    return level_cue(stereo(_glide(1.8, 330, 220), 0.0005)) * _db(BREATH_TONE_DB)


AMBIENCE: dict[str, Callable[[np.random.Generator], Signal]] = {
    "ocean-waves": ocean_waves,
    "soft-rain": soft_rain,
    "brown-noise": brown_noise,
    "warm-drone": warm_drone,
    "forest-stream": forest_stream,
}
CUES: dict[str, Callable[[np.random.Generator], Signal]] = {
    "bowl": bowl,
    "bowl-end": bowl_end,
    "wood": wood,
    "chime": chime,
    "soft-tick": soft_tick,
    "breath-in": breath_in,
    "breath-out": breath_out,
}


# --- writing and checking --------------------------------------------------------------------------------


def to_pcm16(x: Signal) -> NDArray[np.int16]:
    return np.round(np.clip(x, -1, 1) * 32767).astype(np.int16)


def write_wav(path: Path, x: Signal) -> None:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(x.shape[1])
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(to_pcm16(x).tobytes())


def encode_ogg(x: Signal, target: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "sound.wav"
        write_wav(wav, x)
        subprocess.run(["oggenc", "--quiet", "-q", str(OGG_QUALITY), "-o", str(target), str(wav)], check=True)


def decode_ogg(path: Path) -> Signal:
    """Decode with oggdec (vorbis-tools) to float samples x channels, for checking what was written."""
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "sound.wav"
        subprocess.run(["oggdec", "--quiet", "-o", str(wav), str(path)], check=True)
        with wave.open(str(wav), "rb") as w:
            frames = np.frombuffer(w.readframes(w.getnframes()), "<i2").reshape(-1, w.getnchannels())
    return frames.astype(np.float64) / 32768


def encode_and_decode(x: Signal, target: Path) -> Signal:
    encode_ogg(x, target)
    return decode_ogg(target)


def seam_jump(x: Signal) -> float:
    """How far the last sample is from the first: what the ear gets when the file loops."""
    return float(np.max(np.abs(x[0] - x[-1])))


def encode_loop(x: Signal, target: Path) -> Signal:
    """Encode a loop so that it stays seamless after lossy coding.

    The samples loop perfectly, but Vorbis's small coding error differs at the two ends of the file, and that
    difference is a step at the loop point. Rotating the loop moves the seam elsewhere without changing the
    sound, so try a few rotations and keep the first whose decoded seam is no bigger than a typical
    (99th-percentile) step between neighbouring samples; failing that, the smallest seam found."""
    best: tuple[float, Signal] | None = None
    for attempt in range(SEAM_ATTEMPTS):
        rotated = np.roll(x, -attempt * len(x) // SEAM_ATTEMPTS, axis=0)
        decoded = encode_and_decode(rotated, target)
        typical = float(np.percentile(np.abs(np.diff(decoded, axis=0)), 99))
        ratio = seam_jump(decoded) / typical
        if ratio <= 1.0:
            return decoded
        if best is None or ratio < best[0]:
            best = (ratio, rotated)
    assert best is not None
    return encode_and_decode(best[1], target)


def describe(name: str, x: Signal, loop: bool) -> str:
    """One line of measurements: length, peak, RMS, spectral centroid, share above 5 kHz, loop seam."""
    peak = 20 * np.log10(np.max(np.abs(x)) + 1e-12)
    rms = 20 * np.log10(np.sqrt(np.mean(x**2)) + 1e-12)
    mono = x.mean(axis=1)
    spectrum = np.abs(np.fft.rfft(mono)) ** 2
    freqs = np.fft.rfftfreq(len(mono), 1 / RATE)
    centroid = float(np.sum(freqs * spectrum) / np.sum(spectrum))
    high = float(np.sum(spectrum[freqs > 5000]) / np.sum(spectrum))
    line = (
        f"{name:14s} {len(x) / RATE:5.1f} s  peak {peak:6.1f} dBFS  rms {rms:6.1f} dBFS  "
        f"centroid {centroid:6.0f} Hz  >5 kHz {100 * high:5.2f} %"
    )
    if loop:
        steps = np.abs(np.diff(x, axis=0))
        line += f"  seam {seam_jump(x):.4f} (p99 step {float(np.percentile(steps, 99)):.4f})"
    return line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=AUDIO_DIR, help="folder holding ambience/ and cues/")
    parser.add_argument("--only", nargs="*", help="sound ids to build (default: all)")
    args = parser.parse_args(argv)
    if shutil.which("oggenc") is None or shutil.which("oggdec") is None:
        print("make_sounds needs oggenc and oggdec: apt-get install vorbis-tools", file=sys.stderr)
        return 1
    for kind, generators, loop in (("ambience", AMBIENCE, True), ("cues", CUES, False)):
        folder = args.out / kind
        folder.mkdir(parents=True, exist_ok=True)
        for name, generate in generators.items():
            if args.only and name not in args.only:
                continue
            # One seed per sound, from its name, so rebuilding one sound leaves the others unchanged.
            rng = np.random.default_rng(sum(name.encode()) * 7919)
            target = folder / f"{name}.ogg"
            sound = generate(rng)
            decoded = encode_loop(sound, target) if loop else encode_and_decode(sound, target)
            size = target.stat().st_size // 1024
            print(f"{describe(name, decoded, loop)}  {size} KiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
