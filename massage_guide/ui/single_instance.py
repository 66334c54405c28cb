"""One running app per user: a second launch hands its request to the first and exits."""

from __future__ import annotations

import json
import logging
import sys
import zlib
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from massage_guide.paths import runtime_dir

log = logging.getLogger(__name__)

# How long a second launch waits for the first to answer; the whole hand-over stays well under a second.
CONNECT_TIMEOUT_MS = 300
WRITE_TIMEOUT_MS = 300


def server_name(data_dir: str) -> str:
    """One name per data folder, so a portable MASSAGE_GUIDE_HOME runs its own instance.

    On Unix it is a full path in a folder only this user can enter (XDG_RUNTIME_DIR or our own 0700
    folder), never a guessable name in the shared /tmp where another user could listen first."""
    # crc32 is plenty to tell folders apart and, unlike hashlib, costs nothing to import at start-up.
    name = f"massage-guide-{zlib.crc32(data_dir.encode()):08x}"
    if sys.platform == "win32":
        return name  # a named pipe; UserAccessOption restricts it to this user
    folder = runtime_dir(Path(data_dir))
    if folder is None:
        # No private folder at all: an empty name never listens nor connects, so this one runs alone.
        log.warning("no private folder for the single-instance socket; a second launch opens a second window")
        return ""
    return str(folder / name)


def send_to_running(name: str, message: dict[str, Any]) -> bool:
    """Deliver ``message`` to a running instance; False when none is listening."""
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(CONNECT_TIMEOUT_MS):
        return False
    socket.write(json.dumps(message).encode() + b"\n")
    socket.flush()
    delivered = socket.waitForBytesWritten(WRITE_TIMEOUT_MS)
    socket.disconnectFromServer()
    return delivered or socket.bytesToWrite() == 0


class InstanceServer(QObject):
    """Listens for later launches.

    Signals: ``message_received(dict)`` with what the later launch asked for (``{"start": id}`` or ``{}``)."""

    message_received = Signal(dict)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._accept)

    def listen(self) -> bool:
        if self._server.listen(self.name):
            return True
        # A socket file left by a crashed instance: nobody answers on it, so it is safe to remove.
        QLocalServer.removeServer(self.name)
        ok = self._server.listen(self.name)
        if not ok:
            log.warning("single-instance server did not start: %s", self._server.errorString())
        return ok

    def close(self) -> None:
        self._server.close()

    def _accept(self) -> None:
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            # A bound method, not a lambda holding the socket: PySide can crash disconnecting such a lambda
            # when the socket is deleted.
            socket.readyRead.connect(self._ready_read)
            socket.disconnected.connect(socket.deleteLater)
            if socket.bytesAvailable():
                self._read(socket)

    def _ready_read(self) -> None:
        socket = self.sender()
        if isinstance(socket, QLocalSocket):
            self._read(socket)

    def _read(self, socket: QLocalSocket) -> None:
        while socket.canReadLine():
            line = bytes(socket.readLine().data()).strip()
            try:
                message = json.loads(line) if line else {}
            except ValueError:
                continue
            if isinstance(message, dict):
                self.message_received.emit(message)
