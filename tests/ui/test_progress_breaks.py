"""The progress page counts the breaks taken this week from the prompts on record."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from pytestqt.qtbot import QtBot

from massage_guide.core.history import HistoryStore
from massage_guide.core.library import Library
from massage_guide.core.settings import Settings
from massage_guide.ui.progress_controller import ProgressController
from massage_guide.ui.progress_page import ProgressPage
from tests.ui.test_progress_page import add

TODAY = date(2024, 5, 15)  # a Wednesday
ZONE = timezone(timedelta(hours=2))


def test_breaks_tile_shows_breaks_taken_of_reminders_this_week(qtbot: QtBot, tmp_path: Path) -> None:
    """Two reminders this week, one taken: the tile says "1 break", "Taken, of 2 reminders"; last week's do not count."""
    moments = iter(
        datetime(2024, 5, day, 11, 0, tzinfo=ZONE) for day in (6, 13, 14, 14)
    )  # last Monday, then this week
    store, _ = HistoryStore.open(tmp_path / "h.sqlite3", now=lambda: next(moments))
    with store:
        for outcome in ("shown", "shown", "started", "shown"):
            store.record_prompt(outcome)
        add(store, TODAY)
        page = ProgressPage()
        qtbot.addWidget(page)
        ProgressController(page, today=lambda: TODAY, parent=page).show_history(
            store, Library(routines={}), Settings()
        )
        assert page.breaks_tile.isVisibleTo(page)
        texts = [label.text() for label in page.breaks_tile.findChildren(type(page.empty_title))]
        assert "1 break" in texts
        assert "Taken, of 2 reminders." in texts


def test_no_tile_without_reminders(qtbot: QtBot, tmp_path: Path) -> None:
    """Someone who never turned reminders on sees no breaks tile."""
    store, _ = HistoryStore.open(tmp_path / "h.sqlite3")
    with store:
        add(store, TODAY)
        page = ProgressPage()
        qtbot.addWidget(page)
        ProgressController(page, today=lambda: TODAY, parent=page).show_history(
            store, Library(routines={}), Settings()
        )
        assert not page.breaks_tile.isVisibleTo(page)
