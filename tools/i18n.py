#!/usr/bin/env python3
"""Keep the translations in step with the code: ``python tools/i18n.py update|compile|check``.

``update`` extracts every ``_()``, ``ngettext()`` and ``N_()`` string into ``massage_guide/locale/
massage_guide.pot`` and merges it into each language's ``.po`` (new strings arrive empty, old ones are kept as
obsolete). ``compile`` writes the ``.mo`` files the app reads, and rebuilds the pseudo-locale ``xx`` from the
template. ``check`` (run by the tests) fails when the template, the pseudo-locale or a ``.mo`` is stale.
The compiled ``.mo`` files are committed, so a fresh clone and an installed wheel work without this tool.
"""

from __future__ import annotations

import gettext
import io
import math
import re
import sys
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "massage_guide"
LOCALE = PACKAGE / "locale"
DOMAIN = "massage_guide"
TEMPLATE = LOCALE / f"{DOMAIN}.pot"
PSEUDO = "xx"
# The pseudo-locale lengthens every string by this share: German runs about 30 % longer than English.
PSEUDO_GROWTH = 0.3
PSEUDO_OPEN, PSEUDO_CLOSE, PSEUDO_PAD = "⟦", "⟧", "~"
# A sentence 30 % longer gains words, not one word a third its length: the padding breaks into words of at
# most this many characters (German's long compounds run about this much past English words).
PSEUDO_WORD = 12
# Placeholders the code fills in must survive the pseudo-locale untouched.
_PLACEHOLDER = re.compile(r"\{[a-z_]*\}|%\([a-z_]+\)[sdr]|%[sdr]")


def template() -> Catalog:
    """Every marked string in the package, with where it is used."""
    catalog = Catalog(project="Massage Guide", domain=DOMAIN, charset="utf-8", fuzzy=False)
    # Dates would make the template differ on every run, so the header carries none.
    catalog.creation_date = catalog.revision_date = None  # type: ignore[assignment]
    method_map = [("**.py", "python")]
    for filename, lineno, message, comments, context in extract_from_dir(
        PACKAGE, method_map, comment_tags=("Translators:",), strip_comment_tags=True
    ):
        catalog.add(
            message, None, [(f"massage_guide/{filename}", lineno)], auto_comments=comments, context=context
        )
    return catalog


def po_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=110, sort_output=True, omit_header=False, include_lineno=False)
    return _without_dates(out.getvalue())


def mo_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def _mo_messages(data: bytes) -> dict[object, str]:
    """What a compiled catalogue says, without its header (dates and Babel's version are not content)."""
    messages = gettext.GNUTranslations(io.BytesIO(data))._catalog  # type: ignore[attr-defined]
    return {key: value for key, value in messages.items() if key != ""}


def _same(path: Path, data: bytes) -> bool:
    if not path.exists():
        return False
    if path.suffix == ".mo":
        return _mo_messages(path.read_bytes()) == _mo_messages(data)
    return path.read_bytes() == data


def _without_dates(data: bytes) -> bytes:
    return re.sub(rb'"(POT-Creation-Date|PO-Revision-Date|Generated-By): [^"]*\\n"\n', b"", data)


def languages() -> Iterator[str]:
    for path in sorted(LOCALE.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        if path.parent.parent.name != PSEUDO:
            yield path.parent.parent.name


def _po_path(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def read(path: Path, language: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=language, domain=DOMAIN)


def merged(language: str, pot: Catalog) -> Catalog:
    """The language's catalogue brought up to the template: kept translations, new strings empty."""
    catalog = read(_po_path(language), language)
    catalog.update(pot, no_fuzzy_matching=True)
    catalog.obsolete.clear()  # removed strings go; git keeps their history
    return catalog


def pseudo(text: str) -> str:
    """``Paused.`` -> ``⟦Paused.~~⟧``: bracketed and 30 % longer, placeholders and outer spaces kept."""
    if not text.strip():
        return text
    start = len(text) - len(text.lstrip())
    end = len(text.rstrip())
    core = text[start:end]
    count = math.ceil(len(_PLACEHOLDER.sub("", core)) * PSEUDO_GROWTH)
    pad = "".join(" " if i and i % PSEUDO_WORD == 0 else PSEUDO_PAD for i in range(count))
    return f"{text[:start]}{PSEUDO_OPEN}{core}{pad}{PSEUDO_CLOSE}{text[end:]}"


def pseudo_catalog(pot: Catalog) -> Catalog:
    catalog = Catalog(locale="en", domain=DOMAIN, project="Massage Guide", charset="utf-8", fuzzy=False)
    catalog.creation_date = catalog.revision_date = None  # type: ignore[assignment]
    for message in pot:
        if not message.id:
            continue
        if isinstance(message.id, tuple | list):
            singular, plural = message.id
            catalog[singular] = Message(
                (singular, plural), (pseudo(singular), pseudo(plural)), flags=message.flags
            )
        else:
            catalog[message.id] = Message(message.id, pseudo(message.id), flags=message.flags)
    return catalog


def expected_files() -> dict[Path, bytes]:
    """Every generated file and the bytes it should hold."""
    pot = template()
    files = {TEMPLATE: po_bytes(pot)}
    for language in languages():
        catalog = merged(language, pot)
        files[_po_path(language)] = po_bytes(catalog)
        files[_po_path(language).with_suffix(".mo")] = mo_bytes(catalog)
    fake = pseudo_catalog(pot)
    files[_po_path(PSEUDO).with_suffix(".mo")] = mo_bytes(fake)
    return files


def untranslated(language: str) -> list[str]:
    """The template's strings that ``language`` has no translation for (fuzzy ones count as missing)."""
    catalog = merged(language, template())
    missing = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        if message.fuzzy or not all(strings):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing


def stale() -> list[Path]:
    return [path for path, data in expected_files().items() if not _same(path, data)]


def write_all() -> None:
    for path, data in expected_files().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        if not _same(path, data):
            path.write_bytes(data)
            print(f"wrote {path.relative_to(ROOT)}")


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "check"
    if command in ("update", "compile"):
        write_all()
        for language in languages():
            if missing := untranslated(language):
                print(f"{language}: {len(missing)} string(s) still to translate")
        return 0
    if command == "check":
        if paths := stale():
            for path in paths:
                print(f"{path.relative_to(ROOT)} is out of date: run python tools/i18n.py update")
            return 1
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
