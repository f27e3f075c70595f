"""Settings kept in the library file (watched folders, fetching at start, window sessions…),
so that every readerapp on the same library shares them. The window's own remembered state is
`readerapp.gui.settings`."""

from __future__ import annotations

import sqlite3

from readerapp.core.db import Database


def put_setting(conn: sqlite3.Connection, key: str, value: str | None) -> None:
    """Keep ``value`` under ``key`` within the transaction of ``conn``; None forgets it."""
    conn.execute("DELETE FROM settings WHERE key = ?", (key,))
    if value is not None:
        conn.execute("INSERT INTO settings VALUES (?, ?)", (key, value))


class LibrarySettings:
    """The library's settings (``library.settings``): text values under keys."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def get(self, key: str) -> str | None:
        rows = self._db.query("SELECT value FROM settings WHERE key = ?", (key,))
        return rows[0][0] if rows else None

    def set(self, key: str, value: str | None) -> None:
        """Keep ``value`` under ``key``; None forgets it."""
        with self._db.transaction() as conn:
            put_setting(conn, key, value)
