"""How long a spoken line takes at a voice rate in words per minute (the ``voice_rate`` setting's unit)."""

from __future__ import annotations

import re

# The voice_rate setting is words per minute; engines are calibrated so the measured pace matches it.
DEFAULT_WORDS_PER_MINUTE = 140
# The slowest and fastest rates the setting allows: 80 is the slow end a tired listener may choose.
MIN_WORDS_PER_MINUTE = 80
MAX_WORDS_PER_MINUTE = 260
# A word is a run of letters or digits, with inner apostrophes or hyphens ("don't", "hip-width", "10").
_WORD = re.compile(r"[0-9A-Za-zÀ-ÖØ-öø-ÿ]+(?:['’\-][0-9A-Za-zÀ-ÖØ-öø-ÿ]+)*")


def word_count(text: str) -> int:
    """Words as a listener hears them: "5 out of 10" is four, "hip-width" is one."""
    return len(_WORD.findall(text))


def speech_seconds(text: str, words_per_minute: float = DEFAULT_WORDS_PER_MINUTE) -> float:
    """Seconds the voice needs to say ``text`` at ``words_per_minute`` (clamped to the setting's range)."""
    rate = min(MAX_WORDS_PER_MINUTE, max(MIN_WORDS_PER_MINUTE, float(words_per_minute)))
    return word_count(text) * 60.0 / rate
