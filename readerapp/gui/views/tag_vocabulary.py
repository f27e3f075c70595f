"""Tags as a vocabulary, from the side panel: rename or merge (F2), delete (Delete), colour
(c), by keyboard or the context menu. Delete on a saved search deletes the saved search.

Each change is one transaction on the worker; the list, the preview and the panel follow.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtWidgets import QMenu, QMessageBox

from readerapp.core.collection import Collection
from readerapp.core.library import Filters
from readerapp.core.tags import TAG_COLOURS, clean_tag
from readerapp.gui.dialogs.name_dialog import NameCheck, NameDialog, NameRequest
from readerapp.gui.models.side_model import DIGEST_PREFIX, SAVED_PREFIX, TAG_PREFIX, SideEntry
from readerapp.gui.tag_colours import LABELS, swatch
from readerapp.gui.undo import delete_tag_command, rename_tag_command

if TYPE_CHECKING:
    from readerapp.gui.views.main_window import MainWindow

CHOOSE_FIRST = "Choose a tag in the side panel first (Ctrl+1 goes there)."


def _papers(count: int) -> str:
    return "1 paper" if count == 1 else f"{count:,} papers"


class TagVocabulary(QObject):
    """Rename, merge, delete and colour tags; delete saved searches."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.dialog: NameDialog | None = None
        self.confirmation: QMessageBox | None = None
        self.menu: QMenu | None = None
        panel = window.tag_panel
        panel.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        panel.customContextMenuRequested.connect(self._context_menu)

    def _current(self) -> SideEntry | None:
        return self.window.side.entry(self.window.tag_panel.currentIndex().row())

    def _current_tag(self) -> SideEntry | None:
        entry = self._current()
        if entry is None or not entry.key.startswith(TAG_PREFIX):
            self.window.status.message(CHOOSE_FIRST)
            return None
        return entry

    # --- rename and merge ------------------------------------------------------------------

    def rename(self) -> None:
        """Rename the tag chosen in the side panel; on a digest, F2 sets its date instead."""
        current = self._current()
        if current is not None and current.key.startswith(DIGEST_PREFIX):
            self.window.actions["set_digest_date"].trigger()
            return
        entry = self._current_tag()
        if entry is None:
            return
        tags = dict(self.window.library.tags.counts())
        request = NameRequest(
            "renameTagDialog", "Rename tag",
            f"Rename the tag “{entry.label}” on {_papers(entry.count or 0)}", "&New name:",
            entry.label, [tag for tag in tags if tag != entry.label],
        )  # fmt: skip
        dialog = NameDialog(request, partial(self._rename_check, entry.label, tags), self.window)
        dialog.accepted.connect(lambda: self._rename(entry.label, dialog.name()))
        self.dialog = dialog
        self.window.open_dialog(dialog)

    def _rename_check(self, old: str, tags: dict[str, int], new: str) -> NameCheck:
        """What renaming ``old`` to ``new`` does: nothing, a rename, or a merge of two tags."""
        if not new:
            return NameCheck("", ok=False)
        if new == old:
            return NameCheck("")
        other = next((tag for tag in tags if tag.casefold() == new.casefold() and tag != old), None)
        if other is None:
            return NameCheck(f"Every paper tagged “{old}” will be tagged “{new}”.")
        library = self.window.library
        merged = {pid for tag in (old, other) for pid in library.filter_ids(Filters(tags=[tag]))}
        return NameCheck(
            f"“{other}” is a tag already ({_papers(tags[other])}): the two merge into one tag "
            f"on {_papers(len(merged))}."
        )

    def _rename(self, old: str, new: str) -> None:
        if clean_tag(new) == old:
            return
        if self.window.state.last_filter == f"{TAG_PREFIX}{old.casefold()}":
            self.window.state.last_filter = f"{TAG_PREFIX}{new.casefold()}"  # keep it chosen
        self.window.undo.push(rename_tag_command(old, new))  # Ctrl+Z renames it back

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
            self.window.status.message("Choose a tag or a saved search in the side panel first.")

    def _confirm(self, question: str, detail: str, then: Callable[[], None]) -> None:
        box = QMessageBox(QMessageBox.Icon.Question, "Delete — readerapp", question,
                          parent=self.window)  # fmt: skip
        box.setObjectName("confirmDeleteDialog")
        box.setInformativeText(detail)
        delete = box.addButton("&Delete", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(delete)
        box.buttonClicked.connect(lambda button: then() if button is delete else None)
        self.confirmation = box
        self.window.open_dialog(box)

    def _delete_tag(self, tag: str) -> None:
        self.window.undo.push(delete_tag_command(tag))  # Ctrl+Z puts it back

    def _delete_search(self, name: str) -> None:
        self.window.tasks.run(
            lambda collection: collection.library.saved_searches.delete(name),
            lambda _: self.window.papers_changed([], f"Deleted the saved search “{name}”"),
        )

    # --- colour ----------------------------------------------------------------------------

    def choose_colour(self) -> None:
        """A menu of colours beside the tag chosen in the side panel (arrows and Enter)."""
        entry = self._current_tag()
        if entry is None:
            return
        panel = self.window.tag_panel
        rect = panel.visualRect(panel.currentIndex())
        self.menu = self.colour_menu(entry)
        self.menu.popup(panel.viewport().mapToGlobal(rect.bottomLeft()))

    def colour_menu(self, entry: SideEntry) -> QMenu:
        menu = QMenu(f"Colour of “{entry.label}”", self.window)
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
        self.window.tasks.run(job, lambda ids: self.window.papers_changed(ids, message))

    # --- shared ----------------------------------------------------------------------------

    def _context_menu(self, position: QPoint) -> None:
        panel = self.window.tag_panel
        index = panel.indexAt(position)
        if index.isValid():
            panel.setCurrentIndex(index)
        entry = self._current()
        if entry is None or not entry.key.startswith((TAG_PREFIX, SAVED_PREFIX)):
            return
        menu = QMenu(panel)
        menu.setObjectName("sidePanelMenu")
        if entry.key.startswith(TAG_PREFIX):
            menu.addAction(self.window.actions["rename_tag"])
            menu.addMenu(self.colour_menu(entry))
            menu.addAction(self.window.actions["like_tag"])
        menu.addAction(self.window.actions["delete_tag"])
        self.menu = menu
        menu.popup(panel.viewport().mapToGlobal(position))
