"""Export (Ctrl+E): ask with the export dialog, write on the worker, offer to open the file.
Copy as Markdown (Ctrl+Shift+C): the selection, rendered on the worker, to the clipboard."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication

from readerapp.core.citations import WRITERS
from readerapp.core.collection import Collection
from readerapp.core.export import (
    ExportOptions,
    render_markdown,
    write_markdown,
    write_text_atomically,
)
from readerapp.core.library import Filters
from readerapp.core.models import Paper
from readerapp.core.vault import write_vault
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


def _write(choice: ExportChoice, papers: list[Paper]) -> Path:
    """Write the file, or the vault; return the file to open afterwards."""
    if choice.format in WRITERS:
        write_text_atomically(choice.path, WRITERS[choice.format](papers).text)
        return choice.path
    if not choice.vault:
        return write_markdown(choice.path, papers, choice.options)
    per_paper = choice.one_file_per_paper
    return write_vault(choice.path, papers, choice.options, one_file_per_paper=per_paper).list_file


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
        tags = window.library.tags.counts()
        self.dialog = ExportDialog(
            counts, tags, folder, window.state.export_open, window, window.state.vault_folder
        )
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

        def job(collection: Collection) -> tuple[int, Path]:
            library = collection.library
            ids = library.filter_ids(wanted) if isinstance(wanted, Filters) else wanted
            return len(ids), _write(choice, library.papers(ids))

        self.window.state.export_open = choice.open_after
        self.window.tasks.run(job, lambda done: self._written(choice, *done))

    def _written(self, choice: ExportChoice, count: int, opened: Path) -> None:
        if choice.vault:
            self.window.state.vault_folder = choice.path
        else:
            self.window.state.export_folder = choice.path.parent
        self.window.status.message(f"Exported {count:,} papers to {choice.path}")
        if choice.open_after:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(opened)))

    def copy_markdown(self) -> None:
        """The selected papers, as a Markdown reading list, to the clipboard."""
        ids = self.window.table.selected_ids()
        if not ids:
            self.window.status.message("Select the papers to copy.")
            return

        def job(collection: Collection) -> str:
            return render_markdown(collection.library.papers(ids), ExportOptions())

        self.window.tasks.run(job, lambda text: self._copied(text, len(ids)))

    def _copied(self, text: str, count: int) -> None:
        QGuiApplication.clipboard().setText(text)
        noun = "1 paper" if count == 1 else f"{count:,} papers"
        self.window.status.message(f"Copied {noun} as Markdown")
