"""The app in German shows the system's file errors in German words, with what to do."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from massage_guide.core import i18n
from massage_guide.core.history import HistoryStore
from massage_guide.core.library import Library
from massage_guide.core.progress import SessionQuery
from massage_guide.core.settings import Settings
from massage_guide.ui.progress_controller import ProgressController
from massage_guide.ui.progress_page import ProgressPage
from tests.ui.test_progress_page import TODAY, add


@pytest.fixture
def store(tmp_path: Path) -> Iterator[HistoryStore]:
    opened, _ = HistoryStore.open(tmp_path / "history.sqlite3")
    yield opened
    opened.close()


def test_a_failed_export_says_why_in_german(qtbot: QtBot, store: HistoryStore, tmp_path: Path) -> None:
    """Exporting the session list into a folder that is gone says so below the list in German, without
    the system's "No such file or directory"."""
    add(store, TODAY)
    i18n.activate("de")
    page = ProgressPage()
    qtbot.addWidget(page)
    controller = ProgressController(page, today=lambda: TODAY, parent=page)
    controller.show_history(store, Library(routines={}), Settings())
    assert not controller.export(tmp_path / "gone" / "sessions.csv", SessionQuery())
    shown = page.sessions.message.text()
    assert "(sie existiert nicht; prüfe den Namen und den Ordner)" in shown
    assert "No such file" not in shown
