"""The countdown ring: the time left in a step as a shrinking arc around large, readable digits."""

from __future__ import annotations

import math

from PySide6.QtCore import QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPaintEvent, QPen, QRegion
from PySide6.QtWidgets import QSizePolicy, QWidget

from massage_guide.core import formatting
from massage_guide.core.i18n import _
from massage_guide.ui import theme

# The ring's line as a share of its diameter: bold enough to read from across the room, never heavy.
LINE_RATIO = 0.055
# Digits as a share of the diameter: about 45 px on a 200 px ring, readable from two metres.
DIGITS_RATIO = 0.26
CAPTION_RATIO = 0.075
CAPTION_RAISE = 0.08  # with a caption under them the digits move up this share of the diameter
# The stretch of arc a tick repaints is bounded through points this many degrees apart: close enough that
# the box holds the curve (the line's half width pads it), few enough to cost nothing.
ARC_SAMPLE_DEGREES = 10


def format_clock(seconds: int) -> str:
    """``m:ss`` for the ring (``1:05``), never below ``0:00``: ``formatting.clock`` (the mini player calls
    it by this name)."""
    return formatting.clock(max(0, seconds))


class CountdownRingView(QWidget):
    """Draws ``fraction`` (1 = whole step left, 0 = done) as an arc, with a big text and a small caption.

    Pure display: the page sets what to show; nothing here keeps time."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._fraction = 1.0
        self._text = ""
        self._caption = ""
        self._dimmed = False
        self.setMinimumSize(160, 160)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.setAccessibleName(_("Time left in this step"))

    # --- state ----------------------------------------------------------------------------------------

    def set_state(self, fraction: float, text: str, caption: str = "", *, dimmed: bool = False) -> None:
        """Show ``text`` (digits, a lead-in count) over an arc ``fraction`` full; repaint only on change."""
        fraction = min(1.0, max(0.0, fraction))
        # A 1/1000 change is below one pixel of arc on any screen: skip the repaint.
        if (
            abs(fraction - self._fraction) < 0.001
            and text == self._text
            and caption == self._caption
            and dimmed == self._dimmed
        ):
            return
        if caption != self._caption or dimmed != self._dimmed:
            self._fraction, self._text, self._caption, self._dimmed = fraction, text, caption, dimmed
            self.setAccessibleDescription(f"{text} {caption}".strip())
            self.update()
            return
        # A second's tick: only the digits and the stretch of arc that moved are painted again.
        dirty = QRegion()
        if text != self._text:
            dirty += self._digits_rect(self._text, text)
            self.setAccessibleDescription(f"{text} {caption}".strip())
        dirty += self._arc_rect(fraction, self._fraction)
        self._fraction, self._text = fraction, text
        self.update(dirty)

    def _frame(self) -> tuple[float, float, QRectF]:
        """The ring's side, line width and the rectangle its line runs through."""
        side = min(self.width(), self.height())
        line = max(6.0, side * LINE_RATIO)
        rect = QRectF(
            (self.width() - side) / 2 + line / 2,
            (self.height() - side) / 2 + line / 2,
            side - line,
            side - line,
        )
        return side, line, rect

    def _digits_rect(self, *texts: str) -> QRect:
        """Where ``texts`` are drawn in the digits' font (the one going and the one coming)."""
        side, _line, rect = self._frame()
        metrics = QFontMetricsF(self._digits_font(side))
        width = max(metrics.horizontalAdvance(text) for text in texts) + 2 * metrics.averageCharWidth()
        centre = rect.center()
        if self._caption:
            centre.setY(centre.y() - side * CAPTION_RAISE)
        height = metrics.height() + 4  # and the antialiased edges
        return QRectF(centre.x() - width / 2, centre.y() - height / 2, width, height).toAlignedRect()

    def _digits_font(self, side: float) -> QFont:
        digits = QFont(self.font())
        digits.setPixelSize(max(12, round(side * DIGITS_RATIO)))
        digits.setWeight(QFont.Weight.DemiBold)
        digits.setFeature(QFont.Tag("tnum"), 1)  # tabular figures: the digits do not jiggle as they change
        return digits

    def _arc_rect(self, first: float, second: float) -> QRect:
        """The bounding box of the arc between two fractions (where its moving end was and is now)."""
        _side, line, rect = self._frame()
        low, high = sorted((min(1.0, max(0.0, first)), min(1.0, max(0.0, second))))
        steps = max(1, math.ceil((high - low) * 360 / ARC_SAMPLE_DEGREES))
        radius_x, radius_y = rect.width() / 2, rect.height() / 2
        centre = rect.center()
        xs: list[float] = []
        ys: list[float] = []
        for i in range(steps + 1):
            angle = 2 * math.pi * (low + (high - low) * i / steps)  # clockwise from twelve o'clock
            xs.append(centre.x() + radius_x * math.sin(angle))
            ys.append(centre.y() - radius_y * math.cos(angle))
        pad = line / 2 + 2  # the line's half width and its round cap, and antialiasing
        box = QRectF(min(xs) - pad, min(ys) - pad, max(xs) - min(xs) + 2 * pad, max(ys) - min(ys) + 2 * pad)
        return box.toAlignedRect()

    def text(self) -> str:
        return self._text

    def caption(self) -> str:
        return self._caption

    def fraction(self) -> float:
        return self._fraction

    # --- painting -------------------------------------------------------------------------------------

    def sizeHint(self) -> QSize:
        return QSize(240, 240)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return width

    def paintEvent(self, event: QPaintEvent) -> None:
        palette = theme.current()
        side, line, rect = self._frame()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(QColor(palette.surface_alt), line)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        painter.drawEllipse(rect)
        if self._fraction > 0:
            arc = QColor(palette.muted if self._dimmed else palette.accent)
            pen.setColor(arc)
            painter.setPen(pen)
            # Qt angles are 1/16 degree, counter-clockwise from three o'clock; the arc starts at twelve
            # and the remaining time runs clockwise, emptying like a clock hand sweeping.
            painter.drawArc(rect, 90 * 16, round(-360 * 16 * self._fraction))
        painter.setFont(self._digits_font(side))
        painter.setPen(QColor(palette.muted if self._dimmed else palette.text))
        text_rect = QRectF(rect)
        if self._caption:
            text_rect.adjust(0, -side * CAPTION_RAISE, 0, -side * CAPTION_RAISE)
        painter.drawText(text_rect, Qt.AlignmentFlag.AlignCenter, self._text)
        caption_rect = QRectF(rect.left(), rect.center().y() + side * 0.12, rect.width(), side * 0.14)
        # A tick repaints the digits and the arc: the caption under them is left as it is on screen.
        if self._caption and event.region().intersects(caption_rect.toAlignedRect().adjusted(-2, -2, 2, 2)):
            small = QFont(self.font())
            small.setPixelSize(max(10, round(side * CAPTION_RATIO)))
            painter.setFont(small)
            painter.setPen(QColor(palette.muted))
            painter.drawText(caption_rect, Qt.AlignmentFlag.AlignCenter, self._caption)
        painter.end()
