"""The single-instance socket lives where only this user can reach it, never under a guessable /tmp name."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

import pytest

from massage_guide.paths import runtime_dir
from massage_guide.ui.single_instance import InstanceServer, send_to_running, server_name


def test_the_socket_is_in_a_private_runtime_folder(
    qtbot: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mg_home: Path
) -> None:
    """With a private XDG_RUNTIME_DIR the socket is created there, and a later launch reaches it."""
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    name = server_name(str(mg_home))
    assert Path(name).parent == runtime
    server = InstanceServer(name)
    try:
        assert server.listen()
        assert stat.S_ISSOCK(Path(name).lstat().st_mode)
        assert send_to_running(name, {"start": "neck"})
    finally:
        server.close()


def test_a_shared_runtime_folder_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An XDG_RUNTIME_DIR others can write to is skipped for our own 0700 folder in the temporary folder."""
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    folder = runtime_dir(tmp_path / "data", {"XDG_RUNTIME_DIR": str(shared)})
    assert folder == tmp_path / f"massage-guide-{os.getuid()}"
    assert folder.stat().st_mode & 0o777 == 0o700


def test_a_folder_planted_by_another_user_is_never_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If someone else made /tmp/massage-guide-<uid> first (to listen there), it is not trusted."""
    if os.geteuid() != 0:
        pytest.skip("needs root to make a folder owned by another user")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    planted = tmp_path / f"massage-guide-{os.getuid()}"
    planted.mkdir(mode=0o700)
    os.chown(planted, 65534, 65534)
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    assert runtime_dir(data, {}) == data
    linked = tmp_path / "elsewhere"
    linked.mkdir(mode=0o700)
    planted.rmdir()
    planted.symlink_to(linked)
    assert runtime_dir(data, {}) == data
