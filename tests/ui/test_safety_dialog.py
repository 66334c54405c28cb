"""The safety notice: the Markdown rendered, "I understand" accepts and "Not now" rejects."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from massage_guide import resources
from massage_guide.ui.safety_dialog import SafetyNoticeDialog

NOTICE = "# Stay safe\n\n- Stop if anything **hurts** sharply.\n- Ask a doctor about new pain.\n"


def test_renders_markdown_and_title(qtbot: QtBot) -> None:
    """The notice reads as text, not Markdown source, under the title "Before you start"."""
    dialog = SafetyNoticeDialog(NOTICE)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Before you start"
    text = dialog.browser.toPlainText()
    assert "Stop if anything hurts sharply." in text
    assert "**" not in text and "#" not in text


def test_i_understand_accepts(qtbot: QtBot) -> None:
    """Clicking "I understand" closes the notice as accepted."""
    dialog = SafetyNoticeDialog(NOTICE)
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_not_now_and_escape_reject(qtbot: QtBot) -> None:
    """ "Not now" and Esc close the notice without accepting it."""
    for close in ("button", "escape"):
        dialog = SafetyNoticeDialog(NOTICE)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        with qtbot.waitSignal(dialog.rejected):
            if close == "button":
                qtbot.mouseClick(dialog.not_now_button, Qt.MouseButton.LeftButton)
            else:
                qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        assert dialog.result() == QDialog.DialogCode.Rejected


def test_enter_accepts_by_default(qtbot: QtBot) -> None:
    """Enter presses the default "I understand" button."""
    dialog = SafetyNoticeDialog(NOTICE)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.accept_button, Qt.Key.Key_Return)


def test_bundled_notice_when_present(qtbot: QtBot) -> None:
    """The real docs/safety.md, once written, renders with some text in it."""
    path = resources.safety_notice_file()
    markdown = path.read_text(encoding="utf-8") if path.is_file() else NOTICE
    dialog = SafetyNoticeDialog(markdown)
    qtbot.addWidget(dialog)
    assert len(dialog.browser.toPlainText()) > 20
