"""The user's language, and the one gettext layer (Qt-free) every printed or spoken fixed text goes through."""

from __future__ import annotations

import gettext
import os
from collections.abc import Mapping
from pathlib import Path

_LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
DOMAIN = "massage_guide"
# Compiled catalogues live inside the package, so a checkout and an installed wheel find them the same way.
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
# The pseudo-locale: every string bracketed and 30 % longer, so a test can see what was not translated.
PSEUDO_LANGUAGE = "xx"


def user_language(preferred: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """A language code such as ``de`` or ``pt_BR``; ``en`` when nothing better is known."""
    if preferred and preferred != "system":
        return preferred
    env = os.environ if environ is None else environ
    for name in _LOCALE_VARIABLES:
        value = env.get(name, "")
        # LANGUAGE may be a priority list ("de:en"). The first variable set decides, as in gettext: "C" and
        # "POSIX" (LC_ALL=C.UTF-8 in a container, say) mean the untranslated text, English.
        first = value.split(":", 1)[0].split(".", 1)[0].split("@", 1)[0]
        if first in ("C", "POSIX"):
            return "en"
        if first:
            return first
    return "en"


def translation(language: str) -> gettext.NullTranslations:
    """The catalogue for ``language`` (``de_DE`` finds ``de``); English (the source text) when there is none."""
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True)


def catalogue_key(language: str) -> str:
    """``language`` with a stamp of its compiled catalogue (size and time), so a cache of translated text
    (the listing's spoken lines) goes stale when the translation changes."""
    found = gettext.find(DOMAIN, LOCALE_DIR, languages=[language])
    if found is None:
        return language
    stat = Path(found).stat()
    return f"{language}@{stat.st_size}-{stat.st_mtime_ns}"


class _Active:
    """The language the process speaks: the command line sets it once at start-up, from settings or locale."""

    language = "en"
    catalogue: gettext.NullTranslations = gettext.NullTranslations()


def activate(language: str) -> None:
    """Speak ``language`` from now on (``_``, ``ngettext`` and the formatting module follow it)."""
    _Active.language = language
    _Active.catalogue = translation(language)


def active_language() -> str:
    """The language ``activate`` chose; ``en`` before it is called."""
    return _Active.language


def _(message: str) -> str:
    """``message`` in the active language."""
    return _Active.catalogue.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural form that fits ``count`` in the active language (German and English agree
    on two forms; other languages bring their own rule in their catalogue)."""
    return _Active.catalogue.ngettext(singular, plural, count)


def N_(message: str) -> str:
    """Marks ``message`` for extraction where it is defined; it is translated with ``_`` where it is shown."""
    return message
