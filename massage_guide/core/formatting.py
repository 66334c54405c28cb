"""Numbers, durations, dates and weekday names in the user's language, from Babel's locale data (Qt-free).

Plural sentences come from ``i18n.ngettext`` with the count formatted here; everything else a person reads
as a number or a time goes through this one module.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

from massage_guide.core import i18n

if TYPE_CHECKING:
    from collections.abc import Callable

    from babel import Locale

# Babel is imported inside the functions: it costs ~25 ms, and most commands (``--version``, ``list --json``,
# ``--help``) show no number or date at all.

SECONDS_PER_MINUTE = 60
SECONDS_PER_HOUR = 60 * 60
# Babel's weekday tables key Monday as 0 and Sunday as 6, like ``date.weekday()``.
_WEEK = range(7)


@dataclass(frozen=True)
class _Common:
    """The few pieces of a language's CLDR data that whole numbers and lengths of time need, copied from
    Babel: its thousands and decimal signs, its minus, and its short hour, minute and second units in the
    singular ("one") and the plural ("other")."""

    group: str
    decimal: str
    minus: str
    units: dict[str, tuple[str, str]]

    def number(self, value: int, decimals: int | None) -> str:
        # Python's "," groups in threes from 1,000 on, as every language in _COMMON does.
        digits = f"{abs(value):,}".replace(",", self.group)
        fraction = self.decimal + "0" * decimals if decimals else ""
        return f"{self.minus if value < 0 else ''}{digits}{fraction}"

    def unit(self, value: int | str, unit: str) -> str:
        """As Babel's ``format_unit(value, unit, length="short")``: a text value is taken as preformatted and
        singular; a whole number is singular at 1 (the rule of English and German for whole numbers)."""
        one, other = self.units[unit]
        if isinstance(value, str):
            return one.format(value)
        return (one if abs(value) == 1 else other).format(self.number(value, None))


_ENGLISH = _Common(
    ",",
    ".",
    "-",
    {
        "duration-hour": ("{0} hr", "{0} hr"),
        "duration-minute": ("{0} min", "{0} min"),
        "duration-second": ("{0} sec", "{0} sec"),
    },
)
_BRITISH = _Common(
    ",",
    ".",
    "-",
    {
        "duration-hour": ("{0} hr", "{0} hrs"),
        "duration-minute": ("{0} min", "{0} mins"),
        "duration-second": ("{0} sec", "{0} secs"),
    },
)
_GERMAN = _Common(
    ".",
    ",",
    "-",
    {
        "duration-hour": ("{0} Std.", "{0} Std."),
        "duration-minute": ("{0} Min.", "{0} Min."),
        "duration-second": ("{0} Sek.", "{0} Sek."),
    },
)
# Loading a language's CLDR data into Babel costs ~6.8 MiB that stays for the life of the process, and the
# lines every session shows (a routine's length, a step count, the time a session took) need only the pieces
# above. For these languages whole numbers and lengths of time are formatted from them; everything else
# (fractions, dates, other languages) goes to Babel, which stays the source of truth: a test holds each entry
# to Babel's own output, so a CLDR update that changes one fails there, not on screen. ``xx`` (the
# pseudo-locale) is English, as Babel reads it.
_COMMON: dict[str, _Common] = {
    "en": _ENGLISH,
    "en_US": _ENGLISH,
    "xx": _ENGLISH,
    "en_GB": _BRITISH,
    "de": _GERMAN,
    "de_DE": _GERMAN,
    "de_AT": _GERMAN,
}


def _common(language: str | None) -> _Common | None:
    """The small table for ``language`` (the active one when None), or None when Babel must answer."""
    return _COMMON.get((language or i18n.active_language()).replace("-", "_"))


def babel_locale(language: str | None = None) -> Locale:
    """Babel's locale for ``language`` (the active one when None); English when Babel does not know it
    (the pseudo-locale ``xx`` included)."""
    # The active language is looked up on every call: caching on None would keep the first one forever.
    return _babel_locale((language or i18n.active_language()).replace("-", "_"))


@lru_cache(maxsize=16)
def _babel_locale(code: str) -> Locale:
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


def number(value: float, decimals: int | None = None, language: str | None = None) -> str:
    """``1,234.5`` in English, ``1.234,5`` in German; ``decimals`` fixes the digits after the point."""
    common = _common(language)
    if common is not None and type(value) is int:
        return common.number(value, decimals)
    return _babel_number(value, decimals, language)


def _babel_number(value: float, decimals: int | None, language: str | None) -> str:
    from babel.numbers import format_decimal

    pattern = None if decimals is None else "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=babel_locale(language))


def signed(value: float, decimals: int = 1, language: str | None = None) -> str:
    """A change with its sign: ``+1.5``, ``-0.5`` (``+1,5`` in German)."""
    text = number(abs(value), decimals, language)
    return f"-{text}" if value < 0 else f"+{text}"


def clock(seconds: float) -> str:
    """``3:05`` for 185 seconds (whole seconds, rounded): the countdown's form, the same in every language."""
    minutes, secs = divmod(round(seconds), SECONDS_PER_MINUTE)
    return f"{minutes}:{secs:02d}"


