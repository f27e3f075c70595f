"""Logging for the command line and the window: a rotating file in the user's log directory."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from readerapp.core.paths import log_dir

LOG_NAME = "readerapp.log"


def log_path() -> Path:
    """The log file (in the user's log directory), whether or not it exists yet."""
    return log_dir() / LOG_NAME


def setup_logging(level: int = logging.INFO) -> Path | None:
    """Send our log records to a rotating file; returns its path, or None if it can't be written.

    Nothing is printed: the command line and the window tell the user what matters themselves.
    """
    root = logging.getLogger()
    root.setLevel(level)
    for handler in root.handlers[:]:
        root.removeHandler(handler)
    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        root.addHandler(logging.NullHandler())
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    return path
