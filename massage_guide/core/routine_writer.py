"""Writes a routine document back as YAML (ruamel.yaml round-trip), keeping the user's comments and key order.

The writer starts from the text the document was read from: a value that did not change keeps its node
(quoting, flow style and the comments beside it); a changed one is replaced in place; a new key goes where
the format's key order puts it. Items keep the comments written inside them when they move.
"""

from __future__ import annotations

import copy
import functools
import io
import itertools
import re
from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from typing import Any

from massage_guide.core import loader
from massage_guide.core.digest import sha256_hex
from massage_guide.core.document import (
    NO_AMBIENCE,
    SIDES_BLOCK_KEYS,
    Item,
    RepeatBlock,
    RoutineDocument,
    SidesBlock,
    decode_breathing,
    decode_text,
    origin_parts,
)
from massage_guide.core.model import Breathing, Routine, Source, Text
from massage_guide.core.problems import Problem

# Long lines stay on one line: ruamel would otherwise re-wrap every long text at 80 columns, and a file
# saved without a change must come back byte for byte.
LINE_WIDTH = 4096
# The indentation of the built-in routines (a list's dash two spaces in under its key), for new files.
DEFAULT_INDENT = (2, 4, 2)  # mapping, sequence, offset
# Lists that read best on one line, like the built-in routines write them.
FLOW_LISTS = frozenset({"areas", "goals", "equipment", "sides"})
# Parsed original texts kept for the next check: the editors open at once (one each) and a draft.
BASE_CACHE_SIZE = 8
# A line that is only a key (``steps:``), opening a nested block on the next line.
_KEY_ONLY = re.compile(r"^( *)[^\s#\-][^:#]*:\s*(?:#.*)?$")


def _yaml(indent: tuple[int, int, int]) -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = LINE_WIDTH
    yaml.indent(mapping=indent[0], sequence=indent[1], offset=indent[2])
    return yaml


def _base(document: RoutineDocument) -> tuple[Any, tuple[int, int, int]]:
    """A fresh node tree of the document's original text (so neither the document nor the cache changes)."""
    from ruamel.yaml.comments import CommentedMap

    if not document.base_text.strip():
        return CommentedMap(), DEFAULT_INDENT
    tree, indent = _parsed(document.base_text)
    if tree is None:
        return CommentedMap(), DEFAULT_INDENT
    # Copying the parsed tree is about twice as fast as parsing the text again, for every check.
    return copy.deepcopy(tree), indent


@functools.lru_cache(maxsize=BASE_CACHE_SIZE)
def _parsed(base_text: str) -> tuple[Any, tuple[int, int, int]]:
    from ruamel.yaml.comments import CommentedMap

    indent = guess_indent(base_text)
    try:
        data = _yaml(indent).load(base_text)
    except Exception:  # the document was read from this text, so this is belt and braces
        return None, DEFAULT_INDENT
    return (data if isinstance(data, CommentedMap) else None), indent


