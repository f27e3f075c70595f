"""The paper list's tags column: each tag a small rounded chip, tinted with its colour."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, Qt
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from readerapp.gui.models.paper_model import PAPER_ROLE
from readerapp.gui.tag_colours import TagColours, tint

Index = QModelIndex | QPersistentModelIndex
_PAD = 5  # inside a chip, left and right
_GAP = 4  # between chips
_RADIUS = 3


class TagChipDelegate(QStyledItemDelegate):
    """Draws the tags of a row as chips, as many as fit, the last one cut short if need be."""

    def __init__(self, colours: TagColours, parent=None) -> None:
        super().__init__(parent)
        self._colours = colours

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        paper = index.data(PAPER_ROLE)
        if paper is None or not paper.tags:
            return
        selected = QStyle.StateFlag.State_Selected | QStyle.StateFlag.State_Active
        highlighted = opt.state & selected == selected
        role = QPalette.ColorRole.HighlightedText if highlighted else QPalette.ColorRole.Text
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setClipRect(opt.rect)
        self._paint_chips(painter, opt, paper.tags, opt.palette.color(role))
        painter.restore()

    def _paint_chips(self, painter: QPainter, opt: QStyleOptionViewItem, tags, pen) -> None:
        metrics = opt.fontMetrics
        height = min(metrics.height() + 2, opt.rect.height() - 2)
        top = opt.rect.top() + (opt.rect.height() - height) / 2
        left, right = opt.rect.left() + _GAP, opt.rect.right() - _GAP
        for tag in tags:
            room = right - left - 2 * _PAD
            if room < metrics.horizontalAdvance("…"):
                break
            text = metrics.elidedText(tag, Qt.TextElideMode.ElideRight, room)
            chip = QRectF(left, top, metrics.horizontalAdvance(text) + 2 * _PAD, height)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(tint(self._colours.of(tag)))
            painter.drawRoundedRect(chip, _RADIUS, _RADIUS)
            painter.setPen(pen)
            painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, text)
            left = chip.right() + _GAP
