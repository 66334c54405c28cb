"""The routine document: a routine as its file is written (blocks, mirroring, translations), to edit and expand.

``Routine`` is the runtime form (repeats unrolled, mirrored steps split); it cannot be written back. A
``RoutineDocument`` mirrors the file instead: the step list keeps its repeat and sides blocks, a mirrored
step stays one step, and every text keeps its translations. ``expand()`` derives the runtime ``Routine``
exactly as the loader does for the same file; ``routine_writer`` writes a document back as YAML. A document
may be invalid while someone edits it: the loader's checks (through ``routine_writer.check_document``) are
the one set of rules that says so.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from massage_guide.core.files import one_line
from massage_guide.core.i18n import _
from massage_guide.core.loader import SIDES_KEYS, parse_duration
from massage_guide.core.model import Breathing, Routine, Source, Step, Text
from massage_guide.core.yaml_problems import yaml_problem

# The keys of a sides block: ``{sides: [left, right], steps: [...]}`` runs its steps once per side.
SIDES_BLOCK_KEYS = SIDES_KEYS
NO_AMBIENCE = "none"  # what the file says for "no ambience", as opposed to leaving the key out
_PATH_PART = re.compile(r"([A-Za-z_]+)\[(\d+)\]")


def text(english: str = "") -> Text:
    """A text with only English, possibly empty while someone is still writing it."""
    return Text((("en", english),))


def in_language(value: Text | None, language: str) -> str:
    """The text written in exactly ``language`` ("" when there is none: no falling back to English)."""
    return "" if value is None else dict(value.values).get(language, "")


def with_optional(value: Text | None, language: str, content: str) -> Text | None:
    """An optional text (``say``, ``muscle``) with ``language`` set; None once nothing is left in it."""
    if value is None:
        return None if not content.strip() else with_language(text(""), language, content)
    updated = with_language(value, language, content if content.strip() else "")
    return None if not any(words.strip() for _lang, words in updated.values) else updated


def with_language(value: Text, language: str, content: str) -> Text:
    """``value`` with ``language`` set to ``content`` (removed when empty, except English)."""
    pairs = [(lang, words) for lang, words in value.values if lang != language]
    if content or language == "en":
        pairs.append((language, content))
    pairs.sort(key=lambda pair: pair[0] != "en")
    return Text(tuple(pairs))


@dataclass(frozen=True)
class StepItem:
    """One step as written: ``mirror: true`` is kept as a flag, not split into two."""

    title: Text = field(default_factory=text)
    instruction: Text = field(default_factory=text)
    duration: str | int = "30s"  # as written: ``45s``, ``1m30s`` or a number of seconds
    technique: str | None = None
    pressure: str | None = None
    side: str | None = None
    mirror: bool = False
    focus: str | None = None
    breathing: Breathing | None = None
    say: Text | None = None
    cue: str | None = None
    muscle: Text | None = None
    # Where the item was in the text it was read from (``steps[2].steps[0]``), so the writer can keep
    # the comments written around it; empty for an item made in the editor.
    origin: str = field(default="", compare=False)


@dataclass(frozen=True)
class RepeatBlock:
    """``{repeat: N, steps: [...]}``: the steps run N times in a row."""

    repeat: int | str = 2
    steps: tuple[Item, ...] = ()
    origin: str = field(default="", compare=False)


@dataclass(frozen=True)
class SidesBlock:
    """``{sides: [left, right], steps: [...]}``: the steps run for the first side, then for the next."""

    sides: tuple[str, ...] = ("left", "right")
    steps: tuple[Item, ...] = ()
    origin: str = field(default="", compare=False)


Item = StepItem | RepeatBlock | SidesBlock


@dataclass(frozen=True)
class RoutineDocument:
    """A routine as its file is written. ``level`` and ``ambience`` are None when the file leaves them out."""

    id: str = ""
    title: Text = field(default_factory=text)
    summary: Text = field(default_factory=text)
    areas: tuple[str, ...] = ()
    goals: tuple[str, ...] = ()
    level: str | None = "beginner"
    equipment: tuple[str, ...] = ()
    cautions: tuple[Text, ...] = ()
    ambience: str | None = None
    steps: tuple[Item, ...] = ()
    schema_version: int = 1
    sleep: bool = False
    # The text the document was read from ("" for a new one): the writer starts from it, so comments,
    # key order and quoting survive.
    base_text: str = field(default="", compare=False, repr=False)

    def languages(self) -> tuple[str, ...]:
        """Every language some text of the routine is written in, English first."""
        found: dict[str, None] = {"en": None}
        for value in _texts(self):
            for lang, _words in value.values:
                found.setdefault(lang, None)
        return tuple(found)


# -- reading -----------------------------------------------------------------------------------------


class DocumentError(Exception):
    """The text is not a YAML mapping the editor can open; carries a one-line reason with line and column."""


def read_document(source_text: str) -> RoutineDocument:
    """Read a routine file's text into a document, tolerating values the loader would refuse.

    Raises DocumentError only when the text is not YAML at all or not a mapping."""
    data = _load_yaml(source_text)
    if not isinstance(data, dict):
        raise DocumentError(_("a routine file must be a mapping of keys (schema_version, id, ...)"))
    version = data.get("schema_version")
    return RoutineDocument(
        id=_str(data.get("id")) or "",
        title=decode_text(data.get("title")) or text(),
        summary=decode_text(data.get("summary")) or text(),
        areas=_names(data.get("areas")),
        goals=_names(data.get("goals")),
        level=_str(data.get("level")) if "level" in data else None,
        equipment=() if data.get("equipment") in (None, NO_AMBIENCE) else _names(data.get("equipment")),
        cautions=tuple(
            value for value in (decode_text(item) for item in _list(data.get("cautions"))) if value
        ),
        ambience=_str(data.get("ambience")),
        steps=_items(data.get("steps"), "steps"),
        schema_version=version if isinstance(version, int) else 1,
        sleep=data.get("sleep") is True,
        base_text=source_text,
    )


def _load_yaml(source_text: str) -> Any:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        return YAML(typ="rt").load(source_text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = _("YAML syntax error: {problem}").format(problem=yaml_problem(exc.problem, exc.context))
        if mark is None:
            raise DocumentError(problem) from None
        where = _("line {line}, column {column}").format(line=mark.line + 1, column=mark.column + 1)
        raise DocumentError(f"{where}: {problem}") from None
    except YAMLError as exc:
        raise DocumentError(_("YAML error: {error}").format(error=one_line(str(exc)))) from None


def _items(value: Any, where: str) -> tuple[Item, ...]:
    items: list[Item] = []
    for index, node in enumerate(_list(value)):
        here = f"{where}[{index}]"
        if isinstance(node, dict) and "repeat" in node:
            count = node.get("repeat")
            repeat: int | str = (
                count if isinstance(count, int) and not isinstance(count, bool) else str(count)
            )
            items.append(RepeatBlock(repeat, _items(node.get("steps"), f"{here}.steps"), here))
        elif isinstance(node, dict) and "sides" in node:
            sides = _names(node.get("sides"))
            items.append(SidesBlock(sides, _items(node.get("steps"), f"{here}.steps"), here))
        elif isinstance(node, dict):
            items.append(_step(node, here))
    return tuple(items)


def _step(node: dict[str, Any], where: str) -> StepItem:
    duration = node.get("duration")
    mirror = node.get("mirror")
    return StepItem(
        title=decode_text(node.get("title")) or text(),
        instruction=decode_text(node.get("instruction")) or text(),
        duration=duration
        if isinstance(duration, int) and not isinstance(duration, bool)
        else _str(duration) or "",
        technique=_str(node.get("technique")),
        pressure=_str(node.get("pressure")),
        side=_str(node.get("side")),
        mirror=mirror is True,
        focus=_str(node.get("focus")),
        breathing=decode_breathing(node.get("breathing")),
        say=decode_text(node.get("say")),
        cue=_str(node.get("cue")),
        muscle=decode_text(node.get("muscle")),
        origin=where,
    )


def decode_text(value: Any) -> Text | None:
    """A file's text value (plain or a mapping of language to text) as a Text, English first."""
    if value is None:
        return None
    if isinstance(value, dict):
        pairs = [(str(lang), _str(words) or "") for lang, words in value.items()]
        if not any(lang == "en" for lang, _words in pairs):
            pairs.append(("en", ""))
        pairs.sort(key=lambda pair: pair[0] != "en")
        return Text(tuple(pairs))
    return text(_str(value) or "")


