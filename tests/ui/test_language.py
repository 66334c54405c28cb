"""The GUI in German: the language chosen before the first widget, Qt's own words, and German on the pages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from massage_guide import paths as paths_module
from massage_guide.app import build
from massage_guide.core import i18n
from massage_guide.core.settings import Settings
from massage_guide.services.audio import SilentAudio
from massage_guide.ui import language, theme
from massage_guide.ui.completion_page import CompletionPage
from massage_guide.ui.library_page import LibraryPage
from massage_guide.ui.mini_player import MiniPlayerWindow
from massage_guide.ui.player_page import PlayerPage
from massage_guide.ui.session_controller import SessionController, SessionSummary
from massage_guide.ui.tray import TrayController
from tests.conftest import FakeClock
from tests.ui.test_session_controller import make_routine


def _qt() -> QApplication:
    qt = QApplication.instance()
    assert isinstance(qt, QApplication)
    return qt


def _qt_cancel() -> str:
    """How Qt's own standard button "Cancel" reads in the language Qt speaks now."""
    return QCoreApplication.translate("QPlatformTheme", "Cancel")


@pytest.fixture
def english_afterwards(qapp: QApplication) -> Iterator[None]:
    """Puts our catalogue, Qt's translator and QLocale's default back to English after the test."""
    before = QLocale()
    yield
    language.install(_qt(), "en")
    QLocale.setDefault(before)


@pytest.fixture
def german(english_afterwards: None) -> Iterator[None]:
    """The GUI speaks German for one test, as ``language = de`` in the settings makes it."""
    language.install(_qt(), "de")
    yield


def test_german_installs_our_catalogue_qt_translation_and_locale(english_afterwards: None) -> None:
    """Choosing German translates our words and Qt's own buttons and sets the locale; English undoes it."""
    assert _qt_cancel() == "Cancel"
    assert language.install(_qt(), "de") == "de"
    assert i18n.active_language() == "de"
    assert i18n._("Paused") == "Pausiert"
    assert _qt_cancel() == "Abbrechen"
    assert QLocale().language() == QLocale.Language.German
    language.install(_qt(), "en")
    assert _qt_cancel() == "Cancel"
    assert i18n._("Paused") == "Paused"
    assert QLocale().name() == QLocale.system().name()  # English keeps the system's own conventions


