"""The safety notice shown before the first session, until the person says they understand."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from massage_guide.core.i18n import _
from massage_guide.ui import icons, theme


class SafetyNoticeDialog(QDialog):
    """docs/safety.md rendered; "I understand" accepts, "Not now" rejects."""

    def __init__(self, markdown: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Before you start"))
        self.setModal(True)
        self.resize(600, 560)
        self.setMinimumSize(420, 360)

        icon = QLabel()
        icon.setPixmap(icons.icon("info", theme.current().warm).pixmap(28, 28))
        heading = QLabel(_("Before you start"))
        heading.setProperty("role", "title")
        heading.setWordWrap(True)  # longer in other languages and at large text: wrap, never cut
        intro = QLabel(_("A few words on staying safe. Please read them once."))
        intro.setProperty("role", "muted")
        intro.setWordWrap(True)
        title_row = QHBoxLayout()
        title_row.setSpacing(theme.SPACE)
        title_row.addWidget(icon, 0, Qt.AlignmentFlag.AlignVCenter)
        title_row.addWidget(heading, 1)

        self.browser = QTextBrowser()
        self.browser.setAccessibleName(_("Safety notice"))
        self.browser.setOpenExternalLinks(True)
        self.browser.setMarkdown(markdown)
        self.browser.document().setDocumentMargin(2 * theme.SPACE)

        self.not_now_button = QPushButton(_("Not now"))
        self.not_now_button.setAccessibleName(_("Not now"))
        self.not_now_button.setToolTip(_("Close this; it will show again before your first session"))
        self.not_now_button.clicked.connect(self.reject)
        self.accept_button = QPushButton(_("I understand"))
        self.accept_button.setAccessibleName(_("I understand"))
        self.accept_button.setProperty("role", "primary")
        self.accept_button.setIcon(icons.icon("check", theme.current().accent_text))
        self.accept_button.setDefault(True)
        self.accept_button.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.not_now_button)
        buttons.addWidget(self.accept_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(3 * theme.SPACE, 3 * theme.SPACE, 3 * theme.SPACE, 3 * theme.SPACE)
        layout.setSpacing(2 * theme.SPACE)
        layout.addLayout(title_row)
        layout.addWidget(intro)
        layout.addWidget(self.browser, 1)
        layout.addLayout(buttons)
        self.setTabOrder(self.browser, self.not_now_button)
        self.setTabOrder(self.not_now_button, self.accept_button)
        self.accept_button.setFocus(Qt.FocusReason.OtherFocusReason)
