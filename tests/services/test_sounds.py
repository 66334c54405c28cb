"""The bundled sounds: each loads in the mixer, stays within its level limits and loops without a seam; the
beds match in loudness and do not stand still, the bowls ring out to silence."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from massage_guide.core import sounds
from massage_guide.core.ports import CUE_SOUNDS
from massage_guide.resources import audio_dir
from tools.loudness import integrated_lufs, true_peak_dbfs

AUDIO = audio_dir()
BED_LUFS = -28.0  # tools/make_sounds.py levels every bed to this loudness
AMBIENCE_FILES = sorted((AUDIO / sounds.AMBIENCE).glob("*.ogg"))
CUE_FILES = sorted((AUDIO / sounds.CUES).glob("*.ogg"))


def dbfs(value: float) -> float:
    return float(20 * np.log10(max(value, 1e-12)))


@pytest.fixture(scope="module")
def mixer() -> Iterator[Any]:
    import pygame

    pygame.mixer.init(frequency=44_100, size=-16, channels=2)
    assert pygame.mixer.get_init() == (44_100, -16, 2)
    yield pygame
    pygame.mixer.quit()


def decode(pygame: Any, path: Path) -> np.ndarray[Any, np.dtype[np.float64]]:
    """The file as the mixer will play it: frames x 2 channels, floats in [-1, 1)."""
    sound = pygame.mixer.Sound(str(path))
    samples: np.ndarray[Any, np.dtype[np.float64]] = pygame.sndarray.array(sound).astype(np.float64)
    return samples / 32768


def test_the_library_has_enough_sounds_and_every_default_cue() -> None:
    """At least five beds and seven cues ship, and every cue the session plays by default is among them."""
    assert len(AMBIENCE_FILES) >= 5
    assert len(CUE_FILES) >= 7
    assert set(CUE_SOUNDS.values()) <= {p.stem for p in CUE_FILES}
    assert all(sounds.is_sound_id(p.stem) for p in AMBIENCE_FILES + CUE_FILES)


def test_the_audio_folder_stays_small() -> None:
    """The bundled sounds stay under 5 MB (two-minute beds; the natural voice alone adds ~185 MB)."""
    assert sum(p.stat().st_size for p in AMBIENCE_FILES + CUE_FILES) < 5_000_000


@pytest.mark.slow
@pytest.mark.parametrize("path", AMBIENCE_FILES, ids=lambda p: p.stem)
def test_ambience_is_long_calm_and_loops_without_a_seam(mixer: Any, path: Path) -> None:
    """A bed lasts two minutes (no loop heard coming round every 48 s), sits at the calm loudness with its
    peaks low enough that nothing clips at full volume, has little above 5 kHz, and its end flows into its
    start."""
    x = decode(mixer, path)
    assert len(x) / 44_100 >= 110
    assert true_peak_dbfs(x) <= -10.0
    assert abs(integrated_lufs(x, 44_100, circular=True) - BED_LUFS) <= 1.0  # so all beds are within 2 LU
    mono = x.mean(axis=1)
    power = np.abs(np.fft.rfft(mono)) ** 2
    assert power[np.fft.rfftfreq(len(mono), 1 / 44_100) > 5000].sum() / power.sum() < 0.01
    steps = np.abs(np.diff(x, axis=0))
    seam = float(np.max(np.abs(x[0] - x[-1])))
    # The jump from the last sample back to the first must look like any other step in the sound.
    assert seam <= float(np.percentile(steps, 99.9)), f"seam jump {seam:.4f} in {path.name}"


@pytest.mark.parametrize("path", CUE_FILES, ids=lambda p: p.stem)
def test_cues_are_short_soft_and_click_free(mixer: Any, path: Path) -> None:
    """A cue is short, soft (peaks at most -14 dBFS, well under the voice's -4), and starts and ends at
    silence (no click)."""
    x = decode(mixer, path)
    assert 0.05 <= len(x) / 44_100 <= 10.0
    assert dbfs(np.max(np.abs(x))) <= -14.0
    assert np.max(np.abs(x[:8])) < 0.01
    assert np.max(np.abs(x[-8:])) < 0.01
    # No harsh attack: the first 5 ms stay well below the cue's peak.
    assert np.max(np.abs(x[:220])) < 0.5 * np.max(np.abs(x))


@pytest.mark.parametrize("name", ["bowl", "bowl-end", "chime"])
def test_ringing_cues_end_in_silence_not_mid_ring(mixer: Any, name: str) -> None:
    """A bowl or chime has rung out by the end of its file: its last quarter second is 45 dB or more under
    its peak, so nothing is cut off when it finishes."""
    x = decode(mixer, AUDIO / sounds.CUES / f"{name}.ogg")
    tail = float(np.sqrt(np.mean(x[-44_100 // 4 :] ** 2)))
    assert dbfs(tail) - dbfs(float(np.max(np.abs(x)))) < -45


@pytest.mark.slow
def test_the_drone_never_holds_a_static_tone(mixer: Any) -> None:
    """The drone's lowest partial keeps changing level (by 3 dB or more over the loop), instead of one fixed tone."""
    mono = decode(mixer, AUDIO / sounds.AMBIENCE / "warm-drone.ogg").mean(axis=1)
    window = 4 * 44_100
    freqs = np.fft.rfftfreq(window, 1 / 44_100)
    band = (freqs > 100) & (freqs < 120)
    levels = [
        dbfs(
            float(np.sqrt((np.abs(np.fft.rfft(mono[i : i + window] * np.hanning(window))) ** 2)[band].sum()))
        )
        for i in range(0, len(mono) - window, window)
    ]
    assert max(levels) - min(levels) >= 3.0
