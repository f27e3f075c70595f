"""The paper list's title cells: the title, and a small "code" badge at the right end of the
cell when the paper links to a code repository (the tooltip names the repository)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from readerapp.gui.models.paper_model import CODE_ROLE

Index = QModelIndex | QPersistentModelIndex
BADGE_TEXT = "code"
_PAD = 6  # around the badge's text, and between the title and the badge
_RADIUS = 4.0


def _badge_font(font: QFont) -> QFont:
    small = QFont(font)
    small.setPointSizeF(font.pointSizeF() * 0.8)
    small.setBold(True)
    return small


class TitleDelegate(QStyledItemDelegate):
    """Draws the title elided before the badge, then the badge in the palette's accent."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        if index.data(CODE_ROLE) is None:
            super().paint(painter, option, index)
            return
        full = QStyleOptionViewItem(option)
        self.initStyleOption(full, index)
        style = full.widget.style() if full.widget else QApplication.style()
        badge = self.badge_rect(option)
        text = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, full, full.widget)
        room = text.width() - max(0, text.right() - badge.left() + _PAD)
        full.text = full.fontMetrics.elidedText(full.text, Qt.TextElideMode.ElideRight, room)
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, full, painter, full.widget)
        self._paint_badge(painter, badge, full)

    def badge_rect(self, option: QStyleOptionViewItem) -> QRect:
        """Where the badge goes in a cell: at the right, centred vertically."""
        metrics = QFontMetrics(_badge_font(option.font))
        width = metrics.horizontalAdvance(BADGE_TEXT) + 2 * _PAD
        height = min(metrics.height() + 2, option.rect.height() - 4)
        top = option.rect.top() + (option.rect.height() - height) // 2
        return QRect(option.rect.right() - _PAD - width, top, width, height)

    @staticmethod
    def _paint_badge(painter: QPainter, rect: QRect, option: QStyleOptionViewItem) -> None:
        on_highlight = option.state & QStyle.StateFlag.State_Selected and (
            option.state & QStyle.StateFlag.State_Active
        )
        roles = QPalette.ColorRole
        colour = option.palette.color(roles.HighlightedText if on_highlight else roles.Link)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(colour)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(QRectF(rect).adjusted(0.5, 0.5, -0.5, -0.5), _RADIUS, _RADIUS)
        painter.setFont(_badge_font(option.font))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, BADGE_TEXT)
        painter.restore()
