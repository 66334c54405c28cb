"""Player page: what a user sees of the session, and the requests its buttons and keys make."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from massage_guide.core.engine import Snapshot, State
from massage_guide.core.history import HistoryStore
from massage_guide.core.settings import Settings
from massage_guide.services.audio import SilentAudio
from massage_guide.ui.player_page import STOP_QUESTION, PlayerPage
from massage_guide.ui.session_controller import SessionController
from tests.conftest import FakeClock
from tests.ui.test_session_controller import make_routine


@pytest.fixture
def setup(
    qtbot: QtBot, clock: FakeClock, tmp_path: Path
) -> Iterator[tuple[PlayerPage, SessionController, HistoryStore]]:
    store, _ = HistoryStore.open(tmp_path / "history.sqlite3")
    page = PlayerPage()
    qtbot.addWidget(page)
    page.resize(1100, 750)
    controller = SessionController(audio=SilentAudio(), history=store, clock=clock)
    controller.configure(Settings())
    controller.attach(page)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    controller.start(make_routine(tmp_path))
    yield page, controller, store
    controller.shutdown()
    store.close()


def shown(controller: SessionController) -> Snapshot:
    snapshot = controller.snapshot()
    assert snapshot is not None
    return snapshot


def test_shows_the_step_large_with_badges_ring_and_next(
    setup: tuple[PlayerPage, SessionController, HistoryStore],
) -> None:
    """The instruction, title, badges, countdown and next step are on screen; the instruction is >= 22 pt."""
    page, _, _ = setup
    assert page.instruction_text() == "Stroke down the sides of your neck."
    assert page._title.text() == "Warm the neck"
    assert page._technique_badge.text() == "Stroking" and page._technique_badge.isVisible()
    assert page._pressure_badge.text() == "Light pressure"
    assert not page._side_badge.isVisible()
    assert page._ring.text() == "0:20"
    assert page._next_label.text() == "Next: Breathe"
    assert page._step_count.text() == "Step 1 of 3"
    assert page._instruction.font().pointSizeF() >= 22
    assert page._body_map.highlight() == "neck"


def test_countdown_follows_the_clock(
    setup: tuple[PlayerPage, SessionController, HistoryStore], clock: FakeClock
) -> None:
    """As time passes the ring counts down and the progress bar fills."""
    page, controller, _ = setup
    clock.advance(5)
    controller.refresh()
    assert page._ring.text() == "0:15"
    assert page._progress.overall() == pytest.approx(5 / 42)


def test_space_pauses_and_resumes_with_a_lead_in(
    qtbot: QtBot, setup: tuple[PlayerPage, SessionController, HistoryStore]
) -> None:
    """Space pauses (the button then says Resume), and Space again counts in 3-2-1."""
    page, controller, _ = setup
    qtbot.keyClick(page.controls()["pause"], Qt.Key.Key_Space)
    assert shown(controller).state is State.PAUSED
    assert page.controls()["pause"].text() == "Resume"
    assert page._ring.caption() == "Paused"
    qtbot.keyClick(page.controls()["pause"], Qt.Key.Key_Space)
    assert shown(controller).state is State.LEAD_IN
    assert (page._ring.text(), page._ring.caption()) == ("3", "Get ready")


def test_arrow_keys_and_buttons_move_between_steps(
    qtbot: QtBot, setup: tuple[PlayerPage, SessionController, HistoryStore]
) -> None:
    """Right and the next button go forward, Left goes back; the breathing step shows the pacer."""
    page, controller, _ = setup
    qtbot.keyClick(page.controls()["pause"], Qt.Key.Key_Right)
    assert page._title.text() == "Breathe"
    assert page._pacer.isVisible() and page._pacer.phase_label() == "Breathe in"
    qtbot.keyClick(page.controls()["pause"], Qt.Key.Key_Left)
    assert page._title.text() == "Warm the neck"
    assert not page._pacer.isVisible()
    qtbot.mouseClick(page.controls()["next"], Qt.MouseButton.LeftButton)
    assert shown(controller).index == 1


def test_more_time_adds_fifteen_seconds(
    qtbot: QtBot, setup: tuple[PlayerPage, SessionController, HistoryStore]
) -> None:
    """The +15 s button gives the step fifteen more seconds on the ring."""
    page, _, _ = setup
    qtbot.mouseClick(page.controls()["extend"], Qt.MouseButton.LeftButton)
    assert page._ring.text() == "0:35"


def test_mute_key_asks_to_mute_and_shows_it(
    qtbot: QtBot, setup: tuple[PlayerPage, SessionController, HistoryStore]
) -> None:
    """M asks to mute; the controller's answer turns the button to 'Unmute'."""
    page, _, _ = setup
    with qtbot.waitSignal(page.mute_toggled) as toggled:
        qtbot.keyClick(page.controls()["pause"], Qt.Key.Key_M)
    assert toggled.args == [True]
    assert page.controls()["mute"].isChecked()
    assert page.controls()["mute"].accessibleName() == "Unmute"


