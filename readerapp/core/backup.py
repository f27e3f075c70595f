"""Backups of the library database: one a day on start, on request, and restoring one.

Backups are whole SQLite databases made with SQLite's backup API, so they are consistent even
while another readerapp writes. Daily ones are ``backups/library-YYYY-MM-DD.sqlite3``, the
newest `KEEP_DAILY` kept; ``backups/before-restore-*.sqlite3`` (the library as it was before a
restore) are never pruned. This module knows SQLite files, not the library's API, so the
library can use it to name the backup to restore when its own file is damaged.
"""

from __future__ import annotations

import os
import re
import secrets
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from readerapp.core import live_files, schema
from readerapp.core.errors import BackupError, DamagedLibraryError, disk_error

BACKUP_DIR = "backups"
KEEP_DAILY = 7
SQLITE_MAGIC = b"SQLite format 3\x00"
_DAILY = re.compile(r"library-(\d{4}-\d{2}-\d{2})\.sqlite3")
_STAMP = "%Y%m%dT%H%M%S"


def backups_dir(data_dir: Path) -> Path:
    return Path(data_dir) / BACKUP_DIR


def list_backups(data_dir: Path) -> list[Path]:
    """Every backup in the data directory, newest first."""
    folder = backups_dir(data_dir)
    if not folder.is_dir():
        return []
    found = [p for p in folder.glob("*.sqlite3") if p.is_file()]
    return sorted(found, key=lambda p: (p.stat().st_mtime, p.name), reverse=True)


def newest_backup(data_dir: Path) -> Path | None:
    found = list_backups(data_dir)
    return found[0] if found else None


def _daily_backups(data_dir: Path) -> list[Path]:
    """The daily backups, newest day first."""
    folder = backups_dir(data_dir)
    named = [p for p in folder.glob("library-*.sqlite3") if _DAILY.fullmatch(p.name)]
    return sorted(named, key=lambda p: p.name, reverse=True)


# --- looking at a database file without changing it ---------------------------------------


def header_problem(path: Path) -> str | None:
    """What is wrong with the first page of an SQLite file, judged from its bytes alone.

    None for a missing or empty file (a new library) and for a plausible header, and for a
    library this process has open: it is not opened again (see `live_files`).
    """
    if live_files.is_open(path):
        return None
    try:
        with open(path, "rb") as file:
            header = file.read(100)
        size = path.stat().st_size
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"cannot be read ({exc.strerror})"
    if not header:
        return None
    if len(header) < 100 or not header.startswith(SQLITE_MAGIC):
        return "is not a readable readerapp library (not an SQLite database)"
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages, counter, valid_for = (int.from_bytes(header[i : i + 4], "big") for i in (28, 24, 92))
    wal = path.with_name(path.name + "-wal")
    settled = not wal.exists() or wal.stat().st_size == 0  # else the WAL may hold the rest
    if settled and counter == valid_for and pages * page_size > size:
        return "is damaged (the file is shorter than it says: it was cut off)"
    return None


@contextmanager
def read_only(path: Path, *, immutable: bool) -> Iterator[sqlite3.Connection]:
    """A connection that cannot change the file.

    ``immutable`` also keeps SQLite from reading or making side files (-wal, -shm): right for
    a backup or a stranger's file, wrong for a live library whose last changes are in its WAL.
    A file with a WAL beside it is read with its WAL whatever ``immutable`` says.
    """
    path = Path(path).resolve()
    immutable = immutable and not path.with_name(path.name + "-wal").exists()
    uri = path.as_uri() + ("?mode=ro&immutable=1" if immutable else "?mode=ro")
    conn = sqlite3.connect(uri, uri=True)
    try:
        yield conn
    finally:
        conn.close()


def check_library_file(path: Path, *, full: bool = True, live: bool = False) -> int:
    """Check that ``path`` is a sound readerapp library; return how many papers it holds.

    ``full`` runs SQLite's integrity check, else its quick check; ``live`` reads the file with
    its WAL (a library in use). Raises BackupError saying what is wrong. The file is only read.
    """
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path} does not exist or is not a file")
    problem = header_problem(path)
    if problem or path.stat().st_size == 0:
        raise BackupError(f"{path} {problem or 'is empty'}")
    try:
        with read_only(path, immutable=not live) as conn:
            return _check_open_library(conn, path, full)
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is not a readable readerapp library ({exc})") from exc


def _check_open_library(conn: sqlite3.Connection, path: Path, full: bool) -> int:
    version = schema.version_of(conn)
    if version == 0:
        raise BackupError(f"{path} is not a readerapp library")
    if version > schema.SCHEMA_VERSION:
        raise BackupError(f"{path} was written by a newer readerapp (schema {version})")
    check = "integrity_check" if full else "quick_check"
    result = [row[0] for row in conn.execute(f"PRAGMA {check}")]
    if result != ["ok"]:
        raise BackupError(f"{path} is damaged ({'; '.join(result[:3])})")
    return conn.execute("SELECT count(*) FROM papers").fetchone()[0]


# --- making backups ------------------------------------------------------------------------


