"""The mini player: a small always-on-top window for a desk break (step, countdown, pause, next, stop)."""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from massage_guide.core.engine import Snapshot, State
from massage_guide.core.i18n import N_, _
from massage_guide.core.model import Routine
from massage_guide.ui import app_icon, theme
from massage_guide.ui.break_prompt import place_when_shown
from massage_guide.ui.countdown_ring import format_clock

# Qt adds " — Massage Guide" (the application's display name) itself: "Massage Guide: break" read twice.
WINDOW_TITLE: Final = N_("Mini player")
# Wide enough for a two-line step title at the medium text size, small beside work. The least it takes:
# longer button words (German ones) widen it rather than being cut.
WIDTH: Final = 340
DONE_TEXT: Final = N_("Done. Nicely done.")
# After the last step the small window lingers this long, so the end is seen, then steps aside by itself.
DONE_LINGER_MS: Final = 15_000


class MiniPlayerWindow(QWidget):
    """Shows one session compactly and asks for what the person wants; it never keeps time itself.

    Signals: ``pause_requested()``, ``resume_requested()``, ``next_requested()``, ``stop_requested()``,
    ``expand_requested()``, ``dismissed()``."""

    pause_requested = Signal()
    resume_requested = Signal()
    next_requested = Signal()
    stop_requested = Signal()
    expand_requested = Signal()
    dismissed = Signal()  # closed by the person, or stepped aside after the end

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_(WINDOW_TITLE))
        self.setWindowIcon(app_icon.icon())
        self.setWindowFlags(
            Qt.WindowType.Window
            | Qt.WindowType.WindowStaysOnTopHint
            | Qt.WindowType.WindowTitleHint
            | Qt.WindowType.WindowCloseButtonHint
        )
        self._state: State | None = None
        self._language = "en"
        self._hide_time = False
        self._linger = QTimer(self)
        self._linger.setSingleShot(True)
        self._linger.setInterval(DONE_LINGER_MS)
        self._linger.timeout.connect(self._step_aside)
        layout = self._layout = QVBoxLayout(self)
        layout.setContentsMargins(theme.SPACE * 2, theme.SPACE * 2, theme.SPACE * 2, theme.SPACE * 2)
        layout.setSpacing(theme.SPACE)
        self.routine_label = QLabel()
        self.routine_label.setProperty("role", "muted")
        self.routine_label.setWordWrap(True)
        layout.addWidget(self.routine_label)
        self.step_label = QLabel()
        self.step_label.setProperty("role", "heading")
        self.step_label.setWordWrap(True)
        layout.addWidget(self.step_label)
        self.countdown = QLabel("0:00")
        self.countdown.setFont(theme.font(2.0, bold=True))
        self.countdown.setAccessibleName(_("Time left in this step"))
        layout.addWidget(self.countdown)
        row = QHBoxLayout()
        self.pause_button = QPushButton(_("Pause"))
        # "Next step", not "Next": in German "Next" and "Resume" are both "Weiter", side by side here.
        self.next_button = QPushButton(_("Next step"))
        self.stop_button = QPushButton(_("Stop"))
        self.expand_button = QPushButton(_("Expand"))
        self.expand_button.setToolTip(_("Open the full player"))
        for button in (self.pause_button, self.next_button, self.stop_button, self.expand_button):
            button.setMinimumHeight(theme.MIN_TARGET)
            row.addWidget(button)
        layout.addLayout(row)
        self._buttons_row = row
        self._fit_width()
        self.pause_button.clicked.connect(self._toggle_pause)
        self.next_button.clicked.connect(self.next_requested)
        self.stop_button.clicked.connect(self.stop_requested)
        self.expand_button.clicked.connect(self.expand_requested)
        QShortcut(QKeySequence(Qt.Key.Key_Space), self, self._toggle_pause)

    def set_hide_time_left(self, hide: bool) -> None:
        """Honour the hide_time_left setting: no countdown to watch."""
        self._hide_time = hide
        self.countdown.setVisible(not hide)

    def show_routine(self, routine: Routine, language: str = "en") -> None:
        self._linger.stop()
        self._language = language
        self._state = None
        self.routine_label.setText(routine.title.get(language))
        for button in (self.pause_button, self.next_button, self.stop_button):
            button.setEnabled(True)

    def show_snapshot(self, snapshot: Snapshot) -> None:
        self.step_label.setText(snapshot.step.title.get(self._language))
        self.countdown.setText(format_clock(snapshot.remaining_display))
        if snapshot.state is not self._state:
            self._state = snapshot.state
            paused = snapshot.state is State.PAUSED
            self.pause_button.setText(_("Resume") if paused else _("Pause"))
            live = snapshot.state in (State.RUNNING, State.LEAD_IN, State.PAUSED)
            for button in (self.pause_button, self.next_button, self.stop_button):
                button.setEnabled(live)

    def show_done(self) -> None:
        self.step_label.setText(_(DONE_TEXT))
        self.countdown.setText("")
        for button in (self.pause_button, self.next_button, self.stop_button):
            button.setEnabled(False)
        self._linger.start()

    def _fit_width(self) -> None:
        """WIDTH, or wider when the buttons' words need it (German ones are longer); labels wrap within it."""
        # The pause button says Pause or Resume: room for the longer of the two, so it never jumps or cuts.
        shown = self.pause_button.text()
        widths = []
        for word in (_("Pause"), _("Resume")):
            self.pause_button.setText(word)
            widths.append(self.pause_button.sizeHint().width())
        self.pause_button.setText(shown)
        self.pause_button.setMinimumWidth(max(widths))
        margins = self._layout.contentsMargins()
        needed = self._buttons_row.sizeHint().width() + margins.left() + margins.right()
        self.setFixedWidth(max(WIDTH, needed))

    def place(self) -> None:
        """Bottom right of the screen holding the pointer, where a desk break stays out of the way."""
        self._fit_width()  # the text size may have changed since the window was built
        place_when_shown(self)

    def _toggle_pause(self) -> None:
        if self._state is State.PAUSED:
            self.resume_requested.emit()
        elif self._state in (State.RUNNING, State.LEAD_IN):
            self.pause_requested.emit()

    def _step_aside(self) -> None:
        self.hide()
        self.dismissed.emit()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing the window ends a live break (recorded as stopped), as Stop would."""
        self._linger.stop()
        if self._state in (State.RUNNING, State.LEAD_IN, State.PAUSED):
            self.stop_requested.emit()
        super().closeEvent(event)
        self.dismissed.emit()
