"""The published JSON Schema and the loader agree: thousands of generated routine files, each accepted by
both or refused by both (the loader's extra checks — sound files that exist, routine totals — left aside)."""

from __future__ import annotations

import copy
import random
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from massage_guide.core import model
from massage_guide.core.duration_pattern import duration_text_pattern
from massage_guide.core.loader import load_routine_bytes, parse_duration
from massage_guide.core.schema import routine_schema
from massage_guide.core.yamlread import Node, read_yaml

DOCUMENTS = 2000
BASE: dict[str, Any] = {
    "schema_version": 1,
    "id": "test-routine",
    "title": "Test routine",
    "summary": "A short routine.",
    "areas": ["neck"],
    "goals": ["tension_relief"],
    "steps": [
        {"title": "Settle", "instruction": "Breathe slowly.", "duration": "30s"},
        {
            "title": "Squeeze",
            "instruction": "Squeeze gently.",
            "duration": 60,
            "side": "left",
            "mirror": True,
        },
        {"repeat": 2, "steps": [{"title": "Circles", "instruction": "Small circles.", "duration": "1m30s"}]},
    ],
}

# Values worth trying, valid and not, for each kind of field.
DURATIONS = [
    30, 1, 1800, 0, 1801, -5, 90.0, 90.5, True, None, "45s", "1m30s", "0h5m", "30m", "30m0s", "30m1s", "0s",
    "2h", "1h", "1M30S", "45 s", " 45s", "²", "①", "٣٠s", "6_00", "1:30", "0x1e", "1m90s", "05s", "90", "0090",
    "1" * 30, "", "s", "m", "0m59s", "29m59s", "1800s", "1801s", [30], {"s": 1},
]  # fmt: skip
TEXTS = [
    "Title", "", "   ", "\t", "x" * 120, "x" * 121, "x" * 2000, "x" * 2001, 12, True, None, ["a"], "2024-01-01",
    {"en": "Hi"}, {"en": "Hi", "de": "Hallo"}, {"de": "Hallo"}, {"en": ""}, {"en": " "}, {"EN": "x"},
    {"en": "Hi", "pt_BR": "Oi"}, {"en": "Hi", "xx-": "?"}, {"en": 5},
]  # fmt: skip
CHOICE_LISTS = [[], ["neck"], ["neck", "neck"], ["nope"], "neck", None, ["neck", "feet"], [1]]
SIDES = ["left", "right", "both", "middle", None, True, 1]
MIRRORS = [True, False, "yes", None, 1]
REPEATS = [1, 2, 3, 0, 101, 2.0, 2.5, "2", -1, True, None]
BREATHING = [
    {"inhale": 4, "exhale": 6}, {"inhale": 4}, {"inhale": 0, "exhale": 6}, {"inhale": 4, "exhale": 61},
    {"inhale": 4, "exhale": 6, "hold": 0}, {"inhale": 4, "exhale": 6, "hold": -1}, {"inhale": 4.5, "exhale": 6.5},
    {"inhale": True, "exhale": 6}, {"inhale": 4, "exhale": 6, "pause": 1}, "4-6", None,
]  # fmt: skip
SOUNDS = ["soft-rain", "none", "Soft-Rain", "../x", "a--b", "", 5, None]
IDS = [
    "test-routine",
    "a",
    "a" * model.ID_MAX_CHARS,
    "a" * (model.ID_MAX_CHARS + 1),
    "Bad",
    "-x",
    "x-",
    "a_b",
    5,
]
LEVELS = [*model.LEVELS, "expert", None, 1]
EQUIPMENT = ["none", None, [], ["tennis_ball"], ["tennis_ball", "tennis_ball"], ["laser"], "ball"]


def plain(node: Node | None) -> Any:
    """The file as the JSON document an editor's YAML language server checks against the schema."""
    if node is None:
        return None
    if node.kind == "sequence":
        return [plain(child) for child in node.value]
    if node.kind == "mapping":
        return {key: plain(child) for key, child in node.value.items()}
    return node.value


def mutate(rng: random.Random) -> dict[str, Any]:
    document = copy.deepcopy(BASE)
    step = rng.choice([document["steps"][0], document["steps"][1], document["steps"][2]["steps"][0]])
    for _ in range(rng.randint(1, 3)):
        what = rng.randrange(14)
        if what == 0:
            step["duration"] = rng.choice(DURATIONS)
        elif what == 1:
            step[rng.choice(["title", "instruction", "say"])] = rng.choice(TEXTS)
        elif what == 2:
            document[rng.choice(["title", "summary"])] = rng.choice(TEXTS)
        elif what == 3:
            step["side"] = rng.choice(SIDES)
        elif what == 4:
            step["mirror"] = rng.choice(MIRRORS)
        elif what == 5:
            document["steps"][2]["repeat"] = rng.choice(REPEATS)
        elif what == 6:
            step["breathing"] = copy.deepcopy(rng.choice(BREATHING))
        elif what == 7:
            document[rng.choice(["areas", "goals"])] = rng.choice(CHOICE_LISTS)
        elif what == 8:
            document["ambience"] = rng.choice(SOUNDS)
        elif what == 9:
            document["id"] = rng.choice(IDS)
        elif what == 10:
            document["level"] = rng.choice(LEVELS)
        elif what == 11:
            document["equipment"] = rng.choice(EQUIPMENT)
        elif what == 12:
            document["schema_version"] = rng.choice([1, 1.0, 2, "1", None])
        else:
            key = rng.choice(["cue", "focus", "technique", "pressure", "colour"])
            step[key] = rng.choice(["wood", "neck", "kneading", "light", "red", "none", 3, None])
    if document["goals"] == ["neck"]:
        document["goals"] = ["tension_relief"]
    return document


def test_thousands_of_generated_routines_get_the_same_verdict_from_schema_and_loader() -> None:
    """Every generated file is valid for both the schema and the loader, or for neither."""
    validator = jsonschema.Draft202012Validator(routine_schema())
    rng = random.Random(14)
    verdicts = {True: 0, False: 0}
    disagreements: list[str] = []
    for _ in range(DOCUMENTS):
        text = yaml.safe_dump(mutate(rng), allow_unicode=True, sort_keys=False)
        data = text.encode("utf-8")
        routine, problems = load_routine_bytes(data, Path("gen.yaml"))
        schema_ok = validator.is_valid(plain(read_yaml(data)))
        loader_ok = routine is not None
        verdicts[loader_ok] += 1
        if schema_ok != loader_ok:
            disagreements.append(f"schema {schema_ok}, loader {loader_ok}: {problems[:1]}\n{text}")
    assert disagreements == [], f"{len(disagreements)} disagree; the first:\n{disagreements[0]}"
    assert min(verdicts.values()) > DOCUMENTS // 10  # both verdicts are well represented


@pytest.mark.parametrize("seed", range(2))
def test_the_duration_pattern_is_the_loaders_rule(seed: int) -> None:
    """For random text made of digits and units, the schema's duration pattern matches exactly when the
    loader reads a duration from 1 s to 30 min."""
    pattern = re.compile(duration_text_pattern(model.STEP_MIN_SECONDS, model.STEP_MAX_SECONDS))
    rng = random.Random(seed)
    for _ in range(5000):
        text = "".join(rng.choice("0123456789hms") for _ in range(rng.randint(1, 8)))
        seconds = parse_duration(text)
        expected = seconds is not None and model.STEP_MIN_SECONDS <= seconds <= model.STEP_MAX_SECONDS
        assert bool(pattern.fullmatch(text)) == expected, text
