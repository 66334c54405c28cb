"""The progress charts: what the heat map, weekly bars and tension trend show and say on hover."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QEvent, QPoint
from PySide6.QtGui import QColor, QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip
from pytestqt.qtbot import QtBot

from massage_guide.core.history import TensionPair
from massage_guide.ui import theme
from massage_guide.ui.heat_map import HeatMapView
from massage_guide.ui.tension_trend import TensionTrendView
from massage_guide.ui.weekly_minutes import WeeklyMinutesView

TODAY = date(2024, 5, 15)  # a Wednesday


@pytest.fixture(autouse=True)
def light_theme(qapp: QApplication) -> None:
    theme.apply(qapp, "light")


def _pixel(widget: HeatMapView | WeeklyMinutesView, x: float, y: float) -> str:
    return QColor(widget.grab().toImage().pixel(round(x), round(y))).name()


def _hover(widget: HeatMapView | WeeklyMinutesView | TensionTrendView, x: float, y: float) -> str:
    pos = QPoint(round(x), round(y))
    QApplication.sendEvent(widget, QHelpEvent(QEvent.Type.ToolTip, pos, widget.mapToGlobal(pos)))
    return QToolTip.text()


def test_heat_map_hover_says_the_days_minutes_and_sessions(qtbot: QtBot) -> None:
    """Hovering a day in the calendar shows that day's minutes and sessions as a tooltip."""
    view = HeatMapView()
    qtbot.addWidget(view)
    view.resize(700, view.heightForWidth(700))
    view.show()
    day = TODAY - timedelta(days=3)
    view.set_days([(day, 750, 2)], TODAY)
    centre = view.day_center(day)
    assert _hover(view, centre.x(), centre.y()) == "Sun, May 12, 2024: 12 min, 2 sessions"
    quiet = view.day_center(TODAY - timedelta(days=1))
    assert _hover(view, quiet.x(), quiet.y()) == "Tue, May 14, 2024: no session"


def test_heat_map_has_no_days_after_today_or_outside_six_months(qtbot: QtBot) -> None:
    """The calendar covers 26 whole weeks ending this week and nothing after today."""
    view = HeatMapView()
    qtbot.addWidget(view)
    view.resize(700, view.heightForWidth(700))
    view.set_days([(TODAY - timedelta(days=400), 600, 1)], TODAY)
    assert view.start() == date(2023, 11, 20)  # a Monday, 25 weeks before this week's Monday
    assert view.start().weekday() == 0
    tomorrow = view.day_center(TODAY + timedelta(days=1))
    assert view.day_at(tomorrow) is None
    assert "no session" in view.tooltip_for(view.start())
    assert view.accessibleDescription().startswith("0 days with a session")


def test_heat_map_colours_follow_minutes_and_the_current_theme(qtbot: QtBot, qapp: QApplication) -> None:
    """A long day is drawn in the accent colour, an empty day in the track colour, from the live palette."""
    view = HeatMapView()
    qtbot.addWidget(view)
    view.resize(700, view.heightForWidth(700))
    long_day, empty_day = TODAY - timedelta(days=7), TODAY - timedelta(days=8)
    view.set_days([(long_day, 45 * 60, 1)], TODAY)
    assert [HeatMapView.level(m) for m in (0, 3, 10, 20, 45)] == [0, 1, 2, 3, 4]
    full, empty = view.day_center(long_day), view.day_center(empty_day)
    assert _pixel(view, full.x(), full.y()) == theme.LIGHT.accent
    assert _pixel(view, empty.x(), empty.y()) == theme.LIGHT.surface_alt
    theme.apply(qapp, "night")
    assert _pixel(view, full.x(), full.y()) == theme.NIGHT.accent


def test_weekly_bars_show_minutes_and_hover_names_the_week(qtbot: QtBot) -> None:
    """Each week's bar rises with its minutes; hovering it says the week and the minutes."""
    view = WeeklyMinutesView()
    qtbot.addWidget(view)
    view.resize(400, 190)
    view.show()
    weeks = [(date(2024, 4, 29), 0.0), (date(2024, 5, 6), 35.0), (date(2024, 5, 13), 12.4)]
    view.set_weeks(weeks)
    middle = view.bar_center(1)
    assert _hover(view, middle.x(), middle.y()) == "Week of May 6: 35 min"
    assert view.tooltip_for(0) == "Week of Apr 29: no time"
    bottom = view._bar(1).bottomLeft()
    assert _pixel(view, middle.x(), bottom.y() - 3) != _pixel(view, view.bar_center(0).x(), bottom.y() - 3)
    assert view.accessibleDescription() == "This week: 12 min."


def test_tension_trend_empty_state_then_points_with_tooltips(qtbot: QtBot) -> None:
    """With no ratings the trend explains itself; with ratings each point tells before and after."""
    view = TensionTrendView()
    qtbot.addWidget(view)
    view.resize(400, 190)
    view.show()
    view.set_points([])
    assert "Rate your tension" in view.accessibleDescription()
    pairs = [TensionPair(f"2024-05-{day:02d}T18:00:00+02:00", 7, 3) for day in range(1, 41 - 9)]
    pairs.append(TensionPair("2024-06-01T18:00:00+02:00", 6, 2))
    view.set_points(pairs)
    last = view.point_position(29, 2)  # only the latest 30 are drawn
    assert _hover(view, last.x(), last.y()) == "Jun 1: tension 6 before, 2 after"
    assert "before" in view.accessibleDescription()
