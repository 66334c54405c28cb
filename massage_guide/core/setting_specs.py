"""Declarative settings: one spec per key (type, default, range or choices, doc line, page group), nested groups.

A settings class is a frozen dataclass whose fields are declared with ``setting(default, kind, ...)``: the
field gives the name, the Python type and the default; the kind gives the check, the range or choices and
how the value is written to YAML. Everything else (loading, the parse cache, saving, docs/settings.md and the
Settings page) reads the specs, so a key is described in exactly one place.
"""

from __future__ import annotations

import dataclasses
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final, TypeVar

from massage_guide.core.i18n import N_, _
from massage_guide.core.problems import suggest

T = TypeVar("T")
_META: Final = "massage_guide.setting"


class Kind(ABC):
    """What values a key takes: checks a plain YAML value, converts it to the Python value and back."""

    @abstractmethod
    def check(self, value: Any) -> str | None:
        """A short "expected ..." phrase (translated) when ``value`` is wrong; None when it is right."""

    def to_python(self, value: Any) -> Any:
        """The checked YAML value as the settings class holds it."""
        return value

    def to_yaml(self, value: Any) -> Any:
        """The Python value as plain YAML data (lists, mappings, scalars)."""
        return value

    @abstractmethod
    def values_doc(self) -> str:
        """The values column of the docs table (Markdown, English)."""

    def shown(self, value: Any) -> str:
        """``value`` as a problem message quotes it: ``'system'``, ``70``, ``[]``."""
        return repr(self.to_yaml(value))


@dataclass(frozen=True)
class Flag(Kind):
    """true or false."""

    def check(self, value: Any) -> str | None:
        return None if isinstance(value, bool) else _("expected true or false")

    def values_doc(self) -> str:
        return "`true`, `false`"


@dataclass(frozen=True)
class Whole(Kind):
    """A whole number from ``low`` to ``high``; ``expected`` (marked with N_) may name the unit."""

    low: int
    high: int
    expected: str = N_("expected a whole number from {low} to {high}")

    def check(self, value: Any) -> str | None:
        if isinstance(value, int) and not isinstance(value, bool) and self.low <= value <= self.high:
            return None
        return _(self.expected).format(low=self.low, high=self.high)

    def values_doc(self) -> str:
        return f"{self.low} to {self.high}"


@dataclass(frozen=True)
class Choice(Kind):
    """One of ``options``; ``labels`` (marked with N_) are how the Settings page names them."""

    options: tuple[str, ...]
    labels: tuple[str, ...] = ()

    def check(self, value: Any) -> str | None:
        if isinstance(value, str) and value in self.options:
            return None
        hint = suggest(value, self.options) if isinstance(value, str) else ""
        return _("expected one of {options}.").format(options=", ".join(self.options)) + hint

    def values_doc(self) -> str:
        return ", ".join(f"`{option}`" for option in self.options)

    def choices(self) -> list[tuple[str, str]]:
        """(value, translated label) pairs for a combo box."""
        labels = self.labels or self.options
        return [(option, _(label)) for option, label in zip(self.options, labels, strict=True)]


@dataclass(frozen=True)
class Text(Kind):
    """A string that ``valid`` accepts (or null, when ``nullable``); ``expected`` is marked with N_."""

    valid: Callable[[str], bool]
    expected: str
    values: str  # for the docs table
    nullable: bool = False
    quoted: bool = False  # written in quotes, so "21:30" never reads as a number in a YAML 1.1 tool

    def check(self, value: Any) -> str | None:
        if (value is None and self.nullable) or (isinstance(value, str) and self.valid(value)):
            return None
        return _(self.expected)

    def values_doc(self) -> str:
        return self.values


@dataclass(frozen=True)
class Items(Kind):
    """A list of strings that ``valid`` accepts; kept as a tuple, repeats dropped, written as a YAML list."""

    valid: Callable[[str], bool]
    expected: str  # marked with N_; may use {choices}
    values: str
    choices: tuple[str, ...] = ()
    non_empty: bool = False
    flow: bool = False  # written on one line: [mon, tue]

    def check(self, value: Any) -> str | None:
        if (
            isinstance(value, list | tuple)
            and (value or not self.non_empty)
            and all(isinstance(item, str) and self.valid(item) for item in value)
        ):
            return None
        return _(self.expected).format(choices=", ".join(self.choices))

    def to_python(self, value: Any) -> tuple[str, ...]:
        return tuple(dict.fromkeys(value))

    def to_yaml(self, value: Any) -> list[str]:
        return list(value)

    def values_doc(self) -> str:
        return self.values


