"""The collection: the library and its search index together, the face the CLI and GUI use."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import chain
from pathlib import Path

from readerapp.core import backup
from readerapp.core.digest import parse_digest_file
from readerapp.core.errands import Errands
from readerapp.core.errors import (
    DataDirError,
    DigestError,
    LibraryError,
    QueryError,
    SearchIndexError,
    UnknownPaperError,
)
from readerapp.core.for_you import ForYou, Ranking
from readerapp.core.index import SearchIndex, analyzer
from readerapp.core.library import DB_NAME, ImportResult, Library, text_key
from readerapp.core.models import ParsedDigest
from readerapp.core.paths import default_data_dir
from readerapp.core.query import Answers, ParsedQuery, evaluate, parse_query, saved_search_fragment

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
DIGEST_SUFFIXES = (".txt", ".text", ".md")
SORTS = ("relevance", "date", "title", "for-you")
INDEX_NAME = "index"
# A digest is some 100 KB; a file this big is a mistake, and importing it would take
# several times its size in memory.
MAX_DIGEST_BYTES = 64 * 1024 * 1024
# How long a sync waits for the index while another process rebuilds or syncs it.
SYNC_WAIT_SECONDS = 5.0
# How many papers ``like:ID`` lists (the preview's related papers are the first of them), and
# ``like:tag:NAME`` at least.
LIKE_LIMIT = 50


def _never() -> bool:
    return False


@dataclass
class ImportSummary:
    """What one import of files and folders did."""

    results: list[ImportResult] = field(default_factory=list)
    refused: list[DigestError] = field(default_factory=list)
    cancelled: bool = False

    @property
    def added(self) -> int:
        return sum(r.added for r in self.results)

    @property
    def seen_again(self) -> int:
        return sum(r.seen_again for r in self.results)

    @property
    def warnings(self) -> list[str]:
        return [w for r in self.results for w in r.warnings]


@dataclass
class SearchResult:
    """The papers a query found, in order, with what the views need to show it."""

    query: ParsedQuery
    ids: list[str]
    terms: frozenset[str] = frozenset()
    suggestion: str | None = None


def digest_files(paths: Iterable[Path]) -> list[Path]:
    """The files named, and the digest-like files below the folders named, in a stable order."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.suffix.lower() in DIGEST_SUFFIXES))
        else:
            found.append(path)
    return found


def prepare_data_dir(path: Path) -> Path:
    """Create the data directory if needed and check that it is writable.

    Only the platform's own data folder is made with its missing parents. A folder the user
    named whose parent is missing is more likely a typo or an unplugged drive than a wish for
    a new, empty library there, so it is an error.
    """
    if not path.is_dir() and path != default_data_dir() and not path.parent.is_dir():
        raise DataDirError(
            f"cannot create the data directory {path}: the folder {path.parent} does not exist"
        )
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DataDirError(f"cannot create the data directory {path}: {exc.strerror}") from exc
    if not os.access(path, os.W_OK | os.X_OK):
        raise DataDirError(f"the data directory {path} is not writable")
    return path


