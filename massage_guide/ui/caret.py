"""A text box whose caret is drawn in the theme's colour: Qt inverts the pixels under its own caret, which
on the dim night theme makes a near-white bar (#e4eaee on #1b1511), the one bright thing on the screen."""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from massage_guide.ui import theme

CARET_WIDTH = 2  # px: as wide as Qt's own caret at the larger text sizes, easy to find


class CalmPlainTextEdit(QPlainTextEdit):
    """A QPlainTextEdit with a steady caret in the palette's text colour (muted at night), never inverted."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCursorWidth(0)  # Qt's own caret off; paintEvent draws ours

    def caret_colour(self) -> str:
        palette = theme.current()
        return palette.muted if palette.name == "night" else palette.text

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self.hasFocus() or self.isReadOnly():
            return
        rect = self.cursorRect()
        painter = QPainter(self.viewport())
        painter.fillRect(
            QRect(rect.left(), rect.top(), CARET_WIDTH, rect.height()), QColor(self.caret_colour())
        )
        painter.end()
