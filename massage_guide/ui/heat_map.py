"""The calendar heat map of the last six months: one square a day, darker for more minutes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFocusEvent, QFontMetrics, QKeyEvent, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from massage_guide.core import formatting
from massage_guide.core.i18n import _, ngettext
from massage_guide.core.stats import HEAT_MAP_WEEKS, heat_map_start
from massage_guide.ui import theme
from massage_guide.ui.charts import (
    CELL_GAP,
    HEAT_BANDS,
    MAX_CELL,
    MIN_CELL,
    ChartView,
    blend,
)

# The weekday rows that carry a label (Monday, Wednesday, Friday): every other row, so labels never crowd.
LABELLED_ROWS: Final = (0, 2, 4)
# Keys that move the keyboard's day: columns are weeks, rows are weekdays.
_DAY_STEPS: Final = {Qt.Key.Key_Left: -7, Qt.Key.Key_Right: 7, Qt.Key.Key_Up: -1, Qt.Key.Key_Down: 1}


@dataclass(frozen=True)
class _Day:
    seconds: int
    sessions: int


@dataclass(frozen=True)
class _Grid:
    """Where the squares are: the first Monday, the grid's top-left corner and the size of a square."""

    start: date
    left: float
    top: float
    cell: float


class HeatMapView(ChartView):
    """A calendar of the last six months, one square per day, darker for more minutes.

    Columns are weeks (Monday at the top), the current week on the right; hover a day for its minutes, or
    focus the calendar and move through the days with the arrow keys (Home and End: first day and today).

    Signals: ``day_read(str)`` what the keyboard's day says, e.g. "Tue, May 14, 2024: 12 min, 2 sessions"."""

    day_read = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, weeks: int = HEAT_MAP_WEEKS) -> None:
        super().__init__(parent)
        self._weeks = weeks
        self._today = date.today()
        self._days: dict[date, _Day] = {}
        self._weekdays = formatting.weekday_names()
        self._left_for: tuple[str, int] = ("", 0)  # (font, the weekday labels' column width)
        self._chosen: date | None = None  # the keyboard's day, once the calendar has had focus
        self.setAccessibleName(_("Calendar of the days you practised"))
        # Hovering is no way for a keyboard: focused, the arrow keys read the days out one by one.
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def sizeHint(self) -> QSize:
        return QSize(self._left() + self._weeks * 22, self.heightForWidth(self._left() + self._weeks * 22))

    def minimumSizeHint(self) -> QSize:
        return QSize(self._left() + self._weeks * 10, self.heightForWidth(self._left() + self._weeks * 10))

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return round(self._top() + 7 * self._cell_for(width) + self._legend_height())

    def set_days(self, days: Sequence[tuple[date, int, int]], today: date) -> None:
        """``days`` holds (local day, active seconds, sessions); days outside the calendar are ignored."""
        self._today = today
        start = self.start()
        if self._chosen is not None:
            self._chosen = min(max(self._chosen, start), today)
        self._days = {
            day: _Day(seconds, sessions) for day, seconds, sessions in days if start <= day <= today
        }
        active = len(self._days)
        total = sum(d.seconds for d in self._days.values()) / 60
        self.setAccessibleDescription(
            ngettext(
                "{count} day with a session in the last six months, {minutes} in all.",
                "{count} days with a session in the last six months, {minutes} in all.",
                active,
            ).format(count=formatting.number(active), minutes=formatting.time_spent(total))
        )
        if self._chosen is not None:  # what the keyboard's day says may have changed with the figures
            self.day_read.emit(self.tooltip_for(self._chosen))
        self.update()

    def start(self) -> date:
        """The Monday the calendar begins on."""
        return heat_map_start(self._today, self._weeks)

    # -- the keyboard's day

    def chosen_day(self) -> date | None:
        """The day the arrow keys are on, or None before the calendar had focus."""
        return self._chosen

    def choose_day(self, day: date) -> None:
        """Put the keyboard on ``day`` (kept within the calendar) and say what it holds."""
        self._chosen = min(max(day, self.start()), self._today)
        self.day_read.emit(self.tooltip_for(self._chosen))
        self.update()

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.choose_day(self._chosen or self._today)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.update()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = Qt.Key(event.key())
        day = self._chosen or self._today
        if key in _DAY_STEPS:
            self.choose_day(day + timedelta(days=_DAY_STEPS[key]))
        elif key == Qt.Key.Key_Home:
            self.choose_day(self.start())
        elif key == Qt.Key.Key_End:
            self.choose_day(self._today)
        else:
            super().keyPressEvent(event)

    # -- geometry

    def _left(self) -> int:
        font = theme.font(0.8)
        key = font.key()
        if self._left_for[0] != key:  # measured once per text size: every cell's geometry asks
            metrics = QFontMetrics(font)
            widest = max(metrics.horizontalAdvance(self._weekdays[row]) for row in LABELLED_ROWS)
            self._left_for = (key, widest + 10)
        return self._left_for[1]

    def _top(self) -> int:
        return QFontMetrics(theme.font(0.8)).height() + 6

    def _legend_height(self) -> int:
        return QFontMetrics(theme.font(0.8)).height() + 12

    def _cell_for(self, width: int) -> float:
        return max(MIN_CELL, min((width - self._left()) / self._weeks, MAX_CELL))

    def _cell(self) -> float:
        height = (self.height() - self._top() - self._legend_height()) / 7
        return max(MIN_CELL, min(self._cell_for(self.width()), height))

    def _grid(self) -> _Grid:
        return _Grid(self.start(), float(self._left()), float(self._top()), self._cell())

    def _rect(self, day: date, grid: _Grid | None = None) -> QRectF:
        """The square of ``day``; a painter measuring 180 squares passes the ``grid`` it measured once."""
        found = grid or self._grid()
        column, row = divmod((day - found.start).days, 7)
        cell = found.cell
        return QRectF(found.left + column * cell, found.top + row * cell, cell - CELL_GAP, cell - CELL_GAP)

    def day_at(self, pos: QPointF) -> date | None:
        """The calendar day under ``pos``, or None (outside the grid or after today)."""
        cell = self._cell()
        column = int((pos.x() - self._left()) // cell)
        row = int((pos.y() - self._top()) // cell)
        if (
            not (0 <= column < self._weeks and 0 <= row < 7)
            or pos.x() < self._left()
            or pos.y() < self._top()
        ):
            return None
        day = self.start() + timedelta(days=column * 7 + row)
        return day if day <= self._today else None

    def day_center(self, day: date) -> QPointF:
        return self._rect(day).center()

    def tooltip_for(self, day: date) -> str:
        """What hovering a day says, e.g. "Tue, May 14, 2024: 12 min, 2 sessions"."""
        found = self._days.get(day)
        when = formatting.weekday_date(day)
        if found is None or found.sessions == 0:
            return _("{day}: no session").format(day=when)
        return ngettext(
            "{day}: {minutes}, {count} session", "{day}: {minutes}, {count} sessions", found.sessions
        ).format(
            day=when,
            minutes=formatting.time_spent(found.seconds / 60),
            count=formatting.number(found.sessions),
        )

    def tooltip_at(self, pos: QPointF) -> str | None:
        day = self.day_at(pos)
        return None if day is None else self.tooltip_for(day)

    @staticmethod
    def level(minutes: float) -> int:
        """0 for no time, then 1-4 through HEAT_BANDS."""
        if minutes <= 0:
            return 0
        return 1 + sum(minutes >= band for band in HEAT_BANDS)

    def _colour(self, level: int) -> QColor:
        p = theme.current()
        if level == 0:
            return QColor(p.surface_alt)
        return blend(p.accent_soft, p.accent, (level - 1) / 3)

    # -- painting

    def paintEvent(self, event: QPaintEvent) -> None:
        p = theme.current()
        painter = self._painter()
        small = theme.font(0.8)
        painter.setFont(small)
        metrics = QFontMetrics(small)
        grid = self._grid()
        cell, left, top, start = grid.cell, grid.left, grid.top, grid.start
        radius = max(2.0, cell / 5)

        painter.setPen(QColor(p.muted))
        names = self._weekdays
        for row in LABELLED_ROWS:
            y = top + row * cell
            painter.drawText(
                QRectF(0, y, left - 6, cell - CELL_GAP),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                names[row],
            )
        last_label_x = -1e9
        for column in range(self._weeks):
            monday = start + timedelta(days=7 * column)
            first = next(
                (monday + timedelta(days=i) for i in range(7) if (monday + timedelta(days=i)).day == 1), None
            )
            if column == 0:
                first = monday
            if first is None:
                continue
            x = left + column * cell
            label = formatting.month_abbreviated(first)
            if x - last_label_x < metrics.horizontalAdvance(label) + 8:
                continue
            painter.drawText(QPointF(x, metrics.ascent() + 1), label)
            last_label_x = x

        painter.setPen(Qt.PenStyle.NoPen)
        # One path per colour, filled once: six fills instead of 180 separate rounded rectangles (a third
        # of the page's paint time on a slow machine).
        shapes: dict[int, QPainterPath] = {}
        day = start
        while day <= self._today:
            found = self._days.get(day)
            level = self.level(found.seconds / 60 if found else 0)
            shapes.setdefault(level, QPainterPath()).addRoundedRect(self._rect(day, grid), radius, radius)
            day += timedelta(days=1)
        for level, shape in sorted(shapes.items()):
            painter.fillPath(shape, self._colour(level))
        # Today gets a thin ring so the eye finds "now" at once.
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(QColor(p.text), 1.4))
        painter.drawRoundedRect(self._rect(self._today, grid).adjusted(-0.5, -0.5, 0.5, 0.5), radius, radius)
        if self.hasFocus() and self._chosen is not None:
            # The keyboard's day: a ring in the focus colour, thicker than today's.
            painter.setPen(QPen(QColor(p.focus), 2.5))
            painter.drawRoundedRect(
                self._rect(self._chosen, grid).adjusted(-1.5, -1.5, 1.5, 1.5), radius, radius
            )

        # Legend, bottom right: less ... more, with the minute bands spelled out in the tooltip.
        legend_cell = min(cell - CELL_GAP, 14.0)
        y = top + 7 * cell + 6
        more = _("More")
        x = left + self._weeks * cell - CELL_GAP - metrics.horizontalAdvance(more)
        painter.setPen(QColor(p.muted))
        painter.drawText(QPointF(x, y + metrics.ascent()), more)
        x -= 6 + 5 * (legend_cell + CELL_GAP)
        painter.setPen(Qt.PenStyle.NoPen)
        for level in range(5):
            painter.setBrush(self._colour(level))
            painter.drawRoundedRect(
                QRectF(x + level * (legend_cell + CELL_GAP), y + 1, legend_cell, legend_cell), radius, radius
            )
        less = _("Less")
        painter.setPen(QColor(p.muted))
        painter.drawText(QPointF(x - 6 - metrics.horizontalAdvance(less), y + metrics.ascent()), less)
        painter.end()
