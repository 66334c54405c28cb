"""Opens editors (New, Edit, Duplicate, a draft), imports dropped or chosen files and exports routines.

The app builds one ``RoutineEditing`` and hooks it to the main window with ``attach``: a small "Your
routines" tool bar (on the library and a routine's page), drag-and-drop of ``.yaml`` files, and the
drafts left by a crash offered back after the start.

The app builds this before its first window: the editor, the loader and PyYAML are imported only when an
editor opens or a file is imported, so they stay off the start-up path.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QMainWindow,
    QMessageBox,
    QProxyStyle,
    QPushButton,
    QStyle,
    QStyleOption,
    QToolBar,
    QWidget,
)

from massage_guide.core.i18n import N_, _, active_language
from massage_guide.core.library import ROUTINE_SUFFIXES, Library, load_library
from massage_guide.core.model import Routine
from massage_guide.core.os_errors import os_reason
from massage_guide.core.pacing import DEFAULT_WORDS_PER_MINUTE
from massage_guide.core.ports import AudioPort
from massage_guide.paths import Paths
from massage_guide.ui import theme

if TYPE_CHECKING:
    from massage_guide.core.document import RoutineDocument
    from massage_guide.core.drafts import Draft
    from massage_guide.core.routine_import import ImportResult
    from massage_guide.ui.editor.controller import EditorController
    from massage_guide.ui.editor.window import EditorWindow

log = logging.getLogger(__name__)

# Pages where the routine actions make sense; a session or its completion stays uncluttered.
TOOLBAR_PAGES = frozenset({"library", "detail", "welcome"})
ROUTINE_PAGES = frozenset({"detail"})
# The tool bar's words ("Edit" says "Edit a copy" on a built-in routine's page, set as a page shows).
TOOL_TEXTS: Final = {
    "new": N_("New routine"),
    "import": N_("Import…"),
    "duplicate": N_("Duplicate"),
    "export": N_("Export…"),
}
TOOL_TIPS: Final = {
    "new": N_("Make a routine of your own"),
    "import": N_("Add a routine file someone shared with you (or drop a .yaml file on the window)"),
    "edit": N_("Edit this routine (a built-in one opens as your own copy)"),
    "duplicate": N_("Make a copy of this routine to change"),
    "export": N_("Save this routine as a file to share"),
}


class Prompts:
    """The questions and file choosers the editing flow asks; tests hand in answers instead."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self.parent = parent

    def choose_import(self) -> list[Path]:
        files, _filter = QFileDialog.getOpenFileNames(
            self.parent, _("Import a routine"), str(Path.home()), _("Routine files") + " (*.yaml *.yml)"
        )
        return [Path(f) for f in files]

    def choose_export(self, suggested: str) -> Path | None:
        name, _filter = QFileDialog.getSaveFileName(
            self.parent,
            _("Export the routine"),
            str(Path.home() / suggested),
            _("Routine files") + " (*.yaml)",
        )
        return Path(name) if name else None

    def confirm_box(self, title: str, text: str, yes: str, no: str) -> tuple[QMessageBox, QPushButton]:
        """The question ``confirm`` asks, and its yes button (built apart so its layout can be checked)."""
        from massage_guide.ui.editor.fields import fit_words

        box = QMessageBox(self.parent)
        box.setWindowTitle(title)
        box.setText(text)
        accept = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
        fit_words(accept)  # the style sheet's padding would otherwise cut the words of the answers
        fit_words(box.addButton(no, QMessageBox.ButtonRole.RejectRole))
        return box, accept

    def confirm(self, title: str, text: str, yes: str, no: str) -> bool:
        box, accept = self.confirm_box(title, text, yes, no)
        box.exec()
        return box.clickedButton() is accept

    def tell_box(self, title: str, text: str) -> QDialog:
        """The message ``tell`` shows: an import report can run long, so its words scroll."""
        from massage_guide.ui.editor.message import MessageDialog

        return MessageDialog(title, text, self.parent)

    def tell(self, title: str, text: str) -> None:
        self.tell_box(title, text).exec()


