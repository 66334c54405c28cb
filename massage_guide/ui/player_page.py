"""The session player: the step in large type, a countdown ring, progress, body map, pacer and controls.

Before a session begins it can show a "before" step: an optional tension rating, then Begin. The layout
follows the space it has: the type grows with the window and shrinks (down to a floor) so the whole
instruction always fits, and the side column (ring, pacer, body map) is sized from the window, never
from fixed minimums that would push the instruction or the controls off a small screen."""

from __future__ import annotations

import itertools
from collections.abc import Callable

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QKeySequence, QResizeEvent, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSlider,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from massage_guide.core import formatting, i18n
from massage_guide.core.engine import EXTEND_SECONDS, Snapshot, State
from massage_guide.core.i18n import N_, _
from massage_guide.core.model import (
    Routine,
    Step,
    pressure_label,
    side_label,
    side_words,
    technique_description,
    technique_name,
)
from massage_guide.ui import icons, theme
from massage_guide.ui.body_map import BodyMapView
from massage_guide.ui.breathing_pacer import PACER_MIN_HEIGHT, BreathingPacerView
from massage_guide.ui.countdown_ring import CountdownRingView
from massage_guide.ui.steady_label import SteadyLabel
from massage_guide.ui.step_progress import StepProgressView
from massage_guide.ui.stop_dialog import STOP_DETAIL, STOP_QUESTION, StopDialog
from massage_guide.ui.tension_rating import TensionRating
from massage_guide.ui.wheel_guard import wheel_only_when_focused

__all__ = ["STOP_DETAIL", "STOP_QUESTION", "PlayerPage"]

# The instruction is read from the floor, two metres away: 2x the base size is 22 pt at the default text
# size, and more on a bigger window (GROWTH). A long instruction may shrink to fit: first down to
# INSTRUCTION_MIN_SCALE, and on a very small screen with very large text further, to INSTRUCTION_FLOOR,
# because a smaller instruction is better than a hidden one.
INSTRUCTION_SCALE = 2.0
INSTRUCTION_MIN_SCALE = 1.4
INSTRUCTION_FLOOR = 0.9
FIT_STEP = 0.05
TITLE_SCALE = 1.6
NEXT_SCALE = 1.3
# Type grows with the window: the page's height over this many pixels (a 720p screen) is the factor, up to
# MAX_GROWTH. Full screen on 1920x1080 gives 1.5x: instruction capitals of about 32 px (issue 15 asks 30).
GROWTH_REFERENCE_HEIGHT = 720
MAX_GROWTH = 2.0
# The side column: the ring takes this share of the page's height (and at most RING_WIDTH_SHARE of its
# width), within RING_MIN..RING_MAX px; pacer and body map share what is left below it.
RING_HEIGHT_SHARE = 0.32
RING_WIDTH_SHARE = 0.24
RING_MIN = 120
RING_MAX = 340
SIDE_WIDTH_SHARE = 0.3
PACER_RING_SHARE = 0.7
BODY_MAP_MIN_HEIGHT = 90  # below this the figure's areas are too small to read: the map steps aside
CONTROL_SIZE = 48  # px: session controls are pressed with oily hands, or a ball in the other one
PLAY_SIZE = 64
# The app style sheet's min-width/min-height win over setMinimumSize, so the player's larger targets are
# set the same way (content box: the style sheet adds 6 px padding and a 1 px border on each side).
CONTROLS_STYLE = f"""
QToolButton {{ min-height: {CONTROL_SIZE - 14}px; min-width: {CONTROL_SIZE - 14}px; }}
QPushButton {{ min-height: {PLAY_SIZE - 8 - 18}px; min-width: {PLAY_SIZE * 2 - 46}px; }}
"""
NO_SOUND_TEXT = N_("No sound device")
NO_SOUND_TIP = N_("No sound device was found, so this session is silent. Follow the words on screen.")


def badge_text(text: str) -> str:
    """A label's first letter in capitals, the rest as it is (German nouns keep theirs)."""
    return text[:1].upper() + text[1:]


