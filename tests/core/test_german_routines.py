"""Six built-in routines come complete in German, and their German voice lines fit their steps."""

from __future__ import annotations

import pytest

from massage_guide.core.loader import load_routine_file
from massage_guide.core.model import Routine, Text
from massage_guide.core.pacing import DEFAULT_WORDS_PER_MINUTE, speech_seconds
from massage_guide.core.spoken import spoken_texts, stop_rule
from tests.conftest import REPO_ROOT

GERMAN_ROUTINES = (
    "desk-break-3-minutes",
    "neck-tension-release",
    "calm-in-4-minutes",
    "sleep-wind-down",
    "tension-headache",
    "lower-back-relief",
)


def _load(routine_id: str) -> Routine:
    routine, problems = load_routine_file(REPO_ROOT / "routines" / f"{routine_id}.yaml")
    assert problems == [] and routine is not None
    return routine


def _texts(routine: Routine) -> list[Text]:
    texts = [routine.title, routine.summary, *routine.cautions]
    for step in routine.steps:
        texts += [step.title, step.instruction]
        texts += [t for t in (step.say, step.muscle) if t is not None]
    return texts


@pytest.mark.parametrize("routine_id", GERMAN_ROUTINES)
def test_every_text_has_german(routine_id: str) -> None:
    """Title, summary, cautions and every step's title, instruction, say line and muscle have German."""
    routine = _load(routine_id)
    assert "de" in routine.languages
    missing = [str(text) for text in _texts(routine) if not dict(text.values).get("de", "").strip()]
    assert missing == []
    # A translation is not the English copied over.
    copied = [str(text) for text in _texts(routine) if text.get("de") == text.get("en") and " " in str(text)]
    assert copied == []


@pytest.mark.parametrize("routine_id", GERMAN_ROUTINES)
def test_german_voice_lines_fit_their_steps(routine_id: str) -> None:
    """At the default voice rate the German words of each step end before the step does."""
    routine = _load(routine_id)
    too_long = [
        (step.origin, round(speech_seconds(words, DEFAULT_WORDS_PER_MINUTE)), step.duration_seconds)
        for step, words in zip(routine.steps, spoken_texts(routine, "de"), strict=True)
        if speech_seconds(words, DEFAULT_WORDS_PER_MINUTE) > step.duration_seconds
    ]
    assert too_long == []


@pytest.mark.parametrize("routine_id", GERMAN_ROUTINES)
def test_german_session_opens_with_the_german_safety_line(routine_id: str) -> None:
    """The first spoken line is the routine's German key caution and the German stop rule."""
    routine = _load(routine_id)
    first = spoken_texts(routine, "de")[0]
    assert stop_rule("de") in first
    assert routine.cautions[0].get("de") in first