class RoutineEditing(QObject):
    """Everything about making and sharing routines, for the app. Signals: ``library_changed(Library)``."""

    library_changed = Signal(object)

    def __init__(
        self,
        *,
        paths: Paths,
        library: Callable[[], Library],
        audio: Callable[[], AudioPort | None] = lambda: None,
        words_per_minute: Callable[[], float] = lambda: DEFAULT_WORDS_PER_MINUTE,
        clock: Callable[[], float] = time.monotonic,
        prompts: Prompts | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.paths = paths
        self._library = library
        self._audio = audio
        self._words_per_minute = words_per_minute
        self._clock = clock
        self.prompts = prompts or Prompts()
        self.editors: list[EditorWindow] = []
        self.current_routine: Callable[[], str | None] = lambda: None

    @property
    def library(self) -> Library:
        return self._library()

    # -- opening editors ----------------------------------------------------------------------------
    def _open(self, controller: EditorController) -> EditorWindow:
        from massage_guide.ui.editor.window import EditorWindow

        window = EditorWindow(controller, clock=self._clock)
        window.saved.connect(lambda _routine: self.reload())
        window.closed.connect(lambda: self._forget(window))
        self.editors.append(window)
        window.show_fitted()
        window.raise_()
        return window

    def _forget(self, window: EditorWindow) -> None:
        if window in self.editors:
            self.editors.remove(window)
        window.deleteLater()

    def _controller(
        self, document: Any, target: Path | None, note: str = "", **extra: Any
    ) -> EditorController:
        from massage_guide.ui.editor.controller import EditorController

        return EditorController(
            document=document,
            target=target,
            routines_dir=self.paths.user_routines_dir,
            library=self.library,
            audio=self._audio,
            words_per_minute=self._words_per_minute,
            note=note,
            **extra,
        )

    def new_routine(self) -> EditorWindow:
        from massage_guide.ui.editor.controller import new_document

        return self._open(self._controller(new_document(), None))

    def edit(self, routine_id: str) -> EditorWindow | None:
        """Edit one's own routine; a built-in one opens as a copy with a new id, and the editor says so."""
        from massage_guide.ui.editor.controller import copy_of

        routine = self.library.get(routine_id)
        if routine is None:
            self.prompts.tell(
                _("No such routine"), _("There is no routine called '{id}'.").format(id=routine_id)
            )
            return None
        for window in self.editors:
            if window.controller.target is not None and str(window.controller.target) == routine.path:
                window.raise_()
                return window
        document = self._document(routine)
        if document is None:
            return None
        if routine.source == "builtin":
            note = _(
                "Built-in routines stay as they are, so this is your own copy of '{title}', "
                "with the id '{id}'. Save to add it to your routines."
            ).format(title=routine.title.get(active_language()), id=copy_of(document, self.library).id)
            return self._open(self._controller(copy_of(document, self.library), None, note, dirty=True))
        return self._open(self._controller(document, Path(routine.path or "")))

    def duplicate(self, routine_id: str) -> EditorWindow | None:
        from massage_guide.ui.editor.controller import copy_of

        routine = self.library.get(routine_id)
        document = self._document(routine) if routine is not None else None
        if routine is None or document is None:
            return None
        note = _("A copy of '{title}'. Save to add it to your routines.").format(
            title=routine.title.get(active_language())
        )
        return self._open(self._controller(copy_of(document, self.library), None, note, dirty=True))

    def _document(self, routine: Routine) -> RoutineDocument | None:
        from massage_guide.core.document import DocumentError, read_document
        from massage_guide.core.routine_import import read_limited

        try:
            return read_document(read_limited(Path(routine.path or "")).decode("utf-8"))
        except (OSError, UnicodeDecodeError, DocumentError) as exc:
            reason = (
                _("the file is not UTF-8 text (is it a binary file, or saved in another encoding?)")
                if isinstance(exc, UnicodeDecodeError)
                else os_reason(exc)
            )
            self.prompts.tell(
                _("Cannot open the routine"),
                _("{file} could not be read ({reason}).").format(file=routine.path, reason=reason),
            )
            return None

    def open_draft(self, draft: Draft) -> EditorWindow | None:
        from massage_guide.core.document import DocumentError, read_document
        from massage_guide.core.drafts import discard_draft

        try:
            document = read_document(draft.text)
        except DocumentError:
            discard_draft(draft.draft_file)
            return None
        note = _("Your unsaved changes from last time. Save to keep them.")
        return self._open(
            self._controller(document, draft.target, note, draft_file=draft.draft_file, dirty=True)
        )

    def offer_drafts(self) -> None:
        """Offer back the unsaved work a crash (or a forced quit) left behind."""
        from massage_guide.core.drafts import discard_draft, find_drafts

        for draft in find_drafts(self.paths.user_routines_dir):
            name = draft.title.strip() or _("a new routine")
            if self.prompts.confirm(
                _("Unsaved changes"),
                _("Your changes to {title} were not saved last time. Open them in the editor?").format(
                    title=name
                ),
                _("Open them"),
                _("Throw them away"),
            ):
                self.open_draft(draft)
            else:
                discard_draft(draft.draft_file)

    # -- import and export ----------------------------------------------------------------------------
    def import_files(self, files: Sequence[Path] | None = None) -> list[ImportResult]:
        """Check each file and copy the valid ones into the routines folder; say what happened."""
        from massage_guide.core.routine_import import import_routine

        chosen = list(files) if files is not None else self.prompts.choose_import()
        results: list[ImportResult] = []
        lines: list[str] = []
        for file in chosen:
            result = import_routine(file, self.paths)
            if result.conflict is not None and result.routine is not None:
                if self.prompts.confirm(
                    _("Replace your routine?"),
                    _(
                        "You already have a routine with the id '{id}'. Replace it with the one in {file}?"
                    ).format(id=result.routine.id, file=file.name),
                    _("Replace it"),
                    _("Keep mine"),
                ):
                    result = import_routine(file, self.paths, replace_existing=True)
                else:
                    lines.append(_("{file}: not imported; your own routine stays.").format(file=file.name))
            results.append(result)
            if result.problems:
                lines.append(_("{file} was not imported. Fix these and try again:").format(file=file.name))
                lines.extend(f"  {problem}" for problem in result.problems)
            elif result.ok and result.routine is not None:
                title = result.routine.title.get(active_language())
                lines.append(_("Imported '{title}'.").format(title=title))
                lines.extend(result.notes)
        if any(result.ok for result in results):
            self.reload()
        if lines:
            self.prompts.tell(_("Import"), "\n".join(lines))
        return results

    def export(self, routine_id: str, destination: Path | None = None) -> Path | None:
        from massage_guide.core.routine_import import ExportError, export_routine

        routine = self.library.get(routine_id)
        if routine is None:
            return None
        destination = destination or self.prompts.choose_export(f"{routine.id}.yaml")
        if destination is None:
            return None
        try:
            written = export_routine(routine, destination)
        except ExportError as exc:
            self.prompts.tell(_("Export"), str(exc))
            return None
        self.prompts.tell(
            _("Export"),
            _("Saved '{title}' as {file}. Anyone with Massage Guide can import it.").format(
                title=routine.title.get(active_language()), file=written
            ),
        )
        return written

    def reload(self) -> Library:
        library = load_library(self.paths)
        self.library_changed.emit(library)
        return library

    def handle_message(self, message: dict[str, Any]) -> None:
        """A second launch with ``--edit ROUTINE_ID`` asked this one to open the editor."""
        routine_id = message.get("edit")
        if isinstance(routine_id, str) and routine_id:
            self.edit(routine_id)


def is_routine_file(path: str) -> bool:
    return Path(path).suffix.lower() in ROUTINE_SUFFIXES


class _WholeWords(QObject):
    """Keeps a tool bar button at least as wide as its words. QToolBar squeezes buttons down to their minimum
    before it moves any into its overflow menu, which cut the labels in half at the largest text (or in a
    longer language); at full width the ones that do not fit go to the overflow menu (>>) instead."""

    _REFIT = (QEvent.Type.FontChange, QEvent.Type.StyleChange, QEvent.Type.Polish, QEvent.Type.Show)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(watched, QWidget) and event.type() in self._REFIT:
            fit(watched)
        return False


def fit(button: QWidget) -> None:
    """At least as wide as the button's words ask for, and at least a comfortable target."""
    button.setMinimumWidth(max(theme.MIN_TARGET, button.sizeHint().width()))


class _RoomForMore(QProxyStyle):
    """Gives the tool bar's overflow button (>>) the room it is drawn in. The tool bar keeps the style's
    small extension extent free at its right, but the app's style sheet makes that button a comfortable
    target, wider than the room kept: it reached past the window's right edge."""

    def pixelMetric(
        self, metric: QStyle.PixelMetric, option: QStyleOption | None = None, widget: QWidget | None = None
    ) -> int:
        value = super().pixelMetric(metric, option, widget)
        if metric == QStyle.PixelMetric.PM_ToolBarExtensionExtent:
            return max(value, theme.MIN_TARGET)
        return value


class _DropFilter(QObject):
    """Lets ``.yaml`` files be dropped anywhere on the main window, and imports them."""

    def __init__(self, window: QWidget, editing: RoutineEditing) -> None:
        super().__init__(window)
        self._editing = editing
        window.setAcceptDrops(True)
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(event, QDragEnterEvent | QDropEvent) and event.type() in (
            QEvent.Type.DragEnter,
            QEvent.Type.DragMove,
            QEvent.Type.Drop,
        ):
            urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
            files = [
                Path(url.toLocalFile())
                for url in urls
                if url.isLocalFile() and is_routine_file(url.toLocalFile())
            ]
            if not files:
                return False
            event.acceptProposedAction()
            if event.type() == QEvent.Type.Drop:
                self._editing.import_files(files)
            return True
        return False


def attach(
    window: QMainWindow, editing: RoutineEditing, page_changed: Any, language_changed: Any = None
) -> QToolBar:
    """Hook editing into the main window: a tool bar, drag-and-drop of routine files. The tool bar's words
    follow ``language_changed`` (a new language chosen in Settings)."""
    editing.prompts.parent = window
    toolbar = QToolBar(_("Your routines"), window)
    toolbar.setObjectName("routine-tools")
    toolbar.setMovable(False)
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    toolbar.setStyle(_RoomForMore())
    actions = {
        "new": toolbar.addAction(_(TOOL_TEXTS["new"]), editing.new_routine),
        # A lambda on purpose: Qt would hand ``triggered``'s checked flag to ``files``.
        "import": toolbar.addAction(_(TOOL_TEXTS["import"]), lambda: editing.import_files()),  # noqa: PLW0108
    }
    toolbar.addSeparator()

    def on_current(method: Callable[[str], object]) -> Callable[[], None]:
        def run() -> None:
            routine_id = editing.current_routine()
            if routine_id:
                method(routine_id)

        return run

    actions["edit"] = toolbar.addAction(_("Edit"), on_current(editing.edit))
    actions["duplicate"] = toolbar.addAction(_(TOOL_TEXTS["duplicate"]), on_current(editing.duplicate))
    actions["export"] = toolbar.addAction(_(TOOL_TEXTS["export"]), on_current(editing.export))
    whole_words = _WholeWords(toolbar)
    for key, action in actions.items():
        action.setToolTip(_(TOOL_TIPS[key]))
        button = toolbar.widgetForAction(action)
        if button is not None:
            button.setMinimumHeight(theme.MIN_TARGET)
            button.setAccessibleName(_(TOOL_TIPS[key]))
            button.installEventFilter(whole_words)
            action.changed.connect(lambda button=button: fit(button))
            fit(button)
    window.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)

    shown_page = ["library"]

    def page_shown(name: str) -> None:
        shown_page[0] = name
        toolbar.setVisible(name in TOOLBAR_PAGES)
        for key in ("edit", "duplicate", "export"):
            actions[key].setVisible(name in ROUTINE_PAGES)
        shown = editing.library.get(editing.current_routine() or "")
        # Say before the click that a built-in routine is edited as one's own copy.
        builtin = shown is not None and shown.source == "builtin"
        actions["edit"].setText(_("Edit a copy") if builtin else _("Edit"))

    page_changed.connect(page_shown)
    page_shown("library")

    def retranslate() -> None:
        toolbar.setWindowTitle(_("Your routines"))
        for key, text in TOOL_TEXTS.items():
            actions[key].setText(_(text))
        for key, action in actions.items():
            action.setToolTip(_(TOOL_TIPS[key]))
            button = toolbar.widgetForAction(action)
            if button is not None:
                button.setAccessibleName(_(TOOL_TIPS[key]))
        page_shown(shown_page[0])

    if language_changed is not None:
        language_changed.connect(lambda _language: retranslate())
    _DropFilter(window, editing)
    return toolbar


def install(app: Any) -> RoutineEditing:
    """Give the built app (``massage_guide.app.App``) routine editing, import and export."""
    window = app.window
    editing = RoutineEditing(
        paths=app.paths,
        library=lambda: app.controller.library,
        # While a session plays, its sound is left alone: "Hear it" and "Listen" wait for it to end.
        audio=lambda: None if app.controller.session_running() else app.audio,
        # The timing warnings are for the voice the person hears: at their voice_rate setting.
        words_per_minute=lambda: app.settings_store.settings.voice_rate,
        clock=app.clock,
    )

    def library_changed(library: Library) -> None:
        app.library = library
        app.controller.library = library
        if window.has_page("library"):
            app.controller.library_page.set_library(library)
        shown = current_routine()
        if shown is not None and shown in library.routines:
            app.controller.open_routine(shown)  # the routine's page shows what was just saved

    def current_routine() -> str | None:
        if window.current_page_name() != "detail":
            return None
        routine = window.page("detail").routine()
        return None if routine is None else str(routine.id)

    editing.library_changed.connect(library_changed)
    editing.current_routine = current_routine
    attach(window, editing, window.page_changed, app.controller.language_changed)
    return editing
