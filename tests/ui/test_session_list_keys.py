"""The session list on the progress page by keyboard: Tab moves on out of it, the arrow keys move in it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from massage_guide.core.history import HistoryStore
from massage_guide.core.library import Library, load_library
from massage_guide.ui import theme
from tests.ui.test_progress_page import TODAY, add, make_page


@pytest.fixture
def store(tmp_path: Path) -> Iterator[HistoryStore]:
    history, messages = HistoryStore.open(tmp_path / "history.sqlite3")
    assert messages == []
    yield history
    history.close()


@pytest.fixture
def library(qapp: QApplication) -> Library:
    theme.apply(qapp, "light")
    return load_library(use_cache=False)


def test_tab_leaves_the_session_list_and_arrows_move_within_it(
    qtbot: QtBot, qapp: QApplication, store: HistoryStore, library: Library
) -> None:
    """With the list focused, Down picks the next session and Tab goes on to the next control (it went
    from cell to cell instead: seven Tabs a session, a trap in a long history)."""
    for days in range(3):
        add(store, TODAY - timedelta(days=days))
    page = make_page(qtbot, store, library)
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    table = page.sessions.table
    table.setFocus()
    qtbot.waitUntil(table.hasFocus)
    table.setCurrentIndex(table.model().index(0, 0))
    qtbot.keyClick(table, Qt.Key.Key_Down)
    assert table.currentIndex().row() == 1
    qtbot.keyClick(table, Qt.Key.Key_Tab)
    assert not table.hasFocus()
    assert qapp.focusWidget() is not None
