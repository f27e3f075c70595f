"""The full-text search index: Whoosh, derived from the library and rebuilt from it at will.

Only text lives here (title, abstract, note); the user's state is filtered in SQLite. Every
problem with the index is answered by rebuilding it, never by touching the library.
"""

from __future__ import annotations

import dataclasses
import functools
import gc
import importlib
import itertools
import json
import logging
import os
import re
import shutil
import sys
import threading
import time
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from readerapp.core.errors import SearchIndexError, disk_error
from readerapp.core.progress import Progress
from readerapp.core.query.tokens import OPERATORS
from readerapp.core.search.filelock import exclusive_lock
from readerapp.core.search.highlights import Highlight

if TYPE_CHECKING:
    from multiprocessing import Process

    from whoosh import index as whoosh_index
    from whoosh import qparser
    from whoosh.analysis import CompositeAnalyzer
    from whoosh.fields import Schema
    from whoosh.query import Query
    from whoosh.searching import Searcher
    from whoosh.writing import IndexWriter

    from readerapp.core.search.matching import SegmentCache

log = logging.getLogger(__name__)

INDEX_VERSION = 4
_VERSION_FILE = "readerapp-index.json"
TEXT_FIELDS = ("title", "abstract", "note")
EXACT_FIELD = "exact"
# What a paper scores for having a word or phrase of the query as written: more than the stems
# of any query could score (BM25F gives a word at most some 15 a field at a million papers).
EXACT_FORM_SCORE = 10_000.0
_WORD = re.compile(r"(?<![:\w])[^\W\d_]{3,}(?![\w*~:])")
# How many key terms of a paper "more like this" looks for, and how many times a word of its
# title counts (chosen by judging the related papers found: docs/related-papers.md).
KEY_TERMS = 20
TITLE_WEIGHT = 3
# Words in more than this share of the abstracts, and in more than `COMMON_FLOOR` of them, are
# no key terms: they tell little, and their postings cost "more like this" the most.
COMMON_SHARE = 0.5
COMMON_FLOOR = 100
_DOUBLE_NOT = re.compile(r"\bNOT\s+NOT\b\s*")  # NOT NOT: the two cancel out
_LINK = re.compile(r"(?:\bcode:\s*)?(?:https?://|www\.)\S+", re.IGNORECASE)
# The sorting pool of one writer in the calling process (the window's, often), and of each
# worker process of a multiprocess build, which adds papers a batch at a time (see `_writer`).
SINGLE_WRITER_MB = 256
WORKER_MB = 160
WORKER_BATCH = 5_000
READ_AHEAD_PAUSE_S = 1.0  # reading ahead waits until searches have paused this long
READ_AHEAD_SHARE = 4  # and fills up to a quarter of the search cache
# Segments with fewer documents than this are merged once there are `SMALL_SEGMENTS_MERGED`
# of them (see `_merge_small`); bigger ones are left as they are until the next rebuild.
SMALL_SEGMENT = 500
SMALL_SEGMENTS_MERGED = 6
T = TypeVar("T")
_WHOOSH_MODULES = (
    "whoosh.analysis", "whoosh.fields", "whoosh.index", "whoosh.qparser", "whoosh.query",
    "whoosh.searching", "whoosh.writing", "readerapp.core.search.word_forms",
    "readerapp.core.search.quick_writing", "readerapp.core.search.matching",
)  # fmt: skip
# Where the modules whose names an index's schema holds (see `_import_whoosh`) were before
# they moved into this package: indexes written then name them there.
_FORMERLY = {
    "readerapp.core.word_forms": "readerapp.core.search.word_forms",
    "readerapp.core.quick_writing": "readerapp.core.search.quick_writing",
}
_IMPORTING = threading.Lock()


@functools.cache
def _import_whoosh() -> None:
    """Import Whoosh (and our matching on it) the first time the index is used, not at start:
    a cost that commands that never search (stats, show, tag...) need not pay.

    Every function that imports from Whoosh calls this first. One thread imports at a time:
    two threads importing Whoosh modules that import one another could deadlock.

    Whoosh pickles the index's schema, which names our fields' formats and analyzers by their
    module: the modules are also made known by their former names (`_FORMERLY`), so that an
    index written before they moved still opens as it is, rather than being rebuilt.
    """
    with _IMPORTING:
        for name in _WHOOSH_MODULES:
            importlib.import_module(name)
        for former, name in _FORMERLY.items():
            sys.modules.setdefault(former, sys.modules[name])


