"""The routine cache: data only (a planted pickle never runs), checked, rebuilt when it fails a check."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from massage_guide import paths as paths_module
from massage_guide.core.library import Library, RoutineShelf, RoutineSummary, load_library
from massage_guide.core.library_cache import CACHE_FILE, CacheError, decode, encode
from tests.conftest import REPO_ROOT
from tests.core.test_library import ROUTINE, write


class _Planted:
    """Unpickling this writes a file: proof that code ran."""

    def __init__(self, proof: Path) -> None:
        self.proof = proof

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (exec, (f"open({str(self.proof)!r}, 'w').write('ran')",))


def _user_library(count: int = 3) -> Library:
    paths = paths_module.resolve()
    for n in range(count):
        write(paths.user_routines_dir, f"r{n}.yaml", ROUTINE.format(id=f"mine-{n}", title=f"Mine {n}"))
    return load_library(paths)


def test_a_planted_pickle_in_the_cache_folder_never_runs(mg_home: Path) -> None:
    """The old pickle cache file is never unpickled: a planted one runs no code and is removed."""
    paths = paths_module.resolve()
    proof = mg_home / "proof.txt"
    paths.routine_cache_dir.mkdir(parents=True)
    (paths.routine_cache_dir / "library.pickle").write_bytes(pickle.dumps(_Planted(proof)))
    library = _user_library()
    assert "mine-1" in library.routines
    assert not proof.exists()
    assert not (paths.routine_cache_dir / "library.pickle").exists()
    assert (paths.routine_cache_dir / CACHE_FILE).is_file()


def test_cache_file_is_plain_json_data(mg_home: Path) -> None:
    """The cache is readable data: a magic line, the header's length, a JSON header with one entry a file."""
    _user_library()
    data = (paths_module.resolve().routine_cache_dir / CACHE_FILE).read_bytes()
    magic, length, rest = data.split(b"\n", 2)
    header = json.loads(rest[: int(length.split()[0])])
    assert magic == b"massage-guide routine cache"
    assert any(path.endswith("r1.yaml") for path in header["entries"])


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[:40],  # cut short
        lambda data: data.replace(b"Mine 1", b"Mine X"),  # a routine changed behind the checksum
        lambda data: b"not a cache at all",
        lambda data: data.replace(b'"@": "Step"', b'"@": "Popen"'),  # a type that is not in the model
    ],
)
def test_a_cache_that_fails_a_check_is_rebuilt(mg_home: Path, damage: object) -> None:
    """Whatever is wrong with the cache file, the routines come from their files, right, and it is rewritten."""
    _user_library()
    cache = paths_module.resolve().routine_cache_dir / CACHE_FILE
    cache.write_bytes(damage(cache.read_bytes()))  # type: ignore[operator]
    library = load_library(paths_module.resolve())
    assert library.summaries["mine-1"].title.get() == "Mine 1"
    routine = library.routines["mine-1"]
    assert routine.title.get() == "Mine 1"
    assert [step.title.get() for step in routine.steps] == ["Roll the arch"]
    again = load_library(paths_module.resolve())
    assert again.routines["mine-1"].title.get() == "Mine 1"


def test_decode_builds_only_model_values() -> None:
    """Decoding refuses unknown type tags and wrong field counts instead of building anything."""
    library = load_library(use_cache=False)
    routine = next(iter(library.routines.values()))
    assert decode(json.loads(json.dumps(encode(routine)))) == routine
    with pytest.raises(CacheError):
        decode({"@": "Popen", "v": ["ls"]})
    with pytest.raises(CacheError):
        decode({"@": "Text", "v": []})
    with pytest.raises(CacheError):
        decode({"@": "Text", "v": [[]], "extra": 1})


def test_warm_library_keeps_summaries_and_reads_steps_on_demand(mg_home: Path) -> None:
    """From a warm cache the library holds summaries; a routine's steps are read when it is asked for."""
    _user_library()
    library = load_library(paths_module.resolve())
    assert isinstance(library.routines, RoutineShelf)
    summary = library.summaries["mine-2"]
    assert isinstance(summary, RoutineSummary)
    assert summary.title.get() == "Mine 2" and summary.duration_seconds == 120
    assert list(library.summaries) == list(library.routines)
    routine = library.get("mine-2")
    assert routine is not None and routine.steps[0].instruction.get().startswith("Roll the ball")


