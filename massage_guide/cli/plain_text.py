"""ASCII stand-ins for the terminal's typography when the output cannot show it (LANG=C, LC_ALL=C)."""

from __future__ import annotations

import unicodedata
from typing import TextIO

# What each typographic character becomes on an ASCII terminal: the same meaning in plain characters.
STAND_INS: dict[str, str] = {
    "·": "-",  # the separator between parts of a line
    "…": "...",
    "█": "#",  # the filled part of the progress bar
    "░": ".",  # its empty part
    "▕": "[",  # its ends
    "▏": "]",
    "–": "-",
    "—": "-",
    "‘": "'",
    "’": "'",
    "‚": "'",
    "“": '"',
    "”": '"',
    "„": '"',
    "«": '"',
    "»": '"',
    "→": "->",
    "\u00a0": " ",  # no-break space, as Babel puts between a number and its unit
    "\u202f": " ",  # narrow no-break space, as Babel writes in some languages
}
_TABLE = str.maketrans(STAND_INS)


def can_show(text: str, stream: TextIO) -> bool:
    """True when ``stream`` can encode ``text`` (a stream without an encoding, like StringIO, takes any)."""
    encoding = getattr(stream, "encoding", None)
    if not encoding:
        return True
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def fit(text: str, stream: TextIO) -> str:
    """``text`` as ``stream`` can print it: unchanged when it can, else with plain stand-ins, never a crash."""
    if can_show(text, stream):
        return text
    plain = text.translate(_TABLE)
    if can_show(plain, stream):
        return plain
    # Letters with accents keep their base letter (ä -> a); anything else left becomes "?".
    decomposed = unicodedata.normalize("NFKD", plain)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    encoding = getattr(stream, "encoding", None) or "ascii"
    try:
        return bare.encode(encoding, errors="replace").decode(encoding)
    except LookupError:
        return bare.encode("ascii", errors="replace").decode("ascii")
