"""What went wrong with the history file — damaged, full, read-only, locked or unopenable — and what to say."""

from __future__ import annotations

import errno
import os
import sqlite3
from enum import Enum
from pathlib import Path
from typing import Final

from massage_guide.core.files import one_line
from massage_guide.core.i18n import N_, _
from massage_guide.core.os_errors import os_reason

# Below this much free space SQLite cannot create its shared-memory file (32 KiB) or grow the log.
LOW_SPACE_BYTES: Final = 256 * 1024


class Fault(Enum):
    """Why the history could not be read or written. Only DAMAGED ever sets the file aside."""

    DAMAGED = "damaged"
    FULL = "full"
    READ_ONLY = "read-only"
    LOCKED = "locked"
    UNOPENABLE = "unopenable"


# SQLite's primary result codes (the low byte of an extended code), from sqlite3.h.
_SQLITE_CODES: Final = {
    3: Fault.READ_ONLY,  # SQLITE_PERM
    5: Fault.LOCKED,  # SQLITE_BUSY
    6: Fault.LOCKED,  # SQLITE_LOCKED
    8: Fault.READ_ONLY,  # SQLITE_READONLY
    10: Fault.UNOPENABLE,  # SQLITE_IOERR: the disk or the file system failed, not the file's content
    11: Fault.DAMAGED,  # SQLITE_CORRUPT
    13: Fault.FULL,  # SQLITE_FULL
    14: Fault.UNOPENABLE,  # SQLITE_CANTOPEN
    23: Fault.READ_ONLY,  # SQLITE_AUTH
    26: Fault.DAMAGED,  # SQLITE_NOTADB
}
_ERRNOS: Final = {
    errno.ENOSPC: Fault.FULL,
    errno.EDQUOT: Fault.FULL,
    errno.EROFS: Fault.READ_ONLY,
    errno.EACCES: Fault.READ_ONLY,
    errno.EPERM: Fault.READ_ONLY,
}


# SQLite's own texts ("attempt to write a readonly database") are English and name no remedy; what the
# primary result code means, in our words. Codes not listed keep SQLite's text.
_SQLITE_PHRASES: Final = {
    3: N_("Massage Guide may not write it; make the file and its folder yours and writable"),
    8: N_("Massage Guide may not write it; make the file and its folder yours and writable"),
    23: N_("Massage Guide may not write it; make the file and its folder yours and writable"),
    5: N_("another program is using it; close that program or wait a moment"),
    6: N_("another program is using it; close that program or wait a moment"),
    11: N_("the file is damaged or is not a session history"),
    26: N_("the file is damaged or is not a session history"),
    14: N_("it could not be opened; check that the folder exists and is yours"),
}
_SQLITE_CANTOPEN: Final = 14
_SQLITE_ERRNOS: Final = {13: errno.ENOSPC, 10: errno.EIO}  # SQLITE_FULL, SQLITE_IOERR: the disk's words


def storage_reason(error: BaseException) -> str:
    """A short phrase for an error from sqlite3 or the file system, in the user's language, with what to
    do; an error we have no words for keeps its own text."""
    if isinstance(error, sqlite3.Error):
        code = getattr(error, "sqlite_errorcode", None)
        if isinstance(code, int):
            primary = code & 0xFF
            if primary in _SQLITE_ERRNOS:
                return os_reason(OSError(_SQLITE_ERRNOS[primary], ""))
            if primary in _SQLITE_PHRASES:
                return _(_SQLITE_PHRASES[primary])
        return one_line(str(error))
    return one_line(os_reason(error))


class HistoryError(Exception):
    """A history problem the user has to be told about; ``str()`` is the message to show."""


class HistoryDeferredError(HistoryError):
    """A session write could not happen yet; the session (``session_id``) is kept and written when the
    file allows, so the caller carries on with that id."""

    def __init__(self, message: str, fault: Fault, session_id: str | None = None) -> None:
        super().__init__(message)
        self.fault = fault
        self.session_id = session_id


class DamagedError(sqlite3.DatabaseError):
    """PRAGMA quick_check found damage that reading the header did not."""


def classify(error: BaseException, path: Path | None = None) -> Fault:
    """The fault behind an error from sqlite3 or the file system. Anything not known to be damage is
    treated as a passing condition: the file is left alone. ``path`` lets an input/output error on a
    disk with no space left count as a full disk (SQLite reports a failed shared-memory file that way)."""
    fault = _classify(error)
    if fault is Fault.UNOPENABLE and path is not None:
        if _read_only(path):
            return Fault.READ_ONLY
        if _disk_full(path):
            return Fault.FULL
    return fault


