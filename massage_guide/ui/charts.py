"""Progress charts painted with QPainter in the palette: calendar heat map, minutes per week, tension trend."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Final

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QHelpEvent, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from massage_guide.core.history import TensionPair
from massage_guide.ui import theme

HEAT_WEEKS: Final = 26  # about six months, whole weeks (matches core.stats.HEAT_MAP_WEEKS)
# Fixed minute bands rather than quantiles: a 10-minute day looks the same in every month, so the
# calendar never makes an ordinary day look poor next to an unusually long one.
HEAT_BANDS: Final = (5.0, 15.0, 30.0)  # minutes: below 5, 5-15, 15-30, 30 and more
CELL_GAP: Final = 3  # px between heat-map cells
MIN_CELL: Final = 8.0  # px; smaller squares cannot be told apart or hovered
MAX_CELL: Final = 30.0  # px; larger ones turn a calendar into a chequerboard
TREND_POINTS: Final = 30  # the most recent rated sessions the trend shows; more turns into noise
HIT_RADIUS: Final = 12  # px around a trend point or bar that shows its tooltip
PAST_WEEK_OPACITY: Final = 0.6

_WEEKDAYS: Final = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _blend(low: str, high: str, amount: float) -> QColor:
    a, b = QColor(low), QColor(high)
    t = max(0.0, min(1.0, amount))
    return QColor(
        round(a.red() + (b.red() - a.red()) * t),
        round(a.green() + (b.green() - a.green()) * t),
        round(a.blue() + (b.blue() - a.blue()) * t),
    )


def minutes_text(minutes: float) -> str:
    """Minutes as a person says them: "no time", "under a minute", "12 min", "1 h 05 min"."""
    if minutes <= 0:
        return "no time"
    if minutes < 1:
        return "under a minute"
    whole = round(minutes)
    if whole < 60:
        return f"{whole} min"
    return f"{whole // 60} h {whole % 60:02d} min"


def day_text(day: date) -> str:
    return f"{_WEEKDAYS[day.weekday()]} {day.day} {day.strftime('%b')} {day.year}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


class _Chart(QWidget):
    """Shared set-up: expands sideways, has a minimum height, shows tooltips from ``tooltip_at``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMouseTracking(True)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, False)

    def tooltip_at(self, pos: QPointF) -> str | None:  # pragma: no cover - overridden
        return None

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            text = self.tooltip_at(QPointF(event.pos()))
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def _painter(self) -> QPainter:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        return painter


@dataclass(frozen=True)
class _Day:
    seconds: int
    sessions: int


