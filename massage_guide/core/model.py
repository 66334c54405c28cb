"""The routine model: closed vocabularies and the frozen values a loaded, expanded routine is made of."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from massage_guide.core import i18n
from massage_guide.core.i18n import N_

SCHEMA_VERSIONS: tuple[int, ...] = (1,)
# Routine ids: a lowercase slug of letters, digits and single hyphens.
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ID_MAX_CHARS = 64

AREAS: tuple[str, ...] = (
    "head", "face", "jaw", "neck", "shoulders", "chest", "abdomen", "upper_back", "lower_back",
    "arms", "hands", "hips", "thighs", "calves", "feet", "full_body",
)  # fmt: skip
AREA_LABELS: dict[str, str] = {
    "head": N_("Head and scalp"), "face": N_("Face and eyes"), "jaw": N_("Jaw"), "neck": N_("Neck"),
    "shoulders": N_("Shoulders"), "chest": N_("Chest"), "abdomen": N_("Abdomen"), "upper_back": N_("Upper back"),
    "lower_back": N_("Lower back"),
    "arms": N_("Arms"), "hands": N_("Hands, wrists and forearms"), "hips": N_("Hips and glutes"), "thighs": N_("Thighs"),
    "calves": N_("Calves"), "feet": N_("Feet"), "full_body": N_("Full body"),
}  # fmt: skip
GOALS: tuple[str, ...] = (
    "tension_relief", "post_workout", "stress_relief", "sleep", "flexibility", "desk_break", "headache",
)  # fmt: skip
GOAL_LABELS: dict[str, str] = {
    "tension_relief": N_("Tension relief"), "post_workout": N_("After a workout"), "stress_relief": N_("Stress relief"),
    "sleep": N_("Sleep"), "flexibility": N_("Flexibility"), "desk_break": N_("Desk break"), "headache": N_("Headache"),
}  # fmt: skip
LEVELS: tuple[str, ...] = ("beginner", "intermediate", "advanced")
LEVEL_LABELS: dict[str, str] = {
    "beginner": N_("Beginner"), "intermediate": N_("Intermediate"), "advanced": N_("Advanced"),
}  # fmt: skip
EQUIPMENT: tuple[str, ...] = (
    "tennis_ball", "massage_ball", "foam_roller", "towel", "massage_oil", "chair", "wall",
)  # fmt: skip
EQUIPMENT_LABELS: dict[str, str] = {
    "tennis_ball": N_("Tennis ball"), "massage_ball": N_("Massage ball"), "foam_roller": N_("Foam roller"),
    "towel": N_("Towel"), "massage_oil": N_("Massage oil"), "chair": N_("Chair"), "wall": N_("Wall"),
}  # fmt: skip
TECHNIQUES: dict[str, str] = {
    "stroking": N_("Long, gliding strokes (effleurage) that warm the tissue and calm the nerves."),
    "kneading": N_("Lifting and squeezing the muscle between fingers and thumb (petrissage)."),
    "friction": N_("Small, deep circles or cross-fibre strokes with the fingertips over one spot."),
    "compression": N_("Steady pressure pressed straight in and held, then slowly released."),
    "trigger_point": N_("Steady, still pressure on one tender spot until the ache eases, usually 30-90 s."),
    "tapping": N_("Light, rhythmic tapping or cupping with loose hands (tapotement)."),
    "rolling": N_("Rolling the body over a ball or foam roller, slowly, pausing on tender spots."),
    "stretch": N_("A gentle, held stretch to the point of mild tension, never pain."),
    "range_of_motion": N_("Slow, easy movement of a joint through its comfortable range."),
    "breathing": N_("Paced breathing; the hands rest or follow the breath."),
    "rest": N_("Stillness: let the body take in the work."),
    "pinching": N_("Gently lifting skin and muscle between finger and thumb, then letting go."),
    "vibration": N_("Fine, fast shaking of the hand on the muscle to help it let go."),
    "pin_and_stretch": N_("Pressing on a muscle while moving the joint to lengthen it."),
}
# The technique's short name, as the terminal player lists it beside the step.
TECHNIQUE_NAMES: dict[str, str] = {
    "stroking": N_("stroking"), "kneading": N_("kneading"), "friction": N_("friction"),
    "compression": N_("compression"), "trigger_point": N_("trigger point"), "tapping": N_("tapping"),
    "rolling": N_("rolling"), "stretch": N_("stretch"), "range_of_motion": N_("range of motion"),
    "breathing": N_("breathing"), "rest": N_("rest"), "pinching": N_("pinching"),
    "vibration": N_("vibration"), "pin_and_stretch": N_("pin and stretch"),
}  # fmt: skip
PRESSURES: tuple[str, ...] = ("light", "medium", "firm")
PRESSURE_LABELS: dict[str, str] = {
    "light": N_("light pressure"), "medium": N_("medium pressure"), "firm": N_("firm pressure"),
}  # fmt: skip
SIDES: tuple[str, ...] = ("left", "right", "both")
SIDE_LABELS: dict[str, str] = {"left": N_("Left side"), "right": N_("Right side"), "both": N_("Both sides")}
# The same inside a sentence ("Next: Roll the calf (right side)"): German keeps its noun's capital.
SIDE_WORDS: dict[str, str] = {"left": N_("left side"), "right": N_("right side"), "both": N_("both sides")}
# The two sides a ``sides:`` block can run on, in either order.
BLOCK_SIDES: tuple[str, ...] = ("left", "right")

STEP_MIN_SECONDS = 1
STEP_MAX_SECONDS = 30 * 60
ROUTINE_MAX_SECONDS = 3 * 60 * 60
ROUTINE_MAX_STEPS = 500
REPEAT_MIN = 1
REPEAT_MAX = 100
TITLE_MAX_CHARS = 120
TEXT_MAX_CHARS = 2000

Source = Literal["builtin", "user"]


def _label(table: dict[str, str], key: str, language: str | None) -> str:
    english = table.get(key)
    if english is None:
        return key.replace("_", " ")  # a value newer than this version: readable rather than missing
    return i18n._(english) if language is None else i18n.translation(language).gettext(english)


def area_label(area: str, language: str | None = None) -> str:
    """The area's name in ``language`` (the active language when None), e.g. ``Lower back``/``Unterer Rücken``."""
    return _label(AREA_LABELS, area, language)


