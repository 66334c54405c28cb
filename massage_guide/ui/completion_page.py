"""The completion page: what the session gave, an optional tension rating before and after, and a note."""

from __future__ import annotations

import itertools
from typing import Protocol

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from massage_guide.core.model import Routine
from massage_guide.ui import icons, theme

TENSION_LEVELS = range(11)  # 0 = no tension at all, 10 = the worst it gets
NOTE_MAX_CHARS = 2000


class SummaryLike(Protocol):
    """What the page shows; ``session_controller.SessionSummary`` fits."""

    @property
    def session_id(self) -> str | None: ...
    @property
    def routine(self) -> Routine: ...
    @property
    def status(self) -> str: ...
    @property
    def active_seconds(self) -> float: ...
    @property
    def steps_completed(self) -> int: ...
    @property
    def steps_total(self) -> int: ...


def spoken_duration(seconds: float) -> str:
    """``7 min 30 s``, ``45 s``, ``1 h 5 min``: how long, the way a person says it."""
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    if minutes:
        return f"{minutes} min {secs} s" if secs else f"{minutes} min"
    return f"{secs} s"


class TensionScale(QWidget):
    """Eleven buttons 0-10; one or none chosen (press the chosen one again to clear it)."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._value: int | None = None
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(theme.SPACE // 2)
        # Narrow padding so "10" fits a 40 px square (38 px content and a 1 px border); the app style
        # sheet's minimums win over setFixedSize, so the size is set here the same way.
        self.setStyleSheet("QPushButton { padding: 0; min-width: 38px; min-height: 38px; }")
        self._group = QButtonGroup(self)
        self._group.setExclusive(False)
        self.buttons: list[QPushButton] = []
        for level in TENSION_LEVELS:
            button = QPushButton(str(level))
            button.setCheckable(True)
            button.setAccessibleName(f"{name}: {level} of 10")
            self._group.addButton(button, level)
            row.addWidget(button)
            self.buttons.append(button)
        row.addStretch(1)
        self._group.idClicked.connect(self._clicked)

    def _clicked(self, level: int) -> None:
        self._value = None if self._value == level else level
        for i, button in enumerate(self.buttons):
            button.setChecked(i == self._value)

    def value(self) -> int | None:
        return self._value

    def clear(self) -> None:
        self._value = None
        for button in self.buttons:
            button.setChecked(False)


class CompletionPage(QWidget):
    """Shown when a session ends. Signals: feedback_submitted(str, object, object, str) with the session
    id, tension before and after (int or None) and the note; then done_requested()."""

    feedback_submitted = Signal(str, object, object, str)
    done_requested = Signal()
    sleep_timer_cancel_requested = Signal()  # "Stop the sound now": the ambience playing on after a routine

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session_id: str | None = None
        s = theme.SPACE
        outer = QVBoxLayout(self)
        outer.setContentsMargins(6 * s, 5 * s, 6 * s, 5 * s)
        outer.setSpacing(3 * s)

        self._heading = QLabel()
        self._heading.setProperty("role", "title")
        self._heading.setWordWrap(True)
        outer.addWidget(self._heading)
        self._routine = QLabel()
        self._routine.setProperty("role", "muted")
        outer.addWidget(self._routine)

        facts = QHBoxLayout()
        facts.setSpacing(2 * s)
        self._time_spent, time_card = self._fact("clock", "Time for yourself")
        self._steps_done, steps_card = self._fact("check", "Steps done")
        facts.addWidget(time_card)
        facts.addWidget(steps_card)
        facts.addStretch(1)
        outer.addLayout(facts)

        rating = QFrame()
        rating.setProperty("role", "panel")
        rating_layout = QVBoxLayout(rating)
        rating_layout.setContentsMargins(3 * s, 2 * s, 3 * s, 2 * s)
        rating_layout.setSpacing(s)
        ask = QLabel("How tense did you feel? (optional)")
        ask.setProperty("role", "heading")
        rating_layout.addWidget(ask)
        hint = QLabel("0 is no tension at all, 10 the most. Skip it if you like.")
        hint.setProperty("role", "muted")
        rating_layout.addWidget(hint)
        self.before = TensionScale("Tension before")
        self.after = TensionScale("Tension after")
        for label_text, scale in (("Before", self.before), ("After", self.after)):
            row = QHBoxLayout()
            label = QLabel(label_text)
            label.setMinimumWidth(70)
            row.addWidget(label)
            row.addWidget(scale, 1)
            rating_layout.addLayout(row)
        outer.addWidget(rating)

        self.note = QPlainTextEdit()
        self.note.setPlaceholderText("A note for yourself (optional): how it felt, what helped")
        self.note.setAccessibleName("Note")
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(90)
        outer.addWidget(self.note)
        outer.addStretch(1)

        buttons = QHBoxLayout()
        self.stop_sound = QPushButton("Stop the sound now")
        self.stop_sound.setAccessibleName("Stop the sound now")
        self.stop_sound.setToolTip("The sleep timer keeps the ambience playing for a while; this ends it")
        self.stop_sound.clicked.connect(self._cancel_sleep_timer)
        self.stop_sound.setVisible(False)
        buttons.addWidget(self.stop_sound)
        buttons.addStretch(1)
        self.done = QPushButton("Done")
        self.done.setProperty("role", "primary")
        self.done.setIcon(icons.icon("check", theme.current().accent_text))
        self.done.setStyleSheet("QPushButton { min-width: 120px; min-height: 30px; }")
        self.done.setAccessibleName("Done")
        self.done.setDefault(True)
        self.done.clicked.connect(self._finish)
        buttons.addWidget(self.done)
        outer.addLayout(buttons)

        order: list[QWidget] = [*self.before.buttons, *self.after.buttons, self.note, self.done]
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)

    def set_sleep_timer(self, running: bool) -> None:
        """Offer to stop the sound while the sleep timer runs."""
        self.stop_sound.setVisible(running)

    def _cancel_sleep_timer(self) -> None:
        self.stop_sound.setVisible(False)
        self.sleep_timer_cancel_requested.emit()

    def _fact(self, icon_name: str, caption: str) -> tuple[QLabel, QFrame]:
        card = QFrame()
        card.setProperty("role", "panel")
        layout = QHBoxLayout(card)
        layout.setContentsMargins(3 * theme.SPACE, 2 * theme.SPACE, 4 * theme.SPACE, 2 * theme.SPACE)
        layout.setSpacing(2 * theme.SPACE)
        picture = QLabel()
        picture.setPixmap(icons.icon(icon_name, theme.current().accent).pixmap(icons.icon_size(1.4)))
        layout.addWidget(picture)
        column = QVBoxLayout()
        value = QLabel()
        value.setFont(theme.font(1.8, bold=True))
        small = QLabel(caption)
        small.setProperty("role", "muted")
        column.addWidget(value)
        column.addWidget(small)
        layout.addLayout(column)
        return value, card

    def show_summary(self, summary: SummaryLike, language: str = "en") -> None:
        """Show a session that just ended, with an empty rating and note."""
        self._session_id = summary.session_id
        if summary.status == "completed":
            self._heading.setText("Well done. That was time well spent.")
        else:
            self._heading.setText("Session stopped. Every minute counts.")
        self._routine.setText(summary.routine.title.get(language))
        self._time_spent.setText(spoken_duration(summary.active_seconds))
        self._steps_done.setText(f"{summary.steps_completed} of {summary.steps_total}")
        self.before.clear()
        self.after.clear()
        self.note.clear()
        self.done.setFocus(Qt.FocusReason.OtherFocusReason)

    def heading(self) -> str:
        return self._heading.text()

    def time_spent(self) -> str:
        return self._time_spent.text()

    def steps_done(self) -> str:
        return self._steps_done.text()

    def _finish(self) -> None:
        note = self.note.toPlainText().strip()[:NOTE_MAX_CHARS]
        if self._session_id is not None:
            self.feedback_submitted.emit(self._session_id, self.before.value(), self.after.value(), note)
        self.done_requested.emit()
