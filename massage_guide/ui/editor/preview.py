"""Preview in the editor: step through the routine, or play it at 10x speed, with nothing put on record.

The preview runs the session engine alone (no Session, so no history and no sounds) on a clock that
can run ten times faster than the real one.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer, Signal, SignalInstance
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from massage_guide.core import formatting
from massage_guide.core.engine import SessionEngine, Snapshot, State
from massage_guide.core.i18n import _, active_language
from massage_guide.core.model import Routine
from massage_guide.ui import theme
from massage_guide.ui.flow_layout import FlowLayout

FAST_FACTOR = 10.0  # "play at 10x": a 5-minute routine previews in 30 seconds
# The fast preview redraws this often: every virtual second at 10x, so the countdown steps one by one.
FAST_FRAME_MS = 100


class ScaledClock:
    """A monotonic clock that runs ``factor`` times faster than ``base`` from the moment it is set."""

    def __init__(self, base: Callable[[], float]) -> None:
        self._base = base
        self._origin_base = base()
        self._origin_value = 0.0
        self._factor = 1.0

    def __call__(self) -> float:
        return self._origin_value + (self._base() - self._origin_base) * self._factor

    def set_factor(self, factor: float) -> None:
        now = self()
        self._origin_base = self._base()
        self._origin_value = now
        self._factor = factor


class PreviewController(QObject):
    """Drives a preview run. Signals: ``snapshot_changed(Snapshot)``, ``finished()``."""

    snapshot_changed = Signal(object)
    finished = Signal()

    def __init__(self, clock: Callable[[], float] = time.monotonic, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._base_clock = clock
        self._clock = ScaledClock(clock)
        self._engine: SessionEngine | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(FAST_FRAME_MS)
        self._timer.timeout.connect(self.refresh)

    def start(self, routine: Routine) -> None:
        """Show the first step, held still, ready to step through."""
        self._clock = ScaledClock(self._base_clock)
        self._engine = SessionEngine(routine.steps, self._clock, lead_in_seconds=0)
        self._engine.start()
        self._engine.pause()
        self._timer.stop()
        self._emit()

    def is_active(self) -> bool:
        return self._engine is not None and self._engine.state in (State.RUNNING, State.PAUSED)

    def play_fast(self) -> None:
        engine = self._engine
        if engine is None:
            return
        self._clock.set_factor(FAST_FACTOR)
        engine.resume()
        self._timer.start()
        self._emit()

    def hold(self) -> None:
        """Stop the fast play and hold the step shown."""
        if self._engine is not None:
            self._engine.pause()
        self._clock.set_factor(1.0)
        self._timer.stop()
        self._emit()

    def next_step(self) -> None:
        if self._engine is not None:
            self._engine.next()
            self._emit()

    def previous_step(self) -> None:
        if self._engine is not None:
            self._engine.previous()
            self._emit()

    def stop(self) -> None:
        self._timer.stop()
        if self._engine is not None and self._engine.state in (State.RUNNING, State.PAUSED):
            self._engine.stop()
        self._engine = None

    def refresh(self) -> None:
        """Look at the clock (the timer does this; tests call it after moving a fake clock)."""
        if self._engine is not None:
            self._engine.tick()
            self._emit()

    def _emit(self) -> None:
        engine = self._engine
        if engine is None:
            return
        self.snapshot_changed.emit(engine.snapshot())
        if engine.state is State.FINISHED:
            self._timer.stop()
            self._engine = None
            self.finished.emit()


class PreviewPanel(QWidget):
    """Shows the previewed step and the preview's buttons.

    Signals: ``start_requested()``, ``fast_requested()``, ``hold_requested()``, ``next_requested()``,
    ``previous_requested()``, ``close_requested()``."""

    start_requested = Signal()
    fast_requested = Signal()
    hold_requested = Signal()
    next_requested = Signal()
    previous_requested = Signal()
    close_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(_("Preview"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, theme.SPACE, 0, 0)
        self.heading = QLabel(_("Preview: nothing is recorded in your history"))
        self.heading.setWordWrap(True)
        self.heading.setProperty("role", "muted")
        self.step_label = QLabel("")
        self.step_label.setProperty("role", "heading")
        self.step_label.setWordWrap(True)
        self.detail_label = QLabel("")
        self.detail_label.setWordWrap(True)
        self.detail_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons_row = QWidget()
        # The buttons wrap onto a second line when long words or large text do not fit one.
        buttons = FlowLayout(buttons_row, spacing=theme.SPACE)
        self.start_button = self._button(
            _("Preview"), _("Preview the routine step by step"), self.start_requested
        )
        self.previous_button = self._button(_("Previous"), _("Previous step"), self.previous_requested)
        self.next_button = self._button(_("Next"), _("Next step"), self.next_requested)
        self.fast_button = self._button(
            _("Play at 10×"), _("Play the preview ten times faster"), self.fast_requested
        )
        self.hold_button = self._button(_("Hold"), _("Hold the preview on this step"), self.hold_requested)
        self.close_button = self._button(_("End preview"), _("End the preview"), self.close_requested)
        for button in (
            self.start_button, self.previous_button, self.next_button, self.fast_button, self.hold_button,
            self.close_button,
        ):  # fmt: skip
            buttons.addWidget(button)
        layout.addWidget(self.heading)
        layout.addWidget(buttons_row)
        layout.addWidget(self.step_label)
        layout.addWidget(self.detail_label)
        self.show_idle()

    def _button(self, text: str, name: str, signal: SignalInstance) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(name)
        button.setMinimumHeight(theme.MIN_TARGET)
        button.clicked.connect(signal)
        return button

    def show_idle(self, note: str = "") -> None:
        self._show_texts(note, "")
        self.start_button.setVisible(True)
        for button in (self.previous_button, self.next_button, self.fast_button, self.hold_button):
            button.setVisible(False)
        self.close_button.setVisible(False)

    def _show_texts(self, step: str, detail: str) -> None:
        """Empty lines are hidden: on a small screen their height goes to the panes above."""
        for label, text in ((self.step_label, step), (self.detail_label, detail)):
            label.setText(text)
            label.setVisible(bool(text))

    def set_can_start(self, can: bool, reason: str = "") -> None:
        self.start_button.setEnabled(can)
        self.start_button.setToolTip("" if can else reason)

    def show_snapshot(self, snapshot: Snapshot) -> None:
        step = snapshot.step
        sides = {"left": _("left side"), "right": _("right side")}
        side = f" ({sides[step.side]})" if step.side in sides else ""
        heading = _("Step {number} of {total}: {title}").format(
            number=snapshot.index + 1, total=snapshot.steps_total, title=step.title.get(active_language())
        )
        self._show_texts(
            f"{heading}{side}  ·  {formatting.clock(snapshot.remaining_display)}", step.spoken_text()
        )
        running = snapshot.state is State.RUNNING
        self.start_button.setVisible(False)
        for button in (self.previous_button, self.next_button, self.close_button):
            button.setVisible(True)
        self.fast_button.setVisible(not running)
        self.hold_button.setVisible(running)
