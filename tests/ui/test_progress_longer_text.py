"""The progress page takes 30 % longer text (the pseudo-locale) without cutting any label or button short."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from massage_guide.core import i18n
from massage_guide.core.history import HistoryStore
from massage_guide.core.library import Library
from massage_guide.core.settings import Settings
from massage_guide.ui import theme
from massage_guide.ui.progress_controller import ProgressController
from massage_guide.ui.progress_page import ProgressPage
from tests.ui.test_progress_page import TODAY, add

SMALLEST_SCREEN, NARROW_WINDOW = 1024, 520
# The narrowest window at the default text size; the smallest screen at every text size. (At the largest
# text size a 520 px window cannot hold the search field's own words: the page scrolls no wider.)
SIZES = [("medium", SMALLEST_SCREEN), ("medium", NARROW_WINDOW), ("extra_large", SMALLEST_SCREEN)]


@pytest.fixture(autouse=True)
def pseudo() -> Iterator[None]:
    """Every string bracketed and 30 % longer while the test builds its widgets."""
    i18n.activate(i18n.PSEUDO_LANGUAGE)
    yield
    i18n.activate("en")


def use_text_size(qapp: QApplication, size: str) -> None:
    """The text size set here rather than left from an earlier test."""
    theme.apply(qapp, "light", size)


@pytest.fixture(autouse=True)
def default_text_size(qapp: QApplication) -> Iterator[None]:
    yield
    theme.apply(qapp, "light")


def clipped(page: QWidget) -> list[str]:
    """Labels and buttons shown smaller than their text needs."""
    found = []
    for label in page.findChildren(QLabel):
        if not label.isVisibleTo(page) or not label.text():
            continue
        if label.wordWrap():
            short = label.height() < label.heightForWidth(label.width())
        else:
            short = label.width() < label.minimumSizeHint().width()
        # Past the page's right edge is cut off too: the page scrolls up and down only.
        right = label.mapTo(page, QPoint(label.width(), 0)).x()
        if short or right > page.width():
            found.append(f"label {label.text()!r}: {label.width()}x{label.height()}, right edge {right}")
    for button in page.findChildren(QAbstractButton):
        if not button.text():  # icon buttons (the search field's clear button) have no text to cut
            continue
        right = button.mapTo(page, QPoint(button.width(), 0)).x()
        if button.isVisibleTo(page) and (
            button.width() < button.minimumSizeHint().width() or right > page.width()
        ):
            found.append(f"button {button.text()!r}: {button.width()} < {button.minimumSizeHint().width()}")
    return found


@pytest.mark.parametrize(("text_size", "width"), SIZES)
def test_longer_text_fits_the_progress_page(
    qtbot: QtBot, qapp: QApplication, tmp_path: Path, text_size: str, width: int
) -> None:
    """With every string 30 % longer, nothing on the page (tiles, headings, filters, footer) is cut off."""
    use_text_size(qapp, text_size)
    store, _ = HistoryStore.open(tmp_path / "history.sqlite3")
    with store:
        add(store, TODAY, tension=(7, 3), note="a note")
        add(store, TODAY - timedelta(days=1), status="stopped", minutes=3)
        page = ProgressPage()
        qtbot.addWidget(page)
        ProgressController(page, today=lambda: TODAY, parent=page).show_history(
            store, Library(routines={}), Settings()
        )
        page.resize(width, 700)
        page.show()
        qtbot.waitExposed(page)
        QApplication.processEvents()
        assert "⟦" in page.week_tile.caption.text()  # the pseudo-locale is in force
        assert clipped(page) == []


@pytest.mark.parametrize("text_size", ["medium", "extra_large"])
def test_empty_state_takes_longer_text(
    qtbot: QtBot, qapp: QApplication, tmp_path: Path, text_size: str
) -> None:
    """The empty state's paragraph wraps to its full height in the narrowest window, at any text size."""
    use_text_size(qapp, text_size)
    store, _ = HistoryStore.open(tmp_path / "history.sqlite3")
    with store:
        page = ProgressPage()
        qtbot.addWidget(page)
        ProgressController(page, today=lambda: TODAY, parent=page).show_history(
            store, Library(routines={}), Settings()
        )
        page.resize(NARROW_WINDOW, 700)
        page.show()
        qtbot.waitExposed(page)
        QApplication.processEvents()
        assert page.empty_state.isVisibleTo(page)
        assert clipped(page) == []
