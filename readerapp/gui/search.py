"""What the window asks of a search and what comes back; the work itself, run by the worker.

The search box's words and the side panel's filter are one query in the core's language.
Sorting by a column happens here too, off the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from readerapp.core.collection import Collection
from readerapp.core.errors import QueryError, TooFewExamplesError
from readerapp.core.library import Library
from readerapp.core.models import Paper, ReadState
from readerapp.core.query import parse_query
from readerapp.core.query.tree import filters_part
from readerapp.core.search import NO_HIGHLIGHT, Highlight
from readerapp.gui.models.paper_model import (
    COL_FIRST_SEEN,
    COL_SEEN_IN,
    COL_STAR,
    COL_STATE,
    COL_TAGS,
    COL_TITLE,
    READ_BATCH,
)

_STATE_ORDER = {ReadState.UNREAD: 0, ReadState.READING: 1, ReadState.READ: 2}
SORT_KEYS: dict[int, Callable[[Paper], object]] = {
    COL_STAR: lambda p: not p.starred,
    COL_SEEN_IN: lambda p: len(p.sightings),
    COL_TAGS: lambda p: (not p.tags, ", ".join(p.tags).casefold()),
    COL_STATE: lambda p: _STATE_ORDER[p.read_state],
}
NO_SORT = -1


@dataclass(frozen=True)
class SearchRequest:
    """The search box's text, the side panel's filter and the header's sort column (or For
    you's order)."""

    text: str = ""
    fragment: str = ""
    sort_column: int = NO_SORT
    descending: bool = False
    for_you: bool = False

    @property
    def query(self) -> str:
        """One query: the filter first, so that the words typed last stay last."""
        return f"{self.fragment} {self.text}" if self.fragment else self.text

    def has_words(self) -> bool:
        """True when the search box needs the index: words, ``like:ID``, or a saved search
        (which may hold words). A query with a filter that cannot mean anything needs none:
        SQLite's answer says what is wrong with it. For you's order needs the worker too."""
        if self.for_you:
            return True
        try:
            return parse_query(self.query).needs_index
        except QueryError:
            return False


@dataclass(frozen=True)
class SearchOutcome:
    """The ids found, in order, what to highlight in them and a correction to offer."""

    request: SearchRequest
    ids: list[str]
    terms: Highlight = NO_HIGHLIGHT
    suggestion: str | None = None
    notice: str = ""  # why the query finds nothing (an unknown saved search)
    records: tuple[Paper, ...] = ()  # of the first ids, read with them (see `first_records`)
    unindexed: int = 0  # papers the words could not be looked for in: not indexed yet
    problem: str = ""  # for the line under the search box: a filter named, a query mended
    ranking: object = None  # For you's model (a `readerapp.core.for_you.Ranking`), when sorted so
    too_few: bool = False  # sorted For you, which has too few examples to learn from yet


def run_search(collection: Collection, request: SearchRequest) -> SearchOutcome:
    """Search as the user types; when nothing is found, look for a correction too."""
    sort = "for-you" if request.for_you else "relevance"
    try:
        result = collection.search(request.query, sort, typing=True)
    except QueryError as exc:
        return SearchOutcome(request, [], problem=str(exc))
    except TooFewExamplesError as exc:
        return SearchOutcome(request, [], problem=str(exc), too_few=True)
    suggestion = None
    if not result.ids and result.query.text and not result.query.problems:
        suggestion = corrected_text(request.text, collection.search(request.query).suggestion)
    ids = result.ids
    if not request.for_you:
        ids = sort_ids(collection.library, ids, request.sort_column, request.descending)
    notice = " ".join(result.query.problems)
    records = first_records(collection.library, ids)
    unindexed = collection.library.index_queue.count() if result.query.text else 0
    problem = " ".join(result.query.notes)
    ranking = collection.for_you() if request.for_you else None
    return SearchOutcome(
        request, ids, result.terms, suggestion, notice, records, unindexed, problem, ranking
    )


def list_library(library: Library, request: SearchRequest) -> SearchOutcome:
    """A query without words, answered from SQLite alone (no index needed)."""
    try:
        parsed = parse_query(request.query)
    except QueryError as exc:
        return SearchOutcome(request, [], problem=str(exc))
    ids = library.filter_ids(parsed.condition, "date")
    ids = sort_ids(library, ids, request.sort_column, request.descending)
    problem = " ".join(parsed.notes)
    return SearchOutcome(request, ids, records=first_records(library, ids), problem=problem)


def first_records(library: Library, ids: list[str]) -> tuple[Paper, ...]:
    """The records of the rows the list shows first, read here rather than on the GUI thread
    (the paper model reads them in batches of the same size)."""
    return tuple(library.papers(ids[:READ_BATCH]))


def corrected_text(text: str, suggestion: str | None) -> str | None:
    """The search box's text with its words replaced by ``suggestion`` and its filters kept."""
    if not suggestion:
        return None
    kept = filters_part(parse_query(text).tree)
    return f"{kept} {suggestion}" if kept else suggestion


def sort_ids(library: Library, ids: list[str], column: int, descending: bool) -> list[str]:
    """``ids`` ordered by a column of the paper list; NO_SORT keeps the order of the search."""
    if column == NO_SORT or len(ids) < 2:
        return ids
    if column == COL_FIRST_SEEN:
        newest_first = library.order_ids(ids, "date")
        return newest_first if descending else newest_first[::-1]
    if column == COL_TITLE:
        a_to_z = library.order_ids(ids, "title")
        return a_to_z[::-1] if descending else a_to_z
    key = SORT_KEYS[column]
    papers = sorted(library.papers(ids), key=key, reverse=descending)
    return [paper.id for paper in papers]
