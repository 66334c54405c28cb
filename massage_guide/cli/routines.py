"""The ``import`` and ``export`` commands: bring a shared routine file in, or write any routine out to share."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from massage_guide.core.i18n import _, active_language


def register(subparsers: Any) -> None:
    """Add ``import FILE [--replace]`` and ``export ROUTINE_ID FILE`` to the command line."""
    imported = subparsers.add_parser(
        "import",
        help=_("check a routine file and copy it into your routines"),
        description=_(
            "Check a routine file with the same rules as validate, then copy it into your routines folder."
        ),
    )
    imported.add_argument("file", metavar="FILE", type=Path, help=_("a routine file (.yaml)"))
    imported.add_argument(
        "--replace", action="store_true", help=_("replace your own routine that has the same id")
    )
    imported.set_defaults(handler=run_import)

    exported = subparsers.add_parser(
        "export",
        help=_("write a routine (built-in ones too) to a file to share"),
        description=_("Write a routine, built-in ones included, as one .yaml file that others can import."),
    )
    exported.add_argument(
        "routine_id", metavar="ROUTINE_ID", help=_("the routine's id (see `massage-guide list`)")
    )
    exported.add_argument("file", metavar="FILE", type=Path, help=_("the file (or folder) to write"))
    exported.set_defaults(handler=run_export)


def run_import(args: argparse.Namespace) -> int:
    from massage_guide import paths
    from massage_guide.core.routine_import import import_routine

    file: Path = args.file
    if not file.exists():
        print(f"{file}:1:1: " + _("no such file; give the path of a routine file (.yaml)"))
        return 1
    result = import_routine(file, paths.resolve(), replace_existing=args.replace)
    if result.problems:
        for problem in result.problems:
            print(problem)
        print(
            _("{file} was not imported: fix the problems above and try again.").format(file=file),
            file=sys.stderr,
        )
        return 1
    if result.conflict is not None and result.routine is not None:
        print(
            _(
                "You already have a routine with the id '{routine}' ({file}). Nothing was changed. Run again "
                "with --replace to replace it, or give the routine another id."
            ).format(routine=result.routine.id, file=result.conflict),
            file=sys.stderr,
        )
        return 1
    routine = result.routine
    assert routine is not None and result.destination is not None
    print(
        _("Imported '{title}' ({routine}) into {folder}.").format(
            title=routine.title.get(active_language()), routine=routine.id, folder=result.destination
        )
    )
    if result.replaced_builtin:
        print(_("It takes the place of the built-in routine '{routine}'.").format(routine=routine.id))
    for note in result.notes:
        print(note, file=sys.stderr)
    return 0


def run_export(args: argparse.Namespace) -> int:
    from massage_guide import paths
    from massage_guide.core.library import load_library
    from massage_guide.core.routine_import import ExportError, export_routine

    library = load_library(paths.resolve())
    routine = library.get(args.routine_id)
    if routine is None:
        print(
            _("There is no routine '{routine}'. `massage-guide list` shows the ids.").format(
                routine=args.routine_id
            ),
            file=sys.stderr,
        )
        return 1
    try:
        written = export_routine(routine, args.file)
    except ExportError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(_("Exported '{title}' to {file}.").format(title=routine.title.get(active_language()), file=written))
    return 0
