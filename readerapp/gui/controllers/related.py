"""Related papers: below the paper shown, the preview lists the five papers most like it.

They are found on the worker, only for a paper that stays shown a moment with no key typed in
the search box (not for each paper passed while typing a search or holding j: on a large
library a look-up holds the worker long enough for the next keystroke's search to wait for
it; see docs/performance.md), and drawn in when they arrive. Each is a link (Tab and Enter in
the preview, or a click) that makes it the current paper; ``m`` lists more like the paper as
the search ``like:ID``, whose first results are these five.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QWidget

from readerapp.core.collection import Collection
from readerapp.gui.controllers.navigation import Navigation, show_search
from readerapp.gui.tasks import TaskManager
from readerapp.gui.views.paper_table import PaperTable
from readerapp.gui.views.preview import SafeBrowser, paper_link
from readerapp.gui.views.status_area import StatusArea

log = logging.getLogger(__name__)

RELATED_COUNT = 5
SETTLE_MS = 250  # how long a paper stays shown, and typing pauses, before the look-up


@dataclass(frozen=True)
class RelatedPaper:
    id: str
    title: str


def like_query(paper_id: str) -> str:
    """The search that lists the papers most like ``paper_id``, best first."""
    return f"like:{paper_id}"


def related_html(papers: Sequence[RelatedPaper]) -> str:
    """The preview's list of related papers, each a link to it."""
    if not papers:
        return ""
    items = "".join(
        f'<li><a href="{paper_link(paper.id)}">{escape(paper.title)}</a></li>' for paper in papers
    )
    return (
        f'<h3>Related papers</h3><ul class="related">{items}</ul>'
        '<p class="meta">m lists more like this one.</p>'
    )


def find_related(collection: Collection, paper_id: str) -> list[RelatedPaper]:
    """The papers most like ``paper_id``, best first (on the worker)."""
    ids = collection.related(paper_id, RELATED_COUNT)
    return [RelatedPaper(paper.id, paper.title) for paper in collection.library.papers(ids)]


class RelatedPapers(QObject):
    """Finds the related papers of the paper shown (through ``tasks``) and answers their
    links in ``preview``; ``redraw`` shows the current paper again once its related papers
    are in. ``window`` is the window whose worker finds them: none is looked for once it is
    closed."""

    def __init__(
        self,
        tasks: TaskManager,
        status: StatusArea,
        table: PaperTable,
        navigation: Navigation,
        preview: SafeBrowser,
        redraw: Callable[[], None],
        window: QWidget,
    ) -> None:
        super().__init__(window)
        self.tasks = tasks
        self.status = status
        self.table = table
        self.navigation = navigation
        self._redraw = redraw
        self._window = window
        self._wanted: str | None = None  # the paper whose related papers are wanted
        self._found: tuple[str, list[RelatedPaper]] | None = None
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self._find)
        self._typed = 0  # keys typed in the search box so far (read by the worker too)
        preview.paper_chosen.connect(self.choose)
        navigation.searcher.edit.textChanged.connect(self._typing)

    def html(self, paper_id: str) -> str:
        """The related papers of ``paper_id`` for its preview, once they are found."""
        if self._found is None or self._found[0] != paper_id:
            return ""
        return related_html(self._found[1])

    def found(self, paper_id: str) -> list[RelatedPaper] | None:
        """The related papers of ``paper_id``, or None until they are found."""
        return self._found[1] if self._found and self._found[0] == paper_id else None

    def paper_shown(self, paper_id: str | None) -> None:
        """The preview now shows ``paper_id``: find its related papers (once) if it stays."""
        if paper_id == self._wanted:
            return
        self._wanted = paper_id
        if paper_id is None:
            self._settle.stop()
        else:
            self._settle.start()

    def _typing(self) -> None:
        """A key typed in the search box: the look-up waits until typing pauses."""
        self._typed += 1
        if self._wanted is not None and self.found(self._wanted) is None:
            self._settle.start()

    def _find(self) -> None:
        paper_id, typed = self._wanted, self._typed
        if paper_id is None or not self._window.isVisible():
            return  # nothing shown, or the window closed meanwhile (its worker is gone)

        def job(collection: Collection) -> list[RelatedPaper] | None:
            if paper_id != self._wanted or typed != self._typed:  # shown or typed meanwhile
                return None
            return find_related(collection, paper_id)

        self.tasks.run(job, lambda found: self._arrived(paper_id, found), self._failed)

    def _arrived(self, paper_id: str, found: list[RelatedPaper] | None) -> None:
        if found is None or paper_id != self._wanted:
            return
        self._found = (paper_id, found)
        if self.table.current_id() == paper_id:
            self._redraw()

    @staticmethod
    def _failed(message: str) -> None:
        """No related papers (the index is being rebuilt, say): the preview goes without."""
        log.info("no related papers: %s", message)

    def choose(self, paper_id: str) -> None:
        """Make the related paper ``paper_id`` current; when the list does not hold it, list
        the papers like the one shown (it is among them) and select it there."""
        row = self.table.model.row_of(paper_id)
        if row is not None:
            self.table.select_row(row)
        elif self._wanted is not None:
            show_search(self.navigation, like_query(self._wanted), select=paper_id)

    def more_like_this(self) -> None:
        """List the papers most like the current one."""
        row = self.table.current_row()
        paper = self.table.model.paper(row) if row >= 0 else None
        if paper is None:
            self.status.message("Select a paper first.")
            return
        show_search(self.navigation, like_query(paper.id))
        self.status.message(f"Papers like “{paper.title}”")
