"""How the side panel draws its rows: group headings, and counts aligned on the right; a
saved search's new papers beside its count, a digest's triage as "9 of 14" over a thin bar, a
tag's colour as a dot."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
)

from readerapp.gui.models.side_model import TAG_PREFIX, SideEntry
from readerapp.gui.tag_colours import solid
from readerapp.gui.views.cell_painting import (
    ACTIVE,
    HAS_FOCUS,
    PANEL,
    SELECTED,
    LaidOutTexts,
    PaletteColours,
    draw_text,
    paint_focus,
)

Index = QModelIndex | QPersistentModelIndex
Role = QPalette.ColorRole
_PAD = 10
_DOT = 8
_DOT_ROOM = _DOT + 6
_DOT_SHAPE = QRectF(0.5, 0.5, _DOT - 1, _DOT - 1)
_BAR = 2
# The widest label and count the smallest panel shows in full: a digest's date and its triage
WIDEST_ROW = ("Wed 30 Sep 2026", "88 of 88")


def _count_text(entry: SideEntry) -> str:
    if entry.progress is not None:
        return f"{entry.progress[0]:,} of {entry.progress[1]:,}"
    return "" if entry.count is None else f"{entry.count:,}"


def _header_font(font: QFont) -> QFont:
    header = QFont(font)
    header.setBold(True)
    header.setCapitalization(QFont.Capitalization.AllUppercase)
    header.setPointSizeF(header.pointSizeF() * 0.85)
    return header


class SidePanelDelegate(QStyledItemDelegate):
    """Headings in small bold capitals; each filter with its count on the right.

    It paints from the panel's entries, with texts laid out once and colours read once (see
    `cell_painting`): the panel is painted again whenever its counts change, every half second
    during an import, beside the import's thread.
    """

    def __init__(self, view: QAbstractItemView) -> None:
        super().__init__(view)
        self._view = view
        self._heights: dict[str, int] = {}
        self._sizes: dict[tuple[str, bool, bool], QSize] = {}
        self._texts = LaidOutTexts()
        self._headers: LaidOutTexts | None = None
        self._colours = PaletteColours()
        self._tag_colours: dict[str, QColor] = {}

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        entry = index.model().entry(index.row())
        if entry is None:
            return
        if entry.header:
            self._paint_header(painter, option, entry.label)
        else:
            self._paint_entry(painter, option, entry)

    def _paint_entry(
        self, painter: QPainter, option: QStyleOptionViewItem, entry: SideEntry
    ) -> None:
        view = self._view
        view.style().drawPrimitive(PANEL, option, painter, view)
        state, cell, palette = option.state.value, option.rect, option.palette
        # the style sheet draws an inactive selection in quiet button colours
        highlighted = bool(state & SELECTED and state & ACTIVE)
        right, middle = cell.right() + 1, cell.top() + cell.height() // 2
        count = self._texts.get(_count_text(entry), cell.width(), option)
        count_room = count.width + 2 * _PAD
        badge = self._texts.get(entry.badge, cell.width(), option) if entry.badge else None
        badge_room = badge.width + _PAD if badge else 0
        left = cell.left() + _PAD + self._paint_dot(painter, option, entry)
        label = self._texts.get(entry.label, right - count_room - badge_room - left, option)
        pen = self._colour(palette, highlighted, Role.Text)
        draw_text(painter, label, left, middle - label.height // 2, pen)
        pen = self._colour(palette, highlighted, Role.PlaceholderText)
        draw_text(painter, count, right - _PAD - count.width, middle - count.height // 2, pen)
        if badge:
            pen = self._colour(palette, highlighted, Role.Link)
            left = right - count_room - badge.width
            draw_text(painter, badge, left, middle - badge.height // 2, pen)
        if entry.progress and entry.progress[1]:
            self._paint_progress(painter, option, entry.progress, highlighted)
        if state & HAS_FOCUS:
            paint_focus(painter, option, view)

    def _colour(self, palette: QPalette, highlighted: bool, role: Role) -> QColor:
        """``role``'s colour, or the highlighted text's on a highlighted row."""
        return self._colours.get(palette, Role.HighlightedText if highlighted else role)

    def _paint_dot(self, painter: QPainter, option: QStyleOptionViewItem, entry: SideEntry) -> int:
        """A tag's colour as a dot at the start of its row (a faint ring for none); returns
        the room it takes (none on other rows)."""
        if not entry.key.startswith(TAG_PREFIX):
            return 0
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if entry.colour:
            if entry.colour not in self._tag_colours:
                self._tag_colours[entry.colour] = solid(entry.colour)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(self._tag_colours[entry.colour])
        else:
            painter.setPen(self._colours.get(option.palette, Role.PlaceholderText, 110))
            painter.setBrush(Qt.BrushStyle.NoBrush)
        cell = option.rect
        painter.translate(cell.left() + _PAD, cell.top() + (cell.height() - _DOT) / 2)
        painter.drawEllipse(_DOT_SHAPE)
        painter.restore()
        return _DOT_ROOM

    def _paint_progress(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        progress: tuple[int, int],
        highlighted: bool,
    ) -> None:
        """A digest's triage as a thin bar along the bottom of its row."""
        done, total = progress
        cell, palette = option.rect, option.palette
        left, top, width = cell.left() + _PAD, cell.bottom() - _BAR - 2, cell.width() - 2 * _PAD
        quiet = Role.HighlightedText if highlighted else Role.PlaceholderText
        painter.fillRect(left, top, width, _BAR, self._colours.get(palette, quiet, 35))
        filled = self._colour(palette, highlighted, Role.Highlight)
        painter.fillRect(left, top, round(width * done / total), _BAR, filled)

    def _paint_header(self, painter: QPainter, option: QStyleOptionViewItem, label: str) -> None:
        if self._headers is None:
            self._headers = LaidOutTexts(_header_font(option.font))
        cell = option.rect
        text = self._headers.get(label, cell.width() - 2 * _PAD, option)
        pen = self._colours.get(option.palette, Role.PlaceholderText)
        top = cell.bottom() + 1 - 4 - text.height
        self._headers.draw(painter, text, cell.left() + _PAD, top, pen)

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        """The style's row height with room for headings and bars. No width: a row is as wide
        as the panel and elides its label, so the panel never scrolls sideways.

        The panel asks for every row again after each change (every half second while an
        import runs), so heights are kept by font and kind of row: making a QSize beside a
        busy worker thread is slow (see `cell_painting`).
        """
        entry = index.model().entry(index.row())
        if entry is None:
            return super().sizeHint(option, index)
        font = option.font.key()
        key = (font, entry.header, bool(entry.progress))
        size = self._sizes.get(key)
        if size is None:
            if font not in self._heights:  # the style's row height, asked once per font
                self._heights[font] = super().sizeHint(option, index).height()
            extra = 16 if entry.header else 12 if entry.progress else 8
            size = self._sizes[key] = QSize(0, self._heights[font] + extra)
        return size


def fit_side_panel(view: QListView) -> None:
    """Make the side panel wide enough, even in the smallest window, for a digest's date and
    its triage count side by side beside the scroll bar; it never scrolls sideways."""
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    metrics, style = view.fontMetrics(), view.style()
    label, count = (metrics.horizontalAdvance(text) + 1 for text in WIDEST_ROW)
    row = _PAD + label + count + 2 * _PAD  # as `_paint_entry` lays a row out
    scroll_bar = style.pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, view)
    view.setMinimumWidth(row + scroll_bar + 2 * view.frameWidth())
