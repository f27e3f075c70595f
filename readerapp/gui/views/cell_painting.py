"""What the list delegates share to paint a cell without making a Qt object each time.

Beside a thread running Python (an import, a search), each call that makes a new Qt object (a
QRect, a QColor, a QStaticText) costs the GUI thread many times a plain Qt call (figures in
docs/performance.md). So texts are laid out once and kept, and a palette's colours are read
once.
"""

from __future__ import annotations

from typing import NamedTuple

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QStaticText, QTransform
from PySide6.QtWidgets import QAbstractItemView, QStyle, QStyleOptionFocusRect, QStyleOptionViewItem

SELECTED = QStyle.StateFlag.State_Selected.value
ACTIVE = QStyle.StateFlag.State_Active.value
HAS_FOCUS = QStyle.StateFlag.State_HasFocus.value
PANEL = QStyle.PrimitiveElement.PE_PanelItemViewItem
_FOCUS_RECT = QStyle.SubElement.SE_ItemViewItemFocusRect
_FOCUS_STATE = QStyle.StateFlag.State_KeyboardFocusChange | QStyle.StateFlag.State_Item
TEXTS_KEPT = 5000


class LaidOut(NamedTuple):
    static: QStaticText
    width: int
    height: int


class LaidOutTexts:
    """Texts elided to a width and laid out in one font, kept by text and width: laying a text
    out again for every paint took most of the time a cell took.

    Their font is ``font``, or the font of the option painted with (that of the first option,
    made bold, if ``bold``); `draw` draws them in it.
    """

    def __init__(self, font: QFont | None = None, *, bold: bool = False) -> None:
        self._font = font  # None: the font of the option painted with
        self._bold = bold
        self._texts: dict[tuple[str, int], LaidOut] = {}

    def get(self, text: str, width: int, option: QStyleOptionViewItem) -> LaidOut:
        key = (text, width)
        found = self._texts.get(key)
        if found is None:
            if len(self._texts) >= TEXTS_KEPT:
                self._texts.clear()
            if self._font is None and self._bold:
                self._font = QFont(option.font)
                self._font.setBold(True)
            font = self._font or option.font
            metrics = option.fontMetrics if self._font is None else QFontMetrics(font)
            shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)
            static = QStaticText(shown)
            static.setTextFormat(Qt.TextFormat.PlainText)
            static.prepare(QTransform(), font)
            size = static.size()
            found = self._texts[key] = LaidOut(static, round(size.width()), round(size.height()))
        return found

    def draw(self, painter: QPainter, laid_out: LaidOut, left: int, top: int, pen: QColor) -> None:
        """Draw ``laid_out`` in these texts' font (a text laid out is drawn in the painter's)."""
        if self._font is None:
            draw_text(painter, laid_out, left, top, pen)
            return
        painter.save()
        painter.setFont(self._font)
        draw_text(painter, laid_out, left, top, pen)
        painter.restore()


class PaletteColours:
    """A palette's colours by role (and alpha), read once per palette."""

    def __init__(self) -> None:
        self._key = -1
        self._colours: dict[tuple[QPalette.ColorRole, int | None], QColor] = {}

    def get(self, palette: QPalette, role: QPalette.ColorRole, alpha: int | None = None) -> QColor:
        """The colour of ``role``, with ``alpha`` in place of its own if given."""
        if palette.cacheKey() != self._key:
            self._key = palette.cacheKey()
            self._colours = {}
        found = self._colours.get((role, alpha))
        if found is None:
            found = self._colours[role, alpha] = palette.color(role)
            if alpha is not None:
                found.setAlpha(alpha)
        return found


def draw_text(painter: QPainter, laid_out: LaidOut, left: int, top: int, pen: QColor) -> None:
    painter.setPen(pen)
    painter.drawStaticText(left, top, laid_out.static)


def paint_focus(painter: QPainter, option: QStyleOptionViewItem, view: QAbstractItemView) -> None:
    """The current cell's focus frame, drawn as Qt's own delegate draws it."""
    style = view.style()
    frame = QStyleOptionFocusRect()
    frame.initFrom(view)
    frame.rect = style.subElementRect(_FOCUS_RECT, option, view)
    frame.state = option.state | _FOCUS_STATE
    selected = option.state.value & SELECTED
    frame.backgroundColor = option.palette.color(
        QPalette.ColorRole.Highlight if selected else QPalette.ColorRole.Base
    )
    style.drawPrimitive(QStyle.PrimitiveElement.PE_FrameFocusRect, frame, painter, view)