class Collection:
    """Library plus index. The index follows the library; it never holds anything of its own."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = prepare_data_dir(Path(data_dir))
        self.library = Library.in_dir(self.data_dir)
        self.index = SearchIndex(self.data_dir / INDEX_NAME)
        self._for_you = ForYou(self.library, self.index)

    def close(self) -> None:
        self.index.close()
        self.library.close()

    # --- keeping the index in step ---------------------------------------------------------

    def index_problem(self) -> str | None:
        """Why the index must be rebuilt, or None when it can be brought up to date."""
        problem = self.index.problem()
        if problem:
            return problem
        indexed, papers = self.index.doc_count(), self.library.count()
        pending = len(self.library.pending_index_ids())
        if indexed > papers or indexed + pending < papers:
            return f"the search index holds {indexed} of {papers} papers"
        return None

    def ensure_index(
        self, progress: Progress | None = None, cancelled=_never, *, procs: int = 1
    ) -> str | None:
        """Rebuild the index if it is missing, stale or damaged, then add what is pending.

        Returns the reason for a rebuild, or None when none was needed. ``procs``: see
        `SearchIndex.rebuild`; `readerapp.core.index_job` runs big jobs in a child process.
        """
        problem = self.index_problem()
        if problem is None:
            self.sync_index(progress, cancelled, procs=procs)
            return None
        with self.index.exclusive():
            problem = self.index_problem()  # another process may have rebuilt it meanwhile
            if problem:
                log.warning("rebuilding the search index: %s", problem)
                self._rebuild(progress, cancelled, procs)
            else:
                self._sync(progress, cancelled, procs)
        return problem

    def rebuild_index(
        self, progress: Progress | None = None, cancelled=_never, *, procs: int = 1
    ) -> None:
        """Build the index afresh from the library.

        The index lock is held throughout, so no other process writes into the index being
        replaced; what they queue meanwhile is taken in at the end.
        """
        with self.index.exclusive():
            self._rebuild(progress, cancelled, procs)

    def _rebuild(self, progress: Progress | None, cancelled, procs: int = 1) -> None:
        indexed: dict[str, str] = {}
        rows = _keyed(self.library.text_rows(), indexed)
        self.index.rebuild(rows, self.library.count(), progress, cancelled, procs=procs)
        self.library.clear_pending(indexed)
        self._sync(None, cancelled)

    def sync_index(
        self,
        progress: Progress | None = None,
        cancelled=_never,
        wait: float = SYNC_WAIT_SECONDS,
        *,
        procs: int = 1,
        whole: int = 1,
    ) -> int:
        """Index the papers whose text changed since the last sync. Returns how many.

        When another process keeps the index (a rebuild) longer than ``wait`` seconds, this
        does nothing: the changes stay queued in the library for that process or a later sync.
        ``whole``: index a multiple of this many papers, and leave the rest queued.
        """
        if not self.library.pending_index_ids():
            return 0
        with self.index.exclusive(wait) as held:
            if not held:
                log.info("the search index is busy elsewhere; the changes stay queued")
                return 0
            return self._sync(progress, cancelled, procs, whole)

    def _sync(self, progress: Progress | None, cancelled, procs: int = 1, whole: int = 1) -> int:
        pending = self.library.pending_index_ids()
        del pending[len(pending) - len(pending) % whole :]
        if pending:
            indexed: dict[str, str] = {}
            rows = _keyed(self.library.text_rows(pending), indexed)
            self.index.update(rows, len(pending), progress, cancelled, procs=procs)
            self.library.clear_pending(indexed)
        return len(pending)

    # --- backups ---------------------------------------------------------------------------

    def daily_backup(self, today: date | None = None) -> Path | None:
        """Back up the library if that was not done today; return the new backup, if any.

        Call it once on start (the command line does; the window should, in the background).
        It runs SQLite's quick check first, at most once a day, and raises
        DamagedLibraryError (naming the newest backup) rather than back up a damaged library.
        """
        return backup.daily_backup(self.data_dir, self.library.path, today)

    def backup(self, dest: Path | None = None) -> Path:
        """Back up the library now: to ``dest``, or as today's backup in the backups folder."""
        if dest is None:
            return backup.backup_now(self.data_dir, self.library.path)
        return backup.make_backup(self.library.path, dest)

    # --- importing -------------------------------------------------------------------------

    def import_paths(
        self,
        paths: Iterable[Path],
        progress: Progress | None = None,
        cancelled=_never,
        errands: Errands | None = None,
    ) -> ImportSummary:
        """Import digest files and folders into the library; refused files are reported.

        The ``errands`` offered meanwhile (searches) are run between two files.
        """
        files = digest_files(paths)
        summary = ImportSummary()
        with (errands or Errands()).serve() as run_errands:
            for done, path in enumerate(files):
                run_errands()
                if cancelled():
                    summary.cancelled = True
                    break
                self._import_file(path, summary)
                if progress:
                    progress(done + 1, len(files))
        return summary

    def _import_file(self, path: Path, summary: ImportSummary) -> None:
        try:
            summary.results.append(self.library.add_digest(_parse(path)))
        except DigestError as exc:
            summary.refused.append(exc)
        except OSError as exc:
            summary.refused.append(DigestError(str(path), exc.strerror or str(exc)))

    # --- searching -------------------------------------------------------------------------

    def search(self, query: str, sort: str = "relevance", *, typing: bool = False) -> SearchResult:
        """Papers matching ``query``: by relevance, or by date, title or For you on request.

        A query without words (filters alone, or nothing) lists the library (filtered) newest
        first; with words, the papers found only through filters or NOT follow the ranked
        ones, newest first. Raises `QueryError` for a filter that cannot mean anything.
        Sorted For you, the empty query lists the unread papers the user has not labelled
        (starred, tagged, noted, or marked "Not for me");
        raises `TooFewExamplesError` while For you has too little to learn from.
        """
        parsed = parse_query(query, typing=typing, saved=self.library.saved_query)
        if sort == "for-you":
            return self._for_you_sorted(parsed)
        order = "title" if sort == "title" else "date"
        if parsed.tree is None or parsed.condition is not None:
            return SearchResult(parsed, self.library.filter_ids(parsed.condition, order))
        found = evaluate(parsed.tree, self._answers(scored=sort not in ("date", "title")))
        if sort in ("date", "title"):
            hits = self.library.order_ids(chain(found.ranked, found.rest), sort)
        elif found.rest:
            hits = found.ranked + self.library.order_ids(found.rest, "date")
        else:
            hits = found.ranked
        if not parsed.text:  # like:ID with filters alone
            return SearchResult(parsed, hits)
        terms = frozenset(self.index.terms(parsed.text))
        suggestion = None if hits or typing or parsed.problems else self.index.suggest(parsed.text)
        return SearchResult(parsed, hits, terms, suggestion)

    def _for_you_sorted(self, parsed: ParsedQuery) -> SearchResult:
        """What ``parsed`` finds, For you's best first, those marked "Not for me" last."""
        ranking = self.for_you()
        if parsed.tree is None:  # suggestions: what the user has not yet labelled
            ids = self.library.matching_ids(parse_query("is:unread").condition)
            ids -= self.library.not_for_me_ids() | ranking.labels.positives.keys()
        elif parsed.condition is not None:
            ids = self.library.matching_ids(parsed.condition)
        else:
            ids = evaluate(parsed.tree, self._answers(scored=False)).members()
        ordered = ranking.order(self.library.order_ids(ids, "date"))
        refused = self.library.not_for_me_ids()
        hits = [pid for pid in ordered if pid not in refused]
        hits += [pid for pid in ordered if pid in refused]
        terms = frozenset(self.index.terms(parsed.text)) if parsed.text else frozenset()
        return SearchResult(parsed, hits, terms)

    def for_you(self) -> Ranking:
        """For you's ranking of the user's current labels over the index (brought up to date
        first). Raises `TooFewExamplesError` below five positives."""
        self.ensure_index()  # it ranks what the index holds: the papers imported since too
        return self._for_you.ranking()

    def _like_tag_hits(self, tag: str) -> list[str]:
        """``like:tag:NAME``: the papers most like that tag's, best first."""
        return self._for_you.like(self.library.tagged_ids(tag), LIKE_LIMIT)

    def _answers(self, *, scored: bool) -> Answers:
        """Where `evaluate` finds the parts of a query: the index and the library."""
        return Answers(
            text=lambda words, partial_word: self._text_hits(words, partial_word, scored),
            where=self.library.matching_ids,
            like=self._like_hits,
            like_tag=self._like_tag_hits,
            everything=lambda: set(self.library.filter_ids()),
        )

    def prepare_search(self) -> threading.Thread | None:
        """Start reading ahead what the first searches need, on a thread of its own: the
        library's order, and from the index the paper ids, lengths and commonest words.

        Searches go on meanwhile (the index is locked a word at a time); closing the
        collection stops it. None when the index cannot be opened (a search rebuilds it).
        """
        try:
            self.library.filter_ids()
            self.index.doc_count()  # opened here: the reading ahead never opens it
        except Exception as exc:  # Whoosh raises many types for damaged files
            log.warning("not reading ahead in the search index: %s", exc)
            return None
        thread = threading.Thread(target=self._read_ahead, name="read-ahead", daemon=True)
        thread.start()
        return thread

    def _read_ahead(self) -> None:
        try:
            self.index.prepare()
        except Exception:  # a damaged index: the next search finds it and rebuilds it
            log.exception("could not read ahead in the search index")

    def _text_hits(self, text: str, partial_word: str | None, scored: bool = True) -> list[str]:
        """The index's hits; an index that fails twice, the second time read afresh, is
        rebuilt from the library.

        The index job's catch-up in another process merges small segments away under a
        searcher still open here: reading afresh is enough then. While another process holds
        the index (a rebuild) longer than `SYNC_WAIT_SECONDS`, this says so rather than wait
        for it to end and rebuild the index once more.
        """

        def hits() -> list[str]:
            return self.index.search(text, partial_word, scored=scored)

        for _ in range(2):
            try:
                return hits()
            except SearchIndexError:
                self.index.close()
        with self.index.exclusive(SYNC_WAIT_SECONDS) as held:
            if not held:
                raise SearchIndexError(
                    "the search index is being written by another readerapp process;"
                    " search again once it is done"
                )
            log.warning("search failed; rebuilding the index from the library")
            self._rebuild(None, _never)
        return hits()

    def _like_hits(self, paper: str) -> list[str]:
        """``like:ID``: the papers most like that one, best first."""
        try:
            source = self.library.resolve_id(paper)
        except UnknownPaperError:
            return []  # an id still being typed, or a paper since removed: nothing like it
        return self.related(source, LIKE_LIMIT)

    # --- saved searches --------------------------------------------------------------------

    def save_search(self, name: str, query: str) -> None:
        """Save ``query`` as ``name``; refused when it would use itself, through others or not."""
        key = " ".join(name.split()).casefold()

        def lookup(other: str) -> str | None:
            same = " ".join(other.split()).casefold() == key
            return query if same else self.library.saved_query(other)

        used = parse_query(query, saved=lookup).saved_searches
        if any(" ".join(other.split()).casefold() == key for other in used):
            raise LibraryError(f"“{name}” would use itself, so it was not saved")
        self.library.save_search(name, query)

    def saved_search_counts(self) -> dict[str, tuple[int, int]]:
        """For each saved search: the papers it finds, and how many of them are new since the
        user last opened it."""
        counts = {}
        for saved in self.library.saved_searches():
            try:
                ids = self.search(saved_search_fragment(saved.name)).ids
            except QueryError:  # saved before its filter was checked: it finds nothing
                ids = []
            counts[saved.name] = (len(ids), self.library.count_newer(ids, saved.seen_up_to))
        return counts

    def related(self, paper_id: str, count: int = 5) -> list[str]:
        """The ``count`` papers most like ``paper_id``, best first: Whoosh's key terms of its
        title and abstract. The same ranking as ``like:ID``, so these are its first results."""
        paper = self.library.get(paper_id)
        try:
            return self.index.more_like(paper_id, f"{paper.title}\n{paper.abstract}", count)
        except SearchIndexError:  # being rebuilt: no related papers until it is back
            log.warning("no related papers: the search index cannot be read")
            return []

    def trend(self, query: str) -> list[tuple[date, int]]:
        """For each digest day, oldest first, how many of the papers ``query`` finds were in
        that day's digests (0 included). Filters alone are counted in SQLite."""
        parsed = parse_query(query, saved=self.library.saved_query)
        if parsed.tree is None or parsed.condition is not None:
            return self.library.counts_by_day(filters=parsed.condition)
        return self.library.counts_by_day(ids=self.search(query).ids)

    # --- the user's state that the index also holds ----------------------------------------

    def set_note(self, paper_id: str, note: str) -> None:
        """Save a note in the library first, then take it into the index."""
        self.library.set_note(paper_id, note)
        try:
            self.sync_index()
        except Exception:  # the note is safe in SQLite; the index catches up later
            log.exception("could not index the note of %s", paper_id)


