"""The routine editor window: the routine's form, its steps, the selected step, a preview and Save."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from massage_guide.core import formatting
from massage_guide.core.document import RepeatBlock, SidesBlock, StepItem
from massage_guide.core.i18n import _, ngettext
from massage_guide.core.os_errors import os_reason
from massage_guide.ui import theme
from massage_guide.ui.editor.controller import NEW_STEP_DURATION, EditorCheck, EditorController, slug
from massage_guide.ui.editor.fields import fit_words
from massage_guide.ui.editor.panes import Arrangement, EditorPanes
from massage_guide.ui.editor.preview import PreviewController, PreviewPanel
from massage_guide.ui.editor.routine_form import ROUTINE_FIELDS, RoutineForm
from massage_guide.ui.editor.step_form import StepForm
from massage_guide.ui.editor.step_list import StepList
from massage_guide.ui.flow_layout import FlowLayout
from massage_guide.ui.scrolling import vertical_scroll

DEFAULT_SIZE = (1280, 800)
# Room for a scroll bar beside a scrolling form, so the form itself is never cut at the right.
SCROLLBAR_ALLOWANCE = 24
STEP_LIST_ROWS = 4  # the fewest rows of steps the list shows, however short the screen
# Languages offered for a routine's texts (English is the one every routine needs); a routine's own
# other languages are added to these. Names in their own language (Babel's), as a translator looks for them.
TEXT_LANGUAGES: tuple[str, ...] = ("en", "de", "fr", "es", "it", "nl", "pt", "pt_BR", "pl", "sv")
APP_TITLE = "Massage Guide"  # the app's name, the same in every language
# What closing with unsaved changes can answer.
SAVE, DISCARD, CANCEL = "save", "discard", "cancel"


class EditorWindow(QMainWindow):
    """Edits one routine. The controller checks and saves; this window shows and forwards.

    Signals: ``saved(Routine)`` after a save; ``closed()`` once the window has closed."""

    saved = Signal(object)
    closed = Signal()

    def __init__(
        self,
        controller: EditorController,
        *,
        clock: Callable[[], float] = time.monotonic,
        ask_unsaved: Callable[[str], str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self._ask_unsaved = ask_unsaved or self._unsaved_dialog
        self._id_touched = not controller.is_new
        self._person_closing = False
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        self._fit_screen()
        sounds = controller.library.sound_ids
        self.form = RoutineForm(sounds.get("ambience", ()))
        self.steps = StepList()
        self.step_form = StepForm(sounds.get("cues", ()))
        self.preview_controller = PreviewController(clock, self)
        self.preview = PreviewPanel()
        self._build()
        self._connect()
        self.form.load(controller.document)
        self.steps.load(controller.document.steps)
        first = self.steps.topLevelItem(0)
        if first is not None:
            self.steps.setCurrentItem(first)
        self._show_title()
        self.controller.check_now()

    # -- building ---------------------------------------------------------------------------------
    def _build(self) -> None:
        self.note_label = QLabel(self.controller.note)
        self.note_label.setWordWrap(True)
        self.note_label.setProperty("role", "badge")
        self.note_label.setVisible(bool(self.controller.note))
        self.language_box = QComboBox()
        self.language_box.setAccessibleName(_("Language of the texts"))
        self.language_box.setToolTip(_("Write the texts in another language too; English is always needed"))
        self.language_box.setMinimumHeight(theme.MIN_TARGET)
        for code in TEXT_LANGUAGES:
            self.language_box.addItem(formatting.language_name(code), code)
        for code in self.controller.document.languages():
            if code not in TEXT_LANGUAGES:  # the routine's own code, as its file writes it
                self.language_box.addItem(code, code)
        self.language_box.currentIndexChanged.connect(self._language_changed)
        steps_column = QWidget()
        column = QVBoxLayout(steps_column)
        column.setContentsMargins(0, 0, 0, 0)
        heading = QLabel(_("Steps"))
        heading.setProperty("role", "heading")
        column.addWidget(heading)
        column.addWidget(self.steps, 1)
        self.steps_problem = self.form.problem_labels["steps"]
        column.addWidget(self.steps_problem)
        self.add_step_button = self._button(_("Add step"), _("Add a step (Insert)"), self._add_step)
        self.add_repeat_button = self._button(
            _("Add repeat"), _("Add a block that repeats its steps"), self._add_repeat
        )
        self.add_sides_button = self._button(
            _("Add each side"), _("Add a block run once per side"), self._add_sides
        )
        self.duplicate_button = self._button(
            _("Duplicate"), _("Duplicate the selected step"), self.steps.duplicate_current
        )
        self.up_button = self._button(
            _("Move up"), _("Move the selected step up (Ctrl+Up)"), lambda: self.steps.move_current(-1)
        )
        self.down_button = self._button(
            _("Move down"), _("Move the selected step down (Ctrl+Down)"), lambda: self.steps.move_current(1)
        )
        self.remove_button = self._button(
            _("Remove"), _("Remove the selected step (Delete)"), self.steps.remove_current
        )
        self.remove_button.setProperty("role", "danger")
        step_buttons = (
            self.add_step_button, self.add_repeat_button, self.add_sides_button, self.duplicate_button,
            self.up_button, self.down_button, self.remove_button,
        )  # fmt: skip
        # The buttons wrap onto more lines in a narrow column instead of cutting their words short.
        buttons = QWidget()
        flow = FlowLayout(buttons, spacing=theme.SPACE)
        for button in step_buttons:
            flow.addWidget(button)
        column.addWidget(buttons)
        # On a short screen the column scrolls, so the list keeps a few rows and every button stays
        # reachable (the scroll area follows the keyboard focus).
        self.steps.setMinimumHeight(STEP_LIST_ROWS * self.steps.fontMetrics().lineSpacing())
        steps_scroll = vertical_scroll(steps_column)
        steps_scroll.setMinimumWidth(steps_column.minimumSizeHint().width() + SCROLLBAR_ALLOWANCE)

        scrolls = []
        for pane in (self.form, self.step_form):
            scroll = vertical_scroll(pane)
            scroll.setMinimumWidth(pane.minimumSizeHint().width() + SCROLLBAR_ALLOWANCE)
            scrolls.append(scroll)
        # Side by side when the window is wide enough; one view at a time on a small screen.
        self.panes = EditorPanes(scrolls[0], steps_scroll, scrolls[1])
        # One view at a time, the switch names the steps: the heading's line goes to the list instead.
        self.panes.arrangement_changed.connect(
            lambda arrangement: heading.setVisible(arrangement is Arrangement.WIDE)
        )
        # The view switch shares the top row with the language of the texts; the note gets a row of its
        # own, so it wraps into few lines on a small screen.
        top = QHBoxLayout()
        top.addWidget(self.panes.switch)
        top.addStretch(1)
        top.addWidget(QLabel(_("Texts in")))
        top.addWidget(self.language_box)

        self.reason_label = QLabel("")
        self.reason_label.setWordWrap(True)
        self.reason_label.setAccessibleName(_("Why the routine cannot be saved yet"))
        self.save_button = self._button(_("Save"), _("Save the routine (Ctrl+S)"), self.save)
        self.save_button.setProperty("role", "primary")
        self.close_button = self._button(_("Close"), _("Close the editor"), self.close_by_person)
        bottom = QHBoxLayout()
        bottom.addWidget(self.reason_label, 1)
        bottom.addWidget(self.close_button)
        bottom.addWidget(self.save_button)

        central = QWidget()
        layout = QVBoxLayout(central)
        margin = 2 * theme.SPACE
        layout.setContentsMargins(margin, margin, margin, margin)
        layout.addWidget(self.note_label)
        layout.addLayout(top)
        layout.addWidget(self.panes, 1)
        layout.addWidget(self.preview)
        layout.addLayout(bottom)
        self.setCentralWidget(central)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)

    def _room(self) -> QSize:
        """The screen's free area (a 1024x600 laptop less its panel), or the first size with no screen."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        return QSize(*DEFAULT_SIZE) if screen is None else screen.availableGeometry().size()

    def _fit_screen(self) -> None:
        """The first size, cut to the screen's free area."""
        self.resize(QSize(*DEFAULT_SIZE).boundedTo(self._room()))

    def show_fitted(self) -> None:
        """Show the window on its screen: maximised where the first size does not fit, so the title bar
        and the panel leave the Save button on the screen."""
        room = self._room()
        if room.width() < DEFAULT_SIZE[0] or room.height() < DEFAULT_SIZE[1]:
            self.showMaximized()
        else:
            self.show()

    def _button(self, text: str, name: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(name)
        button.setToolTip(name)
        button.setMinimumHeight(theme.MIN_TARGET)
        fit_words(button)  # a narrow steps column wraps its buttons; it never cuts their words
        button.clicked.connect(lambda _checked=False: slot())
        return button

    def _connect(self) -> None:
        self.form.changed.connect(self._form_edited)
        self.form.id_edited.connect(self._id_edited)
        self.form.ambience_preview_requested.connect(self.controller.preview_ambience)
        self.step_form.changed.connect(self._step_edited)
        self.step_form.hear_requested.connect(self.controller.hear)
        self.steps.current_path_changed.connect(self._selection_changed)
        self.steps.structure_changed.connect(self._structure_changed)
        self.controller.checked.connect(self._show_check)
        self.preview.start_requested.connect(self.start_preview)
        self.preview.fast_requested.connect(self.preview_controller.play_fast)
        self.preview.hold_requested.connect(self.preview_controller.hold)
        self.preview.next_requested.connect(self.preview_controller.next_step)
        self.preview.previous_requested.connect(self.preview_controller.previous_step)
        self.preview.close_requested.connect(self.end_preview)
        self.preview_controller.snapshot_changed.connect(self.preview.show_snapshot)
        self.preview_controller.finished.connect(
            lambda: self.preview.show_idle(_("The preview reached the end."))
        )

    # -- edits ------------------------------------------------------------------------------------
    def _form_edited(self) -> None:
        if not self._id_touched:
            # Until the person types an id, a new routine's id follows its title.
            self.form.set_id(slug(self.form.title_edit.text()))
        self._push()

    def _id_edited(self) -> None:
        self._id_touched = True

    def _step_edited(self) -> None:
        item = self.step_form.item()
        if item is not None:
            self.steps.set_current_value(item)
        self._push()

    def _structure_changed(self) -> None:
        self.step_form.load(self.steps.current_item_value())
        self._push()

    def _selection_changed(self, _path: str) -> None:
        self.step_form.load(self.steps.current_item_value())
        self._show_check(self.controller.last_check)

    def _push(self) -> None:
        document = self.form.read(self.controller.document)
        self.controller.update(replace(document, steps=self.steps.items()))
        self._show_title()

    def _language_changed(self) -> None:
        """Show the texts in the chosen language; English shows through as the placeholder."""
        language = str(self.language_box.currentData())
        self.form.set_language(language)
        self.step_form.set_language(language)
        self.form.load(self.controller.document)
        self.step_form.load(self.steps.current_item_value())

    def _add_step(self) -> None:
        self.steps.add(StepItem(duration=NEW_STEP_DURATION))

    def _add_repeat(self) -> None:
        self.steps.add(RepeatBlock(2, (StepItem(duration=NEW_STEP_DURATION),)))

    def _add_sides(self) -> None:
        self.steps.add(SidesBlock(("left", "right"), (StepItem(duration=NEW_STEP_DURATION),)))

    # -- check, save, close -----------------------------------------------------------------------
    def _show_check(self, check: EditorCheck) -> None:
        routine_messages: dict[str, list[str]] = {}
        step_messages: dict[str, list[str]] = {}
        current = self.steps.current_path()
        step_paths: list[str] = []
        for problem in check.problems:
            where = problem.where
            if where.startswith("steps["):
                path, field = _split_step_place(where)
                step_paths.append(path)
                if current and path == current:
                    step_messages.setdefault(field or "title", []).append(problem.message)
                continue
            key = where.split(".", 1)[0].split("[", 1)[0] or "steps"
            routine_messages.setdefault(key if key in ROUTINE_FIELDS else "steps", []).append(problem.message)
        if step_paths and "steps" not in routine_messages:
            count = len(set(step_paths))
            routine_messages["steps"] = [
                _("A step has a problem (marked in the list).")
                if count == 1
                else ngettext(
                    "{count} step has a problem (marked in the list).",
                    "{count} steps have problems (marked in the list).",
                    count,
                ).format(count=count)
            ]
        for warning in check.warnings:
            if current and warning.where == current:
                # The words are what to shorten: the warning sits by the spoken text.
                step_messages.setdefault("say", []).append(warning.message)
        self.form.show_problems(routine_messages)
        self.step_form.show_problems(step_messages)
        self.steps.mark_problems(step_paths)
        self.panes.mark_problems(
            routine=any(key != "steps" for key in routine_messages), steps="steps" in routine_messages
        )
        self.save_button.setEnabled(check.ok)
        self.reason_label.setText(check.reason() if not check.ok else self._saved_text())
        self.preview.set_can_start(check.ok, check.reason())

    def _saved_text(self) -> str:
        if self.controller.dirty:
            return _("Ready to save.")
        target = self.controller.target
        return _("Saved in {file}.").format(file=target) if target else ""

    def save(self) -> bool:
        try:
            routine = self.controller.save()
        except OSError as error:  # a full or read-only disk: say so, and keep the work in the editor
            self.reason_label.setText(
                _("Not saved ({reason}). Your changes are still here.").format(reason=os_reason(error))
            )
            return False
        if routine is None:
            self._show_check(self.controller.last_check)
            return False
        self._id_touched = True
        self._show_title()
        self.reason_label.setText(self._saved_text())
        self.saved.emit(routine)
        return True

    def _show_title(self) -> None:
        title = self.form.title_edit.text().strip() or _("New routine")
        changed = "*" if self.controller.dirty else ""
        edit = _("Edit routine: {title}").format(title=title)
        self.setWindowTitle(f"{changed}{edit} – {APP_TITLE}")

    def close_by_person(self) -> bool:
        """Close as the Close button does: unsaved changes are asked about."""
        self._person_closing = True
        try:
            return self.close()
        finally:
            self._person_closing = False

    def closeEvent(self, event: QCloseEvent) -> None:
        self.controller.check_now()  # with unsaved changes this also brings the draft up to date
        # The window's own close button or ours asks; the app quitting (a signal, logging out) does not:
        # the draft is kept and offered back on the next start.
        by_person = event.spontaneous() or self._person_closing
        if self.controller.dirty and by_person:
            answer = self._ask_unsaved(self.form.title_edit.text().strip() or _("this routine"))
            if answer == CANCEL or (answer == SAVE and not self.save()):
                event.ignore()
                return
            if answer == DISCARD:
                self.controller.discard()
        self.end_preview()
        self.controller.preview_ambience("")
        super().closeEvent(event)
        self.closed.emit()

    def unsaved_box(self, title: str) -> tuple[QMessageBox, QPushButton, QPushButton]:
        """The question closing with unsaved changes asks, with its Save and Don't save buttons."""
        box = QMessageBox(self)
        box.setWindowTitle(_("Unsaved changes"))
        box.setText(_("Save your changes to {title}?").format(title=title))
        box.setInformativeText(_("If you don't, they are lost."))
        save = box.addButton(_("Save"), QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton(_("Don't save"), QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(_("Keep editing"), QMessageBox.ButtonRole.RejectRole)
        for button in (save, discard, keep):
            fit_words(button)  # the style sheet's padding would otherwise cut the words of the answers
        return box, save, discard

    def _unsaved_dialog(self, title: str) -> str:
        box, save, discard = self.unsaved_box(title)
        box.exec()
        clicked = box.clickedButton()
        return SAVE if clicked is save else DISCARD if clicked is discard else CANCEL

    # -- preview ----------------------------------------------------------------------------------
    def start_preview(self) -> None:
        check = self.controller.check_now()
        if check.routine is None:
            return
        self.preview_controller.start(check.routine)

    def end_preview(self) -> None:
        self.preview_controller.stop()
        self.preview.show_idle()


def _split_step_place(where: str) -> tuple[str, str]:
    """``steps[2].steps[0].breathing.inhale`` as (``steps[2].steps[0]``, ``breathing``)."""
    parts = where.split(".")
    path: list[str] = []
    for part in parts:
        if part.startswith("steps["):
            path.append(part)
            continue
        return ".".join(path), part.split("[", 1)[0]
    return ".".join(path), ""
