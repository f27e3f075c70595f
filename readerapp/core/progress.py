"""What long work is handed to report on itself: a progress callback and a cancel check."""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[int, int], None]  # (done, total)
IsCancelled = Callable[[], bool]


def never() -> bool:
    """The cancel check of work that nobody can cancel."""
    return False
