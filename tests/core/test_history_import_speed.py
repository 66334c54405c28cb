"""The fast import path: the same rows as the full checks and the csv and json modules, and per-day totals
kept exact without triggers."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, Literal, cast

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from massage_guide.core import history
from massage_guide.core.history import HistoryStore
from massage_guide.core.history_records import (
    INT_FIELD_MAX,
    RECORD_FIELDS,
    HugeNumber,
    import_row,
    record_row,
    validate_record,
)
from massage_guide.core.history_schema import DAY_INSERT_TRIGGER, DAY_INSERT_TRIGGER_NAME
from massage_guide.core.history_transfer import CSV_COLUMNS, FileShapeError, csv_rows, json_rows, neutralise

PLAIN: dict[str, Any] = {
    "id": "6f1c1b7e-4a51-4a43-9d7e-6c1f0a4b2d11",
    "routine_id": "neck-tension-release",
    "routine_title": "Neck tension release",
    "routine_hash": "",
    "started_at": "2024-03-01T08:00:00+01:00",
    "ended_at": "2024-03-01T08:10:00+01:00",
    "status": "completed",
    "planned_seconds": "585",
    "active_seconds": "585",
    "steps_completed": "7",
    "steps_total": "7",
    "tension_before": "6",
    "tension_after": "2",
    "note": "",
}

# Values at the edges of what each check takes, and just past them, as CSV (text) and JSON (typed) give them.
TEXT_EDGES: list[Any] = [
    "",
    "a",
    "Nacken lösen",
    "x" * 10_000,
    "x" * 10_001,
    "a\x00b",
    "a\x1fb",
    "\ud800",
    "=1+1",
    " ",
    "\n",
]
STAMP_EDGES: list[Any] = [
    "",
    "2024-03-01T08:00:00+01:00",
    "2024-03-01T07:59:59+01:00",
    "2024-03-01T08:00:00-00:00",
    "2024-03-01T08:00:00+00:00",
    "2024-03-01T08:00:00",
    "2024-02-30T08:00:00+01:00",
    "2024-03-01T08:00:00+24:00",
    "2024-03-01T08:00:00.500000+01:00",
    "2024-03-01 08:00:00+01:00",
    "0000-03-01T08:00:00+01:00",
    "2024-03-01T08:00:00Z",
    "٢٠٢٤-03-01T08:00:00+01:00",
]
NUMBER_EDGES: list[Any] = [
    "",
    "0",
    "7",
    "007",
    "10",
    "11",
    "-5",
    "+5",
    "1_000",
    "٣",
    " 5",
    "999999999",
    "1000000000",
    0,
    7,
    10,
    11,
    -1,
    INT_FIELD_MAX,
    INT_FIELD_MAX + 1,
    True,
    7.0,
    None,
    HugeNumber("9" * 30),
]
OTHER_EDGES: list[Any] = [None, 5, 1.5, True, [], {}, "in_progress", "stopped", "interrupted", "done"]
ID_EDGES: list[Any] = [
    PLAIN["id"],
    PLAIN["id"].upper(),
    "{" + PLAIN["id"] + "}",
    "not-a-uuid",
    "",
    PLAIN["id"] + " ",
    5,
]
EDGES: dict[str, list[Any]] = {
    "id": ID_EDGES,
    "routine_id": TEXT_EDGES + OTHER_EDGES,
    "routine_title": TEXT_EDGES + OTHER_EDGES,
    "routine_hash": TEXT_EDGES + OTHER_EDGES,
    "started_at": STAMP_EDGES + OTHER_EDGES,
    "ended_at": STAMP_EDGES + OTHER_EDGES,
    "status": OTHER_EDGES + TEXT_EDGES + ["completed"],
    **{
        name: NUMBER_EDGES + OTHER_EDGES
        for name in RECORD_FIELDS
        if name.endswith(("_seconds", "_completed"))
    },
    "steps_total": NUMBER_EDGES + OTHER_EDGES,
    "tension_before": NUMBER_EDGES + OTHER_EDGES,
    "tension_after": NUMBER_EDGES + OTHER_EDGES,
    "note": TEXT_EDGES + OTHER_EDGES,
}
FIELD_VALUES: dict[str, Any] = {name: st.sampled_from(values) for name, values in EDGES.items()}


def row_variants() -> st.SearchStrategy[dict[str, Any]]:
    """A plain row with a few fields replaced by edge values (or left out)."""
    names = st.sampled_from(RECORD_FIELDS)
    values = st.sampled_from(TEXT_EDGES + STAMP_EDGES + NUMBER_EDGES + OTHER_EDGES)

    def vary(changes: dict[str, Any], dropped: list[str]) -> dict[str, Any]:
        row = {**PLAIN, **changes}
        for name in dropped:
            row.pop(name, None)
        return row

    changes = st.dictionaries(names, values, max_size=4) | st.fixed_dictionaries({}, optional=FIELD_VALUES)
    return st.builds(vary, changes, st.lists(names, max_size=2))


def slow(raw: dict[str, Any]) -> tuple[Any, ...] | str:
    try:
        return record_row(validate_record(raw))
    except ValueError as error:
        return str(error)


def fast(raw: Mapping[str, Any]) -> tuple[Any, ...] | str:
    try:
        return import_row(raw)
    except ValueError as error:
        return str(error)


@settings(max_examples=600, deadline=None)
@given(row_variants())
def test_the_fast_path_gives_exactly_what_the_full_checks_give(raw: dict[str, Any]) -> None:
    """A row the fast path takes becomes the very row the full checks make; any other row gets their message."""
    assert fast(raw) == slow(raw)


@pytest.mark.parametrize("name", RECORD_FIELDS)
def test_every_edge_value_of_every_field_gets_the_same_answer_both_ways(name: str) -> None:
    """Each field alone at each edge value, and left out: the fast path agrees with the full checks."""
    for base in (PLAIN, {**PLAIN, "ended_at": "", "tension_after": ""}):
        for value in EDGES[name]:
            raw = {**base, name: value}
            assert fast(raw) == slow(raw), (name, value)
    left_out = {key: value for key, value in PLAIN.items() if key != name}
    assert fast(left_out) == slow(left_out)


def test_plain_rows_take_the_fast_path_and_keep_their_text() -> None:
    """CSV text and JSON numbers give the same row, timestamps kept as written, the local day their own."""
    as_json = {**PLAIN, "planned_seconds": 585, "active_seconds": 585, "steps_completed": 7, "steps_total": 7}
    as_json.update(tension_before=6, tension_after=None, note=None)
    row = import_row(as_json)
    assert row == import_row({**PLAIN, "tension_after": ""})
    assert row[4:9] == (
        "2024-03-01T08:00:00+01:00",
        1709276400.0,
        "2024-03-01",
        "2024-03-01T08:10:00+01:00",
        "2024-03-01T08:10:00+01:00",
    )
    assert import_row({**PLAIN, "status": "in_progress", "ended_at": ""})[9] == "interrupted"


def days_direct(file: Path) -> list[tuple[Any, ...]]:
    """The per-day totals counted straight from the sessions, as schema 4 defines them."""
    with sqlite3.connect(file) as connection:
        return connection.execute(
            "SELECT local_day, sum(active_seconds), count(*), sum(status = 'completed'),"
            " sum(tension_before IS NOT NULL AND tension_after IS NOT NULL),"
            " sum(CASE WHEN tension_before IS NOT NULL AND tension_after IS NOT NULL THEN tension_before"
            " ELSE 0 END),"
            " sum(CASE WHEN tension_before IS NOT NULL AND tension_after IS NOT NULL THEN tension_after"
            " ELSE 0 END)"
            " FROM sessions WHERE status != 'in_progress' GROUP BY local_day ORDER BY local_day"
        ).fetchall()


def days_kept(file: Path) -> list[tuple[Any, ...]]:
    with sqlite3.connect(file) as connection:
        return connection.execute("SELECT * FROM days WHERE sessions > 0 ORDER BY local_day").fetchall()


def csv_like(n: int, day: int, status: str, **more: str) -> dict[str, Any]:
    return {
        **PLAIN,
        "id": str(uuid.UUID(int=n + 1)),
        "started_at": f"2024-03-{day:02d}T08:00:00+01:00",
        "ended_at": "",
        "status": status,
        "active_seconds": str(60 * n),
        **more,
    }


def test_a_staged_import_keeps_the_day_totals_exact_and_puts_the_trigger_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Batches add their sessions to the per-day totals in one statement: the totals equal a direct count
    with sessions already on record, ids repeated in the file and days shared, and the trigger is back."""
    monkeypatch.setattr(history, "IMPORT_BATCH_ROWS", 7)  # several batches, some days in more than one
    monkeypatch.setattr(history, "IMPORT_PAUSE_WHILE_RUNNING_SECONDS", 0)
    monkeypatch.setattr(history, "STAGE_ROWS_PER_INSERT", 4)  # rows staged by both kinds of INSERT
    file = tmp_path / "history.sqlite3"
    store, _ = HistoryStore.open(file)
    with store:
        running = store.begin(
            routine_id="calm", routine_title="Calm", content_hash="", planned_seconds=60, steps_total=1
        )
        store.import_records([(1, csv_like(1, 2, "completed")), (2, csv_like(2, 3, "stopped"))])
        rows: list[tuple[int, dict[str, Any] | str]] = [
            (n, csv_like(n, 1 + n % 5, ("completed", "stopped", "interrupted", "in_progress")[n % 4]))
            for n in range(1, 40)
        ]
        rows += [(40, csv_like(3, 1, "completed", tension_before="7", tension_after="3")), (41, "broken")]
        rows += [(42, csv_like(5, 1, "completed", started_at="yesterday"))]
        problems = list(store.stage_rows(rows))
        assert [line for line, _ in problems] == [41, 42]
        batches = list(store.import_staged())
        assert sum(added for added, _ in batches) == 37  # 39 rows + 1, less 2 on record and 1 twice
        assert sum(already for _, already in batches) == 3
        assert days_kept(file) == days_direct(file)
        store.finish(running, status="completed", active_seconds=60, steps_completed=1)
        assert days_kept(file) == days_direct(file)
    with sqlite3.connect(file) as connection:
        triggers = connection.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (DAY_INSERT_TRIGGER_NAME,)
        ).fetchall()
    assert triggers == [(DAY_INSERT_TRIGGER,)]


