"""The editor's form for the selected step (or repeat / sides block), each field with its problem line."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from massage_guide.core.document import (
    Item,
    RepeatBlock,
    SidesBlock,
    StepItem,
    in_language,
    with_language,
    with_optional,
)
from massage_guide.core.i18n import N_, _
from massage_guide.core.loader import BREATH_PHASE_MAX_SECONDS
from massage_guide.core.model import (
    AREAS,
    PRESSURES,
    REPEAT_MAX,
    REPEAT_MIN,
    SIDES,
    TECHNIQUES,
    Breathing,
    area_label,
    pressure_label,
    technique_description,
    technique_name,
)
from massage_guide.ui import theme
from massage_guide.ui.body_map import BodyMapView
from massage_guide.ui.editor.fields import (
    capitalised,
    choice,
    choice_box,
    cue_name,
    problem_label,
    set_choice,
    show_problem,
    text_box,
    with_problem,
)
from massage_guide.ui.flow_layout import FlowLayout

STEP_FIELDS = (
    "title", "instruction", "duration", "technique", "pressure", "side", "mirror", "focus", "breathing",
    "say", "cue", "muscle",
)  # fmt: skip
BLOCK_FIELDS = ("repeat", "sides", "steps")
BREATH_STEP = 0.5  # seconds: half-second phases are as fine as breathing guidance gets
DEFAULT_BREATHING = Breathing(4, 0, 6, 0)  # in for four, out for six: the calm default of the built-ins
SIDE_LABELS = {"left": N_("Left"), "right": N_("Right"), "both": N_("Both sides")}
# The four phases of a breath, in the order Breathing holds them.
BREATH_PHASES = (N_("In"), N_("Hold"), N_("Out"), N_("Hold after"))
INSTRUCTION_HINT = N_("Where the hands go, how firmly, what to feel")


class StepForm(QStackedWidget):
    """One page for a step, one for a block; shows the selected item and turns edits into a new item.

    Signals: ``changed()`` on any edit; ``hear_requested(str)`` the text to speak."""

    changed = Signal()
    hear_requested = Signal(str)

    def __init__(self, cue_ids: Sequence[str] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._item: Item | None = None
        self.language = "en"  # the language the text fields show and edit
        self.problem_labels: dict[str, QLabel] = {key: problem_label() for key in STEP_FIELDS + BLOCK_FIELDS}
        self._empty = QLabel(_("Choose a step on the left, or add one."))
        self._empty.setWordWrap(True)
        self._empty.setProperty("role", "muted")
        self.addWidget(self._empty)
        self.addWidget(self._build_step_page(cue_ids))
        self.addWidget(self._build_block_page())

    # -- building -------------------------------------------------------------------------------------
    def _build_step_page(self, cue_ids: Sequence[str]) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        form.setContentsMargins(0, 0, 0, 0)
        # Every field under its label, as in the routine form: long German labels and large text then
        # never make the step pane wider than a small screen leaves for it.
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        self.title_edit = QLineEdit()
        self.title_edit.setAccessibleName(_("Step title"))
        self.instruction_edit = text_box(_("Instruction"), _(INSTRUCTION_HINT), self._edited)
        self.duration_edit = QLineEdit()
        self.duration_edit.setAccessibleName(_("Duration"))
        # Written as the file writes it (45s, 2m): those letters are the format, in any language.
        self.duration_edit.setPlaceholderText(_("45s, 2m or 1m30s"))
        not_said = _("Not said")
        self.technique_box = choice_box(
            _("Technique"), [(t, capitalised(technique_name(t))) for t in TECHNIQUES], empty=not_said
        )
        for technique in TECHNIQUES:
            index = self.technique_box.findData(technique)
            tip = technique_description(technique)
            self.technique_box.setItemData(index, tip, Qt.ItemDataRole.ToolTipRole)
        self.pressure_box = choice_box(
            _("Pressure"), [(p, capitalised(pressure_label(p))) for p in PRESSURES], empty=not_said
        )
        self.side_box = choice_box(_("Side"), [(s, _(SIDE_LABELS[s])) for s in SIDES], empty=not_said)
        self.mirror_check = QCheckBox(_("Then repeat on the other side"))
        self.mirror_check.setAccessibleName(_("Mirror: repeat on the other side"))
        self.focus_box = choice_box(_("Focus"), [(a, area_label(a)) for a in AREAS], empty=_("No focus"))
        self.body_map = BodyMapView()
        self.body_map.setAccessibleName(_("Body map: choose the step's focus"))
        self.body_map.setFixedHeight(220)
        self.body_map.area_clicked.connect(self._area_clicked)
        self.breathing_check = QCheckBox(_("Pace the breathing"))
        self.breathing_check.setAccessibleName(_("Pace the breathing"))
        self.breath_spins = [self._breath_spin(_(name)) for name in BREATH_PHASES]
        breath_row = QWidget()
        # Each phase's name stays beside its box; the pairs wrap into fewer columns in a narrow pane.
        row = FlowLayout(breath_row, spacing=theme.SPACE)
        for name, spin in zip(BREATH_PHASES, self.breath_spins, strict=True):
            pair = QWidget()
            pair_layout = QHBoxLayout(pair)
            pair_layout.setContentsMargins(0, 0, 0, 0)
            phase = QLabel(_(name))
            phase.setBuddy(spin)
            pair_layout.addWidget(phase)
            pair_layout.addWidget(spin)
            row.addWidget(pair)
        self.say_edit = text_box(
            _("Spoken text"), _("Spoken instead of the title and instruction (optional)"), self._edited
        )
        self.hear_button = QPushButton(_("Hear it"))
        self.hear_button.setAccessibleName(_("Hear the spoken text"))
        self.hear_button.clicked.connect(self._hear)
        say_row = QWidget()
        say_layout = QHBoxLayout(say_row)
        say_layout.setContentsMargins(0, 0, 0, 0)
        say_layout.addWidget(self.say_edit, 1)
        say_layout.addWidget(self.hear_button)
        self.cue_box = choice_box(
            _("Cue sound"), [(c, cue_name(c)) for c in cue_ids], empty=_("The usual sound")
        )
        self.muscle_edit = QLineEdit()
        self.muscle_edit.setAccessibleName(_("Muscle"))
        self.muscle_edit.setPlaceholderText(_("The muscle it works, e.g. upper trapezius (optional)"))

        breathing = QWidget()
        breathing_layout = QVBoxLayout(breathing)
        breathing_layout.setContentsMargins(0, 0, 0, 0)
        breathing_layout.addWidget(self.breathing_check)
        breathing_layout.addWidget(breath_row)
        focus = QWidget()
        focus_layout = QVBoxLayout(focus)
        focus_layout.setContentsMargins(0, 0, 0, 0)
        focus_layout.addWidget(self.focus_box)
        focus_layout.addWidget(self.body_map)
        rows: list[tuple[str, QWidget, str]] = [
            (_("Title"), self.title_edit, "title"),
            (_("Instruction"), self.instruction_edit, "instruction"),
            (_("Duration"), self.duration_edit, "duration"),
            (_("Technique"), self.technique_box, "technique"),
            (_("Pressure"), self.pressure_box, "pressure"),
            (_("Side"), self.side_box, "side"),
            ("", self.mirror_check, "mirror"),
            (_("Focus"), focus, "focus"),
            (_("Muscle"), self.muscle_edit, "muscle"),
            (_("Breathing"), breathing, "breathing"),
            (_("Spoken"), say_row, "say"),
            (_("Cue"), self.cue_box, "cue"),
        ]
        for label, widget, key in rows:
            form.addRow(label, with_problem(widget, self.problem_labels[key]))
        for edit in (self.title_edit, self.duration_edit, self.muscle_edit):
            edit.setMinimumHeight(theme.MIN_TARGET)
            edit.textChanged.connect(self._edited)
        for box in (self.technique_box, self.pressure_box, self.side_box, self.focus_box, self.cue_box):
            box.currentIndexChanged.connect(self._edited)
        for check in (self.mirror_check, self.breathing_check):
            check.setMinimumHeight(theme.MIN_TARGET)
            check.toggled.connect(self._edited)
        return page

    def _build_block_page(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        form.setContentsMargins(0, 0, 0, 0)
        self.block_hint = QLabel()
        self.block_hint.setWordWrap(True)
        self.repeat_spin = QSpinBox()
        self.repeat_spin.setRange(REPEAT_MIN, REPEAT_MAX)
        self.repeat_spin.setSuffix(_(" times"))
        self.repeat_spin.setAccessibleName(_("Repeat count"))
        self.repeat_spin.setMinimumHeight(theme.MIN_TARGET)
        self.repeat_spin.valueChanged.connect(self._edited)
        self.first_side_box = choice_box(
            _("First side"), [("left", _("Left first")), ("right", _("Right first"))]
        )
        self.first_side_box.currentIndexChanged.connect(self._edited)
        form.addRow(self.block_hint)
        form.addRow(_("Repeat"), with_problem(self.repeat_spin, self.problem_labels["repeat"]))
        form.addRow(_("Sides"), with_problem(self.first_side_box, self.problem_labels["sides"]))
        form.addRow("", self.problem_labels["steps"])
        return page

    def _breath_spin(self, name: str) -> QDoubleSpinBox:
        spin = QDoubleSpinBox()
        spin.setRange(0, BREATH_PHASE_MAX_SECONDS)
        spin.setSingleStep(BREATH_STEP)
        spin.setDecimals(1)
        spin.setSuffix(_(" s"))
        spin.setAccessibleName(_("Breathe: {phase}, in seconds").format(phase=name))
        spin.setMinimumHeight(theme.MIN_TARGET)
        spin.valueChanged.connect(self._edited)
        return spin

    # -- item in and out ------------------------------------------------------------------------------
    def load(self, item: Item | None) -> None:
        """Show ``item`` (None: nothing selected) without emitting ``changed``."""
        self._item = item
        for widget in self.findChildren(QWidget):
            widget.blockSignals(True)
        try:
            if item is None:
                self.setCurrentIndex(0)
            elif isinstance(item, StepItem):
                self._load_step(item)
                self.setCurrentIndex(1)
            else:
                self._load_block(item)
                self.setCurrentIndex(2)
        finally:
            for widget in self.findChildren(QWidget):
                widget.blockSignals(False)

    def _load_step(self, step: StepItem) -> None:
        language = self.language
        self.title_edit.setText(in_language(step.title, language))
        self.instruction_edit.setPlainText(in_language(step.instruction, language))
        english = language == "en"
        self.title_edit.setPlaceholderText("" if english else step.title.get("en"))
        self.instruction_edit.setPlaceholderText(
            _(INSTRUCTION_HINT) if english else step.instruction.get("en")
        )
        self.duration_edit.setText(str(step.duration))
        set_choice(self.technique_box, step.technique)
        set_choice(self.pressure_box, step.pressure)
        set_choice(self.side_box, step.side)
        self.mirror_check.setChecked(step.mirror)
        set_choice(self.focus_box, step.focus)
        self.body_map.set_selected({step.focus} if step.focus else set())
        breathing = step.breathing or DEFAULT_BREATHING
        self.breathing_check.setChecked(step.breathing is not None)
        for spin, value in zip(
            self.breath_spins,
            (breathing.inhale, breathing.hold, breathing.exhale, breathing.hold_after),
            strict=True,
        ):
            spin.setValue(value)
            spin.setEnabled(step.breathing is not None)
        self.say_edit.setPlainText(in_language(step.say, language))
        set_choice(self.cue_box, step.cue)
        self.muscle_edit.setText(in_language(step.muscle, language))

    def _load_block(self, block: RepeatBlock | SidesBlock) -> None:
        is_repeat = isinstance(block, RepeatBlock)
        if isinstance(block, RepeatBlock):
            self.block_hint.setText(_("The steps in this block run several times in a row."))
            self.repeat_spin.setValue(block.repeat if isinstance(block.repeat, int) else REPEAT_MIN)
        else:
            self.block_hint.setText(_("The steps in this block run for one side, then again for the other."))
            set_choice(self.first_side_box, block.sides[0] if block.sides else "left")
        self.repeat_spin.setVisible(is_repeat)
        self.first_side_box.setVisible(not is_repeat)

    def set_language(self, language: str) -> None:
        """Show and edit the texts in ``language`` (load the item afterwards)."""
        self.language = language

    def item(self) -> Item | None:
        """The shown item with the form's values (its block's inner steps are the list's business)."""
        item = self._item
        if isinstance(item, StepItem):
            return self._read_step(item)
        if isinstance(item, RepeatBlock):
            return replace(item, repeat=self.repeat_spin.value())
        if isinstance(item, SidesBlock):
            first = choice(self.first_side_box) or "left"
            return replace(item, sides=(first, "right" if first == "left" else "left"))
        return None

    def _read_step(self, step: StepItem) -> StepItem:
        duration_text = self.duration_edit.text().strip()
        duration: str | int = int(duration_text) if duration_text.isdigit() else duration_text
        if str(step.duration) == duration_text:
            duration = step.duration  # as the file wrote it
        breathing = None
        if self.breathing_check.isChecked():
            inhale, hold, exhale, after = (spin.value() for spin in self.breath_spins)
            breathing = Breathing(inhale, hold, exhale, after)
        language = self.language
        say = with_optional(step.say, language, self.say_edit.toPlainText())
        muscle = with_optional(step.muscle, language, self.muscle_edit.text())
        return replace(
            step,
            muscle=muscle,
            title=with_language(step.title, language, self.title_edit.text()),
            instruction=with_language(step.instruction, language, self.instruction_edit.toPlainText()),
            duration=duration,
            technique=choice(self.technique_box),
            pressure=choice(self.pressure_box),
            side=choice(self.side_box),
            mirror=self.mirror_check.isChecked(),
            focus=choice(self.focus_box),
            breathing=breathing,
            say=say,
            cue=choice(self.cue_box),
        )

    def show_problems(self, messages: Mapping[str, Sequence[str]]) -> None:
        """Messages by field of the shown item (``duration``, ``breathing``, ...)."""
        for key, label in self.problem_labels.items():
            show_problem(label, messages.get(key, ()))

    # -- behaviour ------------------------------------------------------------------------------------
    def _edited(self) -> None:
        on = self.breathing_check.isChecked()
        for spin in self.breath_spins:
            spin.setEnabled(on)
        focus = choice(self.focus_box)
        self.body_map.set_selected({focus} if focus else set())
        self.changed.emit()

    def _area_clicked(self, area: str) -> None:
        # A second click on the chosen area clears the focus, as on the library's map.
        set_choice(self.focus_box, None if choice(self.focus_box) == area else area)
        self._edited()

    def _hear(self) -> None:
        said = self.say_edit.toPlainText().strip()
        if not said:
            title = self.title_edit.text().strip()
            instruction = self.instruction_edit.toPlainText().strip()
            said = f"{title}. {instruction}" if title and instruction else title or instruction
        if said:
            self.hear_requested.emit(said)