def make_schema() -> Schema:
    _import_whoosh()
    from whoosh.analysis import LowercaseFilter, NgramFilter, RegexTokenizer, StemFilter, StopFilter
    from whoosh.fields import ID, NGRAMWORDS, TEXT, Schema

    from readerapp.core.search.quick_writing import QuickExistence, QuickFrequency, QuickPositions
    from readerapp.core.search.word_forms import FoldAccents, exact_form

    # Whoosh's default tokenizer keeps "*" inside words ("**bold**"); ours reads words only.
    words = RegexTokenizer(r"\w+(?:\.?\w+)*") | LowercaseFilter() | FoldAccents()
    stem = words | StopFilter() | StemFilter()
    schema = Schema(
        id=ID(stored=True, unique=True, sortable=True),
        # Unstemmed title words feed "did you mean"; titles are short, so this costs little
        # (the same on abstracts made the whole index build much slower).
        title=TEXT(analyzer=stem, field_boost=2.0, spelling=True),
        abstract=TEXT(analyzer=stem),
        note=TEXT(analyzer=stem),
        title_start=NGRAMWORDS(),
        # Title, abstract and note with each word as written (but for plurals): never searched
        # alone, it ranks a word's own forms above its stem's other words (see `parse`). Only
        # whether a paper has a word is kept (no counts, positions nor lengths): all a
        # constant score needs, and a fraction of what the index would take with them.
        exact=TEXT(analyzer=words | StopFilter() | StemFilter(exact_form)),
    )
    schema["title_start"].analyzer = words | NgramFilter(2, 12, at="start")
    for name in TEXT_FIELDS:  # the same postings, analysed quicker (see `QuickPositions`)
        schema[name].format = QuickPositions(field_boost=schema[name].format.field_boost)
    schema["title_start"].format = QuickFrequency()
    schema[EXACT_FIELD].format = QuickExistence()
    schema[EXACT_FIELD].scorable = False
    return schema


@functools.cache
def analyzer() -> CompositeAnalyzer:
    """The analyzer of the text fields, for highlighting outside the index."""
    return make_schema()["abstract"].analyzer


class Cancelled(Exception):
    """Raised inside long index work when the user cancelled it."""


def _quietly(call: Callable[[], T]) -> tuple[T | None, str | None]:
    """Run a Whoosh read: its result, or an error message when a file is damaged.

    Whoosh leaves a file it could not read open (in a cycle with the traceback): it is
    collected here, once the exception is gone, rather than warned about later.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        try:
            return call(), None
        except Exception as exc:  # Whoosh raises many types for damaged files
            message = f"{type(exc).__name__}: {exc}"
        gc.collect()
    return None, message


def _toc_problem(path: Path) -> str | None:
    """Whether the index's table of contents is missing or cannot be read."""
    _import_whoosh()
    from whoosh import index as whoosh_index

    exists, error = _quietly(lambda: whoosh_index.exists_in(str(path)))
    if error:
        return _unreadable(error)
    return None if exists else "the search index is missing"


# How unpickling fails when the index names a class (its codec, a field's format) by a module
# or name that is gone: it was written by another version of readerapp.
_RENAMED = ("ModuleNotFoundError", "ImportError", "AttributeError: Can't get attribute")


def _unreadable(error: str) -> str:
    """Why the index cannot be read (``error``: the exception's type and message), in the
    words the window's notice knows."""
    if error.startswith(_RENAMED):
        return f"the search index is from another version ({error})"
    return f"the search index is damaged ({error})"


