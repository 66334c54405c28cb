"""Bedtime: whether the night theme is on by the clock (``night_from``), and when that next changes."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Final

from massage_guide.core.reminders import parse_hhmm

# The night theme started by the clock ends in the morning, when a dim screen no longer helps anyone sleep.
NIGHT_UNTIL: Final = time(6, 0)


def night_active(now: datetime, night_from: str | None) -> bool:
    """True from ``night_from`` (local time) until NIGHT_UNTIL the next morning."""
    start = parse_hhmm(night_from) if night_from else None
    if start is None:
        return False
    clock = now.time().replace(tzinfo=None)
    if start > NIGHT_UNTIL:
        return clock >= start or clock < NIGHT_UNTIL
    return start <= clock < NIGHT_UNTIL


def seconds_to_change(now: datetime, night_from: str | None) -> float | None:
    """Seconds until the night theme next turns on or off; None when ``night_from`` is not set."""
    start = parse_hhmm(night_from) if night_from else None
    if start is None:
        return None
    candidates = []
    for boundary in (start, NIGHT_UNTIL):
        moment = datetime.combine(now.date(), boundary, tzinfo=now.tzinfo)
        if moment <= now:
            moment += timedelta(days=1)
        candidates.append((moment - now).total_seconds())
    return min(candidates)


def effective_theme(theme: str, now: datetime, night_from: str | None) -> str:
    """The theme to show now: the user's, or "night" while the clock says so."""
    return "night" if night_active(now, night_from) else theme
