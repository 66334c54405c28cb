"""Searching the library in German finds routines by the words their cards show: areas, kit and goals in
German (they were only searchable by their English names)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from massage_guide.core.library import Library, RoutineInfo, load_library
from massage_guide.core.library_search import Filters, SearchIndex
from massage_guide.core.model import area_label, equipment_label, goal_label


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library(use_cache=False)


def _found(library: Library, text: str, language: str) -> set[str]:
    routines = list(library.summaries.values())
    return {routines[row].id for row in SearchIndex(routines, language).rows(Filters(text=text))}


@pytest.mark.parametrize(
    ("word", "labels"),
    [
        ("Waden", lambda r: [area_label(a, "de") for a in r.areas]),
        ("Schultern", lambda r: [area_label(a, "de") for a in r.areas]),
        ("Tennisball", lambda r: [equipment_label(e, "de") for e in r.equipment]),
        ("Schreibtischpause", lambda r: [goal_label(g, "de") for g in r.goals]),
    ],
)
def test_a_german_word_on_the_cards_finds_every_routine_it_is_on(
    library: Library, word: str, labels: Callable[[RoutineInfo], list[str]]
) -> None:
    """Every routine whose card (or filter) names an area, kit or goal with the word is found by it."""
    shown = {
        r.id for r in library.summaries.values() if any(word.casefold() in x.casefold() for x in labels(r))
    }
    assert len(shown) >= 2  # most of these routines have no German text of their own
    assert shown <= _found(library, word.lower(), "de")


def test_no_equipment_is_found_in_german_and_english_words_still_work(library: Library) -> None:
    """ "ohne Hilfsmittel" finds the routines that need nothing; English names still find in German."""
    nothing = {r.id for r in library.summaries.values() if not r.equipment}
    assert _found(library, "ohne hilfsmittel", "de") == nothing
    assert _found(library, "shoulders", "de") == _found(library, "shoulders", "en")
