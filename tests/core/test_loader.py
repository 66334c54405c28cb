"""Routine validation: good files load and expand; every kind of mistake gets its exact, located message."""

from __future__ import annotations

from pathlib import Path

import pytest

from massage_guide.core.loader import load_routine_bytes, parse_duration

SOUNDS = {"ambience": {"ocean-waves", "soft-rain"}, "cues": {"bowl", "wood"}}
PATH = Path("my.yaml")

GOOD = """\
schema_version: 1
id: test-routine
title: Test routine
summary: A short routine for tests.
areas: [neck, shoulders]
goals: [tension_relief]
cautions: ["Stop if you feel sharp pain, numbness or tingling."]
ambience: soft-rain
steps:
  - title: Settle
    instruction: Breathe slowly.
    duration: 30s
    technique: breathing
    breathing: {inhale: 4, exhale: 6}
  - title: Squeeze the shoulder
    instruction: Squeeze this shoulder.
    duration: 1m
    side: left
    mirror: true
    focus: shoulders
  - repeat: 2
    steps:
      - title: Circles
        instruction: Small circles.
        duration: 1m30s
        cue: wood
"""


def load(text: str) -> tuple[object, list[str]]:
    routine, problems = load_routine_bytes(text.encode(), PATH, sound_ids=lambda kind: SOUNDS[kind])
    return routine, [str(p) for p in problems]


def test_good_routine_expands_mirrors_and_repeats() -> None:
    """A valid file gives a routine whose steps are mirrored per side and repeated in place."""
    routine, problems = load_routine_bytes(GOOD.encode(), PATH, sound_ids=lambda kind: SOUNDS[kind])
    assert problems == []
    assert routine is not None
    assert [(s.title.get(), s.side, s.mirror_part) for s in routine.steps] == [
        ("Settle", None, 0),
        ("Squeeze the shoulder", "left", 1),
        ("Squeeze the shoulder", "right", 2),
        ("Circles", None, 0),
        ("Circles", None, 0),
    ]
    assert routine.duration_seconds == 30 + 60 + 60 + 90 + 90
    assert routine.steps[0].breathing is not None and routine.steps[0].breathing.cycle_seconds == 10
    assert routine.ambience == "soft-rain"
    assert routine.level == "beginner" and routine.equipment == ()