def test_routine_edited_after_listing_is_read_from_its_file(mg_home: Path) -> None:
    """If the cache file is replaced after the library loaded, opening a routine still gives the right one."""
    library = _user_library()
    warm = load_library(paths_module.resolve())
    (paths_module.resolve().routine_cache_dir / CACHE_FILE).write_bytes(b"gone")
    routine = warm.get("mine-0")
    assert routine is not None and routine.title.get() == "Mine 0"
    assert library.get("nope") is None


def test_list_json_is_the_same_cold_and_warm(mg_home: Path) -> None:
    """`list --json` prints the same text from a cold cache and from the rendered listings it keeps."""
    _user_library(5)
    (paths_module.resolve().routine_cache_dir / CACHE_FILE).unlink()

    def listing() -> str:
        run = [sys.executable, "-m", "massage_guide", "list", "--json"]
        return subprocess.run(run, capture_output=True, text=True, check=True, cwd=REPO_ROOT).stdout

    cold, warm, again = listing(), listing(), listing()
    assert cold == warm == again
    document = json.loads(cold)
    ids = [routine["id"] for routine in document["routines"]]
    assert {"mine-0", "mine-4"} <= set(ids)
    assert document["routines"][ids.index("mine-3")]["steps"][0]["title"] == "Roll the arch"
    assert document["errors"] == []


def test_listing_follows_every_change_and_a_damaged_one_is_rebuilt(mg_home: Path) -> None:
    """The kept `list --json` text is reused only while nothing changed: an edit, a new file or damage shows."""
    _user_library(2)
    paths = paths_module.resolve()

    def listing() -> dict[str, object]:
        run = [sys.executable, "-m", "massage_guide", "list", "--json"]
        out = subprocess.run(run, capture_output=True, text=True, check=True, cwd=REPO_ROOT).stdout
        return json.loads(out)  # type: ignore[no-any-return]

    def titles() -> set[str]:
        return {r["title"] for r in listing()["routines"]}  # type: ignore[attr-defined]

    assert {"Mine 0", "Mine 1"} <= titles()
    kept = list(paths.routine_cache_dir.glob("listing-*"))
    assert len(kept) == 1
    mine = paths.user_routines_dir / "r1.yaml"
    mine.write_text(ROUTINE.format(id="mine-1", title="Renamed"), encoding="utf-8")
    os.utime(mine, ns=(mine.stat().st_mtime_ns + 1_000_000_000,) * 2)
    assert "Renamed" in titles() and "Mine 1" not in titles()
    write(paths.user_routines_dir, "broken.yaml", "schema_version: 1\nid: [oops\n")
    document = listing()
    assert any(str(error["file"]).endswith("broken.yaml") for error in document["errors"])  # type: ignore[attr-defined]
    kept[0].write_bytes(kept[0].read_bytes().replace(b"Renamed", b"Tampered"))
    assert "Renamed" in titles() and "Tampered" not in titles()


def test_cached_problems_follow_the_language(mg_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A broken routine's problems show in the active language from a warm cache (English, German, English
    again), and only the broken file is read again when the language changes."""
    from massage_guide.core import i18n, loader

    paths = paths_module.resolve()
    write(paths.user_routines_dir, "ok.yaml", ROUTINE.format(id="mine-ok", title="Mine"))
    bad = ROUTINE.format(id="mine-bad", title="Bad").replace("[feet]", "[fet]")
    write(paths.user_routines_dir, "bad.yaml", bad)
    read: list[str] = []
    real = loader.load_routine_file

    def counting(path: Path, **kwargs: Any) -> Any:
        read.append(path.name)
        return real(path, **kwargs)

    monkeypatch.setattr(loader, "load_routine_file", counting)
    seen: list[list[str]] = []
    for language in ("en", "de", "en", "en"):
        i18n.activate(language)
        library = load_library(paths)
        seen.append([f"{p.file.name}:{p.line}: {p.message}" for p in library.problems])
        assert library.get("mine-ok") is not None
    english = "bad.yaml:5: 'fet' is not a known area. Did you mean 'feet'?"
    assert seen == [
        [english],
        ["bad.yaml:5: „fet“ ist kein bekannter Bereich. Meintest du „feet“?"],
        [english],
        [english],
    ]
    user_files = [name for name in read if name in ("ok.yaml", "bad.yaml")]
    assert user_files == ["bad.yaml", "ok.yaml", "bad.yaml", "bad.yaml"]
