"""Writes one benchmark's section of docs/performance.md, leaving every other section as it is."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

PERFORMANCE_DOC = Path(__file__).resolve().parent.parent / "docs" / "performance.md"


def write_section(heading: str, lines: Sequence[str], path: Path = PERFORMANCE_DOC) -> None:
    """Replace the section that starts with ``heading`` (a ``## `` line), or append it at the end."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Performance\n"
    section = "\n".join([heading, "", *lines]).rstrip("\n") + "\n"
    start = text.find(heading + "\n")
    if start < 0:
        text = text.rstrip("\n") + "\n\n" + section
    else:
        end = text.find("\n## ", start + len(heading))
        rest = "" if end < 0 else text[end + 1 :]
        text = text[:start] + section + ("\n" + rest if rest else "")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.rstrip("\n") + "\n", encoding="utf-8")
