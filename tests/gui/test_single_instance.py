"""One window per data directory: a second launch hands its files over and exits."""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QDir
from PySide6.QtNetwork import QLocalSocket
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from readerapp.core.errors import ReaderappError
from readerapp.core.library import Library
from readerapp.core.paths import data_dir as resolve_data_dir
from readerapp.gui.single_instance import (
    ACK,
    InstanceServer,
    encode,
    hand_off,
    server_name,
    start_or_hand_off,
)
from readerapp.gui.termination import CloseOnSignals
from tests.gui.conftest import PAPERS

START_TIMEOUT_MS = 60_000  # a cold start of Python and Qt on a slow CI machine
unix_only = pytest.mark.skipif(sys.platform == "win32", reason="Unix sockets in the temp folder")


def listening(name: str) -> bool:
    probe = QLocalSocket()
    probe.connectToServer(name)
    connected = probe.waitForConnected(100)
    probe.abort()
    return connected


def readerapp(*args: str) -> list[str]:
    return [sys.executable, "-m", "readerapp", *args]


@pytest.fixture
def server(data_dir: Path) -> Iterator[InstanceServer]:
    found = InstanceServer(server_name(data_dir))
    assert found.listen()
    yield found
    found.close()


def send(qtbot: QtBot, name: str, message: bytes) -> QLocalSocket:
    """A client as another launch would be, but driven by this thread's event loop."""
    client = QLocalSocket()
    client.connectToServer(name)
    qtbot.waitUntil(lambda: client.state() == QLocalSocket.LocalSocketState.ConnectedState)
    client.write(message)
    return client


