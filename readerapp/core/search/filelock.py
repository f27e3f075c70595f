"""An exclusive lock between processes on a lock file, dropped by the system when its holder
dies, so that a lock file left behind by a killed process never blocks anyone."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from readerapp.core.errors import disk_error

_POLL_SECONDS = 0.02

if sys.platform == "win32":
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True


@contextmanager
def exclusive_lock(path: Path, timeout: float | None = None) -> Iterator[bool]:
    """Hold the lock on ``path`` (created if missing) for the ``with`` block.

    Yields False when the lock could not be had within ``timeout`` seconds (None: wait as
    long as it takes). Threads of one process exclude each other too: each call opens the
    file anew.
    """
    try:
        fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o644)
    except OSError as exc:
        raise disk_error(exc, f"the lock file {path}") from exc
    try:
        yield _wait_for(fd, timeout)
    finally:
        os.close(fd)  # closing the file drops the lock


def _wait_for(fd: int, timeout: float | None) -> bool:
    deadline = None if timeout is None else time.monotonic() + timeout
    while not _try_lock(fd):
        if deadline is not None and time.monotonic() >= deadline:
            return False
        time.sleep(_POLL_SECONDS)
    return True
