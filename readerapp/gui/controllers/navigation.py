"""Taking the window to a filter of the side panel or to a search, for the command palette,
the trends and the related papers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from readerapp.gui.models.side_model import ALL_KEY

if TYPE_CHECKING:
    from readerapp.gui.views.main_window import MainWindow


def choose_filter(window: MainWindow, key: str) -> bool:
    """Make the side panel's entry ``key`` the filter of the list; False when there is none."""
    row = window.side.row_of(key)
    if row is None:
        return False
    window.tag_panel.setCurrentIndex(window.side.index(row))
    return True


def show_search(
    window: MainWindow, text: str, *, key: str = ALL_KEY, select: str | None = None
) -> None:
    """The side panel on ``key``, the search box on ``text``, searched now; ``select`` is the
    paper to make current in the results (else the first)."""
    choose_filter(window, key)
    window.searcher.search_for(text, select)
