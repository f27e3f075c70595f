"""Tags: on papers (add, remove) and as a vocabulary (counts, rename or merge, delete, colours)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence

from readerapp.core.db import Database, existing_papers, iso, now
from readerapp.core.errors import LibraryError

# The colours a tag may have, by name; the window decides how each one looks.
TAG_COLOURS = ("red", "orange", "yellow", "green", "teal", "blue", "purple", "grey")


def clean_tag(tag: str) -> str:
    """Tags are trimmed with inner white space folded; case is kept but ignored when matching."""
    return " ".join(tag.split())


class Tags:
    """The library's tags (``library.tags``). Tags match in any case."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def add(self, ids: Iterable[str], tags: Iterable[str]) -> None:
        """Put ``tags`` on the papers ``ids``."""
        self._change(ids, tags, "INSERT OR IGNORE INTO tags (paper_id, tag) VALUES (?, ?)")

    def remove(self, ids: Iterable[str], tags: Iterable[str]) -> None:
        """Take ``tags`` off the papers ``ids``."""
        self._change(ids, tags, "DELETE FROM tags WHERE paper_id = ? AND tag = ?")

    def _change(self, ids: Iterable[str], tags: Iterable[str], statement: str) -> None:
        cleaned = [t for t in (clean_tag(tag) for tag in tags) if t]
        with self._db.transaction() as conn:
            for pid in existing_papers(conn, ids):
                changed = sum(conn.execute(statement, (pid, tag)).rowcount for tag in cleaned)
                if changed:
                    conn.execute("UPDATE papers SET tags_at = ? WHERE id = ?", (iso(now()), pid))

    def counts(self) -> list[tuple[str, int]]:
        """Each tag and how many papers carry it, by tag."""
        return [
            (tag, n)
            for tag, n in self._db.query(
                "SELECT tag, count(*) FROM tags GROUP BY tag COLLATE NOCASE ORDER BY tag"
            )
        ]

    def paper_ids(self, tag: str) -> set[str]:
        """The papers carrying ``tag`` (in any case)."""
        sql = "SELECT paper_id FROM tags WHERE tag = ?"
        return {row[0] for row in self._db.query(sql, (clean_tag(tag),))}

    def rename(self, old: str, new: str) -> list[str]:
        """Rename the tag ``old`` to ``new`` on every paper; when ``new`` is a tag already, the
        two merge (its colour wins). Returns the ids of the papers whose tags changed."""
        old, new = clean_tag(old), clean_tag(new)
        if not new:
            raise LibraryError("a tag needs a name")
        with self._db.transaction() as conn:
            moved = _tagged_ids(conn, old)
            if not moved:
                raise LibraryError(f"no paper is tagged “{old}”")
            respelt = _tagged_ids(conn, new, "AND tag != ? COLLATE BINARY", (new,))
            same = conn.execute("SELECT ? = ? COLLATE NOCASE", (old, new)).fetchone()[0]
            if not same:
                conn.execute("UPDATE OR IGNORE tags SET tag = ? WHERE tag = ?", (new, old))
                conn.execute("DELETE FROM tags WHERE tag = ?", (old,))
                conn.execute("UPDATE OR IGNORE tag_colours SET tag = ? WHERE tag = ?", (new, old))
                conn.execute("DELETE FROM tag_colours WHERE tag = ?", (old,))
            conn.execute("UPDATE tags SET tag = ? WHERE tag = ?", (new, new))  # one spelling
            conn.execute("UPDATE tag_colours SET tag = ? WHERE tag = ?", (new, new))
            changed = sorted(set(respelt) | (set() if same else set(moved)))
            _stamp_tags(conn, changed)
        return changed

    def delete(self, tag: str) -> list[str]:
        """Take ``tag`` off every paper. Returns the ids of the papers that had it."""
        tag = clean_tag(tag)
        with self._db.transaction() as conn:
            ids = _tagged_ids(conn, tag)
            conn.execute("DELETE FROM tags WHERE tag = ?", (tag,))
            conn.execute("DELETE FROM tag_colours WHERE tag = ?", (tag,))
            _stamp_tags(conn, ids)
        return ids

    def colours(self) -> dict[str, str]:
        """The colour of each tag that has one, keyed by the tag case-folded."""
        rows = self._db.query("SELECT * FROM tag_colours")
        return {tag.casefold(): colour for tag, colour in rows}

    def set_colour(self, tag: str, colour: str | None) -> None:
        """Give ``tag`` one of TAG_COLOURS, or take its colour away with None."""
        tag = clean_tag(tag)
        if colour is not None and colour not in TAG_COLOURS:
            raise LibraryError(f"{colour!r} is not a tag colour ({', '.join(TAG_COLOURS)})")
        with self._db.transaction() as conn:
            conn.execute("DELETE FROM tag_colours WHERE tag = ?", (tag,))
            if colour is not None and tag:
                conn.execute("INSERT INTO tag_colours VALUES (?, ?)", (tag, colour))


def _tagged_ids(
    conn: sqlite3.Connection, tag: str, extra: str = "", params: Sequence[object] = ()
) -> list[str]:
    sql = f"SELECT paper_id FROM tags WHERE tag = ? {extra} ORDER BY paper_id"
    return [row[0] for row in conn.execute(sql, (tag, *params))]


def _stamp_tags(conn: sqlite3.Connection, ids: Iterable[str]) -> None:
    stamp = iso(now())
    conn.executemany("UPDATE papers SET tags_at = ? WHERE id = ?", [(stamp, i) for i in ids])
