"""Check the data directory, the library and the search index; repair what is safe to repair.

Repairs touch only what can be made again: leftovers of interrupted work and the search
index. The library itself is never changed here; a damaged one is reported with the backup to
restore.
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from readerapp.core import backup
from readerapp.core.collection import INDEX_NAME, Collection
from readerapp.core.errors import BackupError, DamagedLibraryError, ReaderappError
from readerapp.core.library import DB_NAME
from readerapp.core.plural import counted
from readerapp.core.search import SearchIndex

OK, REPAIRED, PROBLEM = "ok", "repaired", "problem"
LOW_SPACE_BYTES = 100 * 1024 * 1024
# A temporary backup file older than this belongs to no running backup.
LEFTOVER_AGE_SECONDS = 600


@dataclass(frozen=True)
class Finding:
    """One thing the doctor looked at: ``status`` is OK, REPAIRED or PROBLEM."""

    status: str
    text: str


def examine(data_dir: Path) -> list[Finding]:
    """Check everything in ``data_dir``, repairing what is safe; say what was found."""
    data_dir = Path(data_dir)
    if not (data_dir / DB_NAME).exists() and not backup.list_backups(data_dir):
        return [Finding(OK, f"there is no library in {data_dir} yet")]
    findings = _check_data_dir(data_dir)
    if any(f.status == PROBLEM for f in findings):
        return findings
    try:
        collection = Collection(data_dir)
    except ReaderappError as exc:
        return [*findings, Finding(PROBLEM, str(exc)), *_check_backups(data_dir)]
    try:
        library = _check_library(collection)
        findings.append(library)
        if library.status != PROBLEM:
            findings.append(_check_index(collection))
    finally:
        collection.close()
    return findings + _check_backups(data_dir)


def has_problems(findings: list[Finding]) -> bool:
    return any(f.status == PROBLEM for f in findings)


# --- the data directory ----------------------------------------------------------------------


def _check_data_dir(data_dir: Path) -> list[Finding]:
    if not os.access(data_dir, os.W_OK | os.X_OK):
        return [Finding(PROBLEM, f"the data directory {data_dir} is not writable")]
    findings = [Finding(OK, f"the data directory {data_dir} is writable")]
    free = shutil.disk_usage(data_dir).free
    if free < LOW_SPACE_BYTES:
        findings.append(
            Finding(PROBLEM, f"only {free // 2**20} MB are free on the disk of {data_dir}")
        )
    removed = _remove_leftovers(data_dir)
    if removed:
        names = ", ".join(sorted(p.name for p in removed))
        findings.append(Finding(REPAIRED, f"removed leftovers of interrupted work: {names}"))
    return findings


def _remove_leftovers(data_dir: Path) -> list[Path]:
    """Half-built index folders (when no rebuild is running) and stale backup temporaries."""
    removed: list[Path] = []
    index = SearchIndex(data_dir / INDEX_NAME)
    with index.exclusive(timeout=0) as idle:
        if idle:
            for suffix in (".new", ".old"):
                folder = index.path.with_name(index.path.name + suffix)
                if folder.exists():
                    shutil.rmtree(folder, ignore_errors=True)
                    removed.append(folder)
    cutoff = time.time() - LEFTOVER_AGE_SECONDS
    for temporary in backup.backups_dir(data_dir).glob(".*.tmp"):
        if temporary.stat().st_mtime < cutoff:
            temporary.unlink(missing_ok=True)
            removed.append(temporary)
    return removed


# --- the library and the index ---------------------------------------------------------------


def _check_library(collection: Collection) -> Finding:
    library = collection.library
    try:
        problems = library.db.integrity_problems(full=True)
    except DamagedLibraryError as exc:
        return Finding(PROBLEM, str(exc))
    if problems:
        reason = "is damaged: " + "; ".join(problems[:3])
        newest = backup.newest_backup(collection.data_dir)
        return Finding(PROBLEM, str(DamagedLibraryError(library.path, reason, newest)))
    stats = library.stats()
    text = (
        f"the library is sound: {counted(stats['papers'], 'paper')}"
        f" from {counted(stats['digests'], 'digest')},"
        f" {len(library.annotated_ids())} annotated"
    )
    return Finding(OK, text)


def _check_index(collection: Collection) -> Finding:
    problem = collection.index_problem()
    if problem is None:
        collection.sync_index()
        problem = _mismatch(collection)
    if problem is None:
        return Finding(OK, f"the search index matches the library ({_count(collection)})")
    collection.rebuild_index()
    return Finding(REPAIRED, f"{problem}; rebuilt it from the library ({_count(collection)})")


def _mismatch(collection: Collection) -> str | None:
    indexed = collection.index.all_ids()
    papers = set(collection.library.filter_ids())
    if indexed == papers:
        return None
    missing, extra = len(papers - indexed), len(indexed - papers)
    return f"the search index does not match the library ({missing} missing, {extra} extra)"


def _count(collection: Collection) -> str:
    return counted(collection.index.doc_count(), "paper")


# --- backups ---------------------------------------------------------------------------------


def _check_backups(data_dir: Path) -> list[Finding]:
    found = backup.list_backups(data_dir)
    if not found:
        text = "no backups yet: one is made each day readerapp starts, or run 'readerapp backup'"
        return [Finding(OK, text)]
    newest = found[0]
    try:
        papers = backup.check_library_file(newest, full=False)
    except BackupError as exc:
        return [Finding(PROBLEM, f"the newest backup cannot be restored: {exc}")]
    holds = counted(papers, "paper")
    return [Finding(OK, f"{counted(len(found), 'backup')}; the newest, {newest}, holds {holds}")]
