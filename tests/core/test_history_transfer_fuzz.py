"""Fuzzing the history file readers: any text as CSV or JSON gives rows, row problems or one file problem."""

from __future__ import annotations

import io
import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from massage_guide.core.history_records import validate_record
from massage_guide.core.history_transfer import CSV_COLUMNS, FileShapeError, csv_rows, json_rows

FUZZ = settings(max_examples=150, deadline=None)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(CSV_COLUMNS), inner, max_size=6)
    ),
    max_leaves=20,
)


def consume(rows: Any) -> None:
    """Read every row and check every mapping; only FileShapeError may end it."""
    try:
        for line, row in rows:
            assert isinstance(line, int) and line >= 1
            if isinstance(row, str):
                assert "\n" not in row or row.startswith("not readable")
                continue
            if isinstance(row, tuple):  # a plain row, checked by the reader's fast path
                continue
            try:
                validate_record(row)
            except ValueError as problem:
                assert str(problem)
    except FileShapeError as problem:
        assert problem.line >= 1 and problem.message


@FUZZ
@given(st.text(max_size=300))
def test_any_text_as_json(text: str) -> None:
    """Arbitrary text read as a JSON import never raises anything but a located file problem."""
    consume(json_rows(io.StringIO(text)))


@FUZZ
@given(st.lists(json_values, max_size=5))
def test_any_json_list(values: list[Any]) -> None:
    """Any JSON list of values gives a row or a row problem for each, never a traceback."""
    consume(json_rows(io.StringIO(json.dumps(values))))


@FUZZ
@given(st.text(alphabet=st.sampled_from(list("abc,\"'=+-@\t\r\n0123456789:T")), max_size=300))
def test_any_text_as_csv(body: str) -> None:
    """Any text after the right header, read as a CSV import, never raises anything but a file problem."""
    consume(csv_rows(io.StringIO(",".join(CSV_COLUMNS) + "\n" + body, newline="")))
