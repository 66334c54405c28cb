"""The Qt binding in use keeps Python's reference count of None intact (PySide6 6.12.0 did not)."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot


def test_void_qt_calls_do_not_leak_none_references(qtbot: QtBot) -> None:
    """Thousands of void calls (as a running session makes) leave None's reference count where it was."""
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for _ in range(2000):
        label.setText("x")
        label.setMinimumWidth(3)
    # A little slack for references taken by the interpreter itself meanwhile.
    assert abs(sys.getrefcount(None) - before) < 50
