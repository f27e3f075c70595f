"""The application's look: its icon and style sheet, re-applied when the palette changes."""

from __future__ import annotations

import logging

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from readerapp import APP_ID
from readerapp.core.paths import resource_path

log = logging.getLogger(__name__)
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def app_icon() -> QIcon:
    """The icon from resources/icons (SVG, plus the PNG sizes that exist)."""
    icon = QIcon()
    svg = resource_path("icons", f"{APP_ID}.svg")
    if svg.is_file():
        icon.addFile(str(svg))
    for size in ICON_SIZES:
        png = resource_path("icons", "hicolor", f"{size}x{size}", "apps", f"{APP_ID}.png")
        if png.is_file():
            icon.addFile(str(png))
    return icon


def apply_stylesheet(app: QApplication) -> None:
    """Apply resources/styles/app.qss; its palette(...) colours resolve now, so it is applied
    again whenever the palette changes (see :func:`follow_palette`)."""
    path = resource_path("styles", "app.qss")
    try:
        sheet = path.read_text(encoding="utf-8")
    except OSError:
        log.info("no style sheet at %s; using the plain style", path)
        sheet = ""
    app.setStyleSheet(sheet)


def follow_palette(app: QApplication) -> None:
    """The palette changed (light to dark, or a new theme): resolve the style sheet again, if
    one is in use."""
    if app.styleSheet():
        apply_stylesheet(app)
