"""The X11 presence probe against a real X server (Xvfb with openbox): idle time and a full-screen window."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from massage_guide.ui.presence import X11Presence

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not (shutil.which("Xvfb") and shutil.which("openbox")), reason="needs Xvfb and openbox"
    ),
]

FULL_SCREEN_WINDOW = """
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
label = QLabel("a film")
label.showFullScreen()
label.activateWindow()
app.exec()
"""


def wait_for(condition: object, timeout: float) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if callable(condition) and condition():
            return True
        time.sleep(0.1)  # polling another process's X state: there is no signal to wait on
    return False


@pytest.fixture
def x_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A private Xvfb on a free display number (-displayfd), with openbox managing windows."""
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "800x600x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as pipe:
        display = ":" + pipe.readline().strip()
    manager = subprocess.Popen(["openbox"], env={**os.environ, "DISPLAY": display}, stderr=subprocess.DEVNULL)
    monkeypatch.setenv("DISPLAY", display)
    try:
        yield display
    finally:
        manager.terminate()
        manager.wait(timeout=10)
        server.terminate()
        server.wait(timeout=10)


def test_idle_time_and_full_screen_from_a_real_server(x_server: str) -> None:
    """The probe reads the server's idle time, and sees _NET_WM_STATE_FULLSCREEN on the active window."""
    probe = X11Presence()
    try:
        assert probe.available
        idle = probe.idle()
        assert idle is not None and idle[0] >= 0 and idle[1] is False
        assert probe.fullscreen() is False
        env = {**os.environ, "DISPLAY": x_server, "QT_QPA_PLATFORM": "xcb"}
        window = subprocess.Popen(
            [sys.executable, "-c", FULL_SCREEN_WINDOW], env=env, stderr=subprocess.DEVNULL
        )
        try:
            assert wait_for(probe.fullscreen, 20), "the full-screen window was not seen"
        finally:
            window.terminate()
            window.wait(timeout=10)
        assert wait_for(lambda: not probe.fullscreen(), 10)
        # A window gone between two reads (BadWindow) is "no state", not the end of the process.
        assert probe._property(0x7FFFFF, probe._state_atom) == []
    finally:
        probe.close()
