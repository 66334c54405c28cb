"""The ``history`` and ``stats`` commands: list, export and import sessions, and show progress."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from massage_guide.core.files import one_line
from massage_guide.core.history_transfer import (
    CSV_COLUMNS,
    FORMATS,
    csv_lines,
    export_sessions,
    json_lines,
)

if TYPE_CHECKING:
    from massage_guide.core.history import HistoryStore, SessionRecord
    from massage_guide.core.stats import PeriodTotals, Stats

__all__ = ["CSV_COLUMNS", "FORMATS", "csv_lines", "export_sessions", "json_lines", "open_store", "register"]


def register(subparsers: Any) -> None:
    """Add ``history`` (with its ``export`` and ``import`` actions) and ``stats`` to the command line."""
    history = subparsers.add_parser(
        "history",
        help="show, export or import your session history",
        description="Show your sessions, or move them to and from a .csv or .json file.",
    )
    form = history.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true", help="print a JSON list of sessions")
    form.add_argument("--csv", action="store_true", help="print CSV, the same columns as export")
    history.add_argument("--since", metavar="DATE", type=_date_arg, help="only sessions on or after DATE")
    actions = history.add_subparsers(dest="history_action", metavar="ACTION", required=False)
    export = actions.add_parser("export", help="write your history to FILE (.csv or .json)")
    export.add_argument("file", metavar="FILE", type=Path)
    imported = actions.add_parser(
        "import",
        help="add the sessions in FILE (.csv or .json) to your history",
        description="Add the sessions in FILE. Every row is checked first: if any is wrong, nothing is "
        "imported unless --skip-invalid is given.",
    )
    imported.add_argument("file", metavar="FILE", type=Path)
    imported.add_argument(
        "--skip-invalid", action="store_true", help="import the good rows and skip the bad ones (listed)"
    )
    history.set_defaults(handler=run_history)

    stats = subparsers.add_parser("stats", help="show streaks, minutes, areas and tension change")
    stats.add_argument("--json", action="store_true", help="print the figures as JSON")
    stats.set_defaults(handler=run_stats)


def _date_arg(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; write it like 2024-05-01") from None


def open_store() -> HistoryStore | None:
    """Open the user's history, tell them about anything that happened, and recover crashed sessions."""
    import sqlite3

    from massage_guide import paths
    from massage_guide.core.history import HistoryError, HistoryStore

    file = paths.resolve().history_file
    try:
        store, messages = HistoryStore.open(file)
        recovered = store.recover_interrupted()
    except HistoryError as error:
        print(error, file=sys.stderr)
        return None
    except (sqlite3.Error, OSError) as error:
        print(
            f"Could not open your session history at {file} ({error}). Check that the folder exists and "
            "that you can write to it, then try again.",
            file=sys.stderr,
        )
        return None
    for message in messages:
        print(message, file=sys.stderr)
    if recovered:
        print(
            f"{_plural(recovered, 'session')} ended unexpectedly earlier; kept as interrupted, with the "
            "progress made.",
            file=sys.stderr,
        )
    return store


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


# --- history ----------------------------------------------------------------------------------------------


def run_history(args: argparse.Namespace) -> int:
    return _guarded(_history, args)


def run_stats(args: argparse.Namespace) -> int:
    return _guarded(_stats, args)