def duration(seconds: float, language: str | None = None) -> str:
    """A routine's length: ``3 min``, ``1:30 min``, ``1 hr 5 min`` (German ``3 Min.``, ``1 Std. 5 Min.``)."""
    return _duration(round(seconds), language or i18n.active_language())


# A big library repeats the same few lengths; Babel takes ~17 µs a call, a cache hit well under 1 µs.
@lru_cache(maxsize=4096)
def _duration(whole: int, language: str) -> str:
    unit = _unit_formatter(language)
    hours, rest = divmod(whole, SECONDS_PER_HOUR)
    minutes, secs = divmod(rest, SECONDS_PER_MINUTE)
    if not hours:
        value: str | int = f"{minutes}:{secs:02d}" if secs else minutes
        return unit(value, "duration-minute")
    hour_text = unit(hours, "duration-hour")
    if not minutes:
        return hour_text
    return f"{hour_text} {unit(minutes, 'duration-minute')}"


def _unit_formatter(language: str | None, *, babel: bool = False) -> Callable[[int | str, str], str]:
    """``(value, unit) -> text`` in the short length: from the small table when it has the language (and
    ``babel`` is not asked for), else Babel's ``format_unit``."""
    common = None if babel else _common(language)
    if common is not None:
        return common.unit
    from babel.units import format_unit

    locale = babel_locale(language)
    return lambda value, unit: format_unit(value, unit, length="short", locale=locale)


def minutes(value: float, language: str | None = None) -> str:
    """A number of minutes as totals show it: ``12.5 min`` (``12,5 Min.``), at most one decimal."""
    rounded = round(value, 1)
    shown = number(rounded, 0 if rounded == int(rounded) else 1, language)
    return _unit_formatter(language)(shown, "duration-minute")


def day_month(day: date, language: str | None = None) -> str:
    """``3 May`` style (``May 3`` in US English, ``3. Mai`` in German)."""
    return _by_skeleton("dMMM", day, language)


def long_date(day: date, language: str | None = None) -> str:
    """``May 3, 2024`` or ``03.05.2024``: the locale's medium date."""
    from babel.dates import format_date

    return format_date(day, format="medium", locale=babel_locale(language))


DayWidth = Literal["abbreviated", "narrow", "short", "wide"]


def weekday_names(width: DayWidth = "abbreviated", language: str | None = None) -> tuple[str, ...]:
    """Monday to Sunday: ``abbreviated`` (Mon, Mo.), ``short`` (Mo, Mo.), ``narrow`` (M) or ``wide``."""
    from babel.dates import get_day_names

    names = get_day_names(width, context="format", locale=babel_locale(language))
    return tuple(str(names[day]) for day in _WEEK)


def language_name(code: str) -> str:
    """A language's name in that language, as a language menu shows it: ``English``, ``Deutsch``."""
    locale = babel_locale(code)
    name = locale.get_display_name(locale) or code
    return name[:1].upper() + name[1:]


