"""Import pygame without what it pulls in unasked (numpy, pkg_resources, its font and image-format modules):
a third of a second and ~37 MiB that the mixer never uses."""

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
# pygame's modules for fonts, image formats, the clipboard and fast events: its __init__ marks them missing
# without a warning (they are not "urgent" to it), and then SDL2_ttf, FreeType, HarfBuzz and SDL2_image's
# PNG, JPEG, TIFF and WebP libraries are never loaded: ~2.3 MiB less in a session, measured.
UNASKED_PYGAME: Final = frozenset(
    {"pygame.font", "pygame.sysfont", "pygame.ftfont", "pygame.imageext", "pygame.scrap", "pygame.fastevent"}
)


class _Unasked(importlib.abc.MetaPathFinder):
    """Answers "not installed" for the unasked packages and pygame modules, while pygame is being imported."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname.split(".", 1)[0] in UNASKED or fullname in UNASKED_PYGAME:
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
