"""Tell the user when the search index found at start must be rebuilt, and when it is done;
and rebuild it when the user asks (File ▸ Rebuild the search index).

A missing index folder is a new library (or a first run): nothing to say. An index folder that
is damaged, from another version or out of step with the library is rebuilt by the start-up
indexing job (`Collection.ensure_index`); this check runs on the worker just before that job,
so the status bar says why the index is busy while it rebuilds.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt

from readerapp.core import index_job
from readerapp.core.collection import INDEX_NAME, Collection
from readerapp.core.search import Cancelled
from readerapp.gui.tasks import IsCancelled, Progress, TaskManager
from readerapp.gui.views.status_area import StatusArea

DAMAGED = "The search index was damaged; rebuilding it from your library…"
OTHER_VERSION = "The search index is from another version; rebuilding it from your library…"
REBUILT = "The search index was rebuilt from your library."
REBUILDING = "Rebuilding the search index…"
WHILE_REBUILDING_MS = 10 * 60 * 1000  # until the rebuild ends, which replaces it


def rebuild_reason(collection: Collection) -> str | None:
    """Why the existing index must be rebuilt; None when it is fine or there is none yet."""
    if not (collection.data_dir / INDEX_NAME).is_dir():
        return None
    return collection.index_problem()


def notice(reason: str) -> str:
    return OTHER_VERSION if "another version" in reason else DAMAGED


def announce_index_rebuild(tasks: TaskManager, status: StatusArea) -> None:
    """Queue the check; call it just before the start-up indexing job is queued."""

    def told(reason: str | None) -> None:
        if reason is None:
            return
        status.message(notice(reason), WHILE_REBUILDING_MS)
        tasks.long_finished.connect(
            lambda: status.message(REBUILT), Qt.ConnectionType.SingleShotConnection
        )

    tasks.run(rebuild_reason, told)


def _rebuild_job(collection: Collection, progress: Progress, cancelled: IsCancelled) -> bool:
    """True when the fresh index replaced the old one; False when cancelled (the old stays)."""
    try:
        index_job.rebuild_index(collection, progress, cancelled)  # a child process, if big
    except Cancelled:
        return False
    return True


def rebuild_index(tasks: TaskManager, status: StatusArea, index_ready: Callable[[], None]) -> None:
    """Build the index afresh on the worker, with progress and Cancel in the status bar;
    ``index_ready`` is called when it ends (a search with words runs again)."""

    def rebuilt(finished: bool) -> None:
        if finished:
            status.message(REBUILT)
        index_ready()

    status.begin_task(REBUILDING)
    tasks.run_long(REBUILDING, _rebuild_job, rebuilt)
