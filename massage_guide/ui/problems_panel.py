"""A calm panel listing routine files that could not be loaded, each with file:line and what to do."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from massage_guide.core import formatting
from massage_guide.core.i18n import _, ngettext
from massage_guide.core.problems import Problem
from massage_guide.ui import icons, theme


class ProblemsPanel(QFrame):
    """Shows how many routine files failed and, on request, every problem with its location."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "panel")
        self.setAccessibleName(_("Routine file problems"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(theme.SPACE * 2, theme.SPACE, theme.SPACE * 2, theme.SPACE)
        row = QHBoxLayout()
        self._icon = QLabel()
        self._icon.setPixmap(icons.icon("warning", theme.current().warm).pixmap(20, 20))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.toggle = QPushButton(_("Show details"))
        self.toggle.setCheckable(True)
        self.toggle.setAccessibleName(_("Show or hide the problems"))
        self.toggle.toggled.connect(self._set_expanded)
        row.addWidget(self._icon)
        row.addWidget(self.summary, 1)
        row.addWidget(self.toggle)
        layout.addLayout(row)
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setAccessibleName(_("Problems, one per line: file, line, column and message"))
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.details.setVisible(False)
        self.details.setMinimumHeight(120)
        layout.addWidget(self.details)
        self.hint = QLabel(
            _("Fix the file and restart the app, or check it with: massage-guide validate FILE")
        )
        self.hint.setWordWrap(True)
        self.hint.setProperty("role", "muted")
        self.hint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hint.setVisible(False)
        layout.addWidget(self.hint)
        self.set_problems((), 0)

    def set_problems(self, problems: Sequence[Problem], failed_files: int) -> None:
        self.setVisible(bool(problems))
        self.summary.setText(
            ngettext(
                "{count} routine file could not be loaded. The others are ready to use.",
                "{count} routine files could not be loaded. The others are ready to use.",
                failed_files,
            ).format(count=formatting.number(failed_files))
        )
        self.details.setPlainText("\n".join(str(problem) for problem in problems))

    def _set_expanded(self, expanded: bool) -> None:
        self.details.setVisible(expanded)
        self.hint.setVisible(expanded)
        self.toggle.setText(_("Hide details") if expanded else _("Show details"))