def guess_indent(source_text: str) -> tuple[int, int, int]:
    """(mapping, sequence, offset) indentation as the file writes it, so a save does not re-indent it.

    Looks at the first key that opens a nested mapping and the first that opens a list (ruamel's own
    guesser parses the whole file for this, which costs more than the rest of a save)."""
    lines = [line for line in source_text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    mapping: int | None = None
    offset: int | None = None
    for line, following in itertools.pairwise(lines):
        match = _KEY_ONLY.match(line)
        if match is None:
            continue
        parent = len(match.group(1))
        column = len(following) - len(following.lstrip(" "))
        if column <= parent and not (following.lstrip().startswith("- ") and column == parent):
            continue
        if following.lstrip().startswith("- "):
            offset = column - parent if offset is None else offset
        elif mapping is None:
            mapping = column - parent
        if mapping is not None and offset is not None:
            break
    offset = DEFAULT_INDENT[2] if offset is None else offset
    return (mapping or DEFAULT_INDENT[0], offset + 2, offset)


def write_document(document: RoutineDocument) -> str:
    """The document as YAML text, ready to save."""
    root, indent = _base(document)
    originals = root.get("steps") if isinstance(root.get("steps"), list) else None
    source = _Source(root)
    values: dict[str, Any] = {
        "schema_version": document.schema_version,
        "id": document.id,
        "title": document.title,
        "summary": document.summary,
        "areas": list(document.areas),
        "goals": list(document.goals),
        "level": document.level,
        "equipment": list(document.equipment),
        "cautions": list(document.cautions),
        "ambience": document.ambience,
        "sleep": document.sleep,
    }
    defaults: dict[str, Any] = {
        "level": None, "ambience": None, "equipment": [], "cautions": [], "sleep": False,
    }  # fmt: skip
    for key, value in values.items():
        _set(root, loader.ROUTINE_KEYS, key, value, defaults.get(key, _REQUIRED), decoders=_routine_decoders)
    steps = _sequence(originals, [_item_node(item, source) for item in document.steps])
    _put(root, loader.ROUTINE_KEYS, "steps", steps)
    stream = io.StringIO()
    _yaml(indent).dump(root, stream)
    return stream.getvalue()


_REQUIRED = object()  # a key that is always written


class _Source:
    """Finds the original node of an item by its origin; a node used twice is copied the second time."""

    def __init__(self, root: Any) -> None:
        self.root = root
        self.used: set[int] = set()

    def node(self, origin: str) -> Any | None:
        from ruamel.yaml.comments import CommentedMap

        node: Any = self.root
        for key, index in origin_parts(origin):
            inner = node.get(key) if isinstance(node, dict) else None
            if not isinstance(inner, list) or index >= len(inner):
                return None
            node = inner[index]
        if not isinstance(node, CommentedMap) or node is self.root:
            return None
        if id(node) in self.used:
            return copy.deepcopy(node)
        self.used.add(id(node))
        return node


def _item_node(item: Item, source: _Source) -> Any:
    from ruamel.yaml.comments import CommentedMap

    node = source.node(item.origin) if item.origin else None
    if isinstance(item, RepeatBlock):
        node = node if node is not None and "repeat" in node else CommentedMap()
        _set(node, loader.REPEAT_KEYS, "repeat", item.repeat, _REQUIRED, decoders={})
        _drop_others(node, loader.REPEAT_KEYS)
        inner = node.get("steps") if isinstance(node.get("steps"), list) else None
        _put(node, loader.REPEAT_KEYS, "steps", _sequence(inner, [_item_node(i, source) for i in item.steps]))
        return node
    if isinstance(item, SidesBlock):
        node = node if node is not None and "sides" in node else CommentedMap()
        _set(node, SIDES_BLOCK_KEYS, "sides", list(item.sides), _REQUIRED, decoders={})
        _drop_others(node, SIDES_BLOCK_KEYS)
        inner = node.get("steps") if isinstance(node.get("steps"), list) else None
        _put(node, SIDES_BLOCK_KEYS, "steps", _sequence(inner, [_item_node(i, source) for i in item.steps]))
        return node
    node = node if node is not None and "repeat" not in node and "sides" not in node else CommentedMap()
    values: dict[str, Any] = {
        "title": item.title,
        "instruction": item.instruction,
        "duration": item.duration,
        "technique": item.technique,
        "pressure": item.pressure,
        "side": item.side,
        "mirror": item.mirror,
        "focus": item.focus,
        "breathing": item.breathing,
        "say": item.say,
        "cue": item.cue,
        "muscle": item.muscle,
    }
    for key, value in values.items():
        default = _REQUIRED if key in loader.REQUIRED_STEP_KEYS else (False if key == "mirror" else None)
        _set(node, loader.STEP_KEYS, key, value, default, decoders=_step_decoders)
    _drop_others(node, loader.STEP_KEYS)
    return node


def _decode_plain(value: Any) -> Any:
    """A node as plain Python (ruamel's scalar and container types compare by value this way)."""
    if isinstance(value, dict):
        return {str(k): _decode_plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode_plain(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    return str(value)


def _decode_equipment(value: Any) -> Any:
    return [] if value in (None, NO_AMBIENCE) else _decode_plain(value)


_routine_decoders: dict[str, Callable[[Any], Any]] = {
    "title": decode_text,
    "summary": decode_text,
    "cautions": lambda value: [decode_text(v) for v in value] if isinstance(value, list) else value,
    "equipment": _decode_equipment,
}
_step_decoders: dict[str, Callable[[Any], Any]] = {
    "title": decode_text,
    "instruction": decode_text,
    "say": decode_text,
    "breathing": decode_breathing,
    "muscle": decode_text,
}


def _set(
    node: Any,
    order: Sequence[str],
    key: str,
    value: Any,
    default: Any,
    *,
    decoders: dict[str, Callable[[Any], Any]],
) -> None:
    """Put ``value`` under ``key`` unless the node already says the same; a default value is left out."""
    decode = decoders.get(key, _decode_plain)
    if key in node and decode(node[key]) == value:
        return  # unchanged: keep the node, its style and its comments
    if default is not _REQUIRED and value == default:
        if key in node:
            del node[key]
        return
    _put(node, order, key, _encode(key, value))


def _put(node: Any, order: Sequence[str], key: str, value: Any) -> None:
    if key in node:
        node[key] = value
        return
    # A new key goes after the last key that comes before it in the format's order.
    position = 0
    for index, existing in enumerate(node):
        if existing in order and order.index(existing) < order.index(key):
            position = index + 1
    node.insert(position, key, value)


def _drop_others(node: Any, keys: Collection[str]) -> None:
    for key in [k for k in node if k not in keys]:
        del node[key]


def _sequence(original: Any, nodes: list[Any]) -> Any:
    """The items in a list node, reusing the original list so comments before its first item survive."""
    from ruamel.yaml.comments import CommentedSeq

    sequence = original if isinstance(original, CommentedSeq) else CommentedSeq()
    if [id(n) for n in sequence] == [id(n) for n in nodes]:
        return sequence
    # Comments kept by position would land on the wrong item once items move: only the list's own stay.
    sequence.ca.items.clear()
    del sequence[:]
    sequence.extend(nodes)
    return sequence


def _encode(key: str, value: Any) -> Any:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(value, Text):
        return _encode_text(value)
    if isinstance(value, Breathing):
        mapping = CommentedMap()
        for name in loader.BREATHING_KEYS:
            seconds = getattr(value, name)
            if name in ("inhale", "exhale") or seconds:
                mapping[name] = int(seconds) if float(seconds).is_integer() else seconds
        mapping.fa.set_flow_style()
        return mapping
    if isinstance(value, list):
        sequence = CommentedSeq(_encode(key, v) for v in value)
        if key in FLOW_LISTS:
            sequence.fa.set_flow_style()
        return sequence
    return value


def _encode_text(value: Text) -> Any:
    from ruamel.yaml.comments import CommentedMap

    if len(value.values) == 1 and value.values[0][0] == "en":
        return value.values[0][1]
    mapping = CommentedMap()
    for lang, words in value.values:
        mapping[lang] = words
    return mapping


# -- checking ----------------------------------------------------------------------------------------


def check_document(
    document: RoutineDocument,
    path: Path,
    *,
    source: Source = "user",
    sound_ids: Callable[[str], Collection[str]] | None = None,
) -> tuple[Routine | None, list[Problem], str]:
    """Write the document and run the loader on it: the same rules and messages as ``validate``.

    Returns the routine (None while there are problems), the problems, located in the written text, and
    that text."""
    written = write_document(document)
    routine, problems = loader.load_routine_bytes(
        written.encode("utf-8"), path, source=source, sound_ids=sound_ids
    )
    return routine, problems, written


def content_hash(written: str) -> str:
    """The hash the library gives the routine once ``written`` is its file."""
    return sha256_hex(written.encode("utf-8"))
