"""The progress page and its controller on a real history file: empty state, figures, kind streaks, session
list, export."""

from __future__ import annotations

import csv
import json
import uuid
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel
from pytestqt.qtbot import QtBot

from massage_guide.core.history import HistoryStore
from massage_guide.core.library import Library, load_library
from massage_guide.core.settings import Settings
from massage_guide.ui import theme
from massage_guide.ui.progress_controller import ProgressController
from massage_guide.ui.progress_page import EMPTY_TITLE, ProgressPage

TODAY = date(2024, 5, 15)  # a Wednesday
ZONE = timezone(timedelta(hours=2))
# Words that would make a missed day feel like a failure; the page must never use them.
SHAMING = ("missed", "broke", "broken", "lost", "fail", "only ", "should", "behind")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[HistoryStore]:
    opened, _ = HistoryStore.open(tmp_path / "history.sqlite3")
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library(use_cache=False)


@pytest.fixture(autouse=True)
def light_theme(qapp: QApplication) -> None:
    theme.apply(qapp, "light")


def add(
    store: HistoryStore,
    day: date,
    *,
    minutes: int = 10,
    status: str = "completed",
    routine_id: str = "neck-release",
    title: str = "Neck release",
    tension: tuple[int, int] | None = None,
    note: str | None = None,
    hour: int = 18,
) -> None:
    started = datetime(day.year, day.month, day.day, hour, 0, tzinfo=ZONE)
    row: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "routine_id": routine_id,
        "routine_title": title,
        "started_at": started.isoformat(),
        "ended_at": (started + timedelta(minutes=minutes)).isoformat(),
        "status": status,
        "planned_seconds": minutes * 60,
        "active_seconds": minutes * 60,
        "steps_completed": 4,
        "steps_total": 4,
        "tension_before": tension[0] if tension else None,
        "tension_after": tension[1] if tension else None,
        "note": note,
    }
    result = store.import_records([(1, row)])
    assert result.added == 1, result.problems


def make_controller(
    qtbot: QtBot, store: HistoryStore | None, library: Library, **settings: Any
) -> ProgressController:
    page = ProgressPage()
    qtbot.addWidget(page)
    page.resize(1100, 750)
    controller = ProgressController(page, today=lambda: TODAY, parent=page)
    controller.show_history(store, library, Settings(**settings))
    page.show()
    return controller


def make_page(qtbot: QtBot, store: HistoryStore | None, library: Library, **settings: Any) -> ProgressPage:
    return make_controller(qtbot, store, library, **settings).page


def visible_text(page: ProgressPage) -> str:
    return "\n".join(label.text() for label in page.findChildren(QLabel) if label.isVisibleTo(page))


def test_empty_history_shows_a_friendly_explanation(
    qtbot: QtBot, store: HistoryStore, library: Library
) -> None:
    """With no sessions the page says what will appear here instead of empty charts."""
    page = make_page(qtbot, store, library)
    assert page.empty_state.isVisibleTo(page)
    assert not page.content.isVisibleTo(page)
    text = visible_text(page)
    assert EMPTY_TITLE in text
    assert "calendar" in text and "minutes each week" in text and "tension" in text


def test_history_that_cannot_be_opened_is_explained_kindly(qtbot: QtBot, library: Library) -> None:
    """Without a store (it could not be opened) the page says nothing was lost."""
    page = make_page(qtbot, None, library)
    assert "Nothing has been lost" in visible_text(page)


