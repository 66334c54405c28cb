"""The progress page: week and month totals, a forgiving streak, calendar, weekly minutes, tension, sessions."""

from __future__ import annotations

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

from massage_guide.core import formatting
from massage_guide.core.i18n import N_, _, ngettext
from massage_guide.core.progress import ProgressFigures
from massage_guide.core.stats import PeriodTotals, Streaks, TensionStats
from massage_guide.ui import icons, theme
from massage_guide.ui.charts import wrapping
from massage_guide.ui.heat_map import HeatMapView
from massage_guide.ui.scrolling import vertical_scroll
from massage_guide.ui.session_table import SessionListView
from massage_guide.ui.tension_trend import TensionTrendView
from massage_guide.ui.weekly_minutes import WeeklyMinutesView

# The empty state's paragraph keeps to a comfortable line length, in characters of the page's font.
EMPTY_TEXT_CHARS: Final = 64
EMPTY_TEXT_STRETCH: Final = 100  # the paragraph takes the width it may; the stretches beside it the rest
# px at the default text size, growing with it: from here four figure tiles fit in a row without squeezing
# their words, and two charts side by side keep readable axes.
WIDE_PAGE: Final = 900
# A change in average tension smaller than this is shown as "about the same": ratings are whole numbers,
# and a twentieth of a point is noise, not a change anyone feels.
TENSION_SAME: Final = 0.05

EMPTY_TITLE: Final = N_("Your progress will grow here")
EMPTY_TEXT: Final = N_(
    "After your first routine you will see a calendar of the days you practised, your minutes each "
    "week, how your tension changed, and a list of your sessions. There is no score to keep up: "
    "every session counts, however short."
)
NO_STORE_TITLE: Final = N_("Progress is resting")
NO_STORE_TEXT: Final = N_(
    "Your session history cannot be shown right now. Nothing has been lost; the message shown when "
    "Massage Guide started says what happened and what to do."
)


def _counted(phrase: str, count: int) -> str:
    """``phrase`` (the plural form ``ngettext`` chose) with its count formatted for the language."""
    return phrase.format(count=formatting.number(count))


def _sessions(count: int) -> str:
    return _counted(ngettext("{count} session", "{count} sessions", count), count)


def _days(count: int) -> str:
    return _counted(ngettext("{count} day", "{count} days", count), count)


def _first_upper(text: str) -> str:
    """Capitalised for a heading without lowering the rest ("Min." stays "Min.")."""
    return text[:1].upper() + text[1:]


