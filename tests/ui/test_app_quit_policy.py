"""The quit policy in app.py: what closing the window means with and without reminders and a tray."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from massage_guide.app import App
from massage_guide.ui import theme
from tests.ui.test_office_breaks import BUILT, REMINDERS_ON, Desk, FakeQt, make_app

REMINDERS_OFF = "safety_notice_seen: true\n"


@pytest.fixture
def desk() -> Desk:
    return Desk()


@pytest.fixture
def qt() -> Iterator[QApplication]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    yield app
    while BUILT:  # no timer of this test may fire in a later one
        built = BUILT.pop()
        built.controller.settings_controller.shutdown()
        if built.office is not None:
            built.office.shutdown()
    app.setQuitOnLastWindowClosed(True)
    for widget in app.topLevelWidgets():
        widget.hide()
    theme.apply(app, "system", "medium")


def statuses(app: App) -> list[tuple[str, str]]:
    assert app.history is not None
    return [(record.routine_id, record.status) for record in app.history.list_sessions()]


def test_with_reminders_and_a_tray_closing_stops_the_session_and_keeps_the_app(
    qtbot: QtBot, qt: QApplication, desk: Desk, mg_home: Path
) -> None:
    """Reminders on and a tray: the window closes to the tray, the live session is on record as stopped."""
    app = make_app(qtbot, qt, desk, mg_home, tray=True)
    assert app.quit_policy is not None and app.office is not None and app.office.tray is not None
    app.window.show()
    assert app.controller.start_routine("desk-break-3-minutes")
    app.window.close()
    assert not app.window.isVisible()
    assert not app.controller.session_running()
    assert statuses(app) == [("desk-break-3-minutes", "stopped")]
    assert app.quit_policy.keeps_running()
    assert not qt.quitOnLastWindowClosed()
    assert app.office.tray.is_visible()
    assert "geometry" in app.read_state()  # its place is kept for the next time it opens


def test_without_reminders_closing_stops_the_session_and_quits(
    qtbot: QtBot, qt: QApplication, desk: Desk, mg_home: Path
) -> None:
    """Reminders off (a tray or not): closing the window ends the session on record and the app quits."""
    app = make_app(qtbot, qt, desk, mg_home, tray=True, settings=REMINDERS_OFF)
    assert app.quit_policy is not None
    assert not app.quit_policy.keeps_running()
    assert qt.quitOnLastWindowClosed()
    app.window.show()
    assert app.controller.start_routine("desk-break-3-minutes")
    fake = FakeQt()
    app.quit_policy.qt = fake  # type: ignore[assignment]
    app.window.close()
    assert statuses(app) == [("desk-break-3-minutes", "stopped")]
    assert qt.quitOnLastWindowClosed()  # Qt ends the app as its last window closes
    assert not fake.windows_closed  # no other window is closed for it: an open editor lives on until closed


def test_without_a_tray_reminders_on_still_quit(
    qtbot: QtBot, qt: QApplication, desk: Desk, mg_home: Path
) -> None:
    """Reminders on but no tray to live in: closing quits rather than leave an app nobody can reach."""
    app = make_app(qtbot, qt, desk, mg_home, tray=False)
    assert app.quit_policy is not None
    assert app.controller.settings.reminders.enabled
    assert not app.quit_policy.keeps_running()
    assert qt.quitOnLastWindowClosed()


def test_the_decision_follows_the_reminders_setting(
    qtbot: QtBot, qt: QApplication, desk: Desk, mg_home: Path
) -> None:
    """Turning reminders on keeps the app in the tray from then on; turning them off makes closing quit."""
    app = make_app(qtbot, qt, desk, mg_home, tray=True, settings=REMINDERS_OFF)
    assert app.quit_policy is not None
    reminders = app.controller.settings.reminders
    app.controller.change_setting("reminders", replace(reminders, enabled=True))
    assert app.quit_policy.keeps_running() and not qt.quitOnLastWindowClosed()
    app.controller.change_setting("reminders", replace(reminders, enabled=False))
    assert not app.quit_policy.keeps_running() and qt.quitOnLastWindowClosed()


def test_quit_from_the_tray_ends_the_app_even_with_reminders_on(
    qtbot: QtBot, qt: QApplication, desk: Desk, mg_home: Path
) -> None:
    """The tray's Quit closes every window and quits; the window it closes does not go to the tray."""
    app = make_app(qtbot, qt, desk, mg_home, tray=True, settings=REMINDERS_ON)
    assert app.quit_policy is not None and app.office is not None and app.office.tray is not None
    app.window.show()
    fake = FakeQt()
    app.quit_policy.qt = fake  # type: ignore[assignment]
    app.office.tray.actions["quit"].trigger()
    assert fake.quits == 1 and fake.windows_closed
    assert not app.quit_policy.keeps_running()
    assert not app.window.isVisible()
    assert "tray_note_shown" not in app.read_state()  # no "still running in the tray" note on the way out
