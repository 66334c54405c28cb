"""Text boxes whose caret is drawn in the theme's colour: Qt inverts the pixels under its own caret, which
on the dim night theme makes a near-white bar (#e4eaee on #1b1511), the one bright thing on the screen."""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QProxyStyle, QStyle, QStyleOption, QWidget

from massage_guide.ui import theme

CARET_WIDTH = 2  # px: as wide as Qt's own caret at the larger text sizes, easy to find


def caret_colour() -> str:
    """The caret's colour: the text's by day, the muted colour at night."""
    palette = theme.current()
    return palette.muted if palette.name == "night" else palette.text


class CalmPlainTextEdit(QPlainTextEdit):
    """A QPlainTextEdit with a steady caret in the palette's text colour (muted at night), never inverted."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCursorWidth(0)  # Qt's own caret off; paintEvent draws ours

    def caret_colour(self) -> str:
        return caret_colour()

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


class _NoQtCaret(QProxyStyle):
    """The style in force, except that a line edit's own (inverting) caret is zero pixels wide."""

    def pixelMetric(
        self, metric: QStyle.PixelMetric, option: QStyleOption | None = None, widget: QWidget | None = None
    ) -> int:
        if metric == QStyle.PixelMetric.PM_TextCursorWidth:
            return 0
        return super().pixelMetric(metric, option, widget)


class CalmLineEdit(QLineEdit):
    """A QLineEdit with a steady caret in the palette's text colour (muted at night), never inverted.

    QLineEdit has no caret width of its own to set: it asks its style, so a proxy of the style answers 0
    (the app's style sheet still styles the box) and paintEvent draws the caret."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._caret_style = _NoQtCaret()
        self._caret_style.setParent(self)
        self.setStyle(self._caret_style)

    def caret_colour(self) -> str:
        return caret_colour()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self.hasFocus() or self.isReadOnly():
            return
        rect = self.cursorRect()
        painter = QPainter(self)
        painter.fillRect(
            QRect(rect.center().x(), rect.top(), CARET_WIDTH, rect.height()), QColor(self.caret_colour())
        )
        painter.end()
