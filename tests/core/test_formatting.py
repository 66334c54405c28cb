"""Numbers, durations, dates and weekday names come out in the reader's language from one module."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone

import pytest

from massage_guide.core import formatting, i18n
from tests.conftest import REPO_ROOT


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


# Whole numbers and lengths of time in the languages the app ships come from a small table in formatting.py,
# not from Babel's locale data (issue 16: a session's memory); Babel stays the source of truth.
COMMON_VALUES = [
    0,
    1,
    2,
    7,
    59,
    60,
    61,
    99,
    100,
    999,
    1000,
    1001,
    12345,
    999999,
    1234567,
    -1,
    -2,
    -1000,
    -54321,
]


@pytest.mark.parametrize("language", sorted(formatting._COMMON))
def test_the_common_languages_format_as_babel_does(language: str) -> None:
    """Every language formatted without Babel gives Babel's own text for whole numbers and units of time."""
    from babel.units import format_unit

    common = formatting._COMMON[language]
    locale = formatting.babel_locale(language)
    for value in COMMON_VALUES:
        for decimals in (None, 0, 1, 2):
            assert common.number(value, decimals) == formatting._babel_number(value, decimals, language)
        for unit in ("duration-hour", "duration-minute", "duration-second"):
            assert common.unit(value, unit) == format_unit(value, unit, length="short", locale=locale)
    for text in ("1:30", "12,5", "7.5"):
        assert common.unit(text, "duration-minute") == format_unit(
            text, "duration-minute", length="short", locale=locale
        )


@pytest.mark.parametrize("language", ["en", "en_GB", "de", "de-AT", "xx"])
def test_lengths_of_time_match_babel_through_the_public_functions(language: str) -> None:
    """duration, elapsed and minutes say the same as when every piece comes from Babel."""
    babel = formatting._unit_formatter(language, babel=True)
    for seconds in (0, 1, 45, 60, 90, 452, 3599, 3600, 3660, 3900, 7265, 86399):
        assert formatting.elapsed(seconds, language) == formatting._elapsed(seconds, babel)
        hours, rest = divmod(seconds, formatting.SECONDS_PER_HOUR)
        whole, secs = divmod(rest, formatting.SECONDS_PER_MINUTE)
        minute_value: str | int = f"{whole}:{secs:02d}" if secs else whole
        expected = babel(minute_value, "duration-minute")
        if hours:
            hour_text = babel(hours, "duration-hour")
            expected = f"{hour_text} {babel(whole, 'duration-minute')}" if whole else hour_text
        assert formatting.duration(seconds, language) == expected
    for value in (0.0, 1.0, 2.5, 12.04, 1234.56):
        rounded = round(value, 1)
        shown = formatting._babel_number(rounded, 0 if rounded == int(rounded) else 1, language)
        assert formatting.minutes(value, language) == babel(shown, "duration-minute")


def test_a_session_s_lines_leave_babel_unloaded() -> None:
    """A routine's length, a step count and the time a session took, in English and German, load no Babel
    (its locale data would stay in memory for the whole session); a date still does."""
    code = (
        "import sys\n"
        "from massage_guide.core import formatting, i18n\n"
        "for language in ('en', 'de'):\n"
        "    i18n.activate(language)\n"
        "    formatting.duration(90); formatting.number(1234); formatting.elapsed(452.4)\n"
        "    formatting.time_spent(65); formatting.number(3, 1)\n"
        "print(any(name.startswith('babel') for name in sys.modules))\n"
        "import datetime\n"
        "formatting.day_month(datetime.date(2024, 5, 3))\n"
        "print(any(name.startswith('babel') for name in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO_ROOT, check=True
    )
    assert result.stdout.split() == ["False", "True"]
