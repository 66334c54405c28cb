"""The routine library: built-in and user routine files loaded together, bad files reported, never fatal."""

from __future__ import annotations

import contextlib
import gc
import json
import logging
import os
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from massage_guide import resources
from massage_guide.core import sounds
from massage_guide.core.i18n import _
from massage_guide.core.library_cache import CacheError, Record, RoutineCache, encode, fragment_kind
from massage_guide.core.model import Breathing, Routine, Source, Step, Text
from massage_guide.core.os_errors import os_reason
from massage_guide.core.problems import Problem
from massage_guide.paths import Paths

log = logging.getLogger(__name__)

ROUTINE_SUFFIXES = (".yaml", ".yml")
# Bump when the validation rules change, so routines cached under the old rules are checked again
# (6: durations as ASCII digits, whole-number floats, at most 100 problems per file).
RULES_VERSION = 6


class RoutineInfo(Protocol):
    """What a card, a list line or a filter needs of a routine: a Routine has it, and so does its summary."""

    @property
    def id(self) -> str: ...
    @property
    def title(self) -> Text: ...
    @property
    def summary(self) -> Text: ...
    @property
    def areas(self) -> tuple[str, ...]: ...
    @property
    def goals(self) -> tuple[str, ...]: ...
    @property
    def level(self) -> str: ...
    @property
    def equipment(self) -> tuple[str, ...]: ...
    @property
    def duration_seconds(self) -> int: ...
    @property
    def source(self) -> Source: ...
    @property
    def path(self) -> str | None: ...


@dataclass(frozen=True, slots=True)
class RoutineSummary:
    """A routine without its steps: all a library page needs, a few hundred bytes instead of kilobytes."""

    id: str
    title: Text
    summary: Text
    areas: tuple[str, ...]
    goals: tuple[str, ...]
    level: str
    equipment: tuple[str, ...]
    duration_seconds: int
    source: Source
    path: str | None

    @classmethod
    def of(cls, routine: RoutineInfo) -> RoutineSummary:
        return cls(
            routine.id, routine.title, routine.summary, routine.areas, routine.goals, routine.level,
            routine.equipment, routine.duration_seconds, routine.source, routine.path,
        )  # fmt: skip


def _summary_data(routine: Routine) -> list[Any]:
    return [
        routine.id, [list(pair) for pair in routine.title.values], [list(pair) for pair in routine.summary.values],
        list(routine.areas), list(routine.goals), routine.level, list(routine.equipment),
        routine.duration_seconds, routine.source, None,  # the path is the entry's key: not twice in memory
    ]  # fmt: skip


def _texts(data: Any) -> Text:
    if not isinstance(data, list) or not data:
        raise CacheError("bad text")
    values = tuple((str(lang), str(text)) for lang, text in data)
    if values[0][0] != "en" and "en" not in dict(values):
        raise CacheError("a text without English")
    return Text(values)


def _strings(data: Any) -> tuple[str, ...]:
    if not isinstance(data, list) or not all(isinstance(item, str) for item in data):
        raise CacheError("bad list of names")
    return tuple(data)


def _summary(data: list[Any], path: str) -> RoutineSummary:
    if len(data) != 10:
        raise CacheError("bad summary")
    rid, title, summary, areas, goals, level, equipment, seconds, source, _path = data
    if not (isinstance(rid, str) and isinstance(level, str) and isinstance(seconds, int)):
        raise CacheError("bad summary")
    if source not in ("builtin", "user"):
        raise CacheError("bad summary")
    return RoutineSummary(
        rid, _texts(title), _texts(summary), _strings(areas), _strings(goals), level, _strings(equipment),
        seconds, source, path,
    )  # fmt: skip


@dataclass(slots=True)
class _Shelved:
    """One routine of a loaded library: where it came from, and its cache record."""

    path: str
    source: Source
    record: Record | None  # None when there is no cache (then the routine is kept in memory)
    sort_key: tuple[str, str]