def long_clock(seconds: float) -> str:
    """``3:05``, or ``1:02:05`` from an hour on: a step's start time or length in a list of steps."""
    hours, rest = divmod(round(seconds), SECONDS_PER_HOUR)
    if not hours:
        return clock(rest)
    minutes, secs = divmod(rest, SECONDS_PER_MINUTE)
    return f"{hours}:{minutes:02d}:{secs:02d}"


def elapsed(seconds: float, language: str | None = None) -> str:
    """Time spent, as a person says it: ``45 sec``, ``7 min 32 sec``, ``1 hr 5 min`` (German ``45 Sek.``,
    ``7 Min. 32 Sek.``, ``1 Std. 5 Min.``); the two largest units, zeros left out."""
    return _elapsed(seconds, _unit_formatter(language))


def _elapsed(seconds: float, unit: Callable[[int | str, str], str]) -> str:
    hours, rest = divmod(round(seconds), SECONDS_PER_HOUR)
    minutes, secs = divmod(rest, SECONDS_PER_MINUTE)
    parts = (
        ((hours, "duration-hour"), (minutes, "duration-minute"))
        if hours
        else ((minutes, "duration-minute"), (secs, "duration-second"))
    )
    shown = [unit(value, name) for value, name in parts if value]
    return " ".join(shown) or unit(0, "duration-second")


def time_of_day(moment: datetime, language: str | None = None) -> str:
    """``09:00``, ``17:30``: a clock time on the 24-hour dial, as the ``work_hours`` setting writes it."""
    from babel.dates import format_skeleton

    return format_skeleton("Hm", moment, locale=babel_locale(language))


def time_spent(minutes: float, language: str | None = None) -> str:
    """Minutes a person spent, as totals say them: ``no time``, ``under a minute``, ``12 min``, ``1 hr 5 min``
    (whole minutes: a total of practice needs no seconds)."""
    if minutes <= 0:
        return i18n._("no time")
    if minutes < 1:
        return i18n._("under a minute")
    return duration(round(minutes) * SECONDS_PER_MINUTE, language)


def weekday_date(day: date, language: str | None = None) -> str:
    """A day with its weekday: ``Sun, May 12, 2024`` (``So., 12. Mai 2024`` in German)."""
    return _by_skeleton("yMMMEd", day, language)


def month_abbreviated(day: date, language: str | None = None) -> str:
    """The month of ``day`` as a calendar labels it: ``May``, ``Mai``."""
    return _by_skeleton("MMM", day, language)


def date_time(moment: datetime, language: str | None = None) -> str:
    """A date and a time of day as recorded (no conversion between zones): ``May 12, 2024, 6:05 PM``,
    ``12. Mai 2024, 18:05``."""
    from babel.dates import format_datetime

    code = language or i18n.active_language()
    wall = moment.replace(tzinfo=None)  # the clock as it read where the session took place
    return format_datetime(wall, _date_time_pattern(code), locale=babel_locale(code))


@lru_cache(maxsize=16)
def _date_time_pattern(language: str) -> str:
    """The locale's medium date and short time joined its own way (``{1}, {0}``), built once."""
    locale = babel_locale(language)
    joined = str(locale.datetime_formats["medium"])
    time_pattern = str(locale.time_formats["short"].pattern)
    return joined.replace("{0}", time_pattern).replace("{1}", _skeleton_pattern("yMMMd", language))


def _by_skeleton(skeleton: str, value: date | datetime, language: str | None) -> str:
    """``value`` in the locale's pattern for a CLDR ``skeleton`` (``dMMM``, ``yMMMEd``)."""
    from babel.dates import format_datetime

    code = language or i18n.active_language()
    return format_datetime(value, _skeleton_pattern(skeleton, code), locale=babel_locale(code))


# Babel's format_skeleton matches the skeleton afresh at every call (~1 ms): a chart's labels and a table's
# dates would spend most of a first paint there. The match depends only on the skeleton and the language.
@lru_cache(maxsize=64)
def _skeleton_pattern(skeleton: str, language: str) -> str:
    from babel.dates import match_skeleton

    patterns = babel_locale(language).datetime_skeletons
    found = skeleton if skeleton in patterns else (match_skeleton(skeleton, patterns) or skeleton)
    return str(patterns[found].pattern)
