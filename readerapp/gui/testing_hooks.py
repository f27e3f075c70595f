"""Hooks for tests and benchmarks, inert unless their environment variable is set.

``READY_FILE_ENV`` names a file into which the window writes the number of papers it lists,
once it is shown and its event loop has turned: from then on it answers input.
`benchmarks/bench_gui.py` times cold starts by it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer

if TYPE_CHECKING:
    from readerapp.gui.views.main_window import MainWindow

READY_FILE_ENV = "READERAPP_TEST_HOOK_READY_FILE"


def announce_ready(window: MainWindow) -> None:
    """Write the number of papers ``window`` lists to the file ``READY_FILE_ENV`` names (if
    set), at the event loop's first turn."""
    path = os.environ.get(READY_FILE_ENV)
    if path:
        QTimer.singleShot(0, lambda: Path(path).write_text(str(window.papers.total())))
