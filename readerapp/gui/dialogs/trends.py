"""Trends (Ctrl+Shift+T): how many papers match the search, or a tag, in each digest.

The counts come from the core (`Collection.trend`), on the worker. Choosing a point and
pressing Enter (or clicking it) filters the list to that digest, keeping the query.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QLabel, QWidget

from readerapp.core.library import Library
from readerapp.gui.controllers.navigation import Navigation, show_search
from readerapp.gui.forms import child, embed_form
from readerapp.gui.models.side_model import ALL_KEY, tag_fragment
from readerapp.gui.tasks import TaskManager
from readerapp.gui.views.status_area import StatusArea
from readerapp.gui.views.trend_chart import Point, TrendChart, day_label

_DATE_FILTER = re.compile(r'(?<!\S)date:(?:"[^"]*"|\S+)', re.IGNORECASE)


def without_dates(query: str) -> str:
    """``query`` less its ``date:`` filters (the digest chosen takes their place)."""
    return " ".join(_DATE_FILTER.sub(" ", query).split())


def summary(points: Sequence[Point]) -> str:
    if not points:
        return "There are no digests yet."
    peak_day, peak = max(points, key=lambda point: (point[1], point[0]))
    if peak == 0:
        return f"None of the {len(points)} digests has such papers."
    with_some = sum(count > 0 for _, count in points)
    papers = "1 paper" if peak == 1 else f"{peak:,} papers"
    return (
        f"In {with_some} of {len(points)} digests; the most on "
        f"{day_label(peak_day, with_year=True)}: {papers}."
    )


class TrendsDialog(QDialog):
    """What to count, the chart, and a summary. ``source_chosen`` gives the query to count;
    ``day_chosen`` the day of the point activated."""

    source_chosen = Signal(str)
    day_chosen = Signal(date)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trendsView")
        self.setWindowTitle("Trends — readerapp")
        self.setAccessibleName("Trends")
        form = embed_form("trends.ui", self)
        self.source = child(form, QComboBox, "trendsSource")
        self.summary = child(form, QLabel, "trendsSummary")
        self.chart = TrendChart(self)
        child(form, QWidget, "trendsChartArea").layout().addWidget(self.chart)
        child(form, QDialogButtonBox, "trendsButtons").rejected.connect(self.reject)
        self.source.activated.connect(
            lambda row: self.source_chosen.emit(self.source.itemData(row))
        )
        self.chart.point_activated.connect(self._activated)
        self.resize(760, 480)

    def set_sources(self, sources: Sequence[tuple[str, str]]) -> None:
        """``sources`` are (label, query); the first is chosen."""
        self.source.clear()
        for label, query in sources:
            self.source.addItem(label, query)
        self.source.setCurrentIndex(0)

    def query(self) -> str:
        return self.source.currentData() or ""

    def show_points(self, points: list[Point]) -> None:
        self.chart.set_points(points)
        self.summary.setText(summary(points))

    def _activated(self, index: int) -> None:
        self.day_chosen.emit(self.chart.points()[index][0])


class Trends(QObject):
    """Opens the trends over ``window`` and keeps them counting what is chosen (through
    ``tasks``): the search's query or a tag of ``library``. A point chosen takes the list to
    its digest (``navigation``); when the trends close, ``focus_list`` gives the keys back."""

    def __init__(
        self,
        tasks: TaskManager,
        status: StatusArea,
        library: Library,
        navigation: Navigation,
        focus_list: Callable[[], None],
        window: QWidget,
    ) -> None:
        super().__init__(window)
        self.tasks = tasks
        self.status = status
        self.library = library
        self.navigation = navigation
        self._focus_list = focus_list
        self.window = window
        self.dialog: TrendsDialog | None = None
        self._serial = 0

    def open(self) -> None:
        if self.dialog is None:
            self.dialog = TrendsDialog(self.window)
            self.dialog.source_chosen.connect(self.count)
            self.dialog.day_chosen.connect(self.show_day)
            self.dialog.finished.connect(self._closed)
        self.dialog.set_sources(self._sources())
        self.count(self.dialog.query())
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()
        self.dialog.chart.setFocus(Qt.FocusReason.ActiveWindowFocusReason)

    def _sources(self) -> list[tuple[str, str]]:
        query = self.navigation.searcher.request().query.strip()
        first = (f"Papers matching “{query}”", query) if query else ("Every paper", "")
        tags = [tag for tag, _ in self.library.tags.counts()]
        return [first, *((f"Papers tagged “{tag}”", tag_fragment(tag)) for tag in tags)]

    def count(self, query: str) -> None:
        """Count ``query`` per digest on the worker; only the newest count is shown."""
        self._serial += 1
        serial = self._serial

        def shown(points: list[Point]) -> None:
            if serial == self._serial and self.dialog is not None:
                self.dialog.show_points(points)

        self.tasks.run(lambda collection: collection.trend(query), shown)

    def show_day(self, day: date) -> None:
        """Filter the list to the digests of ``day``, keeping the query counted."""
        if self.dialog is None:
            return
        key, text = f"digest:{day.isoformat()}", without_dates(self.dialog.query())
        if self.navigation.side.row_of(key) is None:  # no such entry: say the day in the query
            key, text = ALL_KEY, f"date:{day.isoformat()} {text}".strip()
        show_search(self.navigation, text, key=key)
        self.status.message(f"The papers of {day_label(day, with_year=True)}")

    def _closed(self) -> None:
        if self.window.isVisible():
            self.window.activateWindow()
            self._focus_list()
