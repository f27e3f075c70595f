"""Saved searches: a query kept under a name, and up to which paper the user has seen what it
finds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from readerapp.core.db import Database, iso, now, parse_moment
from readerapp.core.errors import LibraryError


@dataclass(frozen=True)
class SavedSearch:
    name: str
    query: str
    opened_at: datetime
    seen_up_to: int  # the last paper (by rowid) when the user last opened it


def _saved_search_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise LibraryError("a saved search needs a name")
    if '"' in cleaned:
        raise LibraryError('the name of a saved search cannot contain "')
    return cleaned


class SavedSearches:
    """The library's saved searches (``library.saved_searches``). Names match in any case."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def save(self, name: str, query: str) -> None:
        """Save ``query`` as ``name``, replacing a saved search of that name; what it finds
        now counts as seen."""
        name = _saved_search_name(name)
        with self._db.transaction() as conn:
            conn.execute("DELETE FROM saved_searches WHERE name = ?", (name,))
            conn.execute(
                "INSERT INTO saved_searches VALUES (?, ?, ?, (SELECT COALESCE(max(rowid), 0)"
                " FROM papers))",
                (name, " ".join(query.split()), iso(now())),
            )

    def all(self) -> list[SavedSearch]:
        """Every saved search, by name."""
        rows = self._db.query("SELECT * FROM saved_searches ORDER BY name COLLATE NOCASE")
        return [
            SavedSearch(name, query, parse_moment(opened) or now(), seen)
            for name, query, opened, seen in rows
        ]

    def query_of(self, name: str) -> str | None:
        """The query saved as ``name`` (in any case), or None when there is none."""
        rows = self._db.query(
            "SELECT query FROM saved_searches WHERE name = ?", (" ".join(name.split()),)
        )
        return rows[0][0] if rows else None

    def mark_opened(self, name: str) -> None:
        """The user opened ``name``: what it finds now is no longer new."""
        with self._db.transaction() as conn:
            conn.execute(
                "UPDATE saved_searches SET opened_at = ?,"
                " seen_up_to = (SELECT COALESCE(max(rowid), 0) FROM papers) WHERE name = ?",
                (iso(now()), name),
            )

    def delete(self, name: str) -> None:
        with self._db.transaction() as conn:
            conn.execute("DELETE FROM saved_searches WHERE name = ?", (name,))
