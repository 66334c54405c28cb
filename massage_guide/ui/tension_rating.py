"""A 0-10 tension rating: one focusable row of numbers, set by click, arrow keys or digits, or left empty."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFocusEvent, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from massage_guide.core import formatting
from massage_guide.core.i18n import _
from massage_guide.ui import theme

TENSION_MIN = 0  # no tension at all
TENSION_MAX = 10  # the worst it gets
# Each number is a target at least this wide and tall (px), and grows with the text size.
CELL_MIN = 40
CELL_GAP = 4
CELL_RADIUS = 8
FOCUS_WIDTH = 2.0  # px: the focus ring, drawn in the palette's focus colour
# Room around the cells for the focus ring, so it is never clipped by the widget's edge.
RING_MARGIN = 3


class TensionRating(QWidget):
    """Eleven numbers 0-10; one or none chosen.

    Keys: Left/Right (and Down/Up) move the choice, Home and End go to 0 and 10, digits choose a number
    ("1" then "0" chooses 10), Delete or Backspace clears it. A click chooses; clicking the chosen
    number again clears it. Signals: ``value_changed(object)`` with an int or None."""

    value_changed = Signal(object)

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._name = name
        self._value: int | None = None
        self._last_digit: str | None = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setAccessibleName(name)
        self.setToolTip(
            _("{name}: 0 is no tension, 10 the most. Arrow keys or digits choose.").format(name=name)
        )
        self._describe()

    # -- value ----------------------------------------------------------------------------------------
    def value(self) -> int | None:
        return self._value

    def set_value(self, value: int | None) -> None:
        """Show ``value`` (None for no rating) without a click; emits value_changed when it changes."""
        if value is not None:
            value = max(TENSION_MIN, min(TENSION_MAX, int(value)))
        if value == self._value:
            return
        self._value = value
        self._describe()
        self.update()
        self.value_changed.emit(value)

    def clear(self) -> None:
        self._last_digit = None
        self.set_value(None)

    def _describe(self) -> None:
        shown = (
            _("not rated")
            if self._value is None
            else _("{value} of {most}").format(
                value=formatting.number(self._value), most=formatting.number(TENSION_MAX)
            )
        )
        self.setAccessibleDescription(shown)

    # -- geometry -------------------------------------------------------------------------------------
    def cell_size(self) -> int:
        return max(CELL_MIN, self.fontMetrics().height() + 16)

    def cell_rect(self, level: int) -> QRectF:
        size = self.cell_size()
        left = RING_MARGIN + level * (size + CELL_GAP)
        return QRectF(left, RING_MARGIN, size, size)

    def sizeHint(self) -> QSize:
        size = self.cell_size()
        count = TENSION_MAX - TENSION_MIN + 1
        return QSize(count * size + (count - 1) * CELL_GAP + 2 * RING_MARGIN, size + 2 * RING_MARGIN)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def level_at(self, x: float, y: float) -> int | None:
        for level in range(TENSION_MIN, TENSION_MAX + 1):
            if (
                self.cell_rect(level)
                .adjusted(-CELL_GAP / 2, -RING_MARGIN, CELL_GAP / 2, RING_MARGIN)
                .contains(x, y)
            ):
                return level
        return None

    # -- painting -------------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        p = theme.current()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setFont(self.font())
        focused = self.hasFocus()
        cursor = self._value if self._value is not None else TENSION_MIN
        for level in range(TENSION_MIN, TENSION_MAX + 1):
            rect = self.cell_rect(level).adjusted(0.5, 0.5, -0.5, -0.5)
            chosen = level == self._value
            painter.setPen(QPen(QColor(p.accent if chosen else p.control), 1.0))
            painter.setBrush(QColor(p.accent if chosen else p.surface))
            painter.drawRoundedRect(rect, CELL_RADIUS, CELL_RADIUS)
            painter.setPen(QColor(p.accent_text if chosen else p.text))
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, str(level))
            if focused and level == cursor:
                ring = QPen(QColor(p.focus), FOCUS_WIDTH)
                painter.setPen(ring)
                painter.setBrush(Qt.BrushStyle.NoBrush)
                grown = rect.adjusted(-RING_MARGIN + 1, -RING_MARGIN + 1, RING_MARGIN - 1, RING_MARGIN - 1)
                painter.drawRoundedRect(grown, CELL_RADIUS + 2, CELL_RADIUS + 2)
        painter.end()

    # -- input ----------------------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        level = self.level_at(event.position().x(), event.position().y())
        if level is None:
            super().mousePressEvent(event)
            return
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        self._last_digit = None
        self.set_value(None if level == self._value else level)
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        text = event.text()
        moves = {
            Qt.Key.Key_Right: 1, Qt.Key.Key_Up: 1, Qt.Key.Key_Left: -1, Qt.Key.Key_Down: -1,
        }  # fmt: skip
        if key in moves:
            step = moves[Qt.Key(key)]
            start = self._value if self._value is not None else TENSION_MIN - (1 if step > 0 else -1)
            self.set_value(max(TENSION_MIN, min(TENSION_MAX, start + step)))
            self._last_digit = None
        elif key == Qt.Key.Key_Home:
            self.set_value(TENSION_MIN)
            self._last_digit = None
        elif key == Qt.Key.Key_End:
            self.set_value(TENSION_MAX)
            self._last_digit = None
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.clear()
        elif len(text) == 1 and text.isdigit():
            if text == "0" and self._last_digit == "1" and self._value == 1:
                self.set_value(TENSION_MAX)  # "1" then "0" is ten
                self._last_digit = None
            else:
                self.set_value(int(text))
                self._last_digit = text
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self._last_digit = None
        super().focusOutEvent(event)
        self.update()
