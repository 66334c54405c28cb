"""A session's steady state is cheap: nothing counts or animates unseen, and a tick repaints only what changed."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject, QRect
from PySide6.QtGui import QFont, QImage, QPaintEvent
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLabel, QWidget
from pytestqt.qtbot import QtBot

from massage_guide.core.engine import State
from massage_guide.core.ports import SilentAudio
from massage_guide.core.settings import Settings
from massage_guide.ui.countdown_ring import CountdownRingView
from massage_guide.ui.mini_player import MiniPlayerWindow
from massage_guide.ui.player_page import PlayerPage
from massage_guide.ui.session_controller import BREATH_FRAME_SECONDS, SessionController
from massage_guide.ui.steady_label import SteadyLabel
from massage_guide.ui.step_progress import StepProgressView
from tests.conftest import FakeClock
from tests.ui.test_session_controller import make_routine


class EventLog(QObject):
    """Counts the events of chosen kinds a widget receives, and keeps the rectangles it is painted in."""

    def __init__(self, *kinds: QEvent.Type) -> None:
        super().__init__()
        self.kinds = kinds
        self.count = 0
        self.painted: list[int] = []  # the area of each paint's region, in pixels

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in self.kinds:
            self.count += 1
        if isinstance(event, QPaintEvent):
            rects: Iterable[QRect] = event.region()  # type: ignore[assignment]  # iterable; the stubs miss it
            self.painted.append(sum(rect.width() * rect.height() for rect in rects))
        return False


@pytest.fixture
def controller(qtbot: QtBot, clock: FakeClock) -> Iterator[SessionController]:
    made = SessionController(audio=SilentAudio(), history=None, clock=clock)
    made.configure(Settings())
    yield made
    made.shutdown()


@pytest.fixture
def page(qtbot: QtBot) -> PlayerPage:
    shown = PlayerPage()
    qtbot.addWidget(shown)
    shown.resize(1024, 600)
    shown.show()
    qtbot.waitExposed(shown)
    return shown


def test_minimised_window_waits_for_the_steps_end_and_shows_the_right_second_on_return(
    qtbot: QtBot, controller: SessionController, page: PlayerPage, clock: FakeClock, tmp_path: Path
) -> None:
    """Minimised, the player is not refreshed every second; restored, it shows the true time left at once."""
    controller.attach(page)
    controller.start(make_routine(tmp_path))
    assert controller.timer_interval_ms() == 1001  # on screen: every whole second
    page.showMinimized()
    # Only what is heard is awaited: the "10 seconds left" cue of this 20 s step, not the next second.
    qtbot.waitUntil(lambda: 9999 <= (controller.timer_interval_ms() or 0) <= 10_002)
    clock.advance(7.4)  # no tick comes while minimised: the display is left as it was
    page.showNormal()
    qtbot.waitUntil(lambda: page._ring.text() == "0:13")
    interval = controller.timer_interval_ms()
    assert interval is not None and 600 < interval <= 602  # counting whole seconds again


def test_another_page_in_front_stops_the_breathing_animation_but_not_the_breath_cues(
    qtbot: QtBot, controller: SessionController, page: PlayerPage, clock: FakeClock, tmp_path: Path
) -> None:
    """A hidden pacer is not animated: the timer waits for the next breath phase, whose cue is still heard."""
    controller.attach(page)
    controller.start(make_routine(tmp_path))
    controller.next_step()  # Breathe: in 4, out 6, rest 2
    assert controller.timer_interval_ms() == round(BREATH_FRAME_SECONDS * 1000)
    page.hide()
    # The in-breath's end (4 s), not the next frame.
    qtbot.waitUntil(lambda: 3999 <= (controller.timer_interval_ms() or 0) <= 4002)
    page.show()
    qtbot.waitUntil(lambda: controller.timer_interval_ms() == round(BREATH_FRAME_SECONDS * 1000))


def test_the_mini_player_alone_on_screen_counts_seconds_without_animation(
    qtbot: QtBot, controller: SessionController, page: PlayerPage, clock: FakeClock, tmp_path: Path
) -> None:
    """With the main window hidden and the mini player shown, its countdown still ticks each second."""
    mini = MiniPlayerWindow()
    qtbot.addWidget(mini)
    controller.attach(page)
    controller.attach(mini)
    controller.start(make_routine(tmp_path))
    controller.next_step()
    page.hide()
    mini.show()
    qtbot.waitExposed(mini)
    qtbot.waitUntil(lambda: 999 <= (controller.timer_interval_ms() or 0) <= 1002)
    clock.advance(2.0)
    controller.refresh()
    assert mini.countdown.text() == "0:10"


def test_pausing_stops_the_timer_even_with_the_player_on_screen(
    controller: SessionController, page: PlayerPage, tmp_path: Path
) -> None:
    """Paused, nothing is armed: a paused session wakes nothing up."""
    controller.attach(page)
    controller.start(make_routine(tmp_path))
    controller.pause()
    snapshot = controller.snapshot()
    assert snapshot is not None and snapshot.state is State.PAUSED
    assert controller.timer_interval_ms() is None


def test_a_seconds_tick_does_not_lay_out_the_page_again(
    qtbot: QtBot, controller: SessionController, page: PlayerPage, clock: FakeClock, tmp_path: Path
) -> None:
    """The time left in all changes every second without asking the page's layouts to work again."""
    controller.attach(page)
    controller.start(make_routine(tmp_path))
    for _turn in range(20):  # a new step's layout settles over a few turns of the event loop
        QApplication.processEvents()
    log = EventLog(QEvent.Type.LayoutRequest)
    page.installEventFilter(log)
    for _second in range(3):
        clock.advance(1.0)
        controller.refresh()
        QApplication.processEvents()
    page.removeEventFilter(log)
    assert page._time_left.text() == "0:39 left in all"
    assert log.count == 0


