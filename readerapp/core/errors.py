"""Our own exception types. Each carries a message written for the user."""


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


class SearchIndexError(ReaderappError):
    """The search index is unusable; it will be rebuilt from the library."""
