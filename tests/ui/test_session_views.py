"""Views of one session: the player page and the mini player attach to it, detach, and show the same thing."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from massage_guide import paths as paths_module
from massage_guide.app import build
from massage_guide.core.engine import State
from massage_guide.core.history import HistoryStore
from massage_guide.core.settings import Settings
from massage_guide.ui import theme
from massage_guide.ui.mini_player import MiniPlayerWindow
from massage_guide.ui.player_page import PlayerPage
from massage_guide.ui.session_controller import SessionController
from massage_guide.ui.session_view import FullSessionView, SessionView
from tests.conftest import FakeClock
from tests.ui.test_session_controller import RecordingAudio, make_routine


@dataclass
class Views:
    """One session controller on a fake clock, the player page attached, and a mini player not yet attached."""

    session: SessionController
    clock: FakeClock
    page: PlayerPage
    mini: MiniPlayerWindow

    def tick(self, seconds: float) -> None:
        """Move the fake clock and look, as the controller's timer would."""
        self.clock.advance(seconds)
        self.session.refresh()


@pytest.fixture
def views(qtbot: QtBot, tmp_path: Path, clock: FakeClock) -> Iterator[Views]:
    store, _messages = HistoryStore.open(tmp_path / "history.sqlite3")
    session = SessionController(audio=RecordingAudio(), history=store, clock=clock)
    session.configure(Settings())
    page = PlayerPage()
    qtbot.addWidget(page)
    session.attach(page)
    mini = MiniPlayerWindow()
    qtbot.addWidget(mini)
    yield Views(session, clock, page, mini)
    session.shutdown()
    store.close()


def test_the_mini_player_attached_mid_session_shows_the_same_step_and_countdown(
    views: Views, tmp_path: Path
) -> None:
    """A view attached while a session runs shows its routine, step and countdown at once, then follows it."""
    session, page, mini = views.session, views.page, views.mini
    session.start(make_routine(tmp_path))
    views.tick(5)
    assert mini.step_label.text() == ""
    session.attach(mini)
    assert mini.routine_label.text() == "Tiny neck"
    assert (mini.step_label.text(), mini.countdown.text()) == ("Warm the neck", "0:15")
    assert (page._title.text(), page._ring.text()) == ("Warm the neck", "0:15")
    views.tick(7)
    assert mini.countdown.text() == page._ring.text() == "0:08"
    assert session.views() == (page, mini)


def test_requests_from_either_view_drive_the_one_session(views: Views, tmp_path: Path) -> None:
    """Next and Pause in the mini player move the session, and the player page follows."""
    session, page, mini = views.session, views.page, views.mini
    session.start(make_routine(tmp_path))
    session.attach(mini)
    mini.next_button.click()
    assert page._title.text() == mini.step_label.text() == "Breathe"
    mini.pause_button.click()
    snapshot = session.snapshot()
    assert snapshot is not None and snapshot.state is State.PAUSED
    assert page._ring.caption() == "Paused"
    assert mini.pause_button.text() == "Resume"


def test_a_detached_view_is_left_alone_and_the_session_runs_on(views: Views, tmp_path: Path) -> None:
    """After detach the mini player neither follows the session nor drives it; the player page goes on."""
    session, page, mini = views.session, views.page, views.mini
    session.start(make_routine(tmp_path))
    session.attach(mini)
    views.tick(2)
    session.detach(mini)
    assert session.views() == (page,)
    views.tick(5)
    assert page._ring.text() == "0:13"
    assert mini.countdown.text() == "0:18"  # where it was when it let go
    mini.next_button.click()
    mini.stop_button.click()
    snapshot = session.snapshot()
    assert snapshot is not None and snapshot.index == 0 and snapshot.state is State.RUNNING
    session.attach(mini)  # and back again
    assert mini.countdown.text() == "0:13"


def test_attaching_twice_is_one_attachment(views: Views, tmp_path: Path) -> None:
    """One click is one step, however often a view was attached."""
    views.session.attach(views.mini)
    views.session.attach(views.mini)
    views.session.start(make_routine(tmp_path))
    views.mini.next_button.click()
    snapshot = views.session.snapshot()
    assert snapshot is not None and snapshot.index == 1


def test_settings_reach_every_attached_view(views: Views, tmp_path: Path) -> None:
    """hide_time_left hides the countdown in both views; mute reaches the view that has a mute button."""
    views.session.attach(views.mini)
    views.session.start(make_routine(tmp_path))
    views.session.configure(Settings(hide_time_left=True, muted=True))
    assert not views.mini.countdown.isVisibleTo(views.mini)
    assert views.page._time_left.text() == ""
    assert views.page._mute.isChecked()


def test_both_windows_are_session_views_and_only_the_player_has_every_control(views: Views) -> None:
    """The player page offers the full controls (previous, extend, mute, volume); the mini player the four."""
    attached: list[SessionView] = [views.page, views.mini]  # mypy checks both against the protocol
    assert [isinstance(view, FullSessionView) for view in attached] == [True, False]


def test_in_the_app_the_mini_player_joins_the_player_and_leaves_on_expand(
    qtbot: QtBot, mg_home: Path, clock: FakeClock
) -> None:
    """The player's mini button attaches the mini player beside the page; Expand detaches it, the page stays."""
    qt = QApplication.instance()
    assert isinstance(qt, QApplication)
    (mg_home / "settings.yaml").write_text("safety_notice_seen: true\n", encoding="utf-8")
    app = build(qt, paths=paths_module.resolve(), clock=clock, audio=RecordingAudio(), tray_available=False)
    qtbot.addWidget(app.window)
    app.window.show()
    assert app.controller.start_routine("desk-break-3-minutes")
    page = app.window.page("player")
    assert isinstance(page, PlayerPage)
    page.mini_button.click()
    assert app.office is not None and app.office.mini is not None
    mini = app.office.mini
    qtbot.addWidget(mini)
    assert app.session.views() == (page, mini)
    clock.advance(4)
    app.session.refresh()
    assert mini.countdown.text() == page._ring.text()
    assert mini.step_label.text() == page._title.text()
    mini.expand_button.click()
    assert app.session.views() == (page,)
    assert app.window.isVisible() and not mini.isVisible()
    app.controller.shutdown()
    app.close()
    theme.apply(qt, "system", "medium")