class RoutineShelf(Mapping[str, Routine]):
    """The routines of a library by id, read from the cache only when asked for: a library of 10,000
    routines keeps their summaries in memory, not every step of every routine."""

    def __init__(
        self,
        shelved: dict[str, _Shelved],
        cache: RoutineCache,
        kept: dict[str, Routine],
        sound_ids: Callable[[str], Collection[str]],
    ) -> None:
        self._shelved = shelved
        self._cache = cache
        self._kept = kept
        self._sound_ids = sound_ids
        self._summaries: dict[str, RoutineInfo] | None = None

    def __getitem__(self, routine_id: str) -> Routine:
        routine = self._kept.get(routine_id)
        if routine is not None:
            return routine
        shelved = self._shelved[routine_id]
        routine = self._unshelve(routine_id, shelved)
        if routine is None:
            raise KeyError(routine_id)
        self._kept[routine_id] = routine
        return routine

    def _unshelve(self, routine_id: str, shelved: _Shelved) -> Routine | None:
        if shelved.record is not None:
            try:
                cached = self._cache.routine(shelved.record)
                if cached.id == routine_id:
                    return cached
            except (OSError, CacheError, ValueError, RecursionError) as exc:
                log.info("reading %s again: %s", shelved.path, exc)
        # The cache moved on (another process rewrote it) or failed a check: the file itself decides.
        from massage_guide.core.loader import load_routine_file

        routine, _found = load_routine_file(
            Path(shelved.path), source=shelved.source, sound_ids=self._sound_ids
        )
        return routine if routine is not None and routine.id == routine_id else None

    def __iter__(self) -> Iterator[str]:
        return iter(self._shelved)

    def __len__(self) -> int:
        return len(self._shelved)

    def __contains__(self, routine_id: object) -> bool:
        return routine_id in self._shelved

    def summaries(self) -> dict[str, RoutineInfo]:
        """Every routine's summary by id, in library order, built once."""
        if self._summaries is None:
            with _no_collection():
                self._summaries = self._build_summaries()
        return self._summaries

    def _build_summaries(self) -> dict[str, RoutineInfo]:
        found: dict[str, RoutineInfo] = {}
        for rid, shelved in self._shelved.items():
            kept = self._kept.get(rid)
            summary: RoutineInfo | None = kept
            if summary is None and shelved.record is not None and shelved.record.summary is not None:
                try:
                    summary = _summary(shelved.record.summary, shelved.path)
                except (CacheError, ValueError, TypeError):
                    summary = None
            found[rid] = summary if summary is not None else RoutineSummary.of(self[rid])
        return found

    def fragments(self, kind: str, render: Callable[[Routine], str]) -> list[bytes | memoryview]:
        """Each routine rendered by ``render`` as UTF-8, in order: from the cache when it holds this kind,
        and the new ones stored for next time."""
        texts: list[bytes | memoryview] = []
        ends = [
            seg[0] + seg[1]
            for shelved in self._shelved.values()
            if shelved.record is not None
            and isinstance(seg := shelved.record.fragments.get(kind), tuple | list)
            and len(seg) == 3
            and isinstance(seg[0], int)
            and isinstance(seg[1], int)
        ]
        if ends:
            try:
                self._cache.preload(max(ends))
            except (OSError, CacheError) as exc:
                log.info("the routine cache cannot be read: %s", exc)
        for rid, shelved in self._shelved.items():
            record = shelved.record
            segment = record.fragments.get(kind) if record is not None else None
            if segment is not None:
                try:
                    texts.append(self._cache.read(segment))
                    continue
                except (OSError, CacheError) as exc:
                    log.info("rendering %s again: %s", shelved.path, exc)
            text = render(self[rid]).encode("utf-8")
            if record is not None:
                self._cache.add_fragment(record, kind, text)
            texts.append(text)
        self._cache.release()
        self._cache.save()
        return texts


