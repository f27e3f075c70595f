"""Watched folders in the window: checked at start and whenever they change, through the worker.

A QFileSystemWatcher watches each folder (a file saved into it) and its digest-like files (a
file rewritten in place); changes are gathered for a moment, then the worker runs one check
(core ``watch.check_folders``). What it imported shows in the status bar, not in a dialog.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QWidget

from readerapp.core import daily_papers
from readerapp.core.collection import Collection, ImportSummary
from readerapp.core.library import Library
from readerapp.core.watch import (
    check_folders,
    digest_candidates,
    set_watched_folders,
    watched_folders,
)
from readerapp.gui.dialogs.import_summary import headline
from readerapp.gui.dialogs.preferences import PreferencesDialog
from readerapp.gui.tasks import TaskManager
from readerapp.gui.views.status_area import StatusArea

SETTLE_MS = 1000  # a download is written in bursts: wait for it to settle
MAX_WATCHED_FILES = 256  # per folder, the newest: watches are a limited resource


def _check_job(folders: list[Path]):
    def job(collection: Collection) -> ImportSummary:
        summary = check_folders(collection, folders)
        if summary.results:
            collection.sync_index()
        return summary

    return job


def _watched_paths(folders: list[Path]) -> set[str]:
    paths: set[str] = set()
    for folder in folders:
        if folder.is_dir():
            paths.add(str(folder))
            files = sorted(digest_candidates(folder).items(), key=lambda item: -item[1][1])
            paths.update(str(path) for path, _ in files[:MAX_WATCHED_FILES])
    return paths


class FolderWatcher(QObject):
    """Imports the digests that arrive in the watched folders, and edits the list of them (in
    Preferences, which also switch the reading timer's action given to `attach` and the fetch at
    start). Checks run on the worker of ``tasks``; `library_changed` says one imported papers.
    """

    library_changed = Signal()

    def __init__(
        self,
        tasks: TaskManager,
        status: StatusArea,
        library: Library,
        open_dialog: Callable[[QDialog], None],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._tasks, self._status, self._library = tasks, status, library
        self._open_dialog, self._parent = open_dialog, parent
        self._auto_reading: QAction | None = None
        self.folders = watched_folders(library)
        self.preferences: PreferencesDialog | None = None
        self.watcher = QFileSystemWatcher(self)
        self.watcher.directoryChanged.connect(self._changed)
        self.watcher.fileChanged.connect(self._changed)
        self.settle = QTimer(self)
        self.settle.setSingleShot(True)
        self.settle.setInterval(SETTLE_MS)
        self.settle.timeout.connect(self.check)
        self._checking = False
        self._again = False

    def start(self) -> None:
        self._watch()
        self.check()

    def attach(self, auto_reading: QAction) -> None:
        """The checkable action of the reading timer (in the View menu too), which Preferences
        show and switch."""
        self._auto_reading = auto_reading

    def open_preferences(self) -> None:
        reading = self._auto_reading
        if reading is None:
            raise RuntimeError("attach the reading timer's action before opening Preferences")
        fetching = self._library.settings.get(daily_papers.AT_START_SETTING) == "1"
        dialog = PreferencesDialog(self.folders, reading.isChecked(), self._parent, fetching)
        dialog.accepted.connect(lambda: self.set_folders(dialog.folders()))
        dialog.accepted.connect(lambda: self._set_fetch_at_start(dialog.fetch_at_start.isChecked()))
        dialog.accepted.connect(lambda: reading.setChecked(dialog.auto_reading.isChecked()))
        self.preferences = dialog
        self._open_dialog(dialog)

    def _set_fetch_at_start(self, on: bool) -> None:
        value = "1" if on else None
        self._tasks.run(
            lambda collection: collection.library.settings.set(daily_papers.AT_START_SETTING, value)
        )

    def set_folders(self, folders: list[Path]) -> None:
        if folders == self.folders:
            return
        self.folders = folders
        self._tasks.run(lambda collection: set_watched_folders(collection.library, folders))
        count = len(folders)
        self._status.message(
            f"Watching {count} folder{'s' if count != 1 else ''} for digests" if count else
            "No folder is watched"
        )  # fmt: skip
        self._watch()
        self.check()

    def check(self) -> None:
        """Import on the worker what is new or changed in the folders (once at a time)."""
        self.settle.stop()
        if not self.folders:
            return
        if self._checking:
            self._again = True
            return
        self._checking = True
        self._tasks.run(_check_job(list(self.folders)), self._checked, self._failed)

    def _changed(self, _path: str) -> None:
        self.settle.start()

    def _checked(self, summary: ImportSummary) -> None:
        self._done()
        if any(not result.already_imported for result in summary.results):
            self.library_changed.emit()
            self._status.message(f"From a watched folder: {headline(summary)}", 15000)

    def _failed(self, message: str) -> None:
        self._done()
        self._status.message(f"The watched folders could not be checked: {message}", 15000)

    def _done(self) -> None:
        self._checking = False
        self._watch()  # files that arrived are watched too
        if self._again:
            self._again = False
            self.settle.start()

    def _watch(self) -> None:
        wanted = _watched_paths(self.folders)
        current = set(self.watcher.files()) | set(self.watcher.directories())
        if current - wanted:
            self.watcher.removePaths(sorted(current - wanted))
        if wanted - current:
            self.watcher.addPaths(sorted(wanted - current))
