"""Pronunciation fixes: respells the words our speech engines get wrong, before the text is rendered.

Both engines read English through espeak-ng's rules (Piper uses espeak-ng's phonemes), so one respelling
fixes both. Each entry was checked with ``espeak-ng -x`` (tests/services/test_lexicon.py keeps them true)."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Bump when an entry changes, so cached renderings made with the old wording are not reused.
LEXICON_VERSION = 1


@dataclass(frozen=True)
class Respelling:
    """A pattern the engines mispronounce and the spelling that makes them say it right."""

    pattern: re.Pattern[str]
    spoken: str
    why: str


def _entry(pattern: str, spoken: str, why: str) -> Respelling:
    return Respelling(re.compile(pattern, re.IGNORECASE), spoken, why)


# Words before "use" that make it a noun ("the use of", "no use"); everywhere else in our instructions it
# is the verb ("use light pressure"), which espeak-ng reads as the noun /ju:s/.
_NOUN_USE = r"(?<!\bthe )(?<!\ba )(?<!\bof )(?<!\bno )(?<!\bany )(?<!\bfor )(?<!\bin )"

LEXICON: tuple[Respelling, ...] = (
    _entry(r"\bclose(?= (?:your|both|the) eyes\b)", "cloze", "the verb, not the adjective: /kloʊz/"),
    _entry(_NOUN_USE + r"\buse\b", "yooz", "the verb: /juːz/, not the noun /juːs/"),
    _entry(r"\bfascia\b", "fasha", "/ˈfæʃə/, not 'fay-shee-a'"),
    _entry(r"\bpsoas\b", "soh-us", "/ˈsoʊ.əs/"),
    _entry(r"\bspinae\b", "spynee", "erector spinae: /ˈspaɪniː/"),
    _entry(r"\bsternocleidomastoid\b", "sterno-klydo-mastoid", "ster-no-KLY-do-mastoid"),
    _entry(r"\bsuboccipital\b", "sub-ock-sipital", "sub-ok-SIP-i-tal"),
    _entry(r"\bTMJ\b", "T M J", "spelled out, letter by letter"),
)


def _matching_case(original: str, spoken: str) -> str:
    if original[:1].isupper() and not original.isupper():
        return spoken[:1].upper() + spoken[1:]
    return spoken


def respell(text: str) -> str:
    """``text`` as the engines should read it: the words of LEXICON respelled, everything else unchanged."""
    for entry in LEXICON:
        spoken = entry.spoken

        def replace(match: re.Match[str], spoken: str = spoken) -> str:
            return _matching_case(match.group(0), spoken)

        text = entry.pattern.sub(replace, text)
    return text
