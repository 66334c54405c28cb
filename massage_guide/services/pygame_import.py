"""Import pygame without the numpy and pkg_resources it pulls in unasked: a third of a second and ~35 MiB
that the mixer never uses."""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import Final

# pygame imports these only to offer surfarray/sndarray (numpy) and to find its own data files
# (pkg_resources, with a fallback); it goes on without them when they cannot be imported.
UNASKED: Final = ("numpy", "pkg_resources")


class _Unasked(importlib.abc.MetaPathFinder):
    """Answers "not installed" for the unasked packages, while pygame is being imported."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname.split(".", 1)[0] in UNASKED:
            raise ImportError(f"{fullname} is not needed by Massage Guide's sound")
        return None


def import_pygame() -> ModuleType:
    """``import pygame``, leaving out what the mixer does not need (unless something else loaded it), with
    SDL's environment set first (audio_factory.SDL_ENVIRONMENT)."""
    if "pygame" in sys.modules:
        return sys.modules["pygame"]
    from massage_guide.services.audio_factory import set_sdl_environment

    set_sdl_environment()
    finder = _Unasked()
    sys.meta_path.insert(0, finder)
    try:
        import pygame
    finally:
        sys.meta_path.remove(finder)
    return pygame
