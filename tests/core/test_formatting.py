"""Numbers, durations, dates and weekday names come out in the reader's language from one module."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone

import pytest

from massage_guide.core import formatting, i18n


@pytest.fixture
def german() -> Iterator[None]:
    """Makes German the active language for one test, then English again."""
    i18n.activate("de_DE")
    yield
    i18n.activate("en")


@pytest.mark.parametrize(
    ("seconds", "english", "german"),
    [
        (180, "3 min", "3 Min."),
        (90, "1:30 min", "1:30 Min."),
        (3900, "1 hr 5 min", "1 Std. 5 Min."),
        (3600, "1 hr", "1 Std."),
        (0, "0 min", "0 Min."),
    ],
)
def test_durations(seconds: int, english: str, german: str) -> None:
    """A routine's length reads naturally in English and German."""
    assert formatting.duration(seconds, "en") == english
    assert formatting.duration(seconds, "de") == german


def test_numbers_and_minutes_follow_the_language() -> None:
    """German uses a decimal comma and a dot for thousands; whole minutes lose their ``.0``."""
    assert formatting.number(1234.5, 1, "en") == "1,234.5"
    assert formatting.number(1234.5, 1, "de") == "1.234,5"
    assert formatting.minutes(12.5, "de") == "12,5 Min."
    assert formatting.minutes(12.0, "en") == "12 min"
    assert formatting.signed(-0.5, 1, "de") == "-0,5"
    assert formatting.signed(1.25, 1, "en") == "+1.2"


def test_clock_is_minutes_and_seconds() -> None:
    """The countdown form is the same in every language."""
    assert formatting.clock(185) == "3:05"
    assert formatting.clock(59.6) == "1:00"


def test_dates_and_weekday_names() -> None:
    """Weekday names run Monday to Sunday; short dates follow the language."""
    assert formatting.weekday_names(language="en") == ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    assert formatting.weekday_names("wide", "de")[0] == "Montag"
    assert formatting.day_month(date(2024, 5, 3), "de") == "3. Mai"
    assert formatting.long_date(date(2024, 5, 3), "de") == "03.05.2024"


def test_active_language_is_the_default(german: None) -> None:
    """Without a language argument the language the process speaks is used; unknown ones read as English."""
    assert formatting.duration(90) == "1:30 Min."
    assert formatting.duration(90, "xx") == "1:30 min"


def test_active_language_is_read_on_every_call() -> None:
    """Switching the active language changes numbers formatted without a language (no stale cache)."""
    i18n.activate("en")
    assert formatting.minutes(7.5) == "7.5 min"
    i18n.activate("de")
    try:
        assert formatting.minutes(7.5) == "7,5 Min."
    finally:
        i18n.activate("en")


def test_long_clock_shows_hours_only_when_there_are_some() -> None:
    """A step list's times: ``m:ss`` under an hour, ``h:mm:ss`` from an hour on."""
    assert [formatting.long_clock(s) for s in (65, 3599, 3725)] == ["1:05", "59:59", "1:02:05"]


@pytest.mark.parametrize(
    ("seconds", "english", "german"),
    [
        (45, "45 sec", "45 Sek."),
        (60, "1 min", "1 Min."),
        (452, "7 min 32 sec", "7 Min. 32 Sek."),
        (3600, "1 hr", "1 Std."),
        (3900, "1 hr 5 min", "1 Std. 5 Min."),
        (0, "0 sec", "0 Sek."),
    ],
)
def test_elapsed_time_reads_as_a_person_says_it(seconds: int, english: str, german: str) -> None:
    """Time spent shows its two largest units and leaves zeros out, in English and German."""
    assert formatting.elapsed(seconds, "en") == english
    assert formatting.elapsed(seconds, "de") == german


def test_time_spent_says_totals_as_a_person_would(german: None) -> None:
    """Totals of practice: "keine Zeit", "unter einer Minute", then whole minutes and hours, in German."""
    assert formatting.time_spent(0) == "keine Zeit"
    assert formatting.time_spent(0.4) == "unter einer Minute"
    assert formatting.time_spent(12.4) == "12 Min."
    assert formatting.time_spent(65) == "1 Std. 5 Min."
    assert formatting.time_spent(65, "en") == "1 hr 5 min"


def test_calendar_dates_follow_the_language() -> None:
    """A day with its weekday and a month label, in English and German."""
    day = date(2024, 5, 12)
    assert formatting.weekday_date(day, "en") == "Sun, May 12, 2024"
    assert formatting.weekday_date(day, "de") == "So., 12. Mai 2024"
    assert formatting.month_abbreviated(day, "en") == "May"
    assert formatting.month_abbreviated(day, "de") == "Mai"


def test_a_recorded_time_is_shown_as_its_clock_read() -> None:
    """A session's start shows the wall-clock time where it happened, whatever the zone of this machine."""
    moment = datetime(2024, 5, 12, 18, 5, tzinfo=timezone(timedelta(hours=-5)))
    assert formatting.date_time(moment, "de") == "12. Mai 2024, 18:05"
    assert formatting.date_time(moment, "en") == "May 12, 2024, 6:05\u202fPM"  # CLDR: a narrow space
