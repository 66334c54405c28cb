"""What the system's file errors mean, in our own short words and the user's language, with what to do."""

from __future__ import annotations

import errno
from typing import Final

from massage_guide.core.i18n import N_, _

# The operating system's own texts ("No space left on device") come in English whatever the user's
# language, and say nothing about what to do. Each phrase fits in "could not write the file ({reason})".
_PERMISSION = N_("permission denied (it may belong to another user, for example after sudo)")
_DISK_FULL = N_("the disk is full; free some space and try again")
# By name: not every system defines every errno (Windows lacks ETXTBSY, for one).
_PHRASE_BY_NAME: Final = {
    "ENOSPC": _DISK_FULL,
    "EDQUOT": N_("your share of the disk is used up; free some space and try again"),
    "EFBIG": N_("the file is too large for this disk; choose another place"),
    "EACCES": _PERMISSION,
    "EPERM": _PERMISSION,
    "EROFS": N_("the disk is read-only; choose another place"),
    "EBUSY": N_("it is in use by another program; close that program and try again"),
    "ETXTBSY": N_("it is in use by another program; close that program and try again"),
    "EAGAIN": N_("it is busy right now; try again in a moment"),
    "ENOENT": N_("the file or its folder does not exist; check the name and the folder"),
    "ENOTDIR": N_("a part of the path is a file, not a folder; check the path"),
    "EISDIR": N_("it is a folder"),
    "ENOTEMPTY": N_("the folder is not empty"),
    "EEXIST": N_("it already exists; choose another name"),
    "ENAMETOOLONG": N_("the file name is too long; choose a shorter one"),
    "ELOOP": N_("it is a symbolic link that loops"),
    "EILSEQ": N_("the file name has characters this disk does not allow; choose another name"),
    "EIO": N_("the disk could not be read or written; check that it is connected and working"),
    "ENXIO": N_("the device behind it is not there; check that it is connected"),
    "ENODEV": N_("the device behind it is not there; check that it is connected"),
    "ESTALE": N_("the network folder went away; connect it again and try again"),
    "ETIMEDOUT": N_("the disk or network took too long to answer; try again"),
    "EMFILE": N_("too many files are open; close some programs and try again"),
    "ENFILE": N_("too many files are open; close some programs and try again"),
    "ENOMEM": N_("there is not enough memory; close some programs and try again"),
    "EXDEV": N_("it cannot be moved to another disk that way; choose a place on the same disk"),
}
_PHRASES: Final = {
    getattr(errno, name): phrase for name, phrase in _PHRASE_BY_NAME.items() if hasattr(errno, name)
}


def os_reason(error: BaseException) -> str:
    """A short phrase for ``error`` in the user's language, saying what went wrong and what to do.

    An OSError with an errno we know gets our own words; one we do not know keeps the system's text (our
    own errors carry errno 0 and an already translated text). Other exceptions give their own text."""
    if isinstance(error, OSError):
        phrase = _PHRASES.get(error.errno or 0)
        if phrase is not None:
            return _(phrase)
        if error.strerror:
            return error.strerror
    return str(error)


def known_errnos() -> frozenset[int]:
    """The errnos that get our own words (the tests check each one's text)."""
    return frozenset(_PHRASES)