class SearchIndex:
    """One Whoosh index folder. Not shared between threads except through ``lock``."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.lock = threading.RLock()
        self._ix: whoosh_index.Index | None = None
        self._searcher: Searcher | None = None
        self._opened_dir: tuple[int, int] | None = None
        self._searched_at = 0.0  # time.monotonic() of the latest search, for reading ahead

    @functools.cached_property
    def cache(self) -> SegmentCache:
        """What searches read from the segments, kept from one search to the next."""
        _import_whoosh()
        from readerapp.core.search.matching import SegmentCache

        return SegmentCache()

    @contextmanager
    def exclusive(self, timeout: float | None = None) -> Iterator[bool]:
        """Hold the index's write lock, shared by every readerapp process and thread.

        Yields False when it could not be had within ``timeout`` seconds (None: no limit).
        """
        with exclusive_lock(self.path.with_name(self.path.name + ".lock"), timeout) as held:
            yield held

    # --- health ----------------------------------------------------------------------------

    def problem(self) -> str | None:
        """Why the index cannot be used as it is, or None when it opens and reads."""
        missing = _toc_problem(self.path)
        if missing:
            return missing
        try:
            version = json.loads((self.path / _VERSION_FILE).read_text())["version"]
        except (OSError, ValueError, KeyError, TypeError):
            return "the search index has no version stamp"
        if version != INDEX_VERSION:
            return f"the search index is from another version ({version})"
        try:
            self.open()
            with self.lock:
                self._searcher_now().doc_count()
        except Exception as exc:  # Whoosh raises many types for damaged files
            self.close()
            return _unreadable(f"{type(exc).__name__}: {exc}")
        return None

    def open(self) -> None:
        _import_whoosh()
        from whoosh import index as whoosh_index

        with self.lock:
            self._reopen_if_replaced()
            if self._ix is None:
                self._opened_dir = _folder_id(self.path)
                self._ix, error = _quietly(lambda: whoosh_index.open_dir(str(self.path)))
                if error:
                    raise SearchIndexError(f"the search index cannot be opened ({error})")

    def invalidate(self) -> None:
        """Mark the index as not matching the library, so that the next check rebuilds it."""
        with self.lock:
            self.close()
            (self.path / _VERSION_FILE).unlink(missing_ok=True)

    def close(self) -> None:
        with self.lock:
            if self._searcher is not None:
                self._searcher.close()
            self._searcher = None
            if self._ix is not None:
                self._ix.close()
            self._ix = None

    @contextmanager
    def searcher(self) -> Iterator[Searcher]:
        """Whoosh's searcher of the index as it stands (opened if need be), the index locked
        meanwhile: for reading the index as Whoosh itself does."""
        with self.lock:
            yield self._searcher_now()

    def doc_count(self) -> int:
        with self.searcher() as searcher:
            return searcher.doc_count()

    def all_ids(self) -> set[str]:
        with self.searcher() as searcher:
            return {fields["id"] for fields in searcher.all_stored_fields()}

    def segments(self) -> tuple[str, ...]:
        """The ids of the index's segments at its latest commit, in the order of their papers'
        numbers: what builds (a segment per worker and batch) and merges have left."""
        _import_whoosh()
        from readerapp.core.search.matching import segment_ids

        with self.lock:
            self._searcher_now()
            self._refresh()
            return segment_ids(self._searcher_now())

    # --- writing ---------------------------------------------------------------------------

    def rebuild(
        self,
        rows: Iterable[tuple[str, str, str, str]],
        total: int,
        progress: Progress | None = None,
        cancelled: Callable[[], bool] = lambda: False,
        *,
        procs: int = 1,
    ) -> None:
        """Build a fresh index beside the old one from ``rows``, then swap it in.

        ``procs`` > 1 builds with that many Whoosh worker processes, one segment each: only in
        a process of its own where they are forked (see `readerapp.core.index_job`).
        """
        fresh = self.path.with_name(self.path.name + ".new")
        try:
            self._build(fresh, rows, total, progress, cancelled, procs)
            self._swap_in(fresh)
        except OSError as exc:
            shutil.rmtree(fresh, ignore_errors=True)
            raise disk_error(exc, f"the search index {self.path}") from exc

    def _build(self, fresh: Path, rows, total, progress, cancelled, procs: int) -> None:
        _import_whoosh()
        from whoosh import index as whoosh_index

        shutil.rmtree(fresh, ignore_errors=True)
        fresh.mkdir(parents=True)
        ix = whoosh_index.create_in(str(fresh), make_schema())
        try:
            added = 0
            for batch in _batches(rows, None if procs <= 1 else procs * WORKER_BATCH):
                added += self._commit_batch(ix, batch, added, total, progress, cancelled, procs)
            if ix.doc_count() != added:
                raise SearchIndexError(
                    f"the search index was built with {ix.doc_count()} of {added} papers"
                )
        except BaseException:
            ix.close()
            shutil.rmtree(fresh, ignore_errors=True)
            raise
        ix.close()
        (fresh / _VERSION_FILE).write_text(json.dumps({"version": INDEX_VERSION}))

    def _commit_batch(
        self, ix, rows, before: int, total, progress, cancelled, procs, *, update: bool = False
    ) -> int:
        """Add ``rows`` (after ``before`` others) in one commit; returns how many there were.
        An ``update`` replaces the papers the index holds already and merges small segments."""
        with self.lock:
            writer = _writer(ix, procs, timeout=30.0)
        add = self._replacing(writer) if update else writer.add_document
        shifted = progress and (lambda done, _total: progress(before + done, total))
        try:
            added = self._add_all(add, rows, total - before, shifted, cancelled)
            writer.commit(**({"mergetype": _merge_small} if update else {"merge": False}))
            _check_workers(writer)
        except BaseException:
            _cancel(writer)
            raise
        return added

    def _replacing(self, writer: IndexWriter) -> Callable[..., None]:
        """``writer.update_document``, which adds a paper in place of its old document, without
        searching the index for each paper: the live documents' paper ids are read once from
        each segment (kept from one batch to the next by the search cache). Searching for each
        was a good share of a catch-up, and grew as segments accumulate."""
        indexed: dict[str, int] = {}
        with self.lock, writer.reader() as reader:
            for leaf, offset in reader.leaf_readers():
                deleted = leaf.deleted_docs_set if leaf.has_deletions() else ()
                for docnum, paper_id in enumerate(self.cache.ids(leaf)):
                    if docnum not in deleted:
                        indexed[paper_id] = offset + docnum

        def replace(**fields: str) -> None:
            old = indexed.pop(fields["id"], None)
            if old is not None:
                writer.delete_document(old)
            writer.add_document(**fields)

        return replace

    def _swap_in(self, fresh: Path) -> None:
        old = self.path.with_name(self.path.name + ".old")
        with self.lock:
            self.close()
            shutil.rmtree(old, ignore_errors=True)
            if self.path.exists():
                self.path.rename(old)
            fresh.rename(self.path)
            shutil.rmtree(old, ignore_errors=True)

    def update(
        self,
        rows: Iterable[tuple[str, str, str, str]],
        total: int,
        progress: Progress | None = None,
        cancelled: Callable[[], bool] = lambda: False,
        *,
        procs: int = 1,
    ) -> None:
        """Add or replace the documents of ``rows``: in one commit, or with ``procs`` > 1 (see
        `rebuild`) in a commit per `WORKER_BATCH` papers a worker, each searchable once made.

        One commit of more would overflow the workers' pools (see `_writer`): a big catch-up in
        one commit took several times as long as a rebuild of the same papers.
        """
        try:
            with self.lock:
                self.open()
            done = 0
            for batch in _batches(rows, None if procs <= 1 else procs * WORKER_BATCH):
                done += self._commit_batch(
                    self._ix, batch, done, total, progress, cancelled, procs, update=True
                )
                self._refresh()
        except OSError as exc:
            raise disk_error(exc, f"the search index {self.path}") from exc

    @staticmethod
    def _add_all(add, rows, total, progress, cancelled) -> int:
        """Hand every row to ``add``; returns how many there were."""
        done = 0
        for done, (pid, title, abstract, note) in enumerate(rows, start=1):
            if cancelled():
                raise Cancelled
            exact = f"{title}\n{abstract}\n{note}"
            add(id=pid, title=title, abstract=abstract, note=note, title_start=title, exact=exact)
            if progress and (done % 200 == 0 or done == total):
                progress(done, total)
        return done

    # --- searching -------------------------------------------------------------------------

    def _searcher_now(self) -> Searcher:
        self.open()
        if self._searcher is None:
            self._searcher = self._new_searcher()
        return self._searcher

    def _new_searcher(self) -> Searcher:
        _import_whoosh()
        from readerapp.core.search.matching import segment_ids

        searcher = self._ix.searcher()
        self.cache.forget_other_segments(segment_ids(searcher))
        return searcher

    def _reopen_if_replaced(self) -> None:
        """Close what is open when another process swapped in a rebuilt index folder."""
        if self._ix is not None and _folder_id(self.path) != self._opened_dir:
            self.close()

    def _refresh(self) -> None:
        """A new searcher after a commit (Whoosh's own refresh keeps stale deletions)."""
        with self.lock:
            self._reopen_if_replaced()
            current = self._searcher
            if (
                current is not None
                and current.reader().generation() != self._ix.latest_generation()
            ):
                current.close()
                self._searcher = self._new_searcher()

    def parse(self, text: str, partial_word: str | None = None) -> Query:
        """Whoosh syntax over title, abstract and note; anything unparsable as plain words.

        Papers that have a word, or a phrase, as written (but for plurals) rank above those
        that have only other words of the same stems: "transformers" above "transformation"
        (see `readerapp.core.search.word_forms.ExactForms`). ``partial_word``, the last word of
        ``text`` still being typed, also matches the start of title words (`_typing_query`):
        the query `search` answers.
        """
        if partial_word:
            return self._typing_query(text, partial_word)
        parser = _parser()
        try:
            return parser.parse(text)
        except Exception:
            log.info("query %r did not parse; searching it without NOT NOT, or its words", text)
        try:  # Whoosh cannot read a NOT right after a NOT; the two cancel out
            return parser.parse(_DOUBLE_NOT.sub("", text))
        except Exception:
            words = "".join(c if c.isalnum() else " " for c in text).split()
            return parser.parse(" ".join(w for w in words if w not in OPERATORS))

    def search(
        self, text: str, partial_word: str | None = None, *, scored: bool = True
    ) -> list[str]:
        """Ids of every paper whose text matches: best first, or in index order if not ``scored``.

        ``partial_word``, the last word of ``text`` still being typed, also matches the start of
        title words.
        """
        _import_whoosh()
        from readerapp.core.search.matching import paper_ids

        query = self.parse(text, partial_word)
        self._searched_at = time.monotonic()
        with self.lock:
            try:
                self._refresh()
                searcher = self._searcher_now()
                ids = paper_ids(searcher, self.cache)
                return list(map(ids.__getitem__, self._matching(searcher, query, scored)))
            except Exception as exc:
                raise SearchIndexError(f"the search index failed: {exc}") from exc

    def _matching(self, searcher: Searcher, query: Query, scored: bool) -> list[int]:
        """Document numbers of every match: best first, or in index order if not ``scored``."""
        _import_whoosh()
        from readerapp.core.search.matching import Unsupported, evaluate, fuzzy_spelt_out, ranked

        try:
            scores = evaluate(searcher, query, self.cache)
        except Unsupported:
            # Whoosh's NOT can match a deleted document (its matcher skips them only while the
            # negated part has matches left): a paper updated in place would be listed twice.
            deleted = searcher.reader().is_deleted
            query = fuzzy_spelt_out(searcher, query, self.cache)
            hits = searcher.search(query, limit=None, scored=scored)
            return [docnum for _, docnum in hits.top_n if not deleted(docnum)]
        return ranked(scores) if scored else sorted(scores)

    def _typing_query(self, text: str, partial_word: str) -> Query:
        """``diffusion mod`` as ``diffusion AND (mod OR a title word starting with mod)``."""
        _import_whoosh()
        from whoosh.query import And, Term

        from readerapp.core.search.word_forms import fold_accents

        start = fold_accents(partial_word.lower())
        last = self.parse(partial_word) | Term("title_start", start)
        before = text[: text.rfind(partial_word)].strip()
        return And([self.parse(before), last]) if before else last

    def highlight(self, text: str, partial_word: str | None = None) -> Highlight:
        """What a search for ``text`` matches, to mark in the papers it finds: its words and
        phrases by field (prefix and fuzzy words as the indexed words they stand for), and
        ``partial_word``, the last word still being typed, where a title word starts with it.
        """
        _import_whoosh()
        from readerapp.core.search.matching import segment_ids
        from readerapp.core.search.word_forms import fold_accents

        query = self.parse(text)
        with self.lock:
            searcher = self._searcher_now()
            found = self.cache.derived(
                (segment_ids(searcher), "highlight", query),
                lambda: _highlight(query, searcher.reader()),
            )
        if partial_word:
            start = ("title", fold_accents(partial_word.lower()))
            found = dataclasses.replace(found, starts=frozenset({start}))
        return found

    def prepare(self) -> None:
        """Read ahead what searches need (paper ids, field lengths, the postings of the most
        common words), so that the first searches after start are as quick as later ones.

        For a thread of its own: the index is locked a word at a time, so searches go on
        meanwhile; it stops when the index is closed or changes, and never opens it.
        """
        _import_whoosh()
        from whoosh.query import Term

        from readerapp.core.search.matching import WordCounts, evaluate, paper_ids

        # Start-up work goes first: on a big library, reading ahead beside it starved the
        # window of the GIL.
        self._searched_at = max(self._searched_at, time.monotonic())
        self._wait_for_a_pause_in_searches()
        with self.lock:
            searcher = self._searcher
            if searcher is None:
                return
            paper_ids(searcher, self.cache)
            leaves = [leaf for leaf, _offset in searcher.reader().leaf_readers()]
        counts = WordCounts(("abstract", "title", EXACT_FIELD))  # a word's search reads all
        steps = [functools.partial(counts.add, leaf) for leaf in leaves]
        if not self._step_by_step(searcher, steps):
            return
        # A quarter of what the cache holds: on a big library, half of it took the window's
        # peak memory too high once typing filled the rest.
        words = counts.common(self.cache.budget // READ_AHEAD_SHARE)
        steps = [
            functools.partial(evaluate, searcher, Term(field, word), self.cache)
            for field, word in words
        ]
        self._step_by_step(searcher, steps)

    def _step_by_step(self, searcher: Searcher, steps: list[Callable[[], object]]) -> bool:
        """Take the reading ahead's ``steps`` one at a time, each once searches pause; False
        when the index was closed or changed meanwhile (the next searches read what they need)."""
        for step in steps:
            self._wait_for_a_pause_in_searches()
            with self.lock:
                if self._searcher is not searcher:
                    return False
                step()
        return True

    def _wait_for_a_pause_in_searches(self) -> None:
        # While the user types, each word read ahead would hold up the next search, and take
        # the GIL from the window: read on once they pause.
        while (idle := time.monotonic() - self._searched_at) < READ_AHEAD_PAUSE_S:
            time.sleep(READ_AHEAD_PAUSE_S - idle)

    def suggest(self, text: str) -> str | None:
        """The query with misspelt words corrected, when that finds something; else None."""
        with self.lock:
            searcher = self._searcher_now()
            reader = searcher.reader()
            words, stems = searcher.corrector("title"), searcher.corrector("abstract")

            def fix(match: re.Match[str]) -> str:
                word = match.group(0)
                if word in OPERATORS or self._known(reader, word):
                    return word
                found = words.suggest(word.lower(), limit=1, prefix=1)
                return found[0] if found else _respell(word, stems) or word

            corrected = _WORD.sub(fix, text)
            if corrected == text or searcher.search(self.parse(corrected), limit=1).is_empty():
                return None
        return corrected

    @staticmethod
    def _known(reader, word: str) -> bool:
        """True when every stem of ``word`` is in the titles or abstracts (stop words are)."""
        stems = [token.text for token in analyzer()(word)]
        return all(any((f, stem) in reader for f in ("title", "abstract")) for stem in stems)

    def more_like(self, paper_id: str, title: str, abstract: str, count: int = 5) -> list[str]:
        """Papers most like ``paper_id``, best first: the OR of the `key_terms` of its ``title``
        and ``abstract`` in the abstracts, each word's BM25F score times its weight. Answered
        from the postings as searches are: Whoosh's own search of it is too slow to run as the
        selection moves."""
        _import_whoosh()
        from readerapp.core.search.matching import best_of_terms, paper_ids, segment_ids

        with self.lock:
            searcher = self._searcher_now()
            docnum = searcher.document_number(id=paper_id)
            if docnum is None:
                return []
            # The abstracts' document frequencies, looked up once for this state of the index.
            frequencies = self.cache.derived((segment_ids(searcher), "frequencies"), dict)
            chosen = key_terms(searcher, title, abstract, frequencies)
            terms = [("abstract", word, weight) for word, weight in chosen]
            found = best_of_terms(searcher, terms, self.cache, count, leave_out=docnum)
            ids = paper_ids(searcher, self.cache)
            return [ids[d] for d in found]

    def key_terms_of_text(self, text: str) -> list[tuple[str, float]]:
        """The `KEY_TERMS` words (stems) that say most what ``text`` is about among the
        abstracts, with their weights: Whoosh's Bo1 key terms, what "more like this" takes."""
        _import_whoosh()
        with self.lock:
            return self._searcher_now().key_terms_from_text(
                "abstract", text, numterms=KEY_TERMS, normalize=False
            )

    def term_scores(self, terms: Iterable[tuple[str, float]]) -> dict[str, dict[str, float]]:
        """For each of ``terms`` (word, weight): the papers whose abstract has it, by id, with
        its BM25F score there times the weight, as "more like this" sums them."""
        _import_whoosh()
        from readerapp.core.search.matching import each_term, paper_ids

        terms = list(terms)
        with self.lock:
            searcher = self._searcher_now()
            fielded = [("abstract", word, weight) for word, weight in terms]
            found = each_term(searcher, fielded, self.cache)
            ids = paper_ids(searcher, self.cache)
            return {
                word: {ids[d]: score for d, score in scores.items()}
                for (word, _weight), scores in zip(terms, found, strict=True)
            }


def key_terms(
    searcher: Searcher, title: str, abstract: str, frequencies: dict[str, int]
) -> list[tuple[str, float]]:
    """The `KEY_TERMS` words (stems) that say most what a paper is about, with their weights
    (the first's 1): TF-IDF, how often the paper uses a word (once a title counts
    `TITLE_WEIGHT` times) times the word's idf among the abstracts of the library.

    Whoosh's own key terms (Bo1, the title and abstract as one text) let words every paper
    uses decide: a paper on heterogeneous graphs was most like a diffusion paper. Words no
    abstract has would find nothing, and common words (see `COMMON_SHARE`) and the words of
    links ("Code: https://github.com/...") say nothing of the subject: all are left out.
    ``frequencies``: the abstracts' document frequency of words, filled in as words are met.
    """
    counts: Counter[str] = Counter()
    for text, weight in ((title, TITLE_WEIGHT), (_LINK.sub(" ", abstract), 1)):
        for token in analyzer()(text):
            counts[token.text] += weight
    for word in counts.keys() - frequencies.keys():
        frequencies[word] = searcher.doc_frequency("abstract", word)
    common = max(COMMON_FLOOR, searcher.doc_count_all() * COMMON_SHARE)
    weights = {
        word: count * searcher.idf("abstract", word)
        for word, count in counts.items()
        if 0 < frequencies[word] <= common
    }
    chosen = sorted(weights.items(), key=lambda item: (-item[1], item[0]))[:KEY_TERMS]
    return [(word, weight / chosen[0][1]) for word, weight in chosen] if chosen else []


@functools.cache
def _parser() -> qparser.QueryParser:
    """The parser of queries over `TEXT_FIELDS` (and `EXACT_FIELD`, for ranking)."""
    _import_whoosh()
    from whoosh import qparser

    from readerapp.core.search.word_forms import ExactForms

    parser = qparser.QueryParser(None, make_schema())
    parser.add_plugin(ExactForms(list(TEXT_FIELDS), EXACT_FIELD, EXACT_FORM_SCORE))
    parser.add_plugin(qparser.FuzzyTermPlugin())
    return parser


def _respell(word: str, corrector) -> str | None:
    """A correction of ``word`` from the abstracts' stems, written as a word where possible.

    The index holds stems ("diffus"): the stem's correction gets back the ending the user
    typed ("difusion" -> "diffus" + "ion") when that spelling stems to the corrected stem.
    """
    stems = [token.text for token in analyzer()(word)]
    if len(stems) != 1:
        return None
    stem = stems[0]
    found = corrector.suggest(stem, limit=1, prefix=1)
    if not found:
        return None
    better, lowered = found[0], word.lower()
    if lowered.startswith(stem):
        candidate = better + lowered[len(stem) :]
        if [token.text for token in analyzer()(candidate)] == [better]:
            return candidate
    return better


def _folder_id(path: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino


def _writer(ix: whoosh_index.Index, procs: int, **options) -> IndexWriter:
    """A writer for ``ix``: Whoosh's own with one process, else its multiprocess writer, each
    worker writing a segment of its own (searches read any number of segments); both with the
    quicker pool and codec of `readerapp.core.search.quick_writing`.

    ``limitmb`` bounds each writer's sorting pool, and so a worker's memory: its pool (a
    little less than the pool counts) plus what it shares with the process that forked it.
    Past the limit the postings are pickled to disk and merged back, which doubles a worker's
    CPU time. So a big build commits a segment per worker and batch of `WORKER_BATCH` papers,
    which fits in the pool (Whoosh's own pool spilled when the workers' share of a batch was
    uneven). Bigger work in one commit (a catch-up of many papers) spills, slower
    but in the same memory.
    """
    from readerapp.core.search.quick_writing import QuickCodec, QuickMpWriter, QuickSegmentWriter

    options.update(compound=False, codec=QuickCodec())
    if procs <= 1:
        return QuickSegmentWriter(ix, limitmb=SINGLE_WRITER_MB, **options)
    return QuickMpWriter(ix, procs=procs, multisegment=True, limitmb=WORKER_MB, **options)


def _highlight(query: Query, reader) -> Highlight:
    """The words and phrases a match of ``query`` has, by field, with its prefix and fuzzy
    words expanded to the indexed words they stand for."""
    from whoosh.query import Phrase, Term

    words: set[tuple[str, str]] = set()
    phrases: set[tuple[str, tuple[str, ...], int]] = set()
    for leaf in _matched_leaves(query):
        if getattr(leaf, "fieldname", None) not in TEXT_FIELDS:
            continue
        if type(leaf) is Phrase:
            phrases.add((leaf.fieldname, tuple(leaf.words), leaf.slop))
        elif type(leaf) is Term:
            words.add((leaf.fieldname, leaf.text))
        else:
            words.update(
                (field, word.decode() if isinstance(word, bytes) else word)
                for field, word in leaf.existing_terms(reader, expand=True)
            )
    return Highlight(frozenset(words), frozenset(phrases))


def _matched_leaves(query: Query) -> Iterator[Query]:
    """The words and phrases of ``query`` that a paper it finds has: not those it must not
    have (NOT), nor the exact forms, which only rank (see `parse`)."""
    from whoosh.query import AndNot, ConstantScoreQuery, Not

    if isinstance(query, Not | ConstantScoreQuery):
        return
    if isinstance(query, AndNot):
        yield from _matched_leaves(query.a)
    elif query.is_leaf():
        yield query
    else:
        for child in query.children():
            yield from _matched_leaves(child)


def _merge_small(writer: IndexWriter, segments: list) -> list:
    """A merge policy: merge the small segments once there are enough of them, never the big.

    Whoosh's own (MERGE_SMALL) merges every segment once there are some 22 of them of a few
    thousand papers, which a big build leaves (see `_writer`): a commit of one note then
    rewrote the whole index of a big library, on the thread that searches wait for.
    """
    from whoosh.reading import SegmentReader

    small = [segment for segment in segments if segment.doc_count_all() < SMALL_SEGMENT]
    if len(small) < SMALL_SEGMENTS_MERGED:
        return segments
    for segment in small:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    return [segment for segment in segments if segment.doc_count_all() >= SMALL_SEGMENT]


def _batches(rows: Iterable[T], size: int | None) -> Iterator[Iterable[T]]:
    """``rows`` in runs of ``size``, each read from ``rows`` only as it is consumed (so no
    batch is held in memory: forked workers would each count it); all of them as they come
    when ``size`` is None. Each run must be consumed before the next is asked for."""
    if size is None:
        yield rows
        return
    remaining = iter(rows)
    for first in remaining:
        yield itertools.chain((first,), itertools.islice(remaining, size - 1))


def _check_workers(writer: IndexWriter) -> None:
    """Refuse what a multiprocess writer committed when one of its workers failed: Whoosh
    itself would leave that worker's documents out without a word."""
    if any(task.exitcode for task in _workers(writer)):
        raise SearchIndexError("a process building the search index failed")


def _cancel(writer: IndexWriter) -> None:
    """Cancel ``writer``. A multiprocess writer's own cancel leaves its workers waiting for
    work forever, so they are stopped here first."""
    for task in _workers(writer):
        if task.is_alive():
            task.terminate()
        task.join()
    if not writer.is_closed:
        writer.cancel()


def _workers(writer: IndexWriter) -> list[Process]:
    return list(getattr(writer, "tasks", []))