@pytest.mark.parametrize("digits", [19, 20, 21, 26, 30, 31, 4000, 4301, 6000])
def test_a_long_json_number_is_one_short_problem_on_its_line(digits: int) -> None:
    """Numbers are converted in C where int() allows it and kept as text past that: either way a number far
    too large is reported on its own line, in a message that stays short."""
    rows = list(json_rows(io.StringIO('[\n{"a": 1},\n{"planned_seconds": ' + "9" * digits + "}\n]")))
    assert [line for line, _ in rows] == [2, 3]
    raw = rows[1][1]
    assert isinstance(raw, dict)
    with pytest.raises(ValueError, match="planned_seconds is too large") as problem:
        validate_record({**PLAIN, **raw})
    assert len(str(problem.value)) < 120


# --- whole lines: the readers' fast path against the long way ------------------------------------------


def resolved(rows: Iterable[tuple[int, Any]]) -> list[tuple[int, Any]]:
    """Each row as the import stages it: a checked row, or the message for a bad one."""
    return [(line, row if isinstance(row, (tuple, str)) else fast(row)) for line, row in rows]


def read_both(reader: Callable[..., Iterator[tuple[int, Any]]], text: str) -> tuple[Any, Any]:
    """What the reader gives with its fast path and without it (or the file problem each raised)."""
    answers: list[Any] = []
    for plain in (True, False):
        try:
            answers.append(resolved(reader(io.StringIO(text, newline=""), plain=plain)))
        except FileShapeError as problem:
            answers.append((problem.line, problem.message))
    return answers[0], answers[1]


