"""The session player: the step in large type, a countdown ring, progress, body map, pacer and controls."""

from __future__ import annotations

import itertools

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QFontMetrics, QKeySequence, QResizeEvent, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QSlider,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from massage_guide.core.engine import Snapshot, State
from massage_guide.core.model import TECHNIQUES, Routine, Step
from massage_guide.ui import icons, theme
from massage_guide.ui.body_map import BodyMapView
from massage_guide.ui.breathing_pacer import BreathingPacerView
from massage_guide.ui.countdown_ring import CountdownRingView, format_clock
from massage_guide.ui.step_progress import StepProgressView

# The instruction is read from the floor, two metres away: 2x the base size is 22 pt at the default text
# size. A long instruction may shrink to fit, but never below this share of that size.
INSTRUCTION_SCALE = 2.0
INSTRUCTION_MIN_SCALE = 1.4
TITLE_SCALE = 1.6
CONTROL_SIZE = 48  # px: session controls are pressed with oily hands, or a ball in the other one
PLAY_SIZE = 64
# The app style sheet's min-width/min-height win over setMinimumSize, so the player's larger targets are
# set the same way (content box: the style sheet adds 6 px padding and a 1 px border on each side).
CONTROLS_STYLE = f"""
QToolButton {{ min-height: {CONTROL_SIZE - 14}px; min-width: {CONTROL_SIZE - 14}px; }}
QPushButton {{ min-height: {PLAY_SIZE - 8 - 18}px; min-width: {PLAY_SIZE * 2 - 46}px; }}
"""
STOP_QUESTION = "Stop this session?"
STOP_DETAIL = "What you have done so far is kept in your history."

PRESSURE_LABELS = {"light": "Light pressure", "medium": "Medium pressure", "firm": "Firm pressure"}
SIDE_LABELS = {"left": "Left side", "right": "Right side", "both": "Both sides"}


def technique_label(technique: str) -> str:
    return technique.replace("_", " ").capitalize()