class HeatMapView(_Chart):
    """A calendar of the last six months, one square per day, darker for more minutes.

    Columns are weeks (Monday at the top), the current week on the right; hover a day for its minutes."""

    def __init__(self, parent: QWidget | None = None, *, weeks: int = HEAT_WEEKS) -> None:
        super().__init__(parent)
        self._weeks = weeks
        self._today = date.today()
        self._days: dict[date, _Day] = {}
        self.setAccessibleName("Calendar of the days you practised")
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
        self._days = {
            day: _Day(seconds, sessions) for day, seconds, sessions in days if start <= day <= today
        }
        active = len(self._days)
        total = sum(d.seconds for d in self._days.values()) / 60
        self.setAccessibleDescription(
            f"{_plural(active, 'day')} with a session in the last six months, {minutes_text(total)} in all."
        )
        self.update()

    def start(self) -> date:
        """The Monday the calendar begins on."""
        monday = self._today - timedelta(days=self._today.weekday())
        return monday - timedelta(days=7 * (self._weeks - 1))

    # -- geometry

    def _left(self) -> int:
        return QFontMetrics(theme.font(0.8)).horizontalAdvance("Wed") + 10

    def _top(self) -> int:
        return QFontMetrics(theme.font(0.8)).height() + 6

    def _legend_height(self) -> int:
        return QFontMetrics(theme.font(0.8)).height() + 12

    def _cell_for(self, width: int) -> float:
        return max(MIN_CELL, min((width - self._left()) / self._weeks, MAX_CELL))

    def _cell(self) -> float:
        height = (self.height() - self._top() - self._legend_height()) / 7
        return max(MIN_CELL, min(self._cell_for(self.width()), height))

    def _rect(self, day: date) -> QRectF:
        offset = (day - self.start()).days
        cell = self._cell()
        column, row = divmod(offset, 7)
        return QRectF(
            self._left() + column * cell, self._top() + row * cell, cell - CELL_GAP, cell - CELL_GAP
        )

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
        """What hovering a day says, e.g. "Tue 14 May 2024: 12 min, 2 sessions"."""
        found = self._days.get(day)
        if found is None or found.sessions == 0:
            return f"{day_text(day)}: no session"
        return f"{day_text(day)}: {minutes_text(found.seconds / 60)}, {_plural(found.sessions, 'session')}"

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
        return _blend(p.accent_soft, p.accent, (level - 1) / 3)

    # -- painting

    def paintEvent(self, event: QPaintEvent) -> None:
        p = theme.current()
        painter = self._painter()
        small = theme.font(0.8)
        painter.setFont(small)
        metrics = QFontMetrics(small)
        cell = self._cell()
        radius = max(2.0, cell / 5)
        start = self.start()

        painter.setPen(QColor(p.muted))
        for row in (0, 2, 4):
            y = self._top() + row * cell
            painter.drawText(
                QRectF(0, y, self._left() - 6, cell - CELL_GAP),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                _WEEKDAYS[row],
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
            x = self._left() + column * cell
            label = first.strftime("%b")
            if x - last_label_x < metrics.horizontalAdvance(label) + 8:
                continue
            painter.drawText(QPointF(x, metrics.ascent() + 1), label)
            last_label_x = x

        painter.setPen(Qt.PenStyle.NoPen)
        day = start
        while day <= self._today:
            found = self._days.get(day)
            level = self.level(found.seconds / 60 if found else 0)
            painter.setBrush(self._colour(level))
            painter.drawRoundedRect(self._rect(day), radius, radius)
            day += timedelta(days=1)
        # Today gets a thin ring so the eye finds "now" at once.
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(QColor(p.text), 1.4))
        painter.drawRoundedRect(self._rect(self._today).adjusted(-0.5, -0.5, 0.5, 0.5), radius, radius)

        # Legend, bottom right: less ... more, with the minute bands spelled out in the tooltip.
        legend_cell = min(cell - CELL_GAP, 14.0)
        y = self._top() + 7 * cell + 6
        more = "More"
        x = self._left() + self._weeks * cell - CELL_GAP - metrics.horizontalAdvance(more)
        painter.setPen(QColor(p.muted))
        painter.drawText(QPointF(x, y + metrics.ascent()), more)
        x -= 6 + 5 * (legend_cell + CELL_GAP)
        painter.setPen(Qt.PenStyle.NoPen)
        for level in range(5):
            painter.setBrush(self._colour(level))
            painter.drawRoundedRect(
                QRectF(x + level * (legend_cell + CELL_GAP), y + 1, legend_cell, legend_cell), radius, radius
            )
        less = "Less"
        painter.setPen(QColor(p.muted))
        painter.drawText(QPointF(x - 6 - metrics.horizontalAdvance(less), y + metrics.ascent()), less)
        painter.end()


