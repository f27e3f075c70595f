"""The window as a desktop app kept open all day: unread papers in bold, the title column wide
with the full title in its tooltip, a small window whose side panel stays readable, a title that
names the search and the filter."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip
from pytestqt.qtbot import QtBot

from readerapp.core.collection import Collection
from readerapp.core.models import ReadState
from readerapp.gui.models.paper_model import (
    COL_FIRST_SEEN,
    COL_SEEN_IN,
    COL_STAR,
    COL_STATE,
    COL_TAGS,
    COL_TITLE,
)
from readerapp.gui.views.main_window import MainWindow
from tests.gui.conftest import WindowFactory, select_title, titles
from tests.gui.keyboard import choose_in_panel

GRAPH = "Transformers as Graph Networks"
BANDITS = "Learning to Rank with Bandits"


def _differs(pixel: QColor, background: QColor) -> bool:
    channels = zip(pixel.getRgb()[:3], background.getRgb()[:3], strict=True)
    return sum(abs(a - b) for a, b in channels) > 90


def text_width(window: MainWindow, title: str) -> int:
    """How wide the title's text is drawn: from its first to its last column of ink."""
    rect = window.paper_view.visualRect(window.papers.index(titles(window).index(title), COL_TITLE))
    image = window.paper_view.viewport().grab(rect).toImage()
    background = image.pixelColor(1, 1)
    inked = [
        x
        for x in range(image.width())
        if any(_differs(image.pixelColor(x, y), background) for y in range(image.height()))
    ]
    return inked[-1] - inked[0] if inked else 0


def read_state(window: MainWindow, title: str) -> ReadState:
    return window.library.get(window.papers.id_at(titles(window).index(title))).read_state


def test_unread_papers_are_bold_and_read_papers_normal(qtbot: QtBot, window: MainWindow) -> None:
    select_title(qtbot, window, BANDITS)  # the row measured is not the selected one
    unread = text_width(window, GRAPH)
    select_title(qtbot, window, GRAPH)
    qtbot.keyClick(window.paper_view, "r")
    qtbot.waitUntil(lambda: read_state(window, GRAPH) == ReadState.READ)
    select_title(qtbot, window, BANDITS)
    metrics = window.paper_view.fontMetrics()
    bold = QFont(window.paper_view.font())
    bold.setBold(True)
    normal_width, bold_width = (
        metrics.horizontalAdvance(GRAPH),
        QFontMetrics(bold).horizontalAdvance(GRAPH),
    )
    assert bold_width > normal_width + 5  # the fonts differ enough to tell them apart
    qtbot.waitUntil(lambda: abs(text_width(window, GRAPH) - normal_width) <= 3)
    assert abs(unread - bold_width) <= 3


def test_the_title_takes_the_width_the_narrow_columns_do_not_need(window: MainWindow) -> None:
    view, header = window.paper_view, window.paper_view.horizontalHeader()
    bold = QFont(view.font())
    bold.setBold(True)
    metrics = QFontMetrics(bold)
    for column, widest in (
        (COL_STATE, "Reading"),
        (COL_SEEN_IN, "99"),
        (COL_FIRST_SEEN, "2026-03-15"),
    ):
        width = header.sectionSize(column)
        assert metrics.horizontalAdvance(widest) + 8 <= width  # the text is whole, in bold
        assert width <= max(metrics.horizontalAdvance(widest) + 20, header.sectionSizeHint(column))
    others = sum(
        header.sectionSize(c) for c in (COL_STAR, COL_FIRST_SEEN, COL_SEEN_IN, COL_TAGS, COL_STATE)
    )
    assert header.sectionSize(COL_TITLE) == view.viewport().width() - others


LONG = (
    "A Very Long Title About Diffusion Models That Goes On Well Past the Width of Any Title "
    "Column, As Real Titles Sometimes Do, Subtitle Included"
)


def test_a_title_cut_short_shows_in_full_in_its_tooltip(
    qtbot: QtBot, collection: Collection, open_window: WindowFactory, write_digest
) -> None:
    collection.import_paths([write_digest("a.txt", "Mar 13", [(LONG, "An abstract of it.")])])
    window = open_window(collection)
    view = window.paper_view
    title_width = view.horizontalHeader().sectionSize(COL_TITLE)
    assert QFontMetrics(view.font()).horizontalAdvance(LONG) > 2 * title_width  # cut short
    where = view.visualRect(window.papers.index(0, COL_TITLE)).center()
    viewport = view.viewport()
    help_event = QHelpEvent(QEvent.Type.ToolTip, where, viewport.mapToGlobal(where))
    QApplication.sendEvent(viewport, help_event)
    qtbot.waitUntil(QToolTip.isVisible)
    assert QToolTip.text() == LONG
    QToolTip.hideText()


def test_the_smallest_window_keeps_the_side_panel_readable(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.resize(window.minimumSizeHint())
    qtbot.waitUntil(lambda: window.size() == window.minimumSizeHint())
    window.main_splitter.setSizes([0, 10_000])  # the panel as narrow as it goes
    panel = window.tag_panel
    qtbot.waitUntil(lambda: panel.width() == panel.minimumWidth())
    assert not panel.horizontalScrollBar().isVisible()
    assert panel.horizontalScrollBar().maximum() == 0
    metrics = panel.fontMetrics()
    room = panel.viewport().width()
    digests = [e for e in window.side.entries() if e.key.startswith("digest:")]
    assert [e.label for e in digests] == ["Sun 15 Mar 2026", "Fri 13 Mar 2026"]
    for entry in digests:
        count = f"{entry.progress[0]} of {entry.progress[1]}"
        # a margin, the date, a gap, the count and a margin: 10 pixels each
        assert (
            10 + metrics.horizontalAdvance(entry.label) + 10 + metrics.horizontalAdvance(count) + 10
            <= room
        )


def test_the_window_title_names_the_search_and_the_filter(qtbot: QtBot, window: MainWindow) -> None:
    assert window.windowTitle() == "readerapp"
    qtbot.keyClick(window.paper_view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(window.search_edit, "graph")
    qtbot.waitUntil(lambda: window.windowTitle() == "graph — readerapp")
    window.paper_view.setFocus()
    choose_in_panel(qtbot, window, "unread")
    qtbot.waitUntil(lambda: window.windowTitle() == "graph · Unread — readerapp")
    window.search_edit.clear()
    qtbot.waitUntil(lambda: window.windowTitle() == "Unread — readerapp")
    for _ in range(3):  # up from Unread, past Starred and New, to All papers
        qtbot.keyClick(window.tag_panel, Qt.Key.Key_Up)
    qtbot.waitUntil(lambda: window.windowTitle() == "readerapp")


def test_the_window_title_leaves_out_a_long_search_s_end(qtbot: QtBot, window: MainWindow) -> None:
    window.searcher.search_for("graph " * 20)
    qtbot.waitUntil(lambda: window.windowTitle().endswith("… — readerapp"))
    assert len(window.windowTitle()) == 60 + len(" — readerapp")
