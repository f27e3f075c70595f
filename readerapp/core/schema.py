"""The library's SQLite schema and its migrations, numbered from the first day."""

from __future__ import annotations

import sqlite3

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
# it instead of every row with its abstract (at 20,000 papers: 37 -> 0.4 ms).
_STATE_INDEX = """
CREATE INDEX papers_by_state ON papers (starred, read_state, has_code, id);
"""

# Papers the user marked "Not for me": the negative examples of For you.
_NOT_FOR_ME = """
CREATE TABLE not_for_me (
    paper_id TEXT PRIMARY KEY REFERENCES papers (id) ON DELETE CASCADE,
    marked_at TEXT NOT NULL
) WITHOUT ROWID;
"""

# Each entry takes the database from version N to N + 1; append, never edit.
MIGRATIONS: list[str] = [_V1, _SAVED_SEARCHES_AND_TAG_COLOURS, _STATE_INDEX, _NOT_FOR_ME]
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
                for statement in MIGRATIONS[number].split(";"):
                    if statement.strip():
                        conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {number + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return start