def _read_only(path: Path) -> bool:
    """SQLite says "unable to open" for a file or folder it may not write; access() tells which."""
    folder_writable = os.access(path.parent, os.W_OK)
    return not folder_writable or (path.exists() and not os.access(path, os.W_OK))


def _disk_full(path: Path) -> bool:
    try:
        info = os.statvfs(path.parent if not path.is_dir() else path)
    except (OSError, AttributeError):  # AttributeError: no statvfs on Windows
        return False
    return info.f_bavail * info.f_frsize < LOW_SPACE_BYTES


def _classify(error: BaseException) -> Fault:
    if isinstance(error, DamagedError):
        return Fault.DAMAGED
    if isinstance(error, sqlite3.Error):
        code = getattr(error, "sqlite_errorcode", None)
        if isinstance(code, int):
            return _SQLITE_CODES.get(code & 0xFF, Fault.UNOPENABLE)
        text = str(error).lower()
        if "malformed" in text or "not a database" in text:
            return Fault.DAMAGED
        if "locked" in text or "busy" in text:
            return Fault.LOCKED
        if "full" in text:
            return Fault.FULL
        if "readonly" in text or "read-only" in text:
            return Fault.READ_ONLY
        return Fault.UNOPENABLE
    if isinstance(error, OSError):
        return _ERRNOS.get(error.errno or 0, Fault.UNOPENABLE)
    return Fault.UNOPENABLE


def is_storage_error(error: BaseException) -> bool:
    """Errors that come from the file or the disk (and may pass), as opposed to bugs or bad values."""
    return isinstance(error, sqlite3.OperationalError | sqlite3.DatabaseError | OSError) and not isinstance(
        error, sqlite3.IntegrityError
    )


def open_message(fault: Fault, path: Path, error: BaseException | None = None) -> str:
    """One line for when the history could be opened only for reading, or not at all."""
    where = one_line(str(path))
    if fault is Fault.FULL:
        return _(
            "Your disk is full, so new sessions cannot be added to your history at {where} for now; it is "
            "safe and unchanged. Free some disk space: waiting sessions are saved as soon as there is room."
        ).format(where=where)
    if fault is Fault.READ_ONLY:
        return _(
            "Your session history at {where} is read-only, so new sessions cannot be added; it is safe and "
            "unchanged. Make the file and its folder yours and writable (for example after using sudo)."
        ).format(where=where)
    if fault is Fault.LOCKED:
        return _(
            "Your session history at {where} is locked by another program; it is safe and unchanged. "
            "Close the other program (or wait a moment); waiting sessions are saved when it is free."
        ).format(where=where)
    # "Unable to open" would only repeat the sentence; any other cause is worth naming.
    code = getattr(error, "sqlite_errorcode", None)
    cannot_open = isinstance(code, int) and code & 0xFF == _SQLITE_CANTOPEN
    reason = f" ({storage_reason(error)})" if error is not None and str(error) and not cannot_open else ""
    return _(
        "Your session history at {where} could not be opened{reason}; it was left alone. Check that the "
        "folder exists, is yours and that the disk is connected."
    ).format(where=where, reason=reason)


def deferred_message(fault: Fault) -> str:
    """One line for a session that is kept waiting because it could not be written yet."""
    # Whole sentences per fault: a translation cannot be put together from pieces.
    if fault is Fault.FULL:
        return _(
            "This session could not be saved yet because the disk is full. It is kept and saved as soon as "
            "it can be (at the latest when Massage Guide next starts); the session goes on. To help, free "
            "some disk space."
        )
    if fault is Fault.READ_ONLY:
        return _(
            "This session could not be saved yet because the history file is read-only. It is kept and "
            "saved as soon as it can be (at the latest when Massage Guide next starts); the session goes "
            "on. To help, make the history file yours and writable."
        )
    if fault is Fault.LOCKED:
        return _(
            "This session could not be saved yet because the history file is locked by another program. It "
            "is kept and saved as soon as it can be (at the latest when Massage Guide next starts); the "
            "session goes on. To help, close the other program."
        )
    return _(
        "This session could not be saved yet because the history file could not be written. It is kept "
        "and saved as soon as it can be (at the latest when Massage Guide next starts); the session goes "
        "on. To help, check the disk."
    )
