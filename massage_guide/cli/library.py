"""The ``list``, ``validate`` and ``schema`` commands: the routine library, checked and described."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from massage_guide.core.i18n import _, ngettext

if TYPE_CHECKING:
    from massage_guide.core.model import Routine, Step
    from massage_guide.paths import Paths


def register(subparsers: Any) -> None:
    """Add ``list``, ``validate PATH...`` and ``schema`` to the command line."""
    listing = subparsers.add_parser("list", help=_("list the routine library"))
    listing.add_argument(
        "--json", action="store_true", help=_("print JSON: {routines: [...], errors: [...]}")
    )
    listing.set_defaults(handler=_list)

    validate = subparsers.add_parser("validate", help=_("check routine files; one line per problem"))
    validate.add_argument("paths", nargs="+", metavar="PATH", type=Path, help=_("routine files or folders"))
    validate.set_defaults(handler=_validate)

    schema = subparsers.add_parser("schema", help=_("print the JSON Schema of routine files"))
    schema.set_defaults(handler=_schema)


def _paths() -> Paths:
    from massage_guide import paths

    return paths.resolve()


def _language() -> str:
    from massage_guide.core.i18n import active_language

    return active_language()


def _list(args: argparse.Namespace) -> int:
    import gc

    from massage_guide.core.library import Library, load_library
    from massage_guide.core.model import area_label

    # One load and one write, then the process ends: the cycle collector would only walk a big library's
    # objects again and again (a tenth of the time with 10,000 routines).
    gc.disable()
    language = _language()
    if args.json:
        from massage_guide.core.i18n import catalogue_key
        from massage_guide.core.library_listing import cached_listing, listing_kind

        def render(routine: Routine) -> str:
            return json.dumps(routine_json(routine, language), ensure_ascii=False)

        def document() -> bytes:
            library: Library = load_library(_paths())
            # Each routine's JSON comes from the routine cache once written: not rendered again.
            rendered = library.rendered(catalogue_key(language), render)
            errors = json.dumps(
                [
                    {
                        "file": str(p.file),
                        "line": p.line,
                        "column": p.column,
                        "where": p.where,
                        "message": p.message,
                    }
                    for p in library.problems
                ],
                ensure_ascii=False,
            )
            # The same text json.dumps({"routines": [...], "errors": [...]}) writes, compact: indenting
            # forces json's pure-Python encoder (3x slower on a big library).
            return b"".join(
                (b'{"routines": [', b", ".join(rendered), b'], "errors": ', errors.encode(), b"}\n")
            )

        # While no routine file changed, the whole text is the one written last time (checked).
        text = cached_listing(_paths(), listing_kind(catalogue_key(language), render), document)
        sys.stdout.flush()
        sys.stdout.buffer.write(text)
        sys.stdout.buffer.flush()
        return 0
    library = load_library(_paths())
    if not library.routines:
        print(_("No routines found."))
    width = max((len(r.id) for r in library.summaries.values()), default=10)
    lengths = {routine_id: _length(r.duration_seconds) for routine_id, r in library.summaries.items()}
    length_width = max((len(text) for text in lengths.values()), default=7)
    for routine in library.summaries.values():
        minutes = f"{lengths[routine.id]:>{length_width}}"
        areas = ", ".join(area_label(area) for area in routine.areas)
        print(f"{routine.id:<{width}}  {minutes}  {routine.title.get(language)}  ({areas})")
    if library.problems:
        failed = len(library.failed_files)
        print(
            "\n"
            + ngettext(
                "{count} routine file could not be loaded:",
                "{count} routine files could not be loaded:",
                failed,
            ).format(count=failed),
            file=sys.stderr,
        )
        for problem in library.problems:
            print(f"  {problem}", file=sys.stderr)
    return 0


def _length(seconds: int) -> str:
    from massage_guide.core.formatting import duration

    return duration(seconds)


def step_json(step: Step, language: str) -> dict[str, Any]:
    return {
        "title": step.title.get(language),
        "instruction": step.instruction.get(language),
        "duration_seconds": step.duration_seconds,
        "side": step.side,
        "technique": step.technique,
        "pressure": step.pressure,
        "focus": step.focus,
    }


def routine_json(routine: Routine, language: str) -> dict[str, Any]:
    """A routine as ``list --json`` prints it: text in ``language``, steps expanded, each with ``spoken``."""
    from massage_guide.core.spoken import speech_language, spoken_texts

    spoken = spoken_texts(routine, speech_language(routine, language))  # what the voice says
    return {
        "id": routine.id,
        "title": routine.title.get(language),
        "summary": routine.summary.get(language),
        "areas": list(routine.areas),
        "goals": list(routine.goals),
        "level": routine.level,
        "equipment": list(routine.equipment),
        "cautions": [caution.get(language) for caution in routine.cautions],
        "ambience": routine.ambience,
        "duration_seconds": routine.duration_seconds,
        "source": routine.source,
        "path": routine.path,
        "steps": [
            {**step_json(step, language), "spoken": words}
            for step, words in zip(routine.steps, spoken, strict=True)
        ],
    }


def _validate(args: argparse.Namespace) -> int:
    from massage_guide.core import sounds
    from massage_guide.core.library import audio_dirs, routine_files
    from massage_guide.core.loader import load_routine_file
    from massage_guide.core.step_timing import timing_warnings

    dirs = audio_dirs(_paths())
    known = {kind: set(sounds.available(dirs, kind)) for kind in (sounds.AMBIENCE, sounds.CUES)}
    files: list[Path] = []
    missing = False
    for path in args.paths:
        if path.is_dir():
            found = routine_files(path)
            if not found:
                print(f"{path}:1:1: " + _("no routine files (*.yaml, *.yml) in this folder"))
                missing = True
            files.extend(found)
        elif path.exists():
            files.append(path)
        else:
            print(f"{path}:1:1: " + _("no such file or folder"))
            missing = True
    bad = 0
    for file in files:
        loaded, problems = load_routine_file(file, sound_ids=lambda kind: known.get(kind, set()))
        for problem in problems:
            print(problem)
        bad += bool(problems)
        if loaded is not None:  # warnings do not fail the check: the routine runs, the voice is cut short
            for warning in timing_warnings(loaded, file):
                print(warning)
    checked = len(files)
    summary = (
        ngettext(
            "{checked} file checked, {bad} with problems.",
            "{checked} files checked, {bad} with problems.",
            checked,
        ).format(checked=checked, bad=bad)
        if bad
        else ngettext(
            "{checked} file checked, all valid.", "{checked} files checked, all valid.", checked
        ).format(checked=checked)
    )
    print(summary, file=sys.stderr)
    return 1 if bad or missing else 0


def _schema(_args: argparse.Namespace) -> int:
    from massage_guide.core.schema import schema_json

    sys.stdout.write(schema_json())
    return 0
