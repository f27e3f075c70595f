"""One window per data directory: a second launch hands its files to the first and exits.

The first process listens on a local socket (a Unix socket, a named pipe on Windows) whose name
is derived from the user and the resolved data directory. A later launch on the same library
connects, sends one line of JSON (``{"paths": [...]}``, absolute paths) and waits for ``ok``;
the running window comes to the front and imports the files. A socket left behind by a run that
crashed answers nobody: it is removed and the new process listens in its place.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from readerapp import APP_NAME

log = logging.getLogger(__name__)

CONNECT_MS = 500  # a running instance accepts at once; a stale socket refuses at once
ANSWER_MS = 10_000  # the window answers between two events, but may be busy painting
ACK = b"ok\n"
MAX_MESSAGE = 1 << 20  # a message is a list of paths; anything longer is not ours


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (a container, a service): the home folder will do
        return str(Path.home())


def server_name(data_dir: Path) -> str:
    """The socket's name for this user and data directory (short: Unix sockets have a limit)."""
    key = f"{_user()}\0{Path(data_dir).resolve()}"
    return f"{APP_NAME}-{hashlib.sha256(key.encode('utf-8', 'surrogatepass')).hexdigest()[:24]}"


def encode(paths: Sequence[Path]) -> bytes:
    """The message for ``paths``, made absolute against this process's working folder."""
    data = {"paths": [os.path.abspath(p) for p in paths]}
    return json.dumps(data).encode("utf-8") + b"\n"


def decode(message: bytes) -> list[Path] | None:
    """The paths of a message, or None when it is not one of ours."""
    try:
        data = json.loads(message.decode("utf-8"))
    except ValueError:
        return None
    paths = data.get("paths") if isinstance(data, dict) else None
    if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
        return None
    return [Path(p) for p in paths]


def hand_off(name: str, paths: Sequence[Path]) -> bool:
    """Give ``paths`` to the instance listening on ``name``; True once it has taken them.

    False when nobody listens (no instance, or the socket of a crashed one) or the instance
    does not answer. Blocks for at most a few seconds; needs no event loop.
    """
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(CONNECT_MS):
        return False
    socket.write(encode(paths))
    socket.waitForBytesWritten(ANSWER_MS)
    answer = b""
    while ACK not in answer and socket.waitForReadyRead(ANSWER_MS):
        answer += socket.readAll().data()
    socket.disconnectFromServer()
    if ACK not in answer:
        log.warning("the running readerapp took the connection but did not answer")
        return False
    log.info("handed %d path(s) to the running readerapp", len(paths))
    return True


class InstanceServer(QObject):
    """Listens for later launches; each message becomes ``paths_received``."""

    paths_received = Signal(list)  # list[Path]; empty when a launch only wants the window

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.server = QLocalServer(self)
        self.server.newConnection.connect(self._accept)

    def listen(self) -> bool:
        """Listen on the name; False when it is taken (live or stale: see `start_or_hand_off`)."""
        if sys.platform == "win32":  # a named pipe: its access list, set by Qt
            self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not self.server.listen(self.name):
            log.info("cannot listen on %s: %s", self.name, self.server.errorString())
            return False
        if sys.platform != "win32":
            # Qt's UserAccessOption would replace a live socket of the same name without a word,
            # so two launches racing could both listen: restrict the socket to its owner here.
            try:
                os.chmod(self.server.fullServerName(), 0o700)
            except OSError as exc:
                log.warning("cannot restrict the socket %s: %s", self.name, exc)
        log.info("listening for other launches on %s", self.server.fullServerName())
        return True

    def close(self) -> None:
        self.server.close()

    def _accept(self) -> None:
        while self.server.hasPendingConnections():
            client = _Client(self.server.nextPendingConnection(), self)
            client.paths_received.connect(self.paths_received)


class _Client(QObject):
    """One later launch on the line: reads its message, answers, and goes away."""

    paths_received = Signal(list)

    def __init__(self, socket: QLocalSocket, parent: QObject) -> None:
        super().__init__(parent)
        self.socket = socket
        socket.setParent(self)
        self.buffer = bytearray()
        socket.readyRead.connect(self._read)
        socket.disconnected.connect(self.deleteLater)

    def _read(self) -> None:
        self.buffer += self.socket.readAll().data()
        if len(self.buffer) > MAX_MESSAGE:
            log.warning("dropped an over-long message from another launch")
            self.socket.abort()
            return
        if b"\n" not in self.buffer:
            return
        paths = decode(bytes(self.buffer.partition(b"\n")[0]))
        if paths is None:
            log.warning("dropped a message that is not from readerapp")
            self.socket.abort()
            return
        self.socket.write(ACK)
        self.socket.flush()
        self.socket.disconnectFromServer()
        self.paths_received.emit(paths)


def start_or_hand_off(name: str, paths: Sequence[Path]) -> InstanceServer | None:
    """Become the instance for ``name``, or hand ``paths`` to the one that already is.

    Returns the listening server, or None when another instance took the paths (this process
    then has nothing more to do). When the name is taken but nobody answers, it is a socket
    left by a crashed run: it is removed and this process listens instead.
    """
    if hand_off(name, paths):
        return None
    server = InstanceServer(name)
    if server.listen():
        return server
    if hand_off(name, paths):  # another launch started listening a moment ago
        server.deleteLater()
        return None
    log.info("removing the stale socket %s left by an earlier run", name)
    QLocalServer.removeServer(name)
    if not server.listen():
        log.warning("running without a socket: a later launch will open a window of its own")
    return server
