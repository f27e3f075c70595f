"""The paper list's view: its columns, and selection by paper id rather than by row.

The narrow columns (first seen, digests, state) are as wide as their heading or their widest
text needs, in bold (unread papers are drawn bold), and the title takes the rest of the width.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from readerapp.core.models import ReadState
from readerapp.gui.models.paper_model import (
    COL_FIRST_SEEN,
    COL_SEEN_IN,
    COL_STAR,
    COL_STATE,
    COL_TAGS,
    COL_TITLE,
    STATE_TEXT,
    PaperModel,
)

WIDTHS = {COL_STAR: 28, COL_TAGS: 112}
# The widest text of each narrow column, in the font of an unread row
WIDEST = {
    COL_FIRST_SEEN: "0000-00-00",
    COL_SEEN_IN: "000",
    COL_STATE: STATE_TEXT[ReadState.READING],
}
CELL_PADDING = 14  # the delegate's margins on both sides of a cell's text, and a little air
MAX_RESELECTED = 2000
Flag = QItemSelectionModel.SelectionFlag


class PaperTable:
    """Wraps the QTableView of papers: set-up, and the selection as paper ids."""

    def __init__(self, view: QTableView, model: PaperModel) -> None:
        self.view = view
        self.model = model
        view.setModel(model)
        self._configure()

    def _configure(self) -> None:
        view = self.view
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        view.setTextElideMode(Qt.TextElideMode.ElideRight)
        view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 10)
        view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = view.horizontalHeader()
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicatorClearable(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(24)
        for column, width in {**WIDTHS, **self._fitted_widths()}.items():
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        header.setSectionResizeMode(COL_TITLE, QHeaderView.ResizeMode.Stretch)

    def _fitted_widths(self) -> dict[int, int]:
        """The narrow columns' widths: their heading (with room for the sort arrow) or their
        widest text in bold, whichever is wider."""
        bold = QFont(self.view.font())
        bold.setBold(True)
        metrics, header = QFontMetrics(bold), self.view.horizontalHeader()
        return {
            column: max(
                header.sectionSizeHint(column), metrics.horizontalAdvance(text) + CELL_PADDING
            )
            for column, text in WIDEST.items()
        }

    # --- reading the selection -------------------------------------------------------------

    def current_row(self) -> int:
        index = self.view.currentIndex()
        return index.row() if index.isValid() else -1

    def current_id(self) -> str | None:
        row = self.current_row()
        return self.model.id_at(row) if row >= 0 else None

    def selected_ids(self) -> list[str]:
        """The selected papers in list order; the current one when nothing is selected."""
        rows = sorted(index.row() for index in self.view.selectionModel().selectedRows())
        if not rows and self.current_row() >= 0:
            rows = [self.current_row()]
        return [self.model.id_at(row) for row in rows]

    # --- changing it -----------------------------------------------------------------------

    def select_row(self, row: int) -> None:
        """Make ``row`` the current and only selected row, and show it."""
        if row < 0 or row >= self.model.total():
            return
        if row >= self.model.rowCount():
            self.model.row_of(self.model.id_at(row))
        index = self.model.index(row, COL_TITLE)
        self.view.selectionModel().setCurrentIndex(index, Flag.ClearAndSelect | Flag.Rows)
        self.view.scrollTo(index)

    def move(self, step: int) -> None:
        row = self.current_row()
        self.select_row(0 if row < 0 else min(max(row + step, 0), self.model.total() - 1))

    def restore(self, selected: Sequence[str], current: str | None) -> bool:
        """Select again the papers of ``selected`` still listed, keeping ``current`` current.

        Returns False when ``current`` is no longer in the list.
        """
        row = self.model.row_of(current) if current else None
        if row is None:
            return False
        selection = QItemSelection()
        for pid in selected[:MAX_RESELECTED]:
            other = self.model.row_of(pid)
            if other is not None:
                selection.select(self.model.index(other, 0), self.model.index(other, 0))
        model = self.view.selectionModel()
        model.setCurrentIndex(self.model.index(row, COL_TITLE), Flag.NoUpdate)
        model.select(selection, Flag.ClearAndSelect | Flag.Rows)
        self.view.scrollTo(self.model.index(row, COL_TITLE))
        return True
