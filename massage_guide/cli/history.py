"""The ``history`` command: list your sessions, or export them to and import them from a file."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from massage_guide.cli.store import guarded, open_store, session_count
from massage_guide.core.files import one_line
from massage_guide.core.formatting import number
from massage_guide.core.history_transfer import FORMATS, csv_lines, export_sessions, json_lines
from massage_guide.core.i18n import N_, _, ngettext
from massage_guide.core.os_errors import os_reason

if TYPE_CHECKING:
    from massage_guide.core.history import HistoryStore, SessionRecord


def register(subparsers: Any) -> None:
    """Add ``history`` (with its ``export`` and ``import`` actions) to the command line."""
    history = subparsers.add_parser(
        "history",
        help=_("show, export or import your session history"),
        description=_("Show your sessions, or move them to and from a .csv or .json file."),
    )
    form = history.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true", help=_("print a JSON list of sessions"))
    form.add_argument("--csv", action="store_true", help=_("print CSV, the same columns as export"))
    history.add_argument("--since", metavar="DATE", type=_date_arg, help=_("only sessions on or after DATE"))
    actions = history.add_subparsers(dest="history_action", metavar="ACTION", required=False)
    export = actions.add_parser("export", help=_("write your history to FILE (.csv or .json)"))
    export.add_argument("file", metavar="FILE", type=Path)
    imported = actions.add_parser(
        "import",
        help=_("add the sessions in FILE (.csv or .json) to your history"),
        description=_(
            "Add the sessions in FILE. Every row is checked first: if any is wrong, nothing is "
            "imported unless --skip-invalid is given."
        ),
    )
    imported.add_argument("file", metavar="FILE", type=Path)
    imported.add_argument(
        "--skip-invalid", action="store_true", help=_("import the good rows and skip the bad ones (listed)")
    )
    history.set_defaults(handler=run_history)


def _date_arg(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("{text} is not a date; write it like 2024-05-01").format(text=repr(text))
        ) from None


def run_history(args: argparse.Namespace) -> int:
    return guarded(_history, args)


def _history(args: argparse.Namespace) -> int:
    action = getattr(args, "history_action", None)
    if action is not None and args.file.suffix.lower() not in FORMATS:
        print(
            f"{args.file}: "
            + _("the file name must end in .csv or .json, so Massage Guide knows its format."),
            file=sys.stderr,
        )
        return 1
    store = open_store()
    if store is None:
        return 1
    with store:
        if action == "export":
            return _export(store, args.file, args.since)
        if action == "import":
            return _import(store, args.file, skip_invalid=args.skip_invalid)
        records = store.iter_sessions(since=args.since)
        if args.json:
            sys.stdout.writelines(json_lines(records))
        elif args.csv:
            sys.stdout.writelines(csv_lines(records))
        else:
            _print_table(store.list_sessions(since=args.since))
    return 0


def _export(store: HistoryStore, file: Path, since: date | None) -> int:
    try:
        count = export_sessions(store.iter_sessions(since=since), file)
    except OSError as error:
        print(
            f"{file}: " + _("could not write the export ({reason}).").format(reason=os_reason(error)),
            file=sys.stderr,
        )
        return 1
    print(
        ngettext("Exported {count} session to {file}.", "Exported {count} sessions to {file}.", count).format(
            count=count, file=file
        )
    )
    return 0


def _import(store: HistoryStore, file: Path, *, skip_invalid: bool) -> int:
    """Check the whole file first; import nothing if a row is bad (unless ``skip_invalid``), else add
    the rows in short batches, reading the file again so memory stays flat however long it is."""
    from massage_guide.core.history_transfer import FileShapeError

    where = one_line(str(file))
    if store.fault is not None:
        from massage_guide.core.history_faults import open_message

        print(open_message(store.fault, store.path), file=sys.stderr)
        print(_("Imported 0 sessions. Nothing was changed."))
        return 1
    try:
        bad = _check_and_stage(store, file, where)
        if bad and not skip_invalid:
            store.discard_staged()
            print(
                ngettext(
                    "Imported 0 sessions: {count} row above has a problem. Fix it and import again, or add "
                    "--skip-invalid to import only the good rows.",
                    "Imported 0 sessions: {count} rows above have a problem. Fix them and import again, or add "
                    "--skip-invalid to import only the good rows.",
                    bad,
                ).format(count=bad)
            )
            return 1
        return _add_rows(store, where, bad)
    except FileShapeError as problem:
        store.discard_staged()
        print(f"{where}:{problem.line}: {one_line(problem.message)}", file=sys.stderr)
        print(_("Imported 0 sessions, skipped 0. Nothing was changed."))
        return 1
    except OSError as error:
        store.discard_staged()
        reason = one_line(os_reason(error))
        print(f"{where}: " + _("could not read it ({reason}).").format(reason=reason), file=sys.stderr)
        print(_("Imported 0 sessions. Nothing was changed."))
        return 1


def _check_and_stage(store: HistoryStore, file: Path, where: str) -> int:
    """Read the whole file once: print every bad row with its line, stage the good ones (no lock on
    the history yet). Returns how many rows were bad."""
    bad = 0
    for line, problem in store.stage_file(file):
        bad += 1
        print(f"{where}:{line}: {one_line(problem)}", file=sys.stderr)
    return bad


def _add_rows(store: HistoryStore, where: str, bad: int) -> int:
    import sqlite3

    from massage_guide.core.history_faults import classify, is_storage_error

    added = already = 0
    try:
        for new, old in store.import_staged():
            added, already = added + new, already + old
    except (sqlite3.Error, OSError) as error:
        if not is_storage_error(error):
            raise
        fault = classify(error, store.path)
        print(
            f"{where}: "
            + _(
                "the import stopped after {sessions} because your history is {fault}. The sessions added so "
                "far stay; run the same import again when that is fixed (sessions already on record are skipped)."
            ).format(sessions=session_count(added), fault=_(_FAULT_WORDS[fault.value])),
            file=sys.stderr,
        )
        return 1
    print(
        ngettext(
            "Imported {count} session, skipped {skipped}.",
            "Imported {count} sessions, skipped {skipped}.",
            added,
        ).format(count=added, skipped=already + bad)
    )
    if already:
        print(_("({count} already on record, so not added twice.)").format(count=already))
    if bad:
        print(
            ngettext(
                "({count} row with problems skipped, as --skip-invalid asked.)",
                "({count} rows with problems skipped, as --skip-invalid asked.)",
                bad,
            ).format(count=bad)
        )
    return 0


_FAULT_WORDS = {
    "full": N_("on a full disk (free some space)"),
    "read-only": N_("read-only (make it yours and writable)"),
    "locked": N_("locked by another program (close it)"),
    "damaged": N_("damaged (run any history command to set it aside)"),
    "unopenable": N_("not reachable (check that the disk is connected)"),
}


def _print_table(records: list[SessionRecord]) -> None:
    if not records:
        print(_("No sessions on record yet. They will show here after your first routine."))
        return
    width = min(40, max(len(r.routine_title or r.routine_id) for r in records))
    when, routine, status, spent, steps = _("When"), _("Routine"), _("Status"), _("Minutes"), _("Steps")
    print(f"{when:<16}  {routine:<{width}}  {status:<11}  {spent:>7}  {steps:>7}  " + _("Tension"))
    for r in records:
        when = r.started_at[:16].replace("T", " ")
        title = (r.routine_title or r.routine_id)[:width]
        steps = f"{r.steps_completed}/{r.steps_total}"
        tension = ""
        if r.tension_before is not None or r.tension_after is not None:
            tension = f"{_dash(r.tension_before)} → {_dash(r.tension_after)}"
        print(
            f"{when:<16}  {title:<{width}}  {_(_STATUS_WORDS.get(r.status, r.status)):<11}  "
            f"{number(r.active_seconds / 60, 1):>7}  {steps:>7}  {tension}"
        )


# The status column in the reader's language; the JSON and CSV keep the stored English values.
_STATUS_WORDS = {
    "completed": N_("completed"),
    "stopped": N_("stopped"),
    "interrupted": N_("interrupted"),
    "in_progress": N_("in progress"),
}


def _dash(value: int | None) -> str:
    return "–" if value is None else str(value)
