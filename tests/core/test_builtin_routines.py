"""Built-in routines: each loads, is complete and safe to follow, and together they cover the format."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from massage_guide import resources
from massage_guide.core.library import Library, load_library
from massage_guide.core.model import AREAS, GOALS, Routine, Step

ROUTINE_FILES = sorted(resources.routines_dir().glob("*.yaml"))
ROUTINE_IDS = [path.stem for path in ROUTINE_FILES]

MIN_ROUTINES = 16
MIN_STEPS = 4
MIN_SECONDS = 2 * 60
MAX_SECONDS = 30 * 60
DESK_BREAK_ID = "desk-break-3-minutes"
DESK_BREAK_MAX_SECONDS = 5 * 60
SLEEP_ID = "sleep-wind-down"
SLEEP_SECONDS = (15 * 60, 20 * 60)
POST_WORKOUT_LEGS_ID = "post-workout-legs"
POST_WORKOUT_LEGS_SECONDS = (12 * 60, 15 * 60)
MIN_AVERAGE_INSTRUCTION_CHARS = 80
STOP_CAUTION = "stop if you feel sharp pain, numbness or tingling"
# A slow, clear voice reads about 14 characters a second (espeak-ng's default reads ~19); the spoken text of a
# step must fit in the step, or the voice is still talking when the next step starts.
SLOW_SPEECH_CHARS_PER_SECOND = 14.0
# Techniques done with hands or a ball on the body: the person needs to know how firmly and where.
HANDS_ON = frozenset(
    {"stroking", "kneading", "friction", "compression", "trigger_point", "tapping", "rolling", "pinching",
     "vibration", "pin_and_stretch"}
)  # fmt: skip
KEY_ORDER = (
    "schema_version", "id", "title", "summary", "areas", "goals", "level", "equipment", "cautions",
    "ambience", "steps",
)  # fmt: skip
SCHEMA_COMMENT = "# yaml-language-server: $schema=./schema.json"
SIDE_WORDS = re.compile(r"\b(left|right)\b", re.IGNORECASE)


@cache
def library() -> Library:
    return load_library(
        builtin_dir=resources.routines_dir(), sound_dirs=[resources.audio_dir()], use_cache=False
    )


def routine(routine_id: str) -> Routine:
    found = library().get(routine_id)
    assert found is not None, f"{routine_id} did not load: {[str(p) for p in library().problems]}"
    return found


def written_steps(item: Routine) -> list[Step]:
    """One step per step written in the file: the second half of a mirrored step is left out."""
    return [step for step in item.steps if step.mirror_part != 2]


def raw(routine_id: str) -> dict[str, Any]:
    data = yaml.safe_load((resources.routines_dir() / f"{routine_id}.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_every_bundled_routine_loads_without_problems() -> None:
    """A built-in routine that fails validation would silently vanish from the app."""
    assert len(ROUTINE_FILES) >= MIN_ROUTINES
    assert [str(problem) for problem in library().problems] == []
    assert sorted(library().routines) == sorted(ROUTINE_IDS)


@pytest.mark.parametrize("routine_id", ROUTINE_IDS)
def test_id_matches_the_file_name(routine_id: str) -> None:
    """Ids are unique because each is its file's name, which is how people find the file to copy or edit."""
    item = routine(routine_id)
    assert item.source == "builtin"
    assert item.path is not None
    assert Path(item.path).stem == item.id


@pytest.mark.parametrize("routine_id", ROUTINE_IDS)
def test_has_cautions_including_stop_on_pain(routine_id: str) -> None:
    """Every routine says when not to do it and to stop on sharp pain, numbness or tingling."""
    cautions = [str(caution) for caution in routine(routine_id).cautions]
    assert len(cautions) >= 2, "one specific caution besides the stop-on-pain one"
    assert any(STOP_CAUTION in caution.lower() for caution in cautions)


@pytest.mark.parametrize("routine_id", ROUTINE_IDS)
def test_has_enough_steps_and_a_sensible_length(routine_id: str) -> None:
    """A routine has at least four steps and lasts a length a person would choose: 2 to 30 minutes."""
    item = routine(routine_id)
    assert len(written_steps(item)) >= MIN_STEPS
    assert MIN_SECONDS <= item.duration_seconds <= MAX_SECONDS


