"""Sound ids: how a routine's ``ambience`` or ``cue`` id names a file in the bundled or user audio folders."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path

# A sound id is a file's stem: lowercase letters, digits and hyphens, never a path.
SOUND_ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SOUND_SUFFIXES: tuple[str, ...] = (".ogg", ".wav")
AMBIENCE = "ambience"
CUES = "cues"


def is_sound_id(value: str) -> bool:
    return bool(SOUND_ID_PATTERN.fullmatch(value))


def available(audio_dirs: Sequence[Path], kind: str) -> dict[str, Path]:
    """Sound id -> file for one kind (``ambience`` or ``cues``); earlier folders win (user before bundled)."""
    found: dict[str, Path] = {}
    for root in reversed(audio_dirs):
        folder = root / kind
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if path.suffix.lower() in SOUND_SUFFIXES and is_sound_id(path.stem):
                found[path.stem] = path
    return found


def find(audio_dirs: Iterable[Path], kind: str, sound_id: str) -> Path | None:
    """The file for ``sound_id``, or None; ids that look like paths are never resolved."""
    if not is_sound_id(sound_id):
        return None
    for root in audio_dirs:
        for suffix in SOUND_SUFFIXES:
            candidate = root / kind / f"{sound_id}{suffix}"
            if candidate.is_file():
                return candidate
    return None
