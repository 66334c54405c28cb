"""The library: built-ins and user routines load together, users override, bad files are skipped and reported."""

from __future__ import annotations

import os
from pathlib import Path

from massage_guide import paths as paths_module
from massage_guide.core.library import load_library

ROUTINE = """\
schema_version: 1
id: {id}
title: {title}
summary: A routine written by the user.
areas: [feet]
goals: [tension_relief]
steps:
  - title: Roll the arch
    instruction: Roll the ball slowly under the arch of the foot.
    duration: 2m
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_builtin_library_loads_without_problems(mg_home: Path) -> None:
    """Every bundled routine loads; none is reported as a problem."""
    library = load_library(paths_module.resolve())
    assert library.problems == ()
    assert len(library.routines) >= 1
    assert all(r.source == "builtin" for r in library.routines.values())


def test_user_routine_overrides_builtin_and_bad_files_are_skipped(mg_home: Path) -> None:
    """A user file with a built-in's id replaces it; a broken file is reported and the rest still load."""
    paths = paths_module.resolve()
    builtin_id = next(iter(load_library(paths).routines))
    user = paths.user_routines_dir
    write(user, "mine.yaml", ROUTINE.format(id=builtin_id, title="My own version"))
    write(user, "new.yaml", ROUTINE.format(id="my-feet", title="My feet"))
    broken = write(user, "broken.yaml", "schema_version: 1\nid: [oops\n")
    write(user, "sub/dup.yaml", ROUTINE.format(id="my-feet", title="Duplicate"))
    library = load_library(paths)
    assert library.routines[builtin_id].title.get() == "My own version"
    assert library.routines[builtin_id].source == "user"
    assert library.routines["my-feet"].title.get() == "My feet"
    assert broken in library.failed_files
    messages = [str(p) for p in library.problems]
    assert any(m.startswith(f"{broken}:") for m in messages)
    assert any("the id 'my-feet' is already used by" in m for m in messages)


def test_cache_is_used_and_invalidated_on_change(mg_home: Path) -> None:
    """A second load reuses the cache; editing a file (size or mtime) reloads it."""
    paths = paths_module.resolve()
    path = write(paths.user_routines_dir, "mine.yaml", ROUTINE.format(id="cached", title="First"))
    assert load_library(paths).routines["cached"].title.get() == "First"
    assert (paths.routine_cache_dir / "library.cache").is_file()
    path.write_text(ROUTINE.format(id="cached", title="Second title"), encoding="utf-8")
    os.utime(path, ns=(path.stat().st_mtime_ns + 1_000_000_000,) * 2)
    assert load_library(paths).routines["cached"].title.get() == "Second title"


def test_damaged_cache_is_ignored(mg_home: Path) -> None:
    """A damaged cache file only means a slower load, never a failure."""
    paths = paths_module.resolve()
    write(paths.user_routines_dir, "mine.yaml", ROUTINE.format(id="cached", title="First"))
    load_library(paths)
    (paths.routine_cache_dir / "library.cache").write_bytes(b"not a pickle")
    assert "cached" in load_library(paths).routines