class WeeklyMinutesView(_Chart):
    """Minutes per week as soft bars, this week on the right; hover a bar for its figure."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._weeks: list[tuple[date, float]] = []
        self.setAccessibleName("Minutes per week")
        self.setMinimumHeight(170)

    def sizeHint(self) -> QSize:
        return QSize(360, 190)

    def set_weeks(self, weeks: Sequence[tuple[date, float]]) -> None:
        """(Monday, minutes) per week, oldest first."""
        self._weeks = list(weeks)
        if self._weeks:
            latest = self._weeks[-1][1]
            self.setAccessibleDescription(f"This week: {minutes_text(latest)}.")
        self.update()

    def _plot(self) -> QRectF:
        metrics = QFontMetrics(theme.font(0.8))
        left = metrics.horizontalAdvance("000 min") + 8
        return QRectF(
            left, metrics.height() + 4, self.width() - left - 4, self.height() - 2 * metrics.height() - 12
        )

    def _scale_max(self) -> float:
        peak = max((m for _, m in self._weeks), default=0.0)
        # Round the axis up to a friendly number so the top line reads "30 min", not "27.4 min".
        for step in (10, 15, 30, 60, 90, 120, 180, 240, 360, 480, 600, 900, 1200):
            if peak <= step:
                return float(step)
        return float((int(peak) // 600 + 1) * 600)

    def _bar(self, index: int) -> QRectF:
        plot = self._plot()
        slot = plot.width() / max(1, len(self._weeks))
        width = max(2.0, slot * 0.62)
        minutes = self._weeks[index][1]
        height = plot.height() * minutes / self._scale_max()
        x = plot.left() + index * slot + (slot - width) / 2
        return QRectF(x, plot.bottom() - height, width, height)

    def index_at(self, pos: QPointF) -> int | None:
        plot = self._plot()
        if not self._weeks or not plot.left() <= pos.x() <= plot.right():
            return None
        slot = plot.width() / len(self._weeks)
        index = int((pos.x() - plot.left()) // slot)
        return index if 0 <= index < len(self._weeks) else None

    def tooltip_for(self, index: int) -> str:
        monday, minutes = self._weeks[index]
        return f"Week of {monday.day} {monday.strftime('%b')}: {minutes_text(minutes)}"

    def tooltip_at(self, pos: QPointF) -> str | None:
        index = self.index_at(pos)
        return None if index is None else self.tooltip_for(index)

    def bar_center(self, index: int) -> QPointF:
        bar = self._bar(index)
        return QPointF(bar.center().x(), self._plot().center().y())

    def paintEvent(self, event: QPaintEvent) -> None:
        p = theme.current()
        painter = self._painter()
        small = theme.font(0.8)
        painter.setFont(small)
        metrics = QFontMetrics(small)
        plot = self._plot()
        top = self._scale_max()

        painter.setPen(QPen(QColor(p.border), 1, Qt.PenStyle.DashLine))
        for fraction in (0.5, 1.0):
            y = plot.bottom() - plot.height() * fraction
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
        painter.setPen(QPen(QColor(p.border), 1))
        painter.drawLine(QPointF(plot.left(), plot.bottom()), QPointF(plot.right(), plot.bottom()))
        painter.setPen(QColor(p.muted))
        for fraction in (0.5, 1.0):
            y = plot.bottom() - plot.height() * fraction
            painter.drawText(
                QRectF(0, y - metrics.height() / 2, plot.left() - 6, metrics.height()),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                f"{round(top * fraction)} min",
            )

        painter.setPen(Qt.PenStyle.NoPen)
        last = len(self._weeks) - 1
        for index, (_, minutes) in enumerate(self._weeks):
            if minutes <= 0:
                continue
            bar = self._bar(index)
            painter.setBrush(QColor(p.accent))
            # Past weeks a little softer, so this week stands out without shouting.
            painter.setOpacity(1.0 if index == last else PAST_WEEK_OPACITY)
            path = QPainterPath()
            radius = min(4.0, bar.width() / 2, bar.height())
            path.addRoundedRect(bar.adjusted(0, 0, 0, radius), radius, radius)
            painter.setClipRect(QRectF(plot.left(), plot.top() - 1, plot.width(), plot.height() + 1))
            painter.drawPath(path)
            painter.setClipping(False)
            painter.setOpacity(1.0)

        painter.setPen(QColor(p.muted))
        last_x = -1e9
        for index, (monday, _) in enumerate(self._weeks):
            label = f"{monday.day} {monday.strftime('%b')}"
            x = self._bar(index).center().x()
            width = metrics.horizontalAdvance(label)
            if index != last and x - last_x < width * 2.2:
                continue
            if index == last and x - last_x < width + 8:
                continue
            left = min(max(0.0, x - width / 2 - 2), self.width() - width - 4)
            painter.drawText(
                QRectF(left, plot.bottom() + 4, width + 4, metrics.height()),
                Qt.AlignmentFlag.AlignCenter,
                label,
            )
            last_x = x
        painter.end()


class TensionTrendView(_Chart):
    """Tension before (warm) and after (accent) for the latest rated sessions, 0 at the bottom."""

    EMPTY_TEXT: Final = "Rate your tension before and after a session, and how it changes will show here."

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._points: list[TensionPair] = []
        self.setAccessibleName("Tension before and after your sessions")
        self.setMinimumHeight(170)

    def sizeHint(self) -> QSize:
        return QSize(360, 190)

    def set_points(self, points: Sequence[TensionPair]) -> None:
        """Rated sessions, oldest first; only the latest TREND_POINTS are drawn."""
        self._points = list(points)[-TREND_POINTS:]
        if self._points:
            before = sum(pt.before for pt in self._points) / len(self._points)
            after = sum(pt.after for pt in self._points) / len(self._points)
            self.setAccessibleDescription(
                f"Over your last {_plural(len(self._points), 'rated session')}: "
                f"{before:.1f} before, {after:.1f} after, on a scale of 0 to 10."
            )
        else:
            self.setAccessibleDescription(self.EMPTY_TEXT)
        self.update()

    def _plot(self) -> QRectF:
        metrics = QFontMetrics(theme.font(0.8))
        left = metrics.horizontalAdvance("10") + 12
        top = metrics.height() + 10  # room for the legend
        return QRectF(left, top, self.width() - left - 10, self.height() - top - 10)

    def point_position(self, index: int, value: int) -> QPointF:
        plot = self._plot()
        count = len(self._points)
        x = plot.center().x() if count == 1 else plot.left() + plot.width() * index / (count - 1)
        return QPointF(x, plot.bottom() - plot.height() * value / 10)

    def index_at(self, pos: QPointF) -> int | None:
        best: tuple[float, int] | None = None
        for index in range(len(self._points)):
            x = self.point_position(index, 0).x()
            distance = abs(x - pos.x())
            if distance <= HIT_RADIUS and (best is None or distance < best[0]):
                best = (distance, index)
        return None if best is None else best[1]

    def tooltip_for(self, index: int) -> str:
        point = self._points[index]
        try:
            when = datetime.fromisoformat(point.started_at)
            label = f"{when.day} {when.strftime('%b')}"
        except ValueError:
            label = point.started_at[:10]
        return f"{label}: tension {point.before} before, {point.after} after"

    def tooltip_at(self, pos: QPointF) -> str | None:
        index = self.index_at(pos)
        return None if index is None else self.tooltip_for(index)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = theme.current()
        painter = self._painter()
        small = theme.font(0.8)
        painter.setFont(small)
        metrics = QFontMetrics(small)
        plot = self._plot()

        if not self._points:
            painter.setPen(QColor(p.muted))
            painter.drawText(
                QRectF(self.rect()).adjusted(16, 0, -16, 0),
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                self.EMPTY_TEXT,
            )
            painter.end()
            return

        for value in (0, 5, 10):
            y = plot.bottom() - plot.height() * value / 10
            painter.setPen(
                QPen(QColor(p.border), 1, Qt.PenStyle.SolidLine if value == 0 else Qt.PenStyle.DashLine)
            )
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(QColor(p.muted))
            painter.drawText(
                QRectF(0, y - metrics.height() / 2, plot.left() - 6, metrics.height()),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                str(value),
            )

        # Before is dashed with hollow dots, after solid and filled: told apart without colour too
        # (the night palette's warm and accent are close).
        series = (
            (p.warm, [pt.before for pt in self._points], True),
            (p.accent, [pt.after for pt in self._points], False),
        )
        radius = 4.0 if len(self._points) <= 15 else 3.0
        for colour, values, dashed in series:
            positions = [self.point_position(i, value) for i, value in enumerate(values)]
            line = QPen(QColor(colour), 2.2, Qt.PenStyle.DashLine if dashed else Qt.PenStyle.SolidLine)
            line.setCapStyle(Qt.PenCapStyle.RoundCap)
            painter.setPen(line)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            if len(positions) > 1:
                path = QPainterPath(positions[0])
                for point in positions[1:]:
                    path.lineTo(point)
                painter.drawPath(path)
            painter.setPen(QPen(QColor(colour), 1.8))
            painter.setBrush(QColor(p.surface if dashed else colour))
            for point in positions:
                painter.drawEllipse(point, radius, radius)

        # Legend, top right, drawn like the series.
        x = plot.right()
        for colour, label, dashed in ((p.accent, "After", False), (p.warm, "Before", True)):
            width = metrics.horizontalAdvance(label)
            x -= width
            painter.setPen(QColor(p.muted))
            painter.drawText(QPointF(x, metrics.ascent() + 2), label)
            x -= 26
            y = metrics.height() / 2 + 2
            pen = QPen(QColor(colour), 2.0, Qt.PenStyle.DashLine if dashed else Qt.PenStyle.SolidLine)
            painter.setPen(pen)
            painter.drawLine(QPointF(x, y), QPointF(x + 20, y))
            painter.setPen(QPen(QColor(colour), 1.8))
            painter.setBrush(QColor(p.surface if dashed else colour))
            painter.drawEllipse(QPointF(x + 10, y), 3.5, 3.5)
            x -= 16
        painter.end()
