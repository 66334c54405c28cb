"""What the voice says, and in which language: a routine without the user's translation is spoken in
English throughout (never English words in a German voice), and the words got ready before a session are
exactly the ones it says first."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from massage_guide.cli.terminal_player import _prepare_voice
from massage_guide.core.engine import SessionEngine
from massage_guide.core.library import Library, load_library
from massage_guide.core.model import Routine
from massage_guide.core.ports import SilentAudio
from massage_guide.core.session import Session
from massage_guide.core.spoken import first_words, speech_language
from tests.conftest import FakeClock
from tests.core.test_session import RecordingAudio

TRANSLATED = "desk-break-3-minutes"  # has German
UNTRANSLATED = "breathing-sos-1-minute"  # English only


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library(use_cache=False)


def _routine(library: Library, routine_id: str) -> Routine:
    routine = library.get(routine_id)
    assert routine is not None
    return routine


def test_the_voice_speaks_the_language_the_routine_is_written_in(library: Library) -> None:
    """German for a routine translated into German (any German locale), English for one that is not."""
    translated, untranslated = _routine(library, TRANSLATED), _routine(library, UNTRANSLATED)
    assert speech_language(translated, "de") == "de"
    assert speech_language(translated, "de_AT") == "de_AT"
    assert speech_language(untranslated, "de") == "en"
    assert speech_language(untranslated, "en") == "en"


def _first_spoken(routine: Routine, language: str, clock: FakeClock) -> str:
    audio = RecordingAudio(prefetch=False)
    session = Session(routine, SessionEngine(routine.steps, clock), audio, None, language=language)
    session.start()
    said = [call[1] for call in audio.calls if call[0] == "speak"]
    assert said
    return str(said[0])


def test_an_untranslated_routine_is_spoken_wholly_in_english_for_a_german_user(
    library: Library, clock: FakeClock
) -> None:
    """Safety line, step words: all English for an English-only routine, all German for a German one
    (the safety line used to be German, the step's words English, both read by a German voice)."""
    english = _first_spoken(_routine(library, UNTRANSLATED), "de", clock)
    assert english.startswith(_first_spoken(_routine(library, UNTRANSLATED), "en", clock))
    assert "Stop if anything feels sharp, numb or tingling." in english
    assert "Hör auf" not in english
    german = _first_spoken(_routine(library, TRANSLATED), "de", clock)
    assert "Hör auf" in german


class PreparingAudio(SilentAudio):
    """Silent; writes down which texts it was asked to get ready."""

    def __init__(self) -> None:
        super().__init__()
        self.prepared: list[str] = []

    def prepare_speech(self, texts: Sequence[str], timeout: float = 0.0) -> bool:
        self.prepared.extend(texts)
        return True


@pytest.mark.parametrize(
    ("routine_id", "language"), [(UNTRANSLATED, "de"), (TRANSLATED, "de"), (TRANSLATED, "en")]
)
def test_play_gets_the_sessions_own_first_words_ready(
    library: Library, clock: FakeClock, routine_id: str, language: str
) -> None:
    """`play` waits for the words the session will say first, safety line included: it used to wait for
    the step's words alone, so the first words were rendered only once the session began, seconds late."""
    routine = _routine(library, routine_id)
    audio = PreparingAudio()
    _prepare_voice(audio, routine, speech_language(routine, language))
    assert audio.prepared[0] == _first_spoken(routine, language, clock)
    assert audio.prepared == first_words(routine, speech_language(routine, language))
