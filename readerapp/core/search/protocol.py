"""What the rest of the core asks of a full-text index: the collection, For you, related papers,
the doctor, the index job and the command line call these and nothing else.

Papers go in as rows of (id, title, abstract, note) and come out as paper ids; queries are
text in Whoosh's syntax. Nothing of the implementation (its searcher, queries or cache) is
part of it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Protocol

from readerapp.core.progress import Progress
from readerapp.core.search.highlights import Highlight

Row = tuple[str, str, str, str]  # a paper's id, title, abstract and note


class TextIndex(Protocol):
    """A full-text index of the library's papers, derived from the library and rebuilt at will.

    Failures to read or write it raise `readerapp.core.errors.SearchIndexError`; long work
    given ``cancelled`` raises `Cancelled` once it says so.
    """

    path: Path  # the index's folder in the data directory

    # --- keeping it in step with the library ----------------------------------------------

    def exclusive(self, timeout: float | None = None) -> AbstractContextManager[bool]:
        """Hold the index's write lock, shared by every process; yields False when it could
        not be had within ``timeout`` seconds (None: no limit)."""
        ...

    def problem(self) -> str | None:
        """Why the index cannot be used as it is (missing, another version, damaged)."""
        ...

    def invalidate(self) -> None:
        """Mark the index as out of step, so that the next check rebuilds it."""
        ...

    def close(self) -> None: ...

    def doc_count(self) -> int: ...

    def all_ids(self) -> set[str]: ...

    def rebuild(
        self,
        rows: Iterable[Row],
        total: int,
        progress: Progress | None = None,
        cancelled: Callable[[], bool] = ...,
        *,
        procs: int = 1,
    ) -> None:
        """Build the index afresh from ``rows`` (``procs`` worker processes) and swap it in."""
        ...

    def update(
        self,
        rows: Iterable[Row],
        total: int,
        progress: Progress | None = None,
        cancelled: Callable[[], bool] = ...,
        *,
        procs: int = 1,
    ) -> None:
        """Add ``rows``, replacing the papers of the same ids."""
        ...

    # --- searching ------------------------------------------------------------------------

    def search(
        self, text: str, partial_word: str | None = None, *, scored: bool = True
    ) -> list[str]:
        """Ids of the papers ``text`` matches, best first (in index order if not ``scored``);
        ``partial_word``, the last word still being typed, also matches title words' starts."""
        ...

    def highlight(self, text: str, partial_word: str | None = None) -> Highlight:
        """What a search for ``text`` matches, to mark in the papers it finds."""
        ...

    def suggest(self, text: str) -> str | None:
        """``text`` with misspelt words corrected, when that finds something."""
        ...

    def prepare(self) -> None:
        """Read ahead what searches need, in a thread of its own; never opens the index."""
        ...

    # --- papers alike ---------------------------------------------------------------------

    def more_like(self, paper_id: str, title: str, abstract: str, count: int = 5) -> list[str]:
        """Ids of the ``count`` papers most like ``paper_id``, best first."""
        ...

    def key_terms_of_text(self, text: str) -> list[tuple[str, float]]:
        """The words (stems) that say most what ``text`` is about, with their weights."""
        ...

    def term_scores(self, terms: Iterable[tuple[str, float]]) -> dict[str, dict[str, float]]:
        """For each (word, weight) of ``terms``: its score times the weight in each paper's
        abstract that has it, by paper id."""
        ...
