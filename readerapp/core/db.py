"""The library's SQLite connection: opening it (WAL, busy retries, refusing a stranger's file),
transactions, and SQLite's errors told as ours. `Library` opens one and every manager uses it."""

from __future__ import annotations

import json
import random
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

from readerapp.core import live_files, schema
from readerapp.core.backup import header_problem, newest_backup, read_only
from readerapp.core.errors import (
    DamagedLibraryError,
    DataDirError,
    LibraryError,
    ReaderappError,
    UnknownPaperError,
)

BUSY_TIMEOUT_S = 30  # seconds a write waits for another process's lock
BATCH = 500  # ids put in one ``IN (...)`` list


def now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def parse_moment(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def parse_day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def batches(ids: Sequence[str]) -> Iterator[list[str]]:
    """``ids`` in lists of `BATCH`, each short enough for one ``IN (...)`` list."""
    for start in range(0, len(ids), BATCH):
        yield list(ids[start : start + BATCH])


def existing_papers(conn: sqlite3.Connection, ids: Iterable[str]) -> list[str]:
    """``ids`` without repeats, once each is known to be a paper of the library."""
    wanted = list(dict.fromkeys(ids))
    for pid in wanted:
        if conn.execute("SELECT 1 FROM papers WHERE id = ?", (pid,)).fetchone() is None:
            raise UnknownPaperError(f"no paper with id {pid!r}")
    return wanted


def _busy(exc: sqlite3.Error) -> bool:
    """True when another connection held the lock ``exc`` wanted."""
    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
    return code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


class Database:
    """One connection to the library file. Safe to share between threads; every write is one
    transaction."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.RLock()
        self._conn = self._connect()
        live_files.opened(self.path)
        self._closed = False

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

    def query(self, sql: str, params: Sequence[object] = ()) -> list[sqlite3.Row]:
        """The rows of one read."""
        with self._lock, self._translated():
            cursor = self._conn.execute(sql, params)
            return cursor.fetchall()

    def rows_at_once(
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
        return json.loads(self.query(sql, params)[0][0])

    def data_version(self) -> int:
        """A number that changes whenever another connection commits to the library.

        Poll it (it costs microseconds) to notice changes made by another readerapp process
        or another `Library` on the same file. This library's own writes do not change it.
        """
        return self.query("PRAGMA data_version")[0][0]

    def integrity_problems(self, *, full: bool = True) -> list[str]:
        """What SQLite's integrity check (or its quicker check) finds wrong; empty when sound.

        Reads the whole file: for ``doctor`` and the daily check, not for every start.
        Raises DamagedLibraryError when the damage stops the check itself.
        """
        rows = self.query("PRAGMA integrity_check" if full else "PRAGMA quick_check")
        found = [row[0] for row in rows]
        return [] if found == ["ok"] else found
