"""A German routine is spoken entirely in German: the stop rule, the side announcements, the labels."""

from __future__ import annotations

from massage_guide.core.model import (
    Step,
    Text,
    area_label,
    equipment_label,
    goal_label,
    level_label,
    technique_description,
)
from massage_guide.core.spoken import key_caution, side_announcement, spoken_texts, stop_rule


def _step(side: str | None, part: int = 0, origin: str = "steps[0]") -> Step:
    return Step(
        title=Text.of("Roll", de="Rollen"),
        instruction=Text.of("Roll slowly.", de="Langsam rollen."),
        duration_seconds=30,
        side=side,
        mirror_part=part,
        origin=origin,
    )


def test_side_announcements_in_german() -> None:
    """The first side is named and the switch is announced in German, in whole German sentences."""
    steps = [_step("both"), _step("left", 1), _step("right", 2)]
    assert side_announcement(steps, 1, "de") == "Linke Seite."
    assert side_announcement(steps, 2, "de") == "Wechsle zur rechten Seite."
    assert side_announcement(steps, 2, "en") == "Switch to the right side."


def test_stop_rule_and_key_caution_in_german() -> None:
    """The German stop rule is spoken; a German caution that is itself the stop rule is not the key caution."""
    cautions = (
        Text.of("Stop if you feel sharp pain.", de="Hör auf, wenn du stechenden Schmerz spürst."),
        Text.of("Keep off the throat.", de="Lass die Vorderseite des Halses aus."),
    )
    assert key_caution(cautions, "de") == "Lass die Vorderseite des Halses aus."
    assert stop_rule("de") == "Hör auf, wenn sich etwas stechend, taub oder kribbelnd anfühlt."


def test_german_routine_has_no_english_spoken_words() -> None:
    """Every spoken line of a routine written in German is German, from the safety line to the last side."""
    from massage_guide.core.model import Routine

    routine = Routine(
        id="r",
        title=Text.of("R", de="R"),
        summary=Text.of("S", de="S"),
        areas=("neck",),
        goals=("desk_break",),
        steps=(_step("left", 1), _step("right", 2)),
        cautions=(Text.of("Keep off the throat.", de="Lass die Vorderseite des Halses aus."),),
    )
    assert spoken_texts(routine, "de") == (
        "Lass die Vorderseite des Halses aus. Hör auf, wenn sich etwas stechend, taub oder kribbelnd anfühlt. "
        "Linke Seite. Rollen. Langsam rollen.",
        "Wechsle zur rechten Seite. Rollen. Langsam rollen.",
    )


def test_labels_through_gettext() -> None:
    """Area, goal, equipment and level labels come in the asked language; unknown keys stay readable."""
    assert area_label("lower_back", "de") == "Unterer Rücken"
    assert area_label("lower_back", "en") == "Lower back"
    assert goal_label("desk_break", "de") == "Schreibtischpause"
    assert equipment_label("foam_roller", "de") == "Faszienrolle"
    assert level_label("beginner", "de") == "Einsteiger"
    assert technique_description("kneading", "de").startswith("Den Muskel zwischen Fingern und Daumen")
    assert area_label("left_ear", "de") == "left ear"
