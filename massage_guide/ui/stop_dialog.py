"""The "Stop this session?" question: drawn in the app's own theme, with "Keep going" as the safe default."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from massage_guide.core.i18n import N_, _
from massage_guide.ui import theme

STOP_QUESTION = N_("Stop this session?")
STOP_DETAIL = N_("What you have done so far is kept in your history.")


class StopDialog(QDialog):
    """Asks before a session is stopped; ``accepted`` means stop, ``rejected`` (Esc, Keep going) goes on.

    A frameless panel on the page rather than a platform message box, so it wears the theme (night stays
    dim) and reads at the app's text size."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Stop"))
        self.setModal(True)
        self.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
        s = theme.SPACE
        panel = QFrame(self)
        panel.setProperty("role", "panel")
        panel.setObjectName("stopPanel")
        panel.setStyleSheet(
            f"QFrame#stopPanel {{ border: 2px solid {theme.current().control}; border-radius: {theme.RADIUS}px; }}"
        )
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(panel)
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(4 * s, 3 * s, 4 * s, 3 * s)
        layout.setSpacing(2 * s)
        self._question = QLabel(_(STOP_QUESTION))
        self._question.setProperty("role", "heading")
        self._question.setWordWrap(True)
        detail = QLabel(_(STOP_DETAIL))
        detail.setWordWrap(True)
        detail.setProperty("role", "muted")
        layout.addWidget(self._question)
        layout.addWidget(detail)
        self.keep_button = QPushButton(_("Keep going"))
        self.keep_button.setProperty("role", "primary")
        self.keep_button.setAccessibleName(_("Keep going"))
        self.keep_button.setDefault(True)
        self.keep_button.setMinimumHeight(theme.MIN_TARGET + 12)
        self.keep_button.clicked.connect(self.reject)
        self.stop_button = QPushButton(_("Stop"))
        self.stop_button.setProperty("role", "danger")
        self.stop_button.setAccessibleName(_("Stop the session"))
        self.stop_button.setMinimumHeight(theme.MIN_TARGET + 12)
        self.stop_button.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.setSpacing(2 * s)
        buttons.addStretch(1)
        buttons.addWidget(self.stop_button)
        buttons.addWidget(self.keep_button)
        layout.addLayout(buttons)
        self.setTabOrder(self.keep_button, self.stop_button)
        self.keep_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def text(self) -> str:
        return self._question.text()

    def buttons(self) -> list[QAbstractButton]:
        return [self.stop_button, self.keep_button]

    def place_over(self, widget: QWidget) -> None:
        """Centre the question over ``widget`` (the player), at a readable width that fits it."""
        width = min(max(420, widget.width() // 2), max(280, widget.width() - 4 * theme.SPACE))
        self.setFixedWidth(width)
        self.adjustSize()
        centre = widget.mapToGlobal(widget.rect().center())
        self.move(centre.x() - self.width() // 2, centre.y() - self.height() // 2)
