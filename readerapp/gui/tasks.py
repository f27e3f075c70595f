"""The one background worker. It owns the Collection and runs everything that touches it.

One thread (a single-worker executor) serialises imports, index work, searches, writes and
exports; results come back to the GUI thread through a queued signal, so worker code never
touches a widget. Long tasks take a cancel flag of their own. A newer search supersedes the
older ones: those still queued are skipped and the answers of those already running dropped.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Qt, Signal

from readerapp.core.collection import Collection
from readerapp.core.errors import ReaderappError
from readerapp.gui.search import SearchOutcome, SearchRequest, run_search

log = logging.getLogger(__name__)

T = TypeVar("T")
Progress = Callable[[int, int], None]
IsCancelled = Callable[[], bool]
LongJob = Callable[[Collection, Progress, IsCancelled], T]


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
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="readerapp-worker")
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

        def work() -> None:
            try:
                value = job(self._collection)
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

        self._executor.submit(work)

    def run_long(
        self, label: str, job: LongJob[T], on_done: Callable[[T], None] | None = None
    ) -> None:
        """Run a long job with progress and a cancel flag; the status bar shows it."""
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
            self.failed.emit(message)

        self.run(long_job, done, failed)

    def search(self, request: SearchRequest, on_done: Callable[[SearchOutcome], None]) -> None:
        """Search on the worker; only the newest request's outcome is delivered."""
        self._search_serial += 1
        serial = self._search_serial

        def job(collection: Collection) -> SearchOutcome | None:
            if serial != self._search_serial:
                return None
            return run_search(collection, request)

        def done(outcome: SearchOutcome | None) -> None:
            if outcome is not None and serial == self._search_serial:
                on_done(outcome)

        self.run(job, done)

    def drop_searches(self) -> None:
        """Forget the searches submitted so far: their answers will not be delivered."""
        self._search_serial += 1

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
        """Cancel long tasks, skip queued searches, finish queued writes, stop the thread."""
        self._closed = True
        self._search_serial += 1
        for cancel in self._cancels:
            cancel.set()
        self._executor.shutdown(wait=True)

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
