"""The routine library: built-in and user routine files loaded together, bad files reported, never fatal."""

from __future__ import annotations

import logging
import os
import pickle
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from massage_guide import __version__, resources
from massage_guide.core import sounds
from massage_guide.core.model import Routine, Source
from massage_guide.core.problems import Problem
from massage_guide.paths import Paths

log = logging.getLogger(__name__)

ROUTINE_SUFFIXES = (".yaml", ".yml")
# Bump when Routine, Step or the validation rules change shape, so stale cache entries are ignored.
_CACHE_FORMAT = 4
_CACHE_FILE = "library.pickle"


@dataclass(frozen=True)
class Library:
    """Every routine that loaded (by id, sorted by title) and every problem found on the way."""

    routines: dict[str, Routine]
    problems: tuple[Problem, ...] = ()
    failed_files: tuple[Path, ...] = ()
    sound_ids: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def get(self, routine_id: str) -> Routine | None:
        return self.routines.get(routine_id)


def audio_dirs(paths: Paths) -> list[Path]:
    """Sound folders in lookup order: the user's own first, then the bundled ones."""
    return [paths.user_audio_dir, resources.audio_dir()]


def routine_files(folder: Path) -> list[Path]:
    """Routine files in a folder and its sub-folders, hidden ones skipped, in a stable order."""
    return [Path(name) for name in _routine_file_names(folder)]


def _routine_file_names(folder: Path) -> list[str]:
    # os.walk on text paths: pathlib's rglob costs ~40 ms more on a library of 1,000 files.
    found: list[str] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found.extend(
            os.path.join(root, name)  # noqa: PTH118 - text paths on purpose, see above
            for name in files
            if not name.startswith(".") and os.path.splitext(name)[1].lower() in ROUTINE_SUFFIXES  # noqa: PTH122
        )
    return sorted(found)


class _Cache:
    """Parsed routines keyed on path, size and modification time, so a big user library loads fast."""

    def __init__(self, folder: Path | None, sound_key: tuple[Any, ...]) -> None:
        self.file = folder / _CACHE_FILE if folder else None
        self.key = (_CACHE_FORMAT, __version__, sound_key)
        self.entries: dict[str, tuple[int, int, Any]] = {}
        self.used: dict[str, tuple[int, int, Any]] = {}
        self.dirty = False
        if self.file is None:
            return
        try:
            with self.file.open("rb") as stream:
                stored = pickle.load(stream)
            if isinstance(stored, dict) and stored.get("key") == self.key:
                self.entries = stored["entries"]
        except FileNotFoundError:
            pass
        except Exception as exc:  # A damaged cache is only a slower start; never a failure.
            log.info("ignoring the routine cache %s: %s", self.file, exc)

    def lookup(self, path: str, stat: os.stat_result) -> Any | None:
        entry = self.entries.get(path)
        if entry is not None and entry[0] == stat.st_size and entry[1] == stat.st_mtime_ns:
            self.used[path] = entry
            return entry[2]
        return None

    def store(self, path: str, stat: os.stat_result, value: Any) -> None:
        self.used[path] = (stat.st_size, stat.st_mtime_ns, value)
        self.dirty = True

    def save(self) -> None:
        if self.file is None or not (self.dirty or len(self.used) != len(self.entries)):
            return
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.file.with_suffix(f".tmp{os.getpid()}")
            with temporary.open("wb") as stream:
                pickle.dump({"key": self.key, "entries": self.used}, stream, protocol=pickle.HIGHEST_PROTOCOL)
            temporary.replace(self.file)
        except OSError as exc:
            log.info("cannot write the routine cache %s: %s", self.file, exc)


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
    store = _Cache(cache_dir, tuple(sorted(known_sounds.items())))

    routines: dict[str, Routine] = {}
    owners: dict[str, str] = {}
    problems: list[Problem] = []
    failed: list[Path] = []
    sources: list[tuple[Source, Path | None]] = [("builtin", builtin_dir), ("user", user_dir)]
    for source, folder in sources:
        if folder is None:
            continue
        seen_here: dict[str, str] = {}
        for path in _routine_file_names(folder):
            routine, found = _load_one(path, source, known_sounds, store)
            if routine is not None and routine.id in seen_here:
                first = seen_here[routine.id]
                found = [
                    Problem(
                        Path(path),
                        1,
                        1,
                        f"the id '{routine.id}' is already used by {first}; give each routine its own id",
                        "id",
                    )
                ]
                routine = None
            if routine is None:
                problems.extend(found)
                failed.append(Path(path))
                continue
            seen_here[routine.id] = path
            if routine.id in owners and source == "user":
                log.info("user routine %s replaces the built-in %s", path, owners[routine.id])
            routines[routine.id] = routine
            owners[routine.id] = path
    store.save()
    ordered = dict(sorted(routines.items(), key=lambda item: (str(item[1].title).casefold(), item[0])))
    return Library(ordered, tuple(problems), tuple(failed), known_sounds)


def _load_one(
    path: str, source: Source, known_sounds: dict[str, tuple[str, ...]], store: _Cache
) -> tuple[Routine | None, list[Problem]]:
    try:
        stat = os.stat(path)  # noqa: PTH116 - a text path; pathlib costs on a big library
    except OSError as exc:
        return None, [Problem(Path(path), 1, 1, f"cannot read the file ({exc.strerror or exc})")]
    cached = store.lookup(path, stat)
    if cached is not None:
        routine, found = cached
        return routine, list(found)

    def ids(kind: str) -> Collection[str]:
        return known_sounds.get(kind, ())

    # Imported on a cache miss only: the loader and PyYAML stay off the start-up path of a warm library.
    from massage_guide.core.loader import load_routine_file

    routine, found = load_routine_file(Path(path), source=source, sound_ids=ids)
    store.store(path, stat, (routine, tuple(found)))
    return routine, found
