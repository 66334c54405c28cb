"""Session records: their fields and allowed values, the figures read from the store, and the checks an
imported record must pass."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Final

from massage_guide.core.i18n import N_, _

STATUSES: Final = ("in_progress", "completed", "stopped", "interrupted")
FINISH_STATUSES: Final = ("completed", "stopped")
TENSION_MIN: Final = 0
TENSION_MAX: Final = 10
PROMPT_OUTCOMES: Final = ("shown", "started", "snoozed", "skipped", "missed")

# The field names of a record, in the order the command line prints and exports them (issue 5).
RECORD_FIELDS: Final = (
    "id", "routine_id", "routine_title", "routine_hash", "started_at", "ended_at", "status",
    "planned_seconds", "active_seconds", "steps_completed", "steps_total", "tension_before",
    "tension_after", "note",
)  # fmt: skip

# Imported whole numbers are seconds and step counts: nine digits (over 31 years of seconds) is more than
# any real session, and keeps every value far inside SQLite's 64-bit integers.
INT_FIELD_MAX: Final = 999_999_999
INT_FIELD_MAX_DIGITS: Final = 9
# Titles, ids and notes; a note is a few sentences, this is generous and bounds what one row can hold.
TEXT_FIELD_MAX_CHARS: Final = 10_000
TIMESTAMP_MAX_CHARS: Final = 40
# A number longer than this is shown by its first digits and its length, keeping a message on one line
# (and inside what Babel can format: it rounds through decimal's 28 digits, so 26 digits and more fail).
SHOWN_DIGITS_MAX: Final = 20
UUID_MAX_CHARS: Final = 45  # "urn:uuid:" and 36 characters
_CANONICAL_UUID: Final = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")

# The streak rule of history schemas 2 and 3 (kept for their migration steps): a session counted when
# completed, or when at least this much active time was spent in it. Since schema 4 only a completed
# session counts, because "completed" now means at least half the steps were done (issue 15).
STREAK_MIN_ACTIVE_SECONDS: Final = 60


@dataclass(frozen=True)
class SessionRecord:
    """One session on record, with exactly the fields issue 5 lists (the content hash as ``routine_hash``)."""

    id: str
    routine_id: str
    routine_title: str
    routine_hash: str
    started_at: str
    ended_at: str | None
    status: str
    planned_seconds: int
    active_seconds: int
    steps_completed: int
    steps_total: int
    tension_before: int | None = None
    tension_after: int | None = None
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in RECORD_FIELDS}

    @property
    def local_day(self) -> date:
        """The calendar day where and when the session started, in the offset it was recorded with."""
        return datetime.fromisoformat(self.started_at).date()


@dataclass(frozen=True)
class DayTotal:
    """What happened on one local calendar day."""

    day: date
    seconds: int
    sessions: int
    counts_for_streak: bool


@dataclass(frozen=True)
class RoutineTotal:
    """Active time and sessions for one routine over a range of days."""

    routine_id: str
    routine_title: str
    seconds: int
    sessions: int


@dataclass(frozen=True)
class TensionPair:
    """Tension rated before and after one session, for the trend chart."""

    started_at: str
    before: int
    after: int


@dataclass(frozen=True)
class ImportResult:
    """What an import did: rows added, rows already on record, and one message per bad row."""

    added: int
    already: int
    problems: tuple[tuple[int, str], ...] = field(default=())

    @property
    def skipped(self) -> int:
        return self.already + len(self.problems)


def local_now() -> datetime:
    """Now, in the computer's local time zone with its UTC offset, to the second."""
    return datetime.now().astimezone().replace(microsecond=0)


def parse_timestamp(text: str, name: str = "time") -> datetime:
    """An ISO 8601 timestamp that must carry a UTC offset; raises ValueError saying what is wrong."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(_(_NOT_A_TIME).format(name=name, value=repr(text))) from None
    if value.utcoffset() is None:
        message = _("{name} {value} has no UTC offset (write it like 2024-05-01T18:30:00+02:00)")
        raise ValueError(message.format(name=name, value=repr(text)))
    return value


# Messages said in two places each.
_NOT_A_TIME: Final = N_("{name} {value} is not a date and time like 2024-05-01T18:30:00+02:00")
_TOO_LARGE: Final = N_("{name} is too large ({value}); the most is {most}")


def _number(value: int) -> str:
    """``1,234`` in English, ``1.234`` in German (Babel loads only here: only a problem shows a number)."""
    from massage_guide.core import formatting

    return formatting.number(value)


class HugeNumber:
    """A number in an imported file with more digits than any field takes (kept as text, never converted)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return _("{start}… ({count} digits)").format(start=self.text[:12], count=_number(len(self.text)))


