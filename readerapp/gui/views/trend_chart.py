"""A small line chart of papers per digest day, painted with QPainter in the palette's colours.

A point per day, evenly spaced in date order; the current point is ringed and labelled. Left and
Right (Home, End) move between points, Enter or a click activates one.
"""

from __future__ import annotations

import math
from datetime import date

from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QWidget

Point = tuple[date, int]
_PAD = 8
_DOT = 3.5
_RING = 6.5
_STEPS = {
    Qt.Key.Key_Left: -1,
    Qt.Key.Key_Right: 1,
    Qt.Key.Key_Home: -(10**9),
    Qt.Key.Key_End: 10**9,
}
_TOP_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
Y_TITLE = "Papers"
X_TITLE = "Digest date"


def nice_ticks(largest: int, count: int = 4) -> list[int]:
    """Round values from 0 up to at least ``largest``, about ``count`` steps apart."""
    if largest <= 0:
        return [0, 1]
    raw = largest / count
    magnitude = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    top = step * math.ceil(largest / step)
    return list(range(0, top + 1, step))


def day_label(day: date, *, with_year: bool = False) -> str:
    return f"{day.day} {day:%b %Y}" if with_year else f"{day.day} {day:%b}"


def point_text(point: Point) -> str:
    day, count = point
    papers = "1 paper" if count == 1 else f"{count:,} papers"
    return f"{day_label(day, with_year=True)}: {papers}"


