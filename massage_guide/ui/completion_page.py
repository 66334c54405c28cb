"""The completion page: what the session gave, an optional tension rating before and after, and a note.

What is typed here is kept whichever way the page is left: Done, the sidebar, a shortcut or closing the app.
"""

from __future__ import annotations

import itertools
from typing import Protocol

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from massage_guide.core import formatting
from massage_guide.core.i18n import N_, _, ngettext
from massage_guide.core.model import Routine
from massage_guide.ui import icons, theme
from massage_guide.ui.caret import CalmPlainTextEdit
from massage_guide.ui.flow_layout import FlowLayout
from massage_guide.ui.scrolling import vertical_scroll
from massage_guide.ui.tension_rating import TensionRating

NOTE_MAX_CHARS = 2000
HEADING_COMPLETED = N_("Well done. That was time well spent.")
HEADING_STOPPED = N_("Session stopped. Every minute counts.")


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
    @property
    def tension_before(self) -> int | None: ...


class CompletionPage(QWidget):
    """Shown when a session ends. Signals: feedback_submitted(str, object, object, str) with the session
    id, tension before and after (int or None) and the note; then done_requested()."""

    feedback_submitted = Signal(str, object, object, str)
    done_requested = Signal()
    sleep_timer_cancel_requested = Signal()  # "Stop the sound now": the ambience playing on after a routine

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session_id: str | None = None
        self._sent = True  # nothing to keep until a summary is shown
        s = theme.SPACE
        # Everything but Done scrolls: at the largest text on a small screen it is taller than the window,
        # and squeezing it would cut the words (Done stays in reach below).
        content = QWidget()
        outer = QVBoxLayout(content)
        outer.setContentsMargins(6 * s, 5 * s, 6 * s, 2 * s)
        outer.setSpacing(3 * s)

        self._heading = QLabel()
        self._heading.setProperty("role", "title")
        self._heading.setWordWrap(True)
        outer.addWidget(self._heading)
        self._routine = QLabel()
        self._routine.setProperty("role", "muted")
        self._routine.setWordWrap(True)
        outer.addWidget(self._routine)

        # The two facts side by side, or one above the other when large text or long words need the room.
        facts_row = QWidget()
        facts = FlowLayout(facts_row, spacing=2 * s)
        self._time_spent, time_card = self._fact("clock", _("Time for yourself"))
        self._steps_done, steps_card = self._fact("check", _("Steps done"))
        self._steps_tick = steps_card.findChild(QLabel, "picture")
        facts.addWidget(time_card)
        facts.addWidget(steps_card)
        outer.addWidget(facts_row)

        rating = QFrame()
        rating.setProperty("role", "panel")
        rating_layout = QVBoxLayout(rating)
        rating_layout.setContentsMargins(3 * s, 2 * s, 3 * s, 2 * s)
        rating_layout.setSpacing(s)
        ask = QLabel(_("How tense do you feel now? (optional)"))
        ask.setProperty("role", "heading")
        ask.setWordWrap(True)
        rating_layout.addWidget(ask)
        hint = QLabel(
            _("0 is no tension at all, 10 the most. Arrow keys or digits choose. Skip it if you like.")
        )
        hint.setProperty("role", "muted")
        hint.setWordWrap(True)
        rating_layout.addWidget(hint)
        self.before = TensionRating(_("Tension before"))
        self.after = TensionRating(_("Tension after"))
        captions = ((_("After"), self.after), (_("Before"), self.before))
        # Both captions as wide as the wider one, so the two scales line up in any language.
        caption_width = max(self.fontMetrics().horizontalAdvance(text) for text, _scale in captions)
        for label_text, scale in captions:
            row = QHBoxLayout()
            label = QLabel(label_text)
            label.setMinimumWidth(caption_width + theme.SPACE * 2)
            label.setBuddy(scale)
            row.addWidget(label)
            row.addWidget(scale)
            row.addStretch(1)
            rating_layout.addLayout(row)
        outer.addWidget(rating)

        self.note = CalmPlainTextEdit()
        self.note.setPlaceholderText(_("A note for yourself (optional): how it felt, what helped"))
        self.note.setAccessibleName(_("Note"))
        self.note.setTabChangesFocus(True)
        # Three lines of the user's text size, whatever that size is.
        self.note.setFixedHeight(self.note.fontMetrics().lineSpacing() * 3 + 4 * s)
        outer.addWidget(self.note)
        outer.addStretch(1)

        page = QVBoxLayout(self)
        page.setContentsMargins(0, 0, 0, 0)
        page.setSpacing(0)
        self.page_scroll = vertical_scroll(content)
        page.addWidget(self.page_scroll, 1)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(6 * s, s, 6 * s, 3 * s)
        self.stop_sound = QPushButton(_("Stop the sound now"))
        self.stop_sound.setAccessibleName(_("Stop the sound now"))
        self.stop_sound.setToolTip(_("The sleep timer keeps the ambience playing for a while; this ends it"))
        self.stop_sound.clicked.connect(self._cancel_sleep_timer)
        self.stop_sound.setVisible(False)
        buttons.addWidget(self.stop_sound)
        buttons.addStretch(1)
        self.done = QPushButton(_("Done"))
        self.done.setProperty("role", "primary")
        self.done.setIcon(icons.icon("check", theme.current().accent_text))
        self.done.setStyleSheet("QPushButton { min-width: 120px; min-height: 30px; }")
        self.done.setToolTip(_("Keep this and go back to the library"))
        self.done.setAccessibleName(_("Done"))
        self.done.setDefault(True)
        self.done.clicked.connect(self._finish)
        buttons.addWidget(self.done)
        page.addLayout(buttons)

        order: list[QWidget] = [self.after, self.before, self.note, self.done]
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
        picture.setObjectName("picture")
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
        self.submit()  # a summary still on screen is kept before the next one replaces it
        self._session_id = summary.session_id
        self._heading.setText(_(HEADING_COMPLETED) if summary.status == "completed" else _(HEADING_STOPPED))
        self._routine.setText(summary.routine.title.get(language))
        self._time_spent.setText(formatting.elapsed(summary.active_seconds))
        total = summary.steps_total
        self._steps_done.setText(
            ngettext("{done} of {count} step", "{done} of {count} steps", total).format(
                done=formatting.number(summary.steps_completed), count=formatting.number(total)
            )
        )
        if self._steps_tick is not None:  # a tick for "0 of 7" would praise what did not happen
            self._steps_tick.setVisible(summary.steps_completed > 0)
        self.before.set_value(getattr(summary, "tension_before", None))
        self.after.clear()
        self.note.clear()
        self._sent = False
        self.after.setFocus(Qt.FocusReason.OtherFocusReason)

    def heading(self) -> str:
        return self._heading.text()

    def steps_ticked(self) -> bool:
        return self._steps_tick is not None and not self._steps_tick.isHidden()

    def time_spent(self) -> str:
        return self._time_spent.text()

    def steps_done(self) -> str:
        return self._steps_done.text()

    def submit(self) -> None:
        """Send the ratings and note once (Done, leaving the page another way, or the app closing)."""
        if self._sent:
            return
        self._sent = True
        note = self.note.toPlainText().strip()[:NOTE_MAX_CHARS]
        if self._session_id is not None:
            self.feedback_submitted.emit(self._session_id, self.before.value(), self.after.value(), note)

    def _finish(self) -> None:
        self.submit()
        self.done_requested.emit()

    def hideEvent(self, event: QHideEvent) -> None:
        # The sidebar, Ctrl+1/2/3 or a new session take the page away without Done: keep what was typed.
        if not event.spontaneous():
            self.submit()
        super().hideEvent(event)
