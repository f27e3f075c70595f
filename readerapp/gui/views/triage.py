"""Triage by digest: ``]`` and ``[`` go to the next or previous digest with papers left to
triage, and "New since last session" lists what arrived since the previous window session.

A paper is triaged once it is starred, tagged, noted or read (the core's ``is:triaged``). The
side panel lists the digests by day, newest first, each with its progress ("9 of 14"):
the next digest is the one below, an older one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from readerapp.gui.models.side_model import DIGEST_PREFIX, SideEntry

if TYPE_CHECKING:
    from readerapp.gui.views.main_window import MainWindow

NEW_KEY = "new"


def untriaged(entry: SideEntry) -> bool:
    return entry.key.startswith(DIGEST_PREFIX) and bool(
        entry.progress and entry.progress[0] < entry.progress[1]
    )


class TriageController(QObject):
    """Moves the side panel's choice between digests, and keeps the window sessions."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window

    def start_session(self) -> None:
        """Record on the worker that a session begins; then count what is new since the last."""
        self.window.tasks.run(
            lambda collection: collection.library.sessions.start(),
            lambda _previous: self.window.library_changed(),
        )

    def next_digest(self) -> None:
        self._jump(1)

    def previous_digest(self) -> None:
        self._jump(-1)

    def show_new(self) -> None:
        row = self.window.side.row_of(NEW_KEY)
        if row is not None:
            self.window.tag_panel.setCurrentIndex(self.window.side.index(row))

    def _jump(self, step: int) -> None:
        """Choose the nearest digest with untriaged papers below (``step`` 1) or above (-1) the
        one chosen; from a row that is not a digest, the first (or last) such digest."""
        entries = self.window.side.entries()
        rows = [row for row, entry in enumerate(entries) if untriaged(entry)]
        current = self.window.tag_panel.currentIndex().row()
        on_digest = 0 <= current < len(entries) and entries[current].key.startswith(DIGEST_PREFIX)
        if not on_digest:
            current = -1 if step > 0 else len(entries)
        ahead = [row for row in rows if (row - current) * step > 0]
        if not ahead:
            self.window.status.message(self._nothing_left(bool(rows), step))
            return
        target = min(ahead, key=lambda row: abs(row - current))
        self.window.tag_panel.setCurrentIndex(self.window.side.index(target))
        done, total = entries[target].progress or (0, 0)
        self.window.status.message(f"{entries[target].label}: {done} of {total} triaged")

    @staticmethod
    def _nothing_left(any_left: bool, step: int) -> str:
        if not any_left:
            return "Every digest is triaged."
        return f"No {'older' if step > 0 else 'newer'} digest has papers left to triage."
