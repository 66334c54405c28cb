"""The exact words the voice says for each step: the safety line first, the side when a side begins."""

from __future__ import annotations

from collections.abc import Sequence

from massage_guide.core.model import Routine, Step, Text

# Said at the first step of every routine, after its key caution: a session started straight from the
# command line or a reminder skips the detail page, so a person with eyes closed hears it here.
STOP_RULE = "Stop if anything feels sharp, numb or tingling."
# A caution that is itself the stop rule is not the routine's key caution (the stop rule is said anyway).
_STOP_RULE_START = "stop if"
SIDES = ("left", "right")


def key_caution(cautions: Sequence[Text], language: str = "en") -> str | None:
    """The caution spoken at the start: the first one listed that is not the general stop rule."""
    for caution in cautions:
        text = caution.get(language).strip()
        if text and not text.lower().startswith(_STOP_RULE_START):
            return text
    return None


def safety_line(cautions: Sequence[Text], language: str = "en") -> str:
    """The routine's key caution and the stop rule, as spoken before the first step's own words."""
    caution = key_caution(cautions, language)
    return f"{_sentence(caution)} {STOP_RULE}" if caution else STOP_RULE


def side_announcement(steps: Sequence[Step], index: int) -> str | None:
    """Says "Left side." when a run of steps on one side begins, and "Switch to the right side." where a
    mirrored step or a sides block moves on to its second side."""
    step = steps[index]
    side = step.side
    if side not in SIDES:
        return None
    before = steps[index - 1].side if index > 0 else None
    if before == side:
        return None
    if step.mirror_part == 2 and before in SIDES:
        return f"Switch to the {side} side."
    return f"{side.capitalize()} side."


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
    announcement = side_announcement(steps, index)
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
