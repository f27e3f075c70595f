"""Search as you type: the search box and the side panel's filter make one request.

Requests go to the worker after a pause in the typing of 40 ms, less than the time between
two keys of a fast typist, so each key usually gets its list; the newest request supersedes
the older ones. While a long task (an import, the index) holds the worker, a request without
words is answered from SQLite on the reader thread, and one with words is run by the task
between its steps (an import, a catch-up of the index: from what is indexed so far) or waits
its turn (a rebuild). Only the very first list, before the window shows, is read on this
thread.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel, QLineEdit

from readerapp.core.library import Library
from readerapp.core.search import NO_HIGHLIGHT, Highlight
from readerapp.gui.search import NO_SORT, SearchOutcome, SearchRequest, list_library
from readerapp.gui.tasks import TaskManager
from readerapp.gui.views.paper_table import PaperTable
from readerapp.gui.views.status_area import StatusArea

DEBOUNCE_MS = 40  # keys closer together than this (key repeat, a quick burst) search once
_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class SearchController(QObject):
    """Owns the search box, the line under it (what is wrong with the query, or how a broken
    one was read) and the current results, which it lists in ``table`` from ``library`` (the
    first list) or through ``tasks``.

    ``preview_held`` is the block inside which the list's current paper may change without
    the preview following it; ``take_offer`` takes what the empty list offers (Enter in the
    box), False when it offers nothing.
    """

    results_shown = Signal(object)  # the SearchOutcome the list now shows

    def __init__(
        self,
        edit: QLineEdit,
        problem: QLabel,
        table: PaperTable,
        library: Library,
        tasks: TaskManager,
        status: StatusArea,
        preview_held: Callable[[], AbstractContextManager[object]],
        take_offer: Callable[[], bool],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.edit = edit
        self.problem = problem  # the line under the box
        self.table = table
        self.library = library
        self.tasks = tasks
        self.status = status
        self._preview_held = preview_held
        self._take_offer = take_offer
        self.terms: Highlight = NO_HIGHLIGHT  # what the results' search matched
        self.unindexed = 0  # papers the results' words were not looked for in
        self._fragment = ""
        self._sort = (NO_SORT, False)
        self._for_you = False  # For you's order instead of the search's (see `ForYouView`)
        self._want_first = False
        self._want_id: str | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.run)
        self.edit.textChanged.connect(self._timer.start)
        self.edit.textEdited.connect(self._forget_wanted)  # the user's own search now
        self.edit.installEventFilter(self)

    # --- actions ---------------------------------------------------------------------------

    def focus(self) -> None:
        self.edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.edit.selectAll()

    def clear(self) -> None:
        self.edit.clear()
        self.run()

    def go_to_first_result(self) -> None:
        """Into the list, on the first result (of the search still to come, if one is).

        When nothing was found and the empty list offers something (a correction, the whole
        library), take the offer instead.
        """
        if not self._timer.isActive() and self._take_offer():
            return
        if self._timer.isActive():
            self._want_first = True
            self.run()
        self.table.select_row(0)
        self.table.view.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def go_to_shown_paper(self) -> None:
        """Into the list, on the paper the preview shows (the first when none is): Down
        from the search box goes on from where the reader was."""
        if self._timer.isActive():
            self.run()  # the search typed: its results keep that paper when they list it
        self._into_list()

    def _into_list(self) -> None:
        """Focus the list, on its current paper (the first when none is)."""
        if self.table.current_row() < 0:
            self.table.select_row(0)
        self.table.view.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def set_filter(self, fragment: str, *, run: bool = True) -> None:
        if fragment != self._fragment:
            self._fragment = fragment
            if run:
                self.run()

    def set_sort(self, column: int, descending: bool, *, run: bool = True) -> None:
        self._sort = (column, descending)
        if run:
            self.run()

    def set_for_you(self, on: bool, *, run: bool = True) -> None:
        if on != self._for_you:
            self._for_you = on
            if run:
                self.run()

    @property
    def for_you(self) -> bool:
        return self._for_you

    def choose_suggestion(self, text: str) -> None:
        self.edit.setText(text)
        self.run()

    def search_for(self, text: str, select: str | None = None) -> None:
        """Search for ``text`` now, from the search box; once the results are in, ``select``
        is the current paper (the first result when it is None or not found)."""
        self._want_id = select
        self._want_first = select is None
        self.edit.setText(text)
        self.run()

    def _forget_wanted(self) -> None:
        self._want_id = None

    # --- searching -------------------------------------------------------------------------

    def request(self) -> SearchRequest:
        column, descending = self._sort
        return SearchRequest(self.edit.text(), self._fragment, column, descending, self._for_you)

    def run(self) -> None:
        """Search now for what the box and the panel say."""
        self._timer.stop()
        read_at = self.table.model.changes
        if not self.tasks.search(self.request(), lambda found: self.apply(found, read_at)):
            self.status.show_waiting("Indexing… the results will follow")

    def restore(self, text: str, select: str | None) -> None:
        """Before the first list: ``text`` in the search box (searched by `list_now`, not
        as typed), and ``select`` the current paper once its results are in."""
        self.edit.setText(text)
        self._timer.stop()
        self._want_id = select or None

    def list_now(self) -> None:
        """The first list, straight from SQLite, before the worker has done anything.

        Words in the search box (restored from the last run) need the index: the filter's
        papers are listed meanwhile, and the search runs on the worker; the paper to select
        is selected in both.
        """
        wanted = self._want_id
        self.apply(list_library(self.library, self.request()), self.table.model.changes)
        if self.request().has_words():
            self._want_id = wanted
            self.run()

    def apply(self, outcome: SearchOutcome, read_at: int | None = None) -> None:
        """Show new results, keeping the selection on the same papers when they are listed.

        ``read_at`` is the paper model's ``changes`` when the search was asked for: the
        records that came with the results are used when nothing changed since. The window
        shows the current paper and counts again on ``results_shown``.
        """
        table = self.table
        selected, current = table.selected_ids(), table.current_id()
        self.terms, self.unindexed = outcome.terms, outcome.unindexed
        with self._preview_held():
            table.model.set_ids(outcome.ids, outcome.records, read_at)
            if self._want_id is not None:
                selected, current = [self._want_id], self._want_id
            if self._want_first or not table.restore(selected, current):
                table.select_row(0)
        self._want_first = False
        self._want_id = None
        self.status.show_suggestion(outcome.suggestion)
        self.problem.setText(outcome.problem)
        self.problem.setVisible(bool(outcome.problem))
        if outcome.notice:
            self.status.message(outcome.notice)
        self.results_shown.emit(outcome)

    # --- keys in the search box ------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.edit and event.type() == QEvent.Type.KeyPress:
            return self._key(event)
        return False

    def _key(self, event: QKeyEvent) -> bool:
        plain = event.modifiers() in (
            Qt.KeyboardModifier.NoModifier,
            Qt.KeyboardModifier.KeypadModifier,
        )
        if plain and event.key() in _ENTER:
            self.go_to_first_result()
            return True
        if plain and event.key() == Qt.Key.Key_Down:
            self.go_to_shown_paper()
            return True
        if event.key() == Qt.Key.Key_Escape:
            if self.edit.text():
                self.clear()
            else:
                self._into_list()
            return True
        return False