def test_the_environment_decides_when_no_language_is_set(
    english_afterwards: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without a ``language`` setting, LANG=de_DE.UTF-8 gives German; the setting beats the environment."""
    monkeypatch.delenv("LANGUAGE", raising=False)
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    assert language.install(_qt(), "system") == "de_DE"
    assert _qt_cancel() == "Abbrechen"
    assert language.install(_qt(), "en") == "en"
    assert _qt_cancel() == "Cancel"


def test_app_started_under_a_german_locale_opens_in_german(
    qtbot: QtBot, mg_home: Path, english_afterwards: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``LANG=de_DE.UTF-8 massage-guide``: the window's sidebar and library are German from the first paint,
    and the window title (a contract) stays "Massage Guide"."""
    monkeypatch.delenv("LANGUAGE", raising=False)
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    built = build(_qt(), paths=paths_module.resolve(), audio=SilentAudio(), ask_safety=lambda _text: True)
    qtbot.addWidget(built.window)
    try:
        built.window.show()
        built.finish_start()
        assert built.window.windowTitle() == "Massage Guide"
        nav = {name: button.text() for name, button in built.window.nav_buttons.items()}
        assert nav == {"library": "Bibliothek", "progress": "Fortschritt", "settings": "Einstellungen"}
        page = built.controller.library_page
        assert page.search.placeholderText() == "Routinen suchen"
        assert page.all_heading.text() == "Alle Routinen"
    finally:
        built.close()
        theme.apply(_qt(), "light")


def test_library_page_in_german(qtbot: QtBot, german: None) -> None:
    """The library's headings, filters, body map and cards read in German."""
    from massage_guide.core.library import load_library

    page = LibraryPage(load_library(use_cache=False), language="de")
    qtbot.addWidget(page)
    assert page.search.placeholderText() == "Routinen suchen"
    assert page.area_box.itemText(0) == "Jeder Bereich"
    assert page.area_box.findText("Unterer Rücken") > 0
    assert page.length_box.itemText(1) == "Unter 5 Min."
    assert page.body_map._whole.text() == "Ganzer Körper"
    routine = page.all_model.routine_at(0)
    _title, meta, _areas, _equipment = page.delegate.texts(routine, 300)
    assert "Min." in meta
    assert any(level in meta for level in ("Einsteiger", "Fortgeschritten", "Erfahren"))
    page.search.setText("zzzz-nothing-matches")
    assert page.empty_label.text() == "Keine Routine passt."


def test_player_page_in_german(qtbot: QtBot, german: None, clock: FakeClock, tmp_path: Path) -> None:
    """A running session shows its counts, controls and ring captions in German."""
    page = PlayerPage()
    qtbot.addWidget(page)
    page.resize(1100, 750)
    controller = SessionController(audio=SilentAudio(), history=None, clock=clock, language="de")
    controller.configure(Settings())
    controller.attach(page)
    page.show()
    try:
        controller.start(make_routine(tmp_path))
        assert page._step_count.text() == "Schritt 1 von 3"
        assert page.controls()["stop"].text() == "Beenden"
        assert page.mini_button.text() == "Mini-Player"
        assert page._technique_badge.text() == "Streichen"
        assert page._pressure_badge.text() == "Leichter Druck"
        assert page._next_label.text().startswith("Als Nächstes: ")
        assert page._time_left.text().endswith(" insgesamt")
        page.pause_requested.emit()
        # Resume is not "Weiter": that word is Next, and a tired person must tell the two apart.
        assert page.controls()["pause"].text() == "Fortsetzen"
        assert page.controls()["pause"].accessibleName() == "Fortsetzen"
        assert page.controls()["next"].accessibleName() == "Nächster Schritt"
        assert page._ring.caption() == "Pausiert"
    finally:
        controller.shutdown()


def test_mini_player_and_tray_say_fortsetzen_for_resume(
    qtbot: QtBot, german: None, clock: FakeClock, tmp_path: Path
) -> None:
    """In German the small window and the tray say "Fortsetzen" for resume, never "Weiter" (which is next)."""
    session = SessionController(audio=SilentAudio(), history=None, clock=clock, language="de")
    mini = MiniPlayerWindow()
    qtbot.addWidget(mini)
    session.session_started.connect(mini.show_routine)
    session.snapshot_changed.connect(mini.show_snapshot)
    tray = TrayController()
    try:
        session.start(make_routine(tmp_path))
        session.pause()
        assert mini.pause_button.text() == "Fortsetzen"
        assert mini.next_button.text() == "Nächster Schritt"
        assert tray.actions["resume"].text() == "Fortsetzen"
    finally:
        session.shutdown()


def test_completion_page_in_german(qtbot: QtBot, german: None, tmp_path: Path) -> None:
    """The completion page praises, counts and asks in German, with German units."""
    page = CompletionPage()
    qtbot.addWidget(page)
    page.show_summary(SessionSummary("id-1", make_routine(tmp_path), "completed", 452.4, 3, 3), "de")
    assert page.heading() == "Gut gemacht. Das war gut investierte Zeit."
    assert page.time_spent() == "7 Min. 32 Sek."
    assert page.steps_done() == "3 von 3 Schritten"
    assert page.done.text() == "Fertig"
    assert page.note.placeholderText().startswith("Eine Notiz für dich")


def test_cards_are_drawn_again_in_a_new_language(qtbot: QtBot, english_afterwards: None) -> None:
    """A card drawn in English is not reused from the card cache once the app speaks German."""
    from massage_guide.core.library import load_library

    library = load_library(use_cache=False)

    def card_image() -> object:
        page = LibraryPage(library, language=i18n.active_language())
        qtbot.addWidget(page)
        page.resize(1000, 700)
        page.show()
        qtbot.waitExposed(page)
        grid = page.all_grid
        return grid.viewport().grab(grid.visualRect(grid.model().index(0, 0))).toImage()

    english = card_image()
    language.install(_qt(), "de")
    assert card_image() != english
