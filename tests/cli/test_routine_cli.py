"""The import and export commands as a user runs them: checks first, nothing changed on a problem."""

from __future__ import annotations

import json
import os
import stat
from dataclasses import replace
from pathlib import Path

from massage_guide import resources
from massage_guide.core.loader import load_routine_file
from tests.cli.test_cli import GOOD, run


def _listed(home: Path) -> dict[str, dict[str, object]]:
    result = run("list", "--json")
    assert result.returncode == 0, result.stderr
    return {r["id"]: r for r in json.loads(result.stdout)["routines"]}


def _files(folder: Path) -> dict[str, bytes]:
    if not folder.is_dir():
        return {}
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_import_copies_a_valid_file_privately_and_lists_it_as_user(tmp_path: Path, mg_home: Path) -> None:
    """A valid file is copied byte for byte into the routines folder (0600) and listed with source user."""
    file = tmp_path / "shared.yaml"
    file.write_text("# from my physio\n" + GOOD, encoding="utf-8")
    result = run("import", str(file))
    assert result.returncode == 0, result.stderr
    copied = mg_home / "routines" / "my-feet.yaml"
    assert copied.read_bytes() == file.read_bytes()
    assert stat.S_IMODE(copied.stat().st_mode) == 0o600
    assert "Imported 'My feet' (my-feet)" in result.stdout
    assert _listed(mg_home)["my-feet"]["source"] == "user"


def test_invalid_file_exits_1_with_located_lines_and_changes_nothing(tmp_path: Path, mg_home: Path) -> None:
    """An invalid file prints FILE:LINE:COL: lines like validate, exits 1 and leaves the folder as it was."""
    (mg_home / "routines").mkdir()
    (mg_home / "routines" / "keep.yaml").write_text(GOOD.replace("my-feet", "keep"), encoding="utf-8")
    before = _files(mg_home / "routines")
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        GOOD.replace("duration: 1m", "duration: soon").replace("[feet]", "[foot]"), encoding="utf-8"
    )
    result = run("import", str(bad))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines == run("validate", str(bad)).stdout.splitlines()
    assert len(lines) == 2
    assert all(line.startswith(f"{bad}:") and line.split(":")[1].isdigit() for line in lines)
    assert f"{bad}:5:9: areas[0]: 'foot' is not a known area" in result.stdout
    assert _files(mg_home / "routines") == before


def test_existing_id_exits_1_unless_replace(tmp_path: Path, mg_home: Path) -> None:
    """A routine of yours with the same id stays unless --replace; with it, the same file is replaced."""
    first = tmp_path / "one.yaml"
    first.write_text(GOOD, encoding="utf-8")
    assert run("import", str(first)).returncode == 0
    second = tmp_path / "two.yaml"
    second.write_text(GOOD.replace("title: My feet", "title: My feet, again"), encoding="utf-8")
    before = _files(mg_home / "routines")
    refused = run("import", str(second))
    assert refused.returncode == 1
    assert "--replace" in refused.stderr
    assert _files(mg_home / "routines") == before
    replaced = run("import", str(second), "--replace")
    assert replaced.returncode == 0, replaced.stderr
    assert _files(mg_home / "routines") == {"my-feet.yaml": second.read_bytes()}
    assert _listed(mg_home)["my-feet"]["title"] == "My feet, again"


def test_export_of_a_builtin_validates_and_imports_back_equal(tmp_path: Path, mg_home: Path) -> None:
    """Export writes a file validate accepts, and importing it gives a routine equal to the original."""
    out = tmp_path / "share" / "neck.yaml"
    out.parent.mkdir()
    result = run("export", "neck-tension-release", str(out))
    assert result.returncode == 0, result.stderr
    assert run("validate", str(out)).returncode == 0
    original, _ = load_routine_file(resources.routines_dir() / "neck-tension-release.yaml", source="builtin")
    assert original is not None
    assert run("import", str(out)).returncode == 0
    imported, problems = load_routine_file(mg_home / "routines" / "neck-tension-release.yaml")
    assert problems == [] and imported is not None
    assert replace(imported, source="builtin", path=original.path) == original
    assert _listed(mg_home)["neck-tension-release"]["source"] == "user"


def test_export_of_an_unknown_id_says_how_to_find_one(tmp_path: Path) -> None:
    """An id that is not in the library exits 1 with a hint and writes nothing."""
    result = run("export", "no-such-routine", str(tmp_path / "x.yaml"))
    assert result.returncode == 1
    assert "massage-guide list" in result.stderr
    assert not (tmp_path / "x.yaml").exists()


def test_missing_sounds_are_reported_and_the_routine_still_loads(tmp_path: Path, mg_home: Path) -> None:
    """Sounds this computer lacks are named on import and left out of the copy, comments kept, so it plays."""
    text = GOOD.replace(
        "areas: [feet]", "areas: [feet]\nambience: whale-song  # from my other laptop"
    ).replace("    mirror: true\n", "    mirror: true\n    cue: gong\n")
    file = tmp_path / "sounds.yaml"
    file.write_text(text, encoding="utf-8")
    assert run("validate", str(file)).returncode == 1  # validate insists the sounds exist
    result = run("import", str(file))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no ambience sound 'whale-song'" in result.stderr
    assert "no cue sound 'gong'" in result.stderr
    copied = (mg_home / "routines" / "my-feet.yaml").read_text(encoding="utf-8")
    assert "gong" not in copied and "whale-song" not in copied
    listed = _listed(mg_home)["my-feet"]
    assert listed["ambience"] is None
    assert run("validate", str(mg_home / "routines" / "my-feet.yaml")).returncode == 0


def test_import_of_a_missing_file_is_one_clear_line(tmp_path: Path) -> None:
    """A path that does not exist exits 1 with a located line, never a traceback."""
    result = run("import", str(tmp_path / "nope.yaml"))
    assert result.returncode == 1
    assert result.stdout.startswith(f"{tmp_path / 'nope.yaml'}:1:1: no such file")
    assert "Traceback" not in result.stderr
    assert os.environ["MASSAGE_GUIDE_HOME"]


def test_import_of_a_named_pipe_is_refused_without_hanging(tmp_path: Path, mg_home: Path) -> None:
    """A FIFO named as FILE is refused at once with a located line (reading it would wait forever)."""
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    result = run("import", str(fifo))
    assert result.returncode == 1
    assert result.stdout.startswith(f"{fifo}:1:1: cannot read the file")
    assert not (mg_home / "routines").exists()