def technique_label(technique: str) -> str:
    """``Kneading``: the technique's short name, as a badge shows it."""
    return badge_text(technique_name(technique))


class PlayerPage(QWidget):
    """Shows one running session and asks for changes to it.

    Signals: pause_requested, resume_requested, previous_requested, next_requested, extend_requested,
    stop_requested (only after the user confirms), mute_toggled(bool), volume_changed(int);
    begin_requested(object) from the "before" step with the tension rated (int or None);
    back_requested (the "before" step was left without beginning)."""

    pause_requested = Signal()
    resume_requested = Signal()
    previous_requested = Signal()
    next_requested = Signal()
    extend_requested = Signal()
    stop_requested = Signal()
    mute_toggled = Signal(bool)
    volume_changed = Signal(int)
    begin_requested = Signal(object)
    back_requested = Signal()
    mini_requested = Signal()  # go on in the small always-on-top player (issue 12)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._language = "en"
        self._routine: Routine | None = None
        self._durations: list[int] = []
        self._shown_step: tuple[int, Step] | None = None
        self._counted: tuple[int, int, str] | None = None  # (step index, steps, language) shown
        self._state = State.IDLE
        self._hide_time = False
        self._muted = False
        self._instruction_scale = INSTRUCTION_SCALE
        self._growth = 1.0
        self._stop_box: StopDialog | None = None
        self._paused_for_question = False
        self._build()
        self._connect()
        self._apply_fonts()

    # --- building -------------------------------------------------------------------------------------

    def _build(self) -> None:
        s = theme.SPACE
        self._stack = QStackedWidget(self)
        page_layout = QVBoxLayout(self)
        page_layout.setContentsMargins(0, 0, 0, 0)
        page_layout.addWidget(self._stack)
        self._session_panel = QWidget()
        self._before_panel = self._build_before()
        self._stack.addWidget(self._session_panel)
        self._stack.addWidget(self._before_panel)
        outer = QVBoxLayout(self._session_panel)
        outer.setContentsMargins(4 * s, 3 * s, 4 * s, 3 * s)
        outer.setSpacing(2 * s)

        header = QHBoxLayout()
        self._routine_label = QLabel()
        self._routine_label.setProperty("role", "muted")
        # A long title gives way to the counts beside it rather than widening the page.
        self._routine_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._sound_note = QLabel(_(NO_SOUND_TEXT))
        self._sound_note.setProperty("role", "badge")
        self._sound_note.setToolTip(_(NO_SOUND_TIP))
        self._sound_note.setAccessibleName(_(NO_SOUND_TIP))
        self._sound_note.hide()
        self._step_count = QLabel()
        self._step_count.setProperty("role", "muted")
        self._time_left = SteadyLabel()  # changes every second: repaints itself, never the whole page
        self._time_left.setProperty("role", "muted")
        header.addWidget(self._routine_label, 1)
        header.addWidget(self._sound_note)
        header.addSpacing(3 * s)
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
        self._title.setAccessibleName(_("Step"))
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
        self._instruction = _FittingLabel(self._fit_instruction)
        self._instruction.setWordWrap(True)
        self._instruction.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        # Ignored height: the layout gives the instruction what is left, never what a long text would ask
        # for (that pushed the controls off small screens); _fit_instruction makes the text fit it.
        self._instruction.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self._instruction.setAccessibleName(_("Instruction"))
        self._instruction.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        text_column.addWidget(self._instruction, 1)
        self._next_label = QLabel()
        self._next_label.setProperty("role", "muted")
        self._next_label.setWordWrap(True)
        text_column.addWidget(self._next_label)
        body.addLayout(text_column, 1)

        self._side = QWidget()
        side_column = QVBoxLayout(self._side)
        side_column.setContentsMargins(0, 0, 0, 0)
        side_column.setSpacing(2 * s)
        self._ring = CountdownRingView()
        self._ring.setMinimumSize(RING_MIN, RING_MIN)
        self._ring.setFixedSize(240, 240)
        side_column.addWidget(self._ring, 0, Qt.AlignmentFlag.AlignHCenter)
        self._pacer = BreathingPacerView()
        self._pacer.hide()
        side_column.addWidget(self._pacer, 1)
        self._body_map = BodyMapView()
        self._body_map.set_interactive(False)
        self._body_map.setMinimumSize(120, BODY_MAP_MIN_HEIGHT)
        self._body_map.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        self._body_map.setAccessibleName(_("Where to work now"))
        side_column.addWidget(self._body_map, 2)
        body.addWidget(self._side)
        outer.addLayout(body, 1)

        controls_frame = QFrame()
        controls_frame.setProperty("role", "panel")
        controls_frame.setStyleSheet(CONTROLS_STYLE)
        # Two rows when the window is too narrow for one (a small screen, large text): the sound and
        # mini-player controls move to a second row rather than every button's words being cut.
        rows = QVBoxLayout(controls_frame)
        rows.setContentsMargins(2 * s, s, 2 * s, s)
        rows.setSpacing(s)
        controls = QHBoxLayout()
        controls.setSpacing(s * 3 // 2)
        self._second_row = QHBoxLayout()
        self._second_row.setSpacing(s * 3 // 2)
        rows.addLayout(controls)
        rows.addLayout(self._second_row)
        self._first_row = controls
        self._previous = self._control(
            "previous", _("Previous step"), _("Back to the previous step (Left arrow)")
        )
        self._pause = QPushButton(_("Pause"))
        self._pause.setProperty("role", "primary")
        self._pause.setMinimumSize(QSize(PLAY_SIZE * 2, PLAY_SIZE - 8))
        self._pause.setIconSize(icons.icon_size(1.3))
        self._pause.setAccessibleName(_("Pause"))
        self._pause.setToolTip(_("Pause or resume (Space)"))
        self._next = self._control("next", _("Next step"), _("Go on to the next step (Right arrow)"))
        extend = formatting.number(EXTEND_SECONDS)
        self._extend = self._control(
            "plus15",
            _("{seconds} more seconds").format(seconds=extend),
            _("Give this step {seconds} more seconds").format(seconds=extend),
        )
        self._extend.setText(_("+{seconds} s").format(seconds=extend))
        self._extend.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self._mute = self._control("volume", _("Mute"), _("Mute or unmute (M)"))
        self._mute.setCheckable(True)
        self._volume = QSlider(Qt.Orientation.Horizontal)
        self._volume.setRange(0, 100)
        self._volume.setValue(100)
        self._volume.setFixedWidth(140)
        self._volume.setMinimumHeight(theme.MIN_TARGET)
        self._volume.setAccessibleName(_("Volume"))
        self._volume.setToolTip(_("Volume"))
        wheel_only_when_focused(self._volume)
        self._stop = self._control("stop", _("Stop session"), _("Stop this session (Esc)"))
        self._stop.setText(_("Stop"))
        self._stop.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self._stop.setProperty("role", "danger")
        controls.addWidget(self._previous)
        controls.addWidget(self._pause)
        controls.addWidget(self._next)
        controls.addWidget(self._extend)
        controls.addStretch(1)
        self._controls_frame = controls_frame
        controls.addWidget(self._mute)
        controls.addWidget(self._volume)
        controls.addSpacing(2 * s)
        controls.addWidget(self._stop)
        self.mini_button = QToolButton()
        self.mini_button.setText(_("Mini player"))
        self.mini_button.setAccessibleName(_("Mini player"))
        self.mini_button.setToolTip(_("Go on in a small window that stays on top of your work"))
        self.mini_button.setMinimumHeight(CONTROL_SIZE)
        self.mini_button.clicked.connect(self.mini_requested)
        controls.insertWidget(controls.indexOf(self._mute), self.mini_button)
        self._sound_controls: list[QWidget] = [self.mini_button, self._mute, self._volume]
        self._second_row.addStretch(1)
        outer.addWidget(controls_frame)
        order: list[QWidget] = [
            self._previous, self._pause, self._next, self._extend, self._mute, self._volume, self._stop,
        ]  # fmt: skip
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)

    def _build_before(self) -> QWidget:
        """The optional "before" step: how tense the person feels now, then Begin."""
        s = theme.SPACE
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(6 * s, 5 * s, 6 * s, 5 * s)
        layout.setSpacing(2 * s)
        self._before_routine = QLabel()
        self._before_routine.setProperty("role", "muted")
        self._before_routine.setWordWrap(True)
        heading = QLabel(_("Before you begin"))
        heading.setProperty("role", "title")
        heading.setWordWrap(True)
        ask = QLabel(_("How tense do you feel right now? (optional)"))
        ask.setProperty("role", "heading")
        ask.setWordWrap(True)
        hint = QLabel(
            _(
                "0 is no tension at all, 10 the most. Arrow keys or digits choose. "
                "You will be asked again at the end, so you can see what changed."
            )
        )
        hint.setProperty("role", "muted")
        hint.setWordWrap(True)
        self.before_rating = TensionRating(_("Tension before"))
        ask.setBuddy(self.before_rating)
        self.begin_button = QPushButton(_("Begin"))
        self.begin_button.setProperty("role", "primary")
        self.begin_button.setIcon(icons.icon("play", theme.current().accent_text, filled=True))
        self.begin_button.setAccessibleName(_("Begin the session"))
        self.begin_button.setToolTip(_("Begin the session (Enter)"))
        self.begin_button.setMinimumHeight(PLAY_SIZE - 8)
        self.begin_button.clicked.connect(self._begin)
        self.before_back = QPushButton(_("Not now"))
        self.before_back.setIcon(icons.icon("back"))
        self.before_back.setAccessibleName(_("Not now, go back"))
        self.before_back.setToolTip(_("Go back without starting (Esc)"))
        self.before_back.setMinimumHeight(PLAY_SIZE - 8)
        self.before_back.clicked.connect(self.back_requested)
        buttons = QHBoxLayout()
        buttons.setSpacing(2 * s)
        buttons.addWidget(self.before_back)
        buttons.addStretch(1)
        buttons.addWidget(self.begin_button)
        layout.addWidget(self._before_routine)
        layout.addWidget(heading)
        layout.addSpacing(s)
        layout.addWidget(ask)
        layout.addWidget(hint)
        layout.addWidget(self.before_rating)
        layout.addStretch(1)
        layout.addLayout(buttons)
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for key, slot in (
            (Qt.Key.Key_Return, self._begin),
            (Qt.Key.Key_Enter, self._begin),
            (Qt.Key.Key_Escape, self.back_requested.emit),
        ):
            shortcut = QShortcut(QKeySequence(key), panel)
            shortcut.setContext(context)
            shortcut.activated.connect(slot)
        QWidget.setTabOrder(self.before_rating, self.begin_button)
        QWidget.setTabOrder(self.begin_button, self.before_back)
        return panel

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
            shortcut = QShortcut(QKeySequence(key), self._session_panel)
            shortcut.setContext(context)
            shortcut.activated.connect(slot)

    def _apply_fonts(self) -> None:
        growth = self._growth
        self._title.setFont(theme.font(TITLE_SCALE * growth, bold=True))
        self._instruction.setFont(theme.font(self._instruction_scale))
        self._next_label.setFont(theme.font(NEXT_SCALE * growth))
        # Pause and Resume take the same width, so the controls do not jump when the state changes.
        metrics = QFontMetrics(self._pause.font())
        words = max(metrics.horizontalAdvance(word) for word in (_("Pause"), _("Resume")))
        content = words + self._pause.iconSize().width() + 2 * theme.SPACE
        self._pause.setStyleSheet(f"QPushButton {{ min-width: {content}px; max-width: {content}px; }}")
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
        self._counted = None
        self._state = State.IDLE
        self._routine_label.setText(routine.title.get(language))
        self._progress.set_steps(self._durations)
        self._stack.setCurrentWidget(self._session_panel)
        self._apply_fonts()
        self._close_stop_box()
        self._relayout()
        if self.isVisible():  # from the "before" step: the keyboard lands on Pause, as on a fresh show
            self._pause.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_before(self, routine: Routine, language: str = "en") -> None:
        """The optional "before" step of a new session: rate tension now, then Begin (or go back)."""
        self._routine = routine
        self._language = language
        self._state = State.IDLE
        self._close_stop_box()
        self._before_routine.setText(routine.title.get(language))
        self.before_rating.clear()
        self._stack.setCurrentWidget(self._before_panel)
        self.before_rating.setFocus(Qt.FocusReason.OtherFocusReason)

    def showing_before(self) -> bool:
        return self._stack.currentWidget() is self._before_panel

    def _begin(self) -> None:
        if self.showing_before():
            self.begin_requested.emit(self.before_rating.value())

    def set_sound_missing(self, missing: bool) -> None:
        """Say plainly, in the header, that there is no sound device (the session is silent)."""
        self._sound_note.setVisible(missing)

    def show_snapshot(self, snapshot: Snapshot) -> None:
        """Draw the session as it is at one moment."""
        if self._shown_step != (snapshot.index, snapshot.step):
            self._show_step(snapshot)
        state_changed = snapshot.state is not self._state
        was_live = self._state in (State.RUNNING, State.LEAD_IN, State.PAUSED)
        self._state = snapshot.state
        counted = (snapshot.index, snapshot.steps_total, i18n.active_language())
        if counted != self._counted:  # formatted when it changes, not on every second's tick
            self._counted = counted
            self._step_count.setText(
                _("Step {number} of {total}").format(
                    number=formatting.number(snapshot.index + 1),
                    total=formatting.number(snapshot.steps_total),
                )
            )
        self._progress.set_position(snapshot.index, snapshot.step_progress, snapshot.step_seconds)
        if snapshot.index < len(self._durations):
            self._durations[snapshot.index] = round(snapshot.step_seconds)
        self._show_ring(snapshot)
        if self._hide_time:
            self._time_left.set_steady_text("")
        else:
            after = sum(self._durations[snapshot.index + 1 :])
            left = formatting.clock(round(snapshot.remaining + after))
            self._time_left.set_steady_text(_("{time} left in all").format(time=left))
        self._pacer.set_breath(snapshot.breath)
        if state_changed:
            paused = snapshot.state is State.PAUSED
            self._pause.setText(_("Resume") if paused else _("Pause"))
            self._pause.setAccessibleName(_("Resume") if paused else _("Pause"))
            self._pause.setIcon(icons.icon("play" if paused else "pause", theme.current().accent_text))
            live = snapshot.state in (State.RUNNING, State.LEAD_IN, State.PAUSED)
            for button in (self._previous, self._pause, self._next, self._extend, self._stop):
                button.setEnabled(live)
            if live and not was_live and self.isVisible():
                # A new session: its controls were disabled at the last one's end, and the keyboard had
                # moved on to the volume; it belongs on Pause, where Space and Enter act.
                self._pause.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_step(self, snapshot: Snapshot) -> None:
        step, language = snapshot.step, self._language
        self._shown_step = (snapshot.index, step)
        self._title.setText(step.title.get(language))
        self._instruction.setText(step.instruction.get(language))
        self._fit_instruction()
        self._set_badge(self._technique_badge, technique_label(step.technique) if step.technique else None)
        self._technique_badge.setToolTip(technique_description(step.technique) if step.technique else "")
        self._set_badge(
            self._pressure_badge, badge_text(pressure_label(step.pressure)) if step.pressure else None
        )
        self._set_badge(self._side_badge, side_label(step.side))
        self._body_map.set_highlight(step.focus, step.side)
        self._pacer.setVisible(step.breathing is not None)
        self._relayout()
        following = snapshot.next_step
        if following is None:
            self._next_label.setText(_("Last step"))
        elif following.mirror_part and following.side:
            self._next_label.setText(
                _("Next: {title} ({side})").format(
                    title=following.title.get(language), side=side_words(following.side)
                )
            )
        else:
            self._next_label.setText(_("Next: {title}").format(title=following.title.get(language)))

    def _set_badge(self, badge: QLabel, text: str | None) -> None:
        badge.setText(text or "")
        badge.setAccessibleName(text or "")
        badge.setVisible(bool(text))

    def _show_ring(self, snapshot: Snapshot) -> None:
        fraction = snapshot.remaining / snapshot.step_seconds if snapshot.step_seconds > 0 else 0.0
        digits = "" if self._hide_time else formatting.clock(snapshot.remaining_display)
        if snapshot.state is State.LEAD_IN and snapshot.lead_in is not None:
            self._ring.set_state(fraction, formatting.number(snapshot.lead_in), _("Get ready"), dimmed=True)
        elif snapshot.state is State.PAUSED:
            self._ring.set_state(fraction, digits, _("Paused"), dimmed=True)
        elif snapshot.state is State.FINISHED:
            self._ring.set_state(0.0, "" if self._hide_time else formatting.clock(0), _("Done"))
        else:
            # Translators: under the countdown's digits, "2:30 left".
            self._ring.set_state(fraction, digits, "" if self._hide_time else _("left"))

    def _fit_instruction(self) -> None:
        """Largest size from INSTRUCTION_SCALE x growth down that lets the whole instruction fit its space."""
        width, height = self._instruction.width(), self._instruction.height()
        text = self._instruction.text()
        scale = INSTRUCTION_SCALE * self._growth
        if width > 50 and height > 20 and text:
            # Sizes from the largest down in FIT_STEPs; bigger type never fits where smaller does not, so a
            # binary search finds the largest that fits in a handful of measurements, not dozens.
            sizes = [scale - FIT_STEP * i for i in range(int((scale - INSTRUCTION_FLOOR) / FIT_STEP) + 1)]
            low, high = 0, len(sizes) - 1
            while low < high:
                middle = (low + high) // 2
                if _fits(text, theme.font(sizes[middle]), width, height):
                    high = middle
                else:
                    low = middle + 1
            scale = sizes[low] if sizes else INSTRUCTION_FLOOR
        if abs(scale - self._instruction_scale) > 1e-6:
            self._instruction_scale = scale
            self._instruction.setFont(theme.font(scale))

    def instruction_fits(self) -> bool:
        """Whether the whole instruction, in the font shown, fits the label's rectangle (tests ask)."""
        label = self._instruction
        return _fits(label.text(), label.font(), label.width(), label.height())

    def _controls_rows(self, width: int) -> None:
        """One row of controls when they all fit ``width`` at their natural size, else two."""
        s = theme.SPACE
        widgets = [self._previous, self._pause, self._next, self._extend, self._stop, *self._sound_controls]
        needed = sum(w.sizeHint().width() for w in widgets) + len(widgets) * (s * 3 // 2) + 10 * s
        one_row = needed <= width
        in_first = self._first_row.indexOf(self._mute) >= 0
        if one_row == in_first:
            return
        for widget in self._sound_controls:
            (self._second_row if in_first else self._first_row).removeWidget(widget)
        if one_row:
            position = self._first_row.indexOf(self._stop) - 1  # after the stretch, before the spacing
            for offset, widget in enumerate(self._sound_controls):
                self._first_row.insertWidget(position + offset, widget)
        else:
            for offset, widget in enumerate(self._sound_controls):
                self._second_row.insertWidget(offset, widget)

    def controls_fit(self) -> bool:
        """Whether every control shows all of its words (tests ask)."""
        return all(
            button.width() >= button.sizeHint().width()
            for button in (
                self._previous,
                self._pause,
                self._next,
                self._extend,
                self._stop,
                self.mini_button,
            )
        )

    def _relayout(self) -> None:
        """Size type, ring, pacer and body map from the page's size (see the module docstring)."""
        width, height = max(1, self.width()), max(1, self.height())
        self._controls_rows(width - 8 * theme.SPACE)
        growth = min(MAX_GROWTH, max(1.0, height / GROWTH_REFERENCE_HEIGHT))
        if abs(growth - self._growth) > 0.01:
            self._growth = growth
            self._apply_fonts()
        ring = round(min(height * RING_HEIGHT_SHARE, width * RING_WIDTH_SHARE))
        ring = max(RING_MIN, min(RING_MAX, ring))
        self._ring.setFixedSize(ring, ring)
        self._side.setFixedWidth(max(ring, round(width * SIDE_WIDTH_SHARE)))
        # What the side column has below the ring: the body height minus the rest of the page.
        chrome = self._controls_frame.sizeHint().height() + self._progress.sizeHint().height()
        chrome += self._step_count.sizeHint().height() + 10 * theme.SPACE
        below = height - chrome - ring - 2 * theme.SPACE
        breathing = self._shown_step is not None and self._shown_step[1].breathing is not None
        pacer_room = PACER_MIN_HEIGHT + 2 * theme.SPACE if breathing else 0
        self._body_map.setVisible(below - pacer_room >= BODY_MAP_MIN_HEIGHT)
        # The pacer needs no more than a fraction of the ring's size to be read; the body map gets the rest.
        self._pacer.setMaximumHeight(max(PACER_MIN_HEIGHT, round(ring * PACER_RING_SHARE)))
        self._fit_instruction()

    # --- settings -------------------------------------------------------------------------------------

    def set_reduced_motion(self, reduced: bool) -> None:
        self._pacer.set_reduced_motion(reduced)

    def set_hide_time_left(self, hide: bool) -> None:
        self._hide_time = hide

    def set_muted(self, muted: bool) -> None:
        self._muted = muted
        self._mute.setChecked(muted)
        self._mute.setIcon(icons.icon("mute" if muted else "volume"))
        self._mute.setAccessibleName(_("Unmute") if muted else _("Mute"))

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
        """Ask before stopping, with the session paused while the question is open; ``stop_requested`` is
        emitted only when the user says yes. "Keep going" resumes (with the 3-2-1 lead-in)."""
        if self._state not in (State.RUNNING, State.LEAD_IN, State.PAUSED) or self._stop_box is not None:
            return
        box = StopDialog(self)
        self._stop_box = box
        self._paused_for_question = self._state in (State.RUNNING, State.LEAD_IN)
        if self._paused_for_question:
            self.pause_requested.emit()

        def answered(result: int) -> None:
            self._stop_box = None
            box.deleteLater()
            if result == StopDialog.DialogCode.Accepted:
                self.stop_requested.emit()
            elif self._paused_for_question and self._state is State.PAUSED:
                self.resume_requested.emit()
            self._paused_for_question = False

        box.finished.connect(answered)
        box.place_over(self)
        box.open()
        box.keep_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def stop_box(self) -> StopDialog | None:
        """The open "Stop this session?" question, if any."""
        return self._stop_box

    def _close_stop_box(self) -> None:
        if self._stop_box is not None:
            self._paused_for_question = False
            self._stop_box.reject()

    # --- Qt -------------------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.showing_before():
            self.before_rating.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self._pause.setFocus(Qt.FocusReason.OtherFocusReason)
        self._relayout()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._relayout()


class _FittingLabel(QLabel):
    """A label that asks for its text to be fitted again whenever its own size changes (a title that wraps
    to a second line, a badge row that appears), not only when the page is resized."""

    def __init__(self, refit: Callable[[], None]) -> None:
        super().__init__()
        self._refit = refit

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._refit()


def _fits(text: str, font: QFont, width: int, height: int) -> bool:
    """Whether ``text`` word-wrapped in ``font`` at ``width`` px is at most ``height`` px tall and no line
    is wider than ``width`` (a single long word would be cut)."""
    metrics = QFontMetrics(font)
    flags = int(Qt.TextFlag.TextWordWrap)
    box = metrics.boundingRect(0, 0, width, 100_000, flags, text)
    return box.height() <= height and box.width() <= width
