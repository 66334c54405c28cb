"""The progress page: week and month totals, a forgiving streak, calendar, weekly minutes, tension, sessions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Final

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from massage_guide.core import stats
from massage_guide.core.history import HistoryStore, local_now
from massage_guide.core.i18n import user_language
from massage_guide.core.library import Library
from massage_guide.core.settings import Settings
from massage_guide.ui import icons, theme
from massage_guide.ui.charts import TREND_POINTS, minutes_text
from massage_guide.ui.heat_map import HeatMapView
from massage_guide.ui.scrolling import vertical_scroll
from massage_guide.ui.session_table import SessionListView
from massage_guide.ui.tension_trend import TensionTrendView
from massage_guide.ui.weekly_minutes import WeeklyMinutesView

EMPTY_TEXT_WIDTH: Final = 560  # px, a comfortable line length for a short paragraph
WIDE_PAGE: Final = 900  # px: from here four figure tiles fit in a row without squeezing their words
CHARTS_SIDE_BY_SIDE: Final = WIDE_PAGE  # the same width fits two charts with readable axes
WEEKLY_BARS: Final = 16  # about four months of weeks: wide enough bars to read at a glance

EMPTY_TITLE: Final = "Your progress will grow here"
EMPTY_TEXT: Final = (
    "After your first routine you will see a calendar of the days you practised, your minutes each "
    "week, how your tension changed, and a list of your sessions. There is no score to keep up: "
    "every session counts, however short."
)
NO_STORE_TEXT: Final = (
    "Your session history cannot be shown right now. Nothing has been lost; the message shown when "
    "Massage Guide started says what happened and what to do."
)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


class _Tile(QFrame):
    """A small card: a caption, one big figure, a line of detail."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "panel")
        self.caption = QLabel(caption)
        self.caption.setProperty("role", "muted")
        self.value = QLabel()
        self.value.setProperty("role", "heading")
        self.detail = QLabel()
        self.detail.setProperty("role", "muted")
        self.detail.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(
            2 * theme.SPACE, theme.SPACE * 3 // 2, 2 * theme.SPACE, theme.SPACE * 3 // 2
        )
        layout.setSpacing(theme.SPACE // 2)
        layout.addWidget(self.caption)
        layout.addWidget(self.value)
        layout.addWidget(self.detail)
        layout.addStretch(1)
        self.setAccessibleName(caption)

    def show_figures(self, value: str, detail: str) -> None:
        self.value.setText(value)
        self.detail.setText(detail)
        self.setAccessibleDescription(f"{value}. {detail}")


def _panel(heading: str, body: QWidget, note: QLabel | None = None) -> QFrame:
    frame = QFrame()
    frame.setProperty("role", "panel")
    title = QLabel(heading)
    title.setProperty("role", "heading")
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(2 * theme.SPACE, 2 * theme.SPACE, 2 * theme.SPACE, 2 * theme.SPACE)
    layout.setSpacing(theme.SPACE)
    row = QHBoxLayout()
    row.addWidget(title)
    row.addStretch(1)
    if note is not None:
        row.addWidget(note)
    layout.addLayout(row)
    layout.addWidget(body)
    return frame


class ProgressPage(QWidget):
    """Shows the history; reads the store only through its aggregate queries and a limited list."""

    def __init__(self, parent: QWidget | None = None, *, today: Callable[[], date] | None = None) -> None:
        super().__init__(parent)
        self._today = today or (lambda: local_now().date())
        self._store: HistoryStore | None = None
        self._library = Library(routines={})
        self._settings = Settings()
        self._language = "en"

        title = QLabel("Progress")
        title.setProperty("role", "title")
        title.setAccessibleName("Progress")

        # Empty state: what will appear here, said kindly.
        self.empty_state = QFrame()
        self.empty_state.setProperty("role", "panel")
        empty_icon = QLabel()
        empty_icon.setPixmap(icons.icon("progress", theme.current().accent, size=48).pixmap(48, 48))
        empty_icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_title = QLabel(EMPTY_TITLE)
        self.empty_title.setProperty("role", "heading")
        self.empty_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_text = QLabel(EMPTY_TEXT)
        self.empty_text.setWordWrap(True)
        self.empty_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_text.setProperty("role", "muted")
        # A fixed width: a wrapped, centred label in a box layout otherwise gets too little height.
        self.empty_text.setFixedWidth(EMPTY_TEXT_WIDTH)
        empty_layout = QVBoxLayout(self.empty_state)
        empty_layout.setContentsMargins(4 * theme.SPACE, 5 * theme.SPACE, 4 * theme.SPACE, 5 * theme.SPACE)
        empty_layout.setSpacing(2 * theme.SPACE)
        empty_layout.addWidget(empty_icon)
        empty_layout.addWidget(self.empty_title)
        empty_layout.addWidget(self.empty_text, 0, Qt.AlignmentFlag.AlignHCenter)

        # Figures.
        self.week_tile = _Tile("This week")
        self.month_tile = _Tile("This month")
        self.streak_tile = _Tile("Streak")
        self.tension_tile = _Tile("Tension")
        # Grids re-arranged to the width (see resizeEvent): four tiles in a row or two by two, the two
        # charts side by side or one above the other, so the page fits a narrow window.
        tiles = QGridLayout()
        tiles.setSpacing(2 * theme.SPACE)
        self._tiles = tiles
        # Break reminders (issue 12): shown once there has been a prompt this week.
        self.breaks_tile = _Tile("Breaks this week")
        self.breaks_tile.hide()

        self.heat_map = HeatMapView()
        self.weekly = WeeklyMinutesView()
        self.trend = TensionTrendView()
        self.sessions = SessionListView()
        heat_note = QLabel("Hover a day to see its minutes")
        heat_note.setProperty("role", "muted")

        charts = QGridLayout()
        charts.setSpacing(2 * theme.SPACE)
        self._charts = charts
        self._chart_panels = (
            _panel("Minutes per week", self.weekly),
            _panel("Tension before and after", self.trend),
        )
        self._columns = 0
        self._arrange(WIDE_PAGE)

        self.content = QWidget()
        # The breaks tile joins the grid only when there is something to show: parented now, so showing it
        # later never makes a window of it.
        self.breaks_tile.setParent(self.content)
        content_layout = QVBoxLayout(self.content)
        content_layout.setContentsMargins(0, 0, 0, 0)
        content_layout.setSpacing(2 * theme.SPACE)
        content_layout.addLayout(tiles)
        content_layout.addWidget(_panel("The last six months", self.heat_map, heat_note))
        content_layout.addLayout(charts)
        content_layout.addWidget(self.sessions)

        inner = QWidget()
        inner_layout = QVBoxLayout(inner)
        inner_layout.setContentsMargins(3 * theme.SPACE, 3 * theme.SPACE, 3 * theme.SPACE, 3 * theme.SPACE)
        inner_layout.setSpacing(2 * theme.SPACE)
        inner_layout.addWidget(title)
        inner_layout.addWidget(self.empty_state)
        inner_layout.addWidget(self.content)
        inner_layout.addStretch(1)

        scroll = vertical_scroll(inner)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

        self.content.hide()

    def _arrange(self, width: int, *, force: bool = False) -> None:
        """Tiles in one row and charts side by side in a wide page; two across and stacked in a narrow one."""
        tiles = [self.week_tile, self.month_tile, self.streak_tile, self.tension_tile, self.breaks_tile]
        # Left out only when hidden on purpose (streaks turned off, no break prompts): before the page is
        # first shown every tile reads as hidden.
        shown = [
            tile
            for tile in tiles
            if not (tile.isHidden() and tile.testAttribute(Qt.WidgetAttribute.WA_WState_ExplicitShowHide))
        ]
        columns = len(shown) if width >= WIDE_PAGE else 2
        if columns == self._columns and not force:
            return
        self._columns = columns
        for tile in tiles:
            self._tiles.removeWidget(tile)
        for index, tile in enumerate(shown):
            self._tiles.addWidget(tile, index // columns, index % columns)
        for column in range(len(tiles)):
            self._tiles.setColumnStretch(column, 1 if column < columns else 0)
        for index, panel in enumerate(self._chart_panels):
            row, column = (0, index) if width >= CHARTS_SIDE_BY_SIDE else (index, 0)
            self._charts.addWidget(panel, row, column)
        side_by_side = width >= CHARTS_SIDE_BY_SIDE
        self._charts.setColumnStretch(0, 1)
        self._charts.setColumnStretch(1, 1 if side_by_side else 0)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._arrange(event.size().width())
        super().resizeEvent(event)

    def set_data(self, store: HistoryStore | None, library: Library, settings: Settings) -> None:
        """Take the history (None when it could not be opened), the library for titles, the settings."""
        self._store = store
        self._library = library
        self._settings = settings
        self._language = user_language(settings.language)
        self.refresh()

    def refresh(self) -> None:
        """Read the figures again (after a session, an import or a settings change)."""
        store = self._store
        if store is None:
            self._show_empty("Progress is resting", NO_STORE_TEXT)
            return
        days = store.daily_totals()
        if not days:
            self._show_empty(EMPTY_TITLE, EMPTY_TEXT)
            self.sessions.set_source(store, self._library, language=self._language)
            return
        self.empty_state.hide()
        self.content.show()
        today = self._today()

        week = stats.week_bounds(today)
        month = stats.month_bounds(today)
        week_totals = stats.period_totals(store.routine_totals(*week), *week)
        month_totals = stats.period_totals(store.routine_totals(*month), *month)
        self.week_tile.show_figures(
            minutes_text(week_totals.minutes).capitalize(), _plural(week_totals.sessions, "session")
        )
        self.month_tile.show_figures(
            minutes_text(month_totals.minutes).capitalize(), _plural(month_totals.sessions, "session")
        )
        self._show_streak([d.day for d in days if d.counts_for_streak], today)
        self._show_tension(store)
        self._show_breaks(store, week)
        self._arrange(self.width(), force=True)  # the streak and breaks tiles come and go

        start = stats.heat_map_start(today)
        self.heat_map.set_days([(d.day, d.seconds, d.sessions) for d in days if d.day >= start], today)
        first_week = today - timedelta(days=today.weekday() + 7 * (WEEKLY_BARS - 1))
        self.weekly.set_weeks(stats.weekly_minutes(days, first_week, today))
        self.trend.set_points(store.latest_tension_pairs(TREND_POINTS, since=start))
        self.sessions.set_source(store, self._library, language=self._language)

    def _show_empty(self, heading: str, text: str) -> None:
        self.empty_title.setText(heading)
        self.empty_text.setText(text)
        self.empty_text.setMinimumHeight(self.empty_text.heightForWidth(EMPTY_TEXT_WIDTH))
        self.content.hide()
        self.empty_state.show()

    def _show_streak(self, days: list[date], today: date) -> None:
        if not self._settings.show_streaks:
            self.streak_tile.hide()
            return
        self.streak_tile.show()
        rest = self._settings.streak_rest_days_per_week
        figures = stats.streaks(days, today, rest)
        if rest == 0:
            forgiving = "Every day counts toward it."
        else:
            verb = "keeps" if figures.rest_days_per_week == 1 else "keep"
            forgiving = f"{_plural(figures.rest_days_per_week, 'rest day')} a week {verb} it going."
        if figures.current > 0:
            value = _plural(figures.current, "day")
            detail = f"Best: {_plural(figures.best, 'day')}. {forgiving}"
        else:
            value = "Ready when you are"
            detail = "Your next session starts a new streak."
            if figures.best:
                detail += f" Best so far: {_plural(figures.best, 'day')}."
        self.streak_tile.show_figures(value, detail)

    def _show_breaks(self, store: HistoryStore, week: tuple[date, date]) -> None:
        counts = store.prompt_counts(*week)
        shown = counts.get("shown", 0)
        self.breaks_tile.setVisible(shown > 0)
        if shown:
            self.breaks_tile.show_figures(
                _plural(counts.get("started", 0), "break"), f"Taken, of {_plural(shown, 'reminder')}."
            )

    def _show_tension(self, store: HistoryStore) -> None:
        rated, before, after = store.tension_summary()
        if not rated or before is None or after is None:
            self.tension_tile.show_figures("Not rated yet", "Rating it after a session is optional.")
            return
        change = after - before
        if change < -0.05:
            value = f"{-change:.1f} lower"
            detail = f"On average after a session ({_plural(rated, 'rating')})."
        elif change > 0.05:
            value = f"{change:.1f} higher"
            detail = f"On average after a session ({_plural(rated, 'rating')}). Lighter pressure may help."
        else:
            value = "About the same"
            detail = f"Before and after, on average ({_plural(rated, 'rating')})."
        self.tension_tile.show_figures(value, detail)
