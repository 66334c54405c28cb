"""The screen lock over D-Bus, for real: a private session bus, a freedesktop ScreenSaver service in its own
process, and the presence probe seeing the lock come and go."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from massage_guide.core.reminders import Presence
from massage_guide.ui.presence import DesktopPresence

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not (shutil.which("dbus-daemon") and shutil.which("dbus-send")),
        reason="needs dbus-daemon and dbus-send (Debian: apt-get install dbus-daemon dbus-bin)",
    ),
]

# What a desktop's screen saver offers on the session bus (the part the probe uses, and SetActive, which
# the freedesktop interface also has and this test toggles the lock with).
SCREEN_SAVER_SERVICE = """
import sys
from PySide6.QtCore import ClassInfo, QCoreApplication, QObject, Slot
from PySide6.QtDBus import QDBusConnection

@ClassInfo({"D-Bus Interface": "org.freedesktop.ScreenSaver"})
class ScreenSaver(QObject):
    active = False

    @Slot(result=bool)
    def GetActive(self):
        return self.active

    @Slot(bool, result=bool)
    def SetActive(self, on):
        self.active = on
        return True

app = QCoreApplication([])
bus = QDBusConnection.sessionBus()
saver = ScreenSaver()
ok = bus.registerObject("/org/freedesktop/ScreenSaver", saver, QDBusConnection.RegisterOption.ExportAllSlots)
ok = ok and bus.registerService("org.freedesktop.ScreenSaver")
print("ready" if ok else "failed: " + bus.lastError().message(), flush=True)
sys.exit(app.exec() if ok else 1)
"""

# Generous: a cold PySide6 import on a busy shared machine; a healthy run takes well under a second.
START_TIMEOUT = 60


@pytest.fixture
def session_bus(tmp_path: Path) -> Iterator[str]:
    """A private session bus in a temporary folder (never the desktop's own); its address."""
    daemon = subprocess.Popen(
        [
            "dbus-daemon",
            "--session",
            "--nofork",
            "--print-address",
            f"--address=unix:path={tmp_path / 'bus'}",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,  # its notes on fd limits in a container
        text=True,
    )
    assert daemon.stdout is not None
    with daemon.stdout:
        try:
            address = daemon.stdout.readline().strip()
            assert address.startswith("unix:"), address
            yield address
        finally:
            daemon.terminate()
            daemon.wait(timeout=10)


@pytest.fixture
def screen_saver(session_bus: str) -> Iterator[subprocess.Popen[str]]:
    """The ScreenSaver service running on the private bus, unlocked."""
    service = start_service(session_bus)
    try:
        yield service
    finally:
        stop_service(service)


def start_service(address: str) -> subprocess.Popen[str]:
    env = {**os.environ, "DBUS_SESSION_BUS_ADDRESS": address, "QT_QPA_PLATFORM": "offscreen"}
    service = subprocess.Popen(
        [sys.executable, "-c", SCREEN_SAVER_SERVICE], env=env, stdout=subprocess.PIPE, text=True
    )
    assert service.stdout is not None
    assert service.stdout.readline().strip() == "ready"
    return service


def stop_service(service: subprocess.Popen[str]) -> None:
    service.terminate()
    service.wait(timeout=START_TIMEOUT)
    if service.stdout is not None:
        service.stdout.close()


def set_locked(address: str, locked: bool) -> None:
    """Turn the screen saver on or off from outside, as the desktop does when the screen locks."""
    call = [
        "dbus-send", f"--bus={address}", "--print-reply", "--dest=org.freedesktop.ScreenSaver",
        "/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver.SetActive", f"boolean:{str(locked).lower()}",
    ]  # fmt: skip
    subprocess.run(call, check=True, capture_output=True, timeout=START_TIMEOUT)


def test_the_probe_sees_the_screen_lock_and_unlock_over_dbus(
    qapp: object, session_bus: str, screen_saver: subprocess.Popen[str]
) -> None:
    """With a ScreenSaver service on the bus the probe reports unlocked, then locked, then unlocked again, and
    says nothing (rather than failing) once the service has gone."""
    probe = DesktopPresence("offscreen", bus_address=session_bus)
    assert "D-Bus screen saver" in probe.describe()
    assert probe.presence() == Presence(locked=False)
    set_locked(session_bus, True)
    assert probe.presence().locked is True
    set_locked(session_bus, False)
    assert probe.presence().locked is False
    set_locked(session_bus, True)
    stop_service(screen_saver)  # locked when it went away: gone means unknown, not locked
    assert probe.presence() == Presence()


def test_a_screen_saver_that_starts_later_is_found(qapp: object, session_bus: str) -> None:
    """A probe made before the desktop's screen saver is up finds it once it appears (a login where the app
    starts first), instead of staying blind for the whole day."""
    probe = DesktopPresence("offscreen", bus_address=session_bus)
    assert "D-Bus" not in probe.describe()
    assert probe.presence() == Presence()
    service = start_service(session_bus)
    try:
        set_locked(session_bus, True)
        assert probe.presence().locked is True
    finally:
        stop_service(service)
