"""The ``voice`` command: which engine and voice speak, and a rendering of any text to a WAV file."""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path
from typing import Any

from massage_guide.core.i18n import _
from massage_guide.core.os_errors import os_reason

# Piper loads its model (~2 s) and renders a sentence in ~2 s on two busy cores; a long text takes longer.
SAY_TIMEOUT_SECONDS = 180.0
EXIT_FAILED = 1
EXIT_USAGE = 2


def register(subparsers: Any) -> None:
    """Add ``voice`` to the command line."""
    voice = subparsers.add_parser(
        "voice",
        help=_("show which voice speaks, or write its rendering of some text to a WAV file"),
        description=_(
            "Print the engine and voice in use (first line), or with --say and --out write how that voice "
            "says TEXT, at your settings, to a WAV file."
        ),
    )
    voice.add_argument("--say", metavar="TEXT", help=_("the words to render"))
    voice.add_argument("--out", metavar="FILE.wav", type=Path, help=_("where to write the rendering"))
    voice.set_defaults(handler=run_voice)


def run_voice(args: argparse.Namespace) -> int:
    from massage_guide import paths as paths_module
    from massage_guide.core.i18n import user_language
    from massage_guide.core.settings import load_settings
    from massage_guide.services.voice import build_speech

    if (args.say is None) != (args.out is None):
        print(_("Use --say TEXT and --out FILE.wav together, for example:"), file=sys.stderr)
        example = _("Let your shoulders drop.")
        print(f'  massage-guide voice --say "{example}" --out drop.wav', file=sys.stderr)
        return EXIT_USAGE
    if args.say is not None and not args.say.strip():
        print(_("--say needs some words to speak."), file=sys.stderr)
        return EXIT_USAGE
    paths = paths_module.resolve()
    settings, problems = load_settings(paths.settings_file)
    for message in problems:
        print(message, file=sys.stderr)
    language = user_language(settings.language)
    speech = build_speech(
        paths.speech_cache_dir,
        language=language,
        rate=settings.voice_rate,
        engine=settings.voice_engine,
        verify=True,  # say now, not at the first session, when the model file is damaged
    )
    try:
        rendered = speech.wait(args.say, timeout=SAY_TIMEOUT_SECONDS) if args.say is not None else None
        print(speech.description())
        print(
            _("speed: {rate} words a minute (voice_rate); language: {language}").format(
                rate=settings.voice_rate, language=language
            )
        )
        for message in speech.problems():
            print(message, file=sys.stderr)
        if args.say is None:
            return 0 if speech.is_available() else EXIT_FAILED
        if rendered is None:
            print(_("Nothing was written: the voice could not speak those words."), file=sys.stderr)
            return EXIT_FAILED
        try:
            shutil.copyfile(rendered, args.out)
        except OSError as error:
            print(
                f"{args.out}: "
                + _("could not write the file ({reason}). Pick another place.").format(
                    reason=os_reason(error)
                ),
                file=sys.stderr,
            )
            return EXIT_FAILED
        print(_("wrote {file}").format(file=args.out))
        return 0
    finally:
        speech.close()
