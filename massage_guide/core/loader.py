"""Routine files: strict validation of schema_version 1 into a Routine, with every problem located."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from massage_guide.core import model, sounds
from massage_guide.core.files import FileReadError, read_regular
from massage_guide.core.i18n import N_, _, ngettext
from massage_guide.core.model import ID_MAX_CHARS, ID_PATTERN, Breathing, Routine, Source, Step, Text
from massage_guide.core.os_errors import os_reason
from massage_guide.core.problems import MAX_PROBLEMS_PER_FILE, Problem, suggest, suggestion_budget
from massage_guide.core.yamlread import MAX_FILE_BYTES, Mark, Node, YamlError, read_yaml

LANGUAGE_PATTERN = re.compile(r"^[a-z]{2,3}(?:[_-][A-Za-z0-9]{2,8})?$")
# ASCII digits only (\d would also take "²" or "٣"), lowercase units, as docs/routine-format.md shows.
DURATION_PATTERN = re.compile(r"(?:(?P<h>[0-9]+)h)?(?:(?P<m>[0-9]+)m)?(?:(?P<s>[0-9]+)s)?", re.ASCII)
# Nine digits is over 31 years of seconds; longer numbers are refused before int() (which is slow on
# thousands of digits and refuses more than 4,300).
DURATION_MAX_DIGITS = 9
DURATION_MAX_CHARS = 3 * (DURATION_MAX_DIGITS + 1)
BREATH_PHASE_MAX_SECONDS = 60

ROUTINE_KEYS = (
    "schema_version", "id", "title", "summary", "areas", "goals", "level", "equipment", "cautions",
    "ambience", "sleep", "steps",
)  # fmt: skip
REQUIRED_ROUTINE_KEYS = ("schema_version", "id", "title", "summary", "areas", "goals", "steps")
STEP_KEYS = (
    "title", "instruction", "duration", "technique", "pressure", "side", "mirror", "focus", "breathing",
    "say", "cue", "muscle",
)  # fmt: skip
REQUIRED_STEP_KEYS = ("title", "instruction", "duration")
REPEAT_KEYS = ("repeat", "steps")
SIDES_KEYS = ("sides", "steps")
BREATHING_KEYS = ("inhale", "hold", "exhale", "hold_after")


def parse_duration(value: Any) -> int | None:
    """Seconds from ``45s``, ``2m``, ``1m30s``, ``1h`` or a whole number; None when it is not a duration.

    A number after ``h`` or ``m`` counts up to 59 (``1m30s``, not ``1m90s``), so the JSON Schema can
    express exactly the same rule. A whole-number float (``90.0``) counts as a number, as JSON Schema's
    ``integer`` does."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer() and abs(value) < 10**DURATION_MAX_DIGITS:
        return int(value)
    if isinstance(value, int):
        return value
    if not isinstance(value, str) or not value or len(value) > DURATION_MAX_CHARS or not value.isascii():
        return None
    if value.isdigit():
        return int(value) if len(value) <= DURATION_MAX_DIGITS else None
    match = DURATION_PATTERN.fullmatch(value)
    if match is None:
        return None
    parts = [match.group(k) for k in ("h", "m", "s")]
    if any(part is not None and len(part) > DURATION_MAX_DIGITS for part in parts):
        return None
    hours, minutes, seconds = (int(part or 0) for part in parts)
    if (parts[0] is not None and minutes > 59) or (
        (parts[0] is not None or parts[1] is not None) and seconds > 59
    ):
        return None
    return hours * 3600 + minutes * 60 + seconds


def format_duration(seconds: int) -> str:
    """``1m30s``-style text, the inverse of parse_duration."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{hours}h" if hours else "", f"{minutes}m" if minutes else "", f"{secs}s" if secs else ""]
    return "".join(parts) or "0s"


def _shown(value: Any) -> str:
    """A value as a message quotes it: short, so a hostile 4,000-character value stays one short line."""
    text = repr(value)
    if len(text) <= 40:
        return text
    return _("{start}… ({count} characters)").format(start=text[:30], count=_number(len(text)))


def _number(value: int) -> str:
    """``1,234`` in English, ``1.234`` in German (Babel loads only here: only a problem shows a number)."""
    from massage_guide.core import formatting

    return formatting.number(value)


def _type_name(value: Any) -> str:
    """What a YAML value is, as a message says "got ...": YAML's words true/false stay as the user types them."""
    if isinstance(value, bool):
        return _("true/false")
    if value is None:
        return _("nothing")
    if isinstance(value, int | float):
        return _("a number")
    if isinstance(value, str):
        return _("text")
    if isinstance(value, list):
        return _("a list")
    return _("a mapping")


