"""How the side panel draws its rows: group headings, and counts aligned on the right."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QFont, QPainter, QPalette
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from readerapp.gui.models.side_model import COUNT_ROLE, HEADER_ROLE

Index = QModelIndex | QPersistentModelIndex
_PAD = 10
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class SidePanelDelegate(QStyledItemDelegate):
    """Headings in small bold capitals; each filter with its count on the right."""

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
        count = index.data(COUNT_ROLE)
        count_text = "" if count is None else f"{count:,}"
        metrics = opt.fontMetrics
        count_width = metrics.horizontalAdvance(count_text) + 2 * _PAD
        area = opt.rect.adjusted(_PAD, 0, 0, 0)
        text_area = QRect(area.left(), area.top(), area.width() - count_width, area.height())
        painter.save()
        # the style sheet draws an inactive selection in quiet button colours
        highlighted = selected and bool(opt.state & QStyle.StateFlag.State_Active)
        text_role = QPalette.ColorRole.HighlightedText if highlighted else QPalette.ColorRole.Text
        painter.setPen(opt.palette.color(text_role))
        elided = metrics.elidedText(label, Qt.TextElideMode.ElideRight, text_area.width())
        painter.drawText(text_area, _LEFT, elided)
        if not highlighted:
            painter.setPen(opt.palette.color(QPalette.ColorRole.PlaceholderText))
        painter.drawText(opt.rect.adjusted(0, 0, -_PAD, 0), _RIGHT, count_text)
        painter.restore()

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
        size = super().sizeHint(option, index)
        extra = 16 if index.data(HEADER_ROLE) else 8
        return QSize(size.width() + 4 * _PAD, size.height() + extra)
