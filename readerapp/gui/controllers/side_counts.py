"""The side panel's counts, read again after every change without holding up the GUI thread.

Counting the library's views and each digest's triage takes tens of milliseconds at 20,000
papers, so it runs on the reader thread (`TaskManager.read`), never on the GUI thread and never
behind an import on the worker. One count runs at a time; changes that arrive meanwhile are
counted once more when it ends. The window's first paint uses the entries without their counts
(`first_entries`), which the first count then fills in.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject

from readerapp.core.library import Library
from readerapp.gui.models.side_model import SideEntry, SideModel, side_entries
from readerapp.gui.tasks import TaskManager

log = logging.getLogger(__name__)


class SideCounts(QObject):
    """Keeps the side panel's model ``side`` up to date with ``library``: counts on the reader
    thread of ``tasks`` and hands the entries to ``show``."""

    def __init__(
        self,
        tasks: TaskManager,
        library: Library,
        side: SideModel,
        show: Callable[[list[SideEntry]], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._tasks, self._library, self._side, self._show = tasks, library, side, show
        self._counting = False
        self._again = False

    @property
    def counting(self) -> bool:
        """True while a count runs or is due."""
        return self._counting or self._again

    def first_entries(self) -> None:
        """The entries without their slow counts, at once (for the first paint)."""
        self._side.set_entries(side_entries(self._library, counted=False))

    def refresh(self) -> None:
        """Count again on the reader thread; the entries change when the count is in."""
        if self._counting:
            self._again = True
            return
        self._counting = True
        self._tasks.read(side_entries, self._counted, self._failed)

    def _counted(self, entries: list[SideEntry]) -> None:
        self._counting = False
        self._show(entries)
        self._count_again()

    def _failed(self, message: str) -> None:
        self._counting = False
        log.warning("the side panel was not counted: %s", message)
        self._count_again()

    def _count_again(self) -> None:
        if self._again:
            self._again = False
            self.refresh()
