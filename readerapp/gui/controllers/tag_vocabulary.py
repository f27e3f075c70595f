"""Tags as a vocabulary, from the side panel: rename or merge (F2), delete (Delete), colour
(c), by keyboard or the context menu. Delete on a saved search deletes the saved search.

Each change is one transaction on the worker; the list, the preview and the panel follow.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from PySide6.QtCore import QObject, QPoint, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QListView, QMenu, QMessageBox, QWidget

from readerapp.core.collection import Collection
from readerapp.core.library import Filters, Library
from readerapp.core.tags import TAG_COLOURS, clean_tag
from readerapp.gui.controllers.undo import UndoController, delete_tag_command, rename_tag_command
from readerapp.gui.dialogs.name_dialog import NameCheck, NameDialog, NameRequest
from readerapp.gui.models.side_model import (
    DIGEST_PREFIX,
    SAVED_PREFIX,
    TAG_PREFIX,
    SideEntry,
    SideModel,
)
from readerapp.gui.settings import GuiState
from readerapp.gui.tag_colours import LABELS, swatch
from readerapp.gui.tasks import TaskManager
from readerapp.gui.views.status_area import StatusArea

CHOOSE_FIRST = "Choose a tag in the side panel first (Ctrl+1 goes there)."


def _papers(count: int) -> str:
    return "1 paper" if count == 1 else f"{count:,} papers"


@dataclass(frozen=True)
class PanelActions:
    """The actions the side panel's context menu offers, and F2's action on a digest."""

    rename: QAction
    like: QAction
    delete: QAction
    set_digest_date: QAction


class TagVocabulary(QObject):
    """Rename, merge, delete and colour the tags chosen in the side panel ``panel`` (showing
    ``side``); delete saved searches.

    Tag changes go on ``undo``; a colour or a saved search deleted is written on the worker of
    ``tasks`` and announced by `papers_changed` (ids, message). ``state`` keeps a renamed tag
    chosen at the next start. Dialogs open with ``open_dialog`` over ``parent``.
    """

    papers_changed = Signal(list, str)

    def __init__(
        self,
        tasks: TaskManager,
        status: StatusArea,
        library: Library,
        side: SideModel,
        panel: QListView,
        undo: UndoController,
        state: GuiState,
        open_dialog: Callable[[QDialog], None],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._tasks, self._status, self._library = tasks, status, library
        self._side, self._panel, self._undo, self._state = side, panel, undo, state
        self._open_dialog, self._parent = open_dialog, parent
        self._actions: PanelActions | None = None
        self.dialog: NameDialog | None = None
        self.confirmation: QMessageBox | None = None
        self.menu: QMenu | None = None
        panel.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        panel.customContextMenuRequested.connect(self._context_menu)

    def attach(self, actions: PanelActions) -> None:
        """The actions of the context menu (built after this controller, whose methods they
        call)."""
        self._actions = actions

    def _current(self) -> SideEntry | None:
        return self._side.entry(self._panel.currentIndex().row())

    def _current_tag(self) -> SideEntry | None:
        entry = self._current()
        if entry is None or not entry.key.startswith(TAG_PREFIX):
            self._status.message(CHOOSE_FIRST)
            return None
        return entry

    # --- rename and merge ------------------------------------------------------------------

    def rename(self) -> None:
        """Rename the tag chosen in the side panel; on a digest, F2 sets its date instead."""
        current = self._current()
        if current is not None and current.key.startswith(DIGEST_PREFIX):
            self._attached().set_digest_date.trigger()
            return
        entry = self._current_tag()
        if entry is None:
            return
        tags = dict(self._library.tags.counts())
        request = NameRequest(
            "renameTagDialog", "Rename tag",
            f"Rename the tag “{entry.label}” on {_papers(entry.count or 0)}", "&New name:",
            entry.label, [tag for tag in tags if tag != entry.label],
        )  # fmt: skip
        dialog = NameDialog(request, partial(self._rename_check, entry.label, tags), self._parent)
        dialog.accepted.connect(lambda: self._rename(entry.label, dialog.name()))
        self.dialog = dialog
        self._open_dialog(dialog)

    def _rename_check(self, old: str, tags: dict[str, int], new: str) -> NameCheck:
        """What renaming ``old`` to ``new`` does: nothing, a rename, or a merge of two tags."""
        if not new:
            return NameCheck("", ok=False)
        if new == old:
            return NameCheck("")
        other = next((tag for tag in tags if tag.casefold() == new.casefold() and tag != old), None)
        if other is None:
            return NameCheck(f"Every paper tagged “{old}” will be tagged “{new}”.")
        library = self._library
        merged = {pid for tag in (old, other) for pid in library.filter_ids(Filters(tags=[tag]))}
        return NameCheck(
            f"“{other}” is a tag already ({_papers(tags[other])}): the two merge into one tag "
            f"on {_papers(len(merged))}."
        )

    def _rename(self, old: str, new: str) -> None:
        if clean_tag(new) == old:
            return
        if self._state.last_filter == f"{TAG_PREFIX}{old.casefold()}":
            self._state.last_filter = f"{TAG_PREFIX}{new.casefold()}"  # keep it chosen
        self._undo.push(rename_tag_command(old, new))  # Ctrl+Z renames it back

    # --- delete ----------------------------------------------------------------------------

    def delete(self) -> None:
        """Delete the tag, or the saved search, chosen in the side panel, once confirmed."""
        entry = self._current()
        if entry is not None and entry.key.startswith(TAG_PREFIX):
            self._confirm(
                f"Delete the tag “{entry.label}” from {_papers(entry.count or 0)}?",
                "The papers stay in the library; only the tag goes.",
                lambda: self._delete_tag(entry.label),
            )
        elif entry is not None and entry.key.startswith(SAVED_PREFIX):
            self._confirm(
                f"Delete the saved search “{entry.label}”?",
                "Searches that use it will find nothing.",
                lambda: self._delete_search(entry.label),
            )
        else:
            self._status.message("Choose a tag or a saved search in the side panel first.")

    def _confirm(self, question: str, detail: str, then: Callable[[], None]) -> None:
        box = QMessageBox(QMessageBox.Icon.Question, "Delete — readerapp", question,
                          parent=self._parent)  # fmt: skip
        box.setObjectName("confirmDeleteDialog")
        box.setInformativeText(detail)
        delete = box.addButton("&Delete", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(delete)
        box.buttonClicked.connect(lambda button: then() if button is delete else None)
        self.confirmation = box
        self._open_dialog(box)

    def _delete_tag(self, tag: str) -> None:
        self._undo.push(delete_tag_command(tag))  # Ctrl+Z puts it back

    def _delete_search(self, name: str) -> None:
        self._tasks.run(
            lambda collection: collection.library.saved_searches.delete(name),
            lambda _: self.papers_changed.emit([], f"Deleted the saved search “{name}”"),
        )

    # --- colour ----------------------------------------------------------------------------

    def choose_colour(self) -> None:
        """A menu of colours beside the tag chosen in the side panel (arrows and Enter)."""
        entry = self._current_tag()
        if entry is None:
            return
        panel = self._panel
        rect = panel.visualRect(panel.currentIndex())
        self.menu = self.colour_menu(entry)
        self.menu.popup(panel.viewport().mapToGlobal(rect.bottomLeft()))

    def colour_menu(self, entry: SideEntry) -> QMenu:
        menu = QMenu(f"Colour of “{entry.label}”", self._parent)
        menu.setObjectName("tagColourMenu")
        for colour in (*TAG_COLOURS, None):
            action = menu.addAction(swatch(colour), LABELS[colour])
            action.setCheckable(True)
            action.setChecked(colour == entry.colour)
            action.triggered.connect(lambda _=False, c=colour: self._set_colour(entry.label, c))
        return menu

    def _set_colour(self, tag: str, colour: str | None) -> None:
        def job(collection: Collection) -> list[str]:
            collection.library.tags.set_colour(tag, colour)
            return collection.library.filter_ids(Filters(tags=[tag]))

        message = f"The tag “{tag}” is {LABELS[colour].replace('&', '').lower()}"
        self._tasks.run(job, lambda ids: self.papers_changed.emit(ids, message))

    # --- shared ----------------------------------------------------------------------------

    def _context_menu(self, position: QPoint) -> None:
        panel = self._panel
        index = panel.indexAt(position)
        if index.isValid():
            panel.setCurrentIndex(index)
        entry = self._current()
        if entry is None or not entry.key.startswith((TAG_PREFIX, SAVED_PREFIX)):
            return
        menu = QMenu(panel)
        menu.setObjectName("sidePanelMenu")
        actions = self._attached()
        if entry.key.startswith(TAG_PREFIX):
            menu.addAction(actions.rename)
            menu.addMenu(self.colour_menu(entry))
            menu.addAction(actions.like)
        menu.addAction(actions.delete)
        self.menu = menu
        menu.popup(panel.viewport().mapToGlobal(position))

    def _attached(self) -> PanelActions:
        if self._actions is None:
            raise RuntimeError("attach the side panel's actions to TagVocabulary first")
        return self._actions
