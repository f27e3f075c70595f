"""For you in the window: the side panel's entry (the unread papers, best first), View ▸ Sort by
For you (any list), "Not for me" (x, undoable), the preview's one-line reason, "Papers like
this tag" (``like:tag:NAME``, from a tag's context menu and the palette), the short round of
"star or skip" that gets For you its first examples, and ``]``/``[`` through the digests' best.

The model is trained and used on the worker, by the search itself (`run_search` sorts For you
when asked); after every undoable change (a star, a tag, a note, "Not for me") a list sorted For
you is searched again, so the order follows the user's labels. The GUI thread only reads the
reason of the paper shown, from the model the last search returned.

In a list in For you's order (but one digest's), ``]`` goes to the best paper of the next digest
down the side panel (an older one) and ``[`` to that of the previous one (a newer one): the
first ``]`` goes to the newest digest's best. Elsewhere they go through the digests to triage.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import date
from html import escape
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDialog, QListView, QWidget

from readerapp.core.collection import Collection
from readerapp.core.library import Library
from readerapp.core.models import Paper
from readerapp.core.query import parse_query
from readerapp.core.star_or_skip import round_papers
from readerapp.gui.controllers.undo import StateCommand, StateKind, count_text, star_command
from readerapp.gui.dialogs.command_palette import PaletteEntry
from readerapp.gui.dialogs.star_or_skip import StarOrSkipDialog, goal_text
from readerapp.gui.models.side_model import (
    ALL_KEY,
    DIGEST_PREFIX,
    FOR_YOU_KEY,
    TAG_PREFIX,
    SideEntry,
    SideModel,
    digest_day,
    tag_fragment,
)
from readerapp.gui.search import SearchOutcome

if TYPE_CHECKING:
    from readerapp.gui.controllers.search_controller import SearchController
    from readerapp.gui.controllers.undo import UndoController
    from readerapp.gui.tasks import TaskManager
    from readerapp.gui.views.paper_table import PaperTable
    from readerapp.gui.views.status_area import StatusArea

CHOOSE_A_TAG = "Choose a tag in the side panel first"
LEARNING = "For you: learning from your stars, tags and notes…"
CHOOSING = "Choosing a few varied papers to star or skip…"
NONE_LEFT = "Every unread paper is starred, tagged, noted or marked: none is left to star or skip"


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


def days_holding(library: Library, listed: Sequence[str]) -> frozenset[date]:
    """The digest days with a paper of ``listed``."""
    return frozenset(day for day, count in library.counts_by_day(ids=listed) if count)


def best_of_day(library: Library, listed: Sequence[str], day: date) -> str | None:
    """The paper of ``day``'s digests listed first in ``listed``."""
    members = library.matching_ids(parse_query(f"date:{day.isoformat()}").condition)
    return next((pid for pid in listed if pid in members), None)


class DigestSteps(Protocol):
    """What ``]`` and ``[`` do outside For you: the digests to triage."""

    def next_digest(self) -> None: ...

    def previous_digest(self) -> None: ...


