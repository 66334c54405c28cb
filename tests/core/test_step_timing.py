"""Timing warnings for user routines: a step whose words outlast it is reported once, at its line."""

from __future__ import annotations

from pathlib import Path

from massage_guide.core.loader import load_routine_file
from massage_guide.core.step_timing import timing_warnings

CROWDED = """\
schema_version: 1
id: crowded
title: Crowded
summary: Too many words for the time.
areas: [neck]
goals: [tension_relief]
steps:
  - title: Settle
    instruction: Breathe slowly and let your shoulders drop.
    duration: 30s
  - repeat: 3
    steps:
      - title: Squeeze
        instruction: Squeeze the shoulder.
        say: Reach across to the top of this shoulder, squeeze the muscle slowly, and breathe out as you let it go again.
        duration: 5s
        side: left
        mirror: true
  - title: Rest
    instruction: Rest.
    duration: 10s
"""


def test_a_crowded_step_is_warned_once_at_its_line(tmp_path: Path) -> None:
    """A repeated, mirrored step whose words outlast it gives one warning, located where it is written."""
    path = tmp_path / "crowded.yaml"
    path.write_text(CROWDED, encoding="utf-8")
    routine, problems = load_routine_file(path)
    assert routine is not None, problems
    warnings = timing_warnings(routine, path)
    assert [(w.line, w.column, w.where) for w in warnings] == [(13, 9, "steps[1].steps[0]")]
    assert "the step lasts 5s" in warnings[0].message


def test_a_step_with_time_for_its_words_is_not_warned(tmp_path: Path) -> None:
    """Enough time for the words at the default rate means no warning, even at the first step's safety line."""
    path = tmp_path / "fine.yaml"
    path.write_text(CROWDED.replace("duration: 5s", "duration: 30s"), encoding="utf-8")
    routine, _ = load_routine_file(path)
    assert routine is not None
    assert timing_warnings(routine, path) == []


def test_a_slower_voice_needs_more_time(tmp_path: Path) -> None:
    """At 80 words a minute a step that fits at 140 can be too short, and the warning says so."""
    path = tmp_path / "slow.yaml"
    path.write_text(CROWDED.replace("duration: 5s", "duration: 12s"), encoding="utf-8")
    routine, _ = load_routine_file(path)
    assert routine is not None
    assert timing_warnings(routine, path) == []
    assert [w.where for w in timing_warnings(routine, path, words_per_minute=80)] == ["steps[1].steps[0]"]
