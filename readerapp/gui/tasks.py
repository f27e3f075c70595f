"""The one background worker. It owns the Collection and runs everything that touches it.

One thread (a single-worker executor) serialises imports, index work, searches, writes and
exports; results come back to the GUI thread through a queued signal, so worker code never
touches a widget. Long tasks take a cancel flag of their own. A newer search supersedes the
older ones: those still queued are skipped and the answers of those already running dropped.
A long task may take searches as errands, run between its own steps (see `Errands`).

Beside it, a reader thread answers reads of the library (the side panel's counts) through a
read connection of its own: they neither wait behind an import on the worker nor hold up the
GUI thread, and SQLite lets them read while the worker writes. An idle thread runs work that
only makes later work quicker (reading ahead in the index) without holding up the worker:
it is not waited for at shutdown, and stops by itself once the collection is closed.

The GUI thread comes first: on Linux the worker, reader and idle threads run at a lower
priority (nice 10), and so do the processes they start (the index job). SQLite and the index
job work with the GIL released, and on two cores they left the GUI thread waiting for a core.
The settings of the whole interpreter that favour the GUI thread are made where the window
starts (`readerapp.gui.app`).
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Qt, Signal

from readerapp.core.collection import Collection
from readerapp.core.errands import Errands
from readerapp.core.errors import ReaderappError
from readerapp.core.library import Library
from readerapp.core.progress import IsCancelled, Progress
from readerapp.gui.search import SearchOutcome, SearchRequest, list_library, run_search

log = logging.getLogger(__name__)

T = TypeVar("T")
LongJob = Callable[[Collection, Progress, IsCancelled], T]
BACKGROUND_NICENESS = 10


def run_in_background() -> None:
    """Lower the calling thread's priority below the GUI thread's (Linux, where each thread
    has a priority of its own; elsewhere nothing changes)."""
    if sys.platform.startswith("linux"):
        try:
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), BACKGROUND_NICENESS)
        except OSError as exc:
            log.info("the background threads keep their priority: %s", exc)


class TaskManager(QObject):
    """Runs jobs on the worker thread and hands their results to the GUI thread."""

    long_started = Signal(str)  # the label of a long task now running
    long_progress = Signal(int, int)  # done, total
    long_finished = Signal()
    failed = Signal(str)  # a message for the user
    _deliver = Signal(object)

    def __init__(self, collection: Collection, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._collection = collection
        self.errands = Errands()  # searches for the long task running, between its steps
        self._executor = ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="readerapp-worker", initializer=run_in_background
        )
        self._reader = ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="readerapp-reader", initializer=run_in_background
        )
        self._idle = ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="readerapp-idle", initializer=run_in_background
        )
        self._reader_library: Library | None = None  # opened by the reader thread
        self._search_serial = 0
        self._cancels: list[threading.Event] = []
        self._long_pending = 0
        self._closed = False
        self._deliver.connect(self._on_main, Qt.ConnectionType.QueuedConnection)

    # --- submitting ------------------------------------------------------------------------

    def run(
        self,
        job: Callable[[Collection], T],
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[str], None] | None = None,
    ) -> None:
        """Run ``job(collection)`` on the worker; ``on_done(result)`` on the GUI thread."""
        if self._closed:
            log.warning("a task was submitted after shut-down; dropped")
            return
        self._executor.submit(self._work, lambda: job(self._collection), on_done, on_error)

    def read(
        self,
        job: Callable[[Library], T],
        on_done: Callable[[T], None],
        on_error: Callable[[str], None] | None = None,
    ) -> None:
        """Run ``job(library)`` on the reader thread; ``on_done(result)`` on the GUI thread.

        ``job`` only reads: the library it gets is the reader's own connection.
        """
        if self._closed:
            log.warning("a read was submitted after shut-down; dropped")
            return
        self._reader.submit(self._work, lambda: job(self._reading_library()), on_done, on_error)

    def run_idle(self, work: Callable[[], None]) -> None:
        """Run ``work()`` on the idle thread, below the GUI thread's priority and beside the
        worker (see the module's docstring); from any thread. It must only touch what is safe
        beside the worker (the index, under its lock) and stop once the collection closes."""
        if self._closed:  # the window closed while a task ran: idle work only saves time later
            log.debug("idle work was submitted after shut-down; dropped")
            return
        self._idle.submit(self._work, work, None)

    def _reading_library(self) -> Library:
        if self._reader_library is None:
            self._reader_library = Library.in_dir(self._collection.data_dir)
        return self._reader_library

    def _close_reader(self) -> None:
        if self._reader_library is not None:
            self._reader_library.close()
            self._reader_library = None

    def _work(
        self,
        call: Callable[[], T],
        on_done: Callable[[T], None] | None,
        on_error: Callable[[str], None] | None = None,
    ) -> None:
        """On a background thread: ``call()``, then its result or failure to the GUI thread."""
        try:
            value = call()
        except ReaderappError as exc:
            log.warning("task failed: %s", exc)
            message = str(exc)
            self._send(lambda: self._fail(message, on_error))
        except Exception as exc:
            log.exception("task failed")
            message = f"Something went wrong: {exc}"
            self._send(lambda: self._fail(message, on_error))
        else:
            if on_done is not None:
                self._send(lambda: on_done(value))

    def run_long(
        self,
        label: str,
        job: LongJob[T],
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[str], None] | None = None,
    ) -> None:
        """Run a long job with progress and a cancel flag; the status bar shows it. A failure
        goes to ``on_error`` if given, else to `failed`."""
        cancel = threading.Event()
        self._cancels.append(cancel)
        self._long_pending += 1

        def progress(done: int, total: int) -> None:
            self._send(lambda: self.long_progress.emit(done, total))

        def long_job(collection: Collection) -> T:
            self._send(lambda: self.long_started.emit(label))
            return job(collection, progress, cancel.is_set)

        def end() -> None:
            self._cancels.remove(cancel)
            self._long_pending -= 1
            self.long_finished.emit()

        def done(value: T) -> None:
            end()
            if on_done is not None:
                on_done(value)

        def failed(message: str) -> None:
            end()
            (on_error or self.failed.emit)(message)

        self.run(long_job, done, failed)

    def search(self, request: SearchRequest, on_done: Callable[[SearchOutcome], None]) -> bool:
        """Search on the worker; only the newest request's outcome is delivered.

        While a long task holds the worker, a request without words is answered from the
        library on the reader thread instead, and one with words is an errand for the task
        when it takes them (an import, an index catch-up: see `Errands`), else it waits its
        turn. Returns False when it waits for a long task to end.
        """
        self._search_serial += 1
        serial = self._search_serial

        def job(collection: Collection) -> SearchOutcome | None:
            if serial != self._search_serial:
                return None
            return run_search(collection, request)

        def listing(library: Library) -> SearchOutcome | None:
            # skipped once a newer search is asked for: during an import the list is asked
            # for every 0.5 s, and at 100,000 papers one listing can take longer than that
            return list_library(library, request) if serial == self._search_serial else None

        def done(outcome: SearchOutcome | None) -> None:
            if outcome is not None and serial == self._search_serial:
                on_done(outcome)

        if not self.busy_long:
            self.run(job, done)
        elif not request.has_words():
            self.read(listing, done)
        elif not self.errands.offer(lambda: self._work(lambda: job(self._collection), done)):
            self.run(job, done)
            return False
        return True

    # --- control ---------------------------------------------------------------------------

    @property
    def busy_long(self) -> bool:
        """True while a long task (import, indexing) is running or queued."""
        return self._long_pending > 0

    def cancel(self) -> None:
        """Ask the long task that is running to stop."""
        if self._cancels:
            self._cancels[0].set()

    def shutdown(self) -> None:
        """Cancel long tasks, skip queued searches, finish queued writes, stop the threads
        (the idle thread's work, if any, ends once the collection is closed)."""
        if self._closed:
            return
        self._closed = True
        self._search_serial += 1
        for cancel in self._cancels:
            cancel.set()
        self._reader.submit(self._close_reader)
        self._reader.shutdown(wait=True)
        self._executor.shutdown(wait=True)
        self._idle.shutdown(wait=False, cancel_futures=True)

    # --- back on the GUI thread ------------------------------------------------------------

    def _send(self, closure: Callable[[], Any]) -> None:
        self._deliver.emit(closure)

    def _on_main(self, closure: Callable[[], Any]) -> None:
        if not self._closed:
            closure()

    def _fail(self, message: str, on_error: Callable[[str], None] | None) -> None:
        if on_error is not None:
            on_error(message)
        else:
            self.failed.emit(message)
