"""Fuzzing the routine loader with hypothesis: any bytes, any YAML tree, never an exception or a stray line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from massage_guide.core.loader import STEP_KEYS, load_routine_bytes
from tests.core.test_loader import GOOD, PATH, SOUNDS

FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(["30s", "1m30s", "²", "6_00", "1:30", "0x1e", "neck", "en", "both", "left", "none"]),
)
trees = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from([*STEP_KEYS, "repeat", "steps", "en", "x"]), inner, max_size=5)
    ),
    max_leaves=25,
)


def check(data: bytes) -> None:
    routine, problems = load_routine_bytes(data, PATH, sound_ids=SOUNDS.__getitem__)
    assert (routine is None) == bool(problems)
    for problem in problems:
        text = str(problem)
        assert "\n" not in text and "\r" not in text and text.startswith("my.yaml:")


@FUZZ
@given(st.binary(max_size=400))
def test_any_bytes_give_problems_or_a_routine(data: bytes) -> None:
    """Arbitrary bytes never raise: they load or they give located one-line problems."""
    check(data)


@FUZZ
@given(st.text(alphabet=st.sampled_from(list("{}[]:,-&*!|>'\"#%@ \n\t0123456789abcsmh.²٣_")), max_size=200))
def test_yaml_punctuation_soup_gives_problems_or_a_routine(text: str) -> None:
    """Text made of YAML's special characters never raises."""
    check(text.encode())


@FUZZ
@given(trees)
def test_any_tree_as_a_step_gives_problems_or_a_routine(step: Any) -> None:
    """Any YAML value where a step goes is checked without raising."""
    document = yaml.safe_load(GOOD)
    document["steps"][0] = step
    check(yaml.safe_dump(document, allow_unicode=True).encode())


@FUZZ
@given(
    st.sampled_from(["title", "summary", "areas", "goals", "level", "equipment", "cautions", "ambience"]),
    trees,
)
def test_any_value_for_a_routine_key_gives_problems_or_a_routine(key: str, value: Any) -> None:
    """Any YAML value for a top-level key is checked without raising."""
    document = yaml.safe_load(GOOD)
    document[key] = value
    check(yaml.safe_dump(document, allow_unicode=True).encode())


def test_the_fuzzing_reaches_valid_files() -> None:
    """The base document the fuzzers mutate is itself valid, so they explore near-valid files."""
    routine, problems = load_routine_bytes(GOOD.encode(), Path("my.yaml"), sound_ids=SOUNDS.__getitem__)
    assert routine is not None and problems == []
