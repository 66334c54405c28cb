"""Opening the user's session history for a command: its messages told, crashed sessions recovered, and a
history found damaged part-way checked fully and set aside."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from massage_guide.core.formatting import number
from massage_guide.core.i18n import _, ngettext

if TYPE_CHECKING:
    from massage_guide.core.history import HistoryStore


def open_store() -> HistoryStore | None:
    """Open the user's history, tell them about anything that happened, and recover crashed sessions."""
    import sqlite3

    from massage_guide import paths
    from massage_guide.core.history import HistoryError, HistoryStore
    from massage_guide.core.history_faults import storage_reason

    file = paths.resolve().history_file
    try:
        store, messages = HistoryStore.open(file)
        recovered = store.recover_interrupted()
    except HistoryError as error:
        print(error, file=sys.stderr)
        return None
    except (sqlite3.Error, OSError) as error:
        print(
            _(
                "Could not open your session history at {file} ({error}). Check that the folder exists and "
                "that you can write to it, then try again."
            ).format(file=file, error=storage_reason(error)),
            file=sys.stderr,
        )
        return None
    for message in messages:
        print(message, file=sys.stderr)
    if recovered:
        print(
            ngettext(
                "{count} session ended unexpectedly earlier; kept as interrupted, with the progress made.",
                "{count} sessions ended unexpectedly earlier; kept as interrupted, with the progress made.",
                recovered,
            ).format(count=recovered),
            file=sys.stderr,
        )
    return store


def guarded(command: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    """Run a command; if the database turns out damaged part-way, check it fully (which moves a damaged
    file aside and starts afresh) and tell the user what happened. Full, read-only or locked files are
    left alone and the message says which."""
    import sqlite3

    try:
        return command(args)
    except sqlite3.DatabaseError as error:
        from massage_guide import paths
        from massage_guide.core.history import Fault, HistoryError, HistoryStore
        from massage_guide.core.history_faults import classify, open_message, storage_reason

        file = paths.resolve().history_file
        fault = classify(error, file)
        if fault is not Fault.DAMAGED:
            print(open_message(fault, file, error), file=sys.stderr)
            return 1
        print(
            _("Your session history at {file} could not be read ({error}).").format(
                file=file, error=storage_reason(error)
            ),
            file=sys.stderr,
        )
        try:
            store, messages = HistoryStore.open(file, full_check=True)
            store.close()
        except HistoryError as again:
            messages = [str(again)]
        except (sqlite3.Error, OSError) as again:
            messages = [open_message(classify(again, file), file, again)]
        for message in messages or [_("It passed a full check, so please try the command again.")]:
            print(message, file=sys.stderr)
        return 1


def session_count(count: int) -> str:
    """``3 sessions`` in the reader's language and digits."""
    return ngettext("{count} session", "{count} sessions", count).format(count=number(count))
