"""The regular expression for a step's duration written as text, generated from the loader's own rules, so
the published JSON Schema accepts exactly the durations the loader accepts (range included)."""

from __future__ import annotations

from typing import Final

# After an hour or a minute count, the next count goes up to 59 (1m30s, not 1m90s): the loader's rule.
UNIT_MAX: Final = 59


def number_range(low: int, high: int) -> str:
    """A regex for the decimal numbers low..high, leading zeros allowed (the loader reads "05s" as 5)."""
    if low > high:
        raise ValueError(f"empty range {low}..{high}")
    pieces: list[str] = []
    for digits in range(len(str(low)), len(str(high)) + 1):
        first = max(low, 10 ** (digits - 1) if digits > 1 else 0)
        last = min(high, 10**digits - 1)
        if first <= last:
            pieces.extend(_same_length(str(first), str(last)))
    if pieces == ["0"]:
        return "0+"
    zero = "0+|" if low == 0 else ""
    body = "|".join(piece for piece in pieces if piece != "0")
    return f"(?:{zero}0*(?:{body}))"


def _same_length(low: str, high: str) -> list[str]:
    """Patterns for the numbers low..high that have the same number of digits."""
    if low == high:
        return [low]
    if len(low) == 1:
        return [f"[{low}-{high}]"]
    if low[0] == high[0]:
        return [low[0] + piece for piece in _same_length(low[1:], high[1:])]
    rest = len(low) - 1
    pieces: list[str] = []
    start, end = int(low[0]), int(high[0])
    if low[1:] != "0" * rest:
        pieces += [low[0] + piece for piece in _same_length(low[1:], "9" * rest)]
        start += 1
    tail: list[str] = []
    if high[1:] != "9" * rest:
        tail = [high[0] + piece for piece in _same_length("0" * rest, high[1:])]
        end -= 1
    if start <= end:
        pieces.append(f"[{start}-{end}]" + "[0-9]" * rest)
    return pieces + tail


def duration_text_pattern(low: int, high: int) -> str:
    """An anchored regex for every text the loader reads as a duration from ``low`` to ``high`` seconds:
    a plain number (``90``), or ``h``/``m``/``s`` parts in that order (``1m30s``, ``45s``, ``0h5m``)."""
    options = [number_range(low, high), number_range(low, high) + "s"]
    for hours in [None, *range(high // 3600 + 1)]:
        hour_text = "" if hours is None else number_range(hours, hours) + "h"
        minute_cap = UNIT_MAX if hours is not None else high // 60
        minute_options: list[int | None] = [None, *range(minute_cap + 1)]
        # Group minute counts that allow the same seconds, so the pattern stays short.
        groups: dict[tuple[int, int] | None, list[int | None]] = {}
        for minutes in minute_options:
            if hours is None and minutes is None:
                continue  # a plain "45s" is covered above
            base = 3600 * (hours or 0) + 60 * (minutes or 0)
            if base > high:
                continue
            if low <= base:
                groups.setdefault(None, []).append(minutes)  # no seconds part
            first, last = max(0, low - base), min(UNIT_MAX, high - base)
            if first <= last:
                groups.setdefault((first, last), []).append(minutes)
        for seconds, minute_list in groups.items():
            second_text = "" if seconds is None else number_range(*seconds) + "s"
            with_minutes = sorted(m for m in minute_list if m is not None)
            for start, end in _runs(with_minutes):
                options.append(hour_text + number_range(start, end) + "m" + second_text)
            if None in minute_list and (hour_text or second_text) and hours is not None:
                options.append(hour_text + second_text)
    return "^(?:" + "|".join(dict.fromkeys(options)) + ")$"


def _runs(values: list[int]) -> list[tuple[int, int]]:
    """Consecutive runs in sorted ``values``: [1, 2, 3, 7] gives [(1, 3), (7, 7)]."""
    runs: list[tuple[int, int]] = []
    for value in values:
        if runs and runs[-1][1] == value - 1:
            runs[-1] = (runs[-1][0], value)
        else:
            runs.append((value, value))
    return runs