def test_a_steady_label_grows_when_its_text_or_font_needs_it(qtbot: QtBot) -> None:
    """Pinned to its text's size, the label still takes a longer text and a larger font without clipping."""
    holder = QWidget()
    qtbot.addWidget(holder)
    row = QHBoxLayout(holder)
    label = SteadyLabel("9:59 left in all")
    row.addWidget(label)
    row.addWidget(QLabel("beside"))
    holder.show()
    qtbot.waitExposed(holder)
    label.set_steady_text("10:00:00 noch insgesamt übrig, ein langer Satz")
    QApplication.processEvents()
    assert label.width() >= label.fontMetrics().horizontalAdvance(label.text())
    before = label.width()
    holder.setStyleSheet("QLabel { font-size: 30pt; }")  # as the theme's style sheet sets the text size
    QApplication.processEvents()
    assert label.width() > before
    assert label.width() >= label.fontMetrics().horizontalAdvance(label.text())
    assert label.font().featureValue(QFont.Tag("tnum")) == 1  # tabular digits kept under the style sheet


def test_a_tick_repaints_the_digits_and_the_moved_arc_not_the_whole_ring(qtbot: QtBot) -> None:
    """A second's change repaints a part of the ring, and the ring then looks exactly as a full paint."""
    ring = CountdownRingView()
    qtbot.addWidget(ring)
    ring.resize(240, 240)
    ring.set_state(1.0, "0:20", "left")
    ring.show()
    qtbot.waitExposed(ring)
    QApplication.processEvents()  # the first, whole paint
    log = EventLog(QEvent.Type.Paint)
    ring.installEventFilter(log)
    for second in range(19, 9, -1):
        ring.set_state(second / 20, f"0:{second:02d}", "left")
        QApplication.processEvents()
    ring.removeEventFilter(log)
    assert log.painted
    assert max(log.painted) < 0.5 * 240 * 240
    shown = _on_screen(ring)
    fresh = CountdownRingView()
    qtbot.addWidget(fresh)
    fresh.resize(240, 240)
    fresh.set_state(10 / 20, "0:10", "left")
    fresh.show()
    qtbot.waitExposed(fresh)
    QApplication.processEvents()
    assert not shown.isNull()
    assert shown == _on_screen(fresh)


def test_the_progress_bar_repaints_only_when_a_pixel_changes(qtbot: QtBot) -> None:
    """Progress under a pixel is not repainted; a visible change repaints only the current step's segment."""
    bar = StepProgressView()
    qtbot.addWidget(bar)
    bar.resize(400, 14)
    bar.set_steps([600.0, 600.0])  # each segment ~198 px: a second is a third of a pixel
    bar.show()
    qtbot.waitExposed(bar)
    QApplication.processEvents()  # the first, whole paint
    log = EventLog(QEvent.Type.Paint)
    bar.installEventFilter(log)
    bar.set_position(0, 1 / 600)
    QApplication.processEvents()
    assert log.painted == []
    bar.set_position(0, 30 / 600)
    QApplication.processEvents()
    bar.removeEventFilter(log)
    assert len(log.painted) == 1 and log.painted[0] < 210 * 14  # the first segment, not the whole bar
    assert bar.overall() == pytest.approx(15 / 600)


def _on_screen(widget: QWidget) -> QImage:
    """What the window system has of ``widget`` now (its backing store), not a fresh render."""
    screen = widget.screen()
    return screen.grabWindow(widget.winId()).toImage()