@dataclass(frozen=True)
class Library:
    """Every routine that loaded (by id, sorted by title) and every problem found on the way."""

    routines: Mapping[str, Routine]
    problems: tuple[Problem, ...] = ()
    failed_files: tuple[Path, ...] = ()
    sound_ids: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def get(self, routine_id: str) -> Routine | None:
        return self.routines.get(routine_id)

    @property
    def summaries(self) -> Mapping[str, RoutineInfo]:
        """Every routine's card fields by id, in library order, without reading any steps."""
        if isinstance(self.routines, RoutineShelf):
            return self.routines.summaries()
        return self.routines

    def rendered(self, language: str, render: Callable[[Routine], str]) -> list[bytes | memoryview]:
        """Each routine as ``render`` writes it (``list --json`` passes its JSON writer), in library order,
        kept in the cache so a big library is not rendered again at every listing."""
        if isinstance(self.routines, RoutineShelf):
            return self.routines.fragments(fragment_kind(language, lambda: render(probe_routine())), render)
        return [render(routine).encode("utf-8") for routine in self.routines.values()]


def probe_routine() -> Routine:
    """A sample routine with every field set: how it renders names the shape of a cached listing."""
    text = Text((("en", "probe"), ("de", "Probe")))
    step = Step(
        title=text,
        instruction=text,
        duration_seconds=7,
        technique="rest",
        pressure="light",
        side="left",
        focus="neck",
        breathing=Breathing(4, 1, 6, 1),
        say=text,
        cue="bell",
        mirror_part=1,
        muscle=text,
        origin="steps[0]",
    )
    return Routine(
        id="probe", title=text, summary=text, areas=("neck",), goals=("sleep",), steps=(step,),
        level="beginner", equipment=("towel",), cautions=(text,), ambience="rain", source="user",
        path="/probe.yaml", content_hash="0", languages=("de", "en"), sleep=True,
    )  # fmt: skip


def audio_dirs(paths: Paths) -> list[Path]:
    """Sound folders in lookup order: the user's own first, then the bundled ones."""
    return [paths.user_audio_dir, resources.audio_dir()]


def routine_files(folder: Path) -> list[Path]:
    """Routine files in a folder and its sub-folders, hidden ones skipped, in a stable order."""
    return [Path(name) for name in routine_file_names(folder)]


def routine_file_names(folder: Path | str) -> list[str]:
    """Routine files under ``folder`` as text paths, hidden ones skipped, sorted."""
    # os.scandir on text paths: each entry brings its joined path and its type from the directory read,
    # where pathlib's rglob or os.walk plus os.path.join cost several times more on 10,000 files.
    found: list[str] = []
    pending = [os.fspath(folder)]
    while pending:
        try:
            entries = os.scandir(pending.pop())
        except OSError:
            continue
        with entries:
            for entry in entries:
                name = entry.name
                if name.startswith("."):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    pending.append(entry.path)
                elif name[name.rfind(".") :].lower() in ROUTINE_SUFFIXES:
                    found.append(entry.path)
    return sorted(found)


def load_library(
    paths: Paths | None = None,
    *,
    builtin_dir: Path | None = None,
    user_dir: Path | None = None,
    sound_dirs: Sequence[Path] | None = None,
    use_cache: bool = True,
) -> Library:
    """Load built-in then user routines; a user routine with a built-in's id replaces it."""
    builtin_dir = builtin_dir or resources.routines_dir()
    if user_dir is None and paths is not None:
        user_dir = paths.user_routines_dir
    if sound_dirs is None:
        sound_dirs = audio_dirs(paths) if paths is not None else [resources.audio_dir()]
    known_sounds = {
        kind: tuple(sorted(sounds.available(sound_dirs, kind))) for kind in (sounds.AMBIENCE, sounds.CUES)
    }
    cache_dir = paths.routine_cache_dir if (paths is not None and use_cache) else None

    def ids(kind: str) -> Collection[str]:
        return known_sounds.get(kind, ())

    with _no_collection():
        key = [RULES_VERSION, sorted([k, list(v)] for k, v in known_sounds.items())]
        return _load(RoutineCache(cache_dir, key), builtin_dir, user_dir, ids, known_sounds)


