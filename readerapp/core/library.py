"""The library: papers, digests and the user's state in one SQLite database, the source of truth."""

from __future__ import annotations

import hashlib
import json
import random
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Protocol

from readerapp.core import live_files, schema
from readerapp.core.backup import header_problem, newest_backup, read_only
from readerapp.core.errors import (
    DamagedLibraryError,
    DataDirError,
    LibraryError,
    ReaderappError,
    UnknownPaperError,
)
from readerapp.core.models import (
    DateSource,
    Paper,
    ParsedDigest,
    ParsedPaper,
    ReadState,
    Sighting,
    date_note,
    is_code_link,
)

DB_NAME = "library.sqlite3"
_BATCH = 500


def now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _parse_moment(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _parse_day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _dated(day: str | None, date_text: str | None, how: str | None) -> tuple[date | None, str]:
    """A digest's date as its row holds it, and how it got it in words."""
    parsed = _parse_day(day)
    if parsed is None:
        return None, ""
    return parsed, date_note(parsed, date_text, _how(how))


def _how(text: str | None) -> DateSource:
    """How a digest got its date, as its row holds it (older rows say nothing: the file)."""
    return DateSource(text or DateSource.FILE_DATE)


def text_key(title: str, abstract: str, note: str) -> str:
    """A digest of a paper's searchable text, to tell whether it changed since it was indexed."""
    digest = hashlib.blake2b(digest_size=16)
    for part in (title, abstract, note):
        data = part.encode("utf-8", "surrogatepass")
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


def clean_tag(tag: str) -> str:
    """Tags are trimmed with inner white space folded; case is kept but ignored when matching."""
    return " ".join(tag.split())


# The colours a tag may have, by name; the window decides how each one looks.
TAG_COLOURS = ("red", "orange", "yellow", "green", "teal", "blue", "purple", "grey")
# A paper is triaged once the user starred, tagged, noted or read it.
TRIAGED_SQL = (
    "(p.starred = 1 OR p.note != '' OR p.read_state = 'read'"
    " OR EXISTS (SELECT 1 FROM tags t WHERE t.paper_id = p.id))"
)
# New papers came after the last one the library held when the previous window session began.
NEW_SQL = (
    "p.rowid > COALESCE((SELECT json_extract(value, '$.last_paper') FROM settings"
    " WHERE key = 'session.previous'), 0)"
)


@dataclass(frozen=True)
class ImportResult:
    """What importing one digest did to the library.

    ``day`` is the digest's date in the library (for a digest imported before, the date it
    has there) and ``day_note`` says how it got it (see `models.date_note`).
    """

    source: str
    added: int = 0
    seen_again: int = 0
    already_imported: bool = False
    warnings: tuple[str, ...] = ()
    digest_id: int | None = None
    day: date | None = None
    day_note: str = ""


@dataclass(frozen=True)
class DigestInfo:
    """An imported digest: its date and how it got it, its papers and where it came from."""

    id: int
    date: date | None
    date_text: str | None
    source: str
    paper_count: int
    imported_at: datetime
    date_source: DateSource = DateSource.FILE_DATE

    @property
    def date_note(self) -> str:
        """How the digest got its date, in words: "Mar 13 → 2026-03-13, year from …"."""
        return date_note(self.date, self.date_text, self.date_source) if self.date else ""


@dataclass(frozen=True)
class DigestProgress:
    """The papers of one day's digests, and how many of them the user has triaged."""

    day: date
    papers: int
    triaged: int


@dataclass(frozen=True)
class SavedSearch:
    name: str
    query: str
    opened_at: datetime
    seen_up_to: int  # the last paper (by rowid) when the user last opened it


@dataclass(frozen=True)
class Session:
    """A window session: when it began and the last paper (by rowid) the library held then."""

    started: datetime
    last_paper: int


def _session(text: str | None) -> Session | None:
    if not text:
        return None
    data = json.loads(text)
    return Session(datetime.fromisoformat(data["started"]), int(data["last_paper"]))


_PAPER_COLUMNS = (
    "id", "title", "abstract", "links", "has_code", "first_seen", "added_at", "starred",
    "starred_at", "read_state", "read_state_at", "note", "note_at", "tags_at", "arxiv_id",
    "authors", "published",
)  # fmt: skip
BUSY_TIMEOUT_S = 30  # seconds a write waits for another process's lock
PLACES_A_STEP = 5_000  # papers' places put in a dict in one call (see `_places_of`)
# SQLite 3.44 orders an aggregate's input itself; before, it concatenates the rows of an
# ordered subquery in their order (tested).
_ALL_IDS = (
    "SELECT group_concat(p.id, ' ' ORDER BY {order}) FROM papers p"
    if sqlite3.sqlite_version_info >= (3, 44)
    else "SELECT group_concat(p.id, ' ') FROM (SELECT p.id FROM papers p ORDER BY {order}) p"
)


def _busy(exc: sqlite3.Error) -> bool:
    """True when another connection held the lock ``exc`` wanted."""
    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
    return code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


def _places_of(ids: list[str]) -> dict[str, int]:
    """Each id's place in ``ids``, put in `PLACES_A_STEP` at a time: in one go, a long list
    holds the interpreter in one C call, which the window's thread would wait for."""
    places: dict[str, int] = {}
    for start in range(0, len(ids), PLACES_A_STEP):
        step = ids[start : start + PLACES_A_STEP]
        places.update(zip(step, range(start, start + len(step)), strict=True))
    return places


def _saved_search_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise LibraryError("a saved search needs a name")
    if '"' in cleaned:
        raise LibraryError('the name of a saved search cannot contain "')
    return cleaned


class WhereClause(Protocol):
    """Conditions on papers that SQLite answers: `Filters`, or the query language's filters
    combined (`readerapp.core.query.filters.Condition`)."""

    def sql(self) -> tuple[str, list[object]]:
        """A WHERE clause over ``papers AS p`` ("1" for every paper) and its parameters."""


@dataclass
class Filters:
    """Conditions on the user's state and the papers' metadata, all of them met, in SQL."""

    starred: bool | None = None
    read_states: set[ReadState] = field(default_factory=set)
    tags: list[str] = field(default_factory=list)
    has_code: bool | None = None
    has_note: bool | None = None
    date_from: date | None = None
    date_to: date | None = None
    digest_id: int | None = None
    triaged: bool | None = None
    new: bool = False
    authors: list[str] = field(default_factory=list)  # a part of an author's name, each

    def sql(self) -> tuple[str, list[object]]:
        """A WHERE clause over ``papers AS p`` and its parameters."""
        clauses: list[str] = []
        params: list[object] = []
        if self.starred is not None:
            clauses.append("p.starred = ?")
            params.append(int(self.starred))
        if self.read_states:
            marks = ",".join("?" * len(self.read_states))
            clauses.append(f"p.read_state IN ({marks})")
            params.extend(sorted(str(s) for s in self.read_states))
        for tag in self.tags:
            # IN, not a correlated EXISTS: it reads the tag's rows through tags_by_tag once.
            clauses.append("p.id IN (SELECT t.paper_id FROM tags t WHERE t.tag = ?)")
            params.append(clean_tag(tag))
        if self.has_code is not None:
            clauses.append("p.has_code = ?")
            params.append(int(self.has_code))
        if self.has_note is not None:
            clauses.append("(p.note != '') = ?")
            params.append(int(self.has_note))
        if self.date_from or self.date_to or self.digest_id is not None:
            clauses.append(self._sighting_clause(params))
        if self.triaged is not None:
            clauses.append(TRIAGED_SQL if self.triaged else f"NOT {TRIAGED_SQL}")
        if self.new:
            clauses.append(NEW_SQL)
        for name in self.authors:
            clauses.append(
                "EXISTS (SELECT 1 FROM json_each(p.authors) a WHERE a.value LIKE ? ESCAPE '\\')"
            )
            params.append(f"%{_like_escaped(' '.join(name.split()))}%")
        return (" AND ".join(clauses) or "1"), params

    def _sighting_clause(self, params: list[object]) -> str:
        inner = ["s.paper_id = p.id"]
        if self.digest_id is not None:
            inner.append("s.digest_id = ?")
            params.append(self.digest_id)
        if self.date_from:
            inner.append("COALESCE(d.date, substr(d.imported_at, 1, 10)) >= ?")
            params.append(self.date_from.isoformat())
        if self.date_to:
            inner.append("COALESCE(d.date, substr(d.imported_at, 1, 10)) <= ?")
            params.append(self.date_to.isoformat())
        where = " AND ".join(inner)
        return (
            f"EXISTS (SELECT 1 FROM sightings s JOIN digests d ON d.id = s.digest_id WHERE {where})"
        )


def _like_escaped(text: str) -> str:
    """``text`` as itself in a LIKE pattern (ESCAPE '\\')."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


ORDERS = {
    "date": "p.first_seen DESC, p.rowid ASC",
    "title": "p.title COLLATE NOCASE ASC, p.first_seen DESC",
}


class Library:
    """The SQLite library. Safe to share between threads; every write is one transaction."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.RLock()
        self._conn = self._connect()
        live_files.opened(self.path)
        self._closed = False
        # The papers in each order, and each one's place there, kept until papers are added or
        # moved (see _orders_key).
        self._orders: dict[str, tuple[tuple, list[str]]] = {}
        self._places: dict[str, tuple[tuple, dict[str, int]]] = {}
        self._imports = 0

    @classmethod
    def in_dir(cls, data_dir: Path) -> Library:
        return cls(Path(data_dir) / DB_NAME)

    def _connect(self) -> sqlite3.Connection:
        self._check_file()
        deadline = time.monotonic() + BUSY_TIMEOUT_S
        with self._translated():
            while True:
                try:
                    return self._open_connection()
                except sqlite3.OperationalError as exc:
                    if not _busy(exc) or time.monotonic() > deadline:
                        raise
                time.sleep(random.uniform(0.01, 0.05))  # not in step with the other process

    def _open_connection(self) -> sqlite3.Connection:
        """One try. A new library's first connection turns it to WAL, which needs the file to
        itself: SQLite refuses at once, without waiting, while another process opening it at
        the same moment reads it (34 of 40 pairs of processes failed so), hence the tries."""
        conn = sqlite3.connect(
            self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
        )
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
            schema.migrate(conn)
        except BaseException:
            conn.close()
            raise
        return conn

    def _check_file(self) -> None:
        """Refuse a file that is not our library before opening it for writing.

        The look is read-only: a stranger's file (or a damaged one) is never changed, not even
        by SQLite replaying or checkpointing its journal.
        """
        problem = header_problem(self.path)
        if problem:
            raise self._damaged(problem)
        if not self.path.is_file() or self.path.stat().st_size == 0:
            return  # a new library
        with self._translated(), read_only(self.path, immutable=False) as conn:
            self._check_foreign(conn)

    def _check_foreign(self, conn: sqlite3.Connection) -> None:
        version = schema.version_of(conn)
        if version > schema.SCHEMA_VERSION:
            raise LibraryError(
                f"{self.path} was written by a newer readerapp (schema {version}); "
                "upgrade readerapp to open it"
            )
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if version == 0 and tables:
            raise self._damaged("is an SQLite file of another program")

    def _damaged(self, reason: str) -> DamagedLibraryError:
        return DamagedLibraryError(self.path, reason, newest_backup(self.path.parent))

    @contextmanager
    def _translated(self) -> Iterator[None]:
        """SQLite's errors as ours, each saying what happened to the user's data."""
        try:
            yield
        except sqlite3.Error as exc:
            ours = self._our_error(exc)
            if ours is None:
                raise
            raise ours from exc

    def _our_error(self, exc: sqlite3.Error) -> ReaderappError | None:
        code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
        if code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
            return self._damaged(f"is damaged ({exc})")
        if code == sqlite3.SQLITE_FULL:
            return DataDirError(f"cannot write the library {self.path}: the disk is full; "
                                "the change was not saved")  # fmt: skip
        if code in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM):
            return DataDirError(f"cannot write the library {self.path}: {exc}")
        if code == sqlite3.SQLITE_IOERR:
            return DataDirError(f"the disk failed while using the library {self.path} ({exc})")
        if _busy(exc):
            return LibraryError("the library stayed busy: another readerapp kept writing to it "
                                "for 30 seconds; nothing was changed, try again")  # fmt: skip
        if isinstance(exc, sqlite3.OperationalError):
            return LibraryError(f"the library {self.path} failed: {exc}")
        return None  # a programming error: let it show as one

    def close(self) -> None:
        with self._lock:
            self._conn.close()
            if not self._closed:
                self._closed = True
                live_files.closed(self.path)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: all of it lands, or none of it."""
        with self._lock, self._translated():
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                if self._conn.in_transaction:  # a failed COMMIT may have rolled back already
                    self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def _query(self, sql: str, params: Sequence[object] = ()) -> list[sqlite3.Row]:
        with self._lock, self._translated():
            cursor = self._conn.execute(sql, params)
            return cursor.fetchall()

    def _rows_at_once(
        self, columns: Sequence[str], rest: str, params: Sequence[object] = ()
    ) -> list[list]:
        """The rows of ``SELECT columns rest`` (in its order), read in one step of SQLite as one
        JSON array.

        Python's sqlite3 hands the interpreter to other threads at each row it reads, and
        waits to get it back: while another thread runs Python (an import), reading a page of
        papers row by row took the GUI thread fifty times as long. Text and numbers only (JSON
        has no bytes).
        """
        named = ", ".join(f"{column} AS c{n}" for n, column in enumerate(columns))
        listed = ", ".join(f"c{n}" for n in range(len(columns)))
        sql = f"SELECT json_group_array(json_array({listed})) FROM (SELECT {named} {rest})"
        return json.loads(self._query(sql, params)[0][0])

    def data_version(self) -> int:
        """A number that changes whenever another connection commits to the library.

        Poll it (it costs microseconds) to notice changes made by another readerapp process
        or another `Library` on the same file. This library's own writes do not change it.
        """
        return self._query("PRAGMA data_version")[0][0]

    def integrity_problems(self, *, full: bool = True) -> list[str]:
        """What SQLite's integrity check (or its quicker check) finds wrong; empty when sound.

        Reads the whole file: for ``doctor`` and the daily check, not for every start.
        Raises DamagedLibraryError when the damage stops the check itself.
        """
        rows = self._query("PRAGMA integrity_check" if full else "PRAGMA quick_check")
        found = [row[0] for row in rows]
        return [] if found == ["ok"] else found

    # --- importing -------------------------------------------------------------------------

    def add_digest(self, digest: ParsedDigest) -> ImportResult:
        """Add a parsed digest. Importing the same digest again, from any copy of it (see
        `models.digest_key`), changes nothing. A digest without a date is dated today."""
        try:
            return self._add_digest(digest)
        finally:
            self._imports += 1  # papers may have been added or moved to an earlier day

    def _add_digest(self, digest: ParsedDigest) -> ImportResult:
        source = str(digest.source)
        with self.transaction() as conn:
            known = self._known_digest(conn, digest)
            if known:
                return known
            stamp = now()
            day, how = digest.date, digest.date_source
            if day is None:
                day, how = date.today(), DateSource.IMPORT_DAY
            digest_id = conn.execute(
                "INSERT INTO digests (content_key, source, date, date_text, date_source,"
                " imported_at, paper_count) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (digest.content_key, source, day.isoformat(), digest.date_text, how.value,
                 stamp.isoformat(), len(digest.papers)),
            ).lastrowid  # fmt: skip
            added = seen = 0
            for position, parsed in enumerate(digest.papers):
                pid = self._paper_id_of(conn, parsed)
                if self._add_paper(conn, pid, parsed, day.isoformat(), stamp):
                    added += 1
                else:
                    seen += 1
                conn.execute(
                    "INSERT OR IGNORE INTO sightings (paper_id, digest_id, position)"
                    " VALUES (?, ?, ?)",
                    (pid, digest_id, position),
                )
        note = date_note(day, digest.date_text, how)
        return ImportResult(source, added=added, seen_again=seen, warnings=digest.warnings,
                            digest_id=digest_id, day=day, day_note=note)  # fmt: skip

    @staticmethod
    def _known_digest(conn: sqlite3.Connection, digest: ParsedDigest) -> ImportResult | None:
        """What importing ``digest`` again does (nothing), when the library holds it."""
        known = conn.execute(
            "SELECT id, date, date_text, date_source FROM digests WHERE content_key = ?",
            (digest.content_key,),
        ).fetchone()
        if known is None:
            return None
        day, note = _dated(*known[1:])
        return ImportResult(str(digest.source), already_imported=True, warnings=digest.warnings,
                            digest_id=known[0], day=day, day_note=note)  # fmt: skip

    @staticmethod
    def _paper_id_of(conn: sqlite3.Connection, parsed: ParsedPaper) -> str:
        """The library's id of ``parsed``: the paper with its arXiv id when the library knows
        one, else the id of its title (the same paper from a digest file and from the service
        is one paper)."""
        if parsed.arxiv_id:
            row = conn.execute(
                "SELECT id FROM papers WHERE arxiv_id = ?", (parsed.arxiv_id,)
            ).fetchone()
            if row:
                return row[0]
        return parsed.id

    def _add_paper(
        self, conn: sqlite3.Connection, pid: str, parsed: ParsedPaper, day: str, stamp: datetime
    ) -> bool:
        """Insert a paper as ``pid``, or update the one already known. True when it is new."""
        row = conn.execute("SELECT abstract, links FROM papers WHERE id = ?", (pid,)).fetchone()
        published = parsed.published.isoformat() if parsed.published else None
        if row is None:
            conn.execute(
                "INSERT INTO papers (id, title, abstract, links, has_code, first_seen, added_at,"
                " arxiv_id, authors, published) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    pid,
                    parsed.title,
                    parsed.abstract,
                    json.dumps(list(parsed.links)),
                    int(any(is_code_link(link) for link in parsed.links)),
                    day,
                    stamp.isoformat(),
                    parsed.arxiv_id,
                    json.dumps(list(parsed.authors), ensure_ascii=False),
                    published,
                ),
            )
            conn.execute("INSERT OR IGNORE INTO index_queue VALUES (?)", (pid,))
            return True
        abstract, links_json = row
        links = json.loads(links_json)
        merged = links + [link for link in parsed.links if link not in links]
        better_abstract = parsed.abstract if not abstract and parsed.abstract else abstract
        conn.execute(
            "UPDATE papers SET first_seen = min(first_seen, ?), abstract = ?, links = ?,"
            " has_code = ? WHERE id = ?",
            (
                day,
                better_abstract,
                json.dumps(merged),
                int(any(is_code_link(link) for link in merged)),
                pid,
            ),
        )
        if parsed.arxiv_id:  # what the service knows and a digest file does not
            conn.execute(
                "UPDATE papers SET arxiv_id = ?, authors = ?, published = COALESCE(?, published)"
                " WHERE id = ? AND (arxiv_id IS NULL OR arxiv_id = ?)",
                (parsed.arxiv_id, json.dumps(list(parsed.authors), ensure_ascii=False),
                 published, pid, parsed.arxiv_id),
            )  # fmt: skip
        if better_abstract != abstract:
            conn.execute("INSERT OR IGNORE INTO index_queue VALUES (?)", (pid,))
        return False

    # --- reading ---------------------------------------------------------------------------

    def count(self) -> int:
        return self._query("SELECT count(*) FROM papers")[0][0]

    def resolve_id(self, text: str) -> str:
        """The full id of a paper from its id or a unique prefix of at least 4 characters."""
        key = text.strip().lower()
        if len(key) < 4:
            raise UnknownPaperError(f"{text!r} is too short for an id: give at least 4 characters")
        if not key.isalnum():
            raise UnknownPaperError(f"no paper with id {text!r}")
        rows = self._query(
            "SELECT id FROM papers WHERE id >= ? AND id < ? LIMIT 2", (key, key + "\uffff")
        )
        if not rows:
            raise UnknownPaperError(f"no paper with id {text!r}")
        if len(rows) > 1:
            raise UnknownPaperError(f"id {text!r} is ambiguous; give more characters")
        return rows[0][0]

    def get(self, paper_id: str) -> Paper:
        papers = self.papers([paper_id])
        if not papers:
            raise UnknownPaperError(f"no paper with id {paper_id!r}")
        return papers[0]

    def papers(self, ids: Sequence[str]) -> list[Paper]:
        """Full records for ``ids``, in the order given; unknown ids are left out."""
        found: dict[str, Paper] = {}
        for start in range(0, len(ids), _BATCH):
            chunk = list(ids[start : start + _BATCH])
            found.update(self._load(chunk))
        return [found[i] for i in ids if i in found]

    def _load(self, ids: list[str]) -> dict[str, Paper]:
        marks = ",".join("?" * len(ids))
        rows = self._rows_at_once(_PAPER_COLUMNS, f"FROM papers WHERE id IN ({marks})", ids)
        tags = self._tags_of(ids)
        sightings = self._sightings_of(ids)
        return {row[0]: self._paper(row, tags, sightings) for row in rows}

    def _paper(self, row: list, tags: dict, sightings: dict) -> Paper:
        (pid, title, abstract, links, _code, first_seen, added_at, starred, starred_at,
         read_state, read_state_at, note, note_at, tags_at, arxiv_id, authors,
         published) = row  # fmt: skip
        return Paper(
            id=pid,
            title=title,
            abstract=abstract,
            links=json.loads(links),
            first_seen=_parse_day(first_seen),
            added_at=_parse_moment(added_at) or now(),
            starred=bool(starred),
            tags=tags.get(pid, []),
            note=note,
            read_state=ReadState(read_state),
            sightings=sightings.get(pid, []),
            starred_at=_parse_moment(starred_at),
            tags_at=_parse_moment(tags_at),
            note_at=_parse_moment(note_at),
            read_state_at=_parse_moment(read_state_at),
            arxiv_id=arxiv_id,
            authors=json.loads(authors),
            published=_parse_day(published),
        )

    def _tags_of(self, ids: list[str]) -> dict[str, list[str]]:
        marks = ",".join("?" * len(ids))
        found: dict[str, list[str]] = {}
        rest = f"FROM tags WHERE paper_id IN ({marks}) ORDER BY tag"
        for pid, tag in self._rows_at_once(("paper_id", "tag"), rest, ids):
            found.setdefault(pid, []).append(tag)
        return found

    def _sightings_of(self, ids: list[str]) -> dict[str, list[Sighting]]:
        marks = ",".join("?" * len(ids))
        found: dict[str, list[Sighting]] = {}
        rest = (
            f"FROM sightings s JOIN digests d ON d.id = s.digest_id WHERE s.paper_id IN ({marks})"
            " ORDER BY d.date"
        )
        columns = ("s.paper_id", "d.id", "d.date", "d.date_text")
        for pid, digest_id, day, text in self._rows_at_once(columns, rest, ids):
            found.setdefault(pid, []).append(Sighting(digest_id, _parse_day(day), text))
        return found

    def filter_ids(self, filters: WhereClause | None = None, order: str = "date") -> list[str]:
        """Ids of the papers that pass ``filters``, newest first or by title."""
        if filters is None or filters.sql()[0] == "1":
            return list(self._ordered(order)[1])
        return self.order_ids(self.matching_ids(filters), order)

    def matching_ids(self, filters: WhereClause) -> set[str]:
        """Ids of the papers that pass ``filters``, in no order."""
        where, params = filters.sql()
        return {row[0] for row in self._query(f"SELECT p.id FROM papers p WHERE {where}", params)}

    def order_ids(self, ids: Iterable[str], order: str) -> list[str]:
        """``ids`` sorted by date or title (ids of papers not in the library left out).

        Sorted as places (numbers) in steps of Python: sorting ids with a key is one long call
        holding the interpreter, which the window's thread waited for.
        """
        ordered, place = self._places_in(order)
        places = [place[pid] for pid in ids if pid in place]
        places.sort()
        return [ordered[at] for at in places]

    def _ordered(self, order: str) -> tuple[tuple, list[str]]:
        """Every paper id in ``order`` (and the key it was read under); read again only after
        a change: every search sorted by date or narrowed by a filter needs it, and sorting the
        whole library is not cheap."""
        key = self._orders_key()
        cached = self._orders.get(order)
        if cached is None or cached[0] != key:
            cached = self._orders[order] = (key, self._all_ids(order))
        return cached

    def _places_in(self, order: str) -> tuple[list[str], dict[str, int]]:
        """Every paper id in ``order`` and each one's place there."""
        key, ordered = self._ordered(order)
        cached = self._places.get(order)
        if cached is None or cached[0] != key:
            cached = self._places[order] = (key, _places_of(ordered))
        return ordered, cached[1]

    def _all_ids(self, order: str) -> list[str]:
        """Every paper id in ``order``, read as one string (ids are letters and digits).

        Read row by row, each row hands the interpreter to any other thread running Python
        and waits to get it back, which beside an import made one listing take seconds.
        """
        sql = _ALL_IDS.format(order=ORDERS[order])
        joined = self._query(sql)[0][0]
        return joined.split(" ") if joined else []

    def _orders_key(self) -> tuple:
        """Changes when papers are added or moved to another day: by an import here, by a
        write from another connection, or by papers inserted some other way (the highest rowid)."""
        newest = self._query("SELECT max(rowid) FROM papers")[0][0]
        return self._imports, self.data_version(), newest

    def tag_counts(self) -> list[tuple[str, int]]:
        return [
            (tag, n)
            for tag, n in self._query(
                "SELECT tag, count(*) FROM tags GROUP BY tag COLLATE NOCASE ORDER BY tag"
            )
        ]

    def digests(self) -> list[DigestInfo]:
        """Every imported digest, newest first."""
        rows = self._query(
            "SELECT id, date, date_text, source, paper_count, imported_at, date_source"
            " FROM digests ORDER BY COALESCE(date, substr(imported_at, 1, 10)) DESC, id DESC"
        )
        return [
            DigestInfo(did, _parse_day(day), text, src, n, _parse_moment(at) or now(), _how(how))
            for did, day, text, src, n, at, how in rows
        ]

    def set_digest_date(self, digest_id: int, day: date) -> None:
        """Date the digest ``digest_id`` ``day``, as the user asked.

        Its papers' "first seen" is worked out again from every digest they were seen in;
        the user's annotations are left as they are.
        """
        with self.transaction() as conn:
            changed = conn.execute(
                "UPDATE digests SET date = ?, date_source = ? WHERE id = ?",
                (day.isoformat(), DateSource.SET.value, digest_id),
            ).rowcount
            if not changed:
                raise LibraryError(f"there is no digest {digest_id}")
            conn.execute(
                "UPDATE papers SET first_seen = (SELECT min(d.date) FROM sightings s"
                " JOIN digests d ON d.id = s.digest_id WHERE s.paper_id = papers.id)"
                " WHERE id IN (SELECT paper_id FROM sightings WHERE digest_id = ?)",
                (digest_id,),
            )
        self._imports += 1  # papers may have moved to another day

    def digest_progress(self) -> list[DigestProgress]:
        """Each day with digests, newest first: its papers and how many of them are triaged."""
        rows = self._query(
            "SELECT COALESCE(d.date, substr(d.imported_at, 1, 10)) AS day, count(DISTINCT p.id),"
            f" count(DISTINCT CASE WHEN {TRIAGED_SQL} THEN p.id END) FROM digests d"
            " JOIN sightings s ON s.digest_id = d.id JOIN papers p ON p.id = s.paper_id"
            " GROUP BY day ORDER BY day DESC"
        )
        return [DigestProgress(date.fromisoformat(day), n, done) for day, n, done in rows]

    def counts_by_day(
        self, ids: Sequence[str] | None = None, filters: WhereClause | None = None
    ) -> list[tuple[date, int]]:
        """For each day with digests, oldest first, how many of the papers ``ids`` (or else of
        those passing ``filters``) were in that day's digests. One query either way: the ids
        go in as a single JSON parameter."""
        if ids is not None:
            chosen = "s.paper_id IN (SELECT value FROM json_each(?))"
            params: list[object] = [json.dumps(list(ids))]
        else:
            where, params = (filters or Filters()).sql()
            chosen = f"EXISTS (SELECT 1 FROM papers p WHERE p.id = s.paper_id AND {where})"
        rows = self._query(
            "SELECT COALESCE(d.date, substr(d.imported_at, 1, 10)) AS day,"
            f" count(DISTINCT CASE WHEN {chosen} THEN s.paper_id END)"
            " FROM digests d LEFT JOIN sightings s ON s.digest_id = d.id"
            " GROUP BY day ORDER BY day",
            params,
        )
        return [(date.fromisoformat(day), count) for day, count in rows]

    def stats(self) -> dict[str, int]:
        row = self._query(
            "SELECT count(*), coalesce(sum(starred), 0), coalesce(sum(note != ''), 0),"
            " coalesce(sum(has_code), 0), coalesce(sum(read_state = 'unread'), 0),"
            " coalesce(sum(read_state = 'reading'), 0), coalesce(sum(read_state = 'read'), 0)"
            " FROM papers"
        )[0]
        keys = ("papers", "starred", "with_note", "with_code", "unread", "reading", "read")
        result = dict(zip(keys, row, strict=True))
        result["digests"] = self._query("SELECT count(*) FROM digests")[0][0]
        result["tags"] = self._query("SELECT count(DISTINCT tag) FROM tags")[0][0]
        result["new_since_last_session"] = self._query(
            f"SELECT count(*) FROM papers p WHERE {NEW_SQL}"
        )[0][0]
        return result

    # --- the user's state ------------------------------------------------------------------

    def _existing(self, conn: sqlite3.Connection, ids: Iterable[str]) -> list[str]:
        wanted = list(dict.fromkeys(ids))
        for pid in wanted:
            if conn.execute("SELECT 1 FROM papers WHERE id = ?", (pid,)).fetchone() is None:
                raise UnknownPaperError(f"no paper with id {pid!r}")
        return wanted

    def set_starred(self, ids: Iterable[str], starred: bool) -> None:
        with self.transaction() as conn:
            for pid in self._existing(conn, ids):
                conn.execute(
                    "UPDATE papers SET starred = ?, starred_at = ? WHERE id = ? AND starred != ?",
                    (int(starred), _iso(now()), pid, int(starred)),
                )

    def set_read_state(self, ids: Iterable[str], state: ReadState) -> None:
        with self.transaction() as conn:
            for pid in self._existing(conn, ids):
                conn.execute(
                    "UPDATE papers SET read_state = ?, read_state_at = ?"
                    " WHERE id = ? AND read_state != ?",
                    (str(state), _iso(now()), pid, str(state)),
                )

    def add_tags(self, ids: Iterable[str], tags: Iterable[str]) -> None:
        self._change_tags(ids, tags, "INSERT OR IGNORE INTO tags (paper_id, tag) VALUES (?, ?)")

    def remove_tags(self, ids: Iterable[str], tags: Iterable[str]) -> None:
        self._change_tags(ids, tags, "DELETE FROM tags WHERE paper_id = ? AND tag = ?")

    def _change_tags(self, ids: Iterable[str], tags: Iterable[str], statement: str) -> None:
        cleaned = [t for t in (clean_tag(tag) for tag in tags) if t]
        with self.transaction() as conn:
            for pid in self._existing(conn, ids):
                changed = sum(conn.execute(statement, (pid, tag)).rowcount for tag in cleaned)
                if changed:
                    conn.execute("UPDATE papers SET tags_at = ? WHERE id = ?", (_iso(now()), pid))

    def set_note(self, paper_id: str, note: str) -> None:
        with self.transaction() as conn:
            self._existing(conn, [paper_id])
            cursor = conn.execute(
                "UPDATE papers SET note = ?, note_at = ? WHERE id = ? AND note != ?",
                (note, _iso(now()), paper_id, note),
            )
            if cursor.rowcount:
                conn.execute("INSERT OR IGNORE INTO index_queue VALUES (?)", (paper_id,))

    def set_not_for_me(self, ids: Iterable[str], marked: bool) -> None:
        """Mark papers "Not for me" (For you's negative examples), or take the mark away."""
        with self.transaction() as conn:
            for pid in self._existing(conn, ids):
                if marked:
                    conn.execute(
                        "INSERT OR IGNORE INTO not_for_me VALUES (?, ?)", (pid, _iso(now()))
                    )
                else:
                    conn.execute("DELETE FROM not_for_me WHERE paper_id = ?", (pid,))

    def not_for_me_ids(self) -> set[str]:
        return {row[0] for row in self._query("SELECT paper_id FROM not_for_me")}

    def liked_ids(self) -> dict[str, tuple[str, ...]]:
        """The papers the user starred, tagged or noted, each with how ("starred", "tagged",
        "noted"): For you's positive examples."""
        sql = (
            "SELECT id, starred, EXISTS (SELECT 1 FROM tags t WHERE t.paper_id = p.id),"
            " note != '' FROM papers p WHERE starred OR note != ''"
            " OR id IN (SELECT paper_id FROM tags)"
        )
        kinds = ("starred", "tagged", "noted")
        return {
            row[0]: tuple(kind for kind, on in zip(kinds, row[1:], strict=True) if on)
            for row in self._query(sql)
        }

    def tagged_ids(self, tag: str) -> set[str]:
        """The papers carrying ``tag`` (in any case)."""
        sql = "SELECT paper_id FROM tags WHERE tag = ?"
        return {row[0] for row in self._query(sql, (clean_tag(tag),))}

    def papers_key(self) -> tuple[int, int]:
        """Changes when papers are added or removed: their count and the highest rowid."""
        return tuple(self._query("SELECT count(*), coalesce(max(rowid), 0) FROM papers")[0])

    def annotated_ids(self) -> list[str]:
        """Ids of the papers the user ever starred, tagged, noted or marked, in id order."""
        sql = (
            "SELECT id FROM papers WHERE starred_at IS NOT NULL OR read_state_at IS NOT NULL"
            " OR tags_at IS NOT NULL OR note_at IS NOT NULL ORDER BY id"
        )
        return [row[0] for row in self._query(sql)]

    # --- feeding the search index ----------------------------------------------------------

    def pending_index_ids(self) -> list[str]:
        return [row[0] for row in self._query("SELECT paper_id FROM index_queue")]

    def pending_index_count(self) -> int:
        """How many papers wait to be indexed (a search by words cannot find them yet)."""
        return self._query("SELECT COUNT(*) FROM index_queue")[0][0]

    def clear_pending(self, indexed: Mapping[str, str]) -> None:
        """Take indexed papers off the index queue.

        ``indexed`` maps the ids that went into the index to the `text_key` of the text they
        went in with. A paper whose text changed since (another process wrote a note while
        this one indexed) stays on the queue, so the newer text is indexed too.
        """
        with self.transaction() as conn:
            queued = [row[0] for row in conn.execute("SELECT paper_id FROM index_queue")]
            done = [(pid,) for pid in queued if pid in indexed and
                    indexed[pid] == self._text_key_of(conn, pid)]  # fmt: skip
            conn.executemany("DELETE FROM index_queue WHERE paper_id = ?", done)

    @staticmethod
    def _text_key_of(conn: sqlite3.Connection, paper_id: str) -> str | None:
        row = conn.execute(
            "SELECT title, abstract, note FROM papers WHERE id = ?", (paper_id,)
        ).fetchone()
        return text_key(*row) if row else None

    def text_rows(self, ids: Sequence[str] | None = None) -> Iterator[tuple[str, str, str, str]]:
        """(id, title, abstract, note) for ``ids``, or for every paper, in batches."""
        if ids is None:
            ids = [row[0] for row in self._query("SELECT id FROM papers ORDER BY rowid")]
        for start in range(0, len(ids), _BATCH):
            chunk = list(ids[start : start + _BATCH])
            marks = ",".join("?" * len(chunk))
            yield from self._query(
                f"SELECT id, title, abstract, note FROM papers WHERE id IN ({marks})", chunk
            )

    # --- tags as a vocabulary --------------------------------------------------------------

    def rename_tag(self, old: str, new: str) -> list[str]:
        """Rename the tag ``old`` to ``new`` on every paper; when ``new`` is a tag already, the
        two merge (its colour wins). Returns the ids of the papers whose tags changed."""
        old, new = clean_tag(old), clean_tag(new)
        if not new:
            raise LibraryError("a tag needs a name")
        with self.transaction() as conn:
            moved = self._tagged_ids(conn, old)
            if not moved:
                raise LibraryError(f"no paper is tagged “{old}”")
            respelt = self._tagged_ids(conn, new, "AND tag != ? COLLATE BINARY", (new,))
            same = conn.execute("SELECT ? = ? COLLATE NOCASE", (old, new)).fetchone()[0]
            if not same:
                conn.execute("UPDATE OR IGNORE tags SET tag = ? WHERE tag = ?", (new, old))
                conn.execute("DELETE FROM tags WHERE tag = ?", (old,))
                conn.execute("UPDATE OR IGNORE tag_colours SET tag = ? WHERE tag = ?", (new, old))
                conn.execute("DELETE FROM tag_colours WHERE tag = ?", (old,))
            conn.execute("UPDATE tags SET tag = ? WHERE tag = ?", (new, new))  # one spelling
            conn.execute("UPDATE tag_colours SET tag = ? WHERE tag = ?", (new, new))
            changed = sorted(set(respelt) | (set() if same else set(moved)))
            self._stamp_tags(conn, changed)
        return changed

    def delete_tag(self, tag: str) -> list[str]:
        """Take ``tag`` off every paper. Returns the ids of the papers that had it."""
        tag = clean_tag(tag)
        with self.transaction() as conn:
            ids = self._tagged_ids(conn, tag)
            conn.execute("DELETE FROM tags WHERE tag = ?", (tag,))
            conn.execute("DELETE FROM tag_colours WHERE tag = ?", (tag,))
            self._stamp_tags(conn, ids)
        return ids

    @staticmethod
    def _tagged_ids(
        conn: sqlite3.Connection, tag: str, extra: str = "", params: Sequence[object] = ()
    ) -> list[str]:
        sql = f"SELECT paper_id FROM tags WHERE tag = ? {extra} ORDER BY paper_id"
        return [row[0] for row in conn.execute(sql, (tag, *params))]

    @staticmethod
    def _stamp_tags(conn: sqlite3.Connection, ids: Iterable[str]) -> None:
        stamp = _iso(now())
        conn.executemany("UPDATE papers SET tags_at = ? WHERE id = ?", [(stamp, i) for i in ids])

    def tag_colours(self) -> dict[str, str]:
        """The colour of each tag that has one, keyed by the tag case-folded."""
        return {tag.casefold(): colour for tag, colour in self._query("SELECT * FROM tag_colours")}

    def set_tag_colour(self, tag: str, colour: str | None) -> None:
        """Give ``tag`` one of TAG_COLOURS, or take its colour away with None."""
        tag = clean_tag(tag)
        if colour is not None and colour not in TAG_COLOURS:
            raise LibraryError(f"{colour!r} is not a tag colour ({', '.join(TAG_COLOURS)})")
        with self.transaction() as conn:
            conn.execute("DELETE FROM tag_colours WHERE tag = ?", (tag,))
            if colour is not None and tag:
                conn.execute("INSERT INTO tag_colours VALUES (?, ?)", (tag, colour))

    # --- saved searches --------------------------------------------------------------------

    def save_search(self, name: str, query: str) -> None:
        """Save ``query`` as ``name``, replacing a saved search of that name; what it finds
        now counts as seen."""
        name = _saved_search_name(name)
        with self.transaction() as conn:
            conn.execute("DELETE FROM saved_searches WHERE name = ?", (name,))
            conn.execute(
                "INSERT INTO saved_searches VALUES (?, ?, ?, (SELECT COALESCE(max(rowid), 0)"
                " FROM papers))",
                (name, " ".join(query.split()), _iso(now())),
            )

    def saved_searches(self) -> list[SavedSearch]:
        """Every saved search, by name."""
        rows = self._query("SELECT * FROM saved_searches ORDER BY name COLLATE NOCASE")
        return [
            SavedSearch(name, query, _parse_moment(opened) or now(), seen)
            for name, query, opened, seen in rows
        ]

    def saved_query(self, name: str) -> str | None:
        """The query saved as ``name`` (in any case), or None when there is none."""
        rows = self._query(
            "SELECT query FROM saved_searches WHERE name = ?", (" ".join(name.split()),)
        )
        return rows[0][0] if rows else None

    def open_saved_search(self, name: str) -> None:
        """The user opened ``name``: what it finds now is no longer new."""
        with self.transaction() as conn:
            conn.execute(
                "UPDATE saved_searches SET opened_at = ?,"
                " seen_up_to = (SELECT COALESCE(max(rowid), 0) FROM papers) WHERE name = ?",
                (_iso(now()), name),
            )

    def delete_saved_search(self, name: str) -> None:
        with self.transaction() as conn:
            conn.execute("DELETE FROM saved_searches WHERE name = ?", (name,))

    def count_newer(self, ids: Sequence[str], last_paper: int) -> int:
        """How many of ``ids`` were added after the paper whose rowid is ``last_paper``."""
        total = 0
        for start in range(0, len(ids), _BATCH):
            chunk = list(ids[start : start + _BATCH])
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT count(*) FROM papers WHERE rowid > ? AND id IN ({marks})"
            total += self._query(sql, [last_paper, *chunk])[0][0]
        return total

    # --- settings and window sessions ------------------------------------------------------

    def last_fetched_day(self) -> date | None:
        """The newest day whose Daily Papers were fetched: a digest the service dated."""
        rows = self._query(
            "SELECT max(date) FROM digests WHERE date_source = ?", (DateSource.SERVICE.value,)
        )
        return date.fromisoformat(rows[0][0]) if rows and rows[0][0] else None

    def setting(self, key: str) -> str | None:
        rows = self._query("SELECT value FROM settings WHERE key = ?", (key,))
        return rows[0][0] if rows else None

    def set_setting(self, key: str, value: str | None) -> None:
        """Keep ``value`` under ``key``; None forgets it."""
        with self.transaction() as conn:
            self._put_setting(conn, key, value)

    @staticmethod
    def _put_setting(conn: sqlite3.Connection, key: str, value: str | None) -> None:
        conn.execute("DELETE FROM settings WHERE key = ?", (key,))
        if value is not None:
            conn.execute("INSERT INTO settings VALUES (?, ?)", (key, value))

    def start_session(self) -> Session | None:
        """A window session begins now; the one before becomes the previous session (the
        papers added since it began are ``is:new``). Returns the previous session."""
        with self.transaction() as conn:
            row = conn.execute("SELECT value FROM settings WHERE key = 'session.current'")
            current = (row.fetchone() or (None,))[0]
            if current:
                self._put_setting(conn, "session.previous", current)
            last = conn.execute("SELECT COALESCE(max(rowid), 0) FROM papers").fetchone()[0]
            started = json.dumps({"started": _iso(now()), "last_paper": last})
            self._put_setting(conn, "session.current", started)
        return _session(current)

    def previous_session(self) -> Session | None:
        """The window session before this one, or None before the second session."""
        return _session(self.setting("session.previous"))
