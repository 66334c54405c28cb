"""A label for text that changes every second (a clock): a new text repaints the label, not the window."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QWidget


class SteadyLabel(QLabel):
    """A QLabel whose size is pinned to its text's size hint, renewed only when that hint changes.

    QLabel.setText always asks the parent layouts to work again, which once a second re-lays the whole
    window. A label whose minimum and maximum sizes are equal does not ask (Qt's updateGeometry skips it),
    so pinning the size keeps a ticking clock to its own rectangle; when the text really needs another
    size (a digit more, a larger font, another language) the pin moves and the layout follows. Digits are
    tabular, so ``9:59`` and ``8:48`` take the same width and the pin rarely moves."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        # Only the feature is set (an empty font's other attributes stay unresolved), so the label still
        # follows the app's text size and the style sheet.
        tabular = QFont()
        tabular.setFeature(QFont.Tag("tnum"), 1)
        self.setFont(tabular)
        self._pin()

    def set_steady_text(self, text: str) -> None:
        """Show ``text``; the layouts around are asked again only when it needs a different size."""
        if text == self.text():
            return
        self.setText(text)
        self._pin()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._pin()

    def _pin(self) -> None:
        hint = self.sizeHint()
        if self.minimumSize() != hint or self.maximumSize() != hint:
            self.setFixedSize(hint)