def test_figures_streak_and_tension_from_the_history(
    qtbot: QtBot, store: HistoryStore, library: Library
) -> None:
    """Week and month totals, a forgiving streak and the tension change come from the recorded sessions."""
    add(store, TODAY, minutes=10, tension=(7, 3))
    add(store, TODAY - timedelta(days=1), minutes=15, tension=(6, 4))
    # Sunday 12 and Monday 13 May had no session: one rest day in each week keeps the streak.
    add(store, TODAY - timedelta(days=4), minutes=5)
    add(store, TODAY - timedelta(days=20), minutes=30)  # 25 April: last month
    page = make_page(qtbot, store, library)
    assert page.content.isVisibleTo(page)
    assert page.week_tile.value.text() == "25 min"
    assert page.week_tile.detail.text() == "2 sessions"
    assert page.month_tile.value.text() == "30 min"
    assert page.month_tile.detail.text() == "3 sessions"
    assert page.streak_tile.value.text() == "3 days"
    assert "1 rest day a week keeps it going" in page.streak_tile.detail.text()
    assert page.tension_tile.value.text() == "3.0 lower"
    text = visible_text(page).lower()
    assert not [word for word in SHAMING if word in text]
    assert page.heat_map.tooltip_for(TODAY - timedelta(days=1)) == "Tue, May 14, 2024: 15 min, 1 session"


def test_streaks_follow_the_settings(qtbot: QtBot, store: HistoryStore, library: Library) -> None:
    """show_streaks false hides the streak; with no rest days a gap starts a new one, said gently."""
    add(store, TODAY - timedelta(days=2))
    hidden = make_page(qtbot, store, library, show_streaks=False)
    assert not hidden.streak_tile.isVisibleTo(hidden)
    assert "Streak" not in visible_text(hidden)
    strict = make_page(qtbot, store, library, streak_rest_days_per_week=0)
    assert strict.streak_tile.value.text() == "Ready when you are"
    assert "next session starts a new streak" in strict.streak_tile.detail.text()
    assert "Best so far: 1 day" in strict.streak_tile.detail.text()


def test_session_list_filters_by_status_routine_and_text(
    qtbot: QtBot, store: HistoryStore, library: Library
) -> None:
    """The list shows sessions newest first and narrows by status, by routine and by typed text."""
    routine_id = next(iter(library.routines))
    title = library.routines[routine_id].title.get("en")
    add(store, TODAY, routine_id=routine_id, title=title, note="calmer jaw afterwards")
    add(store, TODAY - timedelta(days=1), status="stopped", minutes=3)
    add(store, TODAY - timedelta(days=2))
    page = make_page(qtbot, store, library)
    table = page.sessions.table
    assert table.model().rowCount() == 3
    assert table.model().index(0, 1).data() == title
    assert table.model().index(1, 2).data() == "Ended early"

    status = page.sessions.status_filter
    status.setCurrentIndex(status.findData("stopped"))
    assert table.model().rowCount() == 1
    assert page.sessions.clear_button.isVisibleTo(page)
    qtbot.mouseClick(page.sessions.clear_button, Qt.MouseButton.LeftButton)
    assert table.model().rowCount() == 3

    routines = page.sessions.routine_filter
    routines.setCurrentIndex(routines.findData(routine_id))
    assert table.model().rowCount() == 1
    routines.setCurrentIndex(0)

    qtbot.keyClicks(page.sessions.search, "JAW")
    qtbot.waitUntil(lambda: table.model().rowCount() == 1)
    assert table.model().index(0, 6).data() == "calmer jaw afterwards"
    qtbot.keyClicks(page.sessions.search, "zzz")
    qtbot.waitUntil(lambda: table.model().rowCount() == 0)
    assert page.sessions.footer.text() == "No session matches these filters."
    assert not page.sessions.export_button.isEnabled()


