"""Export (Ctrl+E): ask with the export dialog, write on the worker, offer to open the file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices

from readerapp.core.collection import Collection
from readerapp.core.export import write_markdown
from readerapp.core.library import Filters
from readerapp.gui.dialogs.export_dialog import (
    RESULTS,
    SELECTION,
    STARRED,
    ExportChoice,
    ExportDialog,
)

if TYPE_CHECKING:
    from readerapp.gui.views.main_window import MainWindow


def _documents() -> Path:
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found and Path(found).is_dir() else Path.home()


class Exporter(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.dialog: ExportDialog | None = None

    def open_dialog(self) -> None:
        window = self.window
        counts = {
            RESULTS: window.papers.total(),
            SELECTION: len(window.table.selected_ids()),
            STARRED: window.library.stats()["starred"],
        }
        folder = window.state.export_folder
        if folder is None or not folder.is_dir():
            folder = _documents()
        tags = window.library.tag_counts()
        self.dialog = ExportDialog(counts, tags, folder, window.state.export_open, window)
        self.dialog.accepted.connect(lambda: self.export(self.dialog.choice()))
        self.window.open_dialog(self.dialog)

    def _ids(self, choice: ExportChoice) -> list[str] | Filters:
        if choice.scope == RESULTS:
            return self.window.papers.ids()
        if choice.scope == SELECTION:
            return self.window.table.selected_ids()
        if choice.scope == STARRED:
            return Filters(starred=True)
        return Filters(tags=[choice.tag])

    def export(self, choice: ExportChoice) -> None:
        """Write the file on the worker."""
        wanted = self._ids(choice)

        def job(collection: Collection) -> int:
            library = collection.library
            ids = library.filter_ids(wanted) if isinstance(wanted, Filters) else wanted
            write_markdown(choice.path, library.papers(ids), choice.options)
            return len(ids)

        self.window.state.export_open = choice.open_after
        self.window.tasks.run(job, lambda count: self._written(choice, count))

    def _written(self, choice: ExportChoice, count: int) -> None:
        self.window.state.export_folder = choice.path.parent
        self.window.status.message(f"Exported {count:,} papers to {choice.path}")
        if choice.open_after:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(choice.path)))
