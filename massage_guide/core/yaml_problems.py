"""PyYAML's syntax problems (from libyaml or the pure-Python parser) in our own words and the user's language."""

from __future__ import annotations

import re
from typing import Final

from massage_guide.core.i18n import N_, _

# PyYAML says what its scanner expected ("mapping values are not allowed in this context"), in English, and
# libyaml and the pure-Python parser word the same problem differently. Each rule below covers both
# wordings (read from PyYAML 6's scanner.py, parser.py and reader.py and from libyaml's scanner.c and
# parser.c) and says what to change in the file. A problem no rule knows keeps PyYAML's own text.
_TAB: Final = N_("a tab is not allowed for indenting here; indent with spaces")
_CANNOT_START: Final = N_("the character '{char}' cannot start a value; put the value in quotes")
_DIRECTIVE: Final = N_(
    "a line starting with '%' is a YAML directive, and this one cannot be read; remove it (routines need none)"
)
_TAG: Final = N_(
    "a '!' starts a YAML tag, which routines do not use; put text that starts with '!' in quotes"
)
_ESCAPE: Final = N_(
    "a backslash in double quotes starts an escape that cannot be read; write \\\\ for a backslash, "
    "or use single quotes"
)
_BLOCK_END: Final = N_(
    "this line does not line up with the lines above (or text follows a closing quote); indent entries "
    "at the same level by the same number of spaces"
)

# (problem, context or None, message): the problem must match whole; a context, when given, too.
_RULES: Final[tuple[tuple[str, str | None, str], ...]] = (
    # Tabs first: libyaml and the pure-Python parser report them under several contexts.
    (r"found a tab character.*", None, _TAB),
    (r"found character '\\t' that cannot start any token", None, _TAB),
    # The context decides for these: the same "expected ..." means different things in each.
    (r".*", r"while (scanning|parsing) an? (%TAG |%YAML )?(tag )?directive", _DIRECTIVE),
    (
        r".*",
        r"while scanning an? (anchor|alias)",
        N_(
            "a name after '&' or '*' may hold only letters, digits, '-' and '_'; put text that starts with "
            "'&' or '*' in quotes"
        ),
    ),
    (r".*", r"while (scanning|parsing) a tag", _TAG),
    (
        r"expected chomping or indentation indicators.*|expected indentation indicator.*"
        r"|found an indentation indicator equal to 0|expected a comment or a line break.*"
        r"|did not find expected comment or line break",
        r"while scanning a block scalar",
        N_(
            "after '|' or '>' only '-', '+' or a digit from 1 to 9 may follow on that line; start the text "
            "on the next line"
        ),
    ),
    (
        r"found unexpected end of stream",
        None,
        N_("a quote is opened but never closed; add the closing quote"),
    ),
    # The problem alone says it.
    (
        r"found character '.*' that cannot start any token|found character that cannot start any token",
        None,
        "",
    ),
    (
        r"mapping values are not allowed (here|in this context)|found unexpected ':'",
        None,
        N_(
            "a ':' is not allowed here; check the indenting of this line, or put text that contains ': ' in "
            "quotes"
        ),
    ),
    (
        r"(block )?sequence entries are not allowed (here|in this context)",
        None,
        N_("a list item ('- ') is not allowed here; check the indenting of this line"),
    ),
    (
        r"mapping keys are not allowed (here|in this context)",
        None,
        N_("a '?' is not allowed here; check the indenting, or put text that starts with '?' in quotes"),
    ),
    (
        r"could not find expected ':'",
        None,
        N_(
            "a key has no ':' after it on its line; keep each key and its ':' on one line, and close any "
            "open quote or bracket"
        ),
    ),
    (
        r"expected <block end>, but found .*|did not find expected key|did not find expected '-' indicator",
        None,
        _BLOCK_END,
    ),
    (
        r"expected the node content, but found .*|did not find expected node content",
        None,
        N_(
            "a value is missing here; write one, or put text that starts with a sign such as ',' ':' or '[' in quotes"
        ),
    ),
    (
        r"expected ',' or '\]', but got .*|did not find expected ',' or '\]'",
        None,
        N_("a list in [ ] needs a ',' between its items and a ']' at its end"),
    ),
    (
        r"expected ',' or '\}', but got .*|did not find expected ',' or '\}'",
        None,
        N_("a mapping in curly brackets needs a ',' between its entries and a closing bracket at its end"),
    ),
    (r"found undefined tag handle.*", None, _TAG),
    (
        r"expected '!', but found .*|did not find expected '!'|expected URI.*|did not find expected tag URI"
        r"|did not find URI escaped octet|expected '>', but found .*|did not find the expected '>'"
        r"|found an incorrect (leading|trailing) UTF-8 octet|did not find expected whitespace or line break",
        None,
        _TAG,
    ),
    (
        r"found duplicate (%?YAML|%TAG) directive|duplicate tag handle .*|duplicate %TAG directive"
        r"|found incompatible YAML document.*|incompatible %YAML directive|found unknown directive name",
        None,
        _DIRECTIVE,
    ),
    (
        r"found unknown escape character.*|expected escape sequence of \d+ hexadecimal numbers.*"
        r"|did not find expected hexdecimal number|found invalid Unicode character escape code",
        None,
        _ESCAPE,
    ),
    (
        r"found unexpected document (separator|indicator)",
        None,
        N_("a line starting with '---' or '...' is inside quoted text; close the quote before it"),
    ),
    # ruamel.yaml (the editor's round-trip reader, a fork of PyYAML) words a few problems of its own.
    (
        r"but found another document",
        None,
        N_("the file holds more than one YAML document ('---'); put each routine in its own file"),
    ),
    (r"found duplicate key .*", None, N_("a key appears twice in one mapping; keep only one")),
    (
        r"more indented follow up line than first in a block scalar",
        None,
        N_("the text after '|' or '>' is indented less on its first line than below; indent its lines alike"),
    ),
    (
        r"expected '<document start>', but found .*|did not find expected <document start>"
        r"|found non-comment content after document end marker.*",
        None,
        N_(
            "something follows the end of the document here (after a closing bracket or a '...' line); remove it"
        ),
    ),
)
_COMPILED: Final = tuple(
    (re.compile(problem, re.DOTALL), re.compile(context) if context else None, message)
    for problem, context, message in _RULES
)


