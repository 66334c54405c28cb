"""The tray's menu and tooltip lines in every language: all translated, times and lengths in the language's form."""

from __future__ import annotations

from datetime import date, datetime

from pytestqt.qtbot import QtBot

from massage_guide.core import i18n
from massage_guide.ui.reminder_controller import next_break_text
from massage_guide.ui.tray import TrayController
from tests.ui.pseudo_locale import menu_texts, pseudo_locale, untranslated

TODAY = date(2026, 3, 2)
PAUSED_TODAY = datetime(2026, 3, 2, 11, 20)
PAUSED_TOMORROW = datetime(2026, 3, 3, 9, 0)


def _status_lines() -> list[str]:
    return [
        next_break_text(None, None, enabled=False),
        next_break_text(None, PAUSED_TODAY, enabled=True, today=TODAY),
        next_break_text(None, PAUSED_TOMORROW, enabled=True, today=TODAY),
        next_break_text(None, None, enabled=True),
        next_break_text(0, None, enabled=True),
        next_break_text(1799, None, enabled=True),
    ]


def test_pseudo_locale_translates_the_menu_and_every_tooltip_line(qtbot: QtBot) -> None:
    """Under the pseudo-locale every menu entry (the pause submenu too) and every tooltip line is translated."""
    with pseudo_locale():
        tray = TrayController()
        tray.set_sleep_timer(True)
        texts = menu_texts(tray.menu)
        lines = _status_lines()
        tray.set_status(lines[-1])
        tooltip = tray.tooltip()
    assert len(texts) == 9, texts  # 8 entries and the pause submenu
    assert untranslated(texts) == []
    assert untranslated([("tooltip line", line) for line in lines]) == []
    assert tooltip == "Massage Guide\n" + lines[-1]


def test_german_tooltip_lines_use_german_words_and_units() -> None:
    """In German the lines read naturally, with German minutes and the 24-hour clock."""
    i18n.activate("de")
    try:
        lines = _status_lines()
    finally:
        i18n.activate("en")
    assert lines == [
        "Pausen-Erinnerungen sind aus",
        "Erinnerungen pausiert bis 11:20",
        "Erinnerungen pausiert bis morgen um 09:00",
        "Gerade keine Pausen-Erinnerungen",
        "Jetzt ist eine Pause dran",
        "Nächste Pause in 30 Min.",
    ]
    assert _status_lines()[-1] == "Next break in 30 min"
