"""Start the window: ``run_gui(argv)`` with ``--data-dir DIR`` and digest files to import.

While the window runs, the interpreter is set up to favour its GUI thread
(`favouring_the_gui_thread`): settings of the whole process, so they are made here, where
the process becomes a window, and not by any part of it.
"""

from __future__ import annotations

import gc
import logging
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox

from readerapp import APP_ID, APP_NAME, __version__
from readerapp.core.errors import ReaderappError
from readerapp.core.paths import data_dir, split_data_dir
from readerapp.gui import testing_hooks
from readerapp.gui.crash import reporting
from readerapp.gui.dialogs.damaged_library import open_collection
from readerapp.gui.launch import LaunchRequests
from readerapp.gui.settings import ORGANISATION, app_settings
from readerapp.gui.single_instance import hand_off, server_name, start_or_hand_off
from readerapp.gui.style import app_icon, apply_stylesheet
from readerapp.gui.tasks import TaskManager
from readerapp.gui.termination import CloseOnSignals
from readerapp.gui.views.main_window import MainWindow

log = logging.getLogger(__name__)

SWITCH_INTERVAL_S = 0.0005  # how long a thread may hold the GIL while another waits for it


@dataclass
class GuiArgs:
    data_dir: str | None = None
    paths: list[Path] = field(default_factory=list)


def parse_args(argv: Sequence[str]) -> GuiArgs:
    """``--data-dir DIR`` (or ``--data-dir=DIR``) and the digest files or folders to import."""
    data_dir, rest = split_data_dir(argv)
    args = GuiArgs(data_dir)
    for item in rest:
        if item.startswith("-") and item != "-":
            log.warning("ignoring the unknown option %s", item)
        else:
            args.paths.append(Path(item))
    return args


def make_application() -> QApplication:
    """The QApplication, named so that the desktop finds its entry for the window.

    On Wayland the desktop file name is the window's app id; on X11 the application name is
    the class of the window's ``WM_CLASS`` (and the program name its instance). Both are the
    desktop entry's id, which is also its ``StartupWMClass``, so that docks and task bars show
    the window under its launcher. The name people read stays "readerapp" (the display name,
    which the title bar shows); settings are found by their own names (`app_settings`).
    """
    app = QApplication.instance() or QApplication([APP_NAME])
    app.setApplicationName(APP_ID)
    app.setApplicationDisplayName(APP_NAME)
    app.setOrganizationName(ORGANISATION)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(app_icon())
    apply_stylesheet(app)
    return app


def run_gui(argv: Sequence[str]) -> int:
    """Open the window on the library of ``--data-dir`` (or the default) until it closes.

    When a window is already open on that library, it takes the files and comes to the front,
    and this process ends at once (see `single_instance`). Records go to the log file only.
    """
    with reporting():
        args = parse_args(argv)
        library_dir = data_dir(args.data_dir)
        if hand_off(server_name(library_dir), args.paths):  # before Qt's start-up costs
            return 0
        app = make_application()
        server = start_or_hand_off(server_name(library_dir), args.paths)
        if server is None:
            return 0
        requests = LaunchRequests(app)  # also macOS's FileOpen events
        server.paths_received.connect(requests.add)
        signals = CloseOnSignals(app)
        try:
            return _run_window(app, library_dir, args.paths, requests)
        finally:
            signals.uninstall()
            requests.close()
            server.close()


def _run_window(
    app: QApplication, library_dir: Path, paths: list[Path], requests: LaunchRequests
) -> int:
    try:
        collection, restored = open_collection(library_dir)  # asks about a damaged library
    except ReaderappError as exc:
        QMessageBox.critical(None, "readerapp", str(exc))
        return 1
    if collection is None:
        return 1
    try:
        window = MainWindow(collection, app_settings())
        with favouring_the_gui_thread(window.tasks):
            window.show()
            window.start(paths)
            testing_hooks.announce_ready(window.papers)
            if restored:
                window.status.message(restored, 30_000)
            requests.attach(window, window.imports.import_paths)
            return app.exec()
    finally:
        collection.close()


@contextmanager
def favouring_the_gui_thread(tasks: TaskManager) -> Iterator[None]:
    """Set the interpreter up for the window during the ``with`` block, and back after it.

    - The interpreter hands the GIL between threads every `SWITCH_INTERVAL_S` instead of
      every 5 ms. Each time Qt calls into Python on the GUI thread (a model's ``data``, a
      delegate's ``paint``: a few hundred calls to repaint the list) that thread asks for the
      GIL again, and while a background thread runs Python it waits up to one switch interval
      for it, so that a repaint beside a busy worker took many times as long as alone.
    - The objects alive at the start (the modules imported, the window), and again those
      alive once the start-up's long tasks (``tasks``) are done (the index's readers), are
      left out of the garbage collector's full collections, which held the GIL for long
      stretches on whichever thread they fell.
    """
    interval = sys.getswitchinterval()
    sys.setswitchinterval(min(interval, SWITCH_INTERVAL_S))
    gc.freeze()

    def start_up_ended() -> None:
        if not tasks.busy_long:
            tasks.long_finished.disconnect(start_up_ended)
            gc.freeze()

    tasks.long_finished.connect(start_up_ended)
    try:
        yield
    finally:
        sys.setswitchinterval(interval)
        gc.unfreeze()
