"""Built-in routines: each loads, is safe to follow with eyes closed, honest about time, and they cover the map."""

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
from massage_guide.core.pacing import (
    DEFAULT_WORDS_PER_MINUTE,
    MIN_WORDS_PER_MINUTE,
    speech_seconds,
    word_count,
)
from massage_guide.core.spoken import key_caution, spoken_texts, step_words

ROUTINE_FILES = sorted(resources.routines_dir().glob("*.yaml"))
ROUTINE_IDS = [path.stem for path in ROUTINE_FILES]

MIN_ROUTINES = 28
MIN_STEPS = 4
MIN_SECONDS = 2 * 60
MAX_SECONDS = 30 * 60
# The breathing SOS is the one routine shorter than two minutes, with three steps: it is meant for a minute of
# panic, and a fourth step's words would not fit in that minute.
SOS_ID = "breathing-sos-1-minute"
SOS_MIN_STEPS = 3
# Routines whose length is promised in their title, the issue or the tests of other parts.
PROMISED_SECONDS: dict[str, tuple[int, int]] = {
    "desk-break-3-minutes": (2 * 60, 5 * 60),
    "sleep-wind-down": (15 * 60, 20 * 60),
    "post-workout-legs": (12 * 60, 15 * 60),
    "desk-lower-back-hips": (3 * 60 + 30, 4 * 60 + 30),
    "hands-forearms-3-minutes": (2 * 60 + 30, 3 * 60 + 30),
    "foam-roller-full-body": (12 * 60, 15 * 60),
    "full-body-20-minutes": (18 * 60, 22 * 60),
    "sleep-lying-down-6-minutes": (5 * 60 + 30, 6 * 60 + 30),
    SOS_ID: (50, 90),
    "stress-reset-10-minutes": (9 * 60, 11 * 60),
}
# Routines to fall asleep to: ``sleep: true`` (no end chime or ticks; the ambience lingers and fades).
SLEEP_ROUTINES = {"sleep-wind-down", "sleep-lying-down-6-minutes"}
# At least this many desk breaks of five minutes or less that need nothing but a chair.
MIN_EQUIPMENT_FREE_DESK_BREAKS = 6
DESK_BREAK_MAX_SECONDS = 5 * 60
MIN_AVERAGE_INSTRUCTION_CHARS = 80
STOP_CAUTION = "stop if you feel sharp pain, numbness or tingling"
# The key caution is spoken at the start with eyes closed: one short sentence or two.
KEY_CAUTION_MAX_WORDS = 25
# A step's own spoken line: long enough to guide, short enough to remember with eyes closed.
SPOKEN_WORDS = (15, 30)
# One action per sentence keeps sentences short.
SENTENCE_MAX_WORDS = 18
# Work left after the words at the default rate: holds and stretches need time to do their work.
HOLD_WORK_SECONDS = 30
OTHER_WORK_SECONDS = 10
HOLDS = frozenset({"compression", "trigger_point", "stretch", "pin_and_stretch"})
# Calm breathing is about 6-10 breaths a minute; a paced cycle shorter than this would hurry people.
MIN_BREATH_CYCLE_SECONDS = 8.0
# Counted repetitions need this long each: a slow breath, or a slow movement done with one.
SECONDS_PER_COUNTED = {"breath": 6.0, "other": 4.0}
COUNT_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "ten": 10}
COUNTED = re.compile(
    r"\b(two|three|four|five|six|seven|eight|ten)\s+(?:slow\s+|long\s+|easy\s+|deep\s+|small\s+|gentle\s+)?"
    r"(breaths|circles|strokes|times|squeezes|rolls|passes|presses|turns|nods|sweeps)\b",
    re.IGNORECASE,
)
# "About nine minutes", "Eight quiet minutes", "about a minute" in a summary: within a minute of the truth.
MINUTE_WORDS = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty",
)  # fmt: skip
SUMMARY_MINUTES = re.compile(
    rf"\b({'|'.join(MINUTE_WORDS[1:])}|a|\d+)( and a half)? (?:quiet )?minutes?\b", re.IGNORECASE
)
SUMMARY_MINUTES_SLACK_SECONDS = 60
# The one intensity scale for every ball and roller step, and a way to make it lighter.
INTENSITY_SCALE = "about 5 out of 10, a good ache, never sharp, never holding your breath"
LIGHTER = "to go lighter"
# "ball of the foot" is anatomy, not equipment.
BALL_OR_ROLLER = re.compile(r"\b(?:ball(?!\s+of\b)|roller)\b", re.IGNORECASE)
LOADED_TECHNIQUES = frozenset({"rolling", "compression", "trigger_point", "pin_and_stretch", "friction"})
HANDS_ON = frozenset(
    {"stroking", "kneading", "friction", "compression", "trigger_point", "tapping", "rolling", "pinching",
     "vibration", "pin_and_stretch"}
)  # fmt: skip
KEY_ORDER = (
    "schema_version", "id", "title", "summary", "areas", "goals", "level", "equipment", "cautions",
    "ambience", "sleep", "steps",
)  # fmt: skip
SCHEMA_COMMENT = "# yaml-language-server: $schema=./schema.json"
SIDE_WORDS = re.compile(r"\b(left|right)\b", re.IGNORECASE)
# Where a person is: the first sentence of a step that changes position starts with one of these.
FLOOR_START = re.compile(
    r"^(?:lie|lying|kneel|sit on the floor|on the floor|roll onto|turn onto|stay lying)\b", re.I
)
UP_START = re.compile(r"^(?:stand|sit|stay seated|stay sitting)\b", re.I)
CHAIR_ASIDES = re.compile(r"\bor (?:in|on) a chair\b|\bor sitting\b|\bor seated\b", re.IGNORECASE)
NECK_SIDES = re.compile(r"\bsides? of (?:the|your) (?:neck|throat)\b", re.IGNORECASE)
AWAY_WORDS = re.compile(r"\b(?:never|not|keep off|away from|avoid)\b", re.IGNORECASE)


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
    """One step per step written in the file: the second run of a mirrored step or block is left out."""
    return [step for step in item.steps if step.mirror_part != 2]


