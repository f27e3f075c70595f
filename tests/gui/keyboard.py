"""Helpers for the keyboard tests of the side panel and the small dialogs it opens."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from readerapp.gui.views.main_window import MainWindow

W = TypeVar("W", bound=QWidget)


def choose_in_panel(qtbot: QtBot, window: MainWindow, key: str) -> None:
    """Ctrl+1 into the side panel, then arrow keys down to the row ``key``."""
    qtbot.keyClick(window.paper_view, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.tag_panel.hasFocus()
    qtbot.keyClick(window.tag_panel, Qt.Key.Key_Home)
    for _ in range(window.side.rowCount()):
        if window.side.entry(window.tag_panel.currentIndex().row()).key == key:
            return
        qtbot.keyClick(window.tag_panel, Qt.Key.Key_Down)
    raise AssertionError(f"no row {key} in the side panel")


def open_dialog(qtbot: QtBot, window: MainWindow, kind: type[W], name: str) -> W:
    """The dialog ``name`` that ``window`` has open, once it has the keys."""

    def shown() -> W | None:
        return next((d for d in window.findChildren(kind, name) if d.isVisible()), None)

    qtbot.waitUntil(lambda: shown() is not None)
    dialog = shown()
    qtbot.waitUntil(dialog.isActiveWindow)  # keys go to it, not to the window's shortcuts
    return dialog
