"""The breathing pacer: a soft circle that grows with the in-breath and shrinks with the out-breath."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from massage_guide.core import formatting
from massage_guide.core.engine import BreathInfo
from massage_guide.core.i18n import N_, _
from massage_guide.ui import theme

PHASE_LABELS = {
    "inhale": N_("Breathe in"),
    "hold": N_("Hold"),
    "exhale": N_("Breathe out"),
    "hold_after": N_("Rest"),
}
# The circle never vanishes: at the bottom of the out-breath it is still this share of its full size.
SMALLEST = 0.42
# Short enough to share a 1024x600 screen's side column with the ring; the circle scales to what it gets.
PACER_MIN_HEIGHT = 100
# Below half a pixel a change of radius cannot be seen, so it is not worth a repaint.
REPAINT_PIXELS = 0.5


def _ease(progress: float) -> float:
    """Slow at both ends, like a real breath."""
    return 0.5 - 0.5 * math.cos(math.pi * min(1.0, max(0.0, progress)))


def breath_size(info: BreathInfo) -> float:
    """The circle's size, SMALLEST..1, for a moment in the breath."""
    if info.phase == "inhale":
        share = _ease(info.progress)
    elif info.phase == "hold":
        share = 1.0
    elif info.phase == "exhale":
        share = 1.0 - _ease(info.progress)
    else:
        share = 0.0
    return SMALLEST + (1.0 - SMALLEST) * share


def phase_text(info: BreathInfo) -> tuple[str, str]:
    """The phase's name and the whole seconds left in it (``"Breathe in"``, ``"3"``)."""
    seconds = max(1, math.ceil(info.seconds_left - 1e-9))
    label = PHASE_LABELS.get(info.phase)
    return (_(label) if label else ""), formatting.number(seconds)


class BreathingPacerView(QWidget):
    """Shows the breath from ``set_breath()``; with reduced motion, only the phase and its seconds left."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._reduced = False
        self._size = SMALLEST
        self._label = ""
        self._count = ""
        self.setMinimumSize(140, PACER_MIN_HEIGHT)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setAccessibleName(_("Breathing guide"))

    def set_reduced_motion(self, reduced: bool) -> None:
        if reduced != self._reduced:
            self._reduced = reduced
            self.update()

    def reduced_motion(self) -> bool:
        return self._reduced

    def set_breath(self, info: BreathInfo | None) -> None:
        """Follow the breath; None clears the pacer (not a breathing step)."""
        label, count = phase_text(info) if info is not None else ("", "")
        size = breath_size(info) if info is not None and not self._reduced else SMALLEST
        moved = abs(size - self._size) * self._radius_limit() >= REPAINT_PIXELS
        if label != self._label or count != self._count or moved:
            self._label, self._count, self._size = label, count, size
            self.setAccessibleDescription(f"{label}, {count}" if label else "")
            self.update()

    def phase_label(self) -> str:
        return self._label

    def count_text(self) -> str:
        return self._count

    def circle_size(self) -> float:
        return self._size

    def sizeHint(self) -> QSize:
        return QSize(220, 200)

    def _radius_limit(self) -> float:
        # The circle takes at most the left half (its words the right half), so a narrow pacer never
        # pushes it past its own edge.
        return max(1.0, min(self.height() / 2 - 4, self.width() / 4 - theme.SPACE / 2 - 2))

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self._label:
            return
        palette = theme.current()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        limit = self._radius_limit()
        # The circle sits left of centre and the words to its right, so neither ever covers the other.
        centre = QPointF(self.width() / 2 - limit - theme.SPACE / 2, self.height() / 2)
        text_left = self.width() / 2
        if self._reduced:
            centre = QPointF(self.width() / 2, self.height() / 2)
            text_left = 0.0
        else:
            # A faint outline of the full breath, so the eye knows how far the circle will grow.
            painter.setPen(QPen(QColor(palette.control), 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(centre, limit, limit)
            fill = QColor(palette.warm)
            fill.setAlphaF(0.35 if palette.dark else 0.28)
            painter.setPen(QPen(QColor(palette.warm), 2))
            painter.setBrush(fill)
            radius = limit * self._size
            painter.drawEllipse(centre, radius, radius)
        align = (
            Qt.AlignmentFlag.AlignCenter
            if self._reduced
            else (Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        )
        text_width = self.width() - text_left
        label_font = QFont(self.font())
        label_font.setPixelSize(max(16, round(limit * 0.32)))
        label_font.setWeight(QFont.Weight.DemiBold)
        painter.setFont(label_font)
        painter.setPen(QColor(palette.text))
        top = QRectF(text_left, centre.y() - limit * 0.55, text_width, limit * 0.5)
        painter.drawText(top, align, self._label)
        count_font = QFont(self.font())
        count_font.setPixelSize(max(16, round(limit * 0.5)))
        count_font.setFeature(QFont.Tag("tnum"), 1)
        painter.setFont(count_font)
        painter.setPen(QColor(palette.muted))
        bottom = QRectF(text_left, centre.y() - limit * 0.05, text_width, limit * 0.7)
        painter.drawText(bottom, align, self._count)
        painter.end()