def test_translations_fall_back_to_english() -> None:
    """A text mapping gives the user's language when present and English otherwise."""
    text = GOOD.replace("title: Test routine", "title: {en: Test routine, de: Testablauf}")
    routine, problems = load_routine_bytes(text.encode(), PATH, sound_ids=lambda kind: SOUNDS[kind])
    assert problems == [] and routine is not None
    assert routine.title.get("de_DE") == "Testablauf"
    assert routine.title.get("fr") == "Test routine"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "schema_version: 1",
            "schema_version: 2",
            "my.yaml:1:17: schema_version: schema_version 2 is not one this app reads (it reads: 1); a newer app may be needed",
        ),
        (
            "id: test-routine",
            "id: Test Routine",
            "my.yaml:2:5: id: 'Test Routine' is not a valid id: use lowercase letters, digits and hyphens, such as 'neck-release' (at most 64 characters)",
        ),
        (
            "areas: [neck, shoulders]",
            "areas: [nek, shoulders]",
            "my.yaml:5:9: areas[0]: 'nek' is not a known area. Did you mean 'neck'?",
        ),
        (
            "goals: [tension_relief]",
            "goals: [sleeep]",
            "my.yaml:6:9: goals[0]: 'sleeep' is not a known goal. Did you mean 'sleep'?",
        ),
        (
            "ambience: soft-rain",
            "ambience: ../../etc/passwd",
            "my.yaml:8:11: ambience: '../../etc/passwd' is not a sound id: use the name of a file in the ambience sound folder without its extension (lowercase letters, digits and hyphens; paths are not accepted)",
        ),
        (
            "ambience: soft-rain",
            "ambience: soft-rian",
            "my.yaml:8:11: ambience: there is no ambience sound 'soft-rian'. Did you mean 'soft-rain'?",
        ),
        (
            "    duration: 30s",
            "    duration: 30 seconds",
            "my.yaml:12:15: steps[0].duration: '30 seconds' is not a duration; write it like 45s, 2m, 1m30s, 1h or a number of seconds",
        ),
        (
            "    duration: 30s",
            "    duration: 31m",
            "my.yaml:12:15: steps[0].duration: a step lasts from 1s to 30m; got 31m",
        ),
        (
            "    duration: 30s",
            "    duration: 0",
            "my.yaml:12:15: steps[0].duration: a step lasts from 1s to 30m; got 0s",
        ),
        (
            "    technique: breathing",
            "    technique: kneeding",
            "my.yaml:13:16: steps[0].technique: 'kneeding' is not a known technique. Did you mean 'kneading'?",
        ),
        (
            "    technique: breathing",
            "    tecnique: breathing",
            "my.yaml:13:5: steps[0].tecnique: unknown key 'tecnique'. Did you mean 'technique'?",
        ),
        (
            "    breathing: {inhale: 4, exhale: 6}",
            "    breathing: {inhale: 4}",
            "my.yaml:14:16: steps[0].breathing: missing required key 'exhale'",
        ),
        (
            "    side: left\n",
            "    side: both\n",
            "my.yaml:18:11: steps[1].side: a mirrored step starts on one side: use 'left' or 'right', not 'both'",
        ),
        (
            "    mirror: true",
            "    mirror: yes please",
            "my.yaml:19:13: steps[1].mirror: expected true or false, got 'yes please'",
        ),
        (
            "  - repeat: 2",
            "  - repeat: 101",
            "my.yaml:21:13: steps[2].repeat: expected a whole number from 1 to 100, got 101",
        ),
        (
            "        cue: wood",
            "        cue: gong",
            "my.yaml:26:14: steps[2].steps[0].cue: there is no cues sound 'gong'. Available: bowl, wood.",
        ),
        ("title: Test routine", "title: ''", "my.yaml:3:8: title: is empty; write something here"),
        (
            "title: Test routine",
            "title: {de: Testablauf}",
            "my.yaml:3:8: title: an English text ('en') is required in every translated field",
        ),
        (
            "title: Test routine",
            "title: " + "x" * 121,
            "my.yaml:3:8: title: is 121 characters; the limit is 120",
        ),
        (
            "summary: A short routine for tests.",
            "summary: [a, b]",
            "my.yaml:4:10: summary: expected text (or a mapping of language to text), got a list",
        ),
        ("level", "levle", ""),
    ],
)
def test_bad_routines_get_exact_messages(old: str, new: str, expected: str) -> None:
    """Each mistake is reported as PATH:LINE:COL: where: message, with a suggestion where one fits."""
    if old == "level":
        text = GOOD.replace("cautions:", "levle: beginner\ncautions:")
        expected = "my.yaml:7:1: levle: unknown key 'levle'. Did you mean 'level'?"
    else:
        assert old in GOOD
        text = GOOD.replace(old, new, 1)
    routine, problems = load(text)
    assert routine is None
    assert expected in problems, problems


def test_all_problems_in_a_file_are_reported() -> None:
    """Several mistakes give several lines, not just the first."""
    text = GOOD.replace("areas: [neck, shoulders]", "areas: [nek]").replace(
        "duration: 30s", "duration: forever"
    )
    text = text.replace("goals: [tension_relief]", "goals: []")
    _routine, problems = load(text)
    assert len(problems) == 3, problems
    assert any("areas[0]" in p for p in problems)
    assert any("goals: needs at least one goal" in p for p in problems)
    assert any("steps[0].duration" in p for p in problems)


def test_missing_keys_and_schema_version() -> None:
    """A file without schema_version is told what to add; missing required keys are named."""
    _r, problems = load("id: x\n")
    assert problems == [
        "my.yaml:1:1: missing required key 'schema_version'; add 'schema_version: 1' at the top"
    ]
    _r, problems = load("schema_version: 1\nid: x\n")
    missing = {p.rsplit("'", 2)[1] for p in problems}
    assert missing == {"title", "summary", "areas", "goals", "steps"}


