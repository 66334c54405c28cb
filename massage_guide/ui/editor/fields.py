"""Small pieces the editor's forms share: a labelled field with its problem line, and choice boxes."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from PySide6.QtCore import QEvent, QObject, SignalInstance
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from massage_guide.core.i18n import N_, _
from massage_guide.ui import theme

# When the style sheet may have reset a widget's size limits: after these, the editor sets its own again.
_RESIZE_EVENTS = frozenset({QEvent.Type.Polish, QEvent.Type.StyleChange, QEvent.Type.FontChange})
NOT_SET = ""  # the combo entry for "leave this key out of the file"
TEXT_BOX_LINES = 3  # summary, cautions, instruction, spoken text: a few lines tall, they scroll beyond


def problem_label() -> QLabel:
    """A line under a field for what the loader says is wrong with it; hidden while nothing is."""
    label = QLabel()
    label.setProperty("role", "muted")
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {theme.current().danger};")
    label.setVisible(False)
    return label


def show_problem(label: QLabel, messages: Sequence[str]) -> None:
    label.setText("\n".join(messages))
    label.setVisible(bool(messages))


def with_problem(widget: QWidget, label: QLabel) -> QWidget:
    """``widget`` with its problem line right under it, as one row of a form."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    layout.addWidget(widget)
    layout.addWidget(label)
    return box


class TextBox(QPlainTextEdit):
    """A text field a few lines tall. The app's style sheet gives every text field a one-line min-height
    when it polishes it, which undid a fixed height set once (the box showed a single line): the height is
    set again after each polish, style or font change, so it also follows the text size."""

    def event(self, event: QEvent) -> bool:
        handled = super().event(event)
        if event.type() in _RESIZE_EVENTS:
            self.setFixedHeight(self.fontMetrics().lineSpacing() * TEXT_BOX_LINES + 2 * theme.SPACE)
        return handled


def text_box(name: str, placeholder: str, on_change: Callable[[], object] | SignalInstance) -> QPlainTextEdit:
    """A few-lines text field calling ``on_change`` on each edit; Tab moves on (texts need no tabs)."""
    edit = TextBox()
    edit.setAccessibleName(name)
    edit.setPlaceholderText(placeholder)
    edit.setTabChangesFocus(True)
    edit.setFixedHeight(edit.fontMetrics().lineSpacing() * TEXT_BOX_LINES + 2 * theme.SPACE)
    edit.textChanged.connect(on_change)
    return edit


class WordsFit(QObject):
    """Keeps a button at least as wide as the longest word it shows. The app's style sheet sets a small
    min-width each time it polishes a widget, which would let a squeezed row cut the word ("Anhö"), so
    the width is set again after every polish, style or font change."""

    def __init__(self, button: QPushButton, texts: tuple[str, ...]) -> None:
        super().__init__(button)
        self._button = button
        self._texts = texts
        button.installEventFilter(self)
        self.fit()

    def fit(self) -> None:
        button = self._button
        shown = button.text()
        widths = []
        for text in self._texts or (shown,):
            button.setText(text)
            widths.append(button.sizeHint().width())
        button.setText(shown)
        button.setMinimumWidth(max(widths))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _RESIZE_EVENTS:
            self.fit()
        return False


def fit_words(button: QPushButton, *texts: str) -> WordsFit:
    """Never let ``button`` be narrower than the longest of ``texts`` (its own text when none is given);
    call ``fit()`` on the result again after giving the button an icon."""
    return WordsFit(button, texts)


def choice_box(name: str, choices: Iterable[tuple[str, str]], *, empty: str | None = None) -> QComboBox:
    """A combo of (value, label); ``empty`` adds a first entry that leaves the value out."""
    box = QComboBox()
    box.setAccessibleName(name)
    box.setToolTip(name)
    box.setMinimumHeight(theme.MIN_TARGET)
    if empty is not None:
        box.addItem(empty, NOT_SET)
    for value, label in choices:
        box.addItem(label, value)
    return box


def set_choice(box: QComboBox, value: str | None) -> None:
    """Select ``value``; a value the box does not know (from a hand-written file) is added so it shows."""
    wanted = value if value is not None else NOT_SET
    index = box.findData(wanted)
    if index < 0:
        box.addItem(_("{value} (unknown)").format(value=wanted), wanted)
        index = box.count() - 1
    box.blockSignals(True)
    box.setCurrentIndex(index)
    box.blockSignals(False)


def choice(box: QComboBox) -> str | None:
    value = box.currentData()
    return None if value in (None, NOT_SET) else str(value)


def readable(identifier: str) -> str:
    """``range_of_motion`` as "Range of motion" (for a sound of one's own: its file name, not our words)."""
    return identifier.replace("_", " ").replace("-", " ").capitalize()


# The bundled cue sounds (audio/cues/): their names translated; a sound of one's own shows its file name.
CUE_NAMES = {
    "bowl": N_("Singing bowl"),
    "bowl-end": N_("Closing singing bowl"),
    "breath-in": N_("Breathing in"),
    "breath-out": N_("Breathing out"),
    "chime": N_("Chime"),
    "soft-tick": N_("Soft tick"),
    "wood": N_("Wood block"),
}


def cue_name(cue_id: str) -> str:
    """A cue sound's id as a person reads it: ``bowl`` -> "Singing bowl" ("Klangschale" in German)."""
    return _(CUE_NAMES[cue_id]) if cue_id in CUE_NAMES else readable(cue_id)


def capitalised(label: str) -> str:
    """A translated label as a list entry: ``kneading`` as "Kneading" (German nouns keep their capital)."""
    return label[:1].upper() + label[1:]
