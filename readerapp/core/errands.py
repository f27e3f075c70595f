"""Short jobs for a thread that is busy with something long but often only waits.

The window's worker thread runs every task that touches the library and the index, one at a
time. A catch-up of the index runs in a child process, and the worker only follows it, for
minutes at 100,000 papers; an import works a file at a time. Searches need not wait for either
to end: while such a task `serve`s, it runs the searches offered to it between its steps,
against the index as it stands (what is indexed so far).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

Job = Callable[[], object]


class Errands:
    """Jobs offered to whichever task is serving now, run by it between its own steps."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._jobs: queue.SimpleQueue[Job] = queue.SimpleQueue()
        self._wake: Callable[[], None] | None = None

    def offer(self, job: Job) -> bool:
        """Hand ``job`` to the task serving now; False (and not taken) when none is."""
        with self._lock:
            if self._wake is None:
                return False
            self._jobs.put(job)
            self._wake()
        return True

    @contextmanager
    def serve(self, wake: Callable[[], None] = lambda: None) -> Iterator[Callable[[], None]]:
        """Take the jobs offered while in this block; yields the function that runs those
        waiting, for the task to call between its steps. ``wake`` is called with each job
        offered (to end the task's wait early). The jobs still waiting at the end are run
        as it ends, so none is lost. A job must not raise: it would end the task."""
        with self._lock:
            self._wake = wake
        try:
            yield self._run_waiting
        finally:
            with self._lock:
                self._wake = None
            self._run_waiting()

    def _run_waiting(self) -> None:
        while True:
            try:
                job = self._jobs.get_nowait()
            except queue.Empty:
                return
            job()
