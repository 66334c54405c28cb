"""A history import file that is not valid JSON or CSV is explained in our words, in the user's language."""

from __future__ import annotations

from pathlib import Path

import pytest

from massage_guide.core import i18n
from massage_guide.core.history_transfer import CSV_COLUMNS, CSV_FIELD_MAX_CHARS, FileShapeError, read_rows
from massage_guide.core.transfer_problems import csv_problem, json_problem


def shape_problem(path: Path) -> FileShapeError:
    """The FileShapeError that reading every row of ``path`` raises."""
    with pytest.raises(FileShapeError) as caught:
        list(read_rows(path))
    return caught.value


@pytest.mark.parametrize(
    ("text", "line", "english", "german"),
    [
        ('[\n{"id": "a"\n "status": "b"}]', 3, "a ',' is missing between two values", "fehlt ein „,“"),
        ("[\n{'id': 1}]", 2, "a field name must be in double quotes", "Feldname"),
        ('[\n{"id" 1}]', 2, "a ':' is missing after a field name", "Feldnamen fehlt"),
        ('[\n{"id": nope}]', 2, "a value is missing or is not JSON", "kein JSON"),
        ('[\n{"id": "open}]', 2, "a text in double quotes is not closed", "nicht geschlossen"),
        ('[{"note": "a\\qb"}]', 1, "write \\\\ for a backslash", "Backslash"),
        ('[{"note": "a\tb"}]', 1, "another control character", "Steuerzeichen"),
    ],
)
def test_broken_json_says_what_to_fix_in_both_languages(
    tmp_path: Path, text: str, line: int, english: str, german: str
) -> None:
    """Python's "Expecting ',' delimiter" and its kin become our words, at the right line, in English and
    in German; nothing of Python's English is left in German."""
    path = tmp_path / "sessions.json"
    path.write_text(text, encoding="utf-8")
    problem = shape_problem(path)
    assert problem.line == line and english in problem.message
    i18n.activate("de")
    problem = shape_problem(path)
    assert german in problem.message and "nichts wurde importiert" in problem.message
    assert "Expecting" not in problem.message and "Invalid" not in problem.message


def test_a_csv_cell_past_the_limit_is_named_in_german(tmp_path: Path) -> None:
    """csv's "field larger than field limit (131072)" becomes a sentence with the limit in German digits."""
    path = tmp_path / "sessions.csv"
    path.write_text(",".join(CSV_COLUMNS) + "\n" + "x" * (CSV_FIELD_MAX_CHARS + 1) + "\n", encoding="utf-8")
    rows = list(read_rows(path))
    assert rows == [(2, "not readable as CSV (a cell is longer than 131,072 characters)")]
    i18n.activate("de")
    assert list(read_rows(path)) == [(2, "nicht als CSV lesbar (eine Zelle ist länger als 131.072 Zeichen)")]


def test_unknown_problems_keep_python_words() -> None:
    """A message no rule knows (a future Python's) is shown as Python says it, not dropped."""
    assert json_problem("Something new") == "Something new"
    assert csv_problem("something new") == "something new"
