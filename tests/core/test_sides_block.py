"""Mirrored blocks, the sleep key and muscles in routine files; the words spoken for sides and safety."""

from __future__ import annotations

from pathlib import Path

import pytest

from massage_guide.core.engine import SessionEngine, StepStarted, SwitchSide
from massage_guide.core.loader import load_routine_bytes
from massage_guide.core.model import Routine, Step, Text
from massage_guide.core.pacing import speech_seconds, word_count
from massage_guide.core.spoken import STOP_RULE, key_caution, side_announcement, spoken_texts
from tests.conftest import FakeClock

PATH = Path("block.yaml")

BLOCK = """\
schema_version: 1
id: block-routine
title: Block routine
summary: One calf, then the other.
areas: [calves]
goals: [tension_relief]
cautions:
  - Stop if you feel sharp pain, numbness or tingling.
  - Skip a calf that is swollen, warm or red.
sleep: true
steps:
  - title: Settle
    instruction: Breathe slowly.
    duration: 30s
  - sides: [left, right]
    steps:
      - title: Roll
        instruction: Roll the calf.
        duration: 1m
        muscle: calf muscles
      - repeat: 2
        steps:
          - title: Pin and point
            instruction: Pin the calf and point the foot.
            duration: 20s
  - title: Rest
    instruction: Rest.
    duration: 20s
"""


def load(text: str) -> tuple[Routine | None, list[str]]:
    routine, problems = load_routine_bytes(text.encode(), PATH)
    return routine, [str(p) for p in problems]


def test_a_sides_block_runs_all_its_steps_on_one_side_then_the_other() -> None:
    """The block's steps run in order on the first side, then all of them again on the second."""
    routine, problems = load(BLOCK)
    assert problems == []
    assert routine is not None
    assert [(s.title.get(), s.side, s.mirror_part, s.origin) for s in routine.steps] == [
        ("Settle", None, 0, "steps[0]"),
        ("Roll", "left", 1, "steps[1].steps[0]"),
        ("Pin and point", "left", 1, "steps[1].steps[1].steps[0]"),
        ("Pin and point", "left", 1, "steps[1].steps[1].steps[0]"),
        ("Roll", "right", 2, "steps[1].steps[0]"),
        ("Pin and point", "right", 2, "steps[1].steps[1].steps[0]"),
        ("Pin and point", "right", 2, "steps[1].steps[1].steps[0]"),
        ("Rest", None, 0, "steps[2]"),
    ]
    assert routine.steps[1].muscle == Text.of("calf muscles")
    assert routine.sleep is True


def test_the_switch_is_announced_once_per_block(clock: FakeClock) -> None:
    """The engine signals one side switch, where the block moves to its second side."""
    routine, _ = load(BLOCK)
    assert routine is not None
    engine = SessionEngine(routine.steps, clock)
    events = engine.start()
    for _ in routine.steps[1:]:
        events += engine.next()
    switches = [e.index for e in events if isinstance(e, SwitchSide)]
    assert switches == [4]
    assert [e.index for e in events if isinstance(e, StepStarted)] == list(range(len(routine.steps)))


def test_spoken_words_name_each_side_where_it_begins() -> None:
    """The voice says the side at the first step on it, "switch" at the change, and safety at the start."""
    routine, _ = load(BLOCK)
    assert routine is not None
    spoken = spoken_texts(routine)
    assert spoken[0] == f"Skip a calf that is swollen, warm or red. {STOP_RULE} Settle. Breathe slowly."
    assert spoken[1] == "Left side. Roll. Roll the calf."
    assert spoken[2] == "Pin and point. Pin the calf and point the foot."
    assert spoken[4] == "Switch to the right side. Roll. Roll the calf."
    assert spoken[5] == spoken[2]
    assert spoken[7] == "Rest. Rest."


@pytest.mark.parametrize(
    ("before", "side", "part", "expected"),
    [
        (None, "left", 0, "Left side."),
        ("both", "right", 0, "Right side."),
        ("left", "right", 2, "Switch to the right side."),
        ("right", "left", 1, "Left side."),
        ("left", "right", 0, "Right side."),
        ("left", "left", 0, None),
        ("left", "both", 0, None),
    ],
)
def test_side_announcement_rules(before: str | None, side: str, part: int, expected: str | None) -> None:
    """A side is named only where it begins; a mirrored step or block moving to its second side is a switch."""
    steps = [
        Step(Text.of("A"), Text.of("a"), 10, side=before),
        Step(Text.of("B"), Text.of("b"), 10, side=side, mirror_part=part),
    ]
    assert side_announcement(steps, 1) == expected


def test_key_caution_skips_the_general_stop_rule() -> None:
    """The caution spoken first is the routine's own, not the stop rule it lists (that is said anyway)."""
    cautions = (Text.of("Stop if you feel sharp pain."), Text.of("Keep off the throat."))
    assert key_caution(cautions) == "Keep off the throat."
    assert key_caution(cautions[:1]) is None


@pytest.mark.parametrize(
    ("fragment", "message"),
    [
        (
            "  - sides: [left, left]\n    steps:\n      - {title: A, instruction: a, duration: 10s}\n",
            "steps[1].sides: expected [left, right] or [right, left], got [left",
        ),
        (
            "  - sides: [left]\n    steps:\n      - {title: A, instruction: a, duration: 10s}\n",
            "steps[1].sides: expected [left, right] or [right, left], got [left",
        ),
        (
            "  - sides: [left, right]\n    steps:\n      - {title: A, instruction: a, duration: 10s, side: left}\n",
            "steps[1].steps[0].side: steps inside a sides block take their side from the block (steps[1]); "
            "remove 'side'",
        ),
        (
            "  - sides: [left, right]\n    steps:\n      - {title: A, instruction: a, duration: 10s, mirror: true}\n",
            "remove 'mirror'",
        ),
        (
            "  - sides: [left, right]\n    steps:\n      - sides: [right, left]\n        steps:\n"
            "          - {title: A, instruction: a, duration: 10s}\n",
            "a sides block cannot sit inside another one (steps[1])",
        ),
        ("  - sides: [left, right]\n    steps: []\n", "a sides block needs at least one step"),
        ("  - sides: [left, right]\n", "steps[1]: missing required key 'steps'"),
    ],
)
def test_bad_sides_blocks_are_located_and_explained(fragment: str, message: str) -> None:
    """Each mistake in a sides block gets one clear, located message."""
    text = BLOCK.split("  - sides:", maxsplit=1)[0] + fragment
    routine, problems = load(text)
    assert routine is None
    assert any(message in problem for problem in problems), problems
    assert all(problem.startswith("block.yaml:") for problem in problems)


def test_sleep_must_be_true_or_false() -> None:
    """``sleep: yes please`` is refused with the line and what to write instead."""
    routine, problems = load(BLOCK.replace("sleep: true", "sleep: yes please"))
    assert routine is None
    assert problems == ["block.yaml:10:8: sleep: expected true or false, got 'yes please'"]


def test_speech_time_follows_words_per_minute() -> None:
    """Speech time is words over the rate: 140 words take a minute at 140 wpm, numbers count as words."""
    assert word_count("Press about 5 out of 10, hip-width, don't rush.") == 9
    line = " ".join(["word"] * 140)
    assert speech_seconds(line, 140) == pytest.approx(60.0)
    assert speech_seconds(line, 80) == pytest.approx(105.0)
    assert speech_seconds(line, 10) == speech_seconds(line, 80)  # below the setting's range: clamped