def _parse(path: Path) -> ParsedDigest:
    """The digest in ``path``; refuses a file too big to be one before reading it."""
    try:
        size = path.stat().st_size
    except OSError:
        size = 0  # the parser says why the file cannot be read
    if size > MAX_DIGEST_BYTES:
        raise DigestError(
            str(path),
            f"the file is too big for a digest ({size / 1e6:,.0f} MB;"
            f" the limit is {MAX_DIGEST_BYTES / 1e6:,.0f} MB)",
        )
    return parse_digest_file(path)


def _keyed(rows: Iterable[tuple[str, str, str, str]], keys: dict[str, str]) -> Iterator:
    """``rows`` as they are, noting the `text_key` of each in ``keys`` on the way."""
    for row in rows:
        keys[row[0]] = text_key(*row[1:])
        yield row


def restore_library(data_dir: Path, source: Path) -> backup.RestoreResult:
    """Replace the library in ``data_dir`` with the backup ``source``; works on a damaged one.

    The backup is checked first; the current library is kept (backed up, or renamed aside
    when damaged). The search index is marked stale at once and rebuilt here; an open
    `Collection` in another process or thread sees the restored library on its next read.
    """
    data_dir = prepare_data_dir(Path(data_dir))
    backup.check_library_file(source)
    index = SearchIndex(data_dir / INDEX_NAME)
    index.invalidate()
    result = backup.restore(data_dir, data_dir / DB_NAME, source)
    collection = Collection(data_dir)
    try:
        collection.ensure_index()
    finally:
        collection.close()
    return result


def highlight_spans(text: str, terms: Iterable[str]) -> list[tuple[int, int]]:
    """Character spans of the words in ``text`` that match the indexed ``terms``."""
    wanted = set(terms)
    if not wanted or not text:
        return []
    return [
        (token.startchar, token.endchar)
        for token in analyzer()(text, chars=True, removestops=False)
        if token.text in wanted
    ]
