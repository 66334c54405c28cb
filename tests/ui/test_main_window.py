"""The main window and the app controller: title, library after the first paint, problems, shortcuts,
favourites, live theme changes, remembered geometry and the hand-over from a second launch."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from massage_guide import paths as paths_module
from massage_guide.app import App, build
from massage_guide.core.history import HistoryStore
from massage_guide.core.settings import load_settings
from massage_guide.services.audio import SilentAudio
from massage_guide.ui import theme
from massage_guide.ui.single_instance import InstanceServer, send_to_running, server_name


@pytest.fixture
def app(qtbot: QtBot, mg_home: Path) -> Iterator[App]:
    qt = QApplication.instance()
    assert isinstance(qt, QApplication)
    built = build(qt, paths=paths_module.resolve(), audio=SilentAudio(), ask_safety=lambda _text: True)
    qtbot.addWidget(built.window)
    built.window.show()
    built.finish_start()
    yield built
    built.close()
    theme.apply(qt, "light")


def test_window_title_and_library_after_first_paint(app: App) -> None:
    """The window is titled "Massage Guide" and shows the library once started."""
    assert "Massage Guide" in app.window.windowTitle()
    assert app.window.current_page_name() == "library"
    assert len(app.controller.library_page.visible_routine_ids()) >= 16


def test_problems_panel_counts_and_lists_bad_files(qtbot: QtBot, mg_home: Path) -> None:
    """A broken user routine is listed under the library with file:line, and the rest still load."""
    (mg_home / "routines").mkdir()
    bad = mg_home / "routines" / "broken.yaml"
    bad.write_text("schema_version: 1\nid: Broken Id\n", encoding="utf-8")
    qt = QApplication.instance()
    assert isinstance(qt, QApplication)
    built = build(qt, paths=paths_module.resolve(), audio=SilentAudio())
    qtbot.addWidget(built.window)
    built.window.show()
    built.finish_start()
    from massage_guide.ui.problems_panel import ProblemsPanel

    panel = built.window.page("library").findChild(ProblemsPanel)
    assert panel is not None and not panel.isHidden()
    assert panel.summary.text() == "1 routine file could not be loaded. The others are ready to use."
    qtbot.mouseClick(panel.toggle, Qt.MouseButton.LeftButton)
    assert f"{bad}:2:5: id: 'Broken Id' is not a valid id" in panel.details.toPlainText()
    assert len(built.library.routines) >= 16
    built.close()


def test_keyboard_navigation(app: App, qtbot: QtBot) -> None:
    """Ctrl+2 and Ctrl+3 open Progress and Settings; Ctrl+F returns to the library with the search focused."""
    window = app.window
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page_name() == "progress"
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page_name() == "settings"
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page_name() == "library"
    search = app.controller.library_page.findChild(QLineEdit)
    assert search is not None
    qtbot.waitUntil(search.hasFocus, timeout=2000)


def test_full_screen_toggle(app: App, qtbot: QtBot) -> None:
    """F11 switches full screen on and off."""
    qtbot.keyClick(app.window, Qt.Key.Key_F11)
    qtbot.waitUntil(app.window.isFullScreen, timeout=2000)
    qtbot.keyClick(app.window, Qt.Key.Key_F11)
    qtbot.waitUntil(lambda: not app.window.isFullScreen(), timeout=2000)


def test_favourite_is_saved_and_shown(app: App, mg_home: Path) -> None:
    """Marking a favourite writes it to settings.yaml and the library shows it among favourites."""
    routine_id = next(iter(app.library.routines))
    app.controller.set_favourite(routine_id, True)
    settings, _problems = load_settings(mg_home / "settings.yaml")
    assert settings.favourites == (routine_id,)
    app.controller.set_favourite(routine_id, False)
    assert load_settings(mg_home / "settings.yaml")[0].favourites == ()


def test_theme_change_applies_and_rebuilds_pages(app: App, mg_home: Path) -> None:
    """Choosing the night theme saves it, switches the palette, and rebuilds the library in it."""
    old_library = app.controller.library_page
    app.window.show_page("settings")
    app.controller.change_setting("theme", "night")
    assert theme.current().name == "night"
    assert "theme: night" in (mg_home / "settings.yaml").read_text(encoding="utf-8")
    app.window.show_page("library")
    assert app.controller.library_page is not old_library


def test_geometry_is_remembered(app: App, qtbot: QtBot, mg_home: Path) -> None:
    """The window's size is saved on close and restored by the next start."""
    app.window.resize(760, 560)  # within the offscreen screen (800x600), which restoreGeometry respects
    app.save_state()
    assert (mg_home / "state.json").is_file()
    qt = QApplication.instance()
    assert isinstance(qt, QApplication)
    again = build(qt, paths=paths_module.resolve(), audio=SilentAudio())
    qtbot.addWidget(again.window)
    again.restore_state()
    assert (again.window.width(), again.window.height()) == (760, 560)
    again.close()


def test_second_launch_hands_over_start_request(app: App, qtbot: QtBot, mg_home: Path) -> None:
    """A later launch's --start reaches the running app, which starts that routine."""
    name = server_name(str(mg_home)) + "-test"
    server = InstanceServer(name)
    assert server.listen()
    server.message_received.connect(app.controller.handle_instance_message)
    routine_id = next(iter(app.library.routines))
    with qtbot.waitSignal(server.message_received, timeout=3000) as received:
        assert send_to_running(name, {"start": routine_id})
    assert received.args == [{"start": routine_id}]
    qtbot.waitUntil(lambda: app.window.current_page_name() == "player", timeout=3000)
    assert app.session.is_running()
    app.session.stop()
    server.close()


def test_no_running_instance_means_no_hand_over(mg_home: Path, qtbot: QtBot) -> None:
    """With nobody listening, a launch goes on to open its own window."""
    assert send_to_running(server_name(str(mg_home)) + "-nobody", {}) is False


def test_recently_done_shows_the_newest_sessions_first(app: App, mg_home: Path) -> None:
    """With a long history, "Recently done" lists the latest routines, newest first, not the oldest ones."""
    moments = (datetime(2026, 1, 1, 8, tzinfo=UTC) + timedelta(minutes=n) for n in range(1000))
    store, _messages = HistoryStore.open(mg_home / "history-recent.sqlite3", now=lambda: next(moments))
    ids = list(app.library.routines)
    old, *recent = ids[:4]
    for routine_id in [old] * 70 + recent:  # 70 old sessions, then three recent ones
        session_id = store.begin(
            routine_id=routine_id, routine_title="t", content_hash="", planned_seconds=60, steps_total=1
        )
        store.finish(session_id, status="completed", active_seconds=60, steps_completed=1)
    app.controller.set_history(store)
    assert app.controller.navigation.recent[:3] == list(reversed(recent))
    store.close()
