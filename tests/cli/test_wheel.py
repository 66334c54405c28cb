"""An installed wheel (not an editable checkout) carries the routines, sounds and safety notice."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT


@pytest.mark.slow
def test_wheel_ships_routines_and_audio_and_finds_them_from_another_folder(tmp_path: Path) -> None:
    """Build the wheel, unpack it elsewhere, and list the library from an unrelated folder."""
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            ".",
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert build.returncode == 0, build.stderr
    wheel = next(tmp_path.glob("massage_guide-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        archive.extractall(tmp_path / "site")
    assert "massage_guide/_data/routines/neck-tension-release.yaml" in names
    assert "massage_guide/_data/routines/schema.json" in names
    assert "massage_guide/_data/audio/ambience/soft-rain.ogg" in names
    assert "massage_guide/_data/audio/cues/bowl.ogg" in names
    assert "massage_guide/_data/docs/safety.md" in names
    assert "massage_guide/data/massage-guide.metainfo.xml" in names  # AppStream (issue 12)
    assert "massage_guide/data/icons/massage-guide-256.png" in names
    assert "massage_guide/ui/assets/body_front.svg" in names
    assert "massage_guide/locale/de/LC_MESSAGES/massage_guide.mo" in names  # German (issue 11)

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "site")}
    code = "import massage_guide.resources as r; print(r.routines_dir()); print(r.audio_dir())"
    where = subprocess.run(
        [sys.executable, "-c", code], cwd=elsewhere, env=env, capture_output=True, text=True, check=True
    )
    assert where.stdout.splitlines() == [
        str(tmp_path / "site" / "massage_guide" / "_data" / "routines"),
        str(tmp_path / "site" / "massage_guide" / "_data" / "audio"),
    ]
    listing = subprocess.run(
        [sys.executable, "-m", "massage_guide", "list", "--json"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    document = json.loads(listing.stdout)
    assert len(document["routines"]) >= 16 and document["errors"] == []
    german = subprocess.run(
        [sys.executable, "-m", "massage_guide", "--help"],
        cwd=elsewhere,
        env={**env, "LANGUAGE": "de"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert "Aufruf: massage-guide" in german.stdout
