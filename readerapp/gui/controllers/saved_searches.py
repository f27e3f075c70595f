"""Saved searches: Ctrl+S names the search box's words and the side panel's filter; the side
panel lists them with what each finds and how much of it is new since it was last opened.

The counts need the search index, so the worker makes them after each refresh of the side
panel. A saved search counts as opened once it has been the filter for a moment, so that
moving through the side panel with the arrow keys does not clear the "new" of every search
passed over.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QObject, QTimer, Signal
from PySide6.QtWidgets import QDialog, QLineEdit, QListView, QWidget

from readerapp.core.library import Library
from readerapp.gui.dialogs.name_dialog import NameCheck, NameDialog, NameRequest
from readerapp.gui.models.side_model import ALL_KEY, SAVED_PREFIX, SideEntry, SideModel
from readerapp.gui.tasks import TaskManager
from readerapp.gui.views.status_area import StatusArea

log = logging.getLogger(__name__)

COUNT_DELAY_MS = 100  # gathers the refreshes of a burst of changes into one count
OPENED_AFTER_MS = 1500


def _is_saved(entry: SideEntry | None) -> bool:
    return entry is not None and entry.key.startswith(SAVED_PREFIX)


class SavedSearchController(QObject):
    """Saves searches, counts them on the worker, and notices when one is opened.

    ``query`` gives the query of the search now shown (its words and filter); ``search_edit``
    and the filter chosen in ``panel`` (showing ``side``) suggest a name. A search saved is
    announced by `papers_changed` (no ids, a message) so that the side panel counts again.
    The name dialog opens with ``open_dialog`` over ``parent``.
    """

    papers_changed = Signal(list, str)

    def __init__(
        self,
        tasks: TaskManager,
        status: StatusArea,
        library: Library,
        side: SideModel,
        panel: QListView,
        search_edit: QLineEdit,
        query: Callable[[], str],
        open_dialog: Callable[[QDialog], None],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._tasks, self._status, self._library = tasks, status, library
        self._side, self._panel, self._search_edit, self._query = side, panel, search_edit, query
        self._open_dialog, self._parent = open_dialog, parent
        self.dialog: NameDialog | None = None
        self._count_timer = self._timer(COUNT_DELAY_MS, self._count)
        self.opened_timer = self._timer(OPENED_AFTER_MS, self._opened)
        self._opened_key: str | None = None
        side.refreshed.connect(self._count_timer.start)
        panel.selectionModel().currentChanged.connect(self._chosen)

    def _timer(self, interval: int, slot: Callable[[], None]) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(interval)
        timer.timeout.connect(slot)
        return timer

    # --- saving ----------------------------------------------------------------------------

    def save_current(self) -> None:
        """Ask for a name for the search now shown, then save it on the worker."""
        query = self._query().strip()
        if not query:
            self._status.message("Type a search or choose a filter first: then Ctrl+S.")
            return
        names = [saved.name for saved in self._library.saved_searches.all()]
        request = NameRequest(
            "saveSearchDialog", "Save the search", f"Save the search  {query}", "&Name:",
            self._suggested_name(), names,
        )  # fmt: skip
        dialog = NameDialog(request, lambda name: _check_name(name, names), self._parent)
        dialog.accepted.connect(lambda: self._save(dialog.name(), query))
        self.dialog = dialog
        self._open_dialog(dialog)

    def _suggested_name(self) -> str:
        text = self._search_edit.text().strip()
        entry = self._side.entry(self._panel.currentIndex().row())
        label = entry.label if entry is not None and entry.key != ALL_KEY else ""
        return " ".join(part for part in (label, text) if part).replace('"', "")

    def _save(self, name: str, query: str) -> None:
        def saved(_: None) -> None:
            self.papers_changed.emit([], f"Saved the search “{name}”: it is in the side panel.")

        self._tasks.run(lambda collection: collection.save_search(name, query), saved)

    # --- counting and opening --------------------------------------------------------------

    def _count(self) -> None:
        if any(_is_saved(entry) for entry in self._side.entries()):
            self._tasks.run(
                lambda collection: collection.saved_search_counts(),
                self._side.set_saved_counts,
                lambda message: log.info("saved searches not counted: %s", message),
            )

    def _chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        """Another row is chosen in the side panel (not when a refresh empties the choice)."""
        if not current.isValid():
            return
        entry = self._side.entry(current.row())
        if entry is not None and entry.key == self._opened_key:
            return  # the same saved search, chosen again after a refresh
        self._opened_key = None
        self.opened_timer.stop()
        if _is_saved(entry):
            self.opened_timer.start()

    def _opened(self) -> None:
        entry = self._side.entry(self._panel.currentIndex().row())
        if not _is_saved(entry):
            return
        self._opened_key = entry.key
        name = entry.label
        self._tasks.run(
            lambda collection: collection.library.saved_searches.mark_opened(name),
            lambda _: self._count_timer.start(),
        )


def _check_name(name: str, names: list[str]) -> NameCheck:
    if not name:
        return NameCheck("", ok=False)
    if '"' in name:
        return NameCheck('A name cannot contain ".', ok=False)
    same = next((other for other in names if other.casefold() == name.casefold()), None)
    if same:
        return NameCheck(f"This replaces the saved search “{same}”.")
    return NameCheck(f'Use it in any search as  search:"{name}"')