class PlayerPage(QWidget):
    """Shows one running session and asks for changes to it.

    Signals: pause_requested, resume_requested, previous_requested, next_requested, extend_requested,
    stop_requested (only after the user confirms), mute_toggled(bool), volume_changed(int)."""

    pause_requested = Signal()
    resume_requested = Signal()
    previous_requested = Signal()
    next_requested = Signal()
    extend_requested = Signal()
    stop_requested = Signal()
    mute_toggled = Signal(bool)
    volume_changed = Signal(int)
    mini_requested = Signal()  # go on in the small always-on-top player (issue 12)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._language = "en"
        self._routine: Routine | None = None
        self._durations: list[int] = []
        self._shown_step: tuple[int, Step] | None = None
        self._state = State.IDLE
        self._hide_time = False
        self._muted = False
        self._instruction_scale = INSTRUCTION_SCALE
        self._stop_box: QMessageBox | None = None
        self._build()
        self._connect()
        self._apply_fonts()

    # --- building -------------------------------------------------------------------------------------

    def _build(self) -> None:
        s = theme.SPACE
        outer = QVBoxLayout(self)
        outer.setContentsMargins(4 * s, 3 * s, 4 * s, 3 * s)
        outer.setSpacing(2 * s)

        header = QHBoxLayout()
        self._routine_label = QLabel()
        self._routine_label.setProperty("role", "muted")
        self._step_count = QLabel()
        self._step_count.setProperty("role", "muted")
        self._time_left = QLabel()
        self._time_left.setProperty("role", "muted")
        header.addWidget(self._routine_label)
        header.addStretch(1)
        header.addWidget(self._step_count)
        header.addSpacing(3 * s)
        header.addWidget(self._time_left)
        outer.addLayout(header)

        self._progress = StepProgressView()
        outer.addWidget(self._progress)

        body = QHBoxLayout()
        body.setSpacing(4 * s)
        text_column = QVBoxLayout()
        text_column.setSpacing(2 * s)
        self._title = QLabel()
        self._title.setWordWrap(True)
        self._title.setAccessibleName("Step")
        text_column.addWidget(self._title)
        badges = QHBoxLayout()
        badges.setSpacing(s)
        self._technique_badge = self._badge()
        self._pressure_badge = self._badge()
        self._side_badge = self._badge()
        for badge in (self._technique_badge, self._pressure_badge, self._side_badge):
            badges.addWidget(badge)
        badges.addStretch(1)
        text_column.addLayout(badges)
        self._instruction = QLabel()
        self._instruction.setWordWrap(True)
        self._instruction.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self._instruction.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._instruction.setAccessibleName("Instruction")
        self._instruction.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        text_column.addWidget(self._instruction, 1)
        self._pacer = BreathingPacerView()
        self._pacer.setMinimumHeight(170)
        self._pacer.hide()
        text_column.addWidget(self._pacer)
        self._next_label = QLabel()
        self._next_label.setProperty("role", "muted")
        self._next_label.setWordWrap(True)
        text_column.addWidget(self._next_label)
        body.addLayout(text_column, 1)

        side_column = QVBoxLayout()
        side_column.setSpacing(2 * s)
        self._ring = CountdownRingView()
        self._ring.setFixedSize(240, 240)
        side_column.addWidget(self._ring, 0, Qt.AlignmentFlag.AlignHCenter)
        self._body_map = BodyMapView()
        self._body_map.set_interactive(False)
        self._body_map.setMinimumSize(200, 180)
        self._body_map.setAccessibleName("Where to work now")
        side_column.addWidget(self._body_map, 1)
        body.addLayout(side_column)
        outer.addLayout(body, 1)

        controls_frame = QFrame()
        controls_frame.setProperty("role", "panel")
        controls_frame.setStyleSheet(CONTROLS_STYLE)
        controls = QHBoxLayout(controls_frame)
        controls.setContentsMargins(2 * s, s, 2 * s, s)
        controls.setSpacing(s * 3 // 2)
        self._previous = self._control("previous", "Previous step", "Back to the previous step (Left arrow)")
        self._pause = QPushButton("Pause")
        self._pause.setProperty("role", "primary")
        self._pause.setMinimumSize(QSize(PLAY_SIZE * 2, PLAY_SIZE - 8))
        self._pause.setIconSize(icons.icon_size(1.3))
        self._pause.setAccessibleName("Pause")
        self._pause.setToolTip("Pause or resume (Space)")
        self._next = self._control("next", "Next step", "Go on to the next step (Right arrow)")
        self._extend = self._control("plus15", "15 more seconds", "Give this step 15 more seconds")
        self._extend.setText("+15 s")
        self._extend.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self._mute = self._control("volume", "Mute", "Mute or unmute (M)")
        self._mute.setCheckable(True)
        self._volume = QSlider(Qt.Orientation.Horizontal)
        self._volume.setRange(0, 100)
        self._volume.setValue(100)
        self._volume.setFixedWidth(140)
        self._volume.setMinimumHeight(theme.MIN_TARGET)
        self._volume.setAccessibleName("Volume")
        self._volume.setToolTip("Volume")
        self._stop = self._control("stop", "Stop session", "Stop this session (Esc)")
        self._stop.setText("Stop")
        self._stop.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self._stop.setProperty("role", "danger")
        controls.addWidget(self._previous)
        controls.addWidget(self._pause)
        controls.addWidget(self._next)
        controls.addWidget(self._extend)
        controls.addStretch(1)
        controls.addWidget(self._mute)
        controls.addWidget(self._volume)
        controls.addSpacing(2 * s)
        controls.addWidget(self._stop)
        self.mini_button = QToolButton()
        self.mini_button.setText("Mini player")
        self.mini_button.setAccessibleName("Mini player")
        self.mini_button.setToolTip("Go on in a small window that stays on top of your work")
        self.mini_button.setMinimumHeight(CONTROL_SIZE)
        self.mini_button.clicked.connect(self.mini_requested)
        controls.insertWidget(controls.indexOf(self._mute), self.mini_button)
        outer.addWidget(controls_frame)
        order: list[QWidget] = [
            self._previous, self._pause, self._next, self._extend, self._mute, self._volume, self._stop,
        ]  # fmt: skip
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)

    def _badge(self) -> QLabel:
        badge = QLabel()
        badge.setProperty("role", "badge")
        badge.hide()
        return badge

    def _control(self, icon_name: str, name: str, tip: str) -> QToolButton:
        button = QToolButton()
        button.setIcon(icons.icon(icon_name))
        button.setIconSize(icons.icon_size(1.2))
        button.setMinimumSize(QSize(CONTROL_SIZE, CONTROL_SIZE))
        button.setAccessibleName(name)
        button.setToolTip(tip)
        button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        return button

    def _connect(self) -> None:
        self._previous.clicked.connect(self.previous_requested)
        self._next.clicked.connect(self.next_requested)
        self._extend.clicked.connect(self.extend_requested)
        self._pause.clicked.connect(self._toggle_pause)
        self._stop.clicked.connect(self.ask_stop)
        self._mute.clicked.connect(lambda: self.mute_toggled.emit(not self._muted))
        self._volume.valueChanged.connect(self.volume_changed)
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for key, slot in (
            (Qt.Key.Key_Space, self._toggle_pause),
            (Qt.Key.Key_Right, self.next_requested.emit),
            (Qt.Key.Key_Left, self.previous_requested.emit),
            (Qt.Key.Key_Escape, self.ask_stop),
            (Qt.Key.Key_M, lambda: self.mute_toggled.emit(not self._muted)),
        ):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(context)
            shortcut.activated.connect(slot)

    def _apply_fonts(self) -> None:
        self._title.setFont(theme.font(TITLE_SCALE, bold=True))
        self._instruction.setFont(theme.font(self._instruction_scale))
        self._next_label.setFont(theme.font(1.15))
        icon_name = "mute" if self._muted else "volume"
        self._mute.setIcon(icons.icon(icon_name))
        self._pause.setIcon(
            icons.icon("play" if self._state is State.PAUSED else "pause", theme.current().accent_text)
        )
        for button, name in ((self._previous, "previous"), (self._next, "next"), (self._extend, "plus15")):
            button.setIcon(icons.icon(name))
        self._stop.setIcon(icons.icon("stop", theme.current().danger))

    # --- showing --------------------------------------------------------------------------------------

    def show_routine(self, routine: Routine, language: str = "en") -> None:
        """Get ready for a new session of ``routine``."""
        self._routine = routine
        self._language = language
        self._durations = [step.duration_seconds for step in routine.steps]
        self._shown_step = None
        self._state = State.IDLE
        self._routine_label.setText(routine.title.get(language))
        self._progress.set_steps(self._durations)
        self._apply_fonts()
        self._close_stop_box()

    def show_snapshot(self, snapshot: Snapshot) -> None:
        """Draw the session as it is at one moment."""
        if self._shown_step != (snapshot.index, snapshot.step):
            self._show_step(snapshot)
        state_changed = snapshot.state is not self._state
        self._state = snapshot.state
        self._step_count.setText(f"Step {snapshot.index + 1} of {snapshot.steps_total}")
        self._progress.set_position(snapshot.index, snapshot.step_progress, snapshot.step_seconds)
        if snapshot.index < len(self._durations):
            self._durations[snapshot.index] = round(snapshot.step_seconds)
        self._show_ring(snapshot)
        if self._hide_time:
            self._time_left.setText("")
        else:
            after = sum(self._durations[snapshot.index + 1 :])
            self._time_left.setText(f"{format_clock(round(snapshot.remaining + after))} left in all")
        self._pacer.set_breath(snapshot.breath)
        if state_changed:
            paused = snapshot.state is State.PAUSED
            self._pause.setText("Resume" if paused else "Pause")
            self._pause.setAccessibleName("Resume" if paused else "Pause")
            self._pause.setIcon(icons.icon("play" if paused else "pause", theme.current().accent_text))
            live = snapshot.state in (State.RUNNING, State.LEAD_IN, State.PAUSED)
            for button in (self._previous, self._pause, self._next, self._extend, self._stop):
                button.setEnabled(live)

    def _show_step(self, snapshot: Snapshot) -> None:
        step, language = snapshot.step, self._language
        self._shown_step = (snapshot.index, step)
        self._title.setText(step.title.get(language))
        self._instruction.setText(step.instruction.get(language))
        self._fit_instruction()
        self._set_badge(self._technique_badge, technique_label(step.technique) if step.technique else None)
        self._technique_badge.setToolTip(TECHNIQUES.get(step.technique or "", ""))
        self._set_badge(self._pressure_badge, PRESSURE_LABELS.get(step.pressure or ""))
        self._set_badge(self._side_badge, SIDE_LABELS.get(step.side or ""))
        self._body_map.set_highlight(step.focus)
        self._pacer.setVisible(step.breathing is not None)
        following = snapshot.next_step
        if following is None:
            self._next_label.setText("Last step")
        else:
            side = (
                f" ({SIDE_LABELS[following.side].lower()})"
                if following.mirror_part and following.side in SIDE_LABELS
                else ""
            )
            self._next_label.setText(f"Next: {following.title.get(language)}{side}")

    def _set_badge(self, badge: QLabel, text: str | None) -> None:
        badge.setText(text or "")
        badge.setAccessibleName(text or "")
        badge.setVisible(bool(text))

    def _show_ring(self, snapshot: Snapshot) -> None:
        fraction = snapshot.remaining / snapshot.step_seconds if snapshot.step_seconds > 0 else 0.0
        digits = "" if self._hide_time else format_clock(snapshot.remaining_display)
        if snapshot.state is State.LEAD_IN and snapshot.lead_in is not None:
            self._ring.set_state(fraction, str(snapshot.lead_in), "Get ready", dimmed=True)
        elif snapshot.state is State.PAUSED:
            self._ring.set_state(fraction, digits, "Paused", dimmed=True)
        elif snapshot.state is State.FINISHED:
            self._ring.set_state(0.0, "" if self._hide_time else "0:00", "Done")
        else:
            self._ring.set_state(fraction, digits, "" if self._hide_time else "left")

    def _fit_instruction(self) -> None:
        """Largest size from INSTRUCTION_SCALE down that lets the whole instruction fit its space."""
        width, height = self._instruction.width(), self._instruction.height()
        text = self._instruction.text()
        scale = INSTRUCTION_SCALE
        if width > 50 and height > 50 and text:
            while scale > INSTRUCTION_MIN_SCALE:
                metrics = QFontMetrics(theme.font(scale))
                flags = int(Qt.TextFlag.TextWordWrap)
                if metrics.boundingRect(0, 0, width, 100_000, flags, text).height() <= height:
                    break
                scale -= 0.1
        if abs(scale - self._instruction_scale) > 1e-6:
            self._instruction_scale = scale
            self._instruction.setFont(theme.font(scale))

    # --- settings -------------------------------------------------------------------------------------

    def set_reduced_motion(self, reduced: bool) -> None:
        self._pacer.set_reduced_motion(reduced)

    def set_hide_time_left(self, hide: bool) -> None:
        self._hide_time = hide

    def set_muted(self, muted: bool) -> None:
        self._muted = muted
        self._mute.setChecked(muted)
        self._mute.setIcon(icons.icon("mute" if muted else "volume"))
        self._mute.setAccessibleName("Unmute" if muted else "Mute")

    def set_volume(self, percent: int) -> None:
        """Show a volume without asking for it."""
        blocked = self._volume.blockSignals(True)
        self._volume.setValue(percent)
        self._volume.blockSignals(blocked)

    # --- reading (for tests and the main window) -------------------------------------------------------

    def instruction_text(self) -> str:
        return self._instruction.text()

    def controls(self) -> dict[str, QAbstractButton]:
        return {
            "previous": self._previous, "pause": self._pause, "next": self._next, "extend": self._extend,
            "mute": self._mute, "stop": self._stop,
        }  # fmt: skip

    # --- requests -------------------------------------------------------------------------------------

    def _toggle_pause(self) -> None:
        if self._state is State.PAUSED:
            self.resume_requested.emit()
        elif self._state in (State.RUNNING, State.LEAD_IN):
            self.pause_requested.emit()

    def ask_stop(self) -> None:
        """Ask before stopping; ``stop_requested`` is emitted only when the user says yes."""
        if self._state not in (State.RUNNING, State.LEAD_IN, State.PAUSED) or self._stop_box is not None:
            return
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Stop")
        box.setText(STOP_QUESTION)
        box.setInformativeText(STOP_DETAIL)
        stop = box.addButton("Stop", QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton("Keep going", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        stop.setAccessibleName("Stop the session")
        keep.setAccessibleName("Keep going")
        box.setWindowModality(Qt.WindowModality.WindowModal)
        self._stop_box = box

        def answered() -> None:
            chosen = box.clickedButton()
            self._stop_box = None
            box.deleteLater()
            if chosen is stop:
                self.stop_requested.emit()

        box.finished.connect(answered)
        box.open()

    def stop_box(self) -> QMessageBox | None:
        """The open "Stop this session?" question, if any."""
        return self._stop_box

    def _close_stop_box(self) -> None:
        if self._stop_box is not None:
            self._stop_box.reject()

    # --- Qt -------------------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._pause.setFocus(Qt.FocusReason.OtherFocusReason)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_instruction()
