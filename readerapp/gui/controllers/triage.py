"""Triage by digest: ``]`` and ``[`` go to the next or previous digest with papers left to
triage, and "New since last session" lists what arrived since the previous window session.

A paper is triaged once it is starred, tagged, noted or read (the core's ``is:triaged``). The
side panel lists the digests by day, newest first, each with its progress ("9 of 14"):
the next digest is the one below, an older one.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QListView

from readerapp.gui.models.side_model import DIGEST_PREFIX, SideEntry, SideModel
from readerapp.gui.tasks import TaskManager
from readerapp.gui.views.status_area import StatusArea

NEW_KEY = "new"


def untriaged(entry: SideEntry) -> bool:
    return entry.key.startswith(DIGEST_PREFIX) and bool(
        entry.progress and entry.progress[0] < entry.progress[1]
    )


class TriageController(QObject):
    """Moves the choice of the side panel ``panel`` (showing ``side``) between digests, and
    keeps the window sessions; `library_changed` says a session began (what is new changed)."""

    library_changed = Signal()

    def __init__(
        self,
        tasks: TaskManager,
        status: StatusArea,
        side: SideModel,
        panel: QListView,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._tasks, self._status, self._side, self._panel = tasks, status, side, panel

    def start_session(self) -> None:
        """Record on the worker that a session begins; then count what is new since the last."""
        self._tasks.run(
            lambda collection: collection.library.sessions.start(),
            lambda _previous: self.library_changed.emit(),
        )

    def next_digest(self) -> None:
        self._jump(1)

    def previous_digest(self) -> None:
        self._jump(-1)

    def show_new(self) -> None:
        row = self._side.row_of(NEW_KEY)
        if row is not None:
            self._panel.setCurrentIndex(self._side.index(row))

    def _jump(self, step: int) -> None:
        """Choose the nearest digest with untriaged papers below (``step`` 1) or above (-1) the
        one chosen; from a row that is not a digest, the first (or last) such digest."""
        entries = self._side.entries()
        rows = [row for row, entry in enumerate(entries) if untriaged(entry)]
        current = self._panel.currentIndex().row()
        on_digest = 0 <= current < len(entries) and entries[current].key.startswith(DIGEST_PREFIX)
        if not on_digest:
            current = -1 if step > 0 else len(entries)
        ahead = [row for row in rows if (row - current) * step > 0]
        if not ahead:
            self._status.message(self._nothing_left(bool(rows), step))
            return
        target = min(ahead, key=lambda row: abs(row - current))
        self._panel.setCurrentIndex(self._side.index(target))
        done, total = entries[target].progress or (0, 0)
        self._status.message(f"{entries[target].label}: {done} of {total} triaged")

    @staticmethod
    def _nothing_left(any_left: bool, step: int) -> str:
        if not any_left:
            return "Every digest is triaged."
        return f"No {'older' if step > 0 else 'newer'} digest has papers left to triage."
