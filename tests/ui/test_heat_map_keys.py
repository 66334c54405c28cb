"""The progress calendar by keyboard: focused, the arrow keys read out one day after another, as hovering
does for a mouse, with a ring on the day."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from massage_guide.ui import theme
from massage_guide.ui.heat_map import HeatMapView
from massage_guide.ui.progress_page import ProgressPage

TODAY = date(2024, 5, 15)  # a Wednesday


@pytest.fixture(autouse=True)
def light_theme(qapp: QApplication) -> None:
    theme.apply(qapp, "light")


def _calendar(qtbot: QtBot) -> HeatMapView:
    view = HeatMapView()
    qtbot.addWidget(view)
    view.resize(700, view.heightForWidth(700))
    view.set_days([(TODAY - timedelta(days=7), 750, 2), (TODAY, 300, 1)], TODAY)
    view.show()
    qtbot.waitExposed(view)
    return view


def test_arrow_keys_walk_the_days_and_say_each_ones_minutes(qtbot: QtBot) -> None:
    """Focus starts on today; Left is a week back, Up a day back, Home the first day, End today again;
    each move says that day's minutes and sessions, and no key goes past today."""
    view = _calendar(qtbot)
    said: list[str] = []
    view.day_read.connect(said.append)
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    assert view.chosen_day() == TODAY
    assert said[-1] == "Wed, May 15, 2024: 5 min, 1 session"
    qtbot.keyClick(view, Qt.Key.Key_Left)
    assert said[-1] == "Wed, May 8, 2024: 12 min, 2 sessions"
    qtbot.keyClick(view, Qt.Key.Key_Up)
    assert said[-1] == "Tue, May 7, 2024: no session"
    qtbot.keyClick(view, Qt.Key.Key_Home)
    assert view.chosen_day() == view.start()
    qtbot.keyClick(view, Qt.Key.Key_End)
    qtbot.keyClick(view, Qt.Key.Key_Right)
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert view.chosen_day() == TODAY


def test_the_keyboards_day_has_a_ring_in_the_focus_colour(qtbot: QtBot) -> None:
    """A ring in the focus colour shows which day the keys are on, and only while the calendar has focus."""
    view = _calendar(qtbot)
    day = TODAY - timedelta(days=7)
    cell = view.day_center(TODAY - timedelta(days=6)).y() - view.day_center(day).y()
    ring_y = view.day_center(day).y() - cell / 2 - 0.5  # in the gap just above the day's square
    ring_x = view.day_center(day).x()
    focus = QColor(theme.current().focus).name()

    def at_ring() -> str:
        return QColor(view.grab().toImage().pixel(round(ring_x), round(ring_y))).name()

    assert at_ring() != focus
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    qtbot.keyClick(view, Qt.Key.Key_Left)
    assert at_ring() == focus


def test_the_progress_page_shows_the_keyboards_day_where_the_hint_was(qtbot: QtBot) -> None:
    """On the progress page the hint under the calendar names the keys, then shows the day they are on."""
    page = ProgressPage()
    qtbot.addWidget(page)
    page.resize(1100, 750)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    texts = [label.text() for label in page.findChildren(QLabel)]
    assert "Hover a day, or use the arrow keys, to see its minutes" in texts
    view = page.heat_map
    view.set_days([(TODAY - timedelta(days=7), 750, 2)], TODAY)
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    qtbot.keyClick(view, Qt.Key.Key_Left)
    assert page.heat_note.text() == "Wed, May 8, 2024: 12 min, 2 sessions"
