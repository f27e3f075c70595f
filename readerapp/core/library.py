"""The library: papers, digests and the user's state in one SQLite database, the source of truth."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Protocol

from readerapp.core.db import (
    Database,
    batches,
    existing_papers,
    iso,
    now,
    parse_day,
    parse_moment,
)
from readerapp.core.errors import LibraryError, UnknownPaperError
from readerapp.core.index_queue import IndexQueue
from readerapp.core.library_settings import LibrarySettings
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
from readerapp.core.saved_searches import SavedSearches
from readerapp.core.sessions import NEW_SQL, Sessions
from readerapp.core.tags import Tags, clean_tag

DB_NAME = "library.sqlite3"


def _dated(day: str | None, date_text: str | None, how: str | None) -> tuple[date | None, str]:
    """A digest's date as its row holds it, and how it got it in words."""
    parsed = parse_day(day)
    if parsed is None:
        return None, ""
    return parsed, date_note(parsed, date_text, _how(how))


def _how(text: str | None) -> DateSource:
    """How a digest got its date, as its row holds it (older rows say nothing: the file)."""
    return DateSource(text or DateSource.FILE_DATE)


# A paper is triaged once the user starred, tagged, noted or read it.
TRIAGED_SQL = (
    "(p.starred = 1 OR p.note != '' OR p.read_state = 'read'"
    " OR EXISTS (SELECT 1 FROM tags t WHERE t.paper_id = p.id))"
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


_PAPER_COLUMNS = (
    "id", "title", "abstract", "links", "has_code", "first_seen", "added_at", "starred",
    "starred_at", "read_state", "read_state_at", "note", "note_at", "tags_at", "arxiv_id",
    "authors", "published",
)  # fmt: skip
PLACES_A_STEP = 5_000  # papers' places put in a dict in one call (see `_places_of`)
# SQLite 3.44 orders an aggregate's input itself; before, it concatenates the rows of an
# ordered subquery in their order (tested).
_ALL_IDS = (
    "SELECT group_concat(p.id, ' ' ORDER BY {order}) FROM papers p"
    if sqlite3.sqlite_version_info >= (3, 44)
    else "SELECT group_concat(p.id, ' ') FROM (SELECT p.id FROM papers p ORDER BY {order}) p"
)


def _places_of(ids: list[str]) -> dict[str, int]:
    """Each id's place in ``ids``, put in `PLACES_A_STEP` at a time: in one go, a long list
    holds the interpreter in one C call, which the window's thread would wait for."""
    places: dict[str, int] = {}
    for start in range(0, len(ids), PLACES_A_STEP):
        step = ids[start : start + PLACES_A_STEP]
        places.update(zip(step, range(start, start + len(step)), strict=True))
    return places


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
    """The SQLite library: papers, digests and the user's state over one `Database`, with
    managers for what it holds besides (``tags``, ``saved_searches``, ``settings``,
    ``sessions``, ``index_queue``). Safe to share between threads."""

    def __init__(self, path: Path) -> None:
        self.db = Database(path)
        self.path = self.db.path
        self.tags = Tags(self.db)
        self.saved_searches = SavedSearches(self.db)
        self.settings = LibrarySettings(self.db)
        self.sessions = Sessions(self.db, self.settings)
        self.index_queue = IndexQueue(self.db)
        # The papers in each order, and each one's place there, kept until papers are added or
        # moved (see _orders_key).
        self._orders: dict[str, tuple[tuple, list[str]]] = {}
        self._places: dict[str, tuple[tuple, dict[str, int]]] = {}
        self._imports = 0

    @classmethod
    def in_dir(cls, data_dir: Path) -> Library:
        return cls(Path(data_dir) / DB_NAME)

    def close(self) -> None:
        """Close the library's connection (the last one to close checkpoints the WAL)."""
        self.db.close()

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
        with self.db.transaction() as conn:
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
        return self.db.query("SELECT count(*) FROM papers")[0][0]

    def resolve_id(self, text: str) -> str:
        """The full id of a paper from its id or a unique prefix of at least 4 characters."""
        key = text.strip().lower()
        if len(key) < 4:
            raise UnknownPaperError(f"{text!r} is too short for an id: give at least 4 characters")
        if not key.isalnum():
            raise UnknownPaperError(f"no paper with id {text!r}")
        rows = self.db.query(
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
        for chunk in batches(ids):
            found.update(self._load(chunk))
        return [found[i] for i in ids if i in found]

    def _load(self, ids: list[str]) -> dict[str, Paper]:
        marks = ",".join("?" * len(ids))
        rows = self.db.rows_at_once(_PAPER_COLUMNS, f"FROM papers WHERE id IN ({marks})", ids)
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
            first_seen=parse_day(first_seen),
            added_at=parse_moment(added_at) or now(),
            starred=bool(starred),
            tags=tags.get(pid, []),
            note=note,
            read_state=ReadState(read_state),
            sightings=sightings.get(pid, []),
            starred_at=parse_moment(starred_at),
            tags_at=parse_moment(tags_at),
            note_at=parse_moment(note_at),
            read_state_at=parse_moment(read_state_at),
            arxiv_id=arxiv_id,
            authors=json.loads(authors),
            published=parse_day(published),
        )

    def _tags_of(self, ids: list[str]) -> dict[str, list[str]]:
        marks = ",".join("?" * len(ids))
        found: dict[str, list[str]] = {}
        rest = f"FROM tags WHERE paper_id IN ({marks}) ORDER BY tag"
        for pid, tag in self.db.rows_at_once(("paper_id", "tag"), rest, ids):
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
        for pid, digest_id, day, text in self.db.rows_at_once(columns, rest, ids):
            found.setdefault(pid, []).append(Sighting(digest_id, parse_day(day), text))
        return found

    def filter_ids(self, filters: WhereClause | None = None, order: str = "date") -> list[str]:
        """Ids of the papers that pass ``filters``, newest first or by title."""
        if filters is None or filters.sql()[0] == "1":
            return list(self._ordered(order)[1])
        return self.order_ids(self.matching_ids(filters), order)

    def matching_ids(self, filters: WhereClause) -> set[str]:
        """Ids of the papers that pass ``filters``, in no order."""
        where, params = filters.sql()
        return {row[0] for row in self.db.query(f"SELECT p.id FROM papers p WHERE {where}", params)}

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
        joined = self.db.query(sql)[0][0]
        return joined.split(" ") if joined else []

    def _orders_key(self) -> tuple:
        """Changes when papers are added or moved to another day: by an import here, by a
        write from another connection, or by papers inserted some other way (the highest rowid)."""
        newest = self.db.query("SELECT max(rowid) FROM papers")[0][0]
        return self._imports, self.db.data_version(), newest

    def digests(self) -> list[DigestInfo]:
        """Every imported digest, newest first."""
        rows = self.db.query(
            "SELECT id, date, date_text, source, paper_count, imported_at, date_source"
            " FROM digests ORDER BY COALESCE(date, substr(imported_at, 1, 10)) DESC, id DESC"
        )
        return [
            DigestInfo(did, parse_day(day), text, src, n, parse_moment(at) or now(), _how(how))
            for did, day, text, src, n, at, how in rows
        ]

    def set_digest_date(self, digest_id: int, day: date) -> None:
        """Date the digest ``digest_id`` ``day``, as the user asked.

        Its papers' "first seen" is worked out again from every digest they were seen in;
        the user's annotations are left as they are.
        """
        with self.db.transaction() as conn:
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
        rows = self.db.query(
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
        rows = self.db.query(
            "SELECT COALESCE(d.date, substr(d.imported_at, 1, 10)) AS day,"
            f" count(DISTINCT CASE WHEN {chosen} THEN s.paper_id END)"
            " FROM digests d LEFT JOIN sightings s ON s.digest_id = d.id"
            " GROUP BY day ORDER BY day",
            params,
        )
        return [(date.fromisoformat(day), count) for day, count in rows]

    def stats(self) -> dict[str, int]:
        row = self.db.query(
            "SELECT count(*), coalesce(sum(starred), 0), coalesce(sum(note != ''), 0),"
            " coalesce(sum(has_code), 0), coalesce(sum(read_state = 'unread'), 0),"
            " coalesce(sum(read_state = 'reading'), 0), coalesce(sum(read_state = 'read'), 0)"
            " FROM papers"
        )[0]
        keys = ("papers", "starred", "with_note", "with_code", "unread", "reading", "read")
        result = dict(zip(keys, row, strict=True))
        result["digests"] = self.db.query("SELECT count(*) FROM digests")[0][0]
        result["tags"] = self.db.query("SELECT count(DISTINCT tag) FROM tags")[0][0]
        result["new_since_last_session"] = self.db.query(
            f"SELECT count(*) FROM papers p WHERE {NEW_SQL}"
        )[0][0]
        return result

    # --- the user's state ------------------------------------------------------------------

    def set_starred(self, ids: Iterable[str], starred: bool) -> None:
        with self.db.transaction() as conn:
            for pid in existing_papers(conn, ids):
                conn.execute(
                    "UPDATE papers SET starred = ?, starred_at = ? WHERE id = ? AND starred != ?",
                    (int(starred), iso(now()), pid, int(starred)),
                )

    def set_read_state(self, ids: Iterable[str], state: ReadState) -> None:
        with self.db.transaction() as conn:
            for pid in existing_papers(conn, ids):
                conn.execute(
                    "UPDATE papers SET read_state = ?, read_state_at = ?"
                    " WHERE id = ? AND read_state != ?",
                    (str(state), iso(now()), pid, str(state)),
                )

    def set_note(self, paper_id: str, note: str) -> None:
        with self.db.transaction() as conn:
            existing_papers(conn, [paper_id])
            cursor = conn.execute(
                "UPDATE papers SET note = ?, note_at = ? WHERE id = ? AND note != ?",
                (note, iso(now()), paper_id, note),
            )
            if cursor.rowcount:
                conn.execute("INSERT OR IGNORE INTO index_queue VALUES (?)", (paper_id,))

    def set_not_for_me(self, ids: Iterable[str], marked: bool) -> None:
        """Mark papers "Not for me" (For you's negative examples), or take the mark away."""
        with self.db.transaction() as conn:
            for pid in existing_papers(conn, ids):
                if marked:
                    conn.execute(
                        "INSERT OR IGNORE INTO not_for_me VALUES (?, ?)", (pid, iso(now()))
                    )
                else:
                    conn.execute("DELETE FROM not_for_me WHERE paper_id = ?", (pid,))

    def not_for_me_ids(self) -> set[str]:
        return {row[0] for row in self.db.query("SELECT paper_id FROM not_for_me")}

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
            for row in self.db.query(sql)
        }

    def papers_key(self) -> tuple[int, int]:
        """Changes when papers are added or removed: their count and the highest rowid."""
        return tuple(self.db.query("SELECT count(*), coalesce(max(rowid), 0) FROM papers")[0])

    def annotated_ids(self) -> list[str]:
        """Ids of the papers the user ever starred, tagged, noted or marked, in id order."""
        sql = (
            "SELECT id FROM papers WHERE starred_at IS NOT NULL OR read_state_at IS NOT NULL"
            " OR tags_at IS NOT NULL OR note_at IS NOT NULL ORDER BY id"
        )
        return [row[0] for row in self.db.query(sql)]

    # --- what is new -----------------------------------------------------------------------

    def count_newer(self, ids: Sequence[str], last_paper: int) -> int:
        """How many of ``ids`` were added after the paper whose rowid is ``last_paper``."""
        total = 0
        for chunk in batches(ids):
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT count(*) FROM papers WHERE rowid > ? AND id IN ({marks})"
            total += self.db.query(sql, [last_paper, *chunk])[0][0]
        return total

    def last_fetched_day(self) -> date | None:
        """The newest day whose Daily Papers were fetched: a digest the service dated."""
        rows = self.db.query(
            "SELECT max(date) FROM digests WHERE date_source = ?", (DateSource.SERVICE.value,)
        )
        return date.fromisoformat(rows[0][0]) if rows and rows[0][0] else None