def bounded_int(text: str) -> int | HugeNumber:
    """JSON's parse_int: converting thousands of digits is slow (and refused past 4,300), so long ones wait."""
    return int(text) if len(text) <= INT_FIELD_MAX_DIGITS + 1 else HugeNumber(text)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "…"


def _int_field(raw: Mapping[str, Any], name: str, *, optional: bool = False) -> int | None:
    value = raw.get(name)
    # The common cases first (an import checks every row of a long file); the checks below explain the rest.
    if type(value) is int and 0 <= value <= INT_FIELD_MAX:
        return value
    if type(value) is str and 0 < len(value) <= INT_FIELD_MAX_DIGITS and value.isdigit() and value.isascii():
        return int(value)
    if value is None or value == "":
        if optional:
            return None
        raise ValueError(_("{name} is missing").format(name=name))
    if isinstance(value, HugeNumber):
        raise ValueError(_(_TOO_LARGE).format(name=name, value=repr(value), most=_number(INT_FIELD_MAX)))
    if isinstance(value, str):
        # ASCII digits only: int() would also take "٣", " 5", "1_000" and "+5".
        if value.startswith("-") and value[1:].isascii() and value[1:].isdigit():
            raise ValueError(_("{name} cannot be negative ({value})").format(name=name, value=_short(value)))
        if not (value.isascii() and value.isdigit()):
            raise ValueError(
                _("{name} must be a whole number written with the digits 0-9, not {value}").format(
                    name=name, value=_short(value)
                )
            )
        if len(value) > INT_FIELD_MAX_DIGITS:
            message = _("{name} is too large ({count} digits); the most is {most}")
            raise ValueError(
                message.format(name=name, count=_number(len(value)), most=_number(INT_FIELD_MAX))
            )
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(
            _("{name} must be a whole number, not {value}").format(name=name, value=_short(value))
        )
    if value < 0:
        raise ValueError(_("{name} cannot be negative ({value})").format(name=name, value=value))
    if value > INT_FIELD_MAX:
        digits = str(value)
        shown = _number(value) if len(digits) <= SHOWN_DIGITS_MAX else repr(HugeNumber(digits))
        raise ValueError(_(_TOO_LARGE).format(name=name, value=shown, most=_number(INT_FIELD_MAX)))
    return value


def _text_field(raw: Mapping[str, Any], name: str, *, required: bool) -> str | None:
    value = raw.get(name)
    if (
        type(value) is str
        and value.isascii()
        and 0 < len(value) <= TEXT_FIELD_MAX_CHARS
        and "\x00" not in value
    ):
        return value  # plain ASCII text: nothing below can fail
    if value is None or value == "":
        if required:
            raise ValueError(_("{name} is missing").format(name=name))
        return None
    if not isinstance(value, str):
        raise ValueError(_("{name} must be text, not {value}").format(name=name, value=_short(value)))
    if len(value) > TEXT_FIELD_MAX_CHARS:
        message = _("{name} is {count} characters long; the most is {most}")
        raise ValueError(
            message.format(name=name, count=_number(len(value)), most=_number(TEXT_FIELD_MAX_CHARS))
        )
    if "\x00" in value:
        raise ValueError(_("{name} contains a NUL character; remove it").format(name=name))
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(
            _(
                "{name} has characters that are not UTF-8 text (bytes in another encoding, or a lone "
                "surrogate); save the file as UTF-8 or remove them"
            ).format(name=name)
        ) from None
    return value


def _timestamp_field(raw: Mapping[str, Any], name: str, *, required: bool) -> datetime | None:
    text = _text_field(raw, name, required=required)
    if text is None:
        return None
    if len(text) > TIMESTAMP_MAX_CHARS or not text.isascii():
        raise ValueError(_(_NOT_A_TIME).format(name=name, value=_short(text)))
    return parse_timestamp(text, name)


