"""For you in the window: the side panel's entry (the unread papers, best first), View ▸ Sort by
For you (any list), "Not for me" (x, undoable), the preview's one-line reason, and "Papers like
this tag" (``like:tag:NAME``, from a tag's context menu and the palette).

The model is trained and used on the worker, by the search itself (`run_search` sorts For you
when asked); after every undoable change (a star, a tag, a note, "Not for me") a list sorted For
you is searched again, so the order follows the user's labels. The GUI thread only reads the
reason of the paper shown, from the model the last search returned.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from readerapp.core.collection import Collection
from readerapp.core.library import Library
from readerapp.gui.models.side_model import FOR_YOU_KEY, TAG_PREFIX, tag_fragment
from readerapp.gui.search import SearchOutcome
from readerapp.gui.undo import StateCommand, StateKind, count_text
from readerapp.gui.views.navigation import show_search

if TYPE_CHECKING:
    from readerapp.gui.dialogs.command_palette import PaletteEntry
    from readerapp.gui.views.main_window import MainWindow

CHOOSE_A_TAG = "Choose a tag in the side panel first"
LEARNING = "For you: learning from your stars, tags and notes…"


def _read_not_for_me(library: Library, ids: list[str]) -> dict[str, bool]:
    marked = library.not_for_me_ids()
    return {pid: pid in marked for pid in ids}


def _restore_not_for_me(collection: Collection, values: dict[str, bool]) -> None:
    for marked in (True, False):
        ids = [pid for pid, value in values.items() if value is marked]
        if ids:
            collection.library.set_not_for_me(ids, marked)


NOT_FOR_ME = StateKind("not for me", _read_not_for_me, _restore_not_for_me)


def not_for_me_command(ids: Sequence[str]) -> StateCommand:
    return StateCommand(
        NOT_FOR_ME,
        f"Mark {count_text(len(ids))} Not for me",
        lambda c: c.library.set_not_for_me(ids, True),
        ids=ids,
        done=f"Marked {count_text(len(ids))} Not for me: For you learns from it",
    )


def like_tag_query(tag: str) -> str:
    return f"like:{tag_fragment(tag)}"


class ForYouView(QObject):
    """For you's parts of the window; its public methods are handlers of the action table."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self._sorted = False  # View ▸ Sort by For you
        self._on_entry = False  # the side panel's For you entry is chosen
        self._ranking = None  # the model of the last search sorted For you
        window.searcher.results_shown.connect(self._results_shown)
        window.undo.stack.indexChanged.connect(self._labels_changed)
        self._searching = True  # the stack may announce its clearing after the search is gone
        window.searcher.destroyed.connect(self._searcher_gone)

    # --- the order of the list -------------------------------------------------------------

    def use_entry(self, key: str, *, run: bool) -> None:
        """The side panel's entry ``key`` is chosen: For you's entry lists For you."""
        self._on_entry = key == FOR_YOU_KEY
        self._order(self._on_entry or self._sorted, run=run)

    def set_sorted(self, on: bool) -> None:
        self._sorted = on
        self._order(on or self._on_entry, run=True)

    def _order(self, for_you: bool, *, run: bool) -> None:
        if for_you and run and self._ranking is None:  # the model's first use takes seconds
            self.window.status.message(LEARNING)
        self.window.searcher.set_for_you(for_you, run=run)

    def _labels_changed(self, _index: int) -> None:
        """A change was made or undone: a list in For you's order is ordered again (the
        search runs on the worker after the change, which was queued first)."""
        if self._searching and self.window.searcher.for_you:
            self.window.searcher.run()

    def _searcher_gone(self) -> None:
        self._searching = False

    def _results_shown(self, outcome: SearchOutcome) -> None:
        self._ranking = outcome.ranking

    # --- the paper's reason ----------------------------------------------------------------

    def html(self, paper_id: str) -> str:
        """Why the list puts ``paper_id`` where it is, for the preview, when sorted For you."""
        if self._ranking is None or not self.window.searcher.for_you:
            return ""
        reason = self._ranking.reason(paper_id)
        return f'<p class="meta" id="forYouReason">For you: {escape(reason)}</p>' if reason else ""

    # --- handlers --------------------------------------------------------------------------

    def not_for_me(self) -> None:
        ids = self.window.table.selected_ids()
        if ids:
            self.window.undo.push(not_for_me_command(ids))

    def like_tag(self) -> None:
        """List the papers most like the side panel's current tag."""
        entry = self.window.side.entry(self.window.tag_panel.currentIndex().row())
        if entry is None or not entry.key.startswith(TAG_PREFIX):
            self.window.status.message(CHOOSE_A_TAG)
            return
        self.search_like(entry.label)

    def search_like(self, tag: str) -> None:
        show_search(self.window, like_tag_query(tag))


def like_tag_entries(window: MainWindow) -> Iterator[PaletteEntry]:
    """The palette's "Papers like TAG", one a tag of the side panel."""
    from readerapp.gui.dialogs.command_palette import PaletteEntry

    for row in range(window.side.rowCount()):
        entry = window.side.entry(row)
        if entry is not None and entry.key.startswith(TAG_PREFIX):
            run = lambda tag=entry.label: window.for_you.search_like(tag)  # noqa: E731
            query = like_tag_query(entry.label)
            yield PaletteEntry(f"Papers like {entry.label}", "For you", query, run)
