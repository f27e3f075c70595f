"""Follow changes another process makes to the library (the command line, a restore).

Every `POLL_MS` the GUI thread asks its own connection for SQLite's ``data_version`` (a few
microseconds, no disk read). It changes when any other connection commits, the worker's
included, so a change is checked on the worker: the worker's connection sees a new
``data_version`` only when a connection other than its own committed, and this window writes
through the worker alone. An outside change is taken into the search index, then the window
searches again (same query, selection kept) and counts again.

The window's own long tasks are the exception: the index job they start in a child process
commits through a connection of its own. So no check starts while one runs; once the last
ends, one check takes in whatever changed meanwhile, without saying that it came from
outside (the index job's commits and another process's cannot be told apart). That check is
owed from the moment a long task ends: whichever poll comes first (the timer's may come
before the one queued for it) makes it.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from readerapp.core.collection import Collection
from readerapp.core.errors import ReaderappError
from readerapp.core.library import Library
from readerapp.gui.tasks import TaskManager
from readerapp.gui.views.status_area import StatusArea

log = logging.getLogger(__name__)

POLL_MS = 1500
CHANGED_MESSAGE = "Updated with changes made outside this window"


class LibraryWatch(QObject):
    """Polls for outside changes while the window ``parent`` is open: ``library`` is the GUI
    thread's connection, ``tasks`` the worker's. `library_changed` says the window should
    search and count again."""

    library_changed = Signal()

    def __init__(
        self, tasks: TaskManager, status: StatusArea, library: Library, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self._tasks, self._status, self._library, self._window = tasks, status, library, parent
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll)
        self._seen: int | None = None  # data_version on the GUI thread's connection
        self._worker_seen: int | None = None  # on the worker's, read on the worker only
        self._checking = False
        self._quiet_owed = False  # a long task ended: the next check is a quiet one
        tasks.long_finished.connect(self._long_task_ended)

    def start(self) -> None:
        """Take the versions as they are now, then poll."""
        self._seen = self._gui_version()
        self._tasks.run(self._worker_baseline)
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    @property
    def checking(self) -> bool:
        """True from a check's start on the worker until its answer is back on the GUI thread:
        one started before a long task may still be on its way once the task runs."""
        return self._checking

    def poll(self) -> None:
        """Check for a change when another connection has committed (quietly, refreshing
        without saying it came from outside, when it is the check owed after a long task)."""
        if not self._window.isVisible():  # closed: the worker is gone
            self.stop()
            return
        if self._tasks.busy_long:  # checked once it ends (see the module's docstring)
            return
        quietly, self._quiet_owed = self._quiet_owed, False
        version = self._gui_version()
        if version is None or version == self._seen or self._checking:
            return
        self._seen = version
        self._checking = True
        self._tasks.run(
            self._worker_check, lambda outside: self._checked(outside, quietly), self._check_failed
        )

    def _long_task_ended(self) -> None:
        self._quiet_owed = True
        # after the task's own ending has run: an import's starts the index task
        QTimer.singleShot(0, self, self._after_long_tasks)

    def _after_long_tasks(self) -> None:
        if self.timer.isActive():
            self.poll()

    def _gui_version(self) -> int | None:
        try:
            return self._library.db.data_version()
        except ReaderappError as exc:  # the library went away; the worker will say so
            log.warning("cannot read the library's data version: %s", exc)
            return None

    # --- on the worker ---------------------------------------------------------------------

    def _worker_baseline(self, collection: Collection) -> None:
        self._worker_seen = collection.library.db.data_version()

    def _worker_check(self, collection: Collection) -> bool:
        """True when another process changed the library; its changes are then indexed."""
        version = collection.library.db.data_version()
        outside = version != self._worker_seen
        self._worker_seen = version
        if outside:
            try:  # when the index is busy elsewhere, the changes stay queued for a later sync
                collection.sync_index(wait=1.0)
            except Exception:  # the library is the truth: show its changes all the same
                log.exception("could not index the outside changes")
        return outside

    # --- back on the GUI thread ------------------------------------------------------------

    def _checked(self, outside: bool, quietly: bool) -> None:
        self._checking = False
        if outside and self._window.isVisible():
            log.info("the library was changed by another connection; refreshing")
            self.library_changed.emit()
            if not quietly:
                self._status.message(CHANGED_MESSAGE)

    def _check_failed(self, message: str) -> None:
        self._checking = False
        log.warning("could not take in an outside change: %s", message)
