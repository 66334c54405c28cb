"""Safe file handling: read only regular files with a size cap, write privately and atomically."""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path
from typing import Final

from massage_guide.core.i18n import _

# Health data and settings are for their owner only.
PRIVATE_FILE_MODE: Final = 0o600
PRIVATE_DIR_MODE: Final = 0o700
# Everything the app creates is private; set once per process at the entry points.
PRIVATE_UMASK: Final = 0o077

# Control characters (line breaks, tabs, escapes) that would split or garble a one-line message.
_CONTROL: Final = {code: f"\\x{code:02x}" for code in [*range(0x20), 0x7F]} | {
    0x0A: "\\n",
    0x0D: "\\r",
    0x09: "\\t",
}


class FileReadError(OSError):
    """A file that cannot be read safely; ``reason`` is a short phrase for a one-line message."""

    def __init__(self, path: Path, reason: str, code: int = 0) -> None:
        super().__init__(code, reason, str(path))
        self.path = path
        self.reason = reason


def one_line(text: str) -> str:
    """``text`` with control characters escaped, so a message stays on one line."""
    return text.translate(_CONTROL)


def use_private_umask() -> None:
    """Make every file and folder this process creates private (0600 / 0700), exports and caches included."""
    os.umask(PRIVATE_UMASK)


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``limit`` bytes; raises FileReadError.

    Opened without blocking, so a named pipe never hangs the app, and checked before reading, so a device
    such as /dev/zero is refused instead of filling memory."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise FileReadError(path, _reason(exc), exc.errno or 0) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise FileReadError(path, _("it is not a regular file (a folder, pipe or device)"))
        if info.st_size > limit:
            reason = _("it is {size} bytes; the limit is {limit}").format(
                size=_number(info.st_size), limit=_number(limit)
            )
            raise FileReadError(path, reason)
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(limit + 1 - size, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:  # it grew while being read
            raise FileReadError(path, _("it is more than {limit} bytes").format(limit=_number(limit)))
        return b"".join(chunks)
    except FileReadError:
        raise
    except OSError as exc:
        raise FileReadError(path, _reason(exc), exc.errno or 0) from None
    finally:
        os.close(fd)


def _number(value: int) -> str:
    """``1,234`` in English, ``1.234`` in German (Babel loads only for a file too big to read)."""
    from massage_guide.core import formatting

    return formatting.number(value)


def _reason(exc: OSError) -> str:
    from massage_guide.core.os_errors import os_reason

    return os_reason(exc)


def make_private_dir(path: Path) -> None:
    """Create ``path`` and any missing parents as private folders (0700); existing folders are kept."""
    missing: list[Path] = []
    current = path
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):
            folder.mkdir(mode=PRIVATE_DIR_MODE)


def write_private(path: Path, data: bytes) -> Path:
    """Replace ``path`` with ``data`` atomically, as a private file; returns the file actually written.

    A symbolic link (dotfiles kept in a repository) is written through: its target gets the new content
    and the link stays. The data is flushed to disk before the rename, so a crash leaves old or new."""
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    make_private_dir(target.parent)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE_MODE)
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, PRIVATE_FILE_MODE)  # noqa: PTH101 - an existing temporary keeps its old mode
        temporary.replace(target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return target