class TrendChart(QWidget):
    """Papers per digest day. ``current_changed`` and ``point_activated`` give a point's index."""

    current_changed = Signal(int)
    point_activated = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trendChart")
        self.setAccessibleName("Papers per digest")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumSize(360, 220)
        self._points: list[Point] = []
        self._current = -1

    # --- data ------------------------------------------------------------------------------

    def set_points(self, points: list[Point]) -> None:
        """Show ``points`` (oldest first); the newest becomes current."""
        self._points = list(points)
        self._current = -1
        self.set_current(len(self._points) - 1)
        self.update()

    def points(self) -> list[Point]:
        return list(self._points)

    def current(self) -> int:
        return self._current

    def set_current(self, index: int) -> None:
        index = min(max(index, 0), len(self._points) - 1) if self._points else -1
        if index == self._current:
            return
        self._current = index
        description = point_text(self._points[index]) if index >= 0 else "No digests"
        self.setAccessibleDescription(description)
        self.setToolTip(description)
        self.update()
        self.current_changed.emit(index)

    def sizeHint(self) -> QSize:
        return QSize(640, 320)

    # --- input -----------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in _STEPS and self._points:
            self.set_current(self._current + _STEPS[key])
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self._current >= 0:
            self.point_activated.emit(self._current)
        else:
            super().keyPressEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or not self._points:
            super().mousePressEvent(event)
            return
        x = event.position().x()
        nearest = min(range(len(self._points)), key=lambda i: abs(self.point_position(i).x() - x))
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        self.set_current(nearest)
        self.point_activated.emit(nearest)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.update()

    # --- geometry --------------------------------------------------------------------------

    def _ticks(self) -> list[int]:
        return nice_ticks(max((count for _, count in self._points), default=0))

    def plot_rect(self) -> QRect:
        """The area of the line, inside the axes and their labels."""
        metrics = self.fontMetrics()
        line = metrics.height()
        left = metrics.horizontalAdvance(f"{self._ticks()[-1]:,}") + 2 * _PAD
        top = 2 * line + 2 * _PAD + round(_RING)  # the y axis title, the current point's label
        bottom = 2 * line + 2 * _PAD  # the date labels and the x axis title
        return self.rect().adjusted(left + _PAD, top, -3 * _PAD, -bottom)

    def point_position(self, index: int) -> QPointF:
        plot = self.plot_rect()
        step = plot.width() / max(len(self._points), 1)
        top = self._ticks()[-1]
        x = plot.left() + step * (index + 0.5)
        y = plot.bottom() - plot.height() * self._points[index][1] / top
        return QPointF(x, y)

    # --- painting --------------------------------------------------------------------------

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        painter.fillRect(self.rect(), palette.color(QPalette.ColorRole.Base))
        self._paint_axes(painter, palette)
        if not self._points:
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(self.plot_rect(), Qt.AlignmentFlag.AlignCenter, "No digests yet")
        else:
            self._paint_dates(painter, palette)
            self._paint_line(painter, palette)
            self._paint_current(painter, palette)
        if self.hasFocus():
            pen = QPen(palette.color(QPalette.ColorRole.Highlight), 1, Qt.PenStyle.DotLine)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5))
        painter.end()

    def _paint_axes(self, painter: QPainter, palette: QPalette) -> None:
        plot = self.plot_rect()
        quiet = palette.color(QPalette.ColorRole.PlaceholderText)
        grid = QColor(quiet)
        grid.setAlpha(70)
        line = self.fontMetrics().height()
        ticks = self._ticks()
        for value in ticks:
            y = round(plot.bottom() - plot.height() * value / ticks[-1])
            painter.setPen(QPen(grid, 1))
            painter.drawLine(plot.left(), y, plot.right(), y)
            painter.setPen(quiet)
            label = QRect(0, y - line, plot.left() - _PAD, 2 * line)
            painter.drawText(label, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             f"{value:,}")  # fmt: skip
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Text), 1))
        painter.drawLine(plot.bottomLeft(), plot.bottomRight())
        painter.drawLine(plot.bottomLeft(), plot.topLeft())
        painter.setPen(quiet)
        painter.drawText(QRect(_PAD, _PAD // 2, plot.width(), line), _TOP_LEFT, Y_TITLE)
        bottom = QRect(plot.left(), self.height() - line - _PAD // 2, plot.width(), line)
        painter.drawText(bottom, Qt.AlignmentFlag.AlignCenter, X_TITLE)

    def _paint_dates(self, painter: QPainter, palette: QPalette) -> None:
        """A date under each point, leaving out those that would run into the one before."""
        plot = self.plot_rect()
        metrics = self.fontMetrics()
        painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
        free_from = float(plot.left() - _PAD)
        last_year = None
        for index, (day, _count) in enumerate(self._points):
            text = day_label(day, with_year=day.year != last_year)
            width = metrics.horizontalAdvance(text)
            x = self.point_position(index).x() - width / 2
            if x < free_from:
                continue
            painter.drawText(QRectF(x, plot.bottom() + _PAD / 2, width, metrics.height()),
                             Qt.AlignmentFlag.AlignCenter, text)  # fmt: skip
            free_from = x + width + _PAD
            last_year = day.year

    def _paint_line(self, painter: QPainter, palette: QPalette) -> None:
        accent = palette.color(QPalette.ColorRole.Highlight)
        positions = [self.point_position(i) for i in range(len(self._points))]
        path = QPainterPath(positions[0])
        for position in positions[1:]:
            path.lineTo(position)
        painter.setPen(QPen(accent, 2))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(accent)
        for position in positions:
            painter.drawEllipse(position, _DOT, _DOT)

    def _paint_current(self, painter: QPainter, palette: QPalette) -> None:
        if self._current < 0:
            return
        plot = self.plot_rect()
        accent = palette.color(QPalette.ColorRole.Highlight)
        centre = self.point_position(self._current)
        guide = QColor(accent)
        guide.setAlpha(110)
        painter.setPen(QPen(guide, 1, Qt.PenStyle.DashLine))
        painter.drawLine(QPointF(centre.x(), plot.top()), QPointF(centre.x(), plot.bottom()))
        painter.setPen(QPen(accent, 2.5))
        painter.setBrush(palette.color(QPalette.ColorRole.Base))
        painter.drawEllipse(centre, _RING, _RING)
        self._paint_label(painter, palette, centre)

    def _paint_label(self, painter: QPainter, palette: QPalette, centre: QPointF) -> None:
        """The current point's date and count, above the plot, kept inside the widget."""
        text = point_text(self._points[self._current])
        metrics = self.fontMetrics()
        width = metrics.horizontalAdvance(text) + 2 * _PAD
        height = metrics.height() + _PAD // 2
        x = min(max(centre.x() - width / 2, _PAD), self.width() - width - _PAD)
        box = QRectF(x, self.plot_rect().top() - height - _RING - 2, width, height)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(palette.color(QPalette.ColorRole.Highlight))
        painter.drawRoundedRect(box, 4, 4)
        painter.setPen(palette.color(QPalette.ColorRole.HighlightedText))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