def decode_breathing(value: Any) -> Breathing | None:
    if not isinstance(value, dict):
        return None

    def seconds(key: str) -> float:
        number = value.get(key, 0)
        return float(number) if isinstance(number, int | float) and not isinstance(number, bool) else 0.0

    return Breathing(seconds("inhale"), seconds("hold"), seconds("exhale"), seconds("hold_after"))


def _str(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else []


def _names(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    return tuple(_str(item) or "" for item in _list(value))


# -- walking -----------------------------------------------------------------------------------------


def walk(items: Iterable[Item]) -> Iterator[Item]:
    """Every item, blocks before the items inside them, in file order."""
    for item in items:
        yield item
        if isinstance(item, RepeatBlock | SidesBlock):
            yield from walk(item.steps)


def _texts(document: RoutineDocument) -> Iterator[Text]:
    yield document.title
    yield document.summary
    yield from document.cautions
    for item in walk(document.steps):
        if isinstance(item, StepItem):
            yield item.title
            yield item.instruction
            if item.say is not None:
                yield item.say
            if item.muscle is not None:
                yield item.muscle


def origin_parts(origin: str) -> list[tuple[str, int]]:
    """``steps[2].steps[0]`` as ``[("steps", 2), ("steps", 0)]``."""
    return [(key, int(index)) for key, index in _PATH_PART.findall(origin)]


# -- expanding ---------------------------------------------------------------------------------------


class NotExpandableError(ValueError):
    """The document does not describe a valid routine yet (check_document says why)."""


def expand(
    document: RoutineDocument,
    *,
    source: Source = "user",
    path: str | None = None,
    content_hash: str = "",
) -> Routine:
    """The runtime Routine, exactly as the loader builds it from the same file.

    Only meaningful for a document the loader accepts; a value that cannot be expanded at all (a
    duration that is not one) raises NotExpandableError."""
    steps = tuple(_expand_items(document.steps, "steps"))
    languages = sorted({lang for value in _texts(document) for lang, _words in value.values})
    ambience = None if document.ambience in (None, NO_AMBIENCE) else document.ambience
    return Routine(
        id=document.id,
        title=_clean(document.title),
        summary=_clean(document.summary),
        areas=document.areas,
        goals=document.goals,
        steps=steps,
        level=document.level or "beginner",
        equipment=document.equipment,
        cautions=tuple(_clean(caution) for caution in document.cautions),
        ambience=ambience,
        source=source,
        path=path,
        content_hash=content_hash,
        languages=tuple(languages),
        sleep=document.sleep,
    )


def _clean(value: Text) -> Text:
    # The loader strips surrounding white space from every text.
    return Text(tuple((lang, words.strip()) for lang, words in value.values))


def _expand_items(items: Iterable[Item], where: str) -> Iterator[Step]:
    for index, item in enumerate(items):
        here = f"{where}[{index}]"
        if isinstance(item, RepeatBlock):
            if isinstance(item.repeat, str | bool):
                raise NotExpandableError(f"{here}.repeat: {item.repeat!r} is not a whole number")
            inner = list(_expand_items(item.steps, f"{here}.steps"))
            yield from inner * item.repeat
        elif isinstance(item, SidesBlock):
            # Every step of the first run is part 1, of the second part 2, as for a mirrored step.
            inner = list(_expand_items(item.steps, f"{here}.steps"))
            for part, side in enumerate(item.sides, start=1):
                yield from (replace(step, side=side, mirror_part=part) for step in inner)
        else:
            yield from _expand_step(item, here)


def _expand_step(item: StepItem, where: str) -> Iterator[Step]:
    seconds = parse_duration(item.duration)
    if seconds is None:
        raise NotExpandableError(f"{where}.duration: {item.duration!r} is not a duration")
    step = Step(
        title=_clean(item.title),
        instruction=_clean(item.instruction),
        duration_seconds=seconds,
        technique=item.technique,
        pressure=item.pressure,
        side=item.side,
        focus=item.focus,
        breathing=item.breathing,
        say=_clean(item.say) if item.say is not None else None,
        cue=item.cue,
        muscle=_clean(item.muscle) if item.muscle is not None else None,
        origin=where,
    )
    if not item.mirror:
        yield step
        return
    first = item.side or "left"
    other = "right" if first == "left" else "left"
    yield replace(step, side=first, mirror_part=1)
    yield replace(step, side=other, mirror_part=2)
