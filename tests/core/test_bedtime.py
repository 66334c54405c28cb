"""The night theme by the clock: on from night_from, off in the morning, off when unset."""

from __future__ import annotations

from datetime import datetime

import pytest

from massage_guide.core.bedtime import effective_theme, night_active, seconds_to_change


@pytest.mark.parametrize(
    ("hour", "minute", "night"),
    [
        (21, 29, False),
        (21, 30, True),
        (23, 59, True),
        (2, 0, True),
        (5, 59, True),
        (6, 0, False),
        (12, 0, False),
    ],
)
def test_night_from_half_past_nine(hour: int, minute: int, night: bool) -> None:
    """night_from: "21:30" is night from 21:30 until 06:00."""
    assert night_active(datetime(2026, 3, 2, hour, minute), "21:30") is night


def test_unset_never_switches_and_early_start_works() -> None:
    """No night_from, no switch; a start after midnight is night until the morning."""
    assert not night_active(datetime(2026, 3, 2, 23, 0), None)
    assert effective_theme("light", datetime(2026, 3, 2, 23, 0), None) == "light"
    assert effective_theme("light", datetime(2026, 3, 2, 23, 0), "21:30") == "night"
    assert night_active(datetime(2026, 3, 2, 1, 0), "00:30")
    assert not night_active(datetime(2026, 3, 2, 0, 10), "00:30")


def test_seconds_to_the_next_change() -> None:
    """The app re-arms its timer for the next switch, on or off."""
    assert seconds_to_change(datetime(2026, 3, 2, 21, 0), "21:30") == 30 * 60
    assert seconds_to_change(datetime(2026, 3, 2, 22, 0), "21:30") == 8 * 3600
    assert seconds_to_change(datetime(2026, 3, 2, 22, 0), None) is None
