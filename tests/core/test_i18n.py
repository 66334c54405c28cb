"""The gettext layer: the language chosen, the catalogues current and complete, the pseudo-locale honest."""

from __future__ import annotations

import importlib.util
import re
import string
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from massage_guide.core import i18n
from massage_guide.core.i18n import translation, user_language
from massage_guide.core.spoken import STOP_RULE
from tests.conftest import REPO_ROOT


def _load_tool() -> object:
    """tools/i18n.py, the catalogue tool, loaded as a developer runs it (tools/ is not a package)."""
    spec = importlib.util.spec_from_file_location("i18n_tool", REPO_ROOT / "tools" / "i18n.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


catalogues: Any = _load_tool()


@pytest.fixture
def active() -> Iterator[None]:
    """Puts the process's language back to English after a test changes it."""
    yield
    i18n.activate("en")


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"LANG": "de_DE.UTF-8"}, "de_DE"),
        ({"LANG": "C"}, "en"),
        ({"LANG": "POSIX"}, "en"),
        ({"LC_ALL": "C.UTF-8", "LANG": "de_DE.UTF-8"}, "en"),
        ({"LANGUAGE": "de:en", "LANG": "C"}, "de"),
        ({}, "en"),
    ],
)
def test_language_comes_from_the_locale(environ: dict[str, str], expected: str) -> None:
    """LANG=de_DE.UTF-8 gives German, C and POSIX give English, LANGUAGE's first choice wins."""
    assert user_language("system", environ) == expected


def test_language_setting_beats_the_locale() -> None:
    """A language chosen in settings is used whatever the locale says."""
    assert user_language("de", {"LANG": "C"}) == "de"


def test_german_catalogue_is_found_for_a_regional_locale(active: None) -> None:
    """de_DE finds the de catalogue; an unknown language falls back to the English source text."""
    assert (
        translation("de_DE").gettext(STOP_RULE)
        == "Hör auf, wenn sich etwas stechend, taub oder kribbelnd anfühlt."
    )
    assert translation("fi").gettext(STOP_RULE) == STOP_RULE
    i18n.activate("de")
    assert i18n._("Paused.") == "Pausiert."
    assert i18n.ngettext("{count} session", "{count} sessions", 1) == "{count} Sitzung"
    assert i18n.ngettext("{count} session", "{count} sessions", 3) == "{count} Sitzungen"


def test_catalogues_are_up_to_date() -> None:
    """The template, the German .po and .mo and the pseudo-locale match the code (run tools/i18n.py update)."""
    assert catalogues.stale() == []


def test_german_catalogue_is_complete() -> None:
    """Every string the code marks has a German translation, none left fuzzy."""
    assert catalogues.untranslated("de") == []


def _fields(text: str) -> list[str]:
    brace = sorted(name or "" for _, name, _, _ in string.Formatter().parse(text) if name is not None)
    return brace + sorted(re.findall(r"%\([a-z_]+\)[sdr]|%[sdr]", text))


def test_german_translations_keep_every_placeholder() -> None:
    """A translation names the same {placeholders} as its English, so .format never raises."""
    catalog = catalogues.read(catalogues.LOCALE / "de" / "LC_MESSAGES" / "massage_guide.po", "de")
    wrong = []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if any(_fields(text) != _fields(ids[-1]) for text in strings):
            wrong.append(ids[0])
    assert wrong == []


def test_pseudo_locale_brackets_and_lengthens() -> None:
    """The pseudo-locale wraps a string in brackets, makes it 30 % longer and keeps placeholders and spaces."""
    assert catalogues.pseudo("Paused.") == "⟦Paused.~~~⟧"
    assert catalogues.pseudo("usage: ") == "⟦usage:~~⟧ "
    text = catalogues.pseudo("Next: {title}")
    assert "{title}" in text and text.startswith("⟦") and text.endswith("⟧")
    assert len(text) - 2 >= 1.3 * len("Next: {title}") - len("{title}") * 0.3
    assert translation("xx").gettext("Paused.") == "⟦Paused.~~~⟧"


def test_pseudo_locale_lengthens_a_long_sentence_by_words() -> None:
    """A long sentence grows by words, as a translation does, not by one word a third its length (which no
    label could wrap)."""
    sentence = "Reminders come only while the app is running, so leave its window open or minimised."
    text = catalogues.pseudo(sentence)
    assert len(text) - 2 >= 1.3 * len(sentence)
    longest = max(len(word) for word in sentence.split())
    assert max(len(word) for word in text.split()) <= longest + catalogues.PSEUDO_WORD + 1


def test_catalogue_key_changes_with_the_catalogue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cached listing's key names the catalogue it was rendered with: a changed translation is a new key."""
    folder = tmp_path / "de" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    compiled = folder / "massage_guide.mo"
    compiled.write_bytes((i18n.LOCALE_DIR / "de" / "LC_MESSAGES" / "massage_guide.mo").read_bytes())
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    before = i18n.catalogue_key("de_DE")
    assert before.startswith("de_DE@")
    compiled.write_bytes(compiled.read_bytes() + b"\0")
    assert i18n.catalogue_key("de_DE") != before
    assert i18n.catalogue_key("fi") == "fi"