def validate_record(raw: Mapping[str, Any]) -> SessionRecord:
    """Turn one imported row into a record, or raise ValueError saying what is wrong with it.

    An imported ``in_progress`` row becomes ``interrupted``: nothing on this computer is running it."""
    raw_id = raw.get("id")
    try:
        if isinstance(raw_id, str) and _CANONICAL_UUID.fullmatch(raw_id):
            session_id = raw_id  # already as str(uuid.UUID(...)) writes it
        elif not isinstance(raw_id, str) or len(raw_id) > UUID_MAX_CHARS or not raw_id.isascii():
            raise ValueError
        else:
            session_id = str(uuid.UUID(raw_id))
    except ValueError:
        raise ValueError(_("id {value} is not a UUID").format(value=_short(raw_id))) from None
    routine_id = _text_field(raw, "routine_id", required=True)
    title = _text_field(raw, "routine_title", required=False) or ""
    routine_hash = _text_field(raw, "routine_hash", required=False) or ""
    started = _timestamp_field(raw, "started_at", required=True)
    assert started is not None and routine_id is not None
    ended = _timestamp_field(raw, "ended_at", required=False)
    if ended is not None and ended < started:
        message = _("ended_at {ended} is before started_at {started}")
        raise ValueError(message.format(ended=ended.isoformat(), started=started.isoformat()))
    status = raw.get("status")
    if not isinstance(status, str) or status not in STATUSES:
        message = _("status {value} is not one of {choices}")
        raise ValueError(message.format(value=_short(status), choices=", ".join(STATUSES)))
    if status == "in_progress":
        status = "interrupted"
    planned = _int_field(raw, "planned_seconds")
    active = _int_field(raw, "active_seconds")
    done = _int_field(raw, "steps_completed")
    total = _int_field(raw, "steps_total")
    assert planned is not None and active is not None and done is not None and total is not None
    if done > total:
        message = _("steps_completed ({done}) is more than steps_total ({total})")
        raise ValueError(message.format(done=done, total=total))
    tensions: list[int | None] = []
    for name in ("tension_before", "tension_after"):
        value = _int_field(raw, name, optional=True)
        if value is not None and value > TENSION_MAX:
            message = _("{name} is rated {low} to {high}, not {value}")
            raise ValueError(message.format(name=name, low=TENSION_MIN, high=TENSION_MAX, value=value))
        tensions.append(value)
    return SessionRecord(
        id=session_id,
        routine_id=routine_id,
        routine_title=title,
        routine_hash=routine_hash,
        started_at=started.isoformat(),
        ended_at=None if ended is None else ended.isoformat(),
        status=str(status),
        planned_seconds=planned,
        active_seconds=active,
        steps_completed=done,
        steps_total=total,
        tension_before=tensions[0],
        tension_after=tensions[1],
        note=_text_field(raw, "note", required=False),
    )


# --- import rows --------------------------------------------------------------------------------------

# A row ready for the sessions table, in this column order (started_utc, local_day and updated_at derived).
IMPORT_COLUMNS: Final = (
    "id", "routine_id", "routine_title", "routine_hash", "started_at", "started_utc", "local_day",
    "ended_at", "updated_at", "status", "planned_seconds", "active_seconds", "steps_completed",
    "steps_total", "tension_before", "tension_after", "note",
)  # fmt: skip
ImportRow = tuple[Any, ...]


class HandedOver:
    """In the rows a reader gives: the rows a helper process checked go in here (history_helper)."""


HANDED_OVER: Final = HandedOver()
# A row as an import file gives it: already checked (a plain line), fields to check, or a problem.
ReadRow = ImportRow | Mapping[str, Any] | str | HandedOver

_IMPORTED_STATUS: Final = {status: status for status in STATUSES} | {"in_progress": "interrupted"}


def record_row(record: SessionRecord) -> ImportRow:
    """A checked record as a row for the sessions table, in IMPORT_COLUMNS order."""
    started = datetime.fromisoformat(record.started_at)
    return (
        record.id, record.routine_id, record.routine_title, record.routine_hash, record.started_at,
        started.timestamp(), started.date().isoformat(), record.ended_at,
        record.ended_at or record.started_at, record.status, record.planned_seconds,
        record.active_seconds, record.steps_completed, record.steps_total, record.tension_before,
        record.tension_after, record.note,
    )  # fmt: skip


def import_row(raw: Mapping[str, Any]) -> ImportRow:
    """``record_row(validate_record(raw))``, several times faster for the rows real exports hold.

    An import checks every row of files with a million of them: the plain row (canonical UUID and
    timestamps, digits, short text) is checked here in one pass; anything else goes the long way, which
    gives the same row or the message saying what is wrong. A test compares the two on generated rows."""
    row = _plain_row(raw)
    return record_row(validate_record(raw)) if row is None else row


