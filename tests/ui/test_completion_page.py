"""Completion page: the summary shown, optional tension ratings and note, saved to the history."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from massage_guide.core.history import HistoryStore
from massage_guide.core.settings import Settings
from massage_guide.services.audio import SilentAudio
from massage_guide.ui import theme
from massage_guide.ui.completion_page import CompletionPage
from massage_guide.ui.session_controller import SessionController, SessionSummary
from massage_guide.ui.tension_rating import RING_MARGIN, TensionRating
from tests.conftest import FakeClock
from tests.ui.test_session_controller import make_routine


def make_page(qtbot: QtBot) -> CompletionPage:
    page = CompletionPage()
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    return page


def test_shows_time_and_steps(qtbot: QtBot, tmp_path: Path) -> None:
    """The page says how long the session took and how many steps were done, kindly."""
    page = make_page(qtbot)
    page.show_summary(SessionSummary("id-1", make_routine(tmp_path), "completed", 452.4, 3, 3))
    assert page.time_spent() == "7 min 32 sec"
    assert page.steps_done() == "3 of 3 steps"
    assert page.heading().startswith("Well done")
    page.show_summary(SessionSummary("id-2", make_routine(tmp_path), "stopped", 40, 1, 3))
    assert page.heading().startswith("Session stopped")
    assert page.steps_done() == "1 of 3 steps"
    assert page.steps_ticked()
    page.show_summary(SessionSummary("id-3", make_routine(tmp_path), "stopped", 5, 0, 3))
    assert page.steps_done() == "0 of 3 steps"
    assert not page.steps_ticked()  # no tick for nothing done


def test_ratings_and_note_are_sent_then_done(qtbot: QtBot, tmp_path: Path) -> None:
    """Clicking 7 before, 3 after and writing a note sends them, then asks to leave the page."""
    page = make_page(qtbot)
    page.show_summary(SessionSummary("id-1", make_routine(tmp_path), "completed", 60, 3, 3))
    order: list[str] = []
    sent: list[tuple[object, ...]] = []

    def submitted(*args: object) -> None:
        order.append("feedback")
        sent.append(args)

    page.feedback_submitted.connect(submitted)
    page.done_requested.connect(lambda: order.append("done"))
    click_level(qtbot, page.before, 7)
    click_level(qtbot, page.after, 5)
    click_level(qtbot, page.after, 3)
    qtbot.keyClicks(page.note, "Neck feels warm.")
    qtbot.mouseClick(page.done, Qt.MouseButton.LeftButton)
    assert order == ["feedback", "done"]
    assert sent == [("id-1", 7, 3, "Neck feels warm.")]


def click_level(qtbot: QtBot, rating: TensionRating, level: int) -> None:
    qtbot.mouseClick(rating, Qt.MouseButton.LeftButton, pos=rating.cell_rect(level).center().toPoint())


def test_rating_can_be_skipped_or_cleared(qtbot: QtBot, tmp_path: Path) -> None:
    """Pressing a chosen number again clears it; nothing chosen sends None."""
    page = make_page(qtbot)
    page.show_summary(SessionSummary("id-1", make_routine(tmp_path), "completed", 60, 3, 3))
    click_level(qtbot, page.before, 4)
    assert page.before.value() == 4
    click_level(qtbot, page.before, 4)
    assert page.before.value() is None
    with qtbot.waitSignal(page.feedback_submitted) as sent:
        qtbot.mouseClick(page.done, Qt.MouseButton.LeftButton)
    assert sent.args == ["id-1", None, None, ""]


def test_rating_by_keyboard_arrows_and_digits(qtbot: QtBot, tmp_path: Path) -> None:
    """Tab reaches the rating; arrows, Home/End and digits (1 then 0 for ten) set it; Delete clears it."""
    page = make_page(qtbot)
    page.show_summary(SessionSummary("id-1", make_routine(tmp_path), "completed", 60, 3, 3))
    assert page.after.hasFocus()  # the first thing asked after a session
    qtbot.keyClick(page.after, Qt.Key.Key_Right)
    assert page.after.value() == 0
    for _ in range(3):
        qtbot.keyClick(page.after, Qt.Key.Key_Right)
    qtbot.keyClick(page.after, Qt.Key.Key_Left)
    assert page.after.value() == 2
    qtbot.keyClick(page.after, Qt.Key.Key_7)
    assert page.after.value() == 7
    qtbot.keyClick(page.after, Qt.Key.Key_1)
    qtbot.keyClick(page.after, Qt.Key.Key_0)
    assert page.after.value() == 10
    qtbot.keyClick(page.after, Qt.Key.Key_Home)
    assert page.after.value() == 0
    qtbot.keyClick(page.after, Qt.Key.Key_Delete)
    assert page.after.value() is None
    assert page.after.accessibleDescription() == "not rated"
    qtbot.keyClick(page.after, Qt.Key.Key_End)
    assert page.after.accessibleDescription() == "10 of 10"


def test_rating_shows_a_focus_ring(qtbot: QtBot, tmp_path: Path) -> None:
    """With keyboard focus the chosen number wears a ring in the focus colour; without, it does not."""
    page = make_page(qtbot)
    page.show_summary(SessionSummary("id-1", make_routine(tmp_path), "completed", 60, 3, 3))
    rating = page.after
    qtbot.keyClick(rating, Qt.Key.Key_3)
    ring_point = rating.cell_rect(3).topLeft().toPoint() + QPoint(rating.cell_size() // 2, 1 - RING_MARGIN)
    focused = rating.grab().toImage().pixelColor(ring_point).name()
    page.note.setFocus()
    assert not rating.hasFocus()
    unfocused = rating.grab().toImage().pixelColor(ring_point).name()
    assert focused == theme.current().focus
    assert unfocused != focused


def test_leaving_by_the_sidebar_keeps_the_rating_and_note(qtbot: QtBot, tmp_path: Path) -> None:
    """Hiding the page without Done (sidebar, shortcut) still sends what was typed, once."""
    page = make_page(qtbot)
    page.show_summary(SessionSummary("id-1", make_routine(tmp_path), "stopped", 60, 1, 3, tension_before=6))
    assert page.before.value() == 6  # rated at the start of the session
    click_level(qtbot, page.after, 2)
    qtbot.keyClicks(page.note, "Stopped for a call.")
    sent: list[tuple[object, ...]] = []
    page.feedback_submitted.connect(lambda *args: sent.append(args))
    page.hide()
    page.show()
    page.hide()
    assert sent == [("id-1", 6, 2, "Stopped for a call.")]


def test_no_feedback_without_a_record(qtbot: QtBot, tmp_path: Path) -> None:
    """When the session could not be recorded there is nothing to attach a rating to; Done still works."""
    page = make_page(qtbot)
    page.show_summary(SessionSummary(None, make_routine(tmp_path), "completed", 60, 3, 3))
    with qtbot.assertNotEmitted(page.feedback_submitted), qtbot.waitSignal(page.done_requested):
        qtbot.mouseClick(page.done, Qt.MouseButton.LeftButton)


def test_feedback_reaches_the_history_row(qtbot: QtBot, clock: FakeClock, tmp_path: Path) -> None:
    """Wired as the app wires it, the ratings and note end up on the finished session's row."""
    store, _ = HistoryStore.open(tmp_path / "history.sqlite3")
    controller = SessionController(audio=SilentAudio(), history=store, clock=clock)
    controller.configure(Settings())
    page = make_page(qtbot)
    controller.session_finished.connect(page.show_summary)
    page.feedback_submitted.connect(controller.record_feedback)
    controller.start(make_routine(tmp_path))
    for _ in range(42):
        clock.advance(1)
        controller.refresh()
    assert page.steps_done() == "3 of 3 steps"
    click_level(qtbot, page.before, 6)
    click_level(qtbot, page.after, 2)
    qtbot.keyClicks(page.note, "Better.")
    qtbot.mouseClick(page.done, Qt.MouseButton.LeftButton)
    session = controller.session()
    assert session is not None and session.session_id is not None
    record = store.get(session.session_id)
    assert record is not None
    assert (record.status, record.tension_before, record.tension_after, record.note) == (
        "completed", 6, 2, "Better.",
    )  # fmt: skip
    store.close()
