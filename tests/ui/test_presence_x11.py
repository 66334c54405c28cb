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


# The display this project's checks may take on a shared machine (each engineer has their own number).
TEST_DISPLAY = ":96"


@pytest.fixture
def x_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A private Xvfb on TEST_DISPLAY with openbox managing windows (skipped while that display is in use)."""
    number = TEST_DISPLAY.lstrip(":")
    if os.path.exists(f"/tmp/.X{number}-lock"):  # noqa: PTH110 - the X server's own lock file
        pytest.skip(f"display {TEST_DISPLAY} is in use")
    server = subprocess.Popen(
        ["Xvfb", TEST_DISPLAY, "-screen", "0", "800x600x24", "-nolisten", "tcp"], stderr=subprocess.DEVNULL
    )
    env = {**os.environ, "DISPLAY": TEST_DISPLAY}
    ready = wait_for(lambda: os.path.exists(f"/tmp/.X11-unix/X{number}"), 10)  # noqa: PTH110
    manager = subprocess.Popen(["openbox"], env=env, stderr=subprocess.DEVNULL)
    monkeypatch.setenv("DISPLAY", TEST_DISPLAY)
    try:
        if not ready:
            pytest.skip(f"Xvfb did not start on {TEST_DISPLAY}")
        yield TEST_DISPLAY
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
