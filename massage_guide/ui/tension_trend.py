"""Tension before and after each rated session, as two lines over the latest sessions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Final

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from massage_guide.core.history import TensionPair
from massage_guide.ui import theme
from massage_guide.ui.charts import (
    HIT_RADIUS,
    TREND_POINTS,
    ChartView,
    plural,
)


class TensionTrendView(ChartView):
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
                f"Over your last {plural(len(self._points), 'rated session')}: "
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
