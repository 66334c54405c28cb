"""The app starts whatever sits in its folders: pipes as settings, state or routines, and odd durations."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from massage_guide import paths as paths_module
from massage_guide.app import build
from massage_guide.services.audio import SilentAudio
from massage_guide.ui import theme


def test_the_window_opens_with_pipes_and_a_crashing_duration_around(qtbot: QtBot, mg_home: Path) -> None:
    """A FIFO as settings.yaml, state.json and a routine, plus a routine whose duration is '²', neither hang
    nor stop the start: the library opens with the problems listed."""
    os.mkfifo(mg_home / "settings.yaml")
    os.mkfifo(mg_home / "state.json")
    routines = mg_home / "routines"
    routines.mkdir()
    os.mkfifo(routines / "pipe.yaml")
    (routines / "odd.yaml").write_text(
        "schema_version: 1\nid: odd\ntitle: Odd\nsummary: Odd.\nareas: [neck]\ngoals: [tension_relief]\n"
        'steps:\n  - {title: A, instruction: B, duration: "²"}\n',
        encoding="utf-8",
    )
    qt = QApplication.instance()
    assert isinstance(qt, QApplication)
    app = build(qt, paths=paths_module.resolve(), audio=SilentAudio())
    qtbot.addWidget(app.window)
    app.restore_state()
    app.window.show()
    app.finish_start()
    try:
        assert app.window.current_page_name() == "library"
        assert {p.file.name for p in app.library.problems} == {"pipe.yaml", "odd.yaml"}
        assert any("not a regular file" in message for message in app.messages)
        assert app.read_state() == {}
    finally:
        app.close()
        theme.apply(qt, "light")