@contextlib.contextmanager
def _no_collection() -> Iterator[None]:
    """The cycle collector paused: a big library makes some 30 objects per routine that live as long as
    the library, and the collector would walk them again and again while they are made (half of a warm
    load of 10,000 routines). None of them form cycles that need collecting."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _load(
    store: RoutineCache,
    builtin_dir: Path,
    user_dir: Path | None,
    ids: Callable[[str], Collection[str]],
    known_sounds: dict[str, tuple[str, ...]],
) -> Library:
    shelved: dict[str, _Shelved] = {}
    kept: dict[str, Routine] = {}
    problems: list[Problem] = []
    failed: list[Path] = []
    sources: list[tuple[Source, Path | None]] = [("builtin", builtin_dir), ("user", user_dir)]
    for source, folder in sources:
        if folder is None:
            continue
        seen_here: dict[str, str] = {}
        for path in routine_file_names(folder):
            loaded = _load_one(path, source, store, ids)
            found = loaded.problems
            if loaded.routine_id is not None and loaded.routine_id in seen_here:
                first = seen_here[loaded.routine_id]
                message = _("the id '{id}' is already used by {first}; give each routine its own id").format(
                    id=loaded.routine_id, first=first
                )
                found = [Problem(Path(path), 1, 1, message, "id")]
                loaded = _Loaded(None, ("", ""), None, None, found)
            if loaded.routine_id is None:
                problems.extend(found)
                failed.append(Path(path))
                continue
            rid = loaded.routine_id
            seen_here[rid] = path
            if rid in shelved and source == "user":
                log.info("user routine %s replaces the built-in %s", path, shelved[rid].path)
                kept.pop(rid, None)
            shelved[rid] = _Shelved(path, source, loaded.record, loaded.sort_key)
            if loaded.routine is not None and store.file is None:
                kept[rid] = loaded.routine
    store.save()
    store.forget_unused()
    ordered = dict(sorted(shelved.items(), key=lambda item: (item[1].sort_key, item[0])))
    return Library(RoutineShelf(ordered, store, kept, ids), tuple(problems), tuple(failed), known_sounds)


@dataclass(frozen=True, slots=True)
class _Loaded:
    routine_id: str | None
    sort_key: tuple[str, str]
    record: Record | None
    routine: Routine | None  # when it was parsed just now
    problems: list[Problem]


def _sort_key(title: Text | Any, routine_id: str) -> tuple[str, str]:
    return (str(title).casefold(), routine_id)


def _load_one(
    path: str, source: Source, store: RoutineCache, ids: Callable[[str], Collection[str]]
) -> _Loaded:
    try:
        stat = os.stat(path)  # noqa: PTH116 - a text path; pathlib costs on a big library
    except OSError as exc:
        return _Loaded(
            None,
            ("", ""),
            None,
            None,
            [Problem(Path(path), 1, 1, _("cannot read the file ({reason})").format(reason=os_reason(exc)))],
        )
    record = store.lookup(path, stat)
    if record is not None:
        summary = record.summary
        if summary is None:
            return _Loaded(None, ("", ""), record, None, list(record.problems))
        try:
            rid, title = summary[0], dict(summary[1])["en"]
            if isinstance(rid, str) and isinstance(title, str):
                return _Loaded(rid, (title.casefold(), rid), record, None, [])
        except (IndexError, KeyError, TypeError, ValueError):
            pass  # a damaged entry: read the file again

    # Imported on a cache miss only: the loader and PyYAML stay off the start-up path of a warm library.
    from massage_guide.core.loader import load_routine_file

    routine, found = load_routine_file(Path(path), source=source, sound_ids=ids)
    if store.file is None:
        record = None
    else:
        data = None if routine is None else json.dumps(encode(routine), ensure_ascii=False).encode("utf-8")
        record = Record(0, 0, None if routine is None else _summary_data(routine), tuple(found), data)
        store.store(path, stat, record)
    if routine is None:
        return _Loaded(None, ("", ""), record, None, found)
    return _Loaded(routine.id, _sort_key(routine.title, routine.id), record, routine, found)
