"""YAML syntax problems in our own words and the user's language, whichever PyYAML parser reads the file."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from massage_guide.core import i18n, yamlread
from massage_guide.core.document import DocumentError, read_document
from massage_guide.core.i18n import translation
from massage_guide.core.loader import load_routine_bytes
from massage_guide.core.settings import load_settings
from massage_guide.core.yaml_problems import known_problems, yaml_problem
from tests.conftest import CORPUS_DIR, REPO_ROOT

# The corpus sits beside the main checkout (../shared/corpora); a worktree under wt/ finds it one level up.
_CORPUS_CANDIDATES = (CORPUS_DIR, REPO_ROOT.parent.parent / "shared" / "corpora" / "yaml-test-suite")
CORPUS = next((folder for folder in _CORPUS_CANDIDATES if folder.is_dir()), None)
NO_CORPUS = f"the shared YAML test suite corpus is not at {CORPUS_DIR} (nor one folder further up)"

# Words of PyYAML's problem texts (and of English in general) that no German message may keep. German
# words spelled the same ("in", "an", "so") and terms German uses too ("Escape", "Tag") are left out.
_ENGLISH = (
    "the found expected not allowed while scanning parsing could did find character characters mapping "
    "sequence sequences here token context cannot start any block end flow node content key keys but got "
    "indicator indicators indentation tab tabs directive anchor alias quoted scalar stream document "
    "separator unexpected unknown undefined handle entries values value this that line is are "
    "of or and with must only may put quotes use remove check"
)
ENGLISH_WORDS = frozenset(_ENGLISH.split())
# Quoted parts (a value from the file, a sign such as „:“) and the file's name may stay as they are.
_QUOTED = re.compile(r"„[^“]*“|'[^']*'|\"[^\"]*\"")
PARSERS = {"libyaml": getattr(yaml, "CBaseLoader", None), "pure-python": yaml.BaseLoader}


@pytest.fixture(params=sorted(PARSERS))
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Reads YAML with libyaml (what the app uses) and with PyYAML's pure-Python parser (its fallback)."""
    chosen = PARSERS[request.param]
    if chosen is None:
        pytest.skip("this PyYAML was built without libyaml")
    monkeypatch.setattr(yamlread, "_Parser", chosen)
    yield request.param


def english_words(message: str) -> set[str]:
    """The English words left in ``message`` once quoted parts are taken out."""
    words = re.findall(r"[A-Za-z]+", _QUOTED.sub(" ", message))
    return {word for word in words if word.lower() in ENGLISH_WORDS}


def problem_message(source: bytes) -> str:
    """The one message the loader gives for ``source`` (a file that must fail)."""
    routine, problems = load_routine_bytes(source, Path("routine.yaml"))
    assert routine is None and problems
    return problems[0].message


@pytest.mark.skipif(CORPUS is None, reason=NO_CORPUS)
def test_every_corpus_document_that_fails_says_why_in_german(parser: str) -> None:
    """Every document of the YAML test suite that does not parse gets a German message with no English
    left from PyYAML, at the same line and column as in English."""
    assert CORPUS is not None
    failed: list[str] = []
    syntax_errors = 0
    for path in sorted(CORPUS.glob("*.yaml")):
        data = path.read_bytes()
        try:
            yamlread.read_yaml(data)
        except yamlread.YamlError as english:
            i18n.activate("de")
            try:
                with pytest.raises(yamlread.YamlError) as german:
                    yamlread.read_yaml(data)
            finally:
                i18n.activate("en")
            syntax_errors += english.message.startswith("YAML syntax error")
            left = english_words(german.value.message)
            if left or german.value.message == english.message or german.value.mark != english.mark:
                failed.append(f"{path.name}: {german.value.message} (English left: {sorted(left)})")
    assert syntax_errors > 50, "the corpus should give many syntax errors"
    assert not failed, "\n".join(failed)


@pytest.mark.skipif(CORPUS is None, reason=NO_CORPUS)
def test_the_editor_reader_says_why_in_german_too() -> None:
    """The editor's round-trip reader (ruamel.yaml) gives the same German words, with line and column in
    German, for every corpus document it cannot read."""
    assert CORPUS is not None
    i18n.activate("de")
    failed: list[str] = []
    explained = 0
    for path in sorted(CORPUS.glob("*.yaml")):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # ruamel warns of reused anchors; that is not the point here
            try:
                read_document(path.read_text(encoding="utf-8", errors="replace"))
            except DocumentError as error:
                explained += 1
                message = str(error)
                if english_words(message) or not re.match(r"(Zeile \d+, Spalte \d+: )?\S", message):
                    failed.append(f"{path.name}: {message}")
            except (NotImplementedError, TypeError, AssertionError):
                # ruamel's own failures on exotic YAML (complex keys, YAML 1.3): the loader refuses these
                # files before the editor ever reads them.
                continue
    assert explained > 100
    assert not failed, "\n".join(failed)


