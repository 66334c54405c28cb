"""The editor's routine form: id, title, summary, areas, goals, level, equipment, cautions and ambience."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from massage_guide.core.document import NO_AMBIENCE, RoutineDocument, in_language, text, with_language
from massage_guide.core.i18n import N_, _
from massage_guide.core.model import (
    AREAS,
    EQUIPMENT,
    GOALS,
    LEVELS,
    Text,
    area_label,
    equipment_label,
    goal_label,
    level_label,
)
from massage_guide.ui import theme
from massage_guide.ui.editor.fields import (
    choice,
    choice_box,
    fit_words,
    problem_label,
    set_choice,
    show_problem,
    text_box,
    with_problem,
)
from massage_guide.ui.flow_layout import FlowLayout
from massage_guide.ui.sound_names import sound_name

ROUTINE_FIELDS = (
    "id", "title", "summary", "areas", "goals", "level", "equipment", "cautions", "ambience", "sleep", "steps",
)  # fmt: skip
TITLE_HINT = N_("What you will call it, e.g. Evening feet")
SUMMARY_HINT = N_("One or two sentences on what it is for")
CAUTIONS_HINT = N_("When not to do this routine, one per line, e.g. Stop if you feel sharp pain.")


class RoutineForm(QWidget):
    """The routine's own fields, each with its problem line.

    Signals: ``changed()`` on any edit; ``id_edited()`` when the person typed in the id box;
    ``ambience_preview_requested(str)`` a sound id to listen to ("" to stop)."""

    changed = Signal()
    id_edited = Signal()
    ambience_preview_requested = Signal(str)

    def __init__(self, ambience_ids: Sequence[str] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._document = RoutineDocument()
        self.language = "en"  # the language the text fields show and edit
        self.problem_labels: dict[str, QLabel] = {key: problem_label() for key in ROUTINE_FIELDS}
        layout = QFormLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(theme.SPACE)
        # Every field goes under its label, so long German labels and large text never widen the window past
        # the screen. (Wrapping only long rows judged each row by its own label, yet put every field after
        # the widest one: a short label's field stayed beside it and was cut, "To fall asleep t".)
        layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)

        self.title_edit = self._line(_("Title"), _(TITLE_HINT))
        self.id_edit = self._line(_("Id"), _("lowercase-with-hyphens, e.g. evening-feet"))
        self.id_edit.textEdited.connect(lambda _text: self.id_edited.emit())
        self.summary_edit = text_box(_("Summary"), _(SUMMARY_HINT), self.changed)
        self.area_checks = self._checks(_("Area"), [(a, area_label(a)) for a in AREAS])
        self.goal_checks = self._checks(_("Goal"), [(g, goal_label(g)) for g in GOALS])
        self.level_box = choice_box(_("Level"), [(lv, level_label(lv)) for lv in LEVELS])
        self.level_box.currentIndexChanged.connect(self.changed)
        self.equipment_checks = self._checks(_("Equipment"), [(e, equipment_label(e)) for e in EQUIPMENT])
        self.cautions_edit = text_box(_("Cautions"), _(CAUTIONS_HINT), self.changed)
        self.ambience_box = choice_box(
            _("Ambience"), [(NO_AMBIENCE, _("No ambience")), *((a, sound_name(a)) for a in ambience_ids)]
        )
        self.ambience_box.currentIndexChanged.connect(self.changed)
        self.listen_button = QPushButton(_("Listen"))
        self.listen_button.setCheckable(True)
        self.listen_button.setAccessibleName(_("Listen to the ambience"))
        self.listen_button.setMinimumHeight(theme.MIN_TARGET)
        self.listen_button.toggled.connect(self._listen_toggled)
        fit_words(self.listen_button, _("Listen"), _("Stop listening"))
        ambience_row = QWidget()
        # Listen moves under the choice when both do not fit the column (long German names, large text).
        row = FlowLayout(ambience_row, spacing=theme.SPACE)
        row.addWidget(self.ambience_box)
        row.addWidget(self.listen_button)

        self.sleep_check = QCheckBox(_("To fall asleep to"))
        self.sleep_check.setAccessibleName(_("A routine to fall asleep to"))
        self.sleep_check.setToolTip(_("No end chime or countdown ticks, and the ambience fades slowly"))
        self.sleep_check.setMinimumHeight(theme.MIN_TARGET)
        self.sleep_check.toggled.connect(self.changed)
        rows: list[tuple[str, QWidget, str]] = [
            (_("Title"), self.title_edit, "title"),
            (_("Id"), self.id_edit, "id"),
            (_("Summary"), self.summary_edit, "summary"),
            (_("Areas"), self.area_checks[0], "areas"),
            (_("Goals"), self.goal_checks[0], "goals"),
            (_("Level"), self.level_box, "level"),
            (_("Equipment"), self.equipment_checks[0], "equipment"),
            (_("Cautions"), self.cautions_edit, "cautions"),
            (_("Ambience"), ambience_row, "ambience"),
            (_("Sleep"), self.sleep_check, "sleep"),
        ]
        for label, widget, key in rows:
            layout.addRow(label, with_problem(widget, self.problem_labels[key]))

    # -- building -------------------------------------------------------------------------------------
    def _line(self, name: str, placeholder: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setAccessibleName(name)
        edit.setPlaceholderText(placeholder)
        edit.setMinimumHeight(theme.MIN_TARGET)
        edit.textChanged.connect(self.changed)
        return edit

    def _checks(self, what: str, options: Sequence[tuple[str, str]]) -> tuple[QWidget, dict[str, QCheckBox]]:
        box = QWidget()
        # Check boxes of one width in a wrapping row: neat columns, as many as fit (two beside the steps
        # in English), and one column rather than a window wider than the screen when the words are long.
        flow = FlowLayout(box, spacing=theme.SPACE)
        checks: dict[str, QCheckBox] = {}
        for value, label in options:
            check = QCheckBox(label)
            check.setAccessibleName(_("{what}: {label}").format(what=what, label=label))
            check.setMinimumHeight(theme.MIN_TARGET)
            check.toggled.connect(self.changed)
            flow.addWidget(check)
            checks[value] = check
        column = max((check.sizeHint().width() for check in checks.values()), default=0)
        for check in checks.values():
            check.setMinimumWidth(column)
        return box, checks

    # -- document in and out --------------------------------------------------------------------------
    def load(self, document: RoutineDocument) -> None:
        """Show ``document``'s fields (without emitting ``changed``)."""
        self._document = document
        widgets: list[QWidget] = [
            self.title_edit, self.id_edit, self.summary_edit, self.level_box, self.cautions_edit,
            self.ambience_box, self.sleep_check, *self.area_checks[1].values(), *self.goal_checks[1].values(),
            *self.equipment_checks[1].values(),
        ]  # fmt: skip
        for widget in widgets:
            widget.blockSignals(True)
        language = self.language
        self.title_edit.setText(in_language(document.title, language))
        self.id_edit.setText(document.id)
        self.summary_edit.setPlainText(in_language(document.summary, language))
        for checks, chosen in (
            (self.area_checks[1], document.areas),
            (self.goal_checks[1], document.goals),
            (self.equipment_checks[1], document.equipment),
        ):
            for value, check in checks.items():
                check.setChecked(value in chosen)
        set_choice(self.level_box, document.level or "beginner")
        self.cautions_edit.setPlainText("\n".join(in_language(c, language) for c in document.cautions))
        self._show_english(document)
        set_choice(self.ambience_box, document.ambience or NO_AMBIENCE)
        self.sleep_check.setChecked(document.sleep)
        for widget in widgets:
            widget.blockSignals(False)

    def read(self, document: RoutineDocument) -> RoutineDocument:
        """``document`` with this form's values; translations of unchanged texts are kept."""
        level = choice(self.level_box)
        ambience = choice(self.ambience_box)
        return replace(
            document,
            id=self.id_edit.text().strip(),
            title=with_language(document.title, self.language, self.title_edit.text()),
            summary=with_language(document.summary, self.language, self.summary_edit.toPlainText()),
            areas=_chosen(self.area_checks[1], document.areas),
            goals=_chosen(self.goal_checks[1], document.goals),
            # Left out of the file when it was and still is the default.
            level=None if document.level is None and level == "beginner" else level,
            equipment=_chosen(self.equipment_checks[1], document.equipment),
            cautions=_cautions(self.cautions_edit.toPlainText(), document.cautions, self.language),
            ambience=None if document.ambience is None and ambience == NO_AMBIENCE else ambience,
            sleep=self.sleep_check.isChecked(),
        )

    def set_language(self, language: str) -> None:
        """Show and edit the texts in ``language`` (reload the document afterwards)."""
        self.language = language

    def _show_english(self, document: RoutineDocument) -> None:
        """In another language, the English text is the placeholder: what there is to translate."""
        english = self.language == "en"
        self.title_edit.setPlaceholderText(_(TITLE_HINT) if english else document.title.get("en"))
        self.summary_edit.setPlaceholderText(_(SUMMARY_HINT) if english else document.summary.get("en"))
        self.cautions_edit.setPlaceholderText(
            _(CAUTIONS_HINT) if english else "\n".join(c.get("en") for c in document.cautions)
        )

    def set_id(self, routine_id: str) -> None:
        """Put an id in the box as the program's suggestion (the person has not typed one)."""
        if self.id_edit.text() != routine_id:
            self.id_edit.setText(routine_id)

    def show_problems(self, messages: Mapping[str, Sequence[str]]) -> None:
        """Messages by routine field (``title``, ``areas``, ...); fields not named are cleared."""
        for key, label in self.problem_labels.items():
            show_problem(label, messages.get(key, ()))

    def _listen_toggled(self, on: bool) -> None:
        sound = choice(self.ambience_box)
        if on and sound not in (None, NO_AMBIENCE):
            self.listen_button.setText(_("Stop listening"))
            self.ambience_preview_requested.emit(sound)
            return
        self.listen_button.blockSignals(True)
        self.listen_button.setChecked(False)
        self.listen_button.blockSignals(False)
        self.listen_button.setText(_("Listen"))
        self.ambience_preview_requested.emit("")


def _chosen(checks: Mapping[str, QCheckBox], before: Sequence[str]) -> tuple[str, ...]:
    """Checked values, in the order the file had them, new ones after; unknown old values are kept."""
    kept = [value for value in before if value not in checks or checks[value].isChecked()]
    added = [value for value, check in checks.items() if check.isChecked() and value not in kept]
    return tuple(kept + added)


def _cautions(typed: str, before: Sequence[Text], language: str = "en") -> tuple[Text, ...]:
    """One caution per line; a line still matching an old caution keeps that caution's translations.

    In another language the lines translate the English cautions in order; a line left empty (or
    missing) removes that translation."""
    if language != "en":
        lines = typed.splitlines()
        return tuple(
            with_language(caution, language, lines[index].strip() if index < len(lines) else "")
            for index, caution in enumerate(before)
        )
    by_english = {caution.get("en").strip(): caution for caution in before}
    lines = [line.strip() for line in typed.splitlines() if line.strip()]
    return tuple(by_english.get(line, text(line)) for line in lines)
