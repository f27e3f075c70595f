"""The database files this process has open through SQLite, which nothing else may open.

Closing any descriptor of a file drops every POSIX lock the process holds on it, SQLite's
included (SQLite itself keeps its descriptors of a locked file open for that reason). Each
connection to a library in WAL mode holds a shared lock on its file while it is open; another
process that finds no lock takes itself for the library's last user when it closes: it folds
the WAL into the file and deletes it under this process's connections. Their later writes
then go to a deleted WAL that no other process reads (a star or a note lost), and once both
WALs are folded in the file is damaged. So a file listed here is never opened but by SQLite:
its open connections already show that it is a sound SQLite file.
"""

from __future__ import annotations

import threading
from collections import Counter
from pathlib import Path

_open: Counter[Path] = Counter()
_guard = threading.Lock()


def opened(path: Path) -> None:
    """A connection to ``path`` was opened."""
    with _guard:
        _open[Path(path).resolve()] += 1


def closed(path: Path) -> None:
    """A connection that `opened` counted was closed."""
    with _guard:
        key = Path(path).resolve()
        _open[key] -= 1
        if _open[key] <= 0:
            del _open[key]


def is_open(path: Path) -> bool:
    """True while this process has a connection to ``path`` open."""
    with _guard:
        return Path(path).resolve() in _open
