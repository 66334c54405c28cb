"""The progress page reads nothing itself: its controller answers the session list's requests from the
history, drops answers the filters have outrun, and reports exports."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QHeaderView
from pytestqt.qtbot import QtBot

from massage_guide.core.history import HistoryStore
from massage_guide.core.library import Library
from massage_guide.core.progress import SessionPage, SessionQuery
from massage_guide.core.settings import Settings
from massage_guide.ui.progress_controller import ProgressController
from massage_guide.ui.progress_page import ProgressPage
from massage_guide.ui.session_model import COLUMNS, PageRequest, SessionTableModel
from massage_guide.ui.session_table import PAGE_MEASURE_ROWS
from tests.conftest import REPO_ROOT
from tests.ui.test_progress_page import TODAY, add


@pytest.fixture
def store(tmp_path: Path) -> Iterator[HistoryStore]:
    opened, _ = HistoryStore.open(tmp_path / "history.sqlite3")
    yield opened
    opened.close()


def test_the_list_asks_for_pages_and_the_controller_answers(qtbot: QtBot, store: HistoryStore) -> None:
    """Opening the page asks for the newest page; the controller's answer fills the table."""
    for n in range(3):
        add(store, TODAY - timedelta(days=n))
    page = ProgressPage()
    qtbot.addWidget(page)
    controller = ProgressController(page, today=lambda: TODAY, parent=page)
    with qtbot.waitSignal(page.sessions.page_requested) as asked:
        controller.show_history(store, Library(routines={}), Settings())
    request = asked.args[0]
    assert isinstance(request, PageRequest) and request.cursor is None
    assert page.sessions.model.rowCount() == 3
    assert page.sessions.footer.text() == "3 sessions."


def test_a_page_without_a_controller_lists_nothing_and_asks_once(qtbot: QtBot) -> None:
    """Without a controller the list stays empty and does not ask again and again as Qt polls it."""
    page = ProgressPage()
    qtbot.addWidget(page)
    requests: list[object] = []
    page.sessions.page_requested.connect(requests.append)
    page.sessions.reload()
    for _ in range(3):
        page.sessions.table.scrollToBottom()
        QApplication.processEvents()
    assert page.sessions.model.rowCount() == 0
    assert len(requests) == 1


def test_an_answer_the_filters_have_outrun_is_dropped(qtbot: QtBot, store: HistoryStore) -> None:
    """A page that arrives after the filters changed is not mixed into the new list."""
    add(store, TODAY, note="old filters")
    model = SessionTableModel()
    requests: list[PageRequest] = []
    model.page_requested.connect(requests.append)
    model.load(SessionQuery(), {})
    model.load(SessionQuery(status="stopped"), {})
    stale, current = requests
    records = tuple(store.list_sessions())
    model.add_page(stale, SessionPage(records, None))
    assert model.rowCount() == 0
    model.add_page(current, SessionPage((), None))
    assert model.rowCount() == 0 and not model.has_more()


def test_a_failed_export_is_reported_on_the_list_not_as_a_success(
    qtbot: QtBot, store: HistoryStore, tmp_path: Path
) -> None:
    """Exporting to a missing folder says so below the list, and ``exported`` is not emitted."""
    add(store, TODAY)
    page = ProgressPage()
    qtbot.addWidget(page)
    controller = ProgressController(page, today=lambda: TODAY, parent=page)
    controller.show_history(store, Library(routines={}), Settings())
    with qtbot.assertNotEmitted(controller.exported):
        assert not controller.export(tmp_path / "none" / "out.csv", SessionQuery())
    assert "Could not save" in page.sessions.message.text()


def test_no_history_shows_the_resting_message(qtbot: QtBot) -> None:
    """When the history could not be opened the page says nothing is lost and asks for no sessions."""
    page = ProgressPage()
    qtbot.addWidget(page)
    controller = ProgressController(page, today=lambda: TODAY, parent=page)
    with qtbot.assertNotEmitted(page.sessions.page_requested):
        controller.show_history(None, Library(routines={}), Settings())
    assert page.empty_title.text() == "Progress is resting"


def test_pages_and_widgets_load_without_the_store() -> None:
    """Importing the progress page and its charts loads no history store (only its controller does)."""
    code = (
        "import sys\nimport massage_guide.ui.progress_page\n"
        "print('massage_guide.core.history' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO_ROOT, check=True
    )
    assert result.stdout.strip() == "False"


def test_columns_are_as_wide_as_qt_would_make_them(qtbot: QtBot, store: HistoryStore) -> None:
    """The list sizes its columns itself (fast), to the width Qt's own measure of the same rows gives."""
    for n in range(60):
        day = TODAY - timedelta(days=n * 5)  # every month's name, short and long
        add(store, day, hour=9 + n % 14, minutes=1 + n * 7 % 70, tension=(n % 11, 10) if n % 2 else None)
    # Far down the first page, wider than anything above it: a long, interrupted session.
    add(store, TODAY - timedelta(days=200), minutes=125, status="interrupted", tension=(10, 10))
    page = ProgressPage()
    qtbot.addWidget(page)
    page.resize(1100, 750)
    page.show()
    qtbot.waitExposed(page)
    ProgressController(page, today=lambda: TODAY, parent=page).show_history(
        store, Library(routines={}), Settings()
    )
    table = page.sessions.table
    header = table.horizontalHeader()
    header.setResizeContentsPrecision(PAGE_MEASURE_ROWS)
    for column in range(len(COLUMNS)):
        if header.sectionResizeMode(column) != QHeaderView.ResizeMode.Interactive:
            continue
        qt_width = max(table.sizeHintForColumn(column), header.sectionSizeHint(column))
        assert header.sectionSize(column) == qt_width, COLUMNS[column]
