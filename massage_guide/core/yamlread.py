"""Strict, safe YAML reading into position-carrying nodes, refusing hostile input without crashing."""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from massage_guide.core.files import one_line
from massage_guide.core.i18n import N_, _
from massage_guide.core.yaml_problems import control_character, yaml_problem

# Only the event parser is used (never a constructor for arbitrary tags). The C one is ~10x faster;
# fall back to the pure-Python one where PyYAML was built without libyaml.
_Parser: type[yaml.BaseLoader] = getattr(yaml, "CBaseLoader", yaml.BaseLoader)

MAX_FILE_BYTES = 1024 * 1024
# Routines nest a few levels (routine > steps > repeat > steps > step > breathing); 64 is generous.
MAX_DEPTH = 64
# Values after expanding aliases; a 500-step routine with every optional key is about 10,000.
MAX_NODES = 100_000
# Longer numbers are refused: no setting or routine value needs them, and int() of thousands of digits
# is slow (Python refuses more than 4,300).
MAX_NUMBER_CHARS = 24
# Numbers are plain decimals. YAML 1.1 would also read 6_00 as 600, 1:30 as 90 and 0x1e as 30, which
# nobody writing a routine means: those stay text, and the checks say what is expected.
_PLAIN_INT = re.compile(r"[-+]?[0-9]+", re.ASCII)
_PLAIN_FLOAT = re.compile(r"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?", re.ASCII)
_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"
_STR_TAG = "tag:yaml.org,2002:str"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"

_TAG_NOT_ALLOWED = N_("the tag {tag} is not allowed in a routine")


def _number(value: int) -> str:
    """``1,234`` in English, ``1.234`` in German (Babel loads only here: only a problem shows a number)."""
    from massage_guide.core import formatting

    return formatting.number(value)


_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}


@dataclass(frozen=True)
class Mark:
    """A 1-based position in a file."""

    line: int
    column: int


class YamlError(Exception):
    """The file is not YAML we can read; carries where and why."""

    def __init__(self, message: str, mark: Mark) -> None:
        super().__init__(message)
        self.message = message
        self.mark = mark


@dataclass(eq=False)
class Node:
    """A YAML value with where it starts: ``value`` is a scalar, a list of Node or a dict of key -> Node."""

    value: Any
    mark: Mark
    kind: str  # "scalar", "sequence" or "mapping"
    key_marks: dict[str, Mark] = field(default_factory=dict)
    size: int = 1


def _mark(event_mark: Any) -> Mark:
    return Mark(event_mark.line + 1, event_mark.column + 1)


def _position(data: bytes, offset: int) -> Mark:
    before = data[:offset]
    line = before.count(b"\n") + 1
    return Mark(line, offset - (before.rfind(b"\n") + 1) + 1)


class _ScalarBuilder(yaml.constructor.SafeConstructor, yaml.resolver.Resolver):
    """Borrows PyYAML's safe resolver and scalar constructors without its recursive composer."""

    def __init__(self) -> None:
        yaml.constructor.SafeConstructor.__init__(self)
        yaml.resolver.Resolver.__init__(self)

    def scalar(self, event: yaml.ScalarEvent) -> Any:
        assert event.implicit is not None
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.resolve(yaml.ScalarNode, event.value, event.implicit)  # type: ignore[no-untyped-call]
        if tag not in _SCALAR_TAGS:
            raise YamlError(_(_TAG_NOT_ALLOWED).format(tag=tag), _mark(event.start_mark))
        if tag in (_INT_TAG, _FLOAT_TAG):
            plain = _PLAIN_INT if tag == _INT_TAG else _PLAIN_FLOAT
            if not plain.fullmatch(event.value):
                tag = _STR_TAG  # .inf, .nan, 6_00, 1:30, 0x1e: kept as the text written
            elif len(event.value) > MAX_NUMBER_CHARS:
                raise YamlError(
                    _("the number {start}… has {count} characters; numbers here have at most {limit}").format(
                        start=event.value[:12], count=_number(len(event.value)), limit=MAX_NUMBER_CHARS
                    ),
                    _mark(event.start_mark),
                )
        node = yaml.ScalarNode(tag, event.value, None, None, event.style)
        try:
            value = self.construct_object(node)
        except (yaml.YAMLError, ValueError, OverflowError):
            # Only a date can fail here (2024-13-45: Python's "month must be in 1..12" is English).
            message = (
                _("{value} looks like a date, but there is no such date; put it in quotes if you mean text")
                if tag == _TIMESTAMP_TAG
                else _("cannot read the value {value}; put it in quotes if you mean text")
            )
            raise YamlError(
                message.format(value=one_line(repr(event.value[:40]))), _mark(event.start_mark)
            ) from None
        if isinstance(value, _dt.date):
            # Dates are not part of the routine format; keep the text so type checks can name it.
            return event.value
        return value