def goal_label(goal: str, language: str | None = None) -> str:
    """The goal's name in ``language`` (the active language when None)."""
    return _label(GOAL_LABELS, goal, language)


def equipment_label(item: str, language: str | None = None) -> str:
    """The equipment's name in ``language`` (the active language when None)."""
    return _label(EQUIPMENT_LABELS, item, language)


def technique_name(technique: str, language: str | None = None) -> str:
    """The technique's short name in ``language`` (the active language when None), e.g. ``kneading``."""
    return _label(TECHNIQUE_NAMES, technique, language)


def technique_description(technique: str, language: str | None = None) -> str:
    """What the technique is, in a sentence, in ``language`` (the active language when None)."""
    return _label(TECHNIQUES, technique, language)


def pressure_label(pressure: str, language: str | None = None) -> str:
    """``medium pressure`` in ``language`` (the active language when None)."""
    return _label(PRESSURE_LABELS, pressure, language)


def level_label(level: str, language: str | None = None) -> str:
    """The level's name in ``language`` (the active language when None)."""
    return _label(LEVEL_LABELS, level, language)


def side_label(side: str | None, language: str | None = None) -> str:
    """``Left side`` in ``language`` (the active language when None); empty for a step without a side."""
    return _label(SIDE_LABELS, side, language) if side else ""


def side_words(side: str, language: str | None = None) -> str:
    """``left side`` inside a sentence, in ``language`` (the active language when None)."""
    return _label(SIDE_WORDS, side, language)


@dataclass(frozen=True)
class Text:
    """A user-visible text in one or more languages; English is always present."""

    values: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, english: str, **others: str) -> Text:
        return cls((("en", english), *others.items()))

    def get(self, language: str = "en") -> str:
        """The text in ``language`` (``pt_BR`` falls back to ``pt``), else English."""
        table = dict(self.values)
        if language in table:
            return table[language]
        base = language.replace("-", "_").split("_", 1)[0]
        return table.get(base, table["en"])

    def __str__(self) -> str:
        return self.get("en")


@dataclass(frozen=True)
class Breathing:
    """One breathing cycle, in seconds per phase."""

    inhale: float
    hold: float = 0.0
    exhale: float = 0.0
    hold_after: float = 0.0

    @property
    def cycle_seconds(self) -> float:
        return self.inhale + self.hold + self.exhale + self.hold_after


@dataclass(frozen=True)
class Step:
    """One step as it runs: repeats unrolled and mirrored steps split into one step per side."""

    title: Text
    instruction: Text
    duration_seconds: int
    technique: str | None = None
    pressure: str | None = None
    side: str | None = None
    focus: str | None = None
    breathing: Breathing | None = None
    say: Text | None = None
    cue: str | None = None
    # 0 for an ordinary step; 1 and 2 for the first and second side of a ``mirror: true`` step or of a
    # ``sides:`` block (every step of the block's first run is 1, of its second run 2).
    mirror_part: int = 0
    # The muscle (or tissue) the step works, named so people learn it; None for breathing and rest.
    muscle: Text | None = None
    # Where the step was written, e.g. ``steps[3]`` or ``steps[2].steps[0]``.
    origin: str = ""

    def spoken_text(self, language: str = "en") -> str:
        """What the voice says when the step starts."""
        if self.say is not None:
            return self.say.get(language)
        return f"{self.title.get(language)}. {self.instruction.get(language)}"


@dataclass(frozen=True)
class Routine:
    """A validated routine with its steps expanded, ready to list or to run."""

    id: str
    title: Text
    summary: Text
    areas: tuple[str, ...]
    goals: tuple[str, ...]
    steps: tuple[Step, ...]
    level: str = "beginner"
    equipment: tuple[str, ...] = ()
    cautions: tuple[Text, ...] = ()
    ambience: str | None = None
    source: Source = "builtin"
    path: str | None = None  # the file it came from (text: cheap to cache for a big library)
    content_hash: str = ""
    languages: tuple[str, ...] = field(default=("en",))
    # ``sleep: true``: a routine to fall asleep to (no end chime, no countdown ticks, the ambience fades slowly).
    sleep: bool = False

    @property
    def duration_seconds(self) -> int:
        return sum(step.duration_seconds for step in self.steps)
