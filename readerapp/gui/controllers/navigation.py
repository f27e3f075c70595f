"""Taking the list to a filter of the side panel or to a search, for the command palette, the
trends, the related papers and the empty list's offer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from PySide6.QtWidgets import QListView

from readerapp.gui.controllers.search_controller import SearchController
from readerapp.gui.models.side_model import ALL_KEY, SideModel


class Navigable(Protocol):
    """What `show_search` works on: the side panel (its model and its view) and the search."""

    @property
    def side(self) -> SideModel: ...

    @property
    def tag_panel(self) -> QListView: ...

    @property
    def searcher(self) -> SearchController: ...


@dataclass(frozen=True)
class Navigation:
    """The parts a controller takes the list somewhere with (a `Navigable`)."""

    side: SideModel
    tag_panel: QListView
    searcher: SearchController


def choose_filter(side: SideModel, panel: QListView, key: str) -> bool:
    """Make the side panel's entry ``key`` the filter of the list; False when there is none."""
    row = side.row_of(key)
    if row is None:
        return False
    panel.setCurrentIndex(side.index(row))
    return True


def show_search(
    parts: Navigable, text: str, *, key: str = ALL_KEY, select: str | None = None
) -> None:
    """The side panel on ``key``, the search box on ``text``, searched now; ``select`` is the
    paper to make current in the results (else the first)."""
    choose_filter(parts.side, parts.tag_panel, key)
    parts.searcher.search_for(text, select)
