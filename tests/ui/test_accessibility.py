"""Every control on every page has a name a screen reader can speak and is at least 32 px to hit."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSlider,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QScrollBar,
    QTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from massage_guide import paths as paths_module
from massage_guide.app import App, build
from massage_guide.services.audio import SilentAudio

CONTROLS = (QAbstractButton, QAbstractSlider, QComboBox, QLineEdit, QPlainTextEdit, QTextEdit)
MIN_TARGET = 32


@pytest.fixture
def app(qtbot: QtBot, mg_home: Path) -> Iterator[App]:
    (mg_home / "settings.yaml").write_text("safety_notice_seen: true\n", encoding="utf-8")
    qt = QApplication.instance()
    assert isinstance(qt, QApplication)
    built = build(qt, paths=paths_module.resolve(), audio=SilentAudio())
    qtbot.addWidget(built.window)
    built.window.resize(1180, 780)
    built.window.show()
    built.finish_start()
    qtbot.waitUntil(lambda: built.history is not None, timeout=5000)
    yield built
    if built.controller.session_running():
        built.session.stop()
    built.close()


def visible_controls(page: QWidget) -> list[QWidget]:
    # Scroll bars follow the platform (wheel and keys move them too); a line edit's own clear and icon
    # buttons belong to it and Qt names them for assistive technology through the edit itself.
    return [
        w
        for w in page.findChildren(QWidget)
        if isinstance(w, CONTROLS)
        and not isinstance(w, QScrollBar)
        and not isinstance(w.parentWidget(), QLineEdit)
        and w.isVisible()
    ]


def spoken_name(widget: QWidget) -> str:
    text = widget.text() if isinstance(widget, QAbstractButton) else ""
    return widget.accessibleName() or text


def check_page(page: QWidget) -> list[str]:
    problems = []
    for widget in visible_controls(page):
        label = f"{type(widget).__name__} {spoken_name(widget)!r}"
        if not spoken_name(widget).strip():
            problems.append(f"{label} has no accessible name")
        if widget.height() < MIN_TARGET or widget.width() < MIN_TARGET:
            problems.append(f"{label} is {widget.width()}x{widget.height()} px")
    return problems


def test_library_detail_progress_and_settings_pages(app: App, qtbot: QtBot) -> None:
    """Library, routine detail, progress and settings: named controls, 32 px or larger."""
    problems: list[str] = []
    routine_id = next(iter(app.library.routines))
    app.controller.open_routine(routine_id)
    for name in ("library", "detail", "progress", "settings"):
        page = app.window.show_page(name) if name != "detail" else app.window.page("detail")
        app.window.show_page(name)
        qtbot.wait(10)  # one turn of the event loop so layouts settle
        problems += [f"{name}: {p}" for p in check_page(page)]
    problems += [f"sidebar: {p}" for p in check_page(app.window.sidebar)]
    assert problems == [], "\n".join(problems)


def test_player_and_completion_pages(app: App, qtbot: QtBot) -> None:
    """The session player and the completion page: named controls, 32 px or larger."""
    routine_id = next(iter(app.library.routines))
    assert app.controller.start_routine(routine_id)
    qtbot.wait(10)
    problems = [f"player: {p}" for p in check_page(app.window.page("player"))]
    with qtbot.waitSignal(app.session.session_stopped, timeout=5000):
        app.session.stop()
    qtbot.wait(10)
    problems += [f"completion: {p}" for p in check_page(app.window.page("completion"))]
    assert problems == [], "\n".join(problems)
