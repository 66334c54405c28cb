"""A real small file system for tests: a tmpfs mounted by the test (root only), filled and emptied at will."""

from __future__ import annotations

import contextlib
import errno
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

DISK_SIZE = "512k"  # room for a small history and its log, filled in a moment


class SmallDisk:
    """A mounted tmpfs: ``fill()`` uses up every free byte, ``free()`` gives it back, ``read_only()`` remounts."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.filler = root / ".filler"

    def fill(self) -> None:
        fd = os.open(self.filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            with contextlib.suppress(OSError):
                for size in (65536, 4096, 512, 1):
                    with contextlib.suppress(OSError):
                        while True:
                            os.write(fd, b"\0" * size)
        finally:
            os.close(fd)
        probe = self.root / ".probe"
        with pytest.raises(OSError) as caught, probe.open("wb") as stream:
            stream.write(b"\0" * 8192)
        probe.unlink(missing_ok=True)
        assert caught.value.errno == errno.ENOSPC

    def free(self) -> None:
        self.filler.unlink(missing_ok=True)

    def read_only(self, on: bool = True) -> None:
        option = "remount,ro" if on else "remount,rw"
        subprocess.run(["mount", "-o", option, str(self.root)], check=True)


@contextlib.contextmanager
def mounted(where: Path) -> Iterator[SmallDisk]:
    """Mount a small tmpfs at ``where`` for the duration; skips the test (with the reason) when not root."""
    if os.geteuid() != 0:
        pytest.skip("needs root to mount a small tmpfs (a real full or read-only disk)")
    where.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={DISK_SIZE},mode=0700", "tmpfs", str(where)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield SmallDisk(where)
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)
