"""What the paper list says when it lists nothing, drawn over it, and what Enter does then.

A search that finds nothing says so where the eye is, in the list: "No papers match difusion.
Did you mean diffusion? (Enter)". With a side-panel filter on (a digest, a tag, Starred), the
same words are looked for in the whole library, on the worker, and when they find papers
there the list says how many: "Nothing in Fri 2 Oct 2026. 15 papers match in All papers —
press Enter to show them". Enter, in the search box or in the empty list, does what it offers.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QTextDocumentFragment
from PySide6.QtWidgets import QLabel, QListView, QTableView, QVBoxLayout

from readerapp.core.collection import Collection
from readerapp.gui.controllers.navigation import choose_filter
from readerapp.gui.models.side_model import ALL_KEY, TAG_PREFIX, SideModel
from readerapp.gui.search import SearchOutcome, SearchRequest
from readerapp.gui.tasks import TaskManager

_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_KEY_EVENTS = (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress)
_MARGIN = 24
STAR_OR_SKIP = (
    "For you learns what you like from the papers you star, tag and note.<br>"
    '<a href="star-or-skip">Star or skip a few papers</a> to get suggestions quickly (Enter)'
)


def _papers_match(count: int) -> str:
    return "1 paper matches" if count == 1 else f"{count:,} papers match"


class EmptyList(QObject):
    """The message over the empty paper list ``view``, and the offer Enter takes: a
    correction (``suggestion_taken``), or the whole library (the side panel ``panel`` over
    ``side`` on its first entry). It is told of each search's results by `results_shown`, and
    counts the words elsewhere through ``tasks``."""

    suggestion_taken = Signal(str)  # the correction offered, to search for now
    star_or_skip_taken = Signal()  # the empty For you's offer of a star-or-skip round

    def __init__(
        self,
        view: QTableView,
        side: SideModel,
        panel: QListView,
        tasks: TaskManager,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.view = view
        self.side = side
        self.panel = panel
        self.tasks = tasks
        self.label = QLabel()
        self.label.setObjectName("emptyListMessage")
        self.label.setAccessibleName("Why the list is empty")
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.linkActivated.connect(lambda _link: self.take_offer())
        self.label.hide()
        layout = QVBoxLayout(self.view.viewport())  # the message follows the list's size
        layout.setContentsMargins(_MARGIN, _MARGIN, _MARGIN, _MARGIN)
        layout.addWidget(self.label)
        self._offer: Callable[[], None] | None = None
        self._request: SearchRequest | None = None  # the search the message is about
        self.view.installEventFilter(self)

    # --- what it says ----------------------------------------------------------------------

    def message(self) -> str:
        """The message as the user reads it, on one line (empty while papers are listed)."""
        if not self.label.isVisible():
            return ""
        return QTextDocumentFragment.fromHtml(self.label.text()).toPlainText().replace("\n", " ")

    def results_shown(self, outcome: SearchOutcome) -> None:
        self._offer = None
        self._request = outcome.request
        if outcome.ids:
            self.label.hide()
            return
        words = outcome.request.text.strip()
        place = self._filter_place() if outcome.request.fragment else ""
        if outcome.too_few:
            self._say(STAR_OR_SKIP, link=True)
            self._offer = self.star_or_skip_taken.emit
        elif outcome.suggestion:
            suggestion = outcome.suggestion
            self._say(
                f"No papers match <b>{escape(words)}</b>.<br>"
                f"Did you mean <b>{escape(suggestion)}</b>? (Enter)"
            )
            self._offer = lambda: self.suggestion_taken.emit(suggestion)
        elif place and words:
            self._say(f"Nothing {place} matches <b>{escape(words)}</b>.")
            self._count_elsewhere(outcome.request)
        elif place:
            self._say(f"Nothing {place}.")
        else:
            self._say(f"No papers match <b>{escape(words)}</b>." if words else "No papers.")

    def _filter_place(self) -> str:
        """The side panel's filter as the message names it: "in Fri 2 Oct 2026", "in
        Starred", "tagged survey" (HTML)."""
        entry = self.side.entry(self.panel.currentIndex().row())
        if entry is None:
            return "here"
        tagged = entry.key.startswith(TAG_PREFIX)
        return f"{'tagged' if tagged else 'in'} {escape(entry.label)}"

    def _say(self, html: str, *, link: bool = False) -> None:
        """Show ``html``; with ``link``, its link takes the offer when clicked."""
        self.label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, not link)
        self.label.setText(html)
        self.label.show()

    def _count_elsewhere(self, request: SearchRequest) -> None:
        """Look for the search box's words in the whole library, on the worker."""
        text = request.text

        def job(collection: Collection) -> int:
            return len(collection.search(text, typing=True).ids)

        self.tasks.run(job, lambda count: self._found_elsewhere(request, count))

    def _found_elsewhere(self, request: SearchRequest, count: int) -> None:
        if count == 0 or request != self._request or not self.label.isVisible():
            return  # nothing there either, or another search is shown by now
        everything = self.side.entry(self.side.row_of(ALL_KEY) or 0)
        where = everything.label if everything is not None else "All papers"
        them = "it" if count == 1 else "them"
        self._say(
            f"Nothing {self._filter_place()}.<br>"
            f"{_papers_match(count)} in {escape(where)} — press Enter to show {them}"
        )
        self._offer = lambda: choose_filter(self.side, self.panel, ALL_KEY)

    # --- what Enter does -------------------------------------------------------------------

    def take_offer(self) -> bool:
        """Do what the message offers; False when it offers nothing."""
        offer = self._offer
        if offer is None or not self.label.isVisible():
            return False
        self._offer = None
        offer()
        return True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter in the empty list takes the offer, before the list's own Enter (to the
        preview) is looked for."""
        kind = event.type()
        if kind in _KEY_EVENTS and watched is self.view and self._is_offer_key(event):
            event.accept()  # a ShortcutOverride accepted: the key comes as a KeyPress
            return kind == QEvent.Type.ShortcutOverride or self.take_offer()
        return False

    def _is_offer_key(self, event: QKeyEvent) -> bool:
        plain = event.modifiers() in (
            Qt.KeyboardModifier.NoModifier,
            Qt.KeyboardModifier.KeypadModifier,
        )
        offered = self._offer is not None and self.label.isVisible()
        return plain and event.key() in _ENTER and offered
