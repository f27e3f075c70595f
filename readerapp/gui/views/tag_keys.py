"""Keys 1 to 9 toggle the nine most used tags on the selected papers.

The order is by use, most used first, ties in alphabetical order, so that the tags used most
keep the low numbers. A tag is removed when every selected paper has it, else added to all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMenu

from readerapp.gui.tag_colours import swatch
from readerapp.gui.undo import tags_command

if TYPE_CHECKING:
    from readerapp.gui.views.main_window import MainWindow

KEYED_TAGS = 9


class TagKeys(QObject):
    """Toggle a tag by its number."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.menu: QMenu | None = None

    def keyed_tags(self) -> list[str]:
        """The tags of keys 1 to 9, in order."""
        counts = sorted(
            self.window.library.tags.counts(), key=lambda tc: (-tc[1], tc[0].casefold())
        )
        return [tag for tag, _ in counts[:KEYED_TAGS]]

    def toggle(self, number: int | None) -> None:
        """Toggle the tag of key ``number``; None (from the menu) offers the list to choose."""
        tags = self.keyed_tags()
        if not tags:
            self.window.status.message("There are no tags yet: t tags the selected papers.")
        elif number is None:
            self._choose(tags)
        elif number > len(tags):
            self.window.status.message(f"Key {number} has no tag: there are {len(tags)} tags.")
        else:
            self.toggle_tag(tags[number - 1])

    def toggle_tag(self, tag: str) -> None:
        papers = self.window.library.papers(self.window.table.selected_ids())
        if not papers:
            return
        ids = [paper.id for paper in papers]
        remove = all(tag.casefold() in {t.casefold() for t in p.tags} for p in papers)
        add, take_off = ([], [tag]) if remove else ([tag], [])
        self.window.undo.push(tags_command(ids, add, take_off))  # Ctrl+Z takes it back

    def _choose(self, tags: list[str]) -> None:
        menu = QMenu("Toggle a tag", self.window)
        menu.setObjectName("toggleTagMenu")
        colours = self.window.tag_colours
        for number, tag in enumerate(tags, start=1):
            action = menu.addAction(swatch(colours.of(tag)), f"&{number}  {tag}")
            action.triggered.connect(lambda _=False, t=tag: self.toggle_tag(t))
        view = self.window.paper_view
        rect = view.visualRect(view.currentIndex())
        self.menu = menu
        menu.popup(view.viewport().mapToGlobal(rect.bottomLeft()))
