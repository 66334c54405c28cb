"""Library search: the fast index (typing on, deleting letters) finds exactly what a plain scan finds."""

from __future__ import annotations

import random

from massage_guide.core.library import RoutineSummary
from massage_guide.core.library_search import Filters, SearchIndex, matches
from massage_guide.core.model import AREAS, EQUIPMENT, GOALS, Text


def _routines(count: int) -> list[RoutineSummary]:
    chooser = random.Random(16)
    return [
        RoutineSummary(
            f"r-{n}", Text.of(f"Routine {n} for the {chooser.choice(AREAS)}"), Text.of("Slow and gentle."),
            (chooser.choice(AREAS),), (chooser.choice(GOALS),), "beginner",
            tuple(chooser.sample(EQUIPMENT, chooser.randint(0, 2))), chooser.randint(60, 1800), "user", None,
        )
        for n in range(count)
    ]  # fmt: skip


def test_index_agrees_with_a_plain_scan_while_typing_and_deleting() -> None:
    """Letter by letter forwards and back, with boxes changing, the index lists what ``matches`` lets through."""
    routines = _routines(400)
    index = SearchIndex(routines)
    steps: list[Filters] = []
    for text in (
        "r",
        "ro",
        "rou",
        "routine 1",
        "routine 12",
        "routine 1",
        "rou",
        "",
        "tennis ball",
        "neck 3",
    ):
        steps.append(Filters(text=text))
    steps += [
        Filters(text="1", area="neck"),
        Filters(text="12", area="neck"),
        Filters(text="12", goal="sleep"),
    ]
    steps += [Filters(equipment="none"), Filters(text="2", length="short"), Filters(text="2")]
    for filters in steps:
        expected = [row for row, routine in enumerate(routines) if matches(routine, filters)]
        assert index.rows(filters) == expected, filters


def test_words_match_in_any_order_and_across_fields() -> None:
    """Two words may come from different fields (title and equipment) and in either order."""
    routines = _routines(200)
    with_ball = next(r for r in routines if "tennis_ball" in r.equipment)
    number = with_ball.id.split("-")[1]
    rows = SearchIndex(routines).rows(Filters(text=f"BALL routine {number}"))
    assert routines.index(with_ball) in rows
    assert all(
        "tennis_ball" in routines[row].equipment or "massage_ball" in routines[row].equipment for row in rows
    )
