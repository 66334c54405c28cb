"""Defects found by walking the app as its users do, each kept fixed: what a German user reads before and
after a session, what the voice says first and in which language, and what the title bars say."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import cast

import pytest
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from massage_guide import paths as paths_module
from massage_guide import resources
from massage_guide.app import App, build
from massage_guide.core.ports import AudioSettings
from massage_guide.services.audio import SilentAudio
from massage_guide.ui import language, theme
from massage_guide.ui.completion_page import CompletionPage
from massage_guide.ui.player_page import PlayerPage
from tests.conftest import REPO_ROOT, FakeClock

ROUTINE = "neck-tension-release"  # has a German title


def _qt() -> QApplication:
    qt = QApplication.instance()
    assert isinstance(qt, QApplication)
    return qt


@pytest.fixture
def german_app(qtbot: QtBot, mg_home: Path, clock: FakeClock) -> Iterator[App]:
    """The app built as main() builds it for a person whose settings say ``language: de``."""
    (mg_home / "settings.yaml").write_text("language: de\nsafety_notice_seen: true\n", encoding="utf-8")
    built = build(_qt(), paths=paths_module.resolve(), audio=SilentAudio(), clock=clock)
    qtbot.addWidget(built.window)
    built.window.show()
    built.finish_start()
    qtbot.waitUntil(lambda: built.history is not None, timeout=5000)
    try:
        yield built
    finally:
        if built.controller.session_running():
            built.session.stop()
        built.close()
        language.install(_qt(), "en")
        theme.apply(_qt(), "light")


def test_the_completion_page_names_the_routine_in_the_users_language(german_app: App, qtbot: QtBot) -> None:
    """After a German session the completion page names the routine by its German title, as the player
    did, not by its English one."""
    routine = german_app.library.get(ROUTINE)
    assert routine is not None
    german, english = routine.title.get("de"), routine.title.get("en")
    assert german != english
    german_app.controller.open_routine(ROUTINE)
    assert german_app.controller.start_routine(ROUTINE)
    assert german_app.controller.session_running()
    player = cast(PlayerPage, german_app.window.page("player"))
    assert german in [label.text() for label in player.findChildren(QLabel)]
    german_app.session.stop()
    completion = cast(CompletionPage, german_app.window.page("completion"))
    assert german_app.window.current_page_name() == "completion"
    texts = [label.text() for label in completion.findChildren(QLabel)]
    assert german in texts
    assert english not in texts


def test_a_german_user_reads_the_safety_notice_in_german(
    qtbot: QtBot, mg_home: Path, clock: FakeClock
) -> None:
    """The notice shown before the first session is the German one for a German user (it was English)."""
    (mg_home / "settings.yaml").write_text("language: de\n", encoding="utf-8")
    shown: list[str] = []

    def ask_safety(text: str) -> bool:
        shown.append(text)
        return False  # "Not now": nothing starts

    built = build(
        _qt(), paths=paths_module.resolve(), audio=SilentAudio(), clock=clock, ask_safety=ask_safety
    )
    qtbot.addWidget(built.window)
    try:
        assert not built.controller.start_routine(ROUTINE)
    finally:
        built.close()
        language.install(_qt(), "en")
        theme.apply(_qt(), "light")
    assert len(shown) == 1
    assert "Das ist kein medizinischer Rat" in shown[0]
    assert "not medical advice" not in shown[0]
    assert not shown[0].startswith("# ")  # the dialog has its own title


def _outline(markdown: str) -> list[str]:
    """The shape of a notice: its headings' levels and its list items' depths, in order."""
    return [
        "#" * len(found[0]) if found[0] else f"{len(found[1])}-"
        for found in re.findall(r"^(#+) |^( *)- ", markdown, flags=re.MULTILINE)
    ]


def test_the_german_safety_notice_has_every_section_and_point_of_the_english() -> None:
    """A caution added to docs/safety.md cannot be left out of the German notice unnoticed."""
    english = resources.safety_notice_file("en").read_text(encoding="utf-8")
    german = resources.safety_notice_file("de").read_text(encoding="utf-8")
    assert resources.safety_notice_file("de").name == "safety.de.md"
    assert resources.safety_notice_file("de_AT").name == "safety.de.md"
    assert resources.safety_notice_file("fr").name == "safety.md"
    assert len(_outline(english)) > 20
    assert _outline(german) == _outline(english)
    assert german.count("**") == english.count("**")  # the same warnings stand out


def test_the_wheel_carries_every_safety_notice() -> None:
    """Each translated notice is packed into the wheel beside docs/safety.md (pyproject's force-include)."""
    config = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    packed = config["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    for notice in sorted((REPO_ROOT / "docs").glob("safety*.md")):
        assert packed.get(f"docs/{notice.name}") == f"massage_guide/_data/docs/{notice.name}"


class VoiceLog(SilentAudio):
    """Silent; writes down the voice's language, the words got ready and the words said."""

    def __init__(self) -> None:
        super().__init__()
        self.languages: list[str] = []
        self.ready: list[str] = []
        self.said: list[str] = []

    def configure(self, settings: AudioSettings) -> None:
        super().configure(settings)
        self.languages.append(settings.voice_language)

    def prefetch_speech(self, texts: Sequence[str]) -> None:
        self.ready.extend(texts)

    def speak(self, text: str) -> None:
        self.said.append(text)


@pytest.mark.parametrize(("routine_id", "voice"), [("breathing-sos-1-minute", "en"), (ROUTINE, "de")])
def test_a_routines_page_gets_its_first_words_ready_in_the_language_they_are_written_in(
    qtbot: QtBot, mg_home: Path, clock: FakeClock, routine_id: str, voice: str
) -> None:
    """For a German user, opening a routine gets ready the very words its session says first, in German
    for a German routine and in English for an English-only one; the session then says them in that voice."""
    (mg_home / "settings.yaml").write_text("language: de\nsafety_notice_seen: true\n", encoding="utf-8")
    audio = VoiceLog()
    built = build(_qt(), paths=paths_module.resolve(), audio=audio, clock=clock)
    qtbot.addWidget(built.window)
    try:
        built.window.show()
        built.finish_start()
        built.controller.open_routine(routine_id)
        assert audio.languages[-1] == voice
        assert audio.ready, "nothing was got ready"
        assert built.controller.start_routine(routine_id)
        assert audio.languages[-1] == voice
        assert audio.said[0] == audio.ready[0]  # the first words were the ones got ready
        built.session.stop()
    finally:
        built.close()
        language.install(_qt(), "en")
        theme.apply(_qt(), "light")


def test_no_window_names_the_app_twice_in_its_title_bar(qtbot: QtBot) -> None:
    """Qt ends every window's title with " — Massage Guide" itself, so a title of our own never names the
    app ("Massage Guide: break — Massage Guide" was the mini player's)."""
    from massage_guide.ui.break_prompt import BreakPromptWindow
    from massage_guide.ui.mini_player import MiniPlayerWindow
    from massage_guide.ui.safety_dialog import SafetyNoticeDialog

    for window in (MiniPlayerWindow(), BreakPromptWindow(), SafetyNoticeDialog("# Notice")):
        qtbot.addWidget(window)
        assert window.windowTitle()
        assert "Massage Guide" not in window.windowTitle(), window.windowTitle()
