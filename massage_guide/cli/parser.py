"""The command line's parser and entry point: open the app, or run one of the command groups."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from massage_guide import __version__
from massage_guide.cli import history, language, library, routines, stats, terminal_player, voice
from massage_guide.core.i18n import _, ngettext
from massage_guide.core.os_errors import os_reason


def build_parser() -> argparse.ArgumentParser:
    language.translate_argparse()
    parser = argparse.ArgumentParser(
        prog="massage-guide",
        description=_("Guided self-massage and relaxation routines. With no command, opens the app."),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"massage-guide {__version__}",
        help=_("show the version number and exit"),
    )
    parser.add_argument(
        "--start", metavar="ROUTINE_ID", help=_("open the app straight into this routine's session")
    )
    parser.add_argument(
        "--edit",
        metavar="ROUTINE_ID",
        help=_("open the routine editor on this routine (a built-in one as a copy)"),
    )
    # Office breaks (issue 12): the mini player, the tray, the desktop entry.
    parser.add_argument(
        "--mini",
        action="store_true",
        help=_("with --start: follow the routine in the small always-on-top player"),
    )
    parser.add_argument(
        "--background", action="store_true", help=_("start in the tray, for break reminders (start at login)")
    )
    parser.add_argument(
        "--install-desktop-entry",
        action="store_true",
        help=_("add Massage Guide to the desktop's app menu (with its icon) and exit"),
    )
    parser.add_argument(
        "--uninstall-desktop-entry", action="store_true", help=_("remove what --install-desktop-entry added")
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    # Each group adds its commands in this order, the order the help lists them in; each keeps its heavy
    # imports inside its handlers, so building the parser stays cheap.
    library.register(sub)
    terminal_player.register(sub)
    history.register(sub)
    stats.register(sub)
    voice.register(sub)
    routines.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from massage_guide.core.files import use_private_umask

    use_private_umask()  # health data: every file and folder this run creates is private (0600 / 0700)
    language.activate_user_language()
    args = build_parser().parse_args(argv)
    handler = getattr(args, "handler", None)
    try:
        if handler is None and (args.install_desktop_entry or args.uninstall_desktop_entry):
            return _desktop_entry(install=args.install_desktop_entry)
        if handler is None:
            if args.mini and not args.start:
                print(_("--mini needs a routine: massage-guide --start ROUTINE_ID --mini"), file=sys.stderr)
                return 2
            from massage_guide.app import main as run_app

            if args.edit:
                return run_app(start_routine=args.start, edit_routine=args.edit)
            return run_app(start_routine=args.start, mini=args.mini, background=args.background)
        return int(handler(args))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `massage-guide list | head` closed the pipe early: not an error worth a traceback.
        sys.stderr.close()
        return 0


def _desktop_entry(*, install: bool) -> int:
    from massage_guide import desktop

    try:
        files = desktop.install_desktop_entry() if install else desktop.uninstall_desktop_entry()
    except OSError as exc:
        where = exc.filename or _("desktop entry")
        print(
            _("{where}: {reason}; nothing else was changed.").format(where=where, reason=os_reason(exc)),
            file=sys.stderr,
        )
        return 1
    if install:
        print(_("Added Massage Guide to your app menu: {file}").format(file=files[0]))
    elif files:
        print(
            ngettext(
                "Removed {count} file: {file} and its icons.",
                "Removed {count} files: {file} and its icons.",
                len(files),
            ).format(count=len(files), file=files[0])
        )
    else:
        print(_("There was no desktop entry to remove."))
    return 0