def test_export_writes_csv_and_json_with_the_history_writers(
    qtbot: QtBot, store: HistoryStore, library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Export saves the matching sessions to the chosen file in the same format as the command line."""
    add(store, TODAY, note="line one\nline two")
    add(store, TODAY - timedelta(days=1), status="stopped")
    controller = make_controller(qtbot, store, library)
    page = controller.page
    target = tmp_path / "mine"  # no extension: the chosen filter decides it
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "JSON (*.json)"))
    with qtbot.waitSignal(controller.exported) as signal:
        qtbot.mouseClick(page.sessions.export_button, Qt.MouseButton.LeftButton)
    assert signal.args == [str(tmp_path / "mine.json"), 2]
    data = json.loads((tmp_path / "mine.json").read_text(encoding="utf-8"))
    assert [row["status"] for row in data] == ["completed", "stopped"]
    assert "Saved 2 sessions" in page.sessions.message.text()

    page.sessions.status_filter.setCurrentIndex(page.sessions.status_filter.findData("completed"))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "a.csv"), ""))
    qtbot.mouseClick(page.sessions.export_button, Qt.MouseButton.LeftButton)
    with (tmp_path / "a.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["note"] for row in rows] == ["line one\nline two"]


def test_export_to_an_unwritable_place_says_what_to_do(
    qtbot: QtBot, store: HistoryStore, library: Library, tmp_path: Path
) -> None:
    """A failed export names the file and what to try, and leaves no partial file behind."""
    add(store, TODAY)
    controller = make_controller(qtbot, store, library)
    page = controller.page
    target = tmp_path / "missing-folder" / "out.csv"
    with qtbot.assertNotEmitted(controller.exported):
        page.sessions.request_export(target)
    assert str(target) in page.sessions.message.text()
    assert "Check that the folder exists" in page.sessions.message.text()
    assert not list(tmp_path.glob("**/*.partial"))


def test_refresh_picks_up_a_new_session(qtbot: QtBot, store: HistoryStore, library: Library) -> None:
    """After a session is recorded, refresh() leaves the empty state and shows it."""
    controller = make_controller(qtbot, store, library)
    page = controller.page
    assert page.empty_state.isVisibleTo(page)
    add(store, TODAY, minutes=7)
    controller.refresh()
    assert page.content.isVisibleTo(page)
    assert page.week_tile.value.text() == "7 min"
    assert page.sessions.table.model().rowCount() == 1


def test_every_session_can_be_reached_by_scrolling(
    qtbot: QtBot, store: HistoryStore, library: Library
) -> None:
    """With more sessions than a page, scrolling the table reads older ones until the very first is listed."""
    for n in range(450):
        add(store, TODAY - timedelta(days=n // 3), hour=8 + n % 3, note=f"session {n}")
    page = make_page(qtbot, store, library)
    table = page.sessions.table
    model = table.model()
    assert model.rowCount() == 200
    assert "Scroll down for older ones" in page.sessions.footer.text()
    for _ in range(10):
        table.scrollToBottom()
        QApplication.processEvents()
    qtbot.waitUntil(lambda: model.rowCount() == 450)
    assert page.sessions.footer.text() == "450 sessions."
    notes = {model.index(row, 6).data() for row in range(450)}
    assert notes == {f"session {n}" for n in range(450)}
    qtbot.keyClicks(page.sessions.search, "session 44")
    qtbot.waitUntil(lambda: model.rowCount() == 11)  # 44 and 440-449


def test_page_fits_a_narrow_window(qtbot: QtBot, store: HistoryStore, library: Library) -> None:
    """In the narrowest window the tiles go two by two and the charts one above the other: nothing is cut off."""
    add(store, TODAY, tension=(6, 3))
    page = make_page(qtbot, store, library)
    assert page.week_tile.y() == page.tension_tile.y()  # wide: four in a row
    page.resize(520, 750)
    qtbot.waitUntil(lambda: page.week_tile.y() != page.streak_tile.y())
    assert page.content.minimumSizeHint().width() <= page.content.width() <= 520
    weekly_box, trend_box = page.weekly.parentWidget(), page.trend.parentWidget()
    assert weekly_box is not None and trend_box is not None
    assert weekly_box.y() < trend_box.y()  # stacked
    for widget in (page.sessions.search, page.sessions.routine_filter, page.sessions.export_button):
        assert widget.geometry().right() <= page.sessions.filter_bar.width()
