"""Keys 1 to 9 toggle the nine most used tags on the selected papers.

The order is by use, most used first, ties in alphabetical order, so that the tags used most
keep the low numbers. A tag is removed when every selected paper has it, else added to all.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMenu, QWidget

from readerapp.core.library import Library
from readerapp.gui.controllers.undo import UndoController, tags_command
from readerapp.gui.tag_colours import TagColours, swatch
from readerapp.gui.views.paper_table import PaperTable
from readerapp.gui.views.status_area import StatusArea

KEYED_TAGS = 9


class TagKeys(QObject):
    """Toggle a tag by its number on the papers selected in ``table``, through ``undo``."""

    def __init__(
        self,
        status: StatusArea,
        library: Library,
        table: PaperTable,
        undo: UndoController,
        colours: TagColours,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._status, self._library, self._table = status, library, table
        self._undo, self._colours, self._parent = undo, colours, parent
        self.menu: QMenu | None = None

    def keyed_tags(self) -> list[str]:
        """The tags of keys 1 to 9, in order."""
        counts = sorted(self._library.tags.counts(), key=lambda tc: (-tc[1], tc[0].casefold()))
        return [tag for tag, _ in counts[:KEYED_TAGS]]

    def toggle(self, number: int | None) -> None:
        """Toggle the tag of key ``number``; None (from the menu) offers the list to choose."""
        tags = self.keyed_tags()
        if not tags:
            self._status.message("There are no tags yet: t tags the selected papers.")
        elif number is None:
            self._choose(tags)
        elif number > len(tags):
            self._status.message(f"Key {number} has no tag: there are {len(tags)} tags.")
        else:
            self.toggle_tag(tags[number - 1])

    def toggle_tag(self, tag: str) -> None:
        papers = self._library.papers(self._table.selected_ids())
        if not papers:
            return
        ids = [paper.id for paper in papers]
        remove = all(tag.casefold() in {t.casefold() for t in p.tags} for p in papers)
        add, take_off = ([], [tag]) if remove else ([tag], [])
        self._undo.push(tags_command(ids, add, take_off))  # Ctrl+Z takes it back

    def _choose(self, tags: list[str]) -> None:
        menu = QMenu("Toggle a tag", self._parent)
        menu.setObjectName("toggleTagMenu")
        colours = self._colours
        for number, tag in enumerate(tags, start=1):
            action = menu.addAction(swatch(colours.of(tag)), f"&{number}  {tag}")
            action.triggered.connect(lambda _=False, t=tag: self.toggle_tag(t))
        view = self._table.view
        rect = view.visualRect(view.currentIndex())
        self.menu = menu
        menu.popup(view.viewport().mapToGlobal(rect.bottomLeft()))
