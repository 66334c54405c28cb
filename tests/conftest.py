"""Shared test set-up: headless Qt and SDL, a private MASSAGE_GUIDE_HOME per test, and a fake clock."""

from __future__ import annotations

import os

# Before anything imports Qt or pygame: no display, no sound card, and SIGTERM left to us.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ["SDL_NO_SIGNAL_HANDLERS"] = "1"
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
# The suite expects English text: a tester's own locale (LANG=de_DE.UTF-8) must not change what is printed.
# Tests of other languages set their own environment.
os.environ["LANGUAGE"] = "en"

from collections.abc import Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIR = REPO_ROOT.parent / "shared" / "corpora" / "yaml-test-suite"


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(autouse=True)
def mg_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Every test gets its own empty MASSAGE_GUIDE_HOME; the real home is never touched."""
    home = tmp_path_factory.mktemp("mg-home")
    monkeypatch.setenv("MASSAGE_GUIDE_HOME", str(home))
    yield home


@pytest.fixture(autouse=True)
def english_again() -> Iterator[None]:
    """A test that speaks another language (the GUI in German, the pseudo-locale) leaves English behind."""
    yield
    from massage_guide.core import i18n

    if i18n.active_language() != "en":
        i18n.activate("en")
