"""Close the window cleanly when the system asks the process to end.

SIGTERM (a logout, a shutdown, ``kill``), SIGHUP (the terminal closed) and SIGINT (Ctrl+C in
the terminal that started it) close every window as Ctrl+Q does: the note being edited is
saved, queued writes finish, the library is closed and the socket that other launches look
for is removed (left behind, it stays in the temporary folder).

Python runs a signal's handler only when the interpreter next runs, which inside Qt's event
loop may be never, and then between any two bytecodes, even halfway through writing a log
line. So the handler does nothing: the signal's number also goes down a socket
(`signal.set_wakeup_fd`), which wakes the event loop, and the loop's own turn logs the
signal and closes the windows.
"""

from __future__ import annotations

import logging
import signal
import socket
from types import FrameType

from PySide6.QtCore import QObject, QSocketNotifier
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)

SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP", "SIGINT") if hasattr(signal, name)
)


class CloseOnSignals(QObject):
    """While it is installed, the signals in `SIGNALS` close the application's windows."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self._app = app
        self._wake, self._woken = socket.socketpair()
        for end in (self._wake, self._woken):
            end.setblocking(False)
        self._notifier = QSocketNotifier(self._woken.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._drain)
        self._previous_fd = signal.set_wakeup_fd(self._wake.fileno())
        self._previous = {number: signal.signal(number, _noted) for number in SIGNALS}

    def uninstall(self) -> None:
        """Put back what was there before."""
        for number, handler in self._previous.items():
            signal.signal(number, handler)
        signal.set_wakeup_fd(self._previous_fd)
        self._notifier.setEnabled(False)
        self._wake.close()
        self._woken.close()
        self.deleteLater()

    def _drain(self) -> None:
        numbers = bytearray()
        try:
            while chunk := self._woken.recv(64):
                numbers += chunk
        except BlockingIOError:
            pass
        asked = [signal.Signals(number).name for number in numbers if number in SIGNALS]
        if asked:
            log.info("closing: %s", ", ".join(dict.fromkeys(asked)))
            self._app.closeAllWindows()


def _noted(_number: int, _frame: FrameType | None) -> None:
    """Stands in for the default handler, which would end the process at once (or raise
    KeyboardInterrupt); the number reaches `CloseOnSignals._drain` through the socket."""