def as_cell(value: Any) -> str:
    return "" if value is None else str(value)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(row_variants(), min_size=1, max_size=6),
    st.sampled_from([csv.QUOTE_ALL, csv.QUOTE_MINIMAL]),
    st.sampled_from(["\n", "\r\n"]),
    st.booleans(),
)
def test_csv_lines_give_what_the_csv_module_gives(
    rows: list[dict[str, Any]], quoting: Literal[0, 1, 2, 3], ending: str, exported: bool
) -> None:
    """A CSV line the fast path takes gives the very row the csv module and the full checks give, on the
    same line number; every other line (quoted quotes, cells over two lines, formulas) the same message."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=quoting, lineterminator=ending)
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        cells = [as_cell(row.get(name)) for name in CSV_COLUMNS]
        writer.writerow([neutralise(cell) for cell in cells] if exported else cells)
    with_fast, without = read_both(csv_rows, buffer.getvalue())
    assert with_fast == without


def test_plain_csv_lines_take_the_fast_path_quoted_or_not() -> None:
    """Lines as the export writes them (every cell quoted) and as a spreadsheet writes them (quotes only
    where needed, commas inside) are read by the fast path, with their line numbers after a two-line cell."""
    cells = [as_cell(PLAIN.get(name)) for name in CSV_COLUMNS]
    quoted = ",".join(f'"{cell}"' for cell in cells)
    titled = cells.copy()
    titled[CSV_COLUMNS.index("routine_title")] = '"Hands, wrists"'
    two_lines = cells.copy()
    two_lines[CSV_COLUMNS.index("note")] = '"first line\nsecond line"'
    text = "\n".join([",".join(CSV_COLUMNS), quoted, ",".join(titled), ",".join(two_lines), quoted, ""])
    text = text.replace(PLAIN["id"], str(uuid.UUID(int=7)), 1)  # not the same session twice
    rows = list(csv_rows(io.StringIO(text, newline="")))
    assert [line for line, _ in rows] == [2, 3, 4, 6]
    assert [type(row) for _, row in rows] == [tuple, tuple, dict, tuple]
    assert cast(tuple[Any, ...], rows[1][1])[2] == "Hands, wrists"
    assert fast(cast(dict[str, Any], rows[2][1]))[-1] == "first line\nsecond line"


@settings(max_examples=300, deadline=None)
@given(
    st.lists(row_variants(), min_size=1, max_size=6),
    st.sampled_from(["export", "csv order", "reversed"]),
    st.booleans(),
)
def test_json_objects_give_what_the_json_module_gives(
    rows: list[dict[str, Any]], order: str, ascii_only: bool
) -> None:
    """A JSON session object the fast path takes gives the very row json.loads and the full checks give,
    on the same line; every other object (escapes, another key order, wrong types) the same message."""
    names = {"export": RECORD_FIELDS, "csv order": CSV_COLUMNS, "reversed": RECORD_FIELDS[::-1]}[order]
    objects = []
    for row in rows:
        values = {name: row[name] for name in names if name in row}
        values = {k: int(v.text) if isinstance(v, HugeNumber) else v for k, v in values.items()}
        objects.append(json.dumps(values, ensure_ascii=ascii_only))
    with_fast, without = read_both(json_rows, "[\n" + ",\n".join(objects) + "\n]\n")
    assert with_fast == without


def test_exported_json_objects_take_the_fast_path() -> None:
    """Objects as the export writes them, with or without routine_hash, are read by the fast path; one
    with an escape in a string is read the long way, to the same row."""
    typed = {name: int(value) if value.isdigit() else value for name, value in PLAIN.items()}
    exported = json.dumps({name: typed[name] for name in RECORD_FIELDS})
    without_hash = json.dumps({name: typed[name] for name in CSV_COLUMNS} | {"note": None})
    escaped = exported.replace('"note": ""', '"note": "say \\"ah\\""')
    text = "[\n" + ",\n".join([exported, without_hash, escaped]) + "\n]\n"
    rows = list(json_rows(io.StringIO(text)))
    assert [line for line, _ in rows] == [2, 3, 4]
    assert [type(row) for _, row in rows] == [tuple, tuple, dict]
    assert fast(cast(dict[str, Any], rows[2][1]))[-1] == 'say "ah"'
