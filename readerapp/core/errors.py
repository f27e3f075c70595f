"""Our own exception types. Each carries a message written for the user."""

from __future__ import annotations

import errno
from pathlib import Path


class ReaderappError(Exception):
    """Base of every error readerapp reports to the user."""


class DigestError(ReaderappError):
    """A file could not be read as a digest; nothing was imported from it."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class LibraryError(ReaderappError):
    """The library database cannot be opened or written."""


class DataDirError(ReaderappError):
    """The data directory is missing, read-only or full."""


class UnknownPaperError(ReaderappError):
    """No paper has the given id (or id prefix)."""


class QueryError(ReaderappError, ValueError):
    """A query holds a filter that cannot mean anything (``date:2026-13``, ``is:purple``); the
    message names it and says what would."""


class TooFewExamplesError(ReaderappError):
    """For you has too few starred, tagged or noted papers to learn from."""


class SearchIndexError(ReaderappError):
    """The search index is unusable; it will be rebuilt from the library."""


class DamagedLibraryError(LibraryError):
    """The library file is damaged or is not a readerapp library. It was left untouched.

    ``newest_backup`` is the backup to offer for restoring, or None when there is none.
    """

    def __init__(self, path: Path, reason: str, newest_backup: Path | None) -> None:
        message = f"{path} {reason}; the file was left as it is"
        if newest_backup:
            message += f". Newest backup: {newest_backup} (readerapp restore {newest_backup})"
        else:
            message += " (there is no backup to restore)"
        super().__init__(message)
        self.path = path
        self.reason = reason
        self.newest_backup = newest_backup


class BackupError(ReaderappError):
    """A backup could not be made, or a file cannot be restored from."""


class AnnotationsError(ReaderappError):
    """An annotations file cannot be read; nothing was changed."""


# errno values that mean the disk or folder refuses writes, and how we say so.
_DISK_REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "the disk is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
}


def disk_error(exc: OSError, what: str) -> ReaderappError:
    """Our error for an OSError met while writing ``what``: a `DataDirError` when the disk or
    folder refuses writes, else a plain `ReaderappError` with the system's reason."""
    reason = _DISK_REASONS.get(exc.errno or 0)
    if reason:
        return DataDirError(f"cannot write {what}: {reason}; nothing was changed")
    return ReaderappError(f"cannot write {what}: {exc.strerror or exc}")
