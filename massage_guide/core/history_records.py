"""Session records: their fields and allowed values, the figures read from the store, and the checks an
imported record must pass."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Final

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

# A session counts toward a streak when completed, or when at least this much active time was spent
# in it (someone who stopped after five honest minutes did practise that day).
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
        raise ValueError(f"{name} {text!r} is not a date and time like 2024-05-01T18:30:00+02:00") from None
    if value.utcoffset() is None:
        raise ValueError(f"{name} {text!r} has no UTC offset (write it like 2024-05-01T18:30:00+02:00)")
    return value


def _int_field(raw: Mapping[str, Any], name: str, *, optional: bool = False) -> int | None:
    value = raw.get(name)
    if value is None or value == "":
        if optional:
            return None
        raise ValueError(f"{name} is missing")
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError(f"{name} must be a whole number, not {value!r}")
    try:
        number = int(value)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, not {value!r}") from None
    if number < 0:
        raise ValueError(f"{name} cannot be negative ({number})")
    return number


def _text_field(raw: Mapping[str, Any], name: str, *, required: bool) -> str | None:
    value = raw.get(name)
    if value is None or value == "":
        if required:
            raise ValueError(f"{name} is missing")
        return None
    if not isinstance(value, str):
        raise ValueError(f"{name} must be text, not {value!r}")
    return value


def validate_record(raw: Mapping[str, Any]) -> SessionRecord:
    """Turn one imported row into a record, or raise ValueError saying what is wrong with it.

    An imported ``in_progress`` row becomes ``interrupted``: nothing on this computer is running it."""
    try:
        session_id = str(uuid.UUID(str(raw.get("id") or "")))
    except ValueError:
        raise ValueError(f"id {raw.get('id')!r} is not a UUID") from None
    routine_id = _text_field(raw, "routine_id", required=True)
    title = _text_field(raw, "routine_title", required=False) or ""
    routine_hash = _text_field(raw, "routine_hash", required=False) or ""
    started_text = _text_field(raw, "started_at", required=True)
    assert started_text is not None and routine_id is not None
    started = parse_timestamp(started_text, "started_at")
    ended_text = _text_field(raw, "ended_at", required=False)
    ended: datetime | None = None
    if ended_text is not None:
        ended = parse_timestamp(ended_text, "ended_at")
        if ended < started:
            raise ValueError(f"ended_at {ended_text} is before started_at {started_text}")
    status = raw.get("status")
    if status not in STATUSES:
        raise ValueError(f"status {status!r} is not one of {', '.join(STATUSES)}")
    if status == "in_progress":
        status = "interrupted"
    planned = _int_field(raw, "planned_seconds")
    active = _int_field(raw, "active_seconds")
    done = _int_field(raw, "steps_completed")
    total = _int_field(raw, "steps_total")
    assert planned is not None and active is not None and done is not None and total is not None
    if done > total:
        raise ValueError(f"steps_completed ({done}) is more than steps_total ({total})")
    tensions: list[int | None] = []
    for name in ("tension_before", "tension_after"):
        value = _int_field(raw, name, optional=True)
        if value is not None and value > TENSION_MAX:
            raise ValueError(f"{name} is rated {TENSION_MIN} to {TENSION_MAX}, not {value}")
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
