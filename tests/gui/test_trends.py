"""Trends (Ctrl+Shift+T): papers per digest for the search or a tag, counted on the worker and
painted by our own chart; Left and Right choose a digest, Enter or a click lists its papers."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QPalette
from pytestqt.qtbot import QtBot

from readerapp.core.collection import Collection
from readerapp.gui.dialogs.trends import TrendsDialog, summary, without_dates
from readerapp.gui.views.main_window import MainWindow
from readerapp.gui.views.trend_chart import TrendChart, nice_ticks
from tests.gui.conftest import WindowFactory, titles
from tests.topics import BANDITS, GRAPH_PER_DAY, GRAPHS, import_topics

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def window(collection: Collection, write_digest, open_window: WindowFactory) -> MainWindow:
    import_topics(collection, write_digest)
    collection.library.tags.add(
        [collection.search(f'"{GRAPHS[0][0]}"').ids[0], collection.search("regret").ids[0]],
        ["later"],
    )
    return open_window(collection)


def open_trends(qtbot: QtBot, window: MainWindow) -> TrendsDialog:
    qtbot.keyClick(window.paper_view, Qt.Key.Key_T, CTRL_SHIFT)
    dialog = window.trends.dialog
    qtbot.waitUntil(lambda: dialog is not None and dialog.isVisible())
    assert dialog.objectName() == "trendsView"
    return dialog


def counts(dialog: TrendsDialog) -> list[int]:
    return [count for _, count in dialog.chart.points()]


def test_the_search_per_digest_and_enter_lists_a_digest(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClick(window.paper_view, "/")
    qtbot.keyClicks(window.search_edit, "graph")
    qtbot.waitUntil(lambda: len(titles(window)) == len(GRAPHS))
    qtbot.keyClick(window.search_edit, Qt.Key.Key_Down)  # into the list
    dialog = open_trends(qtbot, window)
    qtbot.waitUntil(lambda: counts(dialog) == GRAPH_PER_DAY)
    assert dialog.source.currentText() == "Papers matching “graph”"
    chart = dialog.chart
    qtbot.waitUntil(chart.hasFocus)
    assert chart.current() == 2  # the newest digest
    qtbot.keyClick(chart, Qt.Key.Key_Left)
    day = chart.points()[1][0]
    assert chart.current() == 1
    assert chart.accessibleDescription() == f"{day.day} {day:%b %Y}: 2 papers"
    first = chart.points()[0][0]
    most = f"the most on {first.day} {first:%b %Y}: 3 papers."
    assert dialog.summary.text() == f"In 3 of 3 digests; {most}"

    qtbot.keyClick(chart, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: sorted(titles(window)) == sorted(t for t, _ in GRAPHS[3:]))
    key = window.side.entry(window.tag_panel.currentIndex().row()).key
    assert key == f"digest:{day.isoformat()}"
    assert window.search_edit.text() == "graph"
    assert dialog.isVisible() and chart.hasFocus()  # to choose another
    qtbot.keyClick(chart, Qt.Key.Key_Home)
    assert chart.current() == 0
    qtbot.keyClick(chart, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    qtbot.waitUntil(window.paper_view.hasFocus)


def test_a_tag_per_digest_and_a_click_on_a_point(qtbot: QtBot, window: MainWindow) -> None:
    window.paper_view.setFocus()
    dialog = open_trends(qtbot, window)
    qtbot.waitUntil(lambda: counts(dialog) == [5, 5, 2])  # every paper
    assert dialog.source.currentText() == "Every paper"
    qtbot.keyClick(dialog, Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)  # C&ount:
    assert dialog.source.hasFocus()
    qtbot.keyClick(dialog.source, Qt.Key.Key_Down)
    assert dialog.source.currentText() == "Papers tagged “later”"
    qtbot.waitUntil(lambda: counts(dialog) == [1, 1, 1])

    chart = dialog.chart
    where = chart.point_position(1).toPoint()
    qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=where + QPoint(2, 1))
    qtbot.waitUntil(lambda: titles(window) == [BANDITS[1][0]])
    assert chart.current() == 1
    assert window.search_edit.text() == "tag:later"
    dialog.reject()


def test_the_chart_is_painted_in_the_palette_colours(qtbot: QtBot) -> None:
    chart = TrendChart()
    qtbot.addWidget(chart)
    chart.resize(480, 260)
    dark = QPalette(chart.palette())
    dark.setColor(QPalette.ColorRole.Base, QColor("#101418"))
    dark.setColor(QPalette.ColorRole.Highlight, QColor("#ff8800"))
    chart.setPalette(dark)
    chart.set_points([(date(2025, 3, d), n) for d, n in ((13, 4), (15, 9), (17, 2))])
    image = chart.grab().toImage()
    assert image.pixelColor(3, image.height() // 2) == QColor("#101418")
    current = chart.point_position(2).toPoint()
    ring = image.pixelColor(current.x(), current.y() - 6)  # the current point's ring
    assert ring.red() > ring.blue() + 120  # orange, on the dark base
    assert chart.current() == 2


@pytest.mark.parametrize(
    ("largest", "ticks"),
    [(0, [0, 1]), (3, [0, 1, 2, 3]), (13, [0, 5, 10, 15]), (80, [0, 20, 40, 60, 80]),
     (101, [0, 50, 100, 150])],
)  # fmt: skip
def test_nice_ticks(largest: int, ticks: list[int]) -> None:
    assert nice_ticks(largest) == ticks


def test_words_for_the_trend() -> None:
    assert without_dates('date:2025-03 graph tag:x date:"2025"') == "graph tag:x"
    assert summary([]) == "There are no digests yet."
    assert summary([(date(2025, 3, 13), 0)]) == "None of the 1 digests has such papers."
    assert summary([(date(2025, 3, 13), 1), (date(2025, 3, 15), 0)]) == (
        "In 1 of 2 digests; the most on 13 Mar 2025: 1 paper."
    )
