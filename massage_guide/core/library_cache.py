"""The parsed-routine cache: plain JSON data behind checks (never pickle), so a planted file cannot run code."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import os
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from massage_guide import __version__
from massage_guide.core import i18n, model
from massage_guide.core.problems import Problem

log = logging.getLogger(__name__)

CACHE_FILE: Final = "library.cache"
# The old cache was a pickle, which runs code when loaded: it is never read, only removed.
LEGACY_FILES: Final = ("library.pickle",)
MAGIC: Final = b"massage-guide routine cache\n"
# Bump when the layout of this file or the meaning of an entry changes (2: problems carry their language).
FORMAT: Final = 2
# A header bigger than this is not ours (10,000 routines make about 5 MB).
MAX_HEADER_BYTES: Final = 512 * 1024 * 1024
# Rendered listings kept per routine: one per language (and listing shape) in use, the newest ones.
MAX_FRAGMENT_KINDS: Final = 3

# The dataclasses a cached routine may be made of: the model's own, nothing else.
_CLASSES: Final[dict[str, type[Any]]] = {
    name: value
    for name, value in vars(model).items()
    if isinstance(value, type) and dataclasses.is_dataclass(value) and value.__module__ == model.__name__
}


class CacheError(ValueError):
    """A cache file (or a part of one) failed a check; the caller rebuilds from the routine files."""


def model_shape() -> list[list[Any]]:
    """Every model dataclass with its field names: part of the cache key, so a changed model rebuilds it."""
    return [
        [name, [f.name for f in dataclasses.fields(cls) if f.init]] for name, cls in sorted(_CLASSES.items())
    ]


# --- values <-> JSON data -------------------------------------------------------------------------------


def encode(value: Any) -> Any:
    """A routine (or any model value) as JSON data: dataclasses tagged by name, tuples as lists."""
    if value is None or isinstance(value, str | int | float):
        return value
    if isinstance(value, tuple | list):
        return [encode(item) for item in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        name = type(value).__name__
        if _CLASSES.get(name) is not type(value):
            raise TypeError(f"not a model value: {name}")
        return {"@": name, "v": [encode(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init]}
    raise TypeError(f"cannot cache a {type(value).__name__}")


def decode(data: Any) -> Any:
    """The inverse of ``encode``; only model dataclasses are built, and anything unexpected is a CacheError."""
    if data is None or isinstance(data, str | int | float):
        return data
    if isinstance(data, list):
        return tuple(decode(item) for item in data)
    if isinstance(data, dict) and set(data) == {"@", "v"} and isinstance(data["v"], list):
        cls = _CLASSES.get(data["@"]) if isinstance(data["@"], str) else None
        if cls is None:
            raise CacheError(f"unknown value type {data['@']!r}")
        fields = [f for f in dataclasses.fields(cls) if f.init]
        if len(fields) != len(data["v"]):
            raise CacheError(f"{data['@']} has {len(data['v'])} values, expected {len(fields)}")
        try:
            return cls(*(decode(item) for item in data["v"]))
        except TypeError as exc:
            raise CacheError(str(exc)) from exc
    raise CacheError(f"unexpected value {type(data).__name__}")


def _problem_data(problem: Problem) -> list[Any]:
    return [str(problem.file), problem.line, problem.column, problem.message, problem.where]


def _problem(data: Any) -> Problem:
    if not (isinstance(data, list) and len(data) == 5):
        raise CacheError("bad problem entry")
    file, line, column, message, where = data
    if not (isinstance(file, str) and isinstance(line, int) and isinstance(column, int)):
        raise CacheError("bad problem entry")
    if not (isinstance(message, str) and isinstance(where, str)):
        raise CacheError("bad problem entry")
    return Problem(Path(file), line, column, message, where)


# --- one file's record ----------------------------------------------------------------------------------

# In memory, or (offset, length, crc32) in the cache file's body (as read from the header: checked when read).
Segment = bytes | tuple[int, int, int] | list[Any]


@dataclass(slots=True)
class Record:
    """What the cache knows about one routine file, valid while its size and modification time hold."""

    size: int
    mtime_ns: int
    summary: list[Any] | None  # the card's fields (see library.RoutineSummary), None when it did not load
    problems: tuple[Problem, ...]
    data: Segment | None  # the whole routine, JSON-encoded
    fragments: dict[str, Segment] = field(default_factory=dict)  # rendered listings by kind
    # The language (with its catalogue's stamp) the problems are written in: they are shown only in it.
    language: str = ""


def _segment(data: Any) -> tuple[int, int, int]:
    # Plain checks, no generator: a big library reads 20,000 of these.
    if type(data) in (list, tuple) and len(data) == 3:
        offset, length, crc = data
        if type(offset) is int and type(length) is int and type(crc) is int and offset >= 0 and length >= 0:
            return offset, length, crc
    raise CacheError("bad segment")


def _record(data: Any) -> Record:
    """An entry of the header as a record; its segments are checked when read."""
    if type(data) is not list or len(data) != 7:
        raise CacheError("bad entry")
    size, mtime_ns, summary, problems, ref, fragments, language = data
    if type(size) is not int or type(mtime_ns) is not int or type(problems) is not list:
        raise CacheError("bad entry")
    if type(language) is not str:
        raise CacheError("bad entry")
    if type(fragments) is not dict or not (summary is None or type(summary) is list):
        raise CacheError("bad entry")
    return Record(
        size,
        mtime_ns,
        summary,
        tuple(_problem(p) for p in problems) if problems else (),
        ref,
        fragments,
        language,
    )


class RoutineCache:
    """Parsed routines keyed on path, size and modification time, in one file under the cache folder.

    The file is magic bytes, the header's length and CRC-32, a JSON header (key and one entry per routine file) and a
    body of JSON segments (each routine, each rendered listing), every segment checked by its CRC-32 when
    read. Any failed check means the routine files are read again; nothing in it can run code."""

    def __init__(self, folder: Path | None, key: list[Any]) -> None:
        self.file = folder / CACHE_FILE if folder else None
        self.key: list[Any] = [FORMAT, __version__, key, model_shape()]
        # Problems are kept in the language they were written in: under another one (LANG=de after en, or
        # a changed translation) only the files with problems are read again, the valid ones stay cached.
        self.language = i18n.catalogue_key(i18n.active_language())
        self.records: dict[str, Record] = {}
        self._raw: dict[str, Any] = {}  # header entries not looked up yet
        self.used: dict[str, Record] = {}
        self.dirty = False
        self._body_start = 0
        self._body: bytes | None = None
        if self.file is not None:
            try:
                self._read_header(self.file)
            except FileNotFoundError:
                pass
            except (OSError, CacheError, ValueError, RecursionError) as exc:
                # A damaged or foreign cache is only a slower start; it is rebuilt, never a failure.
                log.info("rebuilding the routine cache %s: %s", self.file, exc)
                self._raw = {}

    def _read_header(self, path: Path) -> None:
        with path.open("rb") as stream:
            if stream.read(len(MAGIC)) != MAGIC:
                raise CacheError("not a routine cache")
            length_line = stream.readline(48)
            numbers = length_line[:-1].split(b" ")
            if not length_line.endswith(b"\n") or len(numbers) != 2 or not all(n.isdigit() for n in numbers):
                raise CacheError("bad header length")
            length, crc = int(numbers[0]), int(numbers[1])
            if length > MAX_HEADER_BYTES:
                raise CacheError("header too big")
            header = stream.read(length)
            if len(header) != length or zlib.crc32(header) != crc:
                raise CacheError("the header failed its check")
            self._body_start = len(MAGIC) + len(length_line) + length
        document = json.loads(header)
        if not isinstance(document, dict) or document.get("key") != self.key:
            return  # another version or other sounds: start afresh
        entries = document.get("entries")
        if not isinstance(entries, dict):
            raise CacheError("bad entries")
        self._raw = entries

    # -- lookups while loading

    def lookup(self, path: str, stat: os.stat_result) -> Record | None:
        """The record for this file if it has not changed since; an entry that fails a check is None."""
        record = self.records.get(path)
        if record is None:
            raw = self._raw.get(path)
            if raw is None:
                return None
            try:
                record = self.records[path] = _record(raw)
            except CacheError as exc:
                log.info("reading %s again: %s", path, exc)
                return None
        if record.problems and record.language != self.language:
            return None
        if record.size == stat.st_size and record.mtime_ns == stat.st_mtime_ns:
            self.used[path] = record
            return record
        return None

    def store(self, path: str, stat: os.stat_result, record: Record) -> None:
        record.size, record.mtime_ns = stat.st_size, stat.st_mtime_ns
        record.language = self.language
        self.used[path] = record
        self.dirty = True

    def forget_unused(self) -> None:
        """Loading is over: drop the header entries of files that are gone (saved already, if at all)."""
        self._raw = {}

    # -- reading segments

    def preload(self, end: int | None = None) -> None:
        """Read the body up to ``end`` (all of it for None) in one go, for many reads in a row."""
        if self.file is None:
            raise CacheError("no cache file")
        with self.file.open("rb") as stream:
            stream.seek(self._body_start)
            self._body = stream.read() if end is None else stream.read(end)

    def read(self, segment: Segment, *, bulk: bool = False) -> bytes | memoryview:
        """A segment's bytes, checked; ``bulk`` reads (and keeps) the whole body for many reads in a row."""
        if isinstance(segment, bytes):
            return segment
        offset, length, crc = _segment(segment)
        if bulk and (self._body is None or offset + length > len(self._body)):
            self.preload()
        body = self._body
        data: bytes | memoryview
        if body is not None and offset + length <= len(body):
            data = memoryview(body)[offset : offset + length]  # no copy: a listing reads 20 MB this way
        else:
            if self.file is None:
                raise CacheError("no cache file")
            with self.file.open("rb") as stream:
                stream.seek(self._body_start + offset)
                data = stream.read(length)
        if len(data) != length or zlib.crc32(data) != crc:
            raise CacheError("a cached routine failed its check")
        return data

    def release(self) -> None:
        """Forget the body read for a bulk read: the memory goes back."""
        self._body = None

    def routine(self, record: Record) -> model.Routine:
        if record.data is None:
            raise CacheError("no routine in this entry")
        routine = decode(json.loads(bytes(self.read(record.data))))
        if not isinstance(routine, model.Routine):
            raise CacheError("the entry is not a routine")
        return routine

    def add_fragment(self, record: Record, kind: str, text: bytes) -> None:
        record.fragments[kind] = text
        while len(record.fragments) > MAX_FRAGMENT_KINDS:
            del record.fragments[next(iter(record.fragments))]
        self.dirty = True

    # -- writing

    def save(self) -> bool:
        """Write the entries used in this load (so deleted files drop out); True when the file was written."""
        if self.file is None or not (
            self.dirty or len(self.used) != len(self.records) or self._raw.keys() - self.used.keys()
        ):
            return False
        try:
            body: list[bytes | memoryview] = []
            offset = 0
            entries: dict[str, list[Any]] = {}
            moved: list[tuple[Record, Segment | None, dict[str, Segment]]] = []

            def place(segment: Segment) -> tuple[int, int, int]:
                nonlocal offset
                data = self.read(segment, bulk=True)
                where = (offset, len(data), zlib.crc32(data))
                body.append(data)
                offset += len(data)
                return where

            # Every rendered listing first, then the routines: a listing reads one stretch of the file.
            placed_fragments: list[dict[str, Segment]] = [
                {kind: place(seg) for kind, seg in record.fragments.items()} for record in self.used.values()
            ]
            for (path, record), fragments in zip(self.used.items(), placed_fragments, strict=True):
                data_ref = None if record.data is None else place(record.data)
                moved.append((record, data_ref, fragments))
                entries[path] = [
                    record.size,
                    record.mtime_ns,
                    record.summary,
                    [_problem_data(p) for p in record.problems],
                    None if data_ref is None else list(data_ref),
                    {kind: list(ref) for kind, ref in fragments.items() if not isinstance(ref, bytes)},
                    record.language,
                ]
            header = json.dumps({"key": self.key, "entries": entries}, ensure_ascii=False).encode("utf-8")
            length_line = f"{len(header)} {zlib.crc32(header)}\n".encode()
            self.file.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.file.with_suffix(f".tmp{os.getpid()}")
            with temporary.open("wb") as stream:
                stream.write(MAGIC + length_line + header)
                stream.writelines(body)
            temporary.replace(self.file)
        except (OSError, CacheError) as exc:
            log.info("cannot write the routine cache %s: %s", self.file, exc)
            return False
        # Written: from now on the segments are read back from the new file, and memory is given back.
        for record, new_data, placed in moved:
            record.data, record.fragments = new_data, placed
        self._body_start = len(MAGIC) + len(length_line) + len(header)
        self._body = None
        self.records = dict(self.used)
        self._raw = {}
        self.dirty = False
        for name in LEGACY_FILES:
            with contextlib.suppress(OSError):
                (self.file.parent / name).unlink(missing_ok=True)
        return True


def fragment_kind(language: str, probe: Callable[[], str]) -> str:
    """A name for one shape of rendered listing: the language and a hash of how a sample routine renders,
    so a change to the listing's fields makes every cached fragment stale."""
    return f"{language}:{zlib.crc32(probe().encode('utf-8')):08x}"
