"""End to end: the app built as main() builds it runs a short routine on the real timer and records it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from massage_guide import paths as paths_module
from massage_guide.app import build

SHORT = """\
schema_version: 1
id: e2e-short
title: A very short routine
summary: Two short steps for the end-to-end test.
areas: [hands]
goals: [stress_relief]
cautions: ["Stop if you feel sharp pain, numbness or tingling."]
ambience: soft-rain
steps:
  - {title: Breathe, instruction: Breathe in and out slowly., duration: 1s, technique: breathing}
  - {title: Rest, instruction: Rest your hands in your lap., duration: 1s, technique: rest}
"""


@pytest.mark.slow
def test_short_routine_runs_to_completion_and_is_recorded(qtbot: QtBot, mg_home: Path) -> None:
    """Start from the library, accept the safety notice, run on the real clock, and find the session saved."""
    (mg_home / "routines").mkdir()
    (mg_home / "routines" / "e2e-short.yaml").write_text(SHORT, encoding="utf-8")
    notices: list[str] = []

    def accept(text: str) -> bool:
        notices.append(text)
        return True

    qt = QApplication.instance()
    assert isinstance(qt, QApplication)
    app = build(qt, paths=paths_module.resolve(), ask_safety=accept)
    qtbot.addWidget(app.window)
    app.window.show()
    assert app.window.current_page_name() == "welcome"
    app.finish_start()
    assert app.window.current_page_name() == "library"
    qtbot.waitUntil(lambda: app.history is not None, timeout=5000)
    assert app.history is not None

    assert app.library.get("e2e-short") is not None
    app.controller.open_routine("e2e-short")
    assert app.window.current_page_name() == "detail"
    with qtbot.waitSignal(app.session.session_finished, timeout=15_000) as finished:
        assert app.controller.start_routine("e2e-short")
        assert app.window.current_page_name() == "player"
    summary = finished.args[0]
    assert summary.status == "completed"
    assert app.window.current_page_name() == "completion"
    assert len(notices) == 1 and "not medical advice" in notices[0].lower()
    assert "safety_notice_seen: true" in (mg_home / "settings.yaml").read_text(encoding="utf-8")

    records = app.history.list_sessions()
    assert [(r.routine_id, r.status, r.steps_completed, r.steps_total) for r in records] == [
        ("e2e-short", "completed", 2, 2)
    ]
    assert 1.5 <= records[0].active_seconds <= 4
    app.close()
