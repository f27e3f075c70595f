"""Hooks for tests and benchmarks, inert unless their environment variable is set.

``READY_FILE_ENV`` names a file into which the window writes the number of papers it lists,
once it is shown and its event loop has turned: from then on it answers input.
`benchmarks/bench_gui.py` times cold starts by it.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QTimer

from readerapp.gui.models.paper_model import PaperModel

READY_FILE_ENV = "READERAPP_TEST_HOOK_READY_FILE"


def announce_ready(papers: PaperModel) -> None:
    """Write the number of papers the window's list ``papers`` holds to the file
    ``READY_FILE_ENV`` names (if set), at the event loop's first turn."""
    path = os.environ.get(READY_FILE_ENV)
    if path:
        QTimer.singleShot(0, lambda: Path(path).write_text(str(papers.total())))