def make_backup(db_path: Path, dest: Path) -> Path:
    """Copy the library at ``db_path`` into ``dest`` (replaced only once complete)."""
    dest = Path(dest)
    if not dest.parent.is_dir():
        raise BackupError(f"cannot back up to {dest}: the folder {dest.parent} does not exist")
    temporary = dest.with_name(f".{dest.name}.{secrets.token_hex(4)}.tmp")
    source_uri = Path(db_path).resolve().as_uri() + "?mode=ro"
    try:
        with (
            closing(sqlite3.connect(source_uri, uri=True, timeout=30)) as source,
            closing(sqlite3.connect(temporary)) as copy,
        ):
            source.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
        _fsync(temporary)
        os.replace(temporary, dest)
        if sys.platform != "win32":  # Windows cannot open a folder to flush it
            _fsync(dest.parent)
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"cannot back up {db_path} to {dest}: {exc}") from exc
    except OSError as exc:
        raise disk_error(exc, f"the backup {dest}") from exc
    finally:
        temporary.unlink(missing_ok=True)
    return dest


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def backup_now(data_dir: Path, db_path: Path, today: date | None = None) -> Path:
    """Make (or remake) today's backup in the backups folder and prune old ones."""
    folder = backups_dir(data_dir)
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise disk_error(exc, f"the backups folder {folder}") from exc
    dest = folder / f"library-{(today or date.today()).isoformat()}.sqlite3"
    make_backup(db_path, dest)
    prune(data_dir)
    return dest


def daily_backup(data_dir: Path, db_path: Path, today: date | None = None) -> Path | None:
    """Today's backup, if none was made today and the library holds papers; else None.

    The library is checked first (a quick check, once a day): a damaged library raises
    DamagedLibraryError rather than pushing good backups out.
    """
    day = (today or date.today()).isoformat()
    if (backups_dir(data_dir) / f"library-{day}.sqlite3").exists() or not db_path.exists():
        return None
    try:
        papers = check_library_file(db_path, full=False, live=True)
    except BackupError as exc:
        raise DamagedLibraryError(
            db_path, f"failed its daily check: {exc}", newest_backup(data_dir)
        ) from exc
    if papers == 0:
        return None
    return backup_now(data_dir, db_path, today)


def prune(data_dir: Path, keep: int = KEEP_DAILY) -> list[Path]:
    """Delete the daily backups beyond the newest ``keep``; return what was deleted."""
    old = _daily_backups(data_dir)[keep:]
    for path in old:
        path.unlink(missing_ok=True)
    return old


# --- restoring -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RestoreResult:
    """What a restore did: the papers now in the library and where the old library went."""

    papers: int
    saved_copy: Path | None  # a backup of the library as it was, when it was sound
    moved_aside: Path | None  # the damaged library file, kept under a new name


def restore(data_dir: Path, db_path: Path, source: Path) -> RestoreResult:
    """Replace the library at ``db_path`` with the backup ``source``.

    ``source`` is checked first (integrity, schema). A sound current library is backed up to
    ``before-restore-*.sqlite3``; a damaged one is renamed aside, never overwritten. The copy
    goes in through SQLite's backup API, so other readerapp processes see the restored
    library. The search index must be rebuilt afterwards (``Collection.ensure_index`` does).
    """
    source, db_path = Path(source).resolve(), Path(db_path).resolve()
    if source == db_path:
        raise BackupError(f"{source} is the library itself, not a backup")
    papers = check_library_file(source)
    stamp = datetime.now().strftime(_STAMP)
    saved = moved = None
    if _is_sound(db_path):
        saved = make_backup(db_path, _ensure_dir(data_dir) / f"before-restore-{stamp}.sqlite3")
    elif db_path.exists():
        moved = _move_aside(db_path, stamp)
    _copy_into(source, db_path)
    return RestoreResult(papers, saved, moved)


def _ensure_dir(data_dir: Path) -> Path:
    folder = backups_dir(data_dir)
    folder.mkdir(exist_ok=True)
    return folder


def _is_sound(db_path: Path) -> bool:
    if not db_path.exists() or db_path.stat().st_size == 0:
        return False
    try:
        check_library_file(db_path, full=False, live=True)
    except BackupError:
        return False
    return True


def _move_aside(db_path: Path, stamp: str) -> Path:
    """Rename a damaged library (and its side files) to ``library.sqlite3.damaged-STAMP``."""
    aside = db_path.with_name(f"{db_path.name}.damaged-{stamp}")
    for suffix in ("-wal", "-shm"):
        side = db_path.with_name(db_path.name + suffix)
        if side.exists():
            side.rename(aside.with_name(aside.name + suffix))
    db_path.rename(aside)
    return aside


def _copy_into(source: Path, db_path: Path) -> None:
    try:
        with (
            read_only(source, immutable=True) as src,
            closing(sqlite3.connect(db_path, timeout=30)) as dst,
        ):
            src.backup(dst)
            dst.execute("PRAGMA journal_mode = WAL")
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"cannot restore {source}: {exc}") from exc
    except OSError as exc:
        raise disk_error(exc, f"the library {db_path}") from exc
