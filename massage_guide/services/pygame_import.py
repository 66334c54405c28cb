"""Import pygame without what it pulls in unasked (numpy, pkg_resources, its font and image-format modules):
a third of a second and ~37 MiB that the mixer never uses; the app loads its mixer alone (~2.2 MiB less)."""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import sys
import threading
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


# The sound service imports pygame on a worker thread (warm_up) and, should a session start first, on the GUI
# thread too: the second waits here rather than find the first's package half made.
_IMPORTING = threading.Lock()


class _Unasked(importlib.abc.MetaPathFinder):
    """Answers "not installed" for the unasked packages and pygame modules, while pygame is being imported."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname.split(".", 1)[0] in UNASKED or fullname in UNASKED_PYGAME:
            raise ImportError(f"{fullname} is not needed by Massage Guide's sound")
        return None


def import_pygame(*, mixer_only: bool = False) -> ModuleType:
    """``import pygame``, leaving out what the mixer does not need (unless something else loaded it), with
    SDL's environment set first (audio_factory.SDL_ENVIRONMENT). With ``mixer_only`` the package's own
    ``__init__`` waits (see _MixerFirst): only ``pygame.mixer`` and the modules it needs are loaded."""
    with _IMPORTING:
        if "pygame" in sys.modules:
            return sys.modules["pygame"]
        from massage_guide.services.audio_factory import set_sdl_environment

        set_sdl_environment()
        if mixer_only:
            try:
                return _import_mixer_first()
            except ImportError:  # a pygame laid out otherwise: the whole package, then
                for name in [name for name in sys.modules if name == "pygame" or name.startswith("pygame.")]:
                    del sys.modules[name]
        return _import_whole()


def _import_whole() -> ModuleType:
    finder = _Unasked()
    sys.meta_path.insert(0, finder)
    try:
        import pygame
    finally:
        sys.meta_path.remove(finder)
    return pygame


class _MixerFirst(ModuleType):
    """The ``pygame`` package with its mixer loaded and its ``__init__`` not yet run.

    pygame's ``__init__`` loads some twenty C modules (display, surface, draw, transform, joystick, ...) and the
    SDL code behind them: ~2.2 MiB in the app, measured, for a mixer that needs pygame.base, rwobject and
    event alone. The first look-up of anything else (``pygame.init``, ``pygame.sndarray``) runs the real
    ``__init__`` in this module, as ``import pygame`` would have, and then answers."""

    def __getattr__(self, name: str) -> object:
        if name.startswith("__"):
            raise AttributeError(name)
        object.__setattr__(self, "__class__", ModuleType)  # an ordinary module from here on, come what may
        spec = self.__spec__
        assert spec is not None and spec.loader is not None
        finder = _Unasked()
        sys.meta_path.insert(0, finder)
        try:
            spec.loader.exec_module(self)
        finally:
            sys.meta_path.remove(finder)
        return getattr(self, name)


def _import_mixer_first() -> ModuleType:
    spec = importlib.util.find_spec("pygame")
    if spec is None or spec.loader is None:
        raise ImportError("pygame is not installed")
    package = importlib.util.module_from_spec(spec)
    package.__class__ = _MixerFirst
    sys.modules["pygame"] = package
    import pygame.mixer  # noqa: F401 - the import binds pygame.mixer (and pygame.mixer.music) on the package

    return package