class ForYouController(QObject):
    """For you's parts of the window; its public methods are handlers of the action table."""

    def __init__(
        self,
        *,
        tasks: TaskManager,
        status: StatusArea,
        searcher: SearchController,
        undo: UndoController,
        table: PaperTable,
        side: SideModel,
        side_view: QListView,
        show_search: Callable[[str, str], None],
        digests: DigestSteps,
        open_dialog: Callable[[QDialog], None],
        parent: QWidget,
    ) -> None:
        """``show_search(text, key)`` puts the side panel on the entry ``key`` and searches
        ``text``; ``open_dialog`` opens a dialog over the window."""
        super().__init__(parent)
        self._tasks, self._status, self._searcher, self._undo = tasks, status, searcher, undo
        self._table, self._side, self._side_view = table, side, side_view
        self._show_search, self._digests, self._open_dialog = show_search, digests, open_dialog
        self._parent = parent
        self._sorted = False  # View ▸ Sort by For you
        self._entry = ""  # the key of the side panel's entry chosen
        self._ranking = None  # the model of the last search sorted For you
        self._answered: set[str] = set()  # put in a round: not put again this session
        self._round: StarOrSkipDialog | None = None  # the round open
        self._digest_key: str | None = None  # the digest ] and [ went to last
        self._steps: list[int] = []  # ] and [ pressed, not yet gone through
        self._held: tuple[list[str], frozenset[date]] = ([], frozenset())  # a list's days
        searcher.results_shown.connect(self._results_shown)
        undo.stack.indexChanged.connect(self._labels_changed)
        self._searching = True  # the stack may announce its clearing after the search is gone
        searcher.destroyed.connect(self._searcher_gone)

    # --- the order of the list -------------------------------------------------------------

    def use_entry(self, key: str, *, run: bool) -> None:
        """The side panel's entry ``key`` is chosen: For you's entry lists For you."""
        self._entry = key
        self._digest_key = None
        self._order(key == FOR_YOU_KEY or self._sorted, run=run)

    def set_sorted(self, on: bool) -> None:
        self._sorted = on
        self._digest_key = None
        self._order(on or self._entry == FOR_YOU_KEY, run=True)

    def _order(self, for_you: bool, *, run: bool) -> None:
        if for_you and run and self._ranking is None:  # the model's first use takes seconds
            self._status.message(LEARNING)
        self._searcher.set_for_you(for_you, run=run)

    def _labels_changed(self, _index: int) -> None:
        """A change was made or undone: a list in For you's order is ordered again (the
        search runs on the worker after the change, which was queued first)."""
        if self._searching and self._searcher.for_you:
            self._searcher.run()

    def _searcher_gone(self) -> None:
        self._searching = False

    def _results_shown(self, outcome: SearchOutcome) -> None:
        """Keep the model; once For you has listed (or said it cannot yet), it is no longer
        learning."""
        self._ranking = outcome.ranking
        if outcome.request.for_you and self._status.note.text() == LEARNING:
            self._status.message("", 1)

    # --- the paper's reason ----------------------------------------------------------------

    def html(self, paper_id: str) -> str:
        """Why the list puts ``paper_id`` where it is, for the preview, when sorted For you."""
        if self._ranking is None or not self._searcher.for_you:
            return ""
        reason = self._ranking.reason(paper_id)
        return f'<p class="meta" id="forYouReason">For you: {escape(reason)}</p>' if reason else ""

    # --- star or skip ----------------------------------------------------------------------

    def star_or_skip(self) -> None:
        """Put a few varied papers to the user, one at a time; For you is listed at the end."""
        if self._round is not None:  # one round at a time
            self._round.activateWindow()
            return
        leave_out = set(self._answered)

        def pick(library: Library) -> tuple[list[Paper], int]:
            return round_papers(library, leave_out=leave_out), len(library.liked_ids())

        self._status.message(CHOOSING)
        self._tasks.read(pick, self._open_round)

    def _open_round(self, picked: tuple[list[Paper], int]) -> None:
        papers, positives = picked
        if not papers:
            self._status.message(NONE_LEFT)
            return
        if self._round is not None:
            return
        dialog = self._round = StarOrSkipDialog(papers, positives, self._parent)
        dialog.starred.connect(lambda pid: self._undo.push(star_command([pid], True)))
        dialog.refused.connect(lambda pid: self._undo.push(not_for_me_command([pid])))
        dialog.finished.connect(lambda _result: self._round_over(dialog))
        self._open_dialog(dialog)

    def _round_over(self, dialog: StarOrSkipDialog) -> None:
        """Say what the round did once its stars are written (after theirs, on the worker,
        whose messages it would otherwise be hidden by), and list For you."""
        self._round = None
        self._answered.update(dialog.answered())
        starred, refused = dialog.counts["starred"], dialog.counts["refused"]
        summary = f"Star or skip: {starred} starred, {refused} Not for me. "
        summary += goal_text(dialog.positives)
        self._tasks.run(lambda _collection: None, lambda _: self._status.message(summary, 15000))
        dialog.deleteLater()
        self._show_search("", FOR_YOU_KEY)

    # --- ] and [ ---------------------------------------------------------------------------

    def next_digest(self) -> None:
        self._digest_step(1)

    def previous_digest(self) -> None:
        self._digest_step(-1)

    def _digest_step(self, step: int) -> None:
        if not self._searcher.for_you or self._entry.startswith(DIGEST_PREFIX):
            (self._digests.next_digest if step > 0 else self._digests.previous_digest)()
            return
        self._steps.append(step)
        if len(self._steps) == 1:
            self._walk()

    def _walk(self) -> None:
        """Look, on the reader thread, for the best listed paper of the nearest digest beyond
        the one gone to last, in the direction of the first step waiting. The days holding
        listed papers are looked up once a list (the lookup is the slow part)."""
        step = self._steps[0]
        digests = [e for e in self._side.entries() if e.key.startswith(DIGEST_PREFIX)]
        keys = [entry.key for entry in digests]
        if self._digest_key in keys:
            start = keys.index(self._digest_key)
        else:
            start = -1 if step > 0 else len(keys)
        rows = range(start + 1, len(keys)) if step > 0 else range(start - 1, -1, -1)
        ahead = [digests[row] for row in rows]
        listed = self._table.model.ids()
        known = self._held[1] if self._held[0] == listed else None

        def find(library: Library) -> tuple[frozenset[date], SideEntry | None, str | None]:
            held = days_holding(library, listed) if known is None else known
            entry = next((e for e in ahead if digest_day(e.key) in held), None)
            best = best_of_day(library, listed, digest_day(entry.key)) if entry else None
            return held, entry, best

        self._tasks.read(
            find,
            lambda found: self._walked(step, listed, *found),
            lambda message: self._walk_failed(message),
        )

    def _walked(
        self,
        step: int,
        listed: list[str],
        held: frozenset[date],
        entry: SideEntry | None,
        best: str | None,
    ) -> None:
        self._steps.pop(0)
        self._held = (listed, held)
        if entry is None or best is None:
            self._status.message(
                f"No {'older' if step > 0 else 'newer'} digest has papers in this list"
            )
            self._steps.clear()
            return
        self._digest_key = entry.key
        ids = self._table.model.ids()
        if best in ids:
            self._table.select_row(ids.index(best))
            self._status.message(f"The best for you in {entry.label}")
        if self._steps:
            self._walk()

    def _walk_failed(self, message: str) -> None:
        self._steps.clear()
        self._status.message(message)

    # --- handlers --------------------------------------------------------------------------

    def not_for_me(self) -> None:
        ids = self._table.selected_ids()
        if ids:
            self._undo.push(not_for_me_command(ids))

    def like_tag(self) -> None:
        """List the papers most like the side panel's current tag."""
        entry = self._side.entry(self._side_view.currentIndex().row())
        if entry is None or not entry.key.startswith(TAG_PREFIX):
            self._status.message(CHOOSE_A_TAG)
            return
        self.search_like(entry.label)

    def search_like(self, tag: str) -> None:
        self._show_search(like_tag_query(tag), ALL_KEY)

    def like_tag_entries(self) -> Iterator[PaletteEntry]:
        """The palette's "Papers like TAG", one a tag of the side panel."""
        for entry in self._side.entries():
            if entry.key.startswith(TAG_PREFIX):
                run = lambda tag=entry.label: self.search_like(tag)  # noqa: E731
                yield PaletteEntry(
                    f"Papers like {entry.label}", "For you", like_tag_query(entry.label), run
                )
