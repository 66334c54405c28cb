"""The editor's controller: holds the routine being edited, checks it with validate's rules, saves, keeps a draft."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from massage_guide.core.document import RoutineDocument, StepItem, read_document, text, with_language
from massage_guide.core.drafts import discard_draft, draft_file_for, save_draft
from massage_guide.core.files import write_private
from massage_guide.core.i18n import _, ngettext
from massage_guide.core.library import Library
from massage_guide.core.model import ID_MAX_CHARS, Routine
from massage_guide.core.pacing import DEFAULT_WORDS_PER_MINUTE
from massage_guide.core.ports import AudioPort
from massage_guide.core.problems import Problem
from massage_guide.core.routine_import import free_routine_file
from massage_guide.core.routine_writer import check_document

log = logging.getLogger(__name__)

# Checking writes the routine and reads it back (a few ms to tens of ms): wait for a pause in typing.
CHECK_DELAY_MS = 300
AMBIENCE_PREVIEW_FADE_SECONDS = 1.0
NEW_STEP_DURATION = "1m"
_SLUG_JUNK = re.compile(r"[^a-z0-9]+")
_STEP_PATH = re.compile(r"steps\[(\d+)\]")


def slug(title: str) -> str:
    """An id made from a title: ``Evening feet!`` becomes ``evening-feet``."""
    return _SLUG_JUNK.sub("-", title.casefold()).strip("-")[:ID_MAX_CHARS].strip("-")


def place(where: str) -> str:
    """A problem's place for a person: ``steps[2].steps[0].duration`` reads "Step 3 › step 1, duration".

    The field is the file's own key (``duration``, ``say``), as validate's messages name it."""
    if not where:
        return ""
    numbers = [int(n) + 1 for n in _STEP_PATH.findall(where)]
    field = _STEP_PATH.sub("", where).strip(".").replace(".", " ")
    field = re.sub(r"\[\d+\]", "", field)
    steps = " › ".join(_("step {number}").format(number=n) for n in numbers)
    steps = steps[:1].upper() + steps[1:]
    return ", ".join(part for part in (steps, field) if part)


@dataclass(frozen=True)
class EditorCheck:
    """The outcome of one check: the routine when valid, else the problems (the validate messages)."""

    routine: Routine | None
    problems: tuple[Problem, ...]
    written: str = ""
    # What validate warns about but still runs (spoken words that outlast their step); never blocks Save.
    warnings: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        return self.routine is not None and not self.problems

    def reason(self) -> str:
        """Why it cannot be saved yet, in one line; empty when it can."""
        if self.ok:
            return ""
        if not self.problems:
            return _("Not ready to save yet.")
        first = self.problems[0]
        where = place(first.where)
        problem = f"{where}: {first.message}" if where else first.message
        more = len(self.problems) - 1
        if not more:
            return _("Not ready to save: {problem}").format(problem=problem)
        return ngettext(
            "Not ready to save: {problem} (and {count} more)",
            "Not ready to save: {problem} (and {count} more)",
            more,
        ).format(problem=problem, count=more)


class EditorController(QObject):
    """One routine being edited: the document, where it will be saved, its draft and its check.

    Signals: ``checked(EditorCheck)`` after each check; ``saved(Routine)`` after a save."""

    checked = Signal(object)
    saved = Signal(object)

    def __init__(
        self,
        *,
        document: RoutineDocument,
        target: Path | None,
        routines_dir: Path,
        library: Library,
        audio: Callable[[], AudioPort | None] = lambda: None,
        words_per_minute: Callable[[], float] = lambda: DEFAULT_WORDS_PER_MINUTE,
        note: str = "",
        draft_file: Path | None = None,
        dirty: bool = False,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._document = document
        self.target = target
        self.routines_dir = routines_dir
        self.library = library
        # Asked each time: the app's sound is only lent while no session is using it.
        self._audio = audio
        # Asked at each check: the timing warnings follow the voice speed the person set (voice_rate).
        self._words_per_minute = words_per_minute
        self._listening = False
        self.note = note
        self.draft_file = draft_file or draft_file_for(target, routines_dir)
        self.dirty = dirty
        self.last_check = EditorCheck(None, ())
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(CHECK_DELAY_MS)
        self._timer.timeout.connect(self.check_now)

    @property
    def document(self) -> RoutineDocument:
        return self._document

    @property
    def is_new(self) -> bool:
        return self.target is None

    def update(self, document: RoutineDocument) -> None:
        """Take the edited document; it is checked (and the draft kept) after a pause in typing."""
        if document == self._document:
            return
        self._document = document
        self.dirty = True
        self._timer.start()

    def check_now(self) -> EditorCheck:
        """Check the document now, emit ``checked`` and, with unsaved changes, keep the draft."""
        self._timer.stop()
        path = self.target or self.routines_dir / f"{self._document.id or 'new-routine'}.yaml"
        sounds = self.library.sound_ids
        routine, problems, written = check_document(
            self._document, path, sound_ids=lambda kind: sounds.get(kind, ())
        )
        problems = problems + self._id_problems(path)
        warnings: list[Problem] = []
        if routine is not None and not problems:
            from massage_guide.core.step_timing import timing_warnings

            warnings = timing_warnings(routine, path, self._words_per_minute())
        self.last_check = EditorCheck(
            routine if not problems else None, tuple(problems), written, tuple(warnings)
        )
        if self.dirty:
            self._keep_draft(written)
        self.checked.emit(self.last_check)
        return self.last_check

    def _id_problems(self, path: Path) -> list[Problem]:
        other = self.library.get(self._document.id) if self._document.id else None
        if other is None or (self.target is not None and other.path == str(self.target)):
            return []
        if other.source == "builtin":
            message = _("a built-in routine has the id '{id}'; choose another id so both stay").format(
                id=other.id
            )
        else:
            message = _("you already have a routine with the id '{id}'; choose another id").format(
                id=other.id
            )
        return [Problem(path, 1, 1, message, "id")]

    def _keep_draft(self, written: str) -> None:
        try:
            save_draft(self.draft_file, self.target, written, self._document.title.get("en"))
        except OSError as exc:  # the editor still works; only the crash safety net is missing
            log.warning("draft not saved to %s: %s", self.draft_file, exc)

    def save(self) -> Routine | None:
        """Write the routine to its file (a new one goes in the routines folder); None while invalid."""
        check = self.check_now()
        if not check.ok or check.routine is None:
            return None
        destination = self.target or free_routine_file(self.routines_dir, self._document.id)
        write_private(destination, check.written.encode("utf-8"))
        discard_draft(self.draft_file)
        if self.target is None:
            self.target = destination
            self.draft_file = draft_file_for(destination, self.routines_dir)
        # Read back what was written: the next save starts from this file, comments and all.
        self._document = read_document(check.written)
        self.dirty = False
        routine = replace(check.routine, path=str(destination))
        self.saved.emit(routine)
        return routine

    def discard(self) -> None:
        """Forget unsaved changes: the draft goes too."""
        self._timer.stop()
        discard_draft(self.draft_file)
        self.dirty = False

    # -- sound ------------------------------------------------------------------------------------
    def hear(self, words: str) -> None:
        audio = self._audio()
        if audio is not None:
            audio.speak(words)

    def preview_ambience(self, sound_id: str) -> None:
        """Play an ambience to listen to ("" stops it)."""
        audio = self._audio()
        if sound_id and audio is not None:
            audio.start_ambience(sound_id)
            self._listening = True
        elif not sound_id and self._listening:
            # Only a sound this editor started is stopped (never a session's).
            self._listening = False
            if audio is not None:
                audio.stop(AMBIENCE_PREVIEW_FADE_SECONDS)


# -- what to edit ------------------------------------------------------------------------------------


def new_document() -> RoutineDocument:
    """A new routine: one empty step to start from."""
    step = StepItem(title=text(""), instruction=text(""), duration=NEW_STEP_DURATION)
    return RoutineDocument(steps=(step,))


def copy_of(document: RoutineDocument, library: Library) -> RoutineDocument:
    """A copy with a free id and a title that says it is a copy."""
    base = f"{document.id}-copy" if document.id else "my-routine"
    routine_id = base
    number = 2
    while library.get(routine_id) is not None:
        routine_id = f"{base}-{number}"
        number += 1
    title = with_language(document.title, "en", f"{document.title.get('en')} (my copy)")
    return replace(document, id=routine_id, title=title)
