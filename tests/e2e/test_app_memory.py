"""The app does not hold on to module source text that PySide6 reads at every import (issue 16: memory)."""

from __future__ import annotations

import linecache
from pathlib import Path

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

import massage_guide
from massage_guide import paths as paths_module
from massage_guide.app import build
from massage_guide.core.ports import SilentAudio

PACKAGE = str(Path(massage_guide.__file__).parent)
SOME_MODULE = str(Path(PACKAGE) / "ui" / "progress_page.py")


def cached_sources() -> list[str]:
    return [name for name in linecache.cache if name.startswith(PACKAGE)]


def test_module_sources_are_let_go_after_building_and_after_start_up(qtbot: QtBot, mg_home: Path) -> None:
    """The sources PySide6's import hook reads into linecache (~2.5 MiB) are gone once the app is built and
    again once the library and the history have opened."""
    linecache.getlines(SOME_MODULE)  # as PySide6's hook does for every module imported after it
    assert cached_sources()
    qt = QApplication.instance()
    assert isinstance(qt, QApplication)
    app = build(qt, paths=paths_module.resolve(), audio=SilentAudio())
    qtbot.addWidget(app.window)
    assert cached_sources() == []
    app.window.show()
    linecache.getlines(SOME_MODULE)
    app.finish_start()
    qtbot.waitUntil(lambda: app.history is not None, timeout=5000)
    assert cached_sources() == []
    app.close()


def test_the_before_step_lets_go_of_the_pages_a_session_would(qtbot: QtBot, mg_home: Path) -> None:
    """Start on a routine's page shows the player's "before" step and lets go of the library page at once,
    before Begin opens the sound; leaving the step keeps the routine's page, and the library comes back."""
    qt = QApplication.instance()
    assert isinstance(qt, QApplication)
    app = build(qt, paths=paths_module.resolve(), audio=SilentAudio(), ask_safety=lambda _text: True)
    qtbot.addWidget(app.window)
    app.window.show()
    app.finish_start()
    qtbot.waitUntil(lambda: app.history is not None, timeout=5000)
    assert app.window.has_page("library")
    routine = next(iter(app.library.summaries))
    app.controller.open_routine(routine)
    assert app.controller.start_routine(routine, ask_tension=True)
    assert app.window.current_page_name() == "player"
    qtbot.waitUntil(lambda: not app.window.has_page("library"), timeout=2000)
    assert not app.session.is_running()  # let go before the session, not because of it
    assert app.window.has_page("detail")
    app.window.page("player").before_back.click()  # type: ignore[attr-defined]
    assert app.window.current_page_name() == "detail"
    app.window.show_page("library")
    assert app.window.has_page("library")
    app.close()