# The words a message names a choice by are whole sentences per kind: German nouns bring their own gender.
_NOT_KNOWN = {
    "area": N_("'{value}' is not a known area."),
    "goal": N_("'{value}' is not a known goal."),
    "level": N_("'{value}' is not a known level."),
    "piece of equipment": N_("'{value}' is not a known piece of equipment."),
    "technique": N_("'{value}' is not a known technique."),
    "pressure": N_("'{value}' is not a known pressure."),
    "side": N_("'{value}' is not a known side."),
}
_LIST_OF = {
    "area": N_("expected a list of areas, got {kind}"),
    "goal": N_("expected a list of goals, got {kind}"),
    "piece of equipment": N_("expected a list of pieces of equipment, got {kind}"),
}
_AT_LEAST_ONE = {
    "area": N_("needs at least one area"),
    "goal": N_("needs at least one goal"),
    "piece of equipment": N_("needs at least one piece of equipment"),
}


class _Checker:
    """Walks the node tree of one file, collecting problems and building the Routine."""

    def __init__(
        self, path: Path, source: Source, sound_ids: Callable[[str], Collection[str]] | None
    ) -> None:
        self.path = path
        self.source = source
        self.sound_ids = sound_ids
        self.problems: list[Problem] = []
        self.first_dropped: Problem | None = None
        self.languages: set[str] = {"en"}
        self.sides_block: str | None = None  # where the enclosing ``sides:`` block is, while inside one

    def fail(self, mark: Mark, where: str, message: str) -> None:
        if len(self.problems) < MAX_PROBLEMS_PER_FILE:
            self.problems.append(Problem(self.path, mark.line, mark.column, message, where))
            return
        # Past the cap only the count matters (the checks compare len(self.problems)): one shared marker.
        if self.first_dropped is None:
            self.first_dropped = Problem(self.path, mark.line, mark.column, message, where)
        self.problems.append(_DROPPED)

    # -- generic shapes -------------------------------------------------------------------------
    def mapping(self, node: Node, where: str, keys: Sequence[str], required: Sequence[str]) -> bool:
        if node.kind != "mapping":
            self.fail(
                node.mark,
                where,
                _("expected a mapping of keys ({keys}), got {kind}").format(
                    keys=", ".join(required), kind=_type_name(node.value)
                ),
            )
            return False
        for key in node.value:
            if key not in keys:
                hint = suggest(key, keys) or " " + _("Allowed keys: {keys}.").format(keys=", ".join(keys))
                message = _("unknown key '{key}'.").format(key=key) + hint
                self.fail(node.key_marks[key], _join(where, key), message)
        for key in required:
            if key not in node.value:
                self.fail(node.mark, where, _("missing required key '{key}'").format(key=key))
        return True

    def text(self, node: Node, where: str, limit: int) -> Text | None:
        if node.kind == "scalar" and isinstance(node.value, str):
            return self._text_value(node, where, limit, (("en", node.value),))
        if node.kind == "mapping":
            pairs: list[tuple[str, str]] = []
            ok = True
            for lang, child in node.value.items():
                if not LANGUAGE_PATTERN.fullmatch(lang):
                    self.fail(
                        node.key_marks[lang],
                        _join(where, lang),
                        _("'{code}' is not a language code such as 'en' or 'pt_BR'").format(code=lang),
                    )
                    ok = False
                elif child.kind != "scalar" or not isinstance(child.value, str):
                    message = _("expected text, got {kind}").format(kind=_type_name(child.value))
                    self.fail(child.mark, _join(where, lang), message)
                    ok = False
                else:
                    pairs.append((lang, child.value))
            if "en" not in node.value:
                self.fail(node.mark, where, _("an English text ('en') is required in every translated field"))
                ok = False
            if not ok:
                return None
            pairs.sort(key=lambda pair: pair[0] != "en")
            return self._text_value(node, where, limit, tuple(pairs))
        self.fail(
            node.mark,
            where,
            _("expected text (or a mapping of language to text), got {kind}").format(
                kind=_type_name(node.value)
            ),
        )
        return None

    def _text_value(
        self, node: Node, where: str, limit: int, pairs: tuple[tuple[str, str], ...]
    ) -> Text | None:
        ok = True
        for lang, value in pairs:
            label = where if len(pairs) == 1 else _join(where, lang)
            if not value.strip():
                self.fail(node.mark, label, _("is empty; write something here"))
                ok = False
            elif len(value) > limit:
                message = _("is {count} characters; the limit is {limit}").format(
                    count=_number(len(value)), limit=_number(limit)
                )
                self.fail(node.mark, label, message)
                ok = False
            self.languages.add(lang)
        return Text(tuple((lang, value.strip()) for lang, value in pairs)) if ok else None

    def choice(self, node: Node, where: str, choices: Collection[str], what: str) -> str | None:
        if node.kind != "scalar" or not isinstance(node.value, str):
            message = _("expected one of {choices}, got {kind}").format(
                choices=", ".join(choices), kind=_type_name(node.value)
            )
            self.fail(node.mark, where, message)
            return None
        if node.value not in choices:
            hint = suggest(node.value, choices) or " " + _("Choose one of: {choices}.").format(
                choices=", ".join(choices)
            )
            self.fail(node.mark, where, _(_NOT_KNOWN[what]).format(value=node.value) + hint)
            return None
        return str(node.value)

    def choices(
        self, node: Node, where: str, choices: Collection[str], what: str, *, allow_empty: bool
    ) -> tuple[str, ...]:
        if node.kind != "sequence":
            self.fail(node.mark, where, _(_LIST_OF[what]).format(kind=_type_name(node.value)))
            return ()
        if not node.value and not allow_empty:
            self.fail(node.mark, where, _(_AT_LEAST_ONE[what]))
        found: list[str] = []
        for index, child in enumerate(node.value):
            value = self.choice(child, f"{where}[{index}]", choices, what)
            if value is not None and value in found:
                self.fail(child.mark, f"{where}[{index}]", _("'{value}' is listed twice").format(value=value))
            elif value is not None:
                found.append(value)
        return tuple(found)

    def sound(self, node: Node, where: str, kind: str, *, allow_none: bool) -> str | None:
        if node.kind != "scalar" or not isinstance(node.value, str):
            self.fail(
                node.mark, where, _("expected a sound id, got {kind}").format(kind=_type_name(node.value))
            )
            return None
        value = node.value
        if allow_none and value == "none":
            return None
        if not sounds.is_sound_id(value):
            self.fail(
                node.mark, where,
                _(
                    "'{value}' is not a sound id: use the name of a file in the {kind} sound folder without its "
                    "extension (lowercase letters, digits and hyphens; paths are not accepted)"
                ).format(value=value, kind=kind),
            )  # fmt: skip
            return None
        if self.sound_ids is not None:
            known = self.sound_ids(kind)
            if value not in known:
                options = sorted(known) + (["none"] if allow_none else [])
                hint = suggest(value, options) or " " + _("Available: {sounds}.").format(
                    sounds=", ".join(options)
                )
                message = _("there is no {kind} sound '{value}'.").format(kind=kind, value=value)
                self.fail(node.mark, where, message + hint)
                return None
        return value

    # -- the routine --------------------------------------------------------------------------------
    def routine(self, root: Node | None, content_hash: str) -> Routine | None:
        if root is None:
            self.fail(
                Mark(1, 1),
                "",
                _(
                    "the file is empty; a routine needs schema_version, id, title, summary, areas, goals and steps"
                ),
            )
            return None
        if root.kind != "mapping":
            self.fail(
                root.mark,
                "",
                _("a routine file must be a mapping of keys (schema_version, id, ...), got {kind}").format(
                    kind=_type_name(root.value)
                ),
            )
            return None
        version_node = root.value.get("schema_version")
        if version_node is None:
            self.fail(
                root.mark,
                "",
                _("missing required key 'schema_version'; add 'schema_version: {version}' at the top").format(
                    version=model.SCHEMA_VERSIONS[-1]
                ),
            )
            return None
        version = _whole(version_node.value)
        if isinstance(version, bool) or not isinstance(version, int) or version not in model.SCHEMA_VERSIONS:
            readable = ", ".join(str(v) for v in model.SCHEMA_VERSIONS)
            self.fail(
                version_node.mark,
                "schema_version",
                _(
                    "schema_version {version} is not one this app reads (it reads: {readable}); "
                    "a newer app may be needed"
                ).format(version=repr(version), readable=readable),
            )
            return None
        self.mapping(root, "", ROUTINE_KEYS, REQUIRED_ROUTINE_KEYS)
        fields = root.value

        routine_id = self._id(fields.get("id"))
        title = self.text(fields["title"], "title", model.TITLE_MAX_CHARS) if "title" in fields else None
        summary = (
            self.text(fields["summary"], "summary", model.TEXT_MAX_CHARS) if "summary" in fields else None
        )
        areas = (
            self.choices(fields["areas"], "areas", model.AREAS, "area", allow_empty=False)
            if "areas" in fields
            else ()
        )
        goals = (
            self.choices(fields["goals"], "goals", model.GOALS, "goal", allow_empty=False)
            if "goals" in fields
            else ()
        )
        level = (
            self.choice(fields["level"], "level", model.LEVELS, "level") if "level" in fields else "beginner"
        )
        equipment: tuple[str, ...] = ()
        if "equipment" in fields:
            node = fields["equipment"]
            if node.kind == "scalar" and node.value in ("none", None):
                equipment = ()
            else:
                equipment = self.choices(
                    node, "equipment", model.EQUIPMENT, "piece of equipment", allow_empty=True
                )
        cautions: list[Text] = []
        if "cautions" in fields:
            node = fields["cautions"]
            if node.kind != "sequence":
                message = _("expected a list of texts, got {kind}").format(kind=_type_name(node.value))
                self.fail(node.mark, "cautions", message)
            else:
                for index, child in enumerate(node.value):
                    caution = self.text(child, f"cautions[{index}]", model.TEXT_MAX_CHARS)
                    if caution is not None:
                        cautions.append(caution)
        ambience = (
            self.sound(fields["ambience"], "ambience", sounds.AMBIENCE, allow_none=True)
            if "ambience" in fields
            else None
        )
        sleep = self._flag(fields["sleep"], "sleep") if "sleep" in fields else False
        steps: list[Step] = []
        if "steps" in fields:
            steps = self._steps(fields["steps"], "steps", 0)
            if fields["steps"].kind == "sequence" and not fields["steps"].value:
                self.fail(fields["steps"].mark, "steps", _("needs at least one step"))
            self._check_totals(fields["steps"], steps)

        if self.problems or routine_id is None or title is None or summary is None or level is None:
            return None
        return Routine(
            id=routine_id, title=title, summary=summary, areas=areas, goals=goals, steps=tuple(steps),
            level=level, equipment=equipment, cautions=tuple(cautions), ambience=ambience, source=self.source,
            path=str(self.path), content_hash=content_hash, languages=tuple(sorted(self.languages)),
            sleep=bool(sleep),
        )  # fmt: skip

    def _id(self, node: Node | None) -> str | None:
        if node is None:
            return None
        value = node.value
        if (
            node.kind != "scalar"
            or not isinstance(value, str)
            or not ID_PATTERN.fullmatch(value)
            or len(value) > ID_MAX_CHARS
        ):
            self.fail(
                node.mark,
                "id",
                _(
                    "{value} is not a valid id: use lowercase letters, digits and hyphens, such as "
                    "'neck-release' (at most {limit} characters)"
                ).format(value=repr(value), limit=ID_MAX_CHARS),
            )
            return None
        return value

    def _check_totals(self, node: Node, steps: list[Step]) -> None:
        if self.problems:
            return
        if len(steps) > model.ROUTINE_MAX_STEPS:
            self.fail(
                node.mark,
                "steps",
                _("expands to {count} steps (after repeats and mirroring); the limit is {limit}").format(
                    count=_number(len(steps)), limit=model.ROUTINE_MAX_STEPS
                ),
            )
        total = sum(step.duration_seconds for step in steps)
        if total > model.ROUTINE_MAX_SECONDS:
            self.fail(
                node.mark,
                "steps",
                _("the routine lasts {duration}; the limit is {limit}").format(
                    duration=format_duration(total), limit=format_duration(model.ROUTINE_MAX_SECONDS)
                ),
            )

    def _steps(self, node: Node, where: str, depth: int) -> list[Step]:
        if node.kind != "sequence":
            self.fail(
                node.mark,
                where,
                _("expected a list of steps, got {kind}").format(kind=_type_name(node.value)),
            )
            return []
        result: list[Step] = []
        for index, child in enumerate(node.value):
            here = f"{where}[{index}]"
            if child.kind == "mapping" and "repeat" in child.value:
                result.extend(self._repeat(child, here, depth))
            elif child.kind == "mapping" and "sides" in child.value:
                result.extend(self._sides(child, here, depth))
            else:
                result.extend(self._step(child, here))
            if len(result) > model.ROUTINE_MAX_STEPS:
                self.fail(
                    child.mark,
                    here,
                    _(
                        "the routine expands to more than {limit} steps (after repeats and mirroring); "
                        "make it shorter"
                    ).format(limit=model.ROUTINE_MAX_STEPS),
                )
                break
        return result

    def _repeat(self, node: Node, where: str, depth: int) -> list[Step]:
        self.mapping(node, where, REPEAT_KEYS, REPEAT_KEYS)
        count_node = node.value["repeat"]
        count = _whole(count_node.value)
        if (
            isinstance(count, bool)
            or not isinstance(count, int)
            or not model.REPEAT_MIN <= count <= model.REPEAT_MAX
        ):
            self.fail(
                count_node.mark,
                _join(where, "repeat"),
                _("expected a whole number from {low} to {high}, got {value}").format(
                    low=model.REPEAT_MIN, high=model.REPEAT_MAX, value=repr(count)
                ),
            )
            count = 1
        if "steps" not in node.value:
            return []
        inner = self._steps(node.value["steps"], _join(where, "steps"), depth + 1)
        if node.value["steps"].kind == "sequence" and not node.value["steps"].value:
            self.fail(
                node.value["steps"].mark, _join(where, "steps"), _("a repeat block needs at least one step")
            )
        if len(inner) * count > model.ROUTINE_MAX_STEPS:
            self.fail(
                count_node.mark,
                _join(where, "repeat"),
                ngettext(
                    "repeating {inner} step {count} times makes {total} steps; the limit is {limit}",
                    "repeating {inner} steps {count} times makes {total} steps; the limit is {limit}",
                    len(inner),
                ).format(
                    inner=len(inner),
                    count=count,
                    total=_number(len(inner) * count),
                    limit=model.ROUTINE_MAX_STEPS,
                ),
            )
            return inner
        return inner * count

    def _sides(self, node: Node, where: str, depth: int) -> list[Step]:
        """``{sides: [left, right], steps: [...]}``: the steps on the first side, then all of them on the other."""
        self.mapping(node, where, SIDES_KEYS, SIDES_KEYS)
        sides_node = node.value["sides"]
        order = self._block_sides(sides_node, _join(where, "sides"))
        if self.sides_block is not None:
            self.fail(
                sides_node.mark,
                _join(where, "sides"),
                _(
                    "a sides block cannot sit inside another one ({outer}); "
                    "put the steps straight into the outer block"
                ).format(outer=self.sides_block),
            )
            return []
        if "steps" not in node.value:
            return []
        self.sides_block = where
        try:
            inner = self._steps(node.value["steps"], _join(where, "steps"), depth + 1)
        finally:
            self.sides_block = None
        if node.value["steps"].kind == "sequence" and not node.value["steps"].value:
            self.fail(
                node.value["steps"].mark, _join(where, "steps"), _("a sides block needs at least one step")
            )
        if order is None:
            return inner
        first, second = order
        return [replace(step, side=first, mirror_part=1) for step in inner] + [
            replace(step, side=second, mirror_part=2) for step in inner
        ]

    def _block_sides(self, node: Node, where: str) -> tuple[str, str] | None:
        children = node.value if node.kind == "sequence" else []
        names = [str(child.value) for child in children if child.kind == "scalar"]
        if len(children) != 2 or sorted(names) != sorted(model.BLOCK_SIDES):
            got = f"[{', '.join(names)}]" if node.kind == "sequence" else _type_name(node.value)
            self.fail(
                node.mark,
                where,
                _(
                    "expected [left, right] or [right, left], got {got}: the block runs on the first side, "
                    "then the other"
                ).format(got=got),
            )
            return None
        return str(names[0]), str(names[1])

    def _flag(self, node: Node, where: str) -> bool | None:
        if not isinstance(node.value, bool):
            self.fail(
                node.mark, where, _("expected true or false, got {value}").format(value=repr(node.value))
            )
            return None
        return node.value

    def _step(self, node: Node, where: str) -> list[Step]:
        if not self.mapping(node, where, STEP_KEYS, REQUIRED_STEP_KEYS):
            return []
        fields = node.value
        before = len(self.problems)
        title = (
            self.text(fields["title"], _join(where, "title"), model.TITLE_MAX_CHARS)
            if "title" in fields
            else None
        )
        instruction = (
            self.text(fields["instruction"], _join(where, "instruction"), model.TEXT_MAX_CHARS)
            if "instruction" in fields
            else None
        )
        duration = (
            self._duration(fields["duration"], _join(where, "duration")) if "duration" in fields else None
        )
        technique = (
            self.choice(fields["technique"], _join(where, "technique"), model.TECHNIQUES, "technique")
            if "technique" in fields
            else None
        )
        pressure = (
            self.choice(fields["pressure"], _join(where, "pressure"), model.PRESSURES, "pressure")
            if "pressure" in fields
            else None
        )
        side = (
            self.choice(fields["side"], _join(where, "side"), model.SIDES, "side")
            if "side" in fields
            else None
        )
        focus = (
            self.choice(fields["focus"], _join(where, "focus"), model.AREAS, "area")
            if "focus" in fields
            else None
        )
        say = self.text(fields["say"], _join(where, "say"), model.TEXT_MAX_CHARS) if "say" in fields else None
        cue = (
            self.sound(fields["cue"], _join(where, "cue"), sounds.CUES, allow_none=False)
            if "cue" in fields
            else None
        )
        breathing = (
            self._breathing(fields["breathing"], _join(where, "breathing")) if "breathing" in fields else None
        )
        muscle = (
            self.text(fields["muscle"], _join(where, "muscle"), model.TITLE_MAX_CHARS)
            if "muscle" in fields
            else None
        )
        if self.sides_block is not None:
            for key in ("side", "mirror"):
                if key in fields:
                    self.fail(
                        fields[key].mark,
                        _join(where, key),
                        _(
                            "steps inside a sides block take their side from the block ({block}); remove '{key}'"
                        ).format(block=self.sides_block, key=key),
                    )
        mirror = False
        if "mirror" in fields:
            mirror_node = fields["mirror"]
            if not isinstance(mirror_node.value, bool):
                self.fail(
                    mirror_node.mark,
                    _join(where, "mirror"),
                    _("expected true or false, got {value}").format(value=repr(mirror_node.value)),
                )
            else:
                mirror = mirror_node.value
                if mirror and side not in ("left", "right") and "side" in fields and side is not None:
                    self.fail(
                        fields["side"].mark,
                        _join(where, "side"),
                        _("a mirrored step starts on one side: use 'left' or 'right', not 'both'"),
                    )
        if len(self.problems) > before or title is None or instruction is None or duration is None:
            return []
        step = Step(
            title=title, instruction=instruction, duration_seconds=duration, technique=technique,
            pressure=pressure, side=side, focus=focus, breathing=breathing, say=say, cue=cue, origin=where,
            muscle=muscle,
        )  # fmt: skip
        if not mirror:
            return [step]
        first = side or "left"
        other = "right" if first == "left" else "left"
        return [replace(step, side=first, mirror_part=1), replace(step, side=other, mirror_part=2)]

    def _duration(self, node: Node, where: str) -> int | None:
        seconds = parse_duration(node.value)
        if seconds is None:
            self.fail(
                node.mark,
                where,
                _(
                    "{value} is not a duration; write it like 45s, 2m, 1m30s, 1h or a number of seconds"
                ).format(value=_shown(node.value)),
            )
            return None
        if not model.STEP_MIN_SECONDS <= seconds <= model.STEP_MAX_SECONDS:
            self.fail(
                node.mark,
                where,
                _("a step lasts from {low} to {high}; got {value}").format(
                    low=format_duration(model.STEP_MIN_SECONDS),
                    high=format_duration(model.STEP_MAX_SECONDS),
                    value=format_duration(seconds),
                ),
            )
            return None
        return seconds

    def _breathing(self, node: Node, where: str) -> Breathing | None:
        if not self.mapping(node, where, BREATHING_KEYS, ("inhale", "exhale")):
            return None
        values: dict[str, float] = {}
        for key, child in node.value.items():
            if key not in BREATHING_KEYS:
                continue
            value = child.value
            low = 0 if key.startswith("hold") else 1
            if (
                isinstance(value, bool)
                or not isinstance(value, int | float)
                or not low <= value <= BREATH_PHASE_MAX_SECONDS
            ):
                self.fail(
                    child.mark,
                    _join(where, key),
                    _("expected seconds from {low} to {high}, got {value}").format(
                        low=low, high=BREATH_PHASE_MAX_SECONDS, value=repr(value)
                    ),
                )
            else:
                values[key] = float(value)
        if "inhale" not in values or "exhale" not in values:
            return None
        return Breathing(
            values["inhale"], values.get("hold", 0.0), values["exhale"], values.get("hold_after", 0.0)
        )


