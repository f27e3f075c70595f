"""The window's title names what the list shows: "diffusion · Starred — readerapp".

Task bars, window switchers and docks show the title; a window kept open all day then says which
search it is on. The title follows the list: it changes when the results of a search are shown.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, SignalInstance
from PySide6.QtWidgets import QLineEdit, QListView, QWidget

from readerapp import APP_NAME
from readerapp.gui.models.side_model import ALL_KEY, KEY_ROLE

SEPARATOR = " · "  # between the search's words and the filter
MAX_WORDS = 60  # characters of the search shown, the rest elided


def window_title(words: str, filter_label: str = "") -> str:
    """The title for a search of ``words`` in the filter ``filter_label`` ("" for none)."""
    words = " ".join(words.split())
    if len(words) > MAX_WORDS:
        words = words[: MAX_WORDS - 1].rstrip() + "…"
    named = SEPARATOR.join(part for part in (words, filter_label) if part)
    return f"{named} — {APP_NAME}" if named else APP_NAME


class WindowTitle(QObject):
    """Sets ``window``'s title from the search box and the side panel's current filter each
    time results are shown (``shown``)."""

    def __init__(
        self, window: QWidget, shown: SignalInstance, edit: QLineEdit, panel: QListView
    ) -> None:
        super().__init__(window)
        self._window = window
        self._edit = edit
        self._panel = panel
        shown.connect(self.refresh)

    def refresh(self) -> None:
        self._window.setWindowTitle(window_title(self._edit.text(), self._filter_label()))

    def _filter_label(self) -> str:
        index = self._panel.currentIndex()
        if not index.isValid() or index.data(KEY_ROLE) == ALL_KEY:
            return ""
        return index.data(Qt.ItemDataRole.DisplayRole)
