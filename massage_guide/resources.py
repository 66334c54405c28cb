"""Bundled routines and sounds, found the same way in a source checkout and in an installed wheel."""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def _data_root() -> Path:
    # A wheel carries the top-level folders inside the package (see pyproject's force-include);
    # a checkout or an editable install has them next to the package.
    bundled = _PACKAGE_DIR / "_data"
    if (bundled / "routines").is_dir():
        return bundled
    return _PACKAGE_DIR.parent


def routines_dir() -> Path:
    """The folder of built-in routine files (``*.yaml``)."""
    return _data_root() / "routines"


def audio_dir() -> Path:
    """The folder of bundled sounds: ``ambience/`` and ``cues/``."""
    return _data_root() / "audio"


def safety_notice_file(language: str = "en") -> Path:
    """The notice shown before the first session: docs/safety.md, or its translation
    docs/safety.<language>.md (``de``; ``pt_BR`` falls back to ``pt``) where there is one."""
    docs = _data_root() / "docs"
    for code in dict.fromkeys((language, language.split("_", maxsplit=1)[0])):
        translated = docs / f"safety.{code}.md"
        if code != "en" and translated.is_file():
            return translated
    return docs / "safety.md"
