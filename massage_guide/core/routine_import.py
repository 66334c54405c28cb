"""Importing a routine file into the user's folder and exporting any routine as one file to share.

Import checks the file with the loader's rules first and changes nothing when it has problems. Sounds the
file names but this computer lacks are left out of the copy (with a note), so the routine plays with the
usual sounds instead of failing to load.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, replace
from pathlib import Path

from massage_guide.core import sounds
from massage_guide.core.document import DocumentError, Item, StepItem, read_document
from massage_guide.core.files import read_regular, write_private
from massage_guide.core.i18n import _
from massage_guide.core.library import ROUTINE_SUFFIXES, audio_dirs, load_library
from massage_guide.core.loader import load_routine_bytes
from massage_guide.core.model import Routine
from massage_guide.core.os_errors import os_reason
from massage_guide.core.problems import Problem
from massage_guide.core.routine_writer import write_document
from massage_guide.core.yamlread import MAX_FILE_BYTES
from massage_guide.paths import Paths


@dataclass(frozen=True)
class ImportResult:
    """What an import did: ``problems`` (nothing copied), ``conflict`` (an own routine has the id), or
    ``destination`` with ``notes`` about what was adjusted."""

    routine: Routine | None = None
    problems: tuple[Problem, ...] = ()
    conflict: Path | None = None
    destination: Path | None = None
    notes: tuple[str, ...] = ()
    replaced_builtin: bool = False

    @property
    def ok(self) -> bool:
        return self.destination is not None


def read_limited(path: Path) -> bytes:
    """A routine file's bytes: a regular file within the loader's size limit, else FileReadError (an OSError).

    A named pipe or a device given as FILE must not hang or flood the command."""
    return read_regular(path, MAX_FILE_BYTES)


def import_routine(file: Path, paths: Paths, *, replace_existing: bool = False) -> ImportResult:
    """Check ``file`` and copy it into the user's routines folder; nothing changes unless it is valid."""
    try:
        data = read_limited(file)
    except OSError as exc:
        reason = os_reason(exc)
        return ImportResult(
            problems=(Problem(file, 1, 1, _("cannot read the file ({reason})").format(reason=reason)),)
        )
    if file.suffix.lower() not in ROUTINE_SUFFIXES:
        message = _("is not a routine file: routine files end in .yaml or .yml")
        return ImportResult(problems=(Problem(file, 1, 1, message),))
    # Sounds are checked separately below: a missing one is a note, not a reason to refuse.
    routine, problems = load_routine_bytes(data, file, source="user", sound_ids=None)
    if problems or routine is None:
        return ImportResult(problems=tuple(problems))

    library = load_library(paths)
    existing = library.get(routine.id)
    conflict = Path(existing.path) if existing and existing.source == "user" and existing.path else None
    if conflict is not None and not replace_existing:
        return ImportResult(routine=routine, conflict=conflict)

    data, notes = _drop_missing_sounds(data, routine, paths)
    folder = paths.user_routines_dir
    destination = conflict or free_routine_file(folder, routine.id)
    write_private(destination, data)
    final, _problems = load_routine_bytes(data, destination, source="user")
    if final is not None:
        from massage_guide.core.step_timing import timing_warnings

        # As validate warns: the routine runs, but the voice would be cut short on these steps.
        notes.extend(str(warning) for warning in timing_warnings(final, destination))
    replaced_builtin = existing is not None and existing.source == "builtin"
    return ImportResult(
        routine=final or routine,
        destination=destination,
        notes=tuple(notes),
        replaced_builtin=replaced_builtin,
    )


def free_routine_file(folder: Path, routine_id: str) -> Path:
    """``ID.yaml`` in ``folder``, or ``ID-2.yaml`` and so on when that name is taken."""
    candidate = folder / f"{routine_id}.yaml"
    number = 2
    while candidate.exists():
        candidate = folder / f"{routine_id}-{number}.yaml"
        number += 1
    return candidate


def _drop_missing_sounds(data: bytes, routine: Routine, paths: Paths) -> tuple[bytes, list[str]]:
    """The file without sound ids this computer lacks (comments kept), and a note for each."""
    dirs = audio_dirs(paths)
    known = {kind: set(sounds.available(dirs, kind)) for kind in (sounds.AMBIENCE, sounds.CUES)}
    missing_ambience = routine.ambience is not None and routine.ambience not in known[sounds.AMBIENCE]
    missing_cues = sorted({s.cue for s in routine.steps if s.cue and s.cue not in known[sounds.CUES]})
    if not missing_ambience and not missing_cues:
        return data, []
    notes: list[str] = []
    if missing_ambience:
        notes.append(
            _(
                "This computer has no ambience sound '{sound}', so the routine plays without its own "
                "ambience. Add the sound file to your audio/ambience folder to hear it."
            ).format(sound=routine.ambience)
        )
    for cue in missing_cues:
        notes.append(
            _(
                "This computer has no cue sound '{sound}', so the usual step sound plays instead. Add the sound "
                "file to your audio/cues folder to hear it."
            ).format(sound=cue)
        )
    try:
        document = read_document(data.decode("utf-8"))
    except (DocumentError, UnicodeDecodeError):  # the loader read it a moment ago: not expected
        return data, notes
    missing = set(missing_cues)
    steps = tuple(_without_cues(item, missing) for item in document.steps)
    document = replace(document, steps=steps, ambience=None if missing_ambience else document.ambience)
    return write_document(document).encode("utf-8"), notes


def _without_cues(item: Item, missing: set[str]) -> Item:
    if isinstance(item, StepItem):
        return replace(item, cue=None) if item.cue in missing else item
    return replace(item, steps=tuple(_without_cues(inner, missing) for inner in item.steps))


class ExportError(Exception):
    """The routine could not be exported; the message says why and what to do."""


def export_routine(routine: Routine, destination: Path) -> Path:
    """Write ``routine``'s file to ``destination`` (a file, or a folder to put ``ID.yaml`` in)."""
    with contextlib.suppress(OSError):  # a name too long to look up fails below, with the reason
        if destination.is_dir():
            destination = destination / f"{routine.id}.yaml"
    if destination.suffix.lower() not in ROUTINE_SUFFIXES:
        destination = destination.with_name(destination.name + ".yaml")
    if routine.path is None:
        raise ExportError(_("The routine '{routine}' has no file to export.").format(routine=routine.id))
    source = Path(routine.path)
    try:
        data = read_limited(source)
    except OSError as exc:
        reason = os_reason(exc)
        raise ExportError(_("Could not read {file} ({reason}).").format(file=source, reason=reason)) from None
    # The file may have changed since the library was read: only a valid routine leaves the app.
    checked, problems = load_routine_bytes(data, source)
    if problems or checked is None or checked.id != routine.id:
        first = (
            problems[0]
            if problems
            else _("{file} no longer holds the routine '{routine}'").format(file=source, routine=routine.id)
        )
        raise ExportError(_("Not exported: {problem}").format(problem=first))
    try:
        write_private(destination, data)
    except OSError as exc:
        reason = os_reason(exc)
        raise ExportError(
            _("Could not write {file} ({reason}). Choose a folder you can write to.").format(
                file=destination, reason=reason
            )
        ) from None
    return destination
