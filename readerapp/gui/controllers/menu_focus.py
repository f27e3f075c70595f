"""Esc out of a menu gives the keys back to the widget they were in.

Qt leaves the menu bar in its keyboard mode when a menu opened from it is closed with Esc,
holding the focus until a second Esc or a click. Keys meant for the list then went to the
menu bar: those the menus hold (s, t, j…) still reached their actions through it, but keys 1
to 9, which no menu holds, did nothing. As in GTK applications, one Esc is enough here.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMenuBar, QWidget


class MenuFocus(QObject):
    """Hands the focus back from the menu bar once its menus are closed."""

    def __init__(self, menubar: QMenuBar) -> None:
        super().__init__(menubar)
        self.menubar = menubar
        self._before: QWidget | None = None  # where the keys were before the menu bar
        QApplication.instance().focusChanged.connect(self._focus_changed)
        for action in menubar.actions():
            if action.menu() is not None:
                action.menu().aboutToHide.connect(self._menu_closing)

    def _focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        if new is self.menubar and old is not None and self.menubar.window() is old.window():
            self._before = old

    def _menu_closing(self) -> None:
        QTimer.singleShot(0, self._give_back)  # once Qt has settled which menu, if any, is open

    def _give_back(self) -> None:
        before = self._before
        if (
            before is not None
            and self.menubar.window().focusWidget() is self.menubar
            and QApplication.activePopupWidget() is None
            and before.isVisible()
        ):
            before.setFocus(Qt.FocusReason.PopupFocusReason)
