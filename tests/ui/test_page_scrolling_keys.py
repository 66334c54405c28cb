"""A page's scrolling column by keyboard: never an invisible stop for Tab, still scrolled by Page Down."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton, QScrollArea, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from massage_guide.ui.scrolling import vertical_scroll

TALL = 3000  # px of content: far more than the window shows


def _page(qtbot: QtBot) -> tuple[QWidget, QScrollArea, QPushButton, QPushButton]:
    content = QWidget()
    column = QVBoxLayout(content)
    first, last = QPushButton("First"), QPushButton("Last")
    column.addWidget(first)
    column.addSpacing(TALL)
    column.addWidget(last)
    scroll = vertical_scroll(content)
    page = QWidget()
    QVBoxLayout(page).addWidget(scroll)
    qtbot.addWidget(page)
    page.resize(600, 400)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    return page, scroll, first, last


def test_tab_goes_from_control_to_control_and_never_to_the_scrolling_column(
    qtbot: QtBot, qapp: QApplication
) -> None:
    """Tab from the first control reaches the last (scrolled into view), never the column itself, where
    focus was invisible and a Tab seemed to do nothing."""
    _page_widget, scroll, first, last = _page(qtbot)
    first.setFocus()
    qtbot.waitUntil(first.hasFocus)
    reached = []
    for _ in range(4):  # round the page twice
        focused = qapp.focusWidget()
        assert focused is not None
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
        reached.append(qapp.focusWidget())
        if reached[-1] is last:
            assert scroll.verticalScrollBar().value() > 0  # the page moved to show it
    assert reached == [last, first, last, first]


def test_page_down_on_a_control_still_scrolls_the_page(qtbot: QtBot) -> None:
    """Page Down pressed on a button (which has no use for it) scrolls the column down."""
    _page_widget, scroll, first, _last = _page(qtbot)
    first.setFocus()
    qtbot.waitUntil(first.hasFocus)
    assert scroll.verticalScrollBar().value() == 0
    qtbot.keyClick(first, Qt.Key.Key_PageDown)
    assert scroll.verticalScrollBar().value() > 0
