"""Warnings for steps whose spoken words would outlast the step at the default voice rate."""

from __future__ import annotations

import re
from pathlib import Path

from massage_guide.core.files import read_regular
from massage_guide.core.i18n import _
from massage_guide.core.model import Routine
from massage_guide.core.pacing import DEFAULT_WORDS_PER_MINUTE, speech_seconds
from massage_guide.core.problems import Problem
from massage_guide.core.spoken import spoken_texts
from massage_guide.core.yamlread import MAX_FILE_BYTES, Node, YamlError, read_yaml

# One part of an origin such as ``steps[2].steps[0]``.
_ORIGIN_PART = re.compile(r"(\w+)\[(\d+)\]")


def timing_warnings(
    routine: Routine, path: Path, words_per_minute: float = DEFAULT_WORDS_PER_MINUTE
) -> list[Problem]:
    """One warning per written step whose words, at ``words_per_minute``, take longer than the step.

    The step still loads and runs; the voice would be cut off by the next step, so the warning says how to
    fix it. Each written step is reported once, at its line, even when it runs several times.
    """
    root = _root(path)
    warnings: list[Problem] = []
    seen: set[str] = set()
    for step, words in zip(routine.steps, spoken_texts(routine), strict=True):
        seconds = speech_seconds(words, words_per_minute)
        if seconds <= step.duration_seconds or step.origin in seen:
            continue
        seen.add(step.origin)
        line, column = _locate(root, step.origin)
        message = _(
            "warning: the voice needs about {needed}s to say this step at {rate} words a minute, but the step "
            "lasts {lasts}s; shorten its words (a 'say:' line of 15-30 words) or make the step longer"
        ).format(needed=round(seconds), rate=round(words_per_minute), lasts=step.duration_seconds)
        warnings.append(Problem(path, line, column, message, step.origin))
    return warnings


def _root(path: Path) -> Node | None:
    try:
        return read_yaml(read_regular(path, MAX_FILE_BYTES))  # never a pipe that would hang
    except (OSError, YamlError):
        return None


def _locate(root: Node | None, origin: str) -> tuple[int, int]:
    """Line and column of the step written at ``origin``; the top of the file when it cannot be found."""
    node = root
    for key, index in _ORIGIN_PART.findall(origin):
        if node is None or node.kind != "mapping" or key not in node.value:
            return 1, 1
        listed = node.value[key]
        if listed.kind != "sequence" or int(index) >= len(listed.value):
            return 1, 1
        node = listed.value[int(index)]
    return (node.mark.line, node.mark.column) if node is not None else (1, 1)
