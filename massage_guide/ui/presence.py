"""Presence from the desktop: X11 idle time and full-screen windows, the freedesktop ScreenSaver over D-Bus.

Each source is optional: where one is missing (Wayland, no D-Bus, no XScreenSaver) it simply says nothing,
and reminders fall back to the interval alone (docs/settings.md, "Wayland")."""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
from typing import Any, Final

from massage_guide.core.reminders import Presence

log = logging.getLogger(__name__)

_ANY_PROPERTY_TYPE: Final = 0
_SCREEN_SAVER_ON: Final = 1
_MAX_ATOMS: Final = 64  # far more states than any window carries
_SERVICE: Final = "org.freedesktop.ScreenSaver"
_PATH: Final = "/org/freedesktop/ScreenSaver"
_BUS_NAME: Final = "massage-guide-presence"
# The reminder check asks from the GUI thread: a screen saver that hangs must not freeze the app for
# D-Bus's default 25 s. A healthy one answers in about a millisecond.
_CALL_TIMEOUT_MS: Final = 500


class _XScreenSaverInfo(ctypes.Structure):
    _fields_ = (
        ("window", ctypes.c_ulong),
        ("state", ctypes.c_int),
        ("kind", ctypes.c_int),
        ("til_or_since", ctypes.c_ulong),
        ("idle", ctypes.c_ulong),
        ("event_mask", ctypes.c_ulong),
    )


# Xlib's default error handler ends the process: a window that closes between reading the active window
# and reading its state (BadWindow) must not take the app down. One handler for the process, kept alive here.
_X_ERROR_HANDLER: Any = None


def _ignore_x_errors(_display: int, _event: int) -> int:
    return 0


class X11Presence:
    """Reads the X server directly through Xlib (its own connection, so Qt's is left alone)."""

    def __init__(self) -> None:
        self._x: Any = None
        self._xss: Any = None
        self._display: int | None = None
        try:
            x = ctypes.CDLL(ctypes.util.find_library("X11") or "libX11.so.6")
        except OSError:
            return
        x.XOpenDisplay.restype = ctypes.c_void_p
        x.XOpenDisplay.argtypes = (ctypes.c_char_p,)
        x.XDefaultRootWindow.restype = ctypes.c_ulong
        x.XDefaultRootWindow.argtypes = (ctypes.c_void_p,)
        x.XInternAtom.restype = ctypes.c_ulong
        x.XInternAtom.argtypes = (ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int)
        x.XGetWindowProperty.argtypes = (
            ctypes.c_void_p, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_long, ctypes.c_long, ctypes.c_int,
            ctypes.c_ulong, ctypes.POINTER(ctypes.c_ulong), ctypes.POINTER(ctypes.c_int),
            ctypes.POINTER(ctypes.c_ulong), ctypes.POINTER(ctypes.c_ulong), ctypes.POINTER(ctypes.c_void_p),
        )  # fmt: skip
        x.XFree.argtypes = (ctypes.c_void_p,)
        x.XCloseDisplay.argtypes = (ctypes.c_void_p,)
        global _X_ERROR_HANDLER  # noqa: PLW0603 - Xlib holds the pointer; Python must keep the callback alive
        if _X_ERROR_HANDLER is None:
            handler_type = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p)
            _X_ERROR_HANDLER = handler_type(_ignore_x_errors)
            x.XSetErrorHandler.argtypes = (handler_type,)
            x.XSetErrorHandler(_X_ERROR_HANDLER)
        display = x.XOpenDisplay(None)
        if not display:
            return
        self._x, self._display = x, display
        try:
            xss = ctypes.CDLL(ctypes.util.find_library("Xss") or "libXss.so.1")
            xss.XScreenSaverQueryInfo.argtypes = (
                ctypes.c_void_p, ctypes.c_ulong, ctypes.POINTER(_XScreenSaverInfo),
            )  # fmt: skip
            self._xss = xss
        except OSError:
            log.info("XScreenSaver library not found: idle time unknown")
        self._root = x.XDefaultRootWindow(display)
        self._active_atom = x.XInternAtom(display, b"_NET_ACTIVE_WINDOW", 0)
        self._state_atom = x.XInternAtom(display, b"_NET_WM_STATE", 0)
        self._fullscreen_atom = x.XInternAtom(display, b"_NET_WM_STATE_FULLSCREEN", 0)

    @property
    def available(self) -> bool:
        return self._display is not None

    def close(self) -> None:
        if self._display is not None:
            self._x.XCloseDisplay(self._display)
            self._display = None

    def idle(self) -> tuple[float, bool] | None:
        """(seconds since the last input, screen saver on) or None when the server cannot say."""
        if self._display is None or self._xss is None:
            return None
        info = _XScreenSaverInfo()
        if not self._xss.XScreenSaverQueryInfo(self._display, self._root, ctypes.byref(info)):
            return None
        return info.idle / 1000.0, info.state == _SCREEN_SAVER_ON

    def _property(self, window: int, atom: int) -> list[int]:
        kind, fmt = ctypes.c_ulong(), ctypes.c_int()
        count, after, data = ctypes.c_ulong(), ctypes.c_ulong(), ctypes.c_void_p()
        status = self._x.XGetWindowProperty(
            self._display, window, atom, 0, _MAX_ATOMS, 0, _ANY_PROPERTY_TYPE,
            ctypes.byref(kind), ctypes.byref(fmt), ctypes.byref(count), ctypes.byref(after), ctypes.byref(data),
        )  # fmt: skip
        if status != 0 or not data.value:
            return []
        try:
            # Format 32 properties come back as C longs, whatever their declared width.
            values = ctypes.cast(data, ctypes.POINTER(ctypes.c_ulong))
            return [int(values[i]) for i in range(count.value)] if fmt.value == 32 else []
        finally:
            self._x.XFree(data)

    def fullscreen(self) -> bool:
        """Whether the active window carries _NET_WM_STATE_FULLSCREEN."""
        if self._display is None:
            return False
        active = self._property(self._root, self._active_atom)
        if not active or not active[0]:
            return False
        return self._fullscreen_atom in self._property(active[0], self._state_atom)


