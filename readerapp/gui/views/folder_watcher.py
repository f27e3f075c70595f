"""Watched folders in the window: checked at start and whenever they change, through the worker.

A QFileSystemWatcher watches each folder (a file saved into it) and its digest-like files (a
file rewritten in place); changes are gathered for a moment, then the worker runs one check
(core ``watch.check_folders``). What it imported shows in the status bar, not in a dialog.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer

from readerapp.core import daily_papers
from readerapp.core.collection import Collection, ImportSummary
from readerapp.core.watch import (
    check_folders,
    digest_candidates,
    set_watched_folders,
    watched_folders,
)
from readerapp.gui.dialogs.import_summary import headline
from readerapp.gui.dialogs.preferences import PreferencesDialog

if TYPE_CHECKING:
    from readerapp.gui.views.main_window import MainWindow

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
    """Imports the digests that arrive in the watched folders, and edits the list of them."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.folders = watched_folders(window.library)
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

    def open_preferences(self) -> None:
        reading = self.window.actions["auto_reading"]  # in the View menu too
        fetching = self.window.library.settings.get(daily_papers.AT_START_SETTING) == "1"
        dialog = PreferencesDialog(self.folders, reading.isChecked(), self.window, fetching)
        dialog.accepted.connect(lambda: self.set_folders(dialog.folders()))
        dialog.accepted.connect(lambda: self._set_fetch_at_start(dialog.fetch_at_start.isChecked()))
        dialog.accepted.connect(lambda: reading.setChecked(dialog.auto_reading.isChecked()))
        self.preferences = dialog
        self.window.open_dialog(dialog)

    def _set_fetch_at_start(self, on: bool) -> None:
        value = "1" if on else None
        self.window.tasks.run(
            lambda collection: collection.library.settings.set(daily_papers.AT_START_SETTING, value)
        )

    def set_folders(self, folders: list[Path]) -> None:
        if folders == self.folders:
            return
        self.folders = folders
        self.window.tasks.run(lambda collection: set_watched_folders(collection.library, folders))
        count = len(folders)
        self.window.status.message(
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
        self.window.tasks.run(_check_job(list(self.folders)), self._checked, self._failed)

    def _changed(self, _path: str) -> None:
        self.settle.start()

    def _checked(self, summary: ImportSummary) -> None:
        self._done()
        if any(not result.already_imported for result in summary.results):
            self.window.library_changed()
            self.window.status.message(f"From a watched folder: {headline(summary)}", 15000)

    def _failed(self, message: str) -> None:
        self._done()
        self.window.status.message(f"The watched folders could not be checked: {message}", 15000)

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
