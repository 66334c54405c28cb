"""The user's language for routine texts, from settings or the environment's locale."""

from __future__ import annotations

import os
from collections.abc import Mapping

_LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def user_language(preferred: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """A language code such as ``de`` or ``pt_BR``; ``en`` when nothing better is known."""
    if preferred and preferred != "system":
        return preferred
    env = os.environ if environ is None else environ
    for name in _LOCALE_VARIABLES:
        value = env.get(name, "")
        # LANGUAGE may be a priority list ("de:en"); "C" and "POSIX" mean no preference.
        first = value.split(":", 1)[0].split(".", 1)[0].split("@", 1)[0]
        if first and first not in ("C", "POSIX"):
            return first
    return "en"