def test_the_name_depends_on_the_resolved_data_directory(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    assert server_name(tmp_path / "a") == server_name(tmp_path / "b" / ".." / "a")
    assert server_name(tmp_path / "a") != server_name(tmp_path / "b")
    assert len(server_name(tmp_path / "a")) < 40  # Unix socket paths are short


def test_with_nobody_listening_there_is_no_hand_off(data_dir: Path) -> None:
    assert hand_off(server_name(data_dir), [Path("a.txt")]) is False


def test_the_server_takes_absolute_paths_and_answers(
    qtbot: QtBot, server: InstanceServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with qtbot.waitSignal(server.paths_received) as received:
        client = send(qtbot, server.name, encode([Path("digests/a.txt")]))
    assert received.args == [[tmp_path / "digests" / "a.txt"]]
    qtbot.waitUntil(lambda: client.bytesAvailable() >= len(ACK))
    assert client.readAll().data() == ACK


def test_the_server_drops_what_is_not_a_message_of_ours(
    qtbot: QtBot, server: InstanceServer
) -> None:
    with qtbot.assertNotEmitted(server.paths_received):
        client = send(qtbot, server.name, b'{"paths": "not a list"}\n')
        qtbot.waitUntil(lambda: client.state() == QLocalSocket.LocalSocketState.UnconnectedState)
    assert server.server.isListening()


@unix_only
def test_a_socket_left_by_a_crashed_run_is_replaced(qtbot: QtBot, data_dir: Path) -> None:
    name = server_name(data_dir)
    stale = Path(QDir.tempPath()) / name
    leftover = socket.socket(socket.AF_UNIX)
    leftover.bind(str(stale))  # bound, never listening, and its process gone
    leftover.close()
    assert stale.exists()
    assert hand_off(name, [Path("a.txt")]) is False
    server = start_or_hand_off(name, [])
    try:
        assert server is not None and server.server.isListening()
        assert stale.stat().st_mode & 0o077 == 0  # only its owner may connect
        with qtbot.waitSignal(server.paths_received) as received:
            client = send(qtbot, name, encode([data_dir / "a.txt"]))
        assert received.args == [[data_dir / "a.txt"]]
        client.abort()
    finally:
        server.close()


def test_a_second_launch_gives_its_digest_to_the_first_window(
    qtbot: QtBot, tmp_path: Path, data_dir: Path, write_digest, private_home: Path
) -> None:
    digest = write_digest("a.txt", "Mar 13", PAPERS)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    name = server_name(resolve_data_dir(data_dir))
    errors = tmp_path / "first.stderr"
    with errors.open("wb") as stderr:
        first = subprocess.Popen(
            readerapp("--data-dir", str(data_dir)),
            env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=stderr,
        )  # fmt: skip
    try:

        def first_listens() -> bool:
            if first.poll() is not None:
                pytest.fail(f"the first window ended early: {errors.read_text()}")
            return listening(name)

        qtbot.waitUntil(first_listens, timeout=START_TIMEOUT_MS)
        # the second launch names the digest relative to its own folder, as a file manager may
        second = subprocess.run(
            readerapp("--data-dir", str(data_dir), digest.name), cwd=digest.parent,
            env=env, stdin=subprocess.DEVNULL, capture_output=True, timeout=60,
        )  # fmt: skip
        assert (second.returncode, second.stderr) == (0, b"")
        library = Library.in_dir(data_dir)
        try:
            qtbot.waitUntil(lambda: library.count() == len(PAPERS), timeout=START_TIMEOUT_MS)
        finally:
            library.close()
        assert first.poll() is None
    finally:
        first.terminate()
        first.wait(timeout=30)
    assert errors.read_text() == ""  # the window writes to its log file, never to stderr
    log = (private_home / "xdg_state_home" / "readerapp" / "log" / "readerapp.log").read_text()
    assert "listening for other launches" in log
    assert "handed 1 path(s) to the running readerapp" in log


def papers_in(data_dir: Path) -> int:
    """How many papers the library holds; 0 while the window has not made it yet."""
    try:
        library = Library.in_dir(data_dir)
    except ReaderappError:
        return 0
    try:
        return library.count()
    finally:
        library.close()


@unix_only
@pytest.mark.parametrize("asked", ["SIGTERM", "SIGINT"])
def test_the_window_closes_cleanly_when_the_system_asks(
    qtbot: QtBot, tmp_path: Path, data_dir: Path, write_digest, private_home: Path, asked: str
) -> None:
    """A logout (SIGTERM) or Ctrl+C in the terminal (SIGINT) closes the window as Ctrl+Q does:
    the library closed (its WAL folded in) and the socket for other launches removed."""
    digest = write_digest("a.txt", "Mar 13", PAPERS)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    name = server_name(resolve_data_dir(data_dir))
    window = subprocess.Popen(
        readerapp("--data-dir", str(data_dir), str(digest)),
        env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        qtbot.waitUntil(lambda: papers_in(data_dir) == len(PAPERS), timeout=START_TIMEOUT_MS)
        window.send_signal(getattr(signal, asked))
        assert window.wait(timeout=60) == 0
    finally:
        window.kill()
        _, errors = window.communicate()
    assert errors == b""
    assert not (Path(QDir.tempPath()) / name).exists()
    assert not (data_dir / "library.sqlite3-wal").exists()
    log = (private_home / "xdg_state_home" / "readerapp" / "log" / "readerapp.log").read_text()
    assert f"closing: {asked}" in log


@unix_only
def test_a_signal_is_handled_at_the_event_loops_turn_not_where_it_lands(
    qtbot: QtBot, qapp: QApplication, caplog: pytest.LogCaptureFixture
) -> None:
    """A signal can land between any two bytecodes, halfway through writing a log line; the
    window logs it and closes only at the event loop's next turn, never inside that code."""
    caplog.set_level(logging.INFO, logger="readerapp.gui.termination")
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    closer = CloseOnSignals(qapp)
    try:
        os.kill(os.getpid(), signal.SIGTERM)
        assert window.isVisible() and "closing" not in caplog.text
        qtbot.waitUntil(lambda: not window.isVisible())
    finally:
        closer.uninstall()
    assert "closing: SIGTERM" in caplog.text
