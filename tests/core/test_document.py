"""The routine document and its writer: files read, edited and written back keep every field and comment."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import pytest

from massage_guide import resources
from massage_guide.core.document import (
    DocumentError,
    RepeatBlock,
    RoutineDocument,
    SidesBlock,
    StepItem,
    expand,
    read_document,
    text,
    with_language,
)
from massage_guide.core.library import routine_files
from massage_guide.core.loader import load_routine_bytes, load_routine_file
from massage_guide.core.model import Breathing, Text
from massage_guide.core.routine_writer import check_document, content_hash, guess_indent, write_document
from tests.conftest import REPO_ROOT

EXAMPLE = (REPO_ROOT / "docs" / "routine-format.md").read_text(encoding="utf-8").split("```yaml\n")[2]
EXAMPLE = EXAMPLE.split("```", 1)[0]
BUILTINS = routine_files(resources.routines_dir())


def _load(written: str, path: Path = Path("x.yaml")):  # type: ignore[no-untyped-def]
    routine, problems = load_routine_bytes(written.encode("utf-8"), path)
    assert problems == []
    assert routine is not None
    return routine


@pytest.mark.parametrize("path", BUILTINS, ids=lambda p: p.stem)
def test_builtin_routines_write_back_byte_for_byte(path: Path) -> None:
    """A file read and written without a change comes back identical: quoting, comments and order kept."""
    original = path.read_text(encoding="utf-8")
    assert write_document(read_document(original)) == original


@pytest.mark.parametrize("path", BUILTINS, ids=lambda p: p.stem)
def test_expand_matches_the_loader(path: Path) -> None:
    """expand() gives exactly the Routine the loader builds from the same file (origins included)."""
    routine, problems = load_routine_file(path, source="builtin")
    assert problems == [] and routine is not None
    document = read_document(path.read_text(encoding="utf-8"))
    expanded = expand(document, source="builtin", path=str(path), content_hash=routine.content_hash)
    assert expanded == routine
    assert [s.origin for s in expanded.steps] == [s.origin for s in routine.steps]


def test_the_format_example_keeps_comments_and_translations_through_an_edit() -> None:
    """Editing a field, moving blocks and adding a step keeps every comment and the German text."""
    document = read_document(EXAMPLE)
    assert write_document(document) == EXAMPLE
    comments = [line[line.index("#") :] for line in EXAMPLE.splitlines() if "#" in line]
    assert len(comments) >= 4
    steps = list(document.steps)
    steps[1], steps[3] = steps[3], steps[1]  # the sides block and the repeat block change places
    steps.append(StepItem(title=text("Breathe"), instruction=text("Slow breaths."), duration=20))
    edited = replace(document, title=text("Evening feet, longer"), steps=tuple(steps))
    written = write_document(edited)
    for comment in comments:
        assert comment in written
    assert "de: Stelle beide Füße auf den Boden" in written
    # Key order of the file is kept: title still follows id, steps stay last.
    keys = [line.split(":")[0] for line in written.splitlines() if line and line[0].isalpha()]
    assert keys == [
        "schema_version", "id", "title", "summary", "areas", "goals", "level", "equipment", "cautions",
        "ambience", "steps",
    ]  # fmt: skip
    routine = _load(written)
    assert routine == expand(edited, path="x.yaml", content_hash=content_hash(written))
    assert routine.title == Text.of("Evening feet, longer")
    titles = [s.title.get() for s in routine.steps]
    assert titles[:3] == ["Settle in", "Point and flex", "Point and flex"]
    assert titles[-1] == "Breathe"
    # Read again, the edited document is equal to what was written: nothing dropped on the way.
    assert read_document(written) == edited


def test_load_edit_save_gives_an_equal_routine_with_every_field() -> None:
    """Every field a step and a routine can have survives a write and a load, equal to expand()."""
    step = StepItem(
        title=Text((("en", "Hold"), ("de", "Halten"))),
        instruction=text("Press and hold."),
        duration="1m30s",
        technique="compression",
        pressure="firm",
        side="right",
        mirror=True,
        focus="shoulders",
        breathing=Breathing(4, 1, 6, 2),
        say=Text((("en", "Press."), ("pt_BR", "Pressione."))),
        cue="chime",
        muscle=text("upper trapezius"),
    )
    document = replace(
        read_document(EXAMPLE),
        id="all-fields",
        level="advanced",
        equipment=("tennis_ball", "wall"),
        cautions=(text("Stop if it hurts."),),
        ambience="ocean-waves",
        sleep=True,
        steps=(
            step,
            RepeatBlock(3, (replace(step, mirror=False, side="both"),)),
            SidesBlock(("right", "left"), (replace(step, mirror=False, side=None),)),
        ),
    )
    written = write_document(document)
    routine = _load(written)
    assert routine == expand(document, path="x.yaml", content_hash=content_hash(written))
    assert read_document(written) == document
    assert routine.steps[0].side == "right" and routine.steps[1].side == "left"
    assert [(s.side, s.mirror_part) for s in routine.steps[-2:]] == [("right", 1), ("left", 2)]
    assert routine.sleep and routine.steps[0].muscle == Text.of("upper trapezius")
    assert routine.languages == ("de", "en", "pt_BR")


def test_a_new_document_is_written_in_the_house_style() -> None:
    """A routine made from nothing is written with the built-ins' indentation and flow lists."""
    document = replace(
        read_document("schema_version: 1\n"),
        id="mine",
        title=text("Mine"),
        summary=text("My routine."),
        areas=("neck",),
        goals=("sleep",),
        steps=(StepItem(title=text("Rest"), instruction=text("Rest."), duration="1m"),),
    )
    written = write_document(replace(document, base_text=""))
    assert "areas: [neck]\n" in written
    assert "steps:\n  - title: Rest\n    instruction: Rest.\n    duration: 1m\n" in written
    _load(written)


