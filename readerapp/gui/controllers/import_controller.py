"""Imports (menu, drop, paste, command line, welcome digest) and the index catch-up at start.

Both run on the worker with a progress bar and Cancel in the status bar; an import ends with
a summary of what was added, seen again and refused. While it runs, the list shows what it has
added so far, again every `RELIST_MS`. Big index work (a rebuild, a big catch-up) runs in a
child process (`index_job`), so that the window stays responsive; a big import starts that
child beside it, and the index task after the import waits for it. Cancel kills it, and what
it had not indexed stays queued. Searches for words need not wait for
either: an import runs them between two files, a catch-up while it waits for its child, in
the papers indexed so far (see `Errands`).

A digest can come as text rather than a file: copied from the Daily Papers page in the browser
and pasted (Ctrl+V, File > Paste digest), or dragged from it and dropped. The core imports the
text as it would a file (same parser, same refusals) and keeps it in the data directory.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from contextlib import suppress
from datetime import date
from functools import partial
from pathlib import Path

from PySide6.QtCore import QMimeData, QObject, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from readerapp.core import daily_papers, index_job
from readerapp.core.collection import Collection, ImportSummary
from readerapp.core.errands import Errands
from readerapp.core.index_job import IndexBeside
from readerapp.core.library import Library
from readerapp.core.paths import sample_digest
from readerapp.core.search import Cancelled
from readerapp.gui.dialogs.fetch_dialog import FetchDialog
from readerapp.gui.dialogs.import_summary import ImportSummaryDialog, headline
from readerapp.gui.tasks import IsCancelled, Progress, TaskManager
from readerapp.gui.views.status_area import StatusArea

log = logging.getLogger(__name__)

DIGEST_FILTER = "Digests (*.txt *.text *.md);;All files (*)"
RELIST_MS = 500  # the first digests of a long import are listed within a second


Imported = tuple[ImportSummary, IndexBeside | None]


def _import_job(paths: list[Path], errands: Errands):
    def job(collection: Collection, progress: Progress, cancelled: IsCancelled) -> Imported:
        return index_job.import_with_index(collection, paths, progress, cancelled, errands)

    return job


def _text_job(text: str, name: str):
    def job(collection: Collection, _progress: Progress, _cancelled: IsCancelled) -> Imported:
        return collection.import_text(text, name=name), None

    return job


def _fetch_job(days: list[date], say: Callable[[str], None]):
    def job(collection: Collection, progress: Progress, cancelled: IsCancelled) -> Imported:
        return collection.fetch_days(days, progress, cancelled, say=say), None

    return job


def dropped_paths(mime: QMimeData) -> list[Path]:
    """The local files and folders dragged in ``mime``."""
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]


def _index_job(tasks: TaskManager, beside: IndexBeside | None = None):
    def job(collection: Collection, progress: Progress, cancelled: IsCancelled) -> None:
        """Bring the index up to date, or wait for the job ``beside`` the import to (searching
        what the index holds meanwhile), then start reading ahead what the first searches
        need (on the task manager's idle thread: the worker stays free)."""
        with suppress(Cancelled):  # what was imported is safe; the index catches up later
            index_job.ensure_index(collection, progress, cancelled, tasks.errands, beside)
            if collection.prepare_search():
                tasks.run_idle(collection.read_ahead)

    return job


class ImportController(QObject):
    """Starts imports and shows how they went.

    It runs them through ``tasks``, shows their progress and outcome in ``status`` and in a
    summary opened with ``open_dialog`` over ``parent`` (the window), and says when the library
    changed (``library_changed``: whether searches for words should run again) and when the
    index is ready.
    """

    fetch_note = Signal(str)  # a wait the Daily Papers service asked for, from the worker
    library_changed = Signal(bool)  # words_too: the index holds the new papers too
    index_ready = Signal()

    def __init__(
        self,
        tasks: TaskManager,
        status: StatusArea,
        open_dialog: Callable[[QDialog], None],
        parent: QWidget,
        *,
        library: Library,
    ) -> None:
        super().__init__(parent)
        self._tasks, self._status, self._library = tasks, status, library
        self._open_dialog, self._parent = open_dialog, parent
        self.summary_dialog: ImportSummaryDialog | None = None
        self.fetch_dialog: FetchDialog | None = None
        self._folder = str(Path.home())
        self._relist = QTimer(self)
        self._relist.setInterval(RELIST_MS)
        self._relist.timeout.connect(lambda: self.library_changed.emit(False))
        self._import_labels: set[str] = set()
        tasks.long_started.connect(self._task_started)
        tasks.long_finished.connect(self._relist.stop)
        self.fetch_note.connect(lambda line: status.message(line[0].upper() + line[1:]))

    def choose_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self._parent, "Import digests", self._folder, DIGEST_FILTER
        )
        if paths:
            self._folder = str(Path(paths[0]).parent)
            self.import_paths([Path(p) for p in paths])

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self._parent, "Import a folder", self._folder)
        if folder:
            self._folder = folder
            self.import_paths([Path(folder)])

    def import_sample(self) -> None:
        self.import_paths([sample_digest()])

    def choose_fetch_day(self) -> None:
        """Ask which day to fetch, then fetch it: the one menu item that goes online."""
        today = date.today()
        missing, left_out = daily_papers.missing_days(self._library.last_fetched_day(), today)
        dialog = FetchDialog(self._parent, today, missing, left_out)
        dialog.accepted.connect(lambda: self.fetch_days(dialog.days()))
        self.fetch_dialog = dialog
        self._open_dialog(dialog)

    def fetch_day(self, day: date) -> None:
        self.fetch_days([day])

    def fetch_days(self, days: list[date]) -> None:
        """Fetch the Daily Papers of ``days`` on the worker and import them, with progress,
        Cancel and the import's summary; a failure is one message, the library unchanged."""
        first, last = days[0].isoformat(), days[-1].isoformat()
        what = first if len(days) == 1 else f"{len(days)} days ({first} to {last})"
        label = f"Fetching the Daily Papers of {what}…"
        self._status.begin_task(label)
        self._import_labels.add(label)
        self._tasks.run_long(label, _fetch_job(days, self.fetch_note.emit), self._imported)

    def fetch_at_start(self, today: date | None = None) -> None:
        """Fetch today's Daily Papers when the user asked for it in Preferences and it has not
        run today; how it went is said in the status bar (no dialog at start)."""
        today = today or date.today()
        library = self._library
        wanted = library.settings.get(daily_papers.AT_START_SETTING)
        if not daily_papers.due_at_start(
            wanted, library.settings.get(daily_papers.LAST_AT_START_SETTING), today
        ):
            return
        label = f"Fetching the Daily Papers of {today.isoformat()}…"
        self._status.begin_task(label)
        self._import_labels.add(label)

        def job(collection: Collection, progress: Progress, cancelled: IsCancelled) -> Imported:
            summary = collection.fetch_days([today], progress, cancelled, say=self.fetch_note.emit)
            if not summary.cancelled:
                collection.library.settings.set(
                    daily_papers.LAST_AT_START_SETTING, today.isoformat()
                )
            return summary, None

        def failed(message: str) -> None:
            self._status.message(f"Today's Daily Papers were not fetched: {message}", 15000)

        self._tasks.run_long(label, job, self._fetched_at_start, failed)

    def _fetched_at_start(self, imported: Imported) -> None:
        self.library_changed.emit(True)
        self._status.message(f"Daily Papers: {headline(imported[0])}")
        self.index_at_start()

    def import_paths(self, paths: Sequence[Path]) -> None:
        """Import files and folders on the worker, with progress and Cancel."""
        paths = [Path(p) for p in paths]
        label = (
            f"Importing {paths[0].name}…" if len(paths) == 1 else f"Importing {len(paths)} items…"
        )
        self._status.begin_task(label)
        self._import_labels.add(label)
        self._tasks.run_long(label, _import_job(paths, self._tasks.errands), self._imported)

    def paste_digest(self) -> None:
        """Import the clipboard's text as a digest (Ctrl+V outside a text field)."""
        self.import_text(QGuiApplication.clipboard().text(), "pasted")

    def import_text(self, text: str, name: str) -> None:
        """Import ``text`` (``name``: "pasted", "dropped") on the worker, as a digest file."""
        if not text.strip():
            self._status.message(
                f"Nothing to import: no text was {name}. Select the digest's page in the "
                "browser, copy it, then press Ctrl+V here."
            )
            return
        label = f"Importing the {name} digest…"
        self._status.begin_task(label)
        self._import_labels.add(label)
        done = partial(self._imported, text=name)
        self._tasks.run_long(label, _text_job(text, name), done)

    def can_import(self, mime: QMimeData) -> bool:
        """True when ``mime`` (dragged over the window) holds files or text to import."""
        return bool(dropped_paths(mime)) or mime.hasText()

    def import_dropped(self, mime: QMimeData) -> bool:
        """Import the files dropped, or else the text (a page's selection dragged from the
        browser); False when ``mime`` holds neither."""
        paths = dropped_paths(mime)
        if paths:
            self.import_paths(paths)
        elif mime.hasText():
            self.import_text(mime.text(), "dropped")
        else:
            return False
        return True

    def _task_started(self, label: str) -> None:
        """List again every `RELIST_MS` while an import runs (not while it waits its turn)."""
        if label in self._import_labels:
            self._relist.start()
        else:
            self._relist.stop()

    def _imported(self, imported: Imported, text: str = "") -> None:
        """The papers are listed at once; full-text search catches up in the background.
        ``text`` names the text imported ("pasted", "dropped"), if it was not files."""
        summary, beside = imported
        for error in summary.refused:
            log.info("refused %s: %s", error.source, error.reason)
        self.library_changed.emit(True)
        self._status.message(headline(summary, text))
        self.summary_dialog = ImportSummaryDialog(summary, self._parent, text)
        self._open_dialog(self.summary_dialog)
        self.index_at_start(beside)

    def index_at_start(self, beside: IndexBeside | None = None) -> None:
        """Bring the search index up to date (or rebuild it) without holding up the window,
        or wait for the index job that ran ``beside`` an import to end."""
        self._status.begin_task("Indexing…")
        job = _index_job(self._tasks, beside)
        self._tasks.run_long("Indexing…", job, lambda _: self.index_ready.emit())
