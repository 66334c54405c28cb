"""Loudness as ITU-R BS.1770-4 measures it (K-weighted, gated LUFS), in numpy only, for the sound tools.

The K-weighting is applied in the frequency domain from the standard's own two biquads, so no scipy is
needed; a 997 Hz sine at 0 dBFS in one channel reads -3.01 LUFS, as the standard says. Used by tools/make_sounds.py to level the beds, and by bench/mix_bench.py."""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

Signal = NDArray[np.float64]

# BS.1770-4's K-weighting as the standard gives it, two biquads at 48 kHz: a +4 dB shelf above ~1.7 kHz
# and a high-pass near 38 Hz. Applied in the frequency domain, the response at a frequency is all that
# matters, so the same coefficients serve any sample rate up to 48 kHz.
STANDARD_RATE = 48_000
SHELF_B = (1.53512485958697, -2.69169618940638, 1.19839281085285)
SHELF_A = (1.0, -1.69065929318241, 0.73248077421585)
HIGHPASS_B = (1.0, -2.0, 1.0)
HIGHPASS_A = (1.0, -1.99004745483398, 0.99007225036621)
BLOCK_SECONDS = 0.4  # gating blocks of 400 ms...
BLOCK_OVERLAP = 0.75  # ...overlapping by 75 %
ABSOLUTE_GATE_LUFS = -70.0
RELATIVE_GATE_LU = -10.0
SILENCE = -math.inf


def _biquad_response(
    b: tuple[float, float, float], a: tuple[float, float, float], w: Signal
) -> NDArray[np.complex128]:
    z = np.exp(-1j * w)
    response: NDArray[np.complex128] = (b[0] + b[1] * z + b[2] * z**2) / (a[0] + a[1] * z + a[2] * z**2)
    return response


def k_weighting(freqs: Signal) -> NDArray[np.complex128]:
    """The K-weighting filter's complex response at ``freqs`` (Hz, up to 24 kHz)."""
    w = 2 * np.pi * freqs / STANDARD_RATE
    return _biquad_response(SHELF_B, SHELF_A, w) * _biquad_response(HIGHPASS_B, HIGHPASS_A, w)


def k_weighted(x: Signal, rate: int, *, circular: bool = False) -> Signal:
    """``x`` (samples x channels) through the K-weighting; ``circular`` for loops (no padding needed)."""
    n = len(x) if circular else len(x) + rate  # a second of padding keeps the filter's ring out of the start
    spectrum = np.fft.rfft(x, n=n, axis=0)
    response = k_weighting(np.fft.rfftfreq(n, 1 / rate).astype(np.float64))
    filtered: Signal = np.fft.irfft(spectrum * response[:, None], n=n, axis=0)[: len(x)]
    return filtered


def integrated_lufs(x: Signal, rate: int, *, circular: bool = False) -> float:
    """Gated integrated loudness of ``x`` (samples x channels, floats in [-1, 1]) in LUFS."""
    if x.ndim == 1:
        x = x[:, None]
    y = k_weighted(x, rate, circular=circular)
    block = int(BLOCK_SECONDS * rate)
    step = int(block * (1 - BLOCK_OVERLAP))
    if len(y) < block:
        block = step = len(y)
    powers = np.array(
        [np.sum(np.mean(y[i : i + block] ** 2, axis=0)) for i in range(0, len(y) - block + 1, step)]
    )
    with np.errstate(divide="ignore"):
        loud = -0.691 + 10 * np.log10(powers)
    kept = powers[loud > ABSOLUTE_GATE_LUFS]
    if kept.size == 0:
        return SILENCE
    relative = -0.691 + 10 * math.log10(float(np.mean(kept))) + RELATIVE_GATE_LU
    kept = powers[(loud > ABSOLUTE_GATE_LUFS) & (loud > relative)]
    return float(-0.691 + 10 * math.log10(float(np.mean(kept))))


def true_peak_dbfs(x: Signal, oversample: int = 4) -> float:
    """The peak after ``oversample``-times band-limited upsampling (inter-sample peaks), in dBFS."""
    if x.ndim == 1:
        x = x[:, None]
    n = len(x)
    spectrum = np.fft.rfft(x, axis=0)
    up = np.fft.irfft(spectrum, n=n * oversample, axis=0) * oversample
    return float(20 * np.log10(max(float(np.max(np.abs(up))), 1e-12)))
