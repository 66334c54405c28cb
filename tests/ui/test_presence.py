"""The desktop presence probe degrades to "nothing known" where a source is missing, and never raises."""

from __future__ import annotations

import pytest

from massage_guide.core.reminders import Presence
from massage_guide.ui.presence import DesktopPresence, X11Presence


def test_without_x11_the_probe_reports_nothing_known(qapp: object, monkeypatch: pytest.MonkeyPatch) -> None:
    """On a platform that is not X11 (Wayland, offscreen) the probe says "present, not full screen"."""
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    probe = DesktopPresence("offscreen")
    assert probe.presence() == Presence()
    assert "X11" not in probe.describe()


def test_x11_reader_without_a_display_is_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    """With no X display to open, the X11 reader says so instead of failing."""
    monkeypatch.setenv("DISPLAY", ":9999")  # nothing listens there
    reader = X11Presence()
    assert not reader.available
    assert reader.idle() is None
    assert reader.fullscreen() is False
    reader.close()