class _Tile(QFrame):
    """A small card: a caption, one big figure, a line of detail."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "panel")
        self.caption = QLabel(caption)
        self.caption.setProperty("role", "muted")
        wrapping(self.caption)
        self.value = QLabel()
        self.value.setProperty("role", "heading")
        wrapping(self.value)
        self.detail = QLabel()
        self.detail.setProperty("role", "muted")
        wrapping(self.detail)
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
    wrapping(title)
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(2 * theme.SPACE, 2 * theme.SPACE, 2 * theme.SPACE, 2 * theme.SPACE)
    layout.setSpacing(theme.SPACE)
    row = QHBoxLayout()
    row.addWidget(title, 1)
    if note is not None:
        # Half the row each, so a long note wraps to two lines rather than to a narrow column.
        note.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(note, 1)
    layout.addLayout(row)
    layout.addWidget(body)
    return frame


class ProgressPage(QWidget):
    """Shows the figures its controller hands it (``show_figures``); it reads no history itself. The
    session list (``sessions``) asks its controller for pages of sessions and for exports."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)

        title = QLabel(_("Progress"))
        title.setProperty("role", "title")
        title.setAccessibleName(_("Progress"))

        # Empty state: what will appear here, said kindly.
        self.empty_state = QFrame()
        self.empty_state.setProperty("role", "panel")
        empty_icon = QLabel()
        empty_icon.setPixmap(icons.icon("progress", theme.current().accent, size=48).pixmap(48, 48))
        empty_icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_title = QLabel(_(EMPTY_TITLE))
        self.empty_title.setProperty("role", "heading")
        self.empty_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        wrapping(self.empty_title)
        self.empty_text = QLabel(_(EMPTY_TEXT))
        wrapping(self.empty_text)
        self.empty_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_text.setProperty("role", "muted")
        # A line length in characters, not pixels: it grows with the text size and wraps any language.
        self.empty_text.setMaximumWidth(self.empty_text.fontMetrics().averageCharWidth() * EMPTY_TEXT_CHARS)
        empty_layout = QVBoxLayout(self.empty_state)
        empty_layout.setContentsMargins(4 * theme.SPACE, 5 * theme.SPACE, 4 * theme.SPACE, 5 * theme.SPACE)
        empty_layout.setSpacing(2 * theme.SPACE)
        empty_layout.addWidget(empty_icon)
        empty_layout.addWidget(self.empty_title)
        # Centred between stretches rather than by alignment, so the layout gives the wrapped text the
        # height its width needs.
        paragraph = QHBoxLayout()
        paragraph.addStretch(1)
        paragraph.addWidget(self.empty_text, EMPTY_TEXT_STRETCH)
        paragraph.addStretch(1)
        empty_layout.addLayout(paragraph)

        # Figures.
        self.week_tile = _Tile(_("This week"))
        self.month_tile = _Tile(_("This month"))
        self.streak_tile = _Tile(_("Streak"))
        self.tension_tile = _Tile(_("Tension"))
        # Grids re-arranged to the width (see resizeEvent): four tiles in a row or two by two, the two
        # charts side by side or one above the other, so the page fits a narrow window.
        tiles = QGridLayout()
        tiles.setSpacing(2 * theme.SPACE)
        self._tiles = tiles
        # Break reminders (issue 12): shown once there has been a prompt this week.
        self.breaks_tile = _Tile(_("Breaks this week"))
        self.breaks_tile.hide()

        self.heat_map = HeatMapView()
        self.weekly = WeeklyMinutesView()
        self.trend = TensionTrendView()
        self.sessions = SessionListView()
        heat_note = QLabel(_("Hover a day, or use the arrow keys, to see its minutes"))
        heat_note.setProperty("role", "muted")
        wrapping(heat_note)
        self.heat_note = heat_note
        self.heat_map.day_read.connect(heat_note.setText)  # the keyboard's day, where the hint was

        charts = QGridLayout()
        charts.setSpacing(2 * theme.SPACE)
        self._charts = charts
        self._chart_panels = (
            _panel(_("Minutes per week"), self.weekly),
            _panel(_("Tension before and after"), self.trend),
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
        content_layout.addWidget(_panel(_("The last six months"), self.heat_map, heat_note))
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
        wide = width >= WIDE_PAGE * theme.text_scale()
        columns = len(shown) if wide else 2
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
            row, column = (0, index) if wide else (index, 0)
            self._charts.addWidget(panel, row, column)
        self._charts.setColumnStretch(0, 1)
        self._charts.setColumnStretch(1, 1 if wide else 0)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._arrange(event.size().width())
        super().resizeEvent(event)

    # -- what the controller hands over

    def show_unavailable(self) -> None:
        """The history could not be opened: say so kindly, and that nothing was lost."""
        self._show_empty(_(NO_STORE_TITLE), _(NO_STORE_TEXT))

    def show_figures(self, figures: ProgressFigures) -> None:
        """Draw ``figures``: the empty state until there is a finished session, then tiles and charts."""
        if not figures.has_sessions:
            self._show_empty(_(EMPTY_TITLE), _(EMPTY_TEXT))
            return
        self.empty_state.hide()
        self.content.show()
        self._show_period(self.week_tile, figures.week)
        self._show_period(self.month_tile, figures.month)
        self._show_streak(figures.streaks)
        self._show_tension(figures.tension)
        self._show_breaks(figures.breaks_shown, figures.breaks_taken)
        self._arrange(self.width(), force=True)  # the streak and breaks tiles come and go

        self.heat_map.set_days([(d.day, d.seconds, d.sessions) for d in figures.calendar], figures.today)
        self.weekly.set_weeks(figures.weekly)
        self.trend.set_points(figures.trend)

    def _show_empty(self, heading: str, text: str) -> None:
        self.empty_title.setText(heading)
        self.empty_text.setText(text)
        self.content.hide()
        self.empty_state.show()

    @staticmethod
    def _show_period(tile: _Tile, totals: PeriodTotals) -> None:
        tile.show_figures(_first_upper(formatting.time_spent(totals.minutes)), _sessions(totals.sessions))

    def _show_streak(self, figures: Streaks | None) -> None:
        if figures is None:
            self.streak_tile.hide()
            return
        self.streak_tile.show()
        rest = figures.rest_days_per_week
        if rest == 0:
            forgiving = _("Every day counts toward it.")
        else:
            forgiving = _counted(
                ngettext(
                    "{count} rest day a week keeps it going.", "{count} rest days a week keep it going.", rest
                ),
                rest,
            )
        if figures.current > 0:
            value = _days(figures.current)
            detail = _("Best: {days}. {forgiving}").format(days=_days(figures.best), forgiving=forgiving)
        else:
            value = _("Ready when you are")
            detail = _("Your next session starts a new streak.")
            if figures.best:
                detail += " " + _("Best so far: {days}.").format(days=_days(figures.best))
        self.streak_tile.show_figures(value, detail)

    def _show_breaks(self, shown: int, taken: int) -> None:
        self.breaks_tile.setVisible(shown > 0)
        if shown:
            self.breaks_tile.show_figures(
                _counted(ngettext("{count} break", "{count} breaks", taken), taken),
                _counted(
                    ngettext("Taken, of {count} reminder.", "Taken, of {count} reminders.", shown), shown
                ),
            )

    def _show_tension(self, tension: TensionStats) -> None:
        change = tension.average_change
        if not tension.rated_sessions or change is None:
            self.tension_tile.show_figures(
                _("Not rated yet"), _("Rating it before and after a session is optional.")
            )
            return
        rated = tension.rated_sessions
        ratings = _counted(ngettext("{count} rating", "{count} ratings", rated), rated)
        if change < -TENSION_SAME:
            value = _("{change} lower").format(change=formatting.number(-change, 1))
            detail = _("On average after a session ({ratings}).").format(ratings=ratings)
        elif change > TENSION_SAME:
            value = _("{change} higher").format(change=formatting.number(change, 1))
            detail = _("On average after a session ({ratings}). Lighter pressure may help.").format(
                ratings=ratings
            )
        else:
            value = _("About the same")
            detail = _("Before and after, on average ({ratings}).").format(ratings=ratings)
        self.tension_tile.show_figures(value, detail)
