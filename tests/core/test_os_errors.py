"""The system's file errors in our own words and the user's language, on real files and a real SQLite."""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path

import pytest

from massage_guide.core import i18n
from massage_guide.core.history_faults import Fault, open_message, storage_reason
from massage_guide.core.i18n import translation
from massage_guide.core.loader import load_routine_file
from massage_guide.core.os_errors import known_errnos, os_reason
from massage_guide.core.routine_import import ExportError, export_routine
from massage_guide.core.transfer_problems import known_problems as transfer_problems

TINY = b"""\
schema_version: 1
id: tiny
title: Tiny
summary: One short step.
areas: [neck]
goals: [desk_break]
steps:
  - title: Breathe
    instruction: Breathe in and out slowly.
    duration: 20s
"""


def test_every_known_errno_has_our_words_in_both_languages() -> None:
    """Each errno we know gets our phrase, not the system's English, and a German one in German."""
    german = translation("de")
    for code in known_errnos():
        english = os_reason(OSError(code, os.strerror(code)))
        assert english != os.strerror(code)
        assert german.gettext(english) != english, english


def test_unknown_errors_keep_their_own_text() -> None:
    """An errno we have no words for keeps the system's text; our own errors (errno 0) and other
    exceptions keep theirs."""
    assert os_reason(OSError(errno.EPIPE, "Broken pipe")) == "Broken pipe"
    assert os_reason(OSError(0, "it is not a regular file")) == "it is not a regular file"
    assert os_reason(ValueError("odd value")) == "odd value"


def test_a_missing_routine_file_is_named_in_german(tmp_path: Path) -> None:
    """Reading a routine file that is gone says so, with what to check, in German and without the OS's
    "No such file or directory"."""
    i18n.activate("de")
    _routine, problems = load_routine_file(tmp_path / "gone.yaml")
    assert problems[0].message == (
        "die Datei lässt sich nicht lesen (die Datei oder ihr Ordner existiert nicht; prüfe den Namen und den Ordner)"
    )


def test_exporting_into_a_file_as_folder_says_so_in_german(tmp_path: Path) -> None:
    """Exporting a routine below something that is a file, not a folder, says so in German, without the
    system's "Not a directory"."""
    source = tmp_path / "tiny.yaml"
    source.write_bytes(TINY)
    routine, problems = load_routine_file(source)
    assert routine is not None and not problems
    (tmp_path / "notes.txt").write_text("notes")
    i18n.activate("de")
    with pytest.raises(ExportError) as caught:
        export_routine(routine, tmp_path / "notes.txt" / "tiny.yaml")
    assert "(ein Teil des Pfads ist eine Datei, kein Ordner; prüfe den Pfad)" in str(caught.value)
    assert "Not a directory" not in str(caught.value)


def test_a_too_long_file_name_says_so(tmp_path: Path) -> None:
    """A file name past the system's limit (a real ENAMETOOLONG) asks for a shorter one."""
    source = tmp_path / "tiny.yaml"
    source.write_bytes(TINY)
    routine, _problems = load_routine_file(source)
    assert routine is not None
    with pytest.raises(ExportError) as caught:
        export_routine(routine, tmp_path / ("n" * 300 + ".yaml"))
    assert "the file name is too long; choose a shorter one" in str(caught.value)


def test_sqlite_read_only_and_damage_in_german(tmp_path: Path) -> None:
    """SQLite's English ("attempt to write a readonly database", "file is not a database") becomes our
    German words, taken from its result codes."""
    database = tmp_path / "history.sqlite3"
    with sqlite3.connect(database) as connection:
        connection.execute("CREATE TABLE t (x)")
    connection.close()
    read_only = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    with pytest.raises(sqlite3.OperationalError) as write:
        read_only.execute("INSERT INTO t VALUES (1)")
    read_only.close()
    not_a_database = tmp_path / "notes.sqlite3"
    not_a_database.write_bytes(b"these are notes, not a database" * 100)
    other = sqlite3.connect(not_a_database)
    with pytest.raises(sqlite3.DatabaseError) as damaged:
        other.execute("SELECT * FROM sqlite_master")
    other.close()
    i18n.activate("de")
    assert storage_reason(write.value) == (
        "Massage Guide darf sie nicht beschreiben; mach die Datei und ihren Ordner zu deinen und beschreibbar"
    )
    assert storage_reason(damaged.value) == "die Datei ist beschädigt oder kein Sitzungsverlauf"
    assert storage_reason(OSError(errno.ENOSPC, "No space left on device")).startswith(
        "das Laufwerk ist voll"
    )


def test_the_unopenable_message_names_the_cause_once(tmp_path: Path) -> None:
    """A history that cannot be opened names a cause other than "unable to open" in the user's words,
    and does not repeat "could not be opened" for SQLite's own "unable to open"."""
    cause = OSError(errno.EIO, "Input/output error")
    assert "(the disk could not be read or written;" in open_message(Fault.UNOPENABLE, tmp_path, cause)
    with pytest.raises(sqlite3.OperationalError) as cannot_open:
        sqlite3.connect(tmp_path / "missing" / "history.sqlite3")
    message = open_message(Fault.UNOPENABLE, tmp_path / "missing" / "history.sqlite3", cannot_open.value)
    assert "unable to open" not in message and "could not be opened;" in message


def test_every_import_problem_has_german() -> None:
    """Each of our json and csv messages has a German translation in the catalogue."""
    german = translation("de")
    assert not [message for message in transfer_problems() if german.gettext(message) == message]
