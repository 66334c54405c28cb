"""A message the editing flow tells (an import report, an export): its words scroll when they are many, so
the dialog and its OK button stay on a small screen."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from massage_guide.core.i18n import _
from massage_guide.ui import theme
from massage_guide.ui.editor.fields import fit_words
from massage_guide.ui.scrolling import vertical_scroll

# The most of the screen's free area the message takes: the window it belongs to stays in sight around it.
SCREEN_SHARE = 0.8
READING_WIDTH = 640  # px at the usual text size: lines longer than this are hard to follow


class MessageDialog(QDialog):
    """A title, the message (selectable, scrolling when long) and OK."""

    def __init__(self, title: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.label = QLabel(text)
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        margin = 2 * theme.SPACE
        self.label.setContentsMargins(0, 0, margin, 0)  # clear of the scroll bar
        self.scroll_area = vertical_scroll(self.label)
        self.ok_button = QPushButton(_("OK"))
        self.ok_button.setDefault(True)
        self.ok_button.setMinimumHeight(theme.MIN_TARGET)
        fit_words(self.ok_button)
        self.ok_button.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.ok_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(margin, margin, margin, margin)
        layout.setSpacing(margin)
        layout.addWidget(self.scroll_area, 1)
        layout.addLayout(buttons)
        self.resize(self._first_size())

    def _first_size(self) -> QSize:
        """As wide as a comfortable line (cut to the screen), as tall as the words (cut to the screen)."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        room = screen.availableGeometry().size() * SCREEN_SHARE if screen is not None else QSize(800, 480)
        width = min(round(READING_WIDTH * max(1.0, theme.text_scale())), room.width())
        margins = 4 * theme.SPACE
        words = self.label.heightForWidth(
            width - margins - self.scroll_area.verticalScrollBar().sizeHint().width()
        )
        chrome = self.ok_button.sizeHint().height() + 2 * margins
        return QSize(width, min(words + chrome, room.height()))