def yaml_problem(problem: str | None, context: str | None, found: str = "") -> str:
    """Our words for a PyYAML syntax problem, in the user's language. ``found`` is the character at the
    problem's position (libyaml does not name the character it could not read). A problem no rule knows
    keeps PyYAML's own text."""
    text = problem or context or ""
    for pattern, context_pattern, message in _COMPILED:
        if not pattern.fullmatch(text):
            continue
        if context_pattern is not None and not (context and context_pattern.fullmatch(context)):
            continue
        if message:
            return _(message)
        if found == "\t":
            return _(_TAB)
        return _(_CANNOT_START).format(char=_visible(found or _character(text)))
    return text or _("invalid YAML")


def control_character(code: int) -> str:
    """Our words for a character the YAML reader refuses (PyYAML's ReaderError), in the user's language."""
    return _("the file holds a control character ({code}) that YAML does not allow; remove it").format(
        code=f"U+{code:04X}"
    )


def known_problems() -> tuple[str, ...]:
    """Every message a rule can give, untranslated (the tests check each one has a translation)."""
    messages = [message for _problem, _context, message in _RULES if message]
    return tuple(dict.fromkeys([*messages, _CANNOT_START]))


def _character(problem: str) -> str:
    """The character the pure-Python parser names in "found character '@' that cannot start any token"."""
    named = re.fullmatch(r"found character '(.*)' that cannot start any token", problem, re.DOTALL)
    return named.group(1) if named else ""


def _visible(char: str) -> str:
    """A character as it can be shown on one line (a control character as its code)."""
    if not char:
        return "?"
    return char if char.isprintable() else f"U+{ord(char[0]):04X}"
