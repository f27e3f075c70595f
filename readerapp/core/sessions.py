"""Window sessions: when each began and the last paper the library held then, so that the
papers added since the previous one are ``is:new``."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from readerapp.core.db import Database, iso, now
from readerapp.core.library_settings import LibrarySettings, put_setting

# New papers came after the last one the library held when the previous window session began.
NEW_SQL = (
    "p.rowid > COALESCE((SELECT json_extract(value, '$.last_paper') FROM settings"
    " WHERE key = 'session.previous'), 0)"
)


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


class Sessions:
    """The library's window sessions (``library.sessions``), kept among its settings."""

    def __init__(self, db: Database, settings: LibrarySettings) -> None:
        self._db = db
        self._settings = settings

    def start(self) -> Session | None:
        """A window session begins now; the one before becomes the previous session (the
        papers added since it began are ``is:new``). Returns the previous session."""
        with self._db.transaction() as conn:
            row = conn.execute("SELECT value FROM settings WHERE key = 'session.current'")
            current = (row.fetchone() or (None,))[0]
            if current:
                put_setting(conn, "session.previous", current)
            last = conn.execute("SELECT COALESCE(max(rowid), 0) FROM papers").fetchone()[0]
            started = json.dumps({"started": iso(now()), "last_paper": last})
            put_setting(conn, "session.current", started)
        return _session(current)

    def previous(self) -> Session | None:
        """The window session before this one, or None before the second session."""
        return _session(self._settings.get("session.previous"))
