"""readerapp: a reading list for the daily digests of trending research papers."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("readerapp")
except PackageNotFoundError:  # running from a checkout that was never installed
    __version__ = "0.0.0+unknown"

APP_ID = "io.github.readerapp.ReaderApp"
APP_NAME = "readerapp"