def _guarded(command: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    """Run a command; if the database turns out damaged part-way, check it fully (which moves a damaged
    file aside and starts afresh) and tell the user what happened. Full, read-only or locked files are
    left alone and the message says which."""
    import sqlite3

    try:
        return command(args)
    except sqlite3.DatabaseError as error:
        from massage_guide import paths
        from massage_guide.core.history import Fault, HistoryError, HistoryStore
        from massage_guide.core.history_faults import classify, open_message

        file = paths.resolve().history_file
        fault = classify(error, file)
        if fault is not Fault.DAMAGED:
            print(open_message(fault, file, error), file=sys.stderr)
            return 1
        print(f"Your session history at {file} could not be read ({error}).", file=sys.stderr)
        try:
            store, messages = HistoryStore.open(file, full_check=True)
            store.close()
        except (HistoryError, sqlite3.Error, OSError) as again:
            messages = [str(again)]
        for message in messages or ["It passed a full check, so please try the command again."]:
            print(message, file=sys.stderr)
        return 1


def _history(args: argparse.Namespace) -> int:
    action = getattr(args, "history_action", None)
    if action is not None and args.file.suffix.lower() not in FORMATS:
        print(
            f"{args.file}: the file name must end in .csv or .json, so Massage Guide knows its format.",
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
        print(f"{file}: could not write the export ({error.strerror or error}).", file=sys.stderr)
        return 1
    print(f"Exported {_plural(count, 'session')} to {file}.")
    return 0


def _import(store: HistoryStore, file: Path, *, skip_invalid: bool) -> int:
    """Check the whole file first; import nothing if a row is bad (unless ``skip_invalid``), else add
    the rows in short batches, reading the file again so memory stays flat however long it is."""
    from massage_guide.core.history_transfer import FileShapeError

    where = one_line(str(file))
    if store.fault is not None:
        from massage_guide.core.history_faults import open_message

        print(open_message(store.fault, store.path), file=sys.stderr)
        print("Imported 0 sessions. Nothing was changed.")
        return 1
    try:
        bad = _check_and_stage(store, file, where)
        if bad and not skip_invalid:
            store.discard_staged()
            verb = "has" if bad == 1 else "have"
            print(
                f"Imported 0 sessions: {_plural(bad, 'row')} above {verb} a problem. Fix them and import "
                "again, or add --skip-invalid to import only the good rows."
            )
            return 1
        return _add_rows(store, where, bad)
    except FileShapeError as problem:
        store.discard_staged()
        print(f"{where}:{problem.line}: {one_line(problem.message)}", file=sys.stderr)
        print("Imported 0 sessions, skipped 0. Nothing was changed.")
        return 1
    except OSError as error:
        store.discard_staged()
        reason = one_line(error.strerror or str(error))
        print(f"{where}: could not read it ({reason}).", file=sys.stderr)
        print("Imported 0 sessions. Nothing was changed.")
        return 1


def _valid_rows(file: Path, where: str, *, report: bool) -> Iterator[SessionRecord | None]:
    """Each row of ``file`` as a record, or None for a bad row (printed as FILE:LINE: problem)."""
    from massage_guide.core.history import validate_record
    from massage_guide.core.history_transfer import read_rows

    for line, row in read_rows(file):
        if isinstance(row, str):
            problem = row
        else:
            try:
                yield validate_record(row)
                continue
            except ValueError as error:
                problem = str(error)
        if report:
            print(f"{where}:{line}: {one_line(problem)}", file=sys.stderr)
        yield None


def _check_and_stage(store: HistoryStore, file: Path, where: str) -> int:
    """Read the whole file once: print every bad row with its line, stage the good ones (no lock on
    the history yet). Returns how many rows were bad."""
    from massage_guide.core.history import IMPORT_BATCH_ROWS

    bad = 0
    batch: list[SessionRecord] = []
    for record in _valid_rows(file, where, report=True):
        if record is None:
            bad += 1
            continue
        batch.append(record)
        if len(batch) >= IMPORT_BATCH_ROWS:
            store.stage(batch)
            batch = []
    store.stage(batch)
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
            f"{where}: the import stopped after {_plural(added, 'session')} because your history is "
            f"{_FAULT_WORDS[fault.value]}. The sessions added so far stay; run the same import again "
            "when that is fixed (sessions already on record are skipped).",
            file=sys.stderr,
        )
        return 1
    print(f"Imported {_plural(added, 'session')}, skipped {already + bad}.")
    if already:
        print(f"({already} already on record, so not added twice.)")
    if bad:
        print(f"({_plural(bad, 'row')} with problems skipped, as --skip-invalid asked.)")
    return 0


_FAULT_WORDS = {
    "full": "on a full disk (free some space)",
    "read-only": "read-only (make it yours and writable)",
    "locked": "locked by another program (close it)",
    "damaged": "damaged (run any history command to set it aside)",
    "unopenable": "not reachable (check that the disk is connected)",
}


def _print_table(records: list[SessionRecord]) -> None:
    if not records:
        print("No sessions on record yet. They will show here after your first routine.")
        return
    width = min(40, max(len(r.routine_title or r.routine_id) for r in records))
    print(f"{'When':<16}  {'Routine':<{width}}  {'Status':<11}  {'Minutes':>7}  {'Steps':>7}  Tension")
    for r in records:
        when = r.started_at[:16].replace("T", " ")
        title = (r.routine_title or r.routine_id)[:width]
        steps = f"{r.steps_completed}/{r.steps_total}"
        tension = ""
        if r.tension_before is not None or r.tension_after is not None:
            tension = f"{_dash(r.tension_before)} → {_dash(r.tension_after)}"
        print(
            f"{when:<16}  {title:<{width}}  {r.status:<11}  {r.active_seconds / 60:>7.1f}  {steps:>7}  {tension}"
        )


def _dash(value: int | None) -> str:
    return "–" if value is None else str(value)


# --- stats ------------------------------------------------------------------------------------------------


def _stats(args: argparse.Namespace) -> int:
    from massage_guide.core import stats as progress
    from massage_guide.core.history import local_now

    store = open_store()
    if store is None:
        return 1
    show_streaks, rest_days = _streak_settings()
    today = local_now().date()
    with store:
        month = progress.month_bounds(today)
        week = progress.week_bounds(today)
        first = min(month[0], week[0])
        last = max(month[1], week[1])
        # Only the routines used this week or month need their areas, so the library is read only then.
        used = {t.routine_id for t in store.routine_totals(first, last)}
        areas = _areas_by_routine() if used else {}
        figures = progress.compute_stats(
            store,
            today,
            areas_by_routine=areas,
            rest_days_per_week=rest_days,
            show_streaks=show_streaks,
        )
    if args.json:
        json.dump(figures.to_dict(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        _print_stats(figures)
    return 0


def _streak_settings() -> tuple[bool, int]:
    """(show streaks, rest days per week) from settings.yaml; the defaults when it cannot be read."""
    try:
        from massage_guide import paths
        from massage_guide.core.settings import load_settings
    except ImportError:  # pragma: no cover - settings are part of the package
        return True, 1
    settings, _problems = load_settings(paths.resolve().settings_file)
    return settings.show_streaks, settings.streak_rest_days_per_week


def _areas_by_routine() -> dict[str, tuple[str, ...]]:
    from massage_guide import paths
    from massage_guide.core.library import load_library

    library = load_library(paths.resolve())
    return {routine_id: routine.areas for routine_id, routine in library.summaries.items()}


def _print_stats(figures: Stats) -> None:
    from massage_guide.core.model import AREA_LABELS

    if figures.streaks is not None:
        s = figures.streaks
        rest = (
            "every day counts"
            if s.rest_days_per_week == 0
            else f"{_plural(s.rest_days_per_week, 'rest day')} a week allowed"
        )
        print(f"Streak: {_plural(s.current, 'day')} (best {s.best}; {rest})")

    def period(name: str, p: PeriodTotals) -> None:
        print(
            f"{name} ({p.start:%d %b} to {p.end:%d %b}): {p.minutes:g} min in {_plural(p.sessions, 'session')}"
        )
        for share in p.by_routine:
            print(
                f"  {share.label or share.key}: {share.minutes:g} min, {_plural(share.sessions, 'session')}"
            )
        if p.by_area:
            areas = ", ".join(f"{AREA_LABELS.get(a.key, a.key)} {a.minutes:g} min" for a in p.by_area)
            print(f"  By area: {areas}")

    period("This week", figures.week)
    period("This month", figures.month)
    print(
        f"All time: {figures.total_minutes:g} min in {_plural(figures.total_sessions, 'session')} "
        f"on {_plural(figures.active_days, 'day')}"
    )
    if figures.break_prompts.get("shown"):
        print(
            f"Breaks this week: {figures.breaks_taken} taken of {_plural(figures.break_prompts['shown'], 'reminder')}"
        )
    t = figures.tension
    change = t.average_change
    if change is None or t.average_before is None or t.average_after is None:
        print("Tension: rate it before and after a session to see how it changes.")
    else:
        print(
            f"Tension: {t.average_before:.1f} before, {t.average_after:.1f} after on average "
            f"({change:+.1f}) over {_plural(t.rated_sessions, 'rated session')}"
        )
