"""Tension before and after each rated session, as two lines over the latest sessions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from massage_guide.core import formatting
from massage_guide.core.history_records import TensionPair
from massage_guide.core.i18n import N_, _, ngettext
from massage_guide.core.progress import TREND_POINTS
from massage_guide.ui import theme
from massage_guide.ui.charts import (
    HIT_RADIUS,
    ChartView,
)
from massage_guide.ui.theme import Palette

EMPTY_TEXT: Final = N_("Rate your tension before and after a session, and how it changes will show here.")
# The chart is painted on its panel, so the panel's colour is what its lines must stand out from.
BACKGROUND: Final = "surface"
LINE_WIDTH: Final = 2.2  # px: a line that reads at a glance, thinner than the markers
MARKER_PEN: Final = 1.8  # px: the ring of a hollow marker stays visible on the line through it
MANY_POINTS: Final = 15  # beyond this many sessions the markers shrink so they do not touch
LEGEND_SAMPLE: Final = 20  # px: the length of the line drawn beside each legend label


@dataclass(frozen=True)
class SeriesStyle:
    """How one line of the trend is drawn: its colour, and what tells it apart without colour (the night
    palette's two colours are close: dashes, hollow markers and the legend carry the difference)."""

    label: str  # marked with N_, translated where drawn
    colour: str
    dashed: bool
    hollow: bool  # markers filled with the background, not the colour


def series_styles(palette: Palette) -> tuple[SeriesStyle, SeriesStyle]:
    """The "before" and "after" lines in ``palette``: before warm, dashed, hollow; after accent, solid, filled."""
    return (
        SeriesStyle(N_("Before"), palette.warm, dashed=True, hollow=True),
        SeriesStyle(N_("After"), palette.accent, dashed=False, hollow=False),
    )


class TensionTrendView(ChartView):
    """Tension before (warm) and after (accent) for the latest rated sessions, 0 at the bottom."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._points: list[TensionPair] = []
        self.setAccessibleName(_("Tension before and after your sessions"))
        self.setMinimumHeight(170)

    def sizeHint(self) -> QSize:
        return QSize(360, 190)

    def set_points(self, points: Sequence[TensionPair]) -> None:
        """Rated sessions, oldest first; only the latest TREND_POINTS are drawn."""
        self._points = list(points)[-TREND_POINTS:]
        if self._points:
            before = sum(pt.before for pt in self._points) / len(self._points)
            after = sum(pt.after for pt in self._points) / len(self._points)
            count = len(self._points)
            self.setAccessibleDescription(
                ngettext(
                    "{count} rated session: {before} before, {after} after on average, on a scale of 0 to 10.",
                    "{count} rated sessions: {before} before, {after} after on average, on a scale of 0 to 10.",
                    count,
                ).format(
                    count=formatting.number(count),
                    before=formatting.number(before, 1),
                    after=formatting.number(after, 1),
                )
            )
        else:
            self.setAccessibleDescription(_(EMPTY_TEXT))
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
            label = formatting.day_month(datetime.fromisoformat(point.started_at).date())
        except ValueError:
            label = point.started_at[:10]
        return _("{day}: tension {before} before, {after} after").format(
            day=label, before=point.before, after=point.after
        )

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
                _(EMPTY_TEXT),
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

        # Before is dashed with hollow dots, after solid and filled: told apart without colour too.
        styles = series_styles(p)
        background = getattr(p, BACKGROUND)
        values = ([pt.before for pt in self._points], [pt.after for pt in self._points])
        radius = 4.0 if len(self._points) <= MANY_POINTS else 3.0
        for style, series in zip(styles, values, strict=True):
            positions = [self.point_position(i, value) for i, value in enumerate(series)]
            line = QPen(QColor(style.colour), LINE_WIDTH, _pen_style(style))
            line.setCapStyle(Qt.PenCapStyle.RoundCap)
            painter.setPen(line)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            if len(positions) > 1:
                path = QPainterPath(positions[0])
                for point in positions[1:]:
                    path.lineTo(point)
                painter.drawPath(path)
            painter.setPen(QPen(QColor(style.colour), MARKER_PEN))
            painter.setBrush(QColor(background if style.hollow else style.colour))
            for point in positions:
                painter.drawEllipse(point, radius, radius)

        # Legend, top right, drawn like the series: "after" rightmost, then "before".
        x = plot.right()
        for style in reversed(styles):
            label = _(style.label)
            width = metrics.horizontalAdvance(label)
            x -= width
            painter.setPen(QColor(p.muted))
            painter.drawText(QPointF(x, metrics.ascent() + 2), label)
            x -= LEGEND_SAMPLE + 6
            y = metrics.height() / 2 + 2
            pen = QPen(QColor(style.colour), 2.0, _pen_style(style))
            painter.setPen(pen)
            painter.drawLine(QPointF(x, y), QPointF(x + LEGEND_SAMPLE, y))
            painter.setPen(QPen(QColor(style.colour), MARKER_PEN))
            painter.setBrush(QColor(background if style.hollow else style.colour))
            painter.drawEllipse(QPointF(x + LEGEND_SAMPLE / 2, y), 3.5, 3.5)
            x -= 16
        painter.end()


def _pen_style(style: SeriesStyle) -> Qt.PenStyle:
    return Qt.PenStyle.DashLine if style.dashed else Qt.PenStyle.SolidLine
