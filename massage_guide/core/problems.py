"""Located problems and "did you mean" hints, shared by the routine loader and the settings file."""

from __future__ import annotations

import contextlib
from collections.abc import Collection, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from massage_guide.core.files import one_line
from massage_guide.core.i18n import _

# Problems shown per file: a hundred is more than anyone fixes in one go; the rest become "… and N more"
# (a hostile 1 MiB file could otherwise give 297,000 lines).
MAX_PROBLEMS_PER_FILE: Final = 100
# Words longer than this get no hint: nobody mistypes a key that long, and matching costs length squared.
SUGGEST_MAX_CHARS: Final = 64

_suggestions_left: ContextVar[int | None] = ContextVar("suggestions_left", default=None)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a routine file, with where it is."""

    file: Path
    line: int
    column: int
    message: str
    where: str = ""  # the path inside the routine, e.g. ``steps[3].duration``

    def __str__(self) -> str:
        inside = f"{self.where}: " if self.where else ""
        return one_line(f"{self.file}:{self.line}:{self.column}: {inside}{self.message}")


@contextlib.contextmanager
def suggestion_budget(count: int) -> Iterator[None]:
    """Within this block at most ``count`` hints are computed; later calls of suggest() return ''."""
    token = _suggestions_left.set(count)
    try:
        yield
    finally:
        _suggestions_left.reset(token)


def suggest(word: str, choices: Collection[str]) -> str:
    """A ' Did you mean ...?' hint, or an empty string."""
    left = _suggestions_left.get()
    if left is not None:
        if left <= 0:
            return ""
        _suggestions_left.set(left - 1)
    if len(word) > SUGGEST_MAX_CHARS:
        return ""

    close = closest(word, choices)
    return " " + _("Did you mean '{name}'?").format(name=close) if close else ""


def closest(word: str, choices: Collection[str]) -> str | None:
    """The choice most like ``word``, if any is close (the name behind a "Did you mean" hint)."""
    import difflib  # only when something is wrong

    if len(word) > SUGGEST_MAX_CHARS:  # difflib is quadratic: a pasted paragraph gets no hint
        return None
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.5)
    return close[0] if close else None
