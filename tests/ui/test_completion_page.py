"""Completion page: the summary shown, optional tension ratings and note, saved to the history."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from massage_guide.core.history import HistoryStore
from massage_guide.core.settings import Settings
from massage_guide.services.audio import SilentAudio
from massage_guide.ui.completion_page import CompletionPage, spoken_duration
from massage_guide.ui.session_controller import SessionController, SessionSummary
from tests.conftest import FakeClock
from tests.ui.test_session_controller import make_routine


def make_page(qtbot: QtBot) -> CompletionPage:
    page = CompletionPage()
    qtbot.addWidget(page)
    page.show()
    return page


def test_shows_time_and_steps(qtbot: QtBot, tmp_path: Path) -> None:
    """The page says how long the session took and how many steps were done, kindly."""
    page = make_page(qtbot)
    page.show_summary(SessionSummary("id-1", make_routine(tmp_path), "completed", 452.4, 3, 3))
    assert page.time_spent() == "7 min 32 s"
    assert page.steps_done() == "3 of 3"
    assert page.heading().startswith("Well done")
    page.show_summary(SessionSummary("id-2", make_routine(tmp_path), "stopped", 40, 1, 3))
    assert page.heading().startswith("Session stopped")


def test_spoken_duration() -> None:
    """Durations read the way a person says them."""
    assert [spoken_duration(s) for s in (45, 60, 452, 3600, 3900)] == [
        "45 s", "1 min", "7 min 32 s", "1 h", "1 h 5 min",
    ]  # fmt: skip


def test_ratings_and_note_are_sent_then_done(qtbot: QtBot, tmp_path: Path) -> None:
    """Clicking 7 before, 3 after and writing a note sends them, then asks to leave the page."""
    page = make_page(qtbot)
    page.show_summary(SessionSummary("id-1", make_routine(tmp_path), "completed", 60, 3, 3))
    order: list[str] = []
    sent: list[tuple[object, ...]] = []
    page.feedback_submitted.connect(lambda *args: (order.append("feedback"), sent.append(args)))
    page.done_requested.connect(lambda: order.append("done"))
    qtbot.mouseClick(page.before.buttons[7], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.after.buttons[5], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.after.buttons[3], Qt.MouseButton.LeftButton)
    qtbot.keyClicks(page.note, "Neck feels warm.")
    qtbot.mouseClick(page.done, Qt.MouseButton.LeftButton)
    assert order == ["feedback", "done"]
    assert sent == [("id-1", 7, 3, "Neck feels warm.")]


def test_rating_can_be_skipped_or_cleared(qtbot: QtBot, tmp_path: Path) -> None:
    """Pressing a chosen number again clears it; nothing chosen sends None."""
    page = make_page(qtbot)
    page.show_summary(SessionSummary("id-1", make_routine(tmp_path), "completed", 60, 3, 3))
    qtbot.mouseClick(page.before.buttons[4], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.before.buttons[4], Qt.MouseButton.LeftButton)
    assert not any(button.isChecked() for button in page.before.buttons)
    with qtbot.waitSignal(page.feedback_submitted) as sent:
        qtbot.mouseClick(page.done, Qt.MouseButton.LeftButton)
    assert sent.args == ["id-1", None, None, ""]


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
    assert page.steps_done() == "3 of 3"
    qtbot.mouseClick(page.before.buttons[6], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.after.buttons[2], Qt.MouseButton.LeftButton)
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
