"""What feeds the search index: the papers waiting to be indexed, and the text each goes in
with."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator, Mapping, Sequence

from readerapp.core.db import Database, batches


def text_key(title: str, abstract: str, note: str) -> str:
    """A digest of a paper's searchable text, to tell whether it changed since it was indexed."""
    digest = hashlib.blake2b(digest_size=16)
    for part in (title, abstract, note):
        data = part.encode("utf-8", "surrogatepass")
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


class IndexQueue:
    """The library's index queue (``library.index_queue``): papers added, or whose text
    changed, wait on it until the index holds their text."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def ids(self) -> list[str]:
        """The papers waiting to be indexed."""
        return [row[0] for row in self._db.query("SELECT paper_id FROM index_queue")]

    def count(self) -> int:
        """How many papers wait to be indexed (a search by words cannot find them yet)."""
        return self._db.query("SELECT COUNT(*) FROM index_queue")[0][0]

    def clear(self, indexed: Mapping[str, str]) -> None:
        """Take indexed papers off the index queue.

        ``indexed`` maps the ids that went into the index to the `text_key` of the text they
        went in with. A paper whose text changed since (another process wrote a note while
        this one indexed) stays on the queue, so the newer text is indexed too.
        """
        with self._db.transaction() as conn:
            queued = [row[0] for row in conn.execute("SELECT paper_id FROM index_queue")]
            done = [(pid,) for pid in queued if pid in indexed and
                    indexed[pid] == _text_key_of(conn, pid)]  # fmt: skip
            conn.executemany("DELETE FROM index_queue WHERE paper_id = ?", done)

    def text_rows(self, ids: Sequence[str] | None = None) -> Iterator[tuple[str, str, str, str]]:
        """(id, title, abstract, note) for ``ids``, or for every paper, in batches."""
        if ids is None:
            ids = [row[0] for row in self._db.query("SELECT id FROM papers ORDER BY rowid")]
        for chunk in batches(ids):
            marks = ",".join("?" * len(chunk))
            yield from self._db.query(
                f"SELECT id, title, abstract, note FROM papers WHERE id IN ({marks})", chunk
            )


def _text_key_of(conn: sqlite3.Connection, paper_id: str) -> str | None:
    sql = "SELECT title, abstract, note FROM papers WHERE id = ?"
    row = conn.execute(sql, (paper_id,)).fetchone()
    return text_key(*row) if row else None
