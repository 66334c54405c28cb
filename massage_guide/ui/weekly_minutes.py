"""Minutes per week as calm bars, the current week highlighted."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Final

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from massage_guide.core import formatting
from massage_guide.core.i18n import _
from massage_guide.ui import theme
from massage_guide.ui.charts import (
    PAST_WEEK_OPACITY,
    ChartView,
)

# The top of the axis is rounded up to one of these (minutes), so its line reads "30 min", not "27.4 min".
SCALE_STEPS: Final = (10, 15, 30, 60, 90, 120, 180, 240, 360, 480, 600, 900, 1200)
SCALE_BEYOND: Final = 600  # minutes: above the last step, the axis grows in steps of ten hours
AXIS_FRACTIONS: Final = (0.5, 1.0)  # grid lines, labelled, at half and the top of the axis
BAR_SHARE: Final = 0.62  # of each week's slot the bar fills: the gaps let the eye count weeks


class WeeklyMinutesView(ChartView):
    """Minutes per week as soft bars, this week on the right; hover a bar for its figure."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._weeks: list[tuple[date, float]] = []
        self._axis_labels = tuple(formatting.minutes(round(SCALE_STEPS[0] * f)) for f in AXIS_FRACTIONS)
        self._week_labels: tuple[str, ...] = ()
        self.setAccessibleName(_("Minutes per week"))
        self.setMinimumHeight(170)

    def sizeHint(self) -> QSize:
        return QSize(360, 190)

    def set_weeks(self, weeks: Sequence[tuple[date, float]]) -> None:
        """(Monday, minutes) per week, oldest first."""
        self._weeks = list(weeks)
        # Written once here, where the scale changes: the geometry measures them at every bar.
        self._axis_labels = tuple(formatting.minutes(round(self._scale_max() * f)) for f in AXIS_FRACTIONS)
        self._week_labels = tuple(formatting.day_month(monday) for monday, _minutes in self._weeks)
        if self._weeks:
            latest = self._weeks[-1][1]
            self.setAccessibleDescription(
                _("This week: {minutes}.").format(minutes=formatting.time_spent(latest))
            )
        self.update()

    def _plot(self) -> QRectF:
        metrics = QFontMetrics(theme.font(0.8))
        # As wide as the longest axis label in this language ("600 min", "600 Min.").
        left = max(metrics.horizontalAdvance(label) for label in self._axis_labels) + 8
        return QRectF(
            left, metrics.height() + 4, self.width() - left - 4, self.height() - 2 * metrics.height() - 12
        )

    def _scale_max(self) -> float:
        peak = max((m for _, m in self._weeks), default=0.0)
        for step in SCALE_STEPS:
            if peak <= step:
                return float(step)
        return float((int(peak) // SCALE_BEYOND + 1) * SCALE_BEYOND)

    def _bar(self, index: int) -> QRectF:
        plot = self._plot()
        slot = plot.width() / max(1, len(self._weeks))
        width = max(2.0, slot * BAR_SHARE)
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
        return _("Week of {day}: {minutes}").format(
            day=formatting.day_month(monday), minutes=formatting.time_spent(minutes)
        )

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

        painter.setPen(QPen(QColor(p.border), 1, Qt.PenStyle.DashLine))
        for fraction in AXIS_FRACTIONS:
            y = plot.bottom() - plot.height() * fraction
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
        painter.setPen(QPen(QColor(p.border), 1))
        painter.drawLine(QPointF(plot.left(), plot.bottom()), QPointF(plot.right(), plot.bottom()))
        painter.setPen(QColor(p.muted))
        for fraction, label in zip(AXIS_FRACTIONS, self._axis_labels, strict=True):
            y = plot.bottom() - plot.height() * fraction
            painter.drawText(
                QRectF(0, y - metrics.height() / 2, plot.left() - 6, metrics.height()),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                label,
            )

        painter.setPen(Qt.PenStyle.NoPen)
        last = len(self._weeks) - 1
        for index, (_monday, minutes) in enumerate(self._weeks):
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
        for index, label in enumerate(self._week_labels):
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
