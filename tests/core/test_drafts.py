"""Drafts of routines being edited: private, hidden from the library, found again after a crash."""

from __future__ import annotations

import stat
import subprocess
import sys
from pathlib import Path

from massage_guide.core.drafts import discard_draft, draft_file_for, find_drafts, read_draft, save_draft
from massage_guide.core.library import load_library
from tests.conftest import REPO_ROOT


def test_a_draft_lives_beside_its_file_private_and_unlisted(tmp_path: Path) -> None:
    """The draft sits beside the routine file, readable by its owner only, and the library ignores it."""
    target = tmp_path / "routines" / "mine.yaml"
    draft_file = draft_file_for(target, target.parent)
    save_draft(draft_file, target, "schema_version: 1\nid: mine\n", "Mine")
    assert draft_file.parent == target.parent and draft_file.name.startswith(".")
    assert stat.S_IMODE(draft_file.stat().st_mode) == 0o600
    library = load_library(builtin_dir=tmp_path / "none", user_dir=target.parent, use_cache=False)
    assert library.routines == {} and library.problems == ()
    draft = read_draft(draft_file)
    assert draft is not None and draft.target == target and draft.title == "Mine"
    discard_draft(draft_file)
    assert find_drafts(target.parent) == []


def test_a_draft_written_by_a_process_that_then_dies_is_offered_back(tmp_path: Path) -> None:
    """A process killed right after autosaving leaves a complete draft the next start finds."""
    folder = tmp_path / "routines"
    script = (
        "import os, sys; from pathlib import Path\n"
        "from massage_guide.core.drafts import draft_file_for, save_draft\n"
        f"folder = Path({str(folder)!r})\n"
        "save_draft(draft_file_for(None, folder), None, 'id: half-done\\n', 'Half done')\n"
        "os._exit(9)  # no clean-up, as in a crash\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO_ROOT, check=False, timeout=60)
    assert result.returncode == 9
    drafts = find_drafts(folder)
    assert [(d.target, d.title, d.text) for d in drafts] == [(None, "Half done", "id: half-done\n")]
    assert [p.name for p in folder.iterdir()] == [drafts[0].draft_file.name]  # no temporary left over


def test_a_damaged_draft_is_not_offered(tmp_path: Path) -> None:
    """A draft file cut short is skipped, not a crash."""
    (tmp_path / ".mine.yaml.draft.json").write_text('{"text": "id: x', encoding="utf-8")
    assert find_drafts(tmp_path) == []
