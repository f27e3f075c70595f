"""The reader's place, kept from one run to the next: the search box's text, the paper that
was current and where the list was scrolled to (the side panel's filter is kept as it is
chosen, see `GuiState.last_filter`), per library.

Restoring takes nothing from start-up: the search is restored with the first list, which is
read from SQLite as always; a search with words then runs on the worker like any other, and
the paper is selected once its results are in. The scroll position follows when the window
shows and the results are there, unless the user has searched for something else by then.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer

from readerapp.gui.controllers.search_controller import SearchController
from readerapp.gui.search import SearchOutcome
from readerapp.gui.settings import GuiState
from readerapp.gui.views.paper_table import PaperTable


class PlaceKeeper(QObject):
    """Saves the place when the window closes and brings it back in the next run."""

    def __init__(self, state: GuiState, searcher: SearchController, table: PaperTable) -> None:
        super().__init__(searcher)
        self.state = state
        self.searcher = searcher
        self.table = table
        self._scroll: int | None = None  # to restore, once shown and listed
        self._search = ""
        self._listed = False
        self._shown = False

    def first_list(self) -> None:
        """List for the first time, with the last run's search and paper."""
        self._search = self.state.last_search
        self._scroll = self.state.last_scroll or None
        self.searcher.restore(self._search, self.state.last_paper)
        words = self.searcher.request().has_words()
        self.searcher.list_now()
        if words:
            self.searcher.results_shown.connect(
                self._results_in, Qt.ConnectionType.SingleShotConnection
            )
        else:
            self._listed = True

    def window_shown(self) -> None:
        self._shown = True
        QTimer.singleShot(0, self._scroll_back)  # once the list is laid out at its size

    def _results_in(self, outcome: SearchOutcome) -> None:
        if outcome.request.text != self._search:
            self._scroll = None  # another search came first: the place is the user's now
        self._listed = True
        self._scroll_back()

    def _scroll_back(self) -> None:
        if self._scroll is None or not (self._listed and self._shown):
            return
        view = self.table.view
        bar = view.verticalScrollBar()
        bar.setValue(min(self._scroll, bar.maximum()))
        self._scroll = None
        if view.currentIndex().isValid():
            view.scrollTo(view.currentIndex())  # the paper stays in sight, whatever the size

    def save(self) -> None:
        self.state.last_search = self.searcher.edit.text()
        self.state.last_paper = self.table.current_id() or ""
        self.state.last_scroll = self.table.view.verticalScrollBar().value()