def test_duplicate_keys_and_multiple_documents_are_refused() -> None:
    """Duplicate keys and a second YAML document are errors, located where they occur."""
    _r, problems = load(GOOD + "title: Again\n")
    assert problems == ["my.yaml:27:1: the key 'title' appears twice (first at line 3); keep only one"]
    _r, problems = load(GOOD + "---\nid: other\n")
    assert problems == [
        "my.yaml:27:1: the file holds more than one YAML document ('---'); put each routine in its own file"
    ]


def test_limits_on_expanded_steps_and_total_time() -> None:
    """Repeats that expand past 500 steps or 3 hours are refused without building them."""
    nested = GOOD.replace(
        "  - repeat: 2\n    steps:", "  - repeat: 100\n    steps:\n      - repeat: 100\n        steps:"
    )
    nested = nested.replace(
        "      - title: Circles\n        instruction: Small circles.\n        duration: 1m30s\n        cue: wood",
        "          - title: Circles\n            instruction: Small circles.\n            duration: 2s",
    )
    _r, problems = load(nested)
    assert any("repeating 1 step(s) 100 times" in p or "makes 10,000 steps" in p for p in problems), problems
    long = GOOD.replace("  - repeat: 2", "  - repeat: 8").replace("duration: 1m30s", "duration: 30m")
    _r, problems = load(long)
    assert problems == ["my.yaml:10:3: steps: the routine lasts 4h2m30s; the limit is 3h"]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            b"a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
            b"d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n",
            "expands to more than 100,000 values",
        ),
        (b"[" * 5000 + b"]" * 5000, "nest"),
        (b"{a: " * 3000 + b"1" + b"}" * 3000, "nests more than 64 levels deep"),
        (b"\x89PNG\r\n\x1a\n\x00\x00binary", "not UTF-8 text"),
        (b"title: caf\xe9\n", "my.yaml:1:11: the file is not UTF-8 text"),
        (b"a: \x00\n", "NUL bytes"),
        (b"a: " + b"x" * (1024 * 1024), "routine files may be at most 1,048,576 bytes"),
        (b"!!python/object:os.system {}\n", "is not allowed in a routine"),
        (b"a: !!binary aGVsbG8=\n", "is not allowed in a routine"),
        (b"- 1\n- 2\n", "a routine file must be a mapping of keys"),
        (b"", "the file is empty"),
        (b"a: [1, 2\n", "YAML syntax error"),
    ],
)
def test_hostile_input_is_refused_cleanly(data: bytes, expected: str) -> None:
    """Alias bombs, deep nesting, binary, huge files and unsafe tags give one clean located error."""
    routine, problems = load_routine_bytes(data, PATH)
    assert routine is None
    assert len(problems) >= 1
    assert expected in str(problems[0]), problems[0]
    assert str(problems[0]).startswith("my.yaml:")


def test_thousands_of_steps_are_refused() -> None:
    """A flat list of 3,000 steps is refused as too many, quickly and with a location."""
    steps = "".join(f"  - {{title: S{i}, instruction: Do it., duration: 1}}\n" for i in range(3000))
    text = GOOD.split("steps:\n", 1)[0] + "steps:\n" + steps
    _r, problems = load(text)
    assert len(problems) == 1
    assert "expands to more than 500 steps" in problems[0]


@pytest.mark.parametrize(
    ("value", "seconds"),
    [("45s", 45), ("2m", 120), ("1m30s", 90), ("1h", 3600), (90, 90), ("90", 90), ("1h2m3s", 3723),
     ("", None), ("m", None), ("1.5m", None), (True, None), (None, None), ("1s2m", None)],
)  # fmt: skip
def test_parse_duration(value: object, seconds: int | None) -> None:
    """Durations accept exactly the documented forms."""
    assert parse_duration(value) == seconds