# A plain record's fields (RECORD_FIELDS order) joined by a separator no plain field contains, checked by
# one pattern: canonical UUID, timestamps exactly as datetime.isoformat() writes them to the second (so
# parsing gives the same text back; "-00:00", written back as "+00:00", takes the long way), a known
# status, ASCII digits, short text without NUL or lone surrogates, ratings 0-10.
_SEPARATOR: Final = "\x1f"
_TEXT_CHARS: Final = r"[^\x00\x1f\ud800-\udfff]"
_STAMP: Final = r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d)"
_NUMBER: Final = rf"(\d{{1,{INT_FIELD_MAX_DIGITS}}})"
_RATING: Final = r"(10|\d)?"
_PLAIN_ROW: Final = re.compile(
    _SEPARATOR.join(
        (
            f"({_CANONICAL_UUID.pattern})",
            f"({_TEXT_CHARS}{{1,{TEXT_FIELD_MAX_CHARS}}})",  # routine_id: required
            *[f"({_TEXT_CHARS}{{0,{TEXT_FIELD_MAX_CHARS}}})"] * 2,  # routine_title, routine_hash
            _STAMP,
            _STAMP + "?",
            f"({'|'.join(STATUSES)})",
            *[_NUMBER] * 4,
            *[_RATING] * 2,
            f"({_TEXT_CHARS}{{0,{TEXT_FIELD_MAX_CHARS}}})",  # note
        )
    ),
    re.ASCII,
)
# Where RECORD_FIELDS has whole numbers (JSON gives them as numbers, which the pattern reads as digits).
_NUMBER_FIELDS: Final = tuple(
    index
    for index, name in enumerate(RECORD_FIELDS)
    if name.endswith(("_seconds", "_completed", "_total")) or name.startswith("tension_")
)


_NONE_GIVEN: Final = ("",) * len(RECORD_FIELDS)  # a field left out is empty (CSV has no routine_hash)


def _joined(raw: Mapping[str, Any]) -> str | None:
    """The fields joined for _PLAIN_ROW (none as empty), or None when a value is of a kind it cannot take."""
    values = tuple(map(raw.get, RECORD_FIELDS, _NONE_GIVEN))
    if type(values[_NUMBER_FIELDS[0]]) is str:  # a CSV row: text throughout
        try:
            return _SEPARATOR.join(values)
        except TypeError:
            return None
    # A JSON row: numbers where numbers go become digits (a negative one then fails the pattern and takes
    # the long way), null becomes empty; anything else not text (a number as a title, true, a list) is
    # left as it is, so the join fails and the long way says what is wrong.
    parts = list(values)
    for index in _NUMBER_FIELDS:
        if type(parts[index]) is int:
            parts[index] = str(parts[index])
    try:
        return _SEPARATOR.join(["" if value is None else value for value in parts])
    except TypeError:
        return None


def _plain_row(raw: Mapping[str, Any]) -> ImportRow | None:
    """The row for a plain record, or None when validate_record must look at it."""
    joined = _joined(raw)
    found = None if joined is None else _PLAIN_ROW.fullmatch(joined)
    return None if found is None else plain_row(found.groups())


def plain_row(values: Sequence[Any]) -> ImportRow | None:
    """The sessions-table row for a record's values (RECORD_FIELDS order; text, or None for an empty
    optional field) that a plain-row pattern has matched, or None when a check beyond the pattern fails
    (more steps done than there are, an end before the start, a day or offset out of range)."""
    (session_id, routine_id, title, routine_hash, started, ended, status, planned, active, done, total,
     before, after, note) = values  # fmt: skip
    if int(done) > int(total) or started.endswith("-00:00") or (ended and ended.endswith("-00:00")):
        return None
    try:
        start = datetime.fromisoformat(started)
        if ended and datetime.fromisoformat(ended) < start:
            return None
    except ValueError:  # a day or an offset out of range: the long way names it
        return None
    return (
        session_id, routine_id, title or "", routine_hash or "", started, start.timestamp(), started[:10],
        ended, ended or started, _IMPORTED_STATUS[status], int(planned), int(active), int(done), int(total),
        None if before is None else int(before), None if after is None else int(after), note or None,
    )  # fmt: skip
