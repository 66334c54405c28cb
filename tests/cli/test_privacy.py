"""Everything the app creates holds health data or settings: files are 0600 and folders 0700, exports too."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.test_history_cli import REPO_ROOT, sample_csv

pytestmark = pytest.mark.slow


def run_with_open_umask(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the command line as a user whose umask would make files world-readable (022)."""
    env = {**os.environ, "MASSAGE_GUIDE_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "massage_guide", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO_ROOT,
        check=False,
        timeout=60,
        preexec_fn=lambda: os.umask(0o022),
    )


def test_every_file_and_folder_created_is_private(tmp_path: Path) -> None:
    """History, caches, settings and exports made by the command line are readable by their owner only."""
    home = tmp_path / "home"
    source = sample_csv(tmp_path / "in.csv")
    exports = tmp_path / "exports"
    exports.mkdir()
    for args in (
        ("list",),
        ("history", "import", str(source)),
        ("history", "export", str(exports / "mine.csv")),
        ("history", "export", str(exports / "mine.json")),
        ("stats",),
    ):
        result = run_with_open_umask(home, *args)
        assert result.returncode == 0, result.stderr
    created = [home, *home.rglob("*"), *exports.iterdir()]
    assert len(created) > 5
    loose = {
        str(path.relative_to(tmp_path)): oct(path.stat().st_mode & 0o777)
        for path in created
        if path.stat().st_mode & 0o077
    }
    assert loose == {}
