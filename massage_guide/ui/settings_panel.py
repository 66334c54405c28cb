"""One settings group as the Settings page draws it: a panel with a heading, labels in one column that
widens with the text size, and fields beside them; notes sit below, where wrapping gets its height."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from massage_guide.ui import theme

LABEL_WIDTH: Final = 170  # one label column for every group, so the fields line up down the page
PANEL_MAX_WIDTH: Final = 760  # beyond this a settings line reads as a table, not a form


def settings_panel(heading: str, rows: Sequence[tuple[str, QWidget]]) -> QFrame:
    """A panel of (label, field) rows; a QLabel field is a note, shown under the rows at full width."""
    scale = max(1.0, theme.text_scale())  # large text: wider columns, not cut words
    label_width = round(LABEL_WIDTH * scale)
    frame = QFrame()
    frame.setProperty("role", "panel")
    frame.setAccessibleName(heading)
    frame.setMaximumWidth(round(PANEL_MAX_WIDTH * scale))
    box = QVBoxLayout(frame)
    box.setContentsMargins(3 * theme.SPACE, 2 * theme.SPACE, 3 * theme.SPACE, 2 * theme.SPACE)
    box.setSpacing(theme.SPACE)
    title = QLabel(heading)
    title.setProperty("role", "heading")
    box.addWidget(title)
    grid = QGridLayout()
    grid.setHorizontalSpacing(3 * theme.SPACE)
    grid.setVerticalSpacing(theme.SPACE)
    grid.setColumnMinimumWidth(0, label_width)
    grid.setColumnStretch(2, 1)
    notes: list[QLabel] = []
    for row, (text, widget) in enumerate(rows):
        if isinstance(widget, QLabel):
            notes.append(widget)
            continue
        label = QLabel(text)
        label.setFixedWidth(label_width)
        label.setWordWrap(True)
        if text:
            label.setBuddy(widget)
        grid.addWidget(label, row, 0, Qt.AlignmentFlag.AlignVCenter)
        grid.addWidget(widget, row, 1, 1, 1, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    box.addLayout(grid)
    for note in notes:
        note.setContentsMargins(label_width + 3 * theme.SPACE, 0, 0, 0)
        box.addWidget(note)
    return frame