def answer_stop(qtbot: QtBot, page: PlayerPage, answer: str) -> None:
    qtbot.keyClick(page.controls()["pause"], Qt.Key.Key_Escape)
    box = page.stop_box()
    assert box is not None and box.text() == STOP_QUESTION
    button = next(b for b in box.buttons() if b.text() == answer)
    assert isinstance(button, QPushButton)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_escape_asks_and_keep_going_keeps_going(
    qtbot: QtBot, setup: tuple[PlayerPage, SessionController, HistoryStore]
) -> None:
    """Esc asks "Stop this session?"; "Keep going" leaves the session running."""
    page, controller, _ = setup
    with qtbot.assertNotEmitted(page.stop_requested):
        answer_stop(qtbot, page, "Keep going")
    assert controller.is_running()


def test_escape_then_stop_ends_the_session_on_record(
    qtbot: QtBot, setup: tuple[PlayerPage, SessionController, HistoryStore]
) -> None:
    """Confirming the stop ends the session, and the history holds it as stopped."""
    page, controller, store = setup
    with qtbot.waitSignal(controller.session_stopped) as stopped:
        answer_stop(qtbot, page, "Stop")
    record = store.get(stopped.args[0].session_id)
    assert record is not None and record.status == "stopped"
    assert not page.controls()["next"].isEnabled()


def test_reduced_motion_shows_a_still_phase_and_seconds(
    setup: tuple[PlayerPage, SessionController, HistoryStore], clock: FakeClock
) -> None:
    """With reduced motion the pacer does not grow; it names the phase and counts its seconds."""
    page, controller, _ = setup
    controller.configure(replace(Settings(), reduced_motion=True))
    controller.next_step()
    sizes = set()
    for _ in range(3):
        clock.advance(1)
        controller.refresh()
        sizes.add(page._pacer.circle_size())
    assert len(sizes) == 1
    assert (page._pacer.phase_label(), page._pacer.count_text()) == ("Breathe in", "1")


def test_pacer_grows_with_the_in_breath(
    setup: tuple[PlayerPage, SessionController, HistoryStore], clock: FakeClock
) -> None:
    """Without reduced motion the circle grows through the in-breath."""
    page, controller, _ = setup
    controller.next_step()
    first = page._pacer.circle_size()
    clock.advance(2)
    controller.refresh()
    assert page._pacer.circle_size() > first


def test_hide_time_left_hides_the_digits(
    setup: tuple[PlayerPage, SessionController, HistoryStore], clock: FakeClock
) -> None:
    """Someone winding down can hide the numbers; the ring still moves."""
    page, controller, _ = setup
    controller.configure(replace(Settings(), hide_time_left=True))
    clock.advance(1)
    controller.refresh()
    assert page._ring.text() == ""
    assert page._time_left.text() == ""


def test_controls_have_names_and_room(setup: tuple[PlayerPage, SessionController, HistoryStore]) -> None:
    """Every control has an accessible name and is at least 32 px each way."""
    page, _, _ = setup
    for button in page.controls().values():
        assert button.accessibleName()
        assert button.width() >= 32 and button.height() >= 32


def test_pause_and_resume_have_the_same_width(
    qtbot: QtBot, setup: tuple[PlayerPage, SessionController, HistoryStore]
) -> None:
    """The Pause button does not change width when it turns into Resume, so the controls never jump."""
    page, controller, _ = setup
    pause = page.controls()["pause"]
    width = pause.width()
    controller.pause()
    assert pause.text() == "Resume"
    qtbot.waitUntil(lambda: pause.width() == width)
    controller.resume()
    assert pause.width() == width
