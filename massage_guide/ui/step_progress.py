"""Overall progress through a routine: one segment per step, sized by its length, filled as time passes."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRect, QRectF, QSize
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from massage_guide.core import formatting
from massage_guide.core.i18n import _
from massage_guide.ui import theme

BAR_HEIGHT = 10
GAP = 3  # pixels between segments: enough to count them, not enough to break the line


class StepProgressView(QWidget):
    """Draws the steps as segments: done ones full, the current one filled to its progress."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._durations: list[float] = []
        self._index = 0
        self._step_progress = 0.0
        self.setMinimumHeight(BAR_HEIGHT + 4)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName(_("Progress through the routine"))

    def set_steps(self, durations: Sequence[float]) -> None:
        self._durations = [max(0.1, float(d)) for d in durations]
        self._index = 0
        self._step_progress = 0.0
        self.update()

    def set_position(self, index: int, step_progress: float, step_seconds: float | None = None) -> None:
        """Step ``index`` is ``step_progress`` (0..1) done; ``step_seconds`` is its length after any +15 s.
        Only a change a person could see repaints, and only the current step's segment."""
        step_progress = min(1.0, max(0.0, step_progress))
        resized = False
        if 0 <= index < len(self._durations) and step_seconds is not None:
            length = max(0.1, float(step_seconds))
            resized = abs(length - self._durations[index]) > 1e-9
            self._durations[index] = length
        if index != self._index or resized:
            self._index, self._step_progress = index, step_progress
            total = len(self._durations)
            self.setAccessibleDescription(
                _("Step {number} of {total}").format(
                    number=formatting.number(min(index + 1, total)), total=formatting.number(total)
                )
            )
            self.update()
            return
        before = self._fill_pixels(self._step_progress)
        self._step_progress = step_progress
        if round(self._fill_pixels(step_progress)) != round(before):  # under a pixel: nothing to see
            self.update(self._segment_rect(index))

    def _segments(self) -> list[QRectF]:
        """Each step's rectangle, sized by its share of the routine's time."""
        top = (self.height() - BAR_HEIGHT) / 2
        usable = self.width() - GAP * (len(self._durations) - 1)
        total = sum(self._durations)
        rects: list[QRectF] = []
        x = 0.0
        for duration in self._durations:
            width = max(2.0, usable * duration / total)
            rects.append(QRectF(x, top, width, BAR_HEIGHT))
            x += width + GAP
        return rects

    def _fill_pixels(self, progress: float) -> float:
        """How many pixels of the current step's segment ``progress`` fills."""
        if not 0 <= self._index < len(self._durations):
            return 0.0
        return self._segments()[self._index].width() * progress

    def _segment_rect(self, index: int) -> QRect:
        return self._segments()[index].toAlignedRect().adjusted(-1, -1, 1, 1)  # antialiased edges

    def overall(self) -> float:
        """The share of the routine's time done, 0..1."""
        total = sum(self._durations)
        if total <= 0:
            return 0.0
        done = sum(self._durations[: self._index]) + self._step_progress * self._durations[self._index]
        return done / total

    def sizeHint(self) -> QSize:
        return QSize(400, BAR_HEIGHT + 4)

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self._durations:
            return
        palette = theme.current()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QColor(0, 0, 0, 0))
        radius = BAR_HEIGHT / 2
        for i, rect in enumerate(self._segments()):
            painter.setBrush(QColor(palette.surface_alt))
            painter.drawRoundedRect(rect, radius, radius)
            fill = 1.0 if i < self._index else self._step_progress if i == self._index else 0.0
            if fill > 0:
                colour = QColor(palette.accent if i == self._index else palette.accent_soft)
                if i < self._index and not palette.dark:
                    colour = QColor(palette.accent)
                    colour.setAlphaF(0.55)
                painter.setBrush(colour)
                painter.drawRoundedRect(
                    QRectF(rect.x(), rect.y(), max(2.0, rect.width() * fill), BAR_HEIGHT), radius, radius
                )
        painter.end()
