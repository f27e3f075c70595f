"""Uncaught exceptions: logged with their traceback, then told in a dialog, never a silent exit.

An exception that escapes a slot (``sys.excepthook``) or a thread (``threading.excepthook``)
is written to the log at once; a dialog then names it and the log file, on the GUI thread, at
the next turn of the event loop. The application keeps running where it can. Reporting never
recurses: an exception while a report is shown is only logged.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import (
    QMessageLogContext,
    QObject,
    Qt,
    QTimer,
    QtMsgType,
    Signal,
    qInstallMessageHandler,
)
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from readerapp.logs import setup_logging

log = logging.getLogger(__name__)
qt_log = logging.getLogger("qt")

MAX_SUMMARY = 300
KEEPS_RUNNING = "readerapp keeps running, but what you were doing may not have finished."
ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def summary(exc: BaseException) -> str:
    """``ValueError: what it said``, cut to a length a dialog can show."""
    text = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return text if len(text) <= MAX_SUMMARY else text[: MAX_SUMMARY - 1] + "…"


class CrashDialog(QMessageBox):
    """What went wrong, where the log is, and the choice to go on or quit.

    ``fatal``: readerapp cannot go on (the window failed to open, say); the one button closes it.
    """

    def __init__(self, message: str, details: str, log_path: Path | None,
                 parent: QWidget | None = None, *, fatal: bool = False) -> None:  # fmt: skip
        headline = "readerapp had to stop" if fatal else "Something went wrong"
        super().__init__(QMessageBox.Icon.Critical, "Unexpected error — readerapp",
                         f"{headline}: {message}", parent=parent)  # fmt: skip
        self.setObjectName("crashDialog")
        self.setAccessibleName("Unexpected error")
        where = (
            f"The details are in the log file:\n{log_path}"
            if log_path
            else "No log file could be written; the details are below."
        )
        self.setInformativeText(where if fatal else f"{KEEPS_RUNNING}\n\n{where}")
        self.setDetailedText(details)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.keep_going = None
        if not fatal:
            self.keep_going = self.addButton("Continue", QMessageBox.ButtonRole.AcceptRole)
            self.keep_going.setAccessibleName("Continue working")
        self.quit_button = self.addButton("Quit readerapp", QMessageBox.ButtonRole.DestructiveRole)
        self.quit_button.setAccessibleName("Quit readerapp")
        self.setDefaultButton(self.keep_going or self.quit_button)
        self.setEscapeButton(self.keep_going or self.quit_button)
        if not fatal:
            self.quit_button.clicked.connect(_quit)


def _quit() -> None:
    QApplication.closeAllWindows()  # each window saves its state and finishes its writes
    QTimer.singleShot(0, QApplication.quit)


class CrashHandler(QObject):
    """Installs the hooks; shows one dialog at a time."""

    _report = Signal(str, str)  # summary, traceback text; always delivered on the GUI thread

    def __init__(self, log_path: Path | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.log_path = log_path
        self.dialog: CrashDialog | None = None
        self._showing = False
        self._old_hooks: tuple | None = None
        self._report.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def install(self) -> None:
        if self._old_hooks is None:
            self._old_hooks = (sys.excepthook, threading.excepthook)
            sys.excepthook = self.excepthook
            threading.excepthook = self.thread_excepthook

    def uninstall(self) -> None:
        """Put back the hooks found at `install` (if nobody replaced ours meanwhile)."""
        if self._old_hooks is None:
            return
        old_sys, old_thread = self._old_hooks
        if sys.excepthook == self.excepthook:
            sys.excepthook = old_sys
        if threading.excepthook == self.thread_excepthook:
            threading.excepthook = old_thread
        self._old_hooks = None

    # --- the hooks: any thread, never a widget ---------------------------------------------

    def excepthook(self, kind: type[BaseException], exc: BaseException,
                   tb: TracebackType | None) -> None:  # fmt: skip
        if issubclass(kind, KeyboardInterrupt):  # Ctrl+C in the terminal that started us
            sys.__excepthook__(kind, exc, tb)
            QApplication.quit()
            return
        self._log_and_report((kind, exc, tb), "uncaught exception")

    def thread_excepthook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None or issubclass(args.exc_type, SystemExit):
            return
        name = args.thread.name if args.thread else "a thread"
        info = (args.exc_type, args.exc_value, args.exc_traceback)
        self._log_and_report(info, f"uncaught exception in {name}")

    def report_fatal(self, exc: BaseException) -> None:
        """readerapp cannot go on: log ``exc`` and say so in a dialog, before the process ends."""
        try:
            log.critical("readerapp stopped", exc_info=exc)
            if QApplication.instance() is not None and not self._showing:
                self._showing = True
                details = "".join(traceback.format_exception(exc))
                CrashDialog(summary(exc), details, self.log_path, fatal=True).exec()
        except Exception:
            log.exception("could not report why readerapp stopped")
        finally:
            self._showing = False

    def _log_and_report(self, info: ExcInfo, what: str) -> None:
        try:
            log.critical(what, exc_info=info)
            if self._showing:  # raised while the dialog was being shown: logging is all
                return
            details = "".join(traceback.format_exception(*info))
            self._report.emit(summary(info[1]), details)
        except Exception:  # the hook itself must never raise
            log.exception("could not report an uncaught exception")

    # --- on the GUI thread -----------------------------------------------------------------

    def _show(self, message: str, details: str) -> None:
        if self._showing or (self.dialog is not None and self.dialog.isVisible()):
            log.info("not showing another error dialog while one is open: %s", message)
            return
        self._showing = True
        try:
            self.dialog = CrashDialog(message, details, self.log_path, _parent_window())
            self.dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
            self.dialog.show()
        except Exception:
            log.exception("could not show the error dialog")
        finally:
            self._showing = False


def _parent_window() -> QWidget | None:
    """The main window to centre the dialog over, if one is open."""
    for widget in QApplication.topLevelWidgets():
        if widget.objectName() == "mainWindow" and widget.isVisible():
            return widget
    return None


_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def _qt_message(kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
    qt_log.log(_QT_LEVELS.get(kind, logging.WARNING), "%s", message)


@contextmanager
def reporting() -> Iterator[CrashHandler]:
    """For the life of the window: our records and Qt's messages go to the log file, never
    to stderr (the windowed build on Windows has none), and uncaught exceptions are shown.

    Everything is put back afterwards, so a test can run the window in its own process.
    """
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    handler = CrashHandler(setup_logging())
    previous_qt = qInstallMessageHandler(_qt_message)
    handler.install()
    try:
        yield handler
    except Exception as exc:  # the window never opened, or went down: not without a word
        handler.report_fatal(exc)
        raise
    finally:
        handler.uninstall()
        qInstallMessageHandler(previous_qt)
        for ours in root.handlers[:]:
            root.removeHandler(ours)
            ours.close()
        for theirs in saved[0]:
            root.addHandler(theirs)
        root.setLevel(saved[1])
