"""Writes settings.yaml back with ruamel.yaml's round-trip mode: only the keys that changed are touched, so the
user's comments, key order, quoting and unknown keys survive a change made in the app."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any, Final

from massage_guide.core.setting_specs import Group, Items, Kind, Text, specs

HEADER: Final = (
    "Massage Guide settings. See docs/settings.md; the app changes only the lines of a setting you change."
)


@dataclass(frozen=True)
class Parsed:
    """A settings text and its node tree (which the next save changes in place)."""

    text: str
    tree: Any
    indent: tuple[int, int, int]


class NotAMappingError(ValueError):
    """The text is not a YAML mapping ruamel can read; the caller keeps it aside and writes a fresh file."""


def _yaml(indent: tuple[int, int, int]) -> Any:
    from ruamel.yaml import YAML

    from massage_guide.core.routine_writer import LINE_WIDTH

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.allow_duplicate_keys = True  # the reader takes the last one; so does a save
    yaml.width = LINE_WIDTH
    yaml.indent(mapping=indent[0], sequence=indent[1], offset=indent[2])
    # "null" rather than ruamel's empty value, so `night_from: null` reads as the docs write it.
    yaml.representer.add_representer(
        type(None), lambda representer, _data: representer.represent_scalar("tag:yaml.org,2002:null", "null")
    )
    return yaml


def _node(kind: Kind, value: Any) -> Any:
    """The YAML node for a value as its kind writes it (flow lists, quoted times, nested groups)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    if isinstance(kind, Group):
        group = CommentedMap()
        for spec in specs(kind.cls):
            group[spec.name] = _node(spec.kind, getattr(value, spec.name))
        return group
    plain = kind.to_yaml(value)
    if isinstance(kind, Items):
        seq = CommentedSeq(plain)
        if kind.flow:
            seq.fa.set_flow_style()
        return seq
    if isinstance(kind, Text) and kind.quoted and isinstance(plain, str):
        return DoubleQuotedScalarString(plain)
    return plain


def _update(tree: Any, before: Any, after: Any) -> None:
    """Set in ``tree`` every key whose value differs between ``before`` and ``after``; a group the file
    already has as a mapping is updated key by key, so its own comments stay too."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    for spec in specs(type(after)):
        old, new = getattr(before, spec.name), getattr(after, spec.name)
        if old == new:
            continue
        existing = tree.get(spec.name)
        if isinstance(spec.kind, Group) and isinstance(existing, CommentedMap):
            _update(existing, old, new)
        elif isinstance(spec.kind, Items) and isinstance(existing, CommentedSeq) and new:
            _replace_items(existing, spec.kind.to_yaml(new))
        else:
            tail = _last_comment(existing)
            tree[spec.name] = _node(spec.kind, new)
            if tail is not None and spec.name not in tree.ca.items:
                tree.ca.items[spec.name] = [None, None, tail, None]


def _last_comment(node: Any) -> Any:
    """The comment after a list's last item (it holds the lines below it), so an emptied list keeps it."""
    from ruamel.yaml.comments import CommentedSeq

    if isinstance(node, CommentedSeq) and len(node):
        slot = node.ca.items.get(len(node) - 1)
        return slot[0] if slot else None
    return None


def _replace_items(seq: Any, items: list[str]) -> None:
    """Change a list in place: an item's comment stays with the item, and the comment after the last item
    (often the end of the file) stays after the last one, so no comment is lost."""
    comments = {seq[index]: token for index, token in seq.ca.items.items() if index < len(seq)}
    tail = comments.pop(seq[-1], None) if len(seq) else None
    seq.ca.items.clear()
    seq[:] = items
    for index, item in enumerate(items):
        if item in comments:
            seq.ca.items[index] = comments[item]
    if tail is not None and len(items) - 1 not in seq.ca.items:
        seq.ca.items[len(items) - 1] = tail


def _dump(tree: Any, indent: tuple[int, int, int]) -> str:
    out = io.StringIO()
    _yaml(indent).dump(tree, out)
    return out.getvalue()


def updated_text(text: str, before: Any, after: Any, *, parsed: Parsed | None = None) -> tuple[str, Parsed]:
    """``text`` (a settings file) with the changes from ``before`` to ``after``, and its parsed form for the
    next save; raises NotAMappingError. ``parsed`` from the last call is reused when the file is still the
    text that call wrote: parsing is most of a save's cost (~25 ms of ~40 ms), and a slider saves per step."""
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.error import YAMLError

    from massage_guide.core.routine_writer import guess_indent

    if parsed is not None and parsed.text == text:
        tree, indent = parsed.tree, parsed.indent
    else:
        indent = guess_indent(text)
        try:
            tree = _yaml(indent).load(text)
        except (YAMLError, ValueError) as exc:
            raise NotAMappingError(str(exc)) from None
        if not isinstance(tree, CommentedMap):
            raise NotAMappingError("not a mapping of keys")
    _update(tree, before, after)
    written = _dump(tree, indent)
    return written, Parsed(written, tree, indent)


def fresh_text(settings: Any) -> str:
    """A whole new settings file: a header line, then every key in its declared order."""
    from massage_guide.core.routine_writer import DEFAULT_INDENT

    tree = _node(Group(type(settings)), settings)
    tree.yaml_set_start_comment(HEADER)
    return _dump(tree, DEFAULT_INDENT)
