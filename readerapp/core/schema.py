"""The library's SQLite schema and its migrations, numbered from the first day."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable

from readerapp.core.links import find_links, is_code_link
from readerapp.core.models import DateSource, digest_key

_V1 = """
CREATE TABLE digests (
    id INTEGER PRIMARY KEY,
    content_hash TEXT NOT NULL UNIQUE,
    source TEXT NOT NULL,
    date TEXT,
    date_text TEXT,
    imported_at TEXT NOT NULL,
    paper_count INTEGER NOT NULL
);
CREATE TABLE papers (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    abstract TEXT NOT NULL,
    links TEXT NOT NULL DEFAULT '[]',
    has_code INTEGER NOT NULL DEFAULT 0,
    first_seen TEXT NOT NULL,
    added_at TEXT NOT NULL,
    starred INTEGER NOT NULL DEFAULT 0,
    starred_at TEXT,
    read_state TEXT NOT NULL DEFAULT 'unread'
        CHECK (read_state IN ('unread', 'reading', 'read')),
    read_state_at TEXT,
    note TEXT NOT NULL DEFAULT '',
    note_at TEXT,
    tags_at TEXT
);
CREATE INDEX papers_by_date ON papers (first_seen DESC);
CREATE TABLE sightings (
    paper_id TEXT NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
    digest_id INTEGER NOT NULL REFERENCES digests (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    PRIMARY KEY (paper_id, digest_id)
) WITHOUT ROWID;
CREATE INDEX sightings_by_digest ON sightings (digest_id);
CREATE TABLE tags (
    paper_id TEXT NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
    tag TEXT NOT NULL COLLATE NOCASE,
    PRIMARY KEY (paper_id, tag)
) WITHOUT ROWID;
CREATE INDEX tags_by_tag ON tags (tag);
-- Papers whose searchable text changed since the search index last took it in.
CREATE TABLE index_queue (paper_id TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

# Named searches (a query, and when the user last opened it) and a colour per tag.
_SAVED_SEARCHES_AND_TAG_COLOURS = """
CREATE TABLE saved_searches (
    name TEXT PRIMARY KEY COLLATE NOCASE,
    query TEXT NOT NULL,
    opened_at TEXT NOT NULL,
    -- the last paper (by rowid) when the user last opened it: those after it are new
    seen_up_to INTEGER NOT NULL
);
CREATE TABLE tag_colours (
    tag TEXT PRIMARY KEY COLLATE NOCASE,
    colour TEXT NOT NULL
);
"""

# The user's state of every paper in a small index, so that filters such as is:starred read
# it instead of every row with its abstract.
_STATE_INDEX = """
CREATE INDEX papers_by_state ON papers (starred, read_state, has_code, id);
"""


def _digests_by_content(conn: sqlite3.Connection) -> None:
    """A digest is known by its content (`digest_key`), no longer by its file's bytes, and
    every digest has a date and says how it got it.

    The key is worked out from the date line and the papers each digest holds. Digests that
    turn out to be copies of one another (the same digest saved in another encoding) become
    one: the first imported is kept, and its papers' "first seen" is worked out again. A
    digest without a date had its papers dated the day it was imported: it gets that day.
    """
    conn.execute("ALTER TABLE digests RENAME COLUMN content_hash TO content_key")
    conn.execute("ALTER TABLE digests ADD COLUMN date_source TEXT")
    papers_of: dict[int, list[str]] = {}
    for digest_id, paper_id in conn.execute(
        "SELECT digest_id, paper_id FROM sightings ORDER BY digest_id, position"
    ):
        papers_of.setdefault(digest_id, []).append(paper_id)
    kept: dict[str, int] = {}
    moved: set[str] = set()
    digests = conn.execute("SELECT id, date_text FROM digests ORDER BY id").fetchall()
    for digest_id, date_text in digests:
        key = digest_key(date_text, papers_of.get(digest_id, []))
        if key in kept:
            conn.execute(
                "INSERT OR IGNORE INTO sightings (paper_id, digest_id, position)"
                " SELECT paper_id, ?, position FROM sightings WHERE digest_id = ?",
                (kept[key], digest_id),
            )
            conn.execute("DELETE FROM sightings WHERE digest_id = ?", (digest_id,))
            conn.execute("DELETE FROM digests WHERE id = ?", (digest_id,))
            moved.update(papers_of.get(digest_id, []))
        else:
            kept[key] = digest_id
            conn.execute("UPDATE digests SET content_key = ? WHERE id = ?", (key, digest_id))
    conn.execute(
        "UPDATE digests SET date_source = CASE WHEN date IS NULL THEN ? ELSE ? END,"
        " date = COALESCE(date, substr(imported_at, 1, 10))",
        (DateSource.IMPORT_DAY.value, DateSource.FILE_DATE.value),
    )
    conn.executemany(
        "UPDATE papers SET first_seen = (SELECT min(d.date) FROM sightings s"
        " JOIN digests d ON d.id = s.digest_id WHERE s.paper_id = papers.id) WHERE id = ?",
        [(paper_id,) for paper_id in sorted(moved)],
    )


def _code_links_found_again(conn: sqlite3.Connection) -> None:
    """Links to code written without a scheme ("github.com/owner/repo", "www.github.com/…")
    were not found, and every Hugging Face link counted as code (its paper pages too): each
    paper's abstract is searched for links again, those new added after the paper's own, and
    whether it has code is worked out again."""
    changed = []
    for paper_id, abstract, links_json, has_code in conn.execute(
        "SELECT id, abstract, links, has_code FROM papers"
    ):
        links = json.loads(links_json)
        found = links + [link for link in find_links(abstract) if link not in links]
        code = int(any(map(is_code_link, found)))
        if found != links or code != has_code:
            changed.append((json.dumps(found), code, paper_id))
    conn.executemany("UPDATE papers SET links = ?, has_code = ? WHERE id = ?", changed)


# What a paper fetched from the Daily Papers service brings: its arXiv id (one paper per id),
# its authors (a JSON list of names) and the day it was published.
_ARXIV_AND_AUTHORS = """
ALTER TABLE papers ADD COLUMN arxiv_id TEXT;
ALTER TABLE papers ADD COLUMN authors TEXT NOT NULL DEFAULT '[]';
ALTER TABLE papers ADD COLUMN published TEXT;
CREATE UNIQUE INDEX papers_by_arxiv_id ON papers (arxiv_id) WHERE arxiv_id IS NOT NULL;
"""


# Papers the user marked "Not for me": the negative examples of For you.
_NOT_FOR_ME = """
CREATE TABLE not_for_me (
    paper_id TEXT PRIMARY KEY REFERENCES papers (id) ON DELETE CASCADE,
    marked_at TEXT NOT NULL
) WITHOUT ROWID;
"""


Migration = str | Callable[[sqlite3.Connection], None]  # SQL statements, or a data step
# Each entry takes the database from version N to N + 1; append, never edit.
MIGRATIONS: list[Migration] = [
    _V1,
    _SAVED_SEARCHES_AND_TAG_COLOURS,
    _STATE_INDEX,
    _digests_by_content,
    _code_links_found_again,
    _ARXIV_AND_AUTHORS,
    _NOT_FOR_ME,
]
SCHEMA_VERSION = len(MIGRATIONS)


def version_of(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the database up to SCHEMA_VERSION, a transaction a step. Returns the old version."""
    start = version_of(conn)
    for number in range(start, SCHEMA_VERSION):
        conn.execute("BEGIN IMMEDIATE")
        try:
            if version_of(conn) == number:  # another process may have migrated meanwhile
                _apply(conn, MIGRATIONS[number])
                conn.execute(f"PRAGMA user_version = {number + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return start


def _apply(conn: sqlite3.Connection, migration: Migration) -> None:
    if callable(migration):
        migration(conn)
        return
    for statement in migration.split(";"):
        if statement.strip():
            conn.execute(statement)