def raw(routine_id: str) -> dict[str, Any]:
    data = yaml.safe_load((resources.routines_dir() / f"{routine_id}.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def is_loaded(step: Step) -> bool:
    """A step that puts weight through a ball or a roller."""
    return step.technique in LOADED_TECHNIQUES and bool(BALL_OR_ROLLER.search(str(step.instruction)))


def sentences(text: str) -> list[str]:
    return [part for part in re.split(r"(?<=[.!?;:])\s+", text) if part.strip()]


def test_every_bundled_routine_loads_without_problems() -> None:
    """A built-in routine that fails validation would silently vanish from the app."""
    assert len(ROUTINE_FILES) >= MIN_ROUTINES
    assert [str(problem) for problem in library().problems] == []
    assert sorted(library().routines) == sorted(ROUTINE_IDS)
    assert set(PROMISED_SECONDS) <= set(ROUTINE_IDS)


@pytest.mark.parametrize("routine_id", ROUTINE_IDS)
def test_id_matches_the_file_name(routine_id: str) -> None:
    """Ids are unique because each is its file's name, which is how people find the file to copy or edit."""
    item = routine(routine_id)
    assert item.source == "builtin"
    assert item.path is not None
    assert Path(item.path).stem == item.id


@pytest.mark.parametrize("routine_id", ROUTINE_IDS)
def test_has_cautions_a_short_key_caution_and_the_stop_rule(routine_id: str) -> None:
    """Every routine says when not to do it, opens with one short key caution, and says to stop on pain."""
    item = routine(routine_id)
    cautions = [str(caution) for caution in item.cautions]
    assert len(cautions) >= 2, "one specific caution besides the stop-on-pain one"
    assert any(STOP_CAUTION in caution.lower() for caution in cautions)
    key = key_caution(item.cautions)
    assert key is not None and key == cautions[0]
    assert word_count(key) <= KEY_CAUTION_MAX_WORDS, key


@pytest.mark.parametrize("routine_id", ROUTINE_IDS)
def test_has_enough_steps_and_a_sensible_length(routine_id: str) -> None:
    """A routine has at least four steps and lasts a length a person would choose: 2 to 30 minutes."""
    item = routine(routine_id)
    assert len(written_steps(item)) >= (SOS_MIN_STEPS if routine_id == SOS_ID else MIN_STEPS)
    low = PROMISED_SECONDS[SOS_ID][0] if routine_id == SOS_ID else MIN_SECONDS
    assert low <= item.duration_seconds <= MAX_SECONDS


@pytest.mark.parametrize(("routine_id", "seconds"), sorted(PROMISED_SECONDS.items()))
def test_routines_with_a_promised_length_keep_it(routine_id: str, seconds: tuple[int, int]) -> None:
    """A routine named or promised for a length keeps it: the 3-minute break, the 20-minute full body."""
    low, high = seconds
    assert low <= routine(routine_id).duration_seconds <= high


def test_together_they_cover_every_area_and_goal() -> None:
    """Whatever area or goal someone picks on the body map or the goal list, at least one routine fits."""
    routines = library().routines.values()
    assert {area for item in routines for area in item.areas} == set(AREAS)
    assert {goal for item in routines for goal in item.goals} == set(GOALS)


def test_enough_desk_breaks_need_nothing_but_a_chair() -> None:
    """Six or more desk breaks of five minutes or less can be done at any desk with no equipment."""
    found = [
        item.id
        for item in library().routines.values()
        if "desk_break" in item.goals
        and item.duration_seconds <= DESK_BREAK_MAX_SECONDS
        and set(item.equipment) <= {"chair"}
    ]
    assert len(found) >= MIN_EQUIPMENT_FREE_DESK_BREAKS, found


def test_sleep_routines_are_marked_and_gentle() -> None:
    """Routines for falling asleep carry ``sleep: true``, use light pressure and keep a soft ambience."""
    marked = {item.id for item in library().routines.values() if item.sleep}
    assert marked == SLEEP_ROUTINES
    for routine_id in SLEEP_ROUTINES:
        item = routine(routine_id)
        assert "sleep" in item.goals
        assert item.ambience is not None
        assert {step.pressure for step in item.steps} <= {None, "light"}


def test_abdominal_routine_has_its_own_cautions() -> None:
    """Belly massage names pregnancy, recent surgery, hernia and unexplained pain before anything else."""
    items = [item for item in library().routines.values() if "abdomen" in item.areas]
    assert items
    for item in items:
        text = " ".join(str(caution) for caution in item.cautions).lower()
        for word in ("pregnan", "surgery", "hernia", "unexplained"):
            assert word in text, (item.id, word)


@pytest.mark.parametrize("routine_id", ROUTINE_IDS)
def test_summary_states_the_length_honestly(routine_id: str) -> None:
    """ "About nine minutes" in a summary is within a minute of how long the routine really runs."""
    item = routine(routine_id)
    found = SUMMARY_MINUTES.search(str(item.summary))
    assert found is not None, "say roughly how long it takes"
    number, half = found.group(1).lower(), found.group(2)
    whole = 1 if number == "a" else int(number) if number.isdigit() else MINUTE_WORDS.index(number)
    minutes = whole + (0.5 if half else 0)
    assert abs(minutes * 60 - item.duration_seconds) <= SUMMARY_MINUTES_SLACK_SECONDS, found.group(0)


@pytest.mark.parametrize("routine_id", ROUTINE_IDS)
def test_summaries_promise_no_knots(routine_id: str) -> None:
    """Summaries describe muscles and aches, not "knots" that massage is imagined to break up."""
    assert "knot" not in str(routine(routine_id).summary).lower()


@pytest.mark.parametrize("routine_id", ROUTINE_IDS)
def test_instructions_are_substantial(routine_id: str) -> None:
    """Instructions say where, how, how firmly, what to feel and how to breathe, so they are not one-liners."""
    steps = written_steps(routine(routine_id))
    average = sum(len(str(step.instruction)) for step in steps) / len(steps)
    assert average >= MIN_AVERAGE_INSTRUCTION_CHARS


@pytest.mark.parametrize("routine_id", ROUTINE_IDS)
def test_hands_on_steps_say_how_firmly_where_and_which_muscle(routine_id: str) -> None:
    """Every hands-on step sets pressure, focus, side and the muscle it works, which the screens show."""
    for step in routine(routine_id).steps:
        assert step.technique is not None, step.origin
        if step.technique in HANDS_ON:
            assert step.pressure is not None, step.origin
            assert step.muscle is not None, step.origin
        if step.technique != "rest":
            assert step.focus is not None, step.origin
            assert step.side is not None, step.origin


@pytest.mark.parametrize("routine_id", ROUTINE_IDS)
def test_mirrored_steps_use_side_neutral_words(routine_id: str) -> None:
    """A mirrored step or block runs once per side, so its words must not name one side for both runs."""
    for step in routine(routine_id).steps:
        if step.mirror_part:
            assert step.side in ("left", "right"), step.origin
            spoken = f"{step.instruction} {step.say or ''}"
            assert not SIDE_WORDS.search(spoken), f"{step.origin} names a side: {spoken!r}"


@pytest.mark.parametrize("routine_id", ROUTINE_IDS)
def test_every_side_is_spoken_where_it_begins(routine_id: str) -> None:
    """With eyes closed, the words say "left" or "right" at the first step on each side."""
    item = routine(routine_id)
    spoken = spoken_texts(item)
    for index, step in enumerate(item.steps):
        before = item.steps[index - 1].side if index else None
        if step.side in ("left", "right") and before != step.side:
            assert re.search(rf"\b{step.side}\b", spoken[index], re.IGNORECASE), step.origin


@pytest.mark.parametrize("routine_id", ROUTINE_IDS)
def test_opens_with_settling_in_and_closes_with_rest(routine_id: str) -> None:
    """Each routine starts with paced breathing to settle in and ends in stillness."""
    steps = routine(routine_id).steps
    assert steps[0].technique == "breathing"
    assert steps[0].breathing is not None
    assert steps[-1].technique == "rest"


@pytest.mark.parametrize("routine_id", ROUTINE_IDS)
def test_breathing_is_never_faster_than_calm_breathing(routine_id: str) -> None:
    """Paced breathing has a longer out-breath and a cycle no faster than calm breathing."""
    for step in routine(routine_id).steps:
        if step.technique == "breathing":
            assert step.breathing is not None, step.origin
        if step.breathing is not None:
            assert step.breathing.exhale >= step.breathing.inhale, step.origin
            assert step.breathing.cycle_seconds >= MIN_BREATH_CYCLE_SECONDS, step.origin


@pytest.mark.parametrize("routine_id", ROUTINE_IDS)
def test_spoken_lines_are_short_with_one_action_per_sentence(routine_id: str) -> None:
    """Each step's own spoken line is 15-30 words, in short sentences, so it can be followed eyes closed."""
    low, high = SPOKEN_WORDS
    for step in written_steps(routine(routine_id)):
        line = step_words(step)
        assert low <= word_count(line) <= high, f"{step.origin}: {word_count(line)} words: {line!r}"
        for sentence in sentences(line):
            assert word_count(sentence) <= SENTENCE_MAX_WORDS, f"{step.origin}: {sentence!r}"


@pytest.mark.parametrize("routine_id", ROUTINE_IDS)
def test_every_step_leaves_time_for_the_work_after_the_words(routine_id: str) -> None:
    """At the default voice rate, holds and stretches keep 30 s of work after the words, other steps 10 s."""
    item = routine(routine_id)
    for step, words in zip(item.steps, spoken_texts(item), strict=True):
        work = step.duration_seconds - speech_seconds(words, DEFAULT_WORDS_PER_MINUTE)
        needed = HOLD_WORK_SECONDS if step.technique in HOLDS else OTHER_WORK_SECONDS
        assert work >= needed, f"{step.origin} ({step.side}): {work:.0f}s of work after {words!r}"


@pytest.mark.parametrize("routine_id", ROUTINE_IDS)
def test_at_the_slowest_voice_no_words_outlast_their_step(routine_id: str) -> None:
    """At voice_rate 80, the slowest allowed, the voice still finishes every step's words in time."""
    item = routine(routine_id)
    for step, words in zip(item.steps, spoken_texts(item), strict=True):
        seconds = speech_seconds(words, MIN_WORDS_PER_MINUTE)
        assert seconds <= step.duration_seconds, f"{step.origin}: {seconds:.0f}s of speech"


@pytest.mark.parametrize("routine_id", ROUTINE_IDS)
def test_counts_fit_the_time(routine_id: str) -> None:
    """ "Ten slow breaths" needs about a minute: counted repetitions fit in the step's time."""
    for step in written_steps(routine(routine_id)):
        for text in (str(step.instruction), str(step.say or "")):
            for number, what in COUNTED.findall(text):
                each = SECONDS_PER_COUNTED["breath" if what.lower() == "breaths" else "other"]
                needed = COUNT_WORDS[number.lower()] * each
                assert needed <= step.duration_seconds, (
                    f"{step.origin}: {number} {what} in {step.duration_seconds}s"
                )


@pytest.mark.parametrize("routine_id", ROUTINE_IDS)
def test_ball_and_roller_steps_use_one_intensity_scale_and_say_how_to_lighten(routine_id: str) -> None:
    """Every step that leans on a ball or roller gives the same 5-out-of-10 scale and a way to go lighter."""
    for step in written_steps(routine(routine_id)):
        if is_loaded(step):
            text = str(step.instruction)
            assert INTENSITY_SCALE in text, step.origin
            assert LIGHTER in text.lower(), step.origin
            assert "5 out of 10" in step_words(step), step.origin


@pytest.mark.parametrize("routine_id", ROUTINE_IDS)
def test_positions_change_rarely_and_chair_versions_stand_alone(routine_id: str) -> None:
    """Steps are grouped by position (never floor, up, then floor again) and no step adds "or in a chair"."""
    groups: list[str] = []
    for step in routine(routine_id).steps:
        text = str(step.instruction)
        assert not CHAIR_ASIDES.search(text), step.origin
        first = sentences(text)[0]
        group = "floor" if FLOOR_START.search(first) else "up" if UP_START.search(first) else None
        if group and (not groups or groups[-1] != group):
            groups.append(group)
    assert len(groups) == len(set(groups)), f"positions go {' -> '.join(groups)}"


@pytest.mark.parametrize("routine_id", ROUTINE_IDS)
def test_nothing_strokes_or_presses_the_sides_of_the_neck(routine_id: str) -> None:
    """The sides and front of the neck are kept off (docs/safety.md); they are named only to keep away."""
    for step in routine(routine_id).steps:
        for text in (str(step.instruction), str(step.say or "")):
            for sentence in sentences(text):
                if NECK_SIDES.search(sentence):
                    assert AWAY_WORDS.search(sentence), f"{step.origin}: {sentence!r}"


def test_the_seven_flagged_instructions_are_fixed() -> None:
    """The nerve, vessel and kidney areas a therapist flagged are no longer loaded, and the cautions say so."""
    every = {
        rid: " ".join(f"{s.title} {s.instruction} {s.say or ''}" for s in routine(rid).steps)
        for rid in ROUTINE_IDS
    }
    hips = every["hips-glutes-after-sitting"].lower()
    assert "halfway between the sitting bone" not in hips
    assert "sacrum" in hips and "upper outer" in hips
    chest = every["chest-shoulder-opener"].lower()
    assert "ball at the front of the shoulder" not in chest
    assert "below the collarbone" in chest and "no higher than your shoulder" in chest
    assert not any(BALL_OR_ROLLER.search(str(s.instruction)) for s in routine("chest-shoulder-opener").steps)
    lower_back = every["lower-back-relief"].lower()
    assert "hand's width from the spine" not in lower_back
    assert "three fingers" in lower_back
    legs = every["post-workout-legs"].lower()
    assert "hip crease" not in legs or "short of the hip crease" in legs
    calves = routine("calves-achilles-runners")
    assert any("pregnan" in str(c).lower() for c in calves.cautions)
    assert "hollows beside" not in every["calves-achilles-runners"].lower()
    skull = next(s for s in routine("desk-break-3-minutes").steps if "skull" in str(s.title).lower())
    assert "either side of the spine" in step_words(skull) and "never the bone" in step_words(skull)


@pytest.mark.parametrize("routine_id", ROUTINE_IDS)
def test_file_is_editor_friendly(routine_id: str) -> None:
    """Files point editors at the schema and keep the documented key order, so they read as examples."""
    path = resources.routines_dir() / f"{routine_id}.yaml"
    assert path.read_text(encoding="utf-8").startswith(SCHEMA_COMMENT)
    keys = list(raw(routine_id))
    assert keys == [key for key in KEY_ORDER if key in keys]
    assert "ambience" in keys, "the ambience is chosen on purpose, even when it is 'none'"
