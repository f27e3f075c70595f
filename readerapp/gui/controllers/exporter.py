"""Export (Ctrl+E): ask with the export dialog, write on the worker, offer to open the file.
Copy as Markdown (Ctrl+Shift+C): the selection, rendered on the worker, to the clipboard."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QDialog, QWidget

from readerapp.core.citations import WRITERS
from readerapp.core.collection import Collection
from readerapp.core.export import (
    ExportOptions,
    render_markdown,
    write_markdown,
    write_text_atomically,
)
from readerapp.core.library import Filters, Library
from readerapp.core.models import Paper
from readerapp.core.vault import write_vault
from readerapp.gui.dialogs.export_dialog import (
    RESULTS,
    SELECTION,
    STARRED,
    ExportChoice,
    ExportDialog,
)
from readerapp.gui.settings import GuiState
from readerapp.gui.tasks import TaskManager
from readerapp.gui.views.paper_table import PaperTable
from readerapp.gui.views.status_area import StatusArea


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
    """Exports the papers listed in ``table`` (all, the selection), the starred or a tag's,
    remembering the folders and choices in ``state``; the dialog opens with ``open_dialog``
    over ``parent``."""

    def __init__(
        self,
        tasks: TaskManager,
        status: StatusArea,
        library: Library,
        table: PaperTable,
        state: GuiState,
        open_dialog: Callable[[QDialog], None],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._tasks, self._status, self._library, self._table = tasks, status, library, table
        self._state, self._open_dialog, self._parent = state, open_dialog, parent
        self.dialog: ExportDialog | None = None

    def open_dialog(self) -> None:
        counts = {
            RESULTS: self._table.model.total(),
            SELECTION: len(self._table.selected_ids()),
            STARRED: self._library.stats()["starred"],
        }
        state = self._state
        folder = state.export_folder
        if folder is None or not folder.is_dir():
            folder = _documents()
        tags = self._library.tags.counts()
        self.dialog = ExportDialog(
            counts, tags, folder, state.export_open, self._parent, state.vault_folder
        )
        self.dialog.accepted.connect(lambda: self.export(self.dialog.choice()))
        self._open_dialog(self.dialog)

    def _ids(self, choice: ExportChoice) -> list[str] | Filters:
        if choice.scope == RESULTS:
            return self._table.model.ids()
        if choice.scope == SELECTION:
            return self._table.selected_ids()
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

        self._state.export_open = choice.open_after
        self._tasks.run(job, lambda done: self._written(choice, *done))

    def _written(self, choice: ExportChoice, count: int, opened: Path) -> None:
        if choice.vault:
            self._state.vault_folder = choice.path
        else:
            self._state.export_folder = choice.path.parent
        self._status.message(f"Exported {count:,} papers to {choice.path}")
        if choice.open_after:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(opened)))

    def copy_markdown(self) -> None:
        """The selected papers, as a Markdown reading list, to the clipboard."""
        ids = self._table.selected_ids()
        if not ids:
            self._status.message("Select the papers to copy.")
            return

        def job(collection: Collection) -> str:
            return render_markdown(collection.library.papers(ids), ExportOptions())

        self._tasks.run(job, lambda text: self._copied(text, len(ids)))

    def _copied(self, text: str, count: int) -> None:
        QGuiApplication.clipboard().setText(text)
        noun = "1 paper" if count == 1 else f"{count:,} papers"
        self._status.message(f"Copied {noun} as Markdown")
