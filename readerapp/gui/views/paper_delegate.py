"""How the paper list paints its cells: one delegate for every column, drawing straight from the
paper records the model holds.

Qt's own delegate asks the model for seven roles a cell (font, alignment, colour, check state,
icon, text, background), each a call from C++ into Python, and lays out the whole title to elide
it, every time the list changes as the user types. This one makes a single call a cell, takes
the record from the model directly, and keeps texts laid out, which paints a screen in a third
of the time (docs/performance.md). The row's background (selection,
alternating rows) is still drawn by the style, so the style sheet's ``::item`` rules hold; the
text colours below follow those rules. Unread papers are drawn in bold, as mail and feed readers
draw unread messages, so that what is left to read stands out in a long list.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QTableView

from readerapp.core.models import Paper, ReadState
from readerapp.gui.models.paper_model import (
    COL_SEEN_IN,
    COL_STAR,
    COL_TAGS,
    COL_TITLE,
    STAR_COLOUR,
    PaperModel,
    display_text,
)
from readerapp.gui.tag_colours import TagColours, tint
from readerapp.gui.views.cell_painting import (
    ACTIVE,
    HAS_FOCUS,
    PANEL,
    SELECTED,
    LaidOutTexts,
    PaletteColours,
    paint_focus,
)

Index = QModelIndex | QPersistentModelIndex
Role = QPalette.ColorRole
BADGE_TEXT = "code"
CENTRED_COLUMNS = (COL_STAR, COL_SEEN_IN)
_CENTRE = Qt.AlignmentFlag.AlignCenter.value
_BADGE_PAD = 6  # around the badge's text, and between the title and the badge
_BADGE_RADIUS = 4.0
_CHIP_PAD = 5  # inside a chip, left and right
_CHIP_GAP = 4  # between chips
_CHIP_RADIUS = 3


def _badge_font(font: QFont) -> QFont:
    small = QFont(font)
    small.setPointSizeF(font.pointSizeF() * 0.8)
    small.setBold(True)
    return small


def badge_rect(option: QStyleOptionViewItem) -> QRect:
    """Where the "code" badge goes in a title cell: at the right, centred vertically."""
    metrics = QFontMetrics(_badge_font(option.font))
    width = metrics.horizontalAdvance(BADGE_TEXT) + 2 * _BADGE_PAD
    height = min(metrics.height() + 2, option.rect.height() - 4)
    top = option.rect.top() + (option.rect.height() - height) // 2
    return QRect(option.rect.right() - _BADGE_PAD - width, top, width, height)


class PaperDelegate(QStyledItemDelegate):
    """Paints the star, the title with its "code" badge, the dates and counts, the tags as
    chips tinted with their colours, and the read state."""

    def __init__(self, model: PaperModel, colours: TagColours, view: QTableView) -> None:
        super().__init__(view)
        self._model = model
        self._colours = colours
        self._view = view
        self._texts = LaidOutTexts()
        self._bold_texts = LaidOutTexts(bold=True)
        self._insets: tuple[int, int] | None = None
        self._colours_of_palette = PaletteColours()
        self._star = QColor(STAR_COLOUR)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        # Kept to calls that make no new Qt object: beside a thread running Python (an
        # import), making one (a QRect, a QColor) costs many times a plain Qt call.
        view = self._view
        view.style().drawPrimitive(PANEL, option, painter, view)
        paper = self._model.paper(index.row())
        if paper is None:
            return
        column, state = index.column(), option.state.value
        pen = self._pen(option.palette, state, paper, column)
        texts = self._bold_texts if paper.read_state == ReadState.UNREAD else self._texts
        if column == COL_TAGS:
            self._paint_chips(painter, option, paper.tags, pen)
        elif column == COL_TITLE and paper.has_code:
            badge = badge_rect(option)
            left, right = self._text_span(option, index)
            right = min(right, badge.left() - _BADGE_PAD)
            self._paint_text(painter, option, texts, (left, right), paper.title, pen)
            _paint_badge(painter, badge, option, state)
        else:
            text = display_text(paper, column)
            span = self._text_span(option, index)
            centred = column in CENTRED_COLUMNS
            self._paint_text(painter, option, texts, span, text, pen, centred=centred)
        if state & HAS_FOCUS:
            paint_focus(painter, option, view)

    def _pen(self, palette: QPalette, state: int, paper: Paper, column: int) -> QColor:
        """The text's colour, as the style sheet's ``::item:selected`` rules have it."""
        if state & SELECTED:
            role = Role.HighlightedText if state & ACTIVE else Role.ButtonText
        elif column == COL_STAR:
            return self._star
        else:
            role = Role.PlaceholderText if paper.read_state == ReadState.READ else Role.Text
        return self._colours_of_palette.get(palette, role)

    def _text_span(self, option: QStyleOptionViewItem, index: Index) -> tuple[int, int]:
        """Where the text goes across the cell (its first and last pixel): the cell less the
        style's padding and text margin, as Qt's delegate leaves them, measured once."""
        if self._insets is None:
            style, probe = self._view.style(), QStyleOptionViewItem(option)
            self.initStyleOption(probe, index)
            probe.text = probe.text or " "
            inner = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, probe, self._view)
            margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self._view)
            left = inner.left() - option.rect.left() + margin + 1
            self._insets = (left, option.rect.right() - inner.right() + margin + 1)
        cell = option.rect
        return cell.left() + self._insets[0], cell.right() - self._insets[1]

    @staticmethod
    def _paint_text(
        painter: QPainter,
        option: QStyleOptionViewItem,
        texts: LaidOutTexts,
        span: tuple[int, int],
        text: str,
        pen: QColor,
        *,
        centred: bool = False,
    ) -> None:
        """``text`` elided to ``span`` in the font of ``texts``, centred vertically."""
        left, width = span[0], span[1] - span[0] + 1
        laid_out = texts.get(text, width, option)
        cell = option.rect
        if centred:
            left += (width - laid_out.width) // 2
        top = cell.top() + (cell.height() - laid_out.height) // 2
        texts.draw(painter, laid_out, left, top, pen)

    def _paint_chips(
        self, painter: QPainter, option: QStyleOptionViewItem, tags: list[str], pen: QColor
    ) -> None:
        """Each tag a small rounded chip, as many as fit, the last one cut short if need be."""
        if not tags:
            return
        metrics, cell = option.fontMetrics, option.rect
        height = min(metrics.height() + 2, cell.height() - 2)
        top = cell.top() + (cell.height() - height) / 2
        left, right = cell.left() + _CHIP_GAP, cell.right() - _CHIP_GAP
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setClipRect(cell)
        for tag in tags:
            room = right - left - 2 * _CHIP_PAD
            if room < metrics.horizontalAdvance("…"):
                break
            text = metrics.elidedText(tag, Qt.TextElideMode.ElideRight, room)
            chip = QRectF(left, top, metrics.horizontalAdvance(text) + 2 * _CHIP_PAD, height)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(tint(self._colours.of(tag)))
            painter.drawRoundedRect(chip, _CHIP_RADIUS, _CHIP_RADIUS)
            painter.setPen(pen)
            painter.drawText(chip, _CENTRE, text)
            left = chip.right() + _CHIP_GAP
        painter.restore()


def _paint_badge(painter: QPainter, rect: QRect, option: QStyleOptionViewItem, state: int) -> None:
    on_highlight = state & SELECTED and state & ACTIVE
    colour = option.palette.color(Role.HighlightedText if on_highlight else Role.Link)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(colour)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    outline = QRectF(rect).adjusted(0.5, 0.5, -0.5, -0.5)
    painter.drawRoundedRect(outline, _BADGE_RADIUS, _BADGE_RADIUS)
    painter.setFont(_badge_font(option.font))
    painter.drawText(rect, _CENTRE, BADGE_TEXT)
    painter.restore()
