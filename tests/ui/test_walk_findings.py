"""Defects found by walking the app as its users do, each kept fixed: what a German user reads after a
session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import cast

import pytest
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from massage_guide import paths as paths_module
from massage_guide.app import App, build
from massage_guide.services.audio import SilentAudio
from massage_guide.ui import language, theme
from massage_guide.ui.completion_page import CompletionPage
from massage_guide.ui.player_page import PlayerPage
from tests.conftest import FakeClock

ROUTINE = "neck-tension-release"  # has a German title


def _qt() -> QApplication:
    qt = QApplication.instance()
    assert isinstance(qt, QApplication)
    return qt


@pytest.fixture
def german_app(qtbot: QtBot, mg_home: Path, clock: FakeClock) -> Iterator[App]:
    """The app built as main() builds it for a person whose settings say ``language: de``."""
    (mg_home / "settings.yaml").write_text("language: de\nsafety_notice_seen: true\n", encoding="utf-8")
    built = build(_qt(), paths=paths_module.resolve(), audio=SilentAudio(), clock=clock)
    qtbot.addWidget(built.window)
    built.window.show()
    built.finish_start()
    qtbot.waitUntil(lambda: built.history is not None, timeout=5000)
    try:
        yield built
    finally:
        if built.controller.session_running():
            built.session.stop()
        built.close()
        language.install(_qt(), "en")
        theme.apply(_qt(), "light")


def test_the_completion_page_names_the_routine_in_the_users_language(german_app: App, qtbot: QtBot) -> None:
    """After a German session the completion page names the routine by its German title, as the player
    did, not by its English one."""
    routine = german_app.library.get(ROUTINE)
    assert routine is not None
    german, english = routine.title.get("de"), routine.title.get("en")
    assert german != english
    german_app.controller.open_routine(ROUTINE)
    assert german_app.controller.start_routine(ROUTINE)
    assert german_app.controller.session_running()
    player = cast(PlayerPage, german_app.window.page("player"))
    assert german in [label.text() for label in player.findChildren(QLabel)]
    german_app.session.stop()
    completion = cast(CompletionPage, german_app.window.page("completion"))
    assert german_app.window.current_page_name() == "completion"
    texts = [label.text() for label in completion.findChildren(QLabel)]
    assert german in texts
    assert english not in texts