def read_yaml(data: bytes) -> Node | None:
    """Parse one YAML document into Nodes; None for an empty file. Raises YamlError, nothing else."""
    if len(data) > MAX_FILE_BYTES:
        raise YamlError(
            _("the file is {size} bytes; routine files may be at most {limit} bytes").format(
                size=_number(len(data)), limit=_number(MAX_FILE_BYTES)
            ),
            Mark(1, 1),
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise YamlError(
            _("the file is not UTF-8 text (is it a binary file, or saved in another encoding?)"),
            _position(data, exc.start),
        ) from None
    if "\x00" in text:
        raise YamlError(
            _("the file contains NUL bytes; it looks like a binary file"), _position(data, data.find(b"\0"))
        )
    try:
        return _build(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Mark(mark.line + 1, mark.column + 1) if mark is not None else Mark(1, 1)
        index = getattr(mark, "index", None)
        found = text[index] if isinstance(index, int) and 0 <= index < len(text) else ""
        problem = yaml_problem(exc.problem, exc.context, found)
        raise YamlError(_("YAML syntax error: {problem}").format(problem=one_line(problem)), where) from None
    except yaml.reader.ReaderError as exc:
        # A character the YAML reader refuses (a control character): its position is a character index.
        before = text[: exc.position]
        where = Mark(before.count("\n") + 1, exc.position - (before.rfind("\n") + 1) + 1)
        raise YamlError(
            _("YAML syntax error: {problem}").format(problem=control_character(exc.character)), where
        ) from None
    except yaml.YAMLError as exc:
        raise YamlError(_("YAML error: {error}").format(error=one_line(str(exc))), Mark(1, 1)) from None
    except (OverflowError, ValueError):
        # The pure-Python parser fails this way on an escape such as "\UD800DC00" that names no character.
        raise YamlError(
            _("YAML syntax error: {problem}").format(
                problem=yaml_problem("found invalid Unicode character escape code", None)
            ),
            Mark(1, 1),
        ) from None
    except RecursionError:  # pragma: no cover - MAX_DEPTH stops this first
        raise YamlError(_("the file nests too deeply"), Mark(1, 1)) from None


def _build(text: str) -> Node | None:
    """Build Nodes from the event stream iteratively, so depth and alias expansion stay bounded."""
    parser = _Parser(text)
    builder = _ScalarBuilder()
    anchors: dict[str, Node] = {}
    stack: list[tuple[Node, str | None, list[Any]]] = []  # (container, anchor, pending key for mappings)
    root: Node | None = None
    documents = 0
    total = 0

    def attach(node: Node) -> None:
        nonlocal root, total
        total += node.size if node.kind == "alias" else 1
        if total > MAX_NODES:
            raise YamlError(
                _("the file expands to more than {limit} values (are aliases used to multiply it?)").format(
                    limit=_number(MAX_NODES)
                ),
                node.mark,
            )
        if not stack:
            root = node
            return
        parent, _anchor, pending = stack[-1]
        if parent.kind == "sequence":
            parent.value.append(node)
        elif not pending:
            if (
                node.kind != "scalar"
                or not isinstance(node.value, str | int | float | bool)
                or node.value is None
            ):
                raise YamlError(_("a key must be a plain word such as 'title'"), node.mark)
            pending.append(node)
        else:
            key_node = pending.pop()
            key = str(key_node.value) if not isinstance(key_node.value, bool) else str(key_node.value).lower()
            if key in parent.value:
                first = parent.key_marks[key]
                raise YamlError(
                    _("the key '{key}' appears twice (first at line {line}); keep only one").format(
                        key=key, line=first.line
                    ),
                    key_node.mark,
                )
            parent.value[key] = node
            parent.key_marks[key] = key_node.mark

    try:
        while True:
            event = parser.get_event()  # type: ignore[no-untyped-call]
            if event is None or isinstance(event, yaml.StreamEndEvent):
                break
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise YamlError(
                        _(
                            "the file holds more than one YAML document ('---'); "
                            "put each routine in its own file"
                        ),
                        _mark(event.start_mark),
                    )
            elif isinstance(event, yaml.AliasEvent):
                target = anchors.get(event.anchor or "")
                if target is None:
                    message = _("unknown alias *{name}").format(name=event.anchor)
                    raise YamlError(message, _mark(event.start_mark))
                alias = Node(target.value, _mark(event.start_mark), "alias", target.key_marks, target.size)
                attach(alias)
                # Aliases share the anchored value: give the parent the real node's kind.
                alias.kind = target.kind
            elif isinstance(event, yaml.ScalarEvent):
                node = Node(builder.scalar(event), _mark(event.start_mark), "scalar")
                attach(node)
                if event.anchor:
                    anchors[event.anchor] = node
            elif isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
                if event.tag not in (None, "!", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"):
                    raise YamlError(_(_TAG_NOT_ALLOWED).format(tag=event.tag), _mark(event.start_mark))
                if len(stack) >= MAX_DEPTH:
                    raise YamlError(
                        _("the file nests more than {limit} levels deep").format(limit=MAX_DEPTH),
                        _mark(event.start_mark),
                    )
                kind = "sequence" if isinstance(event, yaml.SequenceStartEvent) else "mapping"
                node = Node([] if kind == "sequence" else {}, _mark(event.start_mark), kind)
                stack.append((node, event.anchor, []))
            elif isinstance(event, yaml.SequenceEndEvent | yaml.MappingEndEvent):
                node, anchor, _pending = stack.pop()
                children = node.value if node.kind == "sequence" else node.value.values()
                node.size = 1 + sum(child.size for child in children)
                attach(node)
                if anchor:
                    anchors[anchor] = node
    finally:
        parser.dispose()
    return root
