"""Hostile routine files: odd numbers, pipes and floods of mistakes give located problems, never a crash."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from massage_guide.core.library import load_library
from massage_guide.core.loader import load_routine_bytes, load_routine_file, parse_duration
from massage_guide.core.problems import MAX_PROBLEMS_PER_FILE, Problem
from tests.core.test_loader import GOOD, PATH, SOUNDS


def with_duration(value: str) -> str:
    return GOOD.replace("duration: 30s", f"duration: {value}", 1)


@pytest.mark.parametrize(
    "value",
    ['"²"', '"①"', '"٣٠s"', "6_00", '"6_00"', "1:30", "0x1e", '"1M30S"', '"45 s"', '"1m90s"', '" 45s"',
     '"0s"', "2h", '"1h"', "0", "-5", ".inf", ".nan", "45.5", '"' + "1" * 4301 + '"', "1" * 4301,
     '"' + "9" * 10 + 's"'],
)  # fmt: skip
def test_odd_durations_are_problems_not_crashes(value: str) -> None:
    """Unicode digits, YAML 1.1 number forms, huge numbers and out-of-range values are each one problem."""
    routine, problems = load_routine_bytes(with_duration(value).encode(), PATH, sound_ids=SOUNDS.__getitem__)
    assert routine is None and len(problems) == 1
    assert problems[0].line == 12 and len(str(problems[0])) < 200


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("90", 90),
        ('"90"', 90),
        ("90.0", 90),
        ('"1m30s"', 90),
        ('"0h5m"', 300),
        ('"30m"', 1800),
        ('"0m59s"', 59),
    ],
)
def test_the_documented_duration_forms_load(value: str, seconds: int) -> None:
    """Whole numbers (also written 90.0) and 1m30s-style text load as seconds."""
    routine, problems = load_routine_bytes(with_duration(value).encode(), PATH, sound_ids=SOUNDS.__getitem__)
    assert problems == [] and routine is not None and routine.steps[0].duration_seconds == seconds


def test_parse_duration_accepts_ascii_digits_only() -> None:
    """Characters that Python calls digits but are not 0-9 never reach int()."""
    for text in ("²", "①", "٣", "١٢s", "1_0", "+5", "1" * 4301, "5" * 10):
        assert parse_duration(text) is None


def test_a_named_pipe_in_the_routines_folder_is_reported_not_waited_for(tmp_path: Path) -> None:
    """A FIFO called *.yaml does not hang the library: it is one problem, and the other routines load."""
    user = tmp_path / "routines"
    user.mkdir()
    os.mkfifo(user / "stuck.yaml")
    (user / "mine.yaml").write_text(GOOD.replace("ambience: soft-rain\n", ""), encoding="utf-8")
    library = load_library(user_dir=user, use_cache=False)
    assert "test-routine" in library.routines
    stuck = [p for p in library.problems if p.file.name == "stuck.yaml"]
    assert len(stuck) == 1 and "not a regular file" in stuck[0].message
    routine, problems = load_routine_file(Path("/dev/zero"))
    assert routine is None and "not a regular file" in problems[0].message


def test_problems_are_capped_per_file_with_a_count_of_the_rest(tmp_path: Path) -> None:
    """A file with thousands of mistakes reports the first hundred and '… and N more', quickly."""
    steps = "".join(f"  - {{title: T, instruction: I, duration: 1s, colour{n}: red}}\n" for n in range(450))
    text = GOOD.split("steps:\n")[0] + "steps:\n" + steps
    routine, problems = load_routine_bytes(text.encode(), PATH, sound_ids=SOUNDS.__getitem__)
    assert routine is None and len(problems) == MAX_PROBLEMS_PER_FILE + 1
    assert problems[-1].message == "… and 350 more"
    assert "Did you mean" in problems[0].message or "Allowed keys" in problems[0].message


def test_a_problem_is_always_one_line() -> None:
    """Line breaks and escape codes in a file name or a value are shown escaped, never as a second line."""
    problem = Problem(Path("a\nb.yaml"), 1, 2, "'x\ry' is not a known area\x1b[2J")
    assert str(problem) == "a\\nb.yaml:1:2: 'x\\ry' is not a known area\\x1b[2J"
