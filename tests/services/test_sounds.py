"""The bundled sounds: each loads in the mixer, stays within its level limits and loops without a seam."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from massage_guide.core import sounds
from massage_guide.core.ports import CUE_SOUNDS
from massage_guide.resources import audio_dir

AUDIO = audio_dir()
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
    """The bundled sounds stay under 4 MB so the app download stays small."""
    assert sum(p.stat().st_size for p in AMBIENCE_FILES + CUE_FILES) < 4_000_000


@pytest.mark.slow
@pytest.mark.parametrize("path", AMBIENCE_FILES, ids=lambda p: p.stem)
def test_ambience_is_long_calm_and_loops_without_a_seam(mixer: Any, path: Path) -> None:
    """A bed lasts at least 30 s, peaks at most -1 dBFS, is calm in level, and its end flows into its start."""
    x = decode(mixer, path)
    assert len(x) / 44_100 >= 30
    assert dbfs(np.max(np.abs(x))) <= -1.0
    assert -30.0 <= dbfs(float(np.sqrt(np.mean(x**2)))) <= -16.0
    steps = np.abs(np.diff(x, axis=0))
    seam = float(np.max(np.abs(x[0] - x[-1])))
    # The jump from the last sample back to the first must look like any other step in the sound.
    assert seam <= float(np.percentile(steps, 99.9)), f"seam jump {seam:.4f} in {path.name}"


@pytest.mark.parametrize("path", CUE_FILES, ids=lambda p: p.stem)
def test_cues_are_short_soft_and_click_free(mixer: Any, path: Path) -> None:
    """A cue is short, peaks at most -3 dBFS, and starts and ends at silence (no click)."""
    x = decode(mixer, path)
    assert 0.05 <= len(x) / 44_100 <= 8.0
    assert dbfs(np.max(np.abs(x))) <= -3.0
    assert np.max(np.abs(x[:8])) < 0.01
    assert np.max(np.abs(x[-8:])) < 0.01
    # No harsh attack: the first 5 ms stay well below the cue's peak.
    assert np.max(np.abs(x[:220])) < 0.5 * np.max(np.abs(x))
