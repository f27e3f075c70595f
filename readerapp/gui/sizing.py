"""The window's size and place: within the screen's available area (the desktop less its
panels), whatever size the window would like or last had."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

# The share of the available area a window opened at its default size may take at most in
# each direction: the rest is left for the frame the window manager adds around it.
DEFAULT_SHARE = 0.9


def default_geometry(wanted: tuple[int, int], smallest: QSize, available: QRect) -> QRect:
    """A window of the size ``wanted`` (width, height), smaller where ``available`` is too
    small for it (with room for the frame) but not below ``smallest`` (its layout's minimum),
    centred in ``available``."""
    room = QSize(int(available.width() * DEFAULT_SHARE), int(available.height() * DEFAULT_SHARE))
    placed = QRect(available.topLeft(), QSize(*wanted).boundedTo(room).expandedTo(smallest))
    placed.moveCenter(available.center())
    return placed


def on_screen(geometry: QRect, available: QRect) -> QRect:
    """``geometry`` no bigger than ``available`` and moved inside it: a window last placed on
    a bigger screen, or partly off the screen."""
    size = geometry.size().boundedTo(available.size())
    left = min(max(geometry.left(), available.left()), available.right() - size.width() + 1)
    top = min(max(geometry.top(), available.top()), available.bottom() - size.height() + 1)
    return QRect(QPoint(left, top), size)


def keep_on_screen(window: QWidget) -> None:
    """Bring ``window`` (not yet shown, and no smaller than its layout allows) within the
    available area of the screen it is on, or of its own screen when it is on none (a screen
    no longer there)."""
    geometry = window.geometry()
    geometry.setSize(geometry.size().expandedTo(window.minimumSizeHint()))
    screen = QGuiApplication.screenAt(geometry.center()) or window.screen()
    window.setGeometry(on_screen(geometry, screen.availableGeometry()))