@dataclass(frozen=True)
class Group(Kind):
    """A nested mapping of settings, itself declared with ``setting()`` fields (``reminders:``)."""

    cls: type[Any]

    def check(self, value: Any) -> str | None:
        if isinstance(value, self.cls):
            value = self.to_yaml(value)
        if not isinstance(value, Mapping):
            names = ", ".join(spec.name for spec in specs(self.cls))
            return _("expected a group of keys ({names})").format(names=names)
        _group, problems = build(self.cls, value)
        return "; ".join(f"{key}: {problem}" for key, problem in problems) or None

    def to_python(self, value: Any) -> Any:
        return value if isinstance(value, self.cls) else build(self.cls, value)[0]

    def to_yaml(self, value: Any) -> dict[str, Any]:
        return {spec.name: spec.kind.to_yaml(getattr(value, spec.name)) for spec in specs(self.cls)}

    def values_doc(self) -> str:
        return "a group of keys, below"


@dataclass(frozen=True)
class SettingSpec:
    """One key: its name, default, kind (type with range or choices), doc line and Settings page group.

    ``page`` is the heading of the Settings page group that shows the key (None: set elsewhere, such as
    favourites by the heart on a routine); ``label`` and ``tooltip`` are what the page shows, marked with
    N_ and translated where shown; ``doc`` is the line in docs/settings.md."""

    name: str
    default: Any
    kind: Kind
    doc: str
    page: str | None = None
    label: str = ""
    tooltip: str = ""
    default_doc: str = ""  # the default column of the docs when the value alone says too little

    def check(self, value: Any) -> str | None:
        return self.kind.check(value)


@dataclass(frozen=True)
class _Declared:
    kind: Kind
    doc: str
    page: str | None
    label: str
    tooltip: str
    default_doc: str


def setting(
    default: T,
    kind: Kind,
    *,
    doc: str,
    page: str | None = None,
    label: str = "",
    tooltip: str = "",
    default_doc: str = "",
) -> T:
    """A dataclass field declaring one key: ``name: type = setting(default, kind, doc=...)``."""
    declared = _Declared(kind, doc, page, label, tooltip, default_doc)
    # A Field object where the class body expects a value: dataclasses reads it as the field's declaration.
    field: Any = dataclasses.field(default=default, metadata={_META: declared})
    return field  # type: ignore[no-any-return]


def specs(cls: type[Any]) -> tuple[SettingSpec, ...]:
    """Every key of a settings class, in the order it is declared (the order a new file is written in)."""
    found = []
    for field in dataclasses.fields(cls):
        declared = field.metadata.get(_META)
        if not isinstance(declared, _Declared):
            raise TypeError(f"{cls.__name__}.{field.name} is not declared with setting()")
        found.append(
            SettingSpec(
                field.name,
                field.default,
                declared.kind,
                declared.doc,
                declared.page,
                declared.label,
                declared.tooltip,
                declared.default_doc,
            )
        )
    return tuple(found)


def spec_map(cls: type[Any]) -> dict[str, SettingSpec]:
    """The specs of ``cls`` by name."""
    return {spec.name: spec for spec in specs(cls)}


def build(cls: type[T], values: Mapping[str, Any]) -> tuple[T, list[tuple[str, str]]]:
    """``cls`` from plain values, each checked; returns it and (key, problem) for every key not taken."""
    known = spec_map(cls)
    taken: dict[str, Any] = {}
    problems: list[tuple[str, str]] = []
    for key, value in values.items():
        spec = known.get(key)
        if spec is None:
            names = ", ".join(known)
            problems.append((key, _("unknown key; expected one of {names}").format(names=names)))
            continue
        error = spec.check(value)
        if error:
            problems.append((key, error))
            continue
        taken[key] = spec.kind.to_python(value)
    return cls(**taken), problems


def to_yaml(instance: Any) -> dict[str, Any]:
    """A settings object as plain YAML data, every key in declared order."""
    return Group(type(instance)).to_yaml(instance)
