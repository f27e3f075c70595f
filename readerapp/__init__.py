"""readerapp: a reading list for the daily digests of trending research papers."""

import functools

APP_ID = "io.github.readerapp.ReaderApp"
APP_NAME = "readerapp"


def __getattr__(name: str) -> str:
    """``__version__``, looked up only when asked for: importing importlib.metadata and finding
    the installed distribution would slow every start, and few need the version."""
    if name == "__version__":
        return _installed_version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@functools.cache
def _installed_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("readerapp")
    except PackageNotFoundError:  # running from a checkout that was never installed
        return "0.0.0+unknown"
