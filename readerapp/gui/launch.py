"""Files that reach the running window from outside it: handed over by a later launch (see
`single_instance`) or sent by macOS as FileOpen events (a digest double-clicked in the Finder,
or dropped on the Dock icon). Either way the window comes to the front and imports them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

ImportPaths = Callable[[list[Path]], None]


def bring_to_front(window: QWidget) -> None:
    """Show ``window`` restored, raised and active.

    Window managers on X11 may refuse to hand the focus to a window that asks for it itself;
    the alert then marks it as wanting attention (a flashing task bar entry) instead.
    """
    if window.isMinimized():
        window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
    window.show()
    window.raise_()
    window.activateWindow()
    if QGuiApplication.platformName() == "xcb":
        QApplication.alert(window)


def open_files(window: QWidget, import_paths: ImportPaths, paths: Iterable[Path]) -> None:
    """Bring ``window`` to the front and import ``paths`` with ``import_paths`` (none: only
    to the front)."""
    bring_to_front(window)
    paths = list(paths)
    if paths:
        import_paths(paths)


class LaunchRequests(QObject):
    """Collects the paths to open from every source and gives them to the window, which
    imports them with the ``import_paths`` it is attached with.

    Requests that arrive before a window is attached (during start-up, or while a dialog asks
    about a damaged library) wait for it. FileOpen events come one per file; those that arrive
    together are imported together. As an event filter on the application it sees every event,
    so it looks at nothing but the type of the others.
    """

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self._app = app
        self._window: QWidget | None = None
        self._import_paths: ImportPaths | None = None
        self._paths: list[Path] = []
        self._asked = False
        self._batch = QTimer(self)
        self._batch.setSingleShot(True)
        self._batch.setInterval(0)
        self._batch.timeout.connect(self._deliver)
        app.installEventFilter(self)

    def attach(self, window: QWidget, import_paths: ImportPaths) -> None:
        self._window = window
        self._import_paths = import_paths
        if self._asked:
            self._batch.start()

    def close(self) -> None:
        self._app.removeEventFilter(self)
        self._batch.stop()
        self._window = self._import_paths = None

    def add(self, paths: Iterable[Path]) -> None:
        """Open ``paths`` (or, when there are none, just show the window) soon."""
        self._paths.extend(Path(p) for p in paths)
        self._asked = True
        self._batch.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.FileOpen:
            return False
        path = event.file() or event.url().toLocalFile()
        if path:
            self.add([Path(path)])
        return True

    def _deliver(self) -> None:
        if self._window is None or self._import_paths is None or not self._asked:
            return
        paths, self._paths, self._asked = self._paths, [], False
        open_files(self._window, self._import_paths, paths)
