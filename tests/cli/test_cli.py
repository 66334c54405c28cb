"""The command line as a user runs it: version, validate, list and schema, in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from massage_guide import __version__
from massage_guide.core.schema import schema_json
from tests.conftest import REPO_ROOT

GOOD = """\
schema_version: 1
id: my-feet
title: My feet
summary: Rolling the soles after a long day.
areas: [feet]
goals: [tension_relief]
steps:
  - title: Roll the arch
    instruction: Roll the ball slowly under the arch of the foot.
    duration: 1m
    side: left
    mirror: true
  - repeat: 2
    steps:
      - {title: Rest, instruction: Rest both feet flat., duration: 20s}
"""


def run(*args: str, cwd: Path = REPO_ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "massage_guide", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=os.environ,
        timeout=60,
        check=False,
    )


def test_version() -> None:
    """--version prints the version and exits 0."""
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"massage-guide {__version__}"


def test_validate_reports_each_problem_with_location(tmp_path: Path) -> None:
    """validate prints PATH:LINE:COL: message for every problem and exits 1; valid files exit 0."""
    good = tmp_path / "good.yaml"
    good.write_text(GOOD, encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        GOOD.replace("areas: [feet]", "areas: [foot]").replace("duration: 1m", "duration: soon"),
        encoding="utf-8",
    )
    ok = run("validate", str(good))
    assert ok.returncode == 0 and ok.stdout == ""
    result = run("validate", str(tmp_path))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines == [
        f"{bad}:5:9: areas[0]: 'foot' is not a known area. Did you mean 'feet'?",
        f"{bad}:10:15: steps[0].duration: 'soon' is not a duration; write it like 45s, 2m, 1m30s, 1h or a number of seconds",
    ]
    assert "Traceback" not in result.stderr


def test_validate_missing_path_and_binary_file(tmp_path: Path) -> None:
    """A missing path and a binary file are clean errors, never tracebacks."""
    binary = tmp_path / "photo.yaml"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\xff\xfe")
    result = run("validate", str(tmp_path / "nope.yaml"), str(binary))
    assert result.returncode == 1
    assert f"{tmp_path / 'nope.yaml'}:1:1: no such file or folder" in result.stdout
    assert f"{binary}:1:1: the file is not UTF-8 text" in result.stdout
    assert "Traceback" not in result.stderr


def test_validate_of_a_missing_path_does_not_say_all_is_fine(tmp_path: Path) -> None:
    """A named path that is not there ends with a summary saying so and exit 1, never "all valid"."""
    missing = tmp_path / "nonexistent.yaml"
    alone = run("validate", str(missing))
    assert alone.returncode == 1
    assert alone.stdout == f"{missing}:1:1: no such file or folder\n"
    assert alone.stderr == "0 files checked. 1 path named above could not be checked.\n"
    good = tmp_path / "good.yaml"
    good.write_text(GOOD, encoding="utf-8")
    mixed = run("validate", str(good), str(missing), str(tmp_path / "gone"))
    assert mixed.returncode == 1
    assert mixed.stderr == "1 file checked. 2 paths named above could not be checked.\n"


def test_bundled_routines_validate() -> None:
    """Every built-in routine file passes the same validation users get."""
    result = run("validate", str(REPO_ROOT / "routines"))
    assert result.returncode == 0, result.stdout


def test_list_json_shape_and_user_routines(mg_home: Path) -> None:
    """list --json gives routines with expanded steps and the errors of files that failed."""
    user = mg_home / "routines"
    user.mkdir()
    (user / "mine.yaml").write_text(GOOD, encoding="utf-8")
    (user / "broken.yaml").write_text("schema_version: 1\nid: x\n", encoding="utf-8")
    result = run("list", "--json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert set(document) == {"routines", "errors"}
    mine = next(r for r in document["routines"] if r["id"] == "my-feet")
    assert set(mine) >= {
        "id", "title", "summary", "areas", "goals", "level", "equipment", "cautions", "duration_seconds",
        "source", "path", "steps",
    }  # fmt: skip
    assert mine["source"] == "user" and mine["path"] == str(user / "mine.yaml")
    assert mine["duration_seconds"] == 60 + 60 + 20 + 20
    assert [(s["title"], s["side"]) for s in mine["steps"]] == [
        ("Roll the arch", "left"), ("Roll the arch", "right"), ("Rest", None), ("Rest", None),
    ]  # fmt: skip
    assert set(mine["steps"][0]) == {
        "title",
        "instruction",
        "duration_seconds",
        "side",
        "technique",
        "pressure",
        "focus",
        "spoken",
    }
    assert any(r["source"] == "builtin" for r in document["routines"])
    assert [e["file"] for e in document["errors"]] == [str(user / "broken.yaml")] * len(document["errors"])
    assert document["errors"] and all(e["line"] >= 1 for e in document["errors"])


def test_list_uses_the_users_language(mg_home: Path) -> None:
    """Text comes in the user's language when the routine has it, English otherwise."""
    user = mg_home / "routines"
    user.mkdir()
    (user / "mine.yaml").write_text(
        GOOD.replace("title: My feet", "title: {en: My feet, de: Meine Füße}"), encoding="utf-8"
    )
    env = {**os.environ, "LANGUAGE": "de_DE.UTF-8"}
    result = subprocess.run(
        [sys.executable, "-m", "massage_guide", "list", "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    titles = {r["id"]: r["title"] for r in json.loads(result.stdout)["routines"]}
    assert titles["my-feet"] == "Meine Füße"


def test_plain_list_from_another_folder(tmp_path: Path) -> None:
    """The bundled library is found when running from any folder."""
    result = run("list", cwd=tmp_path)
    assert result.returncode == 0
    assert len(result.stdout.splitlines()) >= 1


def test_schema_matches_committed_copy() -> None:
    """`massage-guide schema` prints the schema, and routines/schema.json is that same text."""
    result = run("schema")
    assert result.returncode == 0
    assert json.loads(result.stdout)["properties"]["schema_version"] == {"const": 1}
    assert result.stdout == schema_json()
    assert (REPO_ROOT / "routines" / "schema.json").read_text(encoding="utf-8") == result.stdout
