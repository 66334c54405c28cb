"""The app in German shows the system's file errors in German words, with what to do."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from massage_guide.app import App
from massage_guide.core import i18n
from massage_guide.core.history import HistoryStore
from massage_guide.core.library import Library
from massage_guide.core.progress import SessionQuery
from massage_guide.core.settings import Settings
from massage_guide.ui.progress_controller import ProgressController
from massage_guide.ui.progress_page import ProgressPage
from tests.conftest import FakeClock
from tests.ui.test_editor import MINE, _editor, _running_app
from tests.ui.test_progress_page import TODAY, add


@pytest.fixture
def store(tmp_path: Path) -> Iterator[HistoryStore]:
    opened, _ = HistoryStore.open(tmp_path / "history.sqlite3")
    yield opened
    opened.close()


@pytest.fixture
def app(qtbot: QtBot, mg_home: Path, clock: FakeClock) -> Iterator[App]:
    yield from _running_app(qtbot, mg_home, clock)


@pytest.fixture
def mine(mg_home: Path) -> Path:
    """The user's own routine, open to edit."""
    folder = mg_home / "routines"
    folder.mkdir()
    file = folder / "my-neck.yaml"
    file.write_text(MINE, encoding="utf-8")
    return file


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
    assert "(die Datei oder ihr Ordner existiert nicht; prüfe den Namen und den Ordner)" in shown
    assert "No such file" not in shown


def test_an_editor_save_that_cannot_be_written_keeps_the_work_and_says_why(
    app: App, qtbot: QtBot, mine: Path
) -> None:
    """Saving a routine when its file cannot be written (a folder stands where the new file is made) says
    why in German beside the Save button; the changes stay in the editor and the file is unchanged."""
    window = _editor(app, qtbot, "my-neck")
    window.form.title_edit.selectAll()
    qtbot.keyClicks(window.form.title_edit, "My evening neck")
    mine.with_name(f".{mine.name}.{os.getpid()}.tmp").mkdir()
    i18n.activate("de")
    qtbot.mouseClick(window.save_button, Qt.MouseButton.LeftButton)
    assert window.reason_label.text() == (
        "Nicht gespeichert (das ist ein Ordner). Deine Änderungen sind noch da."
    )
    assert window.controller.dirty
    assert window.form.title_edit.text() == "My evening neck"
    assert mine.read_text(encoding="utf-8") == MINE