def test_invalid_values_are_kept_and_reported_with_the_validate_messages(tmp_path: Path) -> None:
    """A document being edited may be invalid: check_document gives the loader's own located messages."""
    document = read_document(EXAMPLE)
    first = document.steps[0]
    assert isinstance(first, StepItem)
    bad_step = replace(first, duration="soon")
    edited = replace(document, title=text(""), steps=(bad_step, *document.steps[1:]))
    routine, problems, written = check_document(edited, tmp_path / "mine.yaml")
    assert routine is None
    messages = {(p.where, p.message) for p in problems}
    assert ("title", "is empty; write something here") in messages
    assert any(where == "steps[0].duration" and "'soon' is not a duration" in m for where, m in messages)
    assert read_document(written) == edited


def test_with_language_sets_and_removes_a_translation() -> None:
    """Translations are added and removed one language at a time; English always stays, first."""
    value = with_language(text("Rest"), "de", "Ruhe")
    assert value.values == (("en", "Rest"), ("de", "Ruhe"))
    assert with_language(value, "de", "").values == (("en", "Rest"),)
    assert with_language(value, "en", "Relax").values == (("en", "Relax"), ("de", "Ruhe"))


def test_text_that_is_not_a_routine_mapping_is_refused_with_a_reason() -> None:
    """Broken YAML or a list at the top gives a DocumentError naming the line, never a traceback."""
    with pytest.raises(DocumentError, match="line 2"):
        read_document("id: x\n  title: [\n")
    with pytest.raises(DocumentError, match="mapping"):
        read_document("- just a list\n")


def test_a_file_with_its_own_indentation_keeps_it() -> None:
    """A file indented its own way (dashes flush with the key, four-space mappings) is saved the same way."""
    own = (
        "schema_version: 1\nid: mine\ntitle: Mine\nsummary: Mine.\nareas: [neck]\ngoals: [sleep]\n"
        "steps:\n- title: Rest\n  instruction:\n      en: Rest.\n      de: Ruhe.\n  duration: 1m\n"
    )
    assert guess_indent(own) == (4, 2, 0)
    document = read_document(own)
    assert write_document(document) == own
    step = document.steps[0]
    assert isinstance(step, StepItem)
    added = replace(document, steps=(step, replace(step, title=text("Again"))))
    written = write_document(added)
    assert written.endswith(
        "- title: Again\n  instruction:\n      en: Rest.\n      de: Ruhe.\n  duration: 1m\n"
    )
    _load(written)


def _random_edit(document: RoutineDocument, rng: random.Random) -> RoutineDocument:
    """A handful of edits a person might make: move, copy, drop and change items, texts and lists."""
    steps = list(document.steps)
    for _ in range(rng.randint(1, 4)):
        action = rng.choice(("swap", "copy", "drop", "change", "wrap"))
        index = rng.randrange(len(steps))
        if action == "swap" and len(steps) > 1:
            other = rng.randrange(len(steps))
            steps[index], steps[other] = steps[other], steps[index]
        elif action == "copy":
            steps.insert(index, steps[index])
        elif action == "drop" and len(steps) > 1:
            steps.pop(index)
        elif action == "wrap":
            steps[index] = RepeatBlock(rng.randint(1, 3), (steps[index],))
        elif isinstance(steps[index], StepItem):
            step = steps[index]
            assert isinstance(step, StepItem)
            steps[index] = replace(
                step,
                duration=rng.choice(("20s", "1m", 45, "1m30s")),
                title=with_language(step.title, "de", f"Schritt {index}"),
                pressure=rng.choice((None, "light", "firm")),
                say=rng.choice((None, text(f"Step {index}, slowly."))),
            )
    return replace(
        document,
        steps=tuple(steps),
        title=with_language(document.title, "en", document.title.get() + " (mine)"),
        cautions=document.cautions[: rng.randint(0, len(document.cautions))],
        equipment=document.equipment[:1],
        level=rng.choice((None, "beginner", "advanced")),
    )


@pytest.mark.parametrize("path", BUILTINS, ids=lambda p: p.stem)
def test_random_edits_save_and_load_back_equal(path: Path) -> None:
    """Random edits of every built-in, saved and loaded, give exactly the routine expand() promised."""
    rng = random.Random(path.stem)  # the same edits on every run, different for each routine
    original = path.read_text(encoding="utf-8")
    comments = [line[line.index("#") :] for line in original.splitlines() if line.lstrip().startswith("#")]
    document = read_document(original)
    for _ in range(3):
        document = _random_edit(document, rng)
        written = write_document(document)
        routine = _load(written)
        assert routine == expand(document, path="x.yaml", content_hash=content_hash(written))
        assert read_document(written) == document
        for comment in comments:  # the file's own comment lines (the schema line at the top) stay
            assert comment in written
        document = read_document(written)
