"""The exact words the voice says for each step: the safety line first, the side when a side begins."""

from __future__ import annotations

from collections.abc import Sequence

from massage_guide.core.i18n import N_, translation
from massage_guide.core.model import Routine, Step, Text

# Said at the first step of every routine, after its key caution: a session started straight from the
# command line or a reminder skips the detail page, so a person with eyes closed hears it here.
STOP_RULE = N_("Stop if anything feels sharp, numb or tingling.")
# A caution that is itself the stop rule is not the routine's key caution (the stop rule is said anyway).
# Translators: how a caution that is the general stop rule begins, in lower case ("stop if you feel ...").
_STOP_RULE_START = N_("stop if")
SIDES = ("left", "right")
# The side announcements, whole sentences so each language can inflect "left" and "right" its own way.
_SIDE_STARTS = {"left": N_("Left side."), "right": N_("Right side.")}
_SIDE_SWITCHES = {"left": N_("Switch to the left side."), "right": N_("Switch to the right side.")}


def stop_rule(language: str = "en") -> str:
    """The stop rule in ``language``."""
    return translation(language).gettext(STOP_RULE)


def key_caution(cautions: Sequence[Text], language: str = "en") -> str | None:
    """The caution spoken at the start: the first one listed that is not the general stop rule."""
    starts = {_STOP_RULE_START, translation(language).gettext(_STOP_RULE_START).lower()}
    for caution in cautions:
        text = caution.get(language).strip()
        if text and not text.lower().startswith(tuple(starts)):
            return text
    return None


def safety_line(cautions: Sequence[Text], language: str = "en") -> str:
    """The routine's key caution and the stop rule, as spoken before the first step's own words."""
    caution = key_caution(cautions, language)
    rule = stop_rule(language)
    return f"{_sentence(caution)} {rule}" if caution else rule


def side_announcement(steps: Sequence[Step], index: int, language: str = "en") -> str | None:
    """Says "Left side." when a run of steps on one side begins, and "Switch to the right side." where a
    mirrored step or a sides block moves on to its second side."""
    step = steps[index]
    side = step.side
    if side not in SIDES:
        return None
    before = steps[index - 1].side if index > 0 else None
    if before == side:
        return None
    table = _SIDE_SWITCHES if step.mirror_part == 2 and before in SIDES else _SIDE_STARTS
    return translation(language).gettext(table[side])


def step_words(step: Step, language: str = "en") -> str:
    """The step's own line: its ``say`` text, else its title and instruction."""
    return step.spoken_text(language)


def spoken_words(
    steps: Sequence[Step], index: int, cautions: Sequence[Text] = (), language: str = "en"
) -> str:
    """Everything the voice says when step ``index`` starts, in order."""
    parts: list[str] = []
    if index == 0:
        parts.append(safety_line(cautions, language))
    announcement = side_announcement(steps, index, language)
    if announcement:
        parts.append(announcement)
    parts.append(step_words(steps[index], language))
    return " ".join(parts)


def spoken_texts(routine: Routine, language: str = "en") -> tuple[str, ...]:
    """The words for every step of ``routine``, in step order."""
    steps = routine.steps
    return tuple(spoken_words(steps, index, routine.cautions, language) for index in range(len(steps)))


def _sentence(text: str) -> str:
    return text if text.endswith((".", "!", "?")) else f"{text}."


def speech_language(routine: Routine, language: str) -> str:
    """The language the voice speaks ``routine`` in: the user's where the routine has that translation,
    else English, the language its words are written in. A German voice reading English words is hard to
    follow with closed eyes, so the safety line and the sides then come in English too, in one voice."""
    base = language.replace("-", "_").split("_", 1)[0]
    return language if language in routine.languages or base in routine.languages else "en"


def first_words(routine: Routine, language: str = "en", count: int = 2) -> list[str]:
    """What the voice says as the first ``count`` steps start, exactly as a session asks for it: the
    voice renders whole texts, so getting any other words ready leaves the first ones to render late."""
    steps = routine.steps
    return [spoken_words(steps, index, routine.cautions, language) for index in range(min(count, len(steps)))]
