"""Whole lines of an import file checked by one pattern each: the fast path for the rows exports hold.

A CSV line or a JSON session object as Massage Guide (or a spreadsheet) writes it is matched, fields and
checks together, by one precompiled pattern over the raw text, and becomes the row for the sessions table
without a dictionary or a csv/json parse in between. Anything the pattern does not take (a quoted quote, a
cell over two lines, an escape in a JSON string, a value out of range, fields in another order) returns
None, and the reader takes the long way, which gives the same row or the message saying what is wrong.
Tests compare the two on generated lines."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from massage_guide.core.history_records import (
    INT_FIELD_MAX_DIGITS,
    STATUSES,
    TEXT_FIELD_MAX_CHARS,
    ImportRow,
    plain_row,
)

# What each field may hold on the fast path; the same limits as the full checks (history_records).
_UUID: Final = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
# Exactly as datetime.isoformat() writes a time to the second, so parsing gives the same text back.
_STAMP: Final = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d"
_STATUS: Final = "|".join(STATUSES)
_RATING: Final = r"10|\d"
# Text without NUL, lone surrogates (bytes that were not UTF-8) or line breaks; a CSV cell also without
# quotes (and, unquoted, without commas); a JSON string also without backslashes or control characters.
_CSV_QUOTED_CHAR: Final = r'[^"\x00\r\n\ud800-\udfff]'
_CSV_BARE_CHAR: Final = r'[^",\x00\r\n\ud800-\udfff]'
_JSON_CHAR: Final = r'[^"\\\x00-\x1f\ud800-\udfff]'
_TEXT_MAX: Final = TEXT_FIELD_MAX_CHARS

# The kind of each field, by name (RECORD_FIELDS plus the order a file gives them in).
_TEXT_FIELDS: Final = ("routine_id", "routine_title", "routine_hash", "note")
_NUMBER_FIELDS: Final = ("planned_seconds", "active_seconds", "steps_completed", "steps_total")
_RATING_FIELDS: Final = ("tension_before", "tension_after")
# The order plain_row takes the values in (RECORD_FIELDS).
_PLAIN_ORDER: Final = (
    "id", "routine_id", "routine_title", "routine_hash", "started_at", "ended_at", "status",
    "planned_seconds", "active_seconds", "steps_completed", "steps_total", "tension_before",
    "tension_after", "note",
)  # fmt: skip


def _value_pattern(name: str) -> str:
    """The pattern of one field's value (without quotes), as a group named after the field."""
    if name == "id":
        return f"(?P<{name}>{_UUID})"
    if name in ("started_at", "ended_at"):
        return f"(?P<{name}>{_STAMP})"
    if name == "status":
        return f"(?P<{name}>{_STATUS})"
    if name in _NUMBER_FIELDS:
        return f"(?P<{name}>\\d{{1,{INT_FIELD_MAX_DIGITS}}})"
    if name in _RATING_FIELDS:
        return f"(?P<{name}>{_RATING})"
    raise ValueError(name)


# --- CSV ------------------------------------------------------------------------------------------------


def _csv_cell(name: str) -> str:
    """One cell, quoted or not: the opening quote (or none) is matched again at its end. Text may hold
    commas only inside quotes (the look-behind tells which); a text cell starting with ' takes the long
    way (it may be a neutralised formula); the optional fields may be empty."""
    if name in _TEXT_FIELDS:
        least = 1 if name == "routine_id" else 0
        value = (
            f"(?P<{name}>(?!')(?:(?<=\")(?:{_CSV_QUOTED_CHAR}){{{least},{_TEXT_MAX}}}"
            f'|(?<!")(?:{_CSV_BARE_CHAR}){{{least},{_TEXT_MAX}}}))'
        )
    else:
        optional = "?" if name in ("ended_at", *_RATING_FIELDS) else ""
        value = _value_pattern(name) + optional
    return f'(?P<{name}_q>"?){value}(?P={name}_q)'


class CsvLines:
    """The fast path for one CSV header's columns: ``row(line)`` is the checked row, or None."""

    def __init__(self, columns: Sequence[str]) -> None:
        # A field the file does not have (routine_hash) is an empty group at the end: it reads as "".
        missing = "".join(f"(?P<{name}>)" for name in _PLAIN_ORDER if name not in columns)
        self.pattern = re.compile(",".join(map(_csv_cell, columns)) + r"(?:\r\n?|\n)?" + missing, re.ASCII)
        self._fields = tuple(self.pattern.groupindex[name] for name in _PLAIN_ORDER)

    def row(self, line: str) -> ImportRow | None:
        found = self.pattern.fullmatch(line)
        return None if found is None else plain_row(found.group(*self._fields))


# --- JSON -----------------------------------------------------------------------------------------------


def _json_member(name: str) -> str:
    """``"name": value`` as json.dumps writes it; optional fields may be null."""
    if name in _TEXT_FIELDS:
        least = 1 if name == "routine_id" else 0
        value = f'"(?P<{name}>{_JSON_CHAR}{{{least},{_TEXT_MAX}}})"'
        return f'"{name}": ' + (value if name == "routine_id" else f"(?:{value}|null)")
    if name in ("id", "started_at", "status"):
        return f'"{name}": "{_value_pattern(name)}"'
    if name == "ended_at":
        return f'"{name}": (?:"{_value_pattern(name)}"|null)'
    if name in _NUMBER_FIELDS:
        # JSON's own number grammar: no leading zeros, so "007" is not valid JSON and takes the long way.
        return f'"{name}": (?P<{name}>0|[1-9]\\d{{0,{INT_FIELD_MAX_DIGITS - 1}}})'
    return f'"{name}": (?:(?P<{name}>{_RATING})|null)'


def _json_object(names: Sequence[str]) -> str:
    members = [_json_member(name) for name in names]
    # routine_hash is optional: the CSV columns as JSON (without it) take the fast path too.
    parts = [members[0]]
    for name, member in zip(names[1:], members[1:], strict=True):
        parts.append(f"(?:, {member})?" if name == "routine_hash" else ", " + member)
    return r"\{" + "".join(parts) + r"\}"


class JsonObjects:
    """The fast path for session objects as Massage Guide exports them (fields in RECORD_FIELDS order):
    ``row(text, position)`` is the checked row and where the object ends, or None."""

    def __init__(self) -> None:
        self.pattern = re.compile(_json_object(_PLAIN_ORDER), re.ASCII)
        self._fields = tuple(self.pattern.groupindex[name] for name in _PLAIN_ORDER)

    def row(self, text: str, position: int) -> tuple[ImportRow, int] | None:
        found = self.pattern.match(text, position)
        if found is None:
            return None
        row = plain_row(found.group(*self._fields))
        return None if row is None else (row, found.end())