def _whole(value: Any) -> Any:
    """A whole-number float (2.0) as the int it is: JSON Schema's ``integer`` accepts it, so the loader does."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def load_routine_bytes(
    data: bytes,
    path: Path,
    *,
    source: Source = "user",
    sound_ids: Callable[[str], Collection[str]] | None = None,
) -> tuple[Routine | None, list[Problem]]:
    """Validate one routine file's bytes. ``sound_ids(kind)`` lists the known sound ids (None skips that check)."""
    try:
        root = read_yaml(data)
    except YamlError as exc:
        return None, [Problem(path, exc.mark.line, exc.mark.column, exc.message)]
    checker = _Checker(path, source, sound_ids)
    try:
        # Only the problems that are shown get a "did you mean" hint: each costs a fuzzy match.
        with suggestion_budget(MAX_PROBLEMS_PER_FILE):
            routine = checker.routine(root, hashlib.sha256(data).hexdigest())
    except (RecursionError, MemoryError, ValueError, TypeError, OverflowError) as exc:
        # A file must never take the library (or the app's start) down with it.
        message = _("this file could not be checked ({error}); please report it with the file").format(
            error=type(exc).__name__
        )
        return None, [Problem(path, 1, 1, message)]
    problems = [problem for problem in checker.problems if problem is not _DROPPED]
    dropped = len(checker.problems) - len(problems)
    if checker.first_dropped is not None and dropped:
        first = checker.first_dropped
        more = _("… and {count} more").format(count=_number(dropped))
        problems.append(Problem(path, first.line, first.column, more))
    return routine, problems


_DROPPED = Problem(Path(), 0, 0, "")


def load_routine_file(
    path: Path,
    *,
    source: Source = "user",
    sound_ids: Callable[[str], Collection[str]] | None = None,
) -> tuple[Routine | None, list[Problem]]:
    """Read and validate one routine file; problems never raise. Only a regular file is read (a named
    pipe would hang the listing, a device would never end)."""
    try:
        data = read_regular(path, MAX_FILE_BYTES)
    except FileReadError as exc:
        return None, [Problem(path, 1, 1, _("cannot read the file: {reason}").format(reason=exc.reason))]
    except OSError as exc:
        reason = os_reason(exc)
        return None, [Problem(path, 1, 1, _("cannot read the file ({reason})").format(reason=reason))]
    return load_routine_bytes(data, path, source=source, sound_ids=sound_ids)
