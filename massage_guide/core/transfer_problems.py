"""Python's json and csv problems with an import file, in our own words and the user's language."""

from __future__ import annotations

import re
from typing import Final

from massage_guide.core.i18n import N_, _

# The json and csv modules word their problems for programmers, in English ("Expecting ',' delimiter").
# The messages below are those of CPython 3.11 to 3.13 (json/decoder.py, Modules/_json.c, Modules/_csv.c);
# each pattern must match whole. A message no pattern knows keeps Python's own text.
_JSON_RULES: Final[tuple[tuple[str, str], ...]] = (
    (
        r"Expecting value",
        N_(
            "a value is missing or is not JSON (text needs double quotes; true, false and null are lowercase)"
        ),
    ),
    (
        r"Expecting property name enclosed in double quotes",
        N_("a field name must be in double quotes, and no ',' may come before a closing bracket"),
    ),
    (r"Expecting ':' delimiter", N_("a ':' is missing after a field name")),
    (r"Expecting ',' delimiter", N_("a ',' is missing between two values")),
    (r"Unterminated string starting at", N_("a text in double quotes is not closed")),
    (
        r"Invalid control character( .+)? at",
        N_("a text holds a line break or another control character; write a line break as \\n"),
    ),
    (
        r"Invalid \\escape(: .+)?",
        N_("a backslash in a text starts an escape JSON does not know; write \\\\ for a backslash"),
    ),
    (r"Invalid \\uXXXX escape", N_("a \\u escape needs four hexadecimal digits (0-9, a-f)")),
    (r"Extra data", N_("there is more after the end of the JSON")),
    (
        r"Illegal trailing comma before end of (object|array)",
        N_("a ',' comes before a closing bracket; remove it"),
    ),
)
_CSV_RULES: Final[tuple[tuple[str, str], ...]] = (
    (r"field larger than field limit \((?P<limit>\d+)\)", N_("a cell is longer than {limit} characters")),
    (
        r"new-line character seen in unquoted field.*",
        N_("a line break is inside a cell without quotes; put the cell in double quotes"),
    ),
    (r"line contains NUL", N_("a line holds a NUL character; is it a binary file?")),
    (r"unexpected end of data", N_("the file ends inside a quoted cell; close the quote")),
    (r"'.' expected after '.'", N_('a quote inside a quoted cell must be doubled ("")')),
)
_JSON: Final = tuple((re.compile(pattern, re.DOTALL), message) for pattern, message in _JSON_RULES)
_CSV: Final = tuple((re.compile(pattern, re.DOTALL), message) for pattern, message in _CSV_RULES)


def json_problem(message: str) -> str:
    """Our words for a JSONDecodeError's ``msg``, in the user's language; Python's text if we have none."""
    for pattern, ours in _JSON:
        if pattern.fullmatch(message):
            return _(ours)
    return message


def csv_problem(message: str) -> str:
    """Our words for a csv.Error's text, in the user's language; Python's text if we have none."""
    for pattern, ours in _CSV:
        found = pattern.fullmatch(message)
        if found:
            limit = found.groupdict().get("limit")
            return _(ours).format(limit=_number(int(limit))) if limit else _(ours)
    return message


def known_problems() -> tuple[str, ...]:
    """Every message a rule can give, untranslated (the tests check each one has a translation)."""
    return tuple(message for _pattern, message in (*_JSON_RULES, *_CSV_RULES))


def _number(value: int) -> str:
    """``100,000`` in English, ``100.000`` in German (Babel loads only for this message)."""
    from massage_guide.core import formatting

    return formatting.number(value)
