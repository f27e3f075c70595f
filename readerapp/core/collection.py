"""The collection: the library and its search index together, the face the CLI and GUI use."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from itertools import chain
from pathlib import Path

from readerapp.core import backup, daily_papers
from readerapp.core.digest import OwnOutputError, parse_digest_bytes, parse_digest_file
from readerapp.core.errands import Errands
from readerapp.core.errors import (
    DataDirError,
    DigestError,
    LibraryError,
    QueryError,
    SearchIndexError,
    UnknownPaperError,
    disk_error,
)
from readerapp.core.for_you import ForYou, Ranking
from readerapp.core.index_queue import text_key
from readerapp.core.library import DB_NAME, ImportResult, Library
from readerapp.core.models import DateSource, ParsedDigest, date_note
from readerapp.core.paths import default_data_dir
from readerapp.core.plural import counted
from readerapp.core.progress import Progress, never
from readerapp.core.query import Answers, ParsedQuery, evaluate, parse_query, saved_search_fragment
from readerapp.core.search import NO_HIGHLIGHT, Highlight, SearchIndex, TextIndex

log = logging.getLogger(__name__)

DIGEST_SUFFIXES = (".txt", ".text", ".md")
SORTS = ("relevance", "date", "title", "for-you")
INDEX_NAME = "index"
PASTED_DIR = "pasted"  # digests pasted or read from standard input, kept as files
FETCHED_DIR = "fetched"  # the Daily Papers of each day fetched, as received
# A digest is some 100 KB; a file this big is a mistake, and importing it would take
# several times its size in memory.
MAX_DIGEST_BYTES = 64 * 1024 * 1024
# How long a sync waits for the index while another process rebuilds or syncs it.
SYNC_WAIT_SECONDS = 5.0
# How many papers ``like:ID`` lists (the preview's related papers are the first of them), and
# ``like:tag:NAME`` at least.
LIKE_LIMIT = 50


@dataclass
class ImportSummary:
    """What one import of files and folders did.

    ``skipped``: readerapp's own exports found in folders, passed over; ``empty_folders``:
    folders named that held no digest file. `readerapp.core.import_report` puts it in words.
    """

    results: list[ImportResult] = field(default_factory=list)
    refused: list[DigestError] = field(default_factory=list)
    cancelled: bool = False
    skipped: list[DigestError] = field(default_factory=list)
    empty_folders: list[Path] = field(default_factory=list)

    def joined(self, other: ImportSummary) -> ImportSummary:
        """This summary followed by ``other``, as if one import did both."""
        return ImportSummary(
            results=self.results + other.results,
            refused=self.refused + other.refused,
            cancelled=self.cancelled or other.cancelled,
            skipped=self.skipped + other.skipped,
            empty_folders=self.empty_folders + other.empty_folders,
        )

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
    terms: Highlight = NO_HIGHLIGHT  # what to mark in the papers found
    suggestion: str | None = None


def digest_files(paths: Iterable[Path]) -> list[Path]:
    """The files named, and the digest-like files below the folders named, in a stable order."""
    return [path for path, _folder in _files_in(paths)]


def _files_in(paths: Iterable[Path]) -> list[tuple[Path, Path | None]]:
    """Each file named, with None, and each digest-like file below a folder named, with the
    folder."""
    found: list[tuple[Path, Path | None]] = []
    for path in map(Path, paths):
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.suffix.lower() in DIGEST_SUFFIXES)
            found.extend((file, path) for file in files if file.is_file())
        else:
            found.append((path, None))
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
        self.index: TextIndex = SearchIndex(self.data_dir / INDEX_NAME)
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
        pending = len(self.library.index_queue.ids())
        if indexed > papers or indexed + pending < papers:
            return f"the search index holds {indexed} of {counted(papers, 'paper')}"
        return None

    def ensure_index(
        self, progress: Progress | None = None, cancelled=never, *, procs: int = 1
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
                log.log(self._rebuild_level(), "rebuilding the search index: %s", problem)
                self._rebuild(progress, cancelled, procs)
            else:
                self._sync(progress, cancelled, procs)
        return problem

    def _rebuild_level(self) -> int:
        """A new library (no index folder yet, or no papers) builds its first index: that is
        news (INFO), not a problem; an index that was there and must go is a WARNING."""
        new = not self.index.path.exists() or self.library.count() == 0
        return logging.INFO if new else logging.WARNING

    def rebuild_index(
        self, progress: Progress | None = None, cancelled=never, *, procs: int = 1
    ) -> None:
        """Build the index afresh from the library.

        The index lock is held throughout, so no other process writes into the index being
        replaced; what they queue meanwhile is taken in at the end.
        """
        with self.index.exclusive():
            self._rebuild(progress, cancelled, procs)

    def _rebuild(self, progress: Progress | None, cancelled, procs: int = 1) -> None:
        indexed: dict[str, str] = {}
        rows = _keyed(self.library.index_queue.text_rows(), indexed)
        self.index.rebuild(rows, self.library.count(), progress, cancelled, procs=procs)
        self.library.index_queue.clear(indexed)
        self._sync(None, cancelled)

    def sync_index(
        self,
        progress: Progress | None = None,
        cancelled=never,
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
        if not self.library.index_queue.ids():
            return 0
        with self.index.exclusive(wait) as held:
            if not held:
                log.info("the search index is busy elsewhere; the changes stay queued")
                return 0
            return self._sync(progress, cancelled, procs, whole)

    def _sync(self, progress: Progress | None, cancelled, procs: int = 1, whole: int = 1) -> int:
        pending = self.library.index_queue.ids()
        del pending[len(pending) - len(pending) % whole :]
        if pending:
            indexed: dict[str, str] = {}
            rows = _keyed(self.library.index_queue.text_rows(pending), indexed)
            self.index.update(rows, len(pending), progress, cancelled, procs=procs)
            self.library.index_queue.clear(indexed)
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
        cancelled=never,
        errands: Errands | None = None,
        *,
        day: date | None = None,
        found_in_folder: bool = False,
    ) -> ImportSummary:
        """Import digest files and folders into the library; refused files are reported.

        Readerapp's own exports are skipped in the folders named (and among the files given
        when ``found_in_folder``, as a watched folder's are), refused when named. ``day``
        dates every digest imported, as the user asked. The ``errands`` offered meanwhile
        (searches) are run between two files.
        """
        paths = [Path(path) for path in paths]
        files = _files_in(paths)
        summary = ImportSummary()
        with (errands or Errands()).serve() as run_errands:
            for done, (path, folder) in enumerate(files):
                run_errands()
                if cancelled():
                    summary.cancelled = True
                    break
                self._import_file(path, summary, day, found_in_folder or folder is not None)
                if progress:
                    progress(done + 1, len(files))
        if not summary.cancelled:
            summary.empty_folders = _empty_folders(paths, files, summary)
        return summary

    def import_text(
        self, text: str | bytes, *, name: str = "pasted", day: date | None = None
    ) -> ImportSummary:
        """Import a digest pasted or read from standard input, as if it were a file.

        Bytes are decoded as a file's are. The text is kept in the data directory's
        `PASTED_DIR` (so that it can be imported again and is backed up with the data) when
        it adds a digest. A refused text is reported in the summary under ``name`` ("pasted
        text"), never raised; the year of its date line is the one up to today.
        """
        data = text.encode("utf-8") if isinstance(text, str) else text
        label = Path(f"{name} text")
        summary = ImportSummary()
        try:
            _check_size(label, len(data))
            if not data.strip():
                raise DigestError(str(label), "the text is empty")
            parsed = parse_digest_bytes(data, source=label, mtime=datetime.now(),
                                        date_source=DateSource.IMPORT_YEAR)  # fmt: skip
        except DigestError as exc:
            summary.refused.append(exc)
            return summary
        kept = self._keep_text(data)
        try:
            result = self._add(replace(parsed, source=kept), day)
        except BaseException:
            kept.unlink(missing_ok=True)
            raise
        if result.already_imported:
            kept.unlink(missing_ok=True)
            result = replace(result, source=str(label))
        summary.results.append(result)
        return summary

    def fetch_days(
        self,
        days: Iterable[date],
        progress: Progress | None = None,
        cancelled=never,
        *,
        timeout: float = daily_papers.TIMEOUT_S,
        say: daily_papers.Say | None = None,
    ) -> ImportSummary:
        """Fetch the Daily Papers of ``days`` and import them, each as a digest whose source is
        the answer kept as received in `FETCHED_DIR` (``YYYY-MM-DD.json``).

        Every day is fetched and read before any is imported: a day that cannot be fetched or
        read raises `daily_papers.FetchError` with the library unchanged, and so does nothing
        when cancelled (the summary says so). ``say`` hears of each wait the service asks for.
        """
        days = list(days)
        answers: list[tuple[date, bytes, ParsedDigest]] = []
        for done, day in enumerate(days):
            if cancelled():
                return ImportSummary(cancelled=True)
            data = daily_papers.download(day, timeout=timeout, say=say)
            label = Path(f"Daily Papers {day.isoformat()}")
            try:
                answers.append((day, data, daily_papers.read_day(data, label, day)))
            except DigestError as exc:
                raise daily_papers.FetchError(
                    f"{daily_papers.SERVICE} answered {day} in an unexpected shape:"
                    f" {exc.reason}; nothing was imported"
                ) from None
            if progress:
                progress(done + 1, len(days))
        summary = ImportSummary()
        for day, data, parsed in answers:
            summary.results.append(self._add_fetched(day, data, parsed))
        return summary

    def _add_fetched(self, day: date, data: bytes, parsed: ParsedDigest) -> ImportResult:
        """Keep a fetched day's answer and import it from there; an answer the library holds
        already is not kept twice."""
        kept, new = self._keep_answer(day, data)
        try:
            result = self.library.add_digest(replace(parsed, source=kept))
        except BaseException:
            if new:
                kept.unlink(missing_ok=True)
            raise
        if result.already_imported and new:
            kept.unlink(missing_ok=True)
        return replace(result, source=f"{FETCHED_DIR}/{kept.name}")

    def _keep_answer(self, day: date, data: bytes) -> tuple[Path, bool]:
        """The file holding ``data`` in `FETCHED_DIR`: the day's own if it holds the same bytes,
        else a new one (``YYYY-MM-DD.json``, then ``-2``, ``-3``…). True when it is new."""
        folder = self.data_dir / FETCHED_DIR
        number = 1
        try:
            folder.mkdir(exist_ok=True)
            while True:
                suffix = "" if number == 1 else f"-{number}"
                path = folder / f"{day.isoformat()}{suffix}.json"
                try:
                    with open(path, "xb") as file:
                        file.write(data)
                    return path, True
                except FileExistsError:
                    if path.read_bytes() == data:
                        return path, False
                    number += 1
        except OSError as exc:
            raise disk_error(exc, f"the fetched day into {folder}") from exc

    def _keep_text(self, data: bytes) -> Path:
        """Write ``data`` to a new file in `PASTED_DIR`, named for the moment."""
        folder = self.data_dir / PASTED_DIR
        stamp = datetime.now().strftime("%Y-%m-%dT%H%M%S")
        number = 1
        try:
            folder.mkdir(exist_ok=True)
            while True:
                path = folder / (f"{stamp}.txt" if number == 1 else f"{stamp}-{number}.txt")
                try:
                    with open(path, "xb") as file:
                        file.write(data)
                    return path
                except FileExistsError:  # another paste this second
                    number += 1
        except OSError as exc:
            raise disk_error(exc, f"the pasted digest into {folder}") from exc

    def _import_file(
        self, path: Path, summary: ImportSummary, day: date | None, in_folder: bool
    ) -> None:
        try:
            summary.results.append(self._add(_parse(path), day))
        except OwnOutputError as exc:
            (summary.skipped if in_folder else summary.refused).append(exc)
        except DigestError as exc:
            summary.refused.append(exc)
        except OSError as exc:
            summary.refused.append(DigestError(str(path), exc.strerror or str(exc)))

    def _add(self, parsed: ParsedDigest, day: date | None) -> ImportResult:
        if day is not None:
            parsed = replace(parsed, date=day, date_source=DateSource.SET)
        result = self.library.add_digest(parsed)
        if day is not None and result.digest_id is not None and result.day != day:
            self.library.set_digest_date(result.digest_id, day)  # imported before: re-dated
            note = date_note(day, parsed.date_text, DateSource.SET)
            result = replace(result, day=day, day_note=note)
        return result

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
        parsed = parse_query(query, typing=typing, saved=self.library.saved_searches.query_of)
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
        terms = self.index.highlight(parsed.text, parsed.partial_word)
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
        words = parsed.text
        terms = self.index.highlight(words, parsed.partial_word) if words else NO_HIGHLIGHT
        return SearchResult(parsed, hits, terms)

    def for_you(self) -> Ranking:
        """For you's ranking of the user's current labels over the index (brought up to date
        first). Raises `TooFewExamplesError` below five positives."""
        self.ensure_index()  # it ranks what the index holds: the papers imported since too
        return self._for_you.ranking()

    def _like_tag_hits(self, tag: str) -> list[str]:
        """``like:tag:NAME``: the papers most like that tag's, best first."""
        return self._for_you.like(self.library.tags.paper_ids(tag), LIKE_LIMIT)

    def _answers(self, *, scored: bool) -> Answers:
        """Where `evaluate` finds the parts of a query: the index and the library."""
        return Answers(
            text=lambda words, partial_word: self._text_hits(words, partial_word, scored),
            where=self.library.matching_ids,
            like=self._like_hits,
            like_tag=self._like_tag_hits,
            everything=lambda: set(self.library.filter_ids()),
        )

    def prepare_search(self) -> bool:
        """Read ahead the library's order and open the index, for the first searches; False
        when the index cannot be opened (a search rebuilds it), and there is no reading ahead
        in it to do (see `read_ahead`)."""
        try:
            self.library.filter_ids()
            self.index.doc_count()  # opened here: the reading ahead never opens it
        except Exception as exc:  # Whoosh raises many types for damaged files
            log.warning("not reading ahead in the search index: %s", exc)
            return False
        return True

    def read_ahead(self) -> None:
        """Read ahead in the index opened by `prepare_search` what the first searches need
        (paper ids, lengths, the commonest words): slow work that only makes later searches
        quicker, for the caller to run where it holds nothing up (the window: its task
        manager's idle thread, at a low priority). It touches the index alone, never the
        library; searches go on meanwhile (the index is locked a word at a time), and closing
        the collection stops it.
        """
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
            self._rebuild(None, never)
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
            return query if same else self.library.saved_searches.query_of(other)

        used = parse_query(query, saved=lookup).saved_searches
        if any(" ".join(other.split()).casefold() == key for other in used):
            raise LibraryError(f"“{name}” would use itself, so it was not saved")
        self.library.saved_searches.save(name, query)

    def saved_search_counts(self) -> dict[str, tuple[int, int]]:
        """For each saved search: the papers it finds, and how many of them are new since the
        user last opened it."""
        counts = {}
        for saved in self.library.saved_searches.all():
            try:
                ids = self.search(saved_search_fragment(saved.name)).ids
            except QueryError:  # saved before its filter was checked: it finds nothing
                ids = []
            counts[saved.name] = (len(ids), self.library.count_newer(ids, saved.seen_up_to))
        return counts

    def related(self, paper_id: str, count: int = 5) -> list[str]:
        """The ``count`` papers most like ``paper_id``, best first, by the key terms of its
        title and abstract (see `SearchIndex.more_like`). The same ranking as ``like:ID``, so
        these are its first results."""
        paper = self.library.get(paper_id)
        try:
            return self.index.more_like(paper_id, paper.title, paper.abstract, count)
        except SearchIndexError:  # being rebuilt: no related papers until it is back
            log.warning("no related papers: the search index cannot be read")
            return []

    def trend(self, query: str) -> list[tuple[date, int]]:
        """For each digest day, oldest first, how many of the papers ``query`` finds were in
        that day's digests (0 included). Filters alone are counted in SQLite."""
        parsed = parse_query(query, saved=self.library.saved_searches.query_of)
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
    _check_size(path, size)
    if path.suffix.lower() == ".json":  # a day fetched from the Daily Papers service
        return daily_papers.read_file(path)
    return parse_digest_file(path)


def _check_size(source: Path, size: int) -> None:
    if size > MAX_DIGEST_BYTES:
        raise DigestError(
            str(source),
            f"the file is too big for a digest ({size / 1e6:,.0f} MB;"
            f" the limit is {MAX_DIGEST_BYTES / 1e6:,.0f} MB)",
        )


def _empty_folders(
    paths: list[Path], files: list[tuple[Path, Path | None]], summary: ImportSummary
) -> list[Path]:
    """The folders among ``paths`` in which no digest file was found (none was read, or
    every one read was skipped)."""
    skipped = {error.source for error in summary.skipped}
    read = {folder for path, folder in files if str(path) not in skipped}
    return [path for path in paths if path.is_dir() and path not in read]


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


def highlight_spans(text: str, highlight: Highlight, field: str) -> list[tuple[int, int]]:
    """Character spans of what a search matched (``highlight``) in ``text``, a paper's
    ``field`` ("title", "abstract" or "note"): in order, apart."""
    return highlight.spans(field, text)
