"""Crash-safe drafts of routines being edited: autosaved beside the routine file, offered back on the next start.

A draft is a small JSON file, hidden (its name starts with a dot) so the library never lists it:
``.neck.yaml.draft.json`` beside ``neck.yaml``, or ``.new-1a2b3c4d.draft.json`` for a routine not saved
yet. It holds the routine's YAML text as the editor would write it, even while that is not valid yet.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

from massage_guide.core.files import write_private

DRAFT_SUFFIX = ".draft.json"
_NEW_PREFIX = ".new-"


@dataclass(frozen=True)
class Draft:
    """Unsaved work: the routine file it belongs to (None for a new routine) and its YAML text."""

    draft_file: Path
    target: Path | None
    text: str
    title: str
    saved_at: float


def draft_file_for(target: Path | None, folder: Path) -> Path:
    """Where the draft of ``target`` lives; a new routine gets a fresh name in ``folder``."""
    if target is not None:
        return target.with_name(f".{target.name}{DRAFT_SUFFIX}")
    return folder / f"{_NEW_PREFIX}{os.urandom(4).hex()}{DRAFT_SUFFIX}"


def save_draft(draft_file: Path, target: Path | None, text: str, title: str) -> None:
    """Keep ``text`` as the draft; raises OSError when the folder cannot be written."""
    record = {
        "target": str(target) if target is not None else None,
        "title": title,
        "text": text,
        "saved_at": time.time(),  # when, for the "from last time" prompt; not a timer
    }
    write_private(draft_file, json.dumps(record, ensure_ascii=False).encode("utf-8"))


def discard_draft(draft_file: Path) -> None:
    draft_file.unlink(missing_ok=True)


def read_draft(draft_file: Path) -> Draft | None:
    """The draft in ``draft_file``, or None when it is missing or damaged (a damaged one is not offered)."""
    try:
        record = json.loads(draft_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or not isinstance(record.get("text"), str):
        return None
    target = record.get("target")
    saved_at = record.get("saved_at")
    return Draft(
        draft_file=draft_file,
        target=Path(target) if isinstance(target, str) and target else None,
        text=record["text"],
        title=str(record.get("title") or ""),
        saved_at=float(saved_at) if isinstance(saved_at, int | float) else 0.0,
    )


def find_drafts(folder: Path) -> list[Draft]:
    """Every readable draft in ``folder``, oldest first."""
    try:
        names = sorted(
            p for p in folder.iterdir() if p.name.startswith(".") and p.name.endswith(DRAFT_SUFFIX)
        )
    except OSError:
        return []
    drafts = [draft for draft in (read_draft(path) for path in names) if draft is not None]
    return sorted(drafts, key=lambda draft: draft.saved_at)
