"""Pronunciation: the lexicon's respellings make espeak-ng (and so Piper, which uses its phonemes) say our
words right, and every built-in spoken line goes through it."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from massage_guide.core.lexicon import LEXICON, respell
from massage_guide.core.library import load_library
from massage_guide.core.session import SWITCH_SIDE_TEXT

needs_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")

# What espeak-ng must say for each word (its -x phoneme notation), and what it said before the lexicon.
EXPECTED = [
    ("close your eyes", "kl'oUz", "kl'oUs"),
    ("use light pressure", "j'u:z", "j'u:s"),
    ("fascia", "f'aS@", "f'eISi;@"),
    ("psoas", "s'oU", "s'oU@z"),
    ("erector spinae", "sp'aIn", "sp'Ini:"),
    ("sternocleidomastoid", "kl'aId", "kl,eId"),
    ("suboccipital", "s'Vb'0ks'IpIt", "s'Vb@ks,IpIt"),
    ("TMJ", "t'i:", None),
]


RESPELLED_WORDS = {word for entry in LEXICON for word in re.findall(r"[\w-]+", entry.spoken.lower())}


def phonemes(text: str) -> str:
    result = subprocess.run(
        ["espeak-ng", "-q", "-x", "-v", "en-us", "--stdin"],
        input=text,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def builtin_lines() -> list[str]:
    library = load_library(use_cache=False)
    lines = {SWITCH_SIDE_TEXT}
    for routine in library.routines.values():
        for step in routine.steps:
            lines.add(step.spoken_text("en"))
    return sorted(lines)


@needs_espeak
@pytest.mark.parametrize(("words", "right", "wrong"), EXPECTED)
def test_each_respelling_makes_espeak_say_the_word_right(words: str, right: str, wrong: str | None) -> None:
    """espeak-ng reads the respelled word as we want, and the plain word the way that needed fixing."""
    assert right in phonemes(respell(words))
    if wrong is not None:
        assert wrong in phonemes(words)


def test_use_as_a_noun_and_close_as_an_adjective_are_left_alone() -> None:
    """Only the verbs are respelled: "the use of" and "close to the wall" stay as written."""
    assert respell("The use of a ball helps.") == "The use of a ball helps."
    assert respell("Stand close to the wall.") == "Stand close to the wall."
    assert respell("Close your eyes. Use your palms.") == "Cloze your eyes. Yooz your palms."


def test_every_builtin_line_goes_through_the_lexicon() -> None:
    """Each built-in spoken line comes out with no lexicon word left unrespelled and nothing else changed."""
    lines = builtin_lines()
    assert len(lines) > 50
    changed = 0
    for line in lines:
        spoken = respell(line)
        if spoken != line:
            changed += 1
        for entry in LEXICON:
            assert not entry.pattern.search(spoken), (entry.spoken, spoken)
        new_words = set(re.findall(r"[\w-]+", spoken.lower())) - set(re.findall(r"[\w-]+", line.lower()))
        assert new_words <= RESPELLED_WORDS, new_words
    assert changed > 0  # the built-in texts do use these words


@needs_espeak
def test_no_builtin_line_is_read_with_the_old_mistakes() -> None:
    """Run through espeak-ng, the built-in lines never say "close" as the adjective before "your eyes",
    nor "use" as the noun."""
    said = phonemes("\n".join(respell(line) for line in builtin_lines()))
    assert "kl'oUs jU@r" not in said
    assert "j'u:s " not in said.replace("j'u:s t", "")  # "used to" is /ju:st/ and fine
