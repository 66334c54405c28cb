"""The command line's language: chosen once at start-up from settings or the locale; argparse's own words too."""

from __future__ import annotations

import argparse

from massage_guide.core import i18n
from massage_guide.core.i18n import N_

# argparse's own words (usage, headings, errors), so they sit in our catalogue beside ours: argparse looks
# them up through its module-level ``_`` and ``ngettext``, which ``translate_argparse`` points at our layer.
ARGPARSE_MESSAGES = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("expected one argument"),
    N_("one of the arguments %s is required"),
    N_("not allowed with argument %s"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("invalid %(type)s value: %(value)r"),
)


def activate_user_language() -> str:
    """Speak the ``language`` setting, else the locale's language (``LANG=de_DE.UTF-8`` gives German)."""
    from massage_guide import paths
    from massage_guide.core.settings import load_settings

    # Problems in the file are reported by the command that uses the settings; here only the language counts.
    settings, _problems = load_settings(paths.resolve().settings_file)
    language = i18n.user_language(settings.language)
    i18n.activate(language)
    return language


def translate_argparse() -> None:
    """Let argparse's usage lines, headings and errors follow the active language."""
    setattr(argparse, "_", i18n._)  # noqa: B010 - argparse reads its module globals; mypy does not know them
    setattr(argparse, "ngettext", i18n.ngettext)  # noqa: B010