@pytest.mark.parametrize(
    ("source", "english", "german"),
    [
        (b"title: Neck\n\tsummary: x\n", "a tab is not allowed for indenting here", "Tabulator"),
        (b"title: @neck\n", "the character '@' cannot start a value", "„@“"),
        (b"title: a: b\n", "a ':' is not allowed here", "„:“ ist hier nicht erlaubt"),
        (b"title: 'Neck\n", "a quote is opened but never closed", "nie geschlossen"),
        (b"areas: [neck, back\n", "a list in [ ] needs a ','", "Liste in [ ]"),
        (b'title: "a\\q"\n', "write \\\\ for a backslash", "Backslash"),
        (b'title: "\\UD800DC00"\n', "write \\\\ for a backslash", "Backslash"),
        (b"steps:\n  - a\n  b: 1\n", "does not line up with the lines above", "anders eingerückt"),
    ],
)
def test_common_mistakes_get_a_fix_in_both_languages(
    parser: str, source: bytes, english: str, german: str
) -> None:
    """A tab, a stray sign, an unclosed quote or bracket: each message says what to change, in English and
    in German."""
    assert english in problem_message(source)
    i18n.activate("de")
    message = problem_message(source)
    assert german in message and message.startswith("YAML-Syntaxfehler: ")
    assert not english_words(message)


def test_a_control_character_is_placed_and_named(parser: str) -> None:
    """A control character (which PyYAML reports on two lines, without a line number) gets one line with
    its place and its code."""
    routine, problems = load_routine_bytes(b"id: neck\ntitle: a\x07b\n", Path("routine.yaml"))
    assert routine is None
    assert (problems[0].line, problems[0].column) == (2, 9)
    assert "U+0007" in problems[0].message and "\n" not in problems[0].message
    i18n.activate("de")
    assert "Steuerzeichen (U+0007)" in problem_message(b"id: neck\ntitle: a\x07b\n")


def test_a_date_that_does_not_exist_says_so_in_german() -> None:
    """2024-13-45 reads as a date YAML cannot build; Python's "month must be in 1..12" stays out."""
    assert "looks like a date" in problem_message(b"title: 2024-13-45\n")
    i18n.activate("de")
    message = problem_message(b"title: 2024-13-45\n")
    assert "sieht aus wie ein Datum" in message and "month" not in message


def test_a_settings_file_with_a_tab_is_explained_in_german(tmp_path: Path) -> None:
    """settings.yaml is read by the same reader: a tab in it is named at its line in German, and the
    defaults are used meanwhile."""
    path = tmp_path / "settings.yaml"
    path.write_text("theme: dark\n\tvoice_volume: 50\n", encoding="utf-8")
    i18n.activate("de")
    settings, problems = load_settings(path)
    assert settings.theme == "system"
    assert len(problems) == 1
    assert problems[0].startswith(
        f"{path}:2:1: YAML-Syntaxfehler: ein Tabulator ist hier zum Einrücken nicht erlaubt; rück mit "
        "Leerzeichen ein. Es gelten die Standardeinstellungen"
    )


# Problems PyYAML 6 raises that the corpus does not reach, as (problem, context): from libyaml's scanner.c
# and parser.c (the app's parser) and from PyYAML's own scanner.py and parser.py.
UNCOMMON_PROBLEMS = [
    ("mapping keys are not allowed in this context", None),
    ("mapping keys are not allowed here", None),
    ("found unexpected ':'", "while scanning a plain scalar"),
    ("could not find expected directive name", "while scanning a directive"),
    ("found unexpected non-alphabetical character", "while scanning a directive"),
    ("found extremely long version number", "while scanning a %YAML directive"),
    ("did not find expected digit or '.' character", "while scanning a %YAML directive"),
    ("did not find expected whitespace", "while scanning a %TAG directive"),
    ("did not find expected '!'", "while parsing a tag directive"),
    ("did not find expected tag URI", "while parsing a tag"),
    ("found an incorrect leading UTF-8 octet", "while parsing a tag"),
    ("did not find URI escaped octet", "while parsing a tag"),
    ("expected URI, but found ' '", "while parsing a tag"),
    ("expected URI escape sequence of 2 hexadecimal numbers, but found 'z'", "while scanning a tag"),
    ("expected '!', but found ' '", "while scanning a tag handle"),
    ("found duplicate %TAG directive", None),
    ("duplicate tag handle '!'", None),
    ("did not find expected hexdecimal number", "while parsing a quoted scalar"),
    ("found invalid Unicode character escape code", "while parsing a quoted scalar"),
    (
        "expected escape sequence of 8 hexadecimal numbers, but found 'q'",
        "while scanning a double-quoted scalar",
    ),
    ("expected the node content, but found '<block end>'", "while parsing a block node"),
    ("expected '<document start>', but found '<block sequence start>'", None),
]


@pytest.mark.parametrize(("problem", "context"), UNCOMMON_PROBLEMS)
def test_uncommon_problems_have_our_words_too(problem: str, context: str | None) -> None:
    """Problems the corpus does not reach still get our words, in German with no English left."""
    assert yaml_problem(problem, context) != problem
    i18n.activate("de")
    assert not english_words(yaml_problem(problem, context))


def test_an_unknown_problem_keeps_pyyaml_words() -> None:
    """A problem no rule knows (a future PyYAML's) is shown as PyYAML says it, not dropped."""
    assert yaml_problem("something new went wrong", "while doing a new thing") == "something new went wrong"
    assert yaml_problem(None, "while doing a new thing") == "while doing a new thing"


def test_every_rule_has_german() -> None:
    """Each of our YAML messages has a German translation in the catalogue."""
    german = translation("de")
    untranslated = [message for message in known_problems() if german.gettext(message) == message]
    assert not untranslated