@pytest.mark.parametrize(
    ("routine_id", "low", "high"),
    [
        (DESK_BREAK_ID, MIN_SECONDS, DESK_BREAK_MAX_SECONDS),
        (SLEEP_ID, *SLEEP_SECONDS),
        (POST_WORKOUT_LEGS_ID, *POST_WORKOUT_LEGS_SECONDS),
    ],
)
def test_routines_with_a_promised_length_keep_it(routine_id: str, low: int, high: int) -> None:
    """The desk break stays short, the sleep routine is not rushed, post-workout legs take 12-15 minutes."""
    assert low <= routine(routine_id).duration_seconds <= high


def test_together_they_cover_every_area_and_goal() -> None:
    """Whatever area or goal someone picks on the body map or the goal list, at least one routine fits."""
    routines = library().routines.values()
    assert {area for item in routines for area in item.areas} == set(AREAS)
    assert {goal for item in routines for goal in item.goals} == set(GOALS)


@pytest.mark.parametrize("routine_id", ROUTINE_IDS)
def test_instructions_are_substantial(routine_id: str) -> None:
    """Instructions say where, how, how firmly, what to feel and how to breathe, so they are not one-liners."""
    steps = written_steps(routine(routine_id))
    average = sum(len(str(step.instruction)) for step in steps) / len(steps)
    assert average >= MIN_AVERAGE_INSTRUCTION_CHARS


@pytest.mark.parametrize("routine_id", ROUTINE_IDS)
def test_hands_on_steps_say_how_firmly_and_where(routine_id: str) -> None:
    """Every hands-on step sets pressure, focus and side, which the screen and the body map show."""
    for step in routine(routine_id).steps:
        assert step.technique is not None, step.origin
        if step.technique in HANDS_ON:
            assert step.pressure is not None, step.origin
        if step.technique != "rest":
            assert step.focus is not None, step.origin
            assert step.side is not None, step.origin


@pytest.mark.parametrize("routine_id", ROUTINE_IDS)
def test_mirrored_steps_run_on_both_sides_with_side_neutral_words(routine_id: str) -> None:
    """A mirrored step runs once per side, so its words must not name one side for both halves."""
    steps = routine(routine_id).steps
    for index, step in enumerate(steps):
        if step.mirror_part == 1:
            second = steps[index + 1]
            assert second.mirror_part == 2
            assert {step.side, second.side} == {"left", "right"}, step.origin
            spoken = f"{step.instruction} {step.say or ''}"
            assert not SIDE_WORDS.search(spoken), f"{step.origin} names a side: {spoken!r}"


@pytest.mark.parametrize("routine_id", ROUTINE_IDS)
def test_opens_with_settling_in_and_closes_with_rest(routine_id: str) -> None:
    """Each routine starts with paced breathing to settle in and ends in stillness."""
    steps = routine(routine_id).steps
    assert steps[0].technique == "breathing"
    assert steps[0].breathing is not None
    assert steps[-1].technique == "rest"


@pytest.mark.parametrize("routine_id", ROUTINE_IDS)
def test_breathing_steps_carry_a_pattern(routine_id: str) -> None:
    """The breathing guide needs in and out counts on every breathing step, with a longer out-breath to calm."""
    for step in routine(routine_id).steps:
        if step.technique == "breathing":
            assert step.breathing is not None, step.origin
            assert step.breathing.exhale >= step.breathing.inhale, step.origin


@pytest.mark.parametrize("routine_id", ROUTINE_IDS)
def test_spoken_text_fits_in_its_step(routine_id: str) -> None:
    """The voice finishes reading a step before the step ends, even at a slow speaking rate."""
    for step in routine(routine_id).steps:
        seconds = len(step.spoken_text()) / SLOW_SPEECH_CHARS_PER_SECOND
        assert seconds <= step.duration_seconds, f"{step.origin}: {seconds:.0f}s of speech"


@pytest.mark.parametrize("routine_id", ROUTINE_IDS)
def test_file_is_editor_friendly(routine_id: str) -> None:
    """Files point editors at the schema and keep the documented key order, so they read as examples."""
    path = resources.routines_dir() / f"{routine_id}.yaml"
    assert path.read_text(encoding="utf-8").startswith(SCHEMA_COMMENT)
    keys = list(raw(routine_id))
    assert keys == [key for key in KEY_ORDER if key in keys]
    assert "ambience" in keys, "the ambience is chosen on purpose, even when it is 'none'"
