"""Set a digest's date from the side panel: its context menu, or F2 on it.

A digest's date line has no year, so the import infers one (from the file's date, or the day it
was imported), and a digest without a date line takes the day it was imported. When that is
wrong, the user dates the digest here; its papers' "first seen" follows, on the worker, and every
annotation stays. The side panel then lists the digest under its new day, still chosen.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QListView, QMenu, QWidget

from readerapp.core.collection import Collection
from readerapp.core.library import DigestInfo, Library
from readerapp.gui.dialogs.digest_date import DigestDateDialog
from readerapp.gui.models.side_model import DIGEST_PREFIX, SideModel, digest_day
from readerapp.gui.settings import GuiState
from readerapp.gui.tasks import TaskManager
from readerapp.gui.views.status_area import StatusArea

CHOOSE_FIRST = "Choose a digest in the side panel first (Ctrl+1 goes there)."


class DigestDates(QObject):
    """The side panel's "Set date…" on a digest."""

    def __init__(
        self,
        tasks: TaskManager,
        status: StatusArea,
        panel: QListView,
        library: Library,
        state: GuiState,
        dated: Callable[[], None],
        open_dialog: Callable[[QDialog], None],
        parent: QWidget,
    ) -> None:
        """``dated`` is called once the digests have their new date (the library changed);
        ``open_dialog`` opens the dialog over the window ``parent``."""
        super().__init__(parent)
        self._tasks, self._status, self._panel = tasks, status, panel
        self._library, self._state = library, state
        self._dated, self._open_dialog, self._parent = dated, open_dialog, parent
        self._action: QAction | None = None
        self.dialog: DigestDateDialog | None = None
        self.menu: QMenu | None = None
        panel.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        panel.customContextMenuRequested.connect(self._context_menu)

    def attach(self, action: QAction) -> None:
        """The action of the table that starts `set_date`, for the panel's context menu."""
        self._action = action

    def set_date(self) -> None:
        """Ask for a new date for the digest chosen in the side panel."""
        day = self._chosen_day()
        digests = [info for info in self._library.digests() if info.date == day] if day else []
        if not digests:
            self._status.message(CHOOSE_FIRST)
            return
        dialog = DigestDateDialog(day, digests, self._parent)
        dialog.accepted.connect(lambda: self._redate(day, digests, dialog.day()))
        self.dialog = dialog
        self._open_dialog(dialog)

    def _chosen_day(self) -> date | None:
        model: SideModel = self._panel.model()
        entry = model.entry(self._panel.currentIndex().row())
        return digest_day(entry.key) if entry is not None else None

    def _redate(self, old: date, digests: Sequence[DigestInfo], new: date) -> None:
        if new == old:
            return

        def job(collection: Collection) -> None:
            for info in digests:
                collection.library.set_digest_date(info.id, new)

        def done(_: None) -> None:
            if self._state.last_filter == f"{DIGEST_PREFIX}{old.isoformat()}":
                self._state.last_filter = f"{DIGEST_PREFIX}{new.isoformat()}"  # kept chosen
            self._dated()
            self._status.message(f"The digest of {old.isoformat()} is now dated {new.isoformat()}")

        self._tasks.run(job, done)

    def _context_menu(self, position: QPoint) -> None:
        index = self._panel.indexAt(position)
        entry = self._panel.model().entry(index.row()) if index.isValid() else None
        if entry is None or digest_day(entry.key) is None or self._action is None:
            return
        self._panel.setCurrentIndex(index)
        menu = QMenu(self._panel)
        menu.setObjectName("digestMenu")
        menu.addAction(self._action)
        self.menu = menu
        menu.popup(self._panel.viewport().mapToGlobal(position))
