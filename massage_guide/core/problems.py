"""Located problems and "did you mean" hints, shared by the routine loader and the settings file."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path


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
        return f"{self.file}:{self.line}:{self.column}: {inside}{self.message}"


def suggest(word: str, choices: Collection[str]) -> str:
    """A ' Did you mean ...?' hint, or an empty string."""
    import difflib  # only when something is wrong

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.5)
    return f" Did you mean '{close[0]}'?" if close else ""
