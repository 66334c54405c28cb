"""The break prompt: its title and text, never stealing focus, Enter after a click, and missing itself."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QCursor, QGuiApplication
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from massage_guide.core import i18n
from massage_guide.ui import theme
from massage_guide.ui.break_prompt import WINDOW_TITLE, BreakPromptWindow, length_text
from tests.ui.pseudo_locale import clipped, pseudo_locale, shown_texts, untranslated


def make(qtbot: QtBot, miss_after_ms: int = 60_000) -> BreakPromptWindow:
    prompt = BreakPromptWindow(miss_after_ms=miss_after_ms)
    qtbot.addWidget(prompt)
    return prompt


def test_title_routine_and_length_and_buttons(qtbot: QtBot) -> None:
    """The window is titled exactly "Time for a break", names the routine and its length, and offers the three answers."""
    prompt = make(qtbot)
    prompt.show_break("Desk break", 185)
    assert prompt.windowTitle() == WINDOW_TITLE == "Time for a break"
    assert "Desk break" in prompt.routine_label.text()
    assert "3 min" in prompt.routine_label.text()
    assert [b.text() for b in (prompt.start_button, prompt.snooze_button, prompt.skip_button)] == [
        "Start",
        "Snooze 10 min",
        "Skip",
    ]
    assert length_text(20) == "1 min"


def test_showing_it_leaves_the_keyboard_where_it_was(qtbot: QtBot) -> None:
    """Someone typing keeps typing: the prompt appears without becoming the active window."""
    editor = QLineEdit()
    editor.setAccessibleName("editor")
    qtbot.addWidget(editor)
    editor.show()
    editor.activateWindow()
    editor.setFocus()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is editor)
    prompt = make(qtbot)
    prompt.show_break("Desk break", 180)
    qtbot.waitExposed(prompt)
    assert QApplication.activeWindow() is editor
    assert QApplication.focusWidget() is editor
    qtbot.keyClicks(editor, "still typing")
    assert editor.text() == "still typing"
    assert prompt.windowFlags() & Qt.WindowType.WindowDoesNotAcceptFocus
    assert prompt.testAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
    assert prompt.windowFlags() & Qt.WindowType.WindowStaysOnTopHint


def test_a_click_makes_it_take_keys_and_enter_starts(qtbot: QtBot) -> None:
    """After the person clicks the prompt, Enter starts the break."""
    prompt = make(qtbot)
    prompt.show_break("Desk break", 180)
    qtbot.waitExposed(prompt)
    qtbot.mouseClick(prompt, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    assert not prompt.windowHandle().flags() & Qt.WindowType.WindowDoesNotAcceptFocus
    with qtbot.waitSignal(prompt.start_requested):
        qtbot.keyClick(prompt, Qt.Key.Key_Return)
    assert not prompt.isVisible()


def test_untouched_it_hides_itself_as_missed(qtbot: QtBot) -> None:
    """Left alone, it steps aside and says it was missed; a click stops that."""
    prompt = make(qtbot, miss_after_ms=50)
    with qtbot.waitSignal(prompt.missed, timeout=2000):
        prompt.show_break("Desk break", 180)
    assert not prompt.isVisible()
    touched = make(qtbot, miss_after_ms=50)
    touched.show_break("Desk break", 180)
    qtbot.waitExposed(touched)
    qtbot.mouseClick(touched, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    with qtbot.assertNotEmitted(touched.missed, wait=200):
        pass
    assert touched.isVisible()


def test_answers_hide_it_and_say_which(qtbot: QtBot) -> None:
    """Snooze and Skip each hide the prompt and emit their request once."""
    prompt = make(qtbot)
    prompt.show_break("Desk break", 180)
    with qtbot.waitSignal(prompt.snooze_requested):
        qtbot.mouseClick(prompt.snooze_button, Qt.MouseButton.LeftButton)
    assert not prompt.isVisible()
    prompt.show_break("Desk break", 180)
    with qtbot.waitSignal(prompt.skip_requested):
        qtbot.mouseClick(prompt.skip_button, Qt.MouseButton.LeftButton)
    assert not prompt.isVisible()


def test_it_opens_on_the_screen_with_the_pointer(qtbot: QtBot) -> None:
    """The prompt sits inside the screen that holds the mouse pointer."""
    prompt = make(qtbot)
    prompt.show_break("Desk break", 180)
    screen = QGuiApplication.screenAt(QCursor.pos()) or QGuiApplication.primaryScreen()
    assert screen.availableGeometry().contains(prompt.frameGeometry().center())


@pytest.mark.parametrize("text_size", ["medium", "extra_large"])
def test_pseudo_locale_translates_every_text_and_cuts_none(
    qtbot: QtBot, qapp: QApplication, text_size: str
) -> None:
    """Under the pseudo-locale the title, the sentence, the length and the buttons are all translated, and
    the longer words still fit at the largest text too (the routine's title is data)."""
    theme.apply(qapp, "system", text_size)
    try:
        with pseudo_locale():
            prompt = make(qtbot)
            prompt.show_break("Qqq", 185)
            qtbot.waitExposed(prompt)
            texts = shown_texts(prompt)
            problems = clipped(prompt)
    finally:
        theme.apply(qapp, "system", "medium")
    assert len(texts) >= 6
    assert untranslated(texts, {"Qqq"}) == [], texts
    assert problems == []


def test_in_german_the_title_and_answers_are_german(qtbot: QtBot) -> None:
    """The title issue 12 names is exact in English and German in German, with the length in German units."""
    i18n.activate("de")
    try:
        prompt = make(qtbot)
        prompt.show_break("Schreibtischpause", 185)
    finally:
        i18n.activate("en")
    assert prompt.windowTitle() == "Zeit für eine Pause"
    assert prompt.routine_label.text() == "Schreibtischpause (3 Min.). Ein paar Minuten für dich."
    assert [b.text() for b in (prompt.start_button, prompt.snooze_button, prompt.skip_button)] == [
        "Starten",
        "In 10 Min. erinnern",
        "Auslassen",
    ]
