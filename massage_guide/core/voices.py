"""Which voice speaks a language: locale codes to espeak-ng voice names, and words a minute to engine speed."""

from __future__ import annotations

from dataclasses import dataclass

from massage_guide.core.i18n import _

# espeak-ng 1.51's voice names (``espeak-ng --voices``) that a locale can map to. Locale codes are not voice
# names: ``-v en_US`` fails with "voice does not exist", ``en-us`` works (MEASURED.md).
_VOICE_LIST = (
    "af am an ar as az ba be bg bn bpy bs ca cmn cs cv cy da de el en en-029 en-gb en-gb-scotland en-gb-x-rp "
    "en-us eo es es-419 et eu fa fi fr-be fr-ch fr-fr ga gd gn grc gu hak haw he hi hr ht hu hy hyw ia id io "
    "is it ja jbo ka kk kl kn ko kok ku ky la lb lfn lt ltg lv mi mk ml mr ms mt my nb nci ne nl nog om or pa "
    "pap piqd pl pt pt-br py qdb qu quc qya ro ru ru-lv sd shn si sjn sk sl smj sq sr sv sw ta te th tk tn "
    "tr tt ug uk ur uz vi yue"
)
ESPEAK_VOICES = frozenset(_VOICE_LIST.split(" "))
# A bare language whose espeak-ng voice carries a region, or a language espeak-ng files under another name.
ESPEAK_ALIASES = {
    "en": "en-us",  # the built-in texts are written in US English
    "fr": "fr-fr",
    "zh": "cmn",
    "no": "nb",
    "nn": "nb",
    "pt-pt": "pt",
    "es-mx": "es-419",
    "es-ar": "es-419",
    "en-au": "en-gb",
    "en-nz": "en-gb",
    "en-ie": "en-gb",
    "en-in": "en-gb",
    "en-za": "en-gb",
    "en-ca": "en-us",
}
FALLBACK_ESPEAK_VOICE = "en-us"
# Locale values that say nothing about a language.
NO_LANGUAGE = frozenset({"", "c", "posix", "system"})

# The natural (Piper) voice shipped with the app speaks US English only.
NATURAL_VOICE = "en_US-joe-medium"
NATURAL_LANGUAGE = "en"

# Words a minute the settings allow; 140 is calm without dragging (the team's shared contract).
DEFAULT_WORDS_PER_MINUTE = 140
# Calibrated on the built-in routines' spoken lines (bench/mix_bench.py and bench/voice_bench.py measure the
# pace; figures in audio/README.md). espeak-ng reads faster than its ``-s`` says: ``-s 150`` measured
# ~176 words a minute on our texts, and ~144 at -s 119, hence a factor a little under 150/176.
ESPEAK_SPEED_PER_WPM = 0.83
ESPEAK_SPEED_RANGE = (80, 450)
# Piper's pace is inversely proportional to its length scale. joe-medium measured ~239 words a minute at
# 1.0 on short lines and ~261 on the built-in steps' longer ones; 250 splits the difference.
PIPER_WPM_AT_SCALE_ONE = 250.0
PIPER_LENGTH_SCALE_RANGE = (0.5, 3.5)


@dataclass(frozen=True)
class EspeakVoice:
    """An espeak-ng voice for a locale, and why it differs from the locale when it had to fall back."""

    name: str
    fallback_reason: str | None = None


def normalise_locale(code: str) -> str:
    """``pt_BR.UTF-8@euro`` -> ``pt-br``; ``C``, ``POSIX`` and empty values -> ``""``."""
    first = code.split(":", 1)[0].split(".", 1)[0].split("@", 1)[0].strip()
    lowered = first.lower().replace("_", "-")
    return "" if lowered in NO_LANGUAGE else lowered


def espeak_voice(code: str) -> EspeakVoice:
    """The espeak-ng voice for a language or locale code, falling back to English (never an error)."""
    wanted = normalise_locale(code)
    if not wanted:
        return EspeakVoice(FALLBACK_ESPEAK_VOICE)
    for candidate in (wanted, wanted.split("-", 1)[0]):
        name = ESPEAK_ALIASES.get(candidate, candidate)
        if name in ESPEAK_VOICES:
            return EspeakVoice(name)
    return EspeakVoice(FALLBACK_ESPEAK_VOICE, _("espeak-ng has no voice for {code}").format(code=repr(code)))


def speaks_natural(code: str) -> bool:
    """True when the natural voice can speak this language (English, or no language preference)."""
    wanted = normalise_locale(code)
    return not wanted or wanted.split("-", 1)[0] == NATURAL_LANGUAGE


def espeak_speed(words_per_minute: int) -> int:
    """espeak-ng's ``-s`` value that measures close to ``words_per_minute``."""
    low, high = ESPEAK_SPEED_RANGE
    return max(low, min(high, round(words_per_minute * ESPEAK_SPEED_PER_WPM)))


def piper_length_scale(words_per_minute: int) -> float:
    """Piper's length scale that measures close to ``words_per_minute`` with the joe-medium voice."""
    low, high = PIPER_LENGTH_SCALE_RANGE
    return round(max(low, min(high, PIPER_WPM_AT_SCALE_ONE / max(1, words_per_minute))), 3)