class DBusScreenSaver:
    """org.freedesktop.ScreenSaver on the session bus (or the bus at ``address``): is the screen locked?

    A desktop that starts its screen saver after the app (a login that starts us first) is found later:
    while the service is missing, each look asks for it again, which costs one quick bus round trip."""

    def __init__(self, address: str | None = None) -> None:
        self._bus: Any = None
        self._interface: Any = None
        try:
            from PySide6.QtDBus import QDBusConnection
        except ImportError:
            return
        if address is None:
            bus = QDBusConnection.sessionBus()
        else:
            bus = QDBusConnection.connectToBus(address, f"{_BUS_NAME}-{address}")
        if bus.isConnected():
            self._bus = bus

    def _screensaver(self) -> Any:
        if self._interface is None and self._bus is not None:
            from PySide6.QtDBus import QDBusInterface

            interface = QDBusInterface(_SERVICE, _PATH, _SERVICE, self._bus)
            if interface.isValid():
                interface.setTimeout(_CALL_TIMEOUT_MS)
                self._interface = interface
        return self._interface

    @property
    def available(self) -> bool:
        return self._screensaver() is not None

    def active(self) -> bool | None:
        """True while the screen saver (or the lock) is on; None when no screen saver answers."""
        interface = self._screensaver()
        if interface is None:
            return None
        from PySide6.QtDBus import QDBusMessage

        reply = interface.call("GetActive")
        arguments = reply.arguments()
        # An error reply carries its message as an argument: a screen saver that has gone away must read as
        # "unknown", never as "locked" (that would silence every reminder).
        if reply.type() != QDBusMessage.MessageType.ReplyMessage or not arguments:
            self._interface = None  # look for the service afresh next time
            return None
        return arguments[0] is True


class DesktopPresence:
    """The presence probe the app uses: X11 where it runs on X11, the D-Bus screen saver where there is one."""

    def __init__(self, platform: str, bus_address: str | None = None) -> None:
        self._x11 = X11Presence() if platform == "xcb" else None
        self._dbus = DBusScreenSaver(bus_address)

    def describe(self) -> str:
        parts = []
        if self._x11 is not None and self._x11.available:
            parts.append("X11")
        if self._dbus.available:
            parts.append("D-Bus screen saver")
        return ", ".join(parts) or "none"

    def presence(self) -> Presence:
        try:
            idle_seconds, locked, fullscreen = 0.0, False, False
            if self._x11 is not None:
                idle = self._x11.idle()
                if idle is not None:
                    idle_seconds, locked = idle
                fullscreen = self._x11.fullscreen()
            if not locked and self._dbus.active():
                locked = True
            return Presence(idle_seconds=idle_seconds, locked=locked, fullscreen=fullscreen)
        except Exception:  # a probe must never stop reminders; without it they run on the interval alone
            log.exception("presence probe failed")
            return Presence()
