"""Sound starts without numpy and pkg_resources: pygame's mixer works, and the memory they cost is not spent."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import REPO_ROOT

CHILD = """
import sys
from massage_guide.services.pygame_import import import_pygame
pygame = import_pygame()
pygame.mixer.init(frequency=44100, size=-16, channels=2, buffer=1024)
sound = pygame.mixer.Sound(buffer=bytes(4410 * 4))
sound.play()
print(pygame.mixer.get_init(), "numpy" in sys.modules, "pkg_resources" in sys.modules)
pygame.mixer.music.load("audio/ambience/soft-rain.ogg")  # the formats we ship still load
pygame.mixer.Sound("audio/cues/bowl.ogg").play()
with open("/proc/self/maps", encoding="ascii") as maps:
    mapped = maps.read()
print("pygame.font" in sys.modules, "libSDL2_ttf" in mapped, "libfreetype" in mapped, "libSDL2_image" in mapped)
import numpy  # anything else that wants numpy still gets it
print(numpy.zeros(2).sum())
"""


def test_pygame_is_imported_without_numpy_and_the_mixer_plays() -> None:
    """In a fresh process the mixer opens and plays our OGG files; numpy, pkg_resources and pygame's font and
    image-format libraries are not loaded, yet numpy is importable."""
    env = {**os.environ, "SDL_AUDIODRIVER": "dummy", "PYGAME_HIDE_SUPPORT_PROMPT": "1"}
    out = subprocess.run(
        [sys.executable, "-c", CHILD], capture_output=True, text=True, check=True, cwd=REPO_ROOT, env=env
    ).stdout.split("\n")
    assert out[0] == "(44100, -16, 2) False False"
    assert out[1] == "False False False False"  # no font or image-format libraries in memory
    assert out[2] == "0.0"


MIXER_ONLY = """
import sys
from massage_guide.services.pygame_import import import_pygame
pygame = import_pygame(mixer_only=True)
pygame.mixer.init(frequency=44100, size=-16, channels=2, buffer=1024)
pygame.mixer.music.load("audio/ambience/soft-rain.ogg")
pygame.mixer.Sound("audio/cues/wood.ogg").play()
print(sorted(name for name in sys.modules if name.startswith("pygame")))
print(pygame.mixer.get_init(), pygame.mixer.get_busy())
import pygame as later
print(later is pygame, later.Rect(1, 2, 3, 4).w, "pygame.display" in sys.modules)  # the rest on first use
import pygame.sndarray
print(pygame.sndarray.array(pygame.mixer.Sound("audio/cues/wood.ogg")).shape)
"""


def test_the_app_loads_pygame_s_mixer_alone_and_the_rest_on_first_use() -> None:
    """The sound service loads only the mixer's modules (no display, surface or drawing code in memory),
    and the mixer plays; anything later asking pygame for more gets the whole package as usual."""
    env = {**os.environ, "SDL_AUDIODRIVER": "dummy", "PYGAME_HIDE_SUPPORT_PROMPT": "1"}
    out = subprocess.run(
        [sys.executable, "-c", MIXER_ONLY], capture_output=True, text=True, check=True, cwd=REPO_ROOT, env=env
    ).stdout.split("\n")
    assert out[0] == str(
        ["pygame", "pygame.base", "pygame.event", "pygame.mixer", "pygame.mixer_music", "pygame.rwobject"]
    )
    assert out[1] == "(44100, -16, 2) True"
    assert out[2] == "True 3 True"
    assert out[3] == "(15434, 2)"
