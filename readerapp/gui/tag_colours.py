"""How the tag colours look, and the window's copy of which tag has which.

The library stores a colour's name (core ``TAG_COLOURS``); here each name is a hue, drawn as a
translucent tint behind the tag's text, so light and dark palettes both keep the text legible
(as the preview's badges do), and as a solid dot in the side panel.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap

from readerapp.core.library import Library

HUES: dict[str, tuple[int, int, int]] = {
    "red": (224, 27, 36),
    "orange": (255, 120, 0),
    "yellow": (229, 165, 10),
    "green": (46, 194, 126),
    "teal": (33, 144, 164),
    "blue": (53, 132, 228),
    "purple": (145, 65, 172),
    "grey": (119, 118, 123),
}
# The names in menus, with their mnemonics; None takes the colour away.
LABELS: dict[str | None, str] = {
    "red": "&Red",
    "orange": "&Orange",
    "yellow": "&Yellow",
    "green": "&Green",
    "teal": "&Teal",
    "blue": "&Blue",
    "purple": "&Purple",
    "grey": "Gr&ey",
    None: "&No colour",
}
TINT_ALPHA = 80
NEUTRAL_TINT = (127, 127, 127, 45)  # a tag without a colour


def tint(colour: str | None) -> QColor:
    """The background of a tag's chip."""
    if colour in HUES:
        return QColor(*HUES[colour], TINT_ALPHA)
    return QColor(*NEUTRAL_TINT)


def css_tint(colour: str) -> str:
    red, green, blue = HUES[colour]
    return f"rgba({red}, {green}, {blue}, {TINT_ALPHA})"


def solid(colour: str) -> QColor:
    return QColor(*HUES[colour])


def swatch(colour: str | None, size: int = 12) -> QIcon:
    """A round swatch of ``colour`` (an empty ring for none), for menus."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    if colour in HUES:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(solid(colour))
    else:
        painter.setPen(QColor(*HUES["grey"]))
    painter.drawEllipse(QRectF(1, 1, size - 2, size - 2))
    painter.end()
    return QIcon(pixmap)


class TagColours(QObject):
    """Which tag has which colour, read again from the library when it changes."""

    changed = Signal()

    def __init__(self, library: Library, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._library = library
        self.colours: dict[str, str] = {}

    def refresh(self) -> None:
        colours = self._library.tags.colours()
        if colours != self.colours:
            self.colours = colours
            self.changed.emit()

    def of(self, tag: str) -> str | None:
        return self.colours.get(tag.casefold())
