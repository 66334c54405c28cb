"""The ``history`` and ``stats`` commands: list, export and import sessions, and show progress."""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from massage_guide.core.history import HistoryStore, SessionRecord
    from massage_guide.core.stats import PeriodTotals, Stats

# The CSV columns, exactly as issue 5 lists them (the JSON form adds routine_hash).
CSV_COLUMNS = (
    "id", "routine_id", "routine_title", "started_at", "ended_at", "status", "planned_seconds",
    "active_seconds", "steps_completed", "steps_total", "tension_before", "tension_after", "note",
)  # fmt: skip
FORMATS = (".csv", ".json")


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
    imported = actions.add_parser("import", help="add the sessions in FILE (.csv or .json) to your history")
    imported.add_argument("file", metavar="FILE", type=Path)
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
    """Run a command; if the database turns out damaged part-way, check it fully (which moves a corrupt
    file aside and starts afresh) and tell the user what happened."""
    import sqlite3

    try:
        return command(args)
    except sqlite3.DatabaseError as error:
        from massage_guide import paths
        from massage_guide.core.history import HistoryError, HistoryStore

        file = paths.resolve().history_file
        print(f"Your session history at {file} could not be read ({error}).", file=sys.stderr)
        if isinstance(error, sqlite3.OperationalError):  # busy or locked, not damaged
            print("If Massage Guide is busy with it elsewhere, try again in a moment.", file=sys.stderr)
            return 1
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
            return _import(store, args.file)
        records = store.iter_sessions(since=args.since)
        if args.json:
            sys.stdout.writelines(json_lines(records))
        elif args.csv:
            sys.stdout.writelines(csv_lines(records))
        else:
            _print_table(store.list_sessions(since=args.since))
    return 0


def csv_lines(records: Iterable[SessionRecord]) -> Iterator[str]:
    """The CSV export: the header, then one line per session (notes may span lines, quoted)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for record in records:
        values = record.to_dict()
        writer.writerow(["" if values[name] is None else values[name] for name in CSV_COLUMNS])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def json_lines(records: Iterable[SessionRecord]) -> Iterator[str]:
    """The JSON export: a list with one session per line, so it reads and diffs well."""
    first = True
    for record in records:
        yield ("[\n" if first else ",\n") + json.dumps(record.to_dict(), ensure_ascii=False)
        first = False
    yield "[]\n" if first else "\n]\n"


def export_sessions(records: Iterable[SessionRecord], path: Path) -> int:
    """Write ``records`` to ``path`` (.csv or .json by its name) through a ``.partial`` file, so a failed
    write never leaves half a file; returns how many were written. Raises OSError."""
    count = 0

    def counted() -> Iterator[SessionRecord]:
        nonlocal count
        for record in records:
            count += 1
            yield record

    lines = csv_lines(counted()) if path.suffix.lower() == ".csv" else json_lines(counted())
    partial = path.with_name(path.name + ".partial")
    try:
        with partial.open("w", encoding="utf-8", newline="") as handle:
            handle.writelines(lines)
        partial.replace(path)
    except OSError:
        partial.unlink(missing_ok=True)
        raise
    return count


def _export(store: HistoryStore, file: Path, since: date | None) -> int:
    try:
        count = export_sessions(store.iter_sessions(since=since), file)
    except OSError as error:
        print(f"{file}: could not write the export ({error.strerror or error}).", file=sys.stderr)
        return 1
    print(f"Exported {_plural(count, 'session')} to {file}.")
    return 0


def _import(store: HistoryStore, file: Path) -> int:
    try:
        text = file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or error
        print(f"{file}: could not read it ({reason}).", file=sys.stderr)
        return 1
    try:
        rows = list(_csv_rows(text) if file.suffix.lower() == ".csv" else _json_rows(text))
    except _FileError as problem:
        print(f"{file}:{problem.line}: {problem.message}", file=sys.stderr)
        print("Imported 0 sessions, skipped 0. Nothing was changed.")
        return 1
    good: list[tuple[int, Mapping[str, Any]]] = []
    problems: list[tuple[int, str]] = []
    for line, row in rows:
        if isinstance(row, str):
            problems.append((line, row))
        else:
            good.append((line, row))
    result = store.import_records(good)
    problems = sorted(problems + list(result.problems))
    for line, message in problems:
        print(f"{file}:{line}: {message}", file=sys.stderr)
    skipped = result.already + len(problems)
    print(f"Imported {_plural(result.added, 'session')}, skipped {skipped}.")
    if result.already:
        print(f"({result.already} already on record, so not added twice.)")
    return 1 if problems else 0


class _FileError(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def _csv_rows(text: str) -> Iterator[tuple[int, Mapping[str, str] | str]]:
    """(line, row as a mapping) per data row, or (line, problem text) for a row of the wrong shape."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as error:
        raise _FileError(1, f"not readable as CSV ({error})") from None
    if header is None or tuple(header) != CSV_COLUMNS:
        raise _FileError(1, "the first line must be exactly: " + ",".join(CSV_COLUMNS))
    while True:
        line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield line, f"not readable as CSV ({error})"
            continue
        if not row:
            continue
        if len(row) != len(CSV_COLUMNS):
            yield line, f"expected {len(CSV_COLUMNS)} columns, found {len(row)}"
            continue
        yield line, dict(zip(CSV_COLUMNS, row, strict=True))


_JSON_FIELDS = frozenset((*CSV_COLUMNS, "routine_hash"))


def _json_rows(text: str) -> Iterator[tuple[int, Mapping[str, Any] | str]]:
    """(line, record) per element of the top-level list, each with the line its object starts on."""
    decoder = json.JSONDecoder()

    def line_at(position: int) -> int:
        return text.count("\n", 0, position) + 1

    def skip(position: int) -> int:
        while position < len(text) and text[position] in " \t\r\n":
            position += 1
        return position

    position = skip(0)
    if not text.startswith("[", position):
        raise _FileError(line_at(position), "expected a JSON list of sessions, starting with [")
    position = skip(position + 1)
    if text.startswith("]", position):
        return
    while True:
        try:
            value, end = decoder.raw_decode(text, position)
        except json.JSONDecodeError as error:
            raise _FileError(error.lineno, f"not valid JSON ({error.msg}); nothing was imported") from None
        line = line_at(position)
        if not isinstance(value, dict):
            yield line, "each session must be a JSON object {...}"
        elif unknown := sorted(set(value) - _JSON_FIELDS):
            yield line, f"unknown field {unknown[0]!r}; the fields are {', '.join(sorted(_JSON_FIELDS))}"
        else:
            yield line, value
        position = skip(end)
        if text.startswith(",", position):
            position = skip(position + 1)
            continue
        if text.startswith("]", position) and skip(position + 1) == len(text):
            return
        raise _FileError(line_at(position), "expected , or ] after a session; nothing was imported")


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
    t = figures.tension
    change = t.average_change
    if change is None or t.average_before is None or t.average_after is None:
        print("Tension: rate it before and after a session to see how it changes.")
    else:
        print(
            f"Tension: {t.average_before:.1f} before, {t.average_after:.1f} after on average "
            f"({change:+.1f}) over {_plural(t.rated_sessions, 'rated session')}"
        )
