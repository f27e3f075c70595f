"""How the side panel draws its rows: group headings, and counts aligned on the right; a
saved search's new papers beside its count, a digest's triage as "9 of 14" over a thin bar, a
tag's colour as a dot."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QFont, QPainter, QPalette
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from readerapp.gui.models.side_model import (
    BADGE_ROLE,
    COLOUR_ROLE,
    COUNT_ROLE,
    HEADER_ROLE,
    KEY_ROLE,
    PROGRESS_ROLE,
    TAG_PREFIX,
)
from readerapp.gui.tag_colours import solid

Index = QModelIndex | QPersistentModelIndex
_PAD = 10
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_DOT = 8
_BAR = 2
_TEXT_MARGINS = 6  # a view item's text margins, both sides
_SIZES_KEPT = 5000


def _count_text(index: Index) -> str:
    progress = index.data(PROGRESS_ROLE)
    if progress is not None:
        return f"{progress[0]:,} of {progress[1]:,}"
    count = index.data(COUNT_ROLE)
    return "" if count is None else f"{count:,}"


class SidePanelDelegate(QStyledItemDelegate):
    """Headings in small bold capitals; each filter with its count on the right."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._heights: dict[str, int] = {}
        self._sizes: dict[tuple[str, bool, bool, str], QSize] = {}

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        if index.data(HEADER_ROLE):
            self._paint_header(painter, option, index)
        else:
            self._paint_entry(painter, option, index)

    def _paint_entry(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        label, opt.text = opt.text, ""
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        count_text, badge = _count_text(index), index.data(BADGE_ROLE) or ""
        metrics = opt.fontMetrics
        count_width = metrics.horizontalAdvance(count_text) + 2 * _PAD
        badge_width = metrics.horizontalAdvance(badge) + _PAD if badge else 0
        painter.save()
        dot_width = self._paint_dot(painter, opt, index)
        text_area = opt.rect.adjusted(_PAD + dot_width, 0, -count_width - badge_width, 0)
        # the style sheet draws an inactive selection in quiet button colours
        highlighted = selected and bool(opt.state & QStyle.StateFlag.State_Active)
        text_role = QPalette.ColorRole.HighlightedText if highlighted else QPalette.ColorRole.Text
        painter.setPen(opt.palette.color(text_role))
        elided = metrics.elidedText(label, Qt.TextElideMode.ElideRight, text_area.width())
        painter.drawText(text_area, _LEFT, elided)
        if not highlighted:
            painter.setPen(opt.palette.color(QPalette.ColorRole.PlaceholderText))
        painter.drawText(opt.rect.adjusted(0, 0, -_PAD, 0), _RIGHT, count_text)
        if badge:
            if not highlighted:
                painter.setPen(opt.palette.color(QPalette.ColorRole.Link))
            painter.drawText(opt.rect.adjusted(0, 0, -count_width, 0), _RIGHT, badge)
        self._paint_progress(painter, opt, index.data(PROGRESS_ROLE), highlighted)
        painter.restore()

    @staticmethod
    def _paint_dot(painter: QPainter, opt: QStyleOptionViewItem, index: Index) -> int:
        """A tag's colour as a dot at the start of its row (a faint ring for none); returns
        the room it takes."""
        if not str(index.data(KEY_ROLE)).startswith(TAG_PREFIX):
            return 0
        colour = index.data(COLOUR_ROLE)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if colour:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(solid(colour))
        else:
            ring = opt.palette.color(QPalette.ColorRole.PlaceholderText)
            ring.setAlpha(110)
            painter.setPen(ring)
            painter.setBrush(Qt.BrushStyle.NoBrush)
        top = opt.rect.top() + (opt.rect.height() - _DOT) / 2
        painter.drawEllipse(QRectF(opt.rect.left() + _PAD + 0.5, top + 0.5, _DOT - 1, _DOT - 1))
        return _DOT + 6

    @staticmethod
    def _paint_progress(
        painter: QPainter,
        opt: QStyleOptionViewItem,
        progress: tuple[int, int] | None,
        highlighted: bool,
    ) -> None:
        """A digest's triage as a thin bar along the bottom of its row."""
        if not progress or not progress[1]:
            return
        done, total = progress
        track = QRectF(opt.rect.left() + _PAD, opt.rect.bottom() - _BAR - 2,
                       opt.rect.width() - 2 * _PAD, _BAR)  # fmt: skip
        roles = QPalette.ColorRole
        empty = opt.palette.color(roles.HighlightedText if highlighted else roles.PlaceholderText)
        empty.setAlpha(35)
        painter.fillRect(track, empty)
        filled = opt.palette.color(roles.HighlightedText if highlighted else roles.Highlight)
        painter.fillRect(QRectF(track.left(), track.top(), track.width() * done / total, _BAR),
                         filled)  # fmt: skip

    def _paint_header(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        painter.save()
        font = QFont(option.font)
        font.setBold(True)
        font.setCapitalization(QFont.Capitalization.AllUppercase)
        font.setPointSizeF(font.pointSizeF() * 0.85)
        painter.setFont(font)
        painter.setPen(option.palette.color(QPalette.ColorRole.PlaceholderText))
        area = option.rect.adjusted(_PAD, 0, -_PAD, -4)
        painter.drawText(
            area, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom, index.data()
        )
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        """The style's row height with room for headings and bars; the label's width.

        The panel asks for every row again after each change (every half second while an
        import runs), so sizes are kept by font, kind of row and label: making a QSize beside
        a busy worker thread took some 65 µs, and 349 rows took 27-30 ms.
        """
        entry = index.model().entry(index.row())
        if entry is None:
            return super().sizeHint(option, index)
        font = option.font.key()
        key = (font, entry.header, bool(entry.progress), entry.label)
        size = self._sizes.get(key)
        if size is None:
            if len(self._sizes) >= _SIZES_KEPT:
                self._sizes.clear()
            if font not in self._heights:  # the style's row height, asked once per font
                self._heights[font] = super().sizeHint(option, index).height()
            height = self._heights[font]
            extra = 16 if entry.header else 12 if entry.progress else 8
            label = option.fontMetrics.horizontalAdvance(entry.label)
            size = self._sizes[key] = QSize(label + _TEXT_MARGINS + 4 * _PAD, height + extra)
        return size
