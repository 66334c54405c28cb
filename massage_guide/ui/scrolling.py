"""A page's scrolling column: frameless, vertical only, the content as wide as the page."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QWidget


def vertical_scroll(content: QWidget) -> QScrollArea:
    """Wrap ``content`` so it scrolls up and down but never sideways."""
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    # Not a stop for Tab: focused, the column showed no sign of it, so a Tab seemed to do nothing. Page Up
    # and Page Down still scroll it (the focused control passes them on), and Tab scrolls to what it reaches.
    scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    scroll.setWidget(content)
    return scroll
