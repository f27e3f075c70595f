"""How the paper list paints its rows: the star in its colour, read papers dimmed, the
selected row in the selection's colours."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from pytestqt.qtbot import QtBot

from readerapp.core.models import ReadState
from readerapp.gui.models.paper_model import COL_STAR, COL_TITLE, STAR_COLOUR
from readerapp.gui.views.main_window import MainWindow
from tests.gui.conftest import cell_pixels, select_title, titles

GRAPH = "Transformers as Graph Networks"
FLOW = "Flow Matching for Generative Modeling"


def near(colour: QColor, other: QColor) -> bool:
    return (
        sum(abs(a - b) for a, b in zip(colour.getRgb()[:3], other.getRgb()[:3], strict=True)) < 60
    )


def ink(window: MainWindow, title: str, column: int, colour: QColor) -> int:
    """How many pixels of ``colour`` the cell of ``title`` in ``column`` holds."""
    pixels = cell_pixels(window, titles(window).index(title), column)
    return sum(near(pixel, colour) for pixel in pixels)


def text_colour(window: MainWindow, role: QPalette.ColorRole) -> QColor:
    return window.paper_view.palette().color(role)


def test_a_starred_paper_shows_a_star_in_its_colour(qtbot: QtBot, window: MainWindow) -> None:
    pid = select_title(qtbot, window, GRAPH)
    qtbot.keyClick(window.paper_view, "s")
    qtbot.waitUntil(lambda: window.library.get(pid).starred)
    select_title(qtbot, window, FLOW)  # the starred row is no longer selected
    qtbot.waitUntil(lambda: ink(window, GRAPH, COL_STAR, QColor(STAR_COLOUR)) > 5)
    assert ink(window, FLOW, COL_STAR, QColor(STAR_COLOUR)) == 0


def darkest(window: MainWindow, title: str) -> int:
    """The lightness of the darkest pixel of the title's text."""
    pixels = cell_pixels(window, titles(window).index(title), COL_TITLE)
    return min(pixel.lightness() for pixel in pixels)


def test_read_papers_are_dimmed(qtbot: QtBot, window: MainWindow) -> None:
    select_title(qtbot, window, GRAPH)
    qtbot.keyClick(window.paper_view, "r")
    qtbot.waitUntil(
        lambda: (
            window.library.get(window.papers.id_at(titles(window).index(GRAPH))).read_state
            == ReadState.READ
        )
    )
    select_title(qtbot, window, "Sparse Mixtures of Experts")
    qtbot.waitUntil(lambda: darkest(window, GRAPH) > darkest(window, FLOW) + 60)


def test_the_selected_row_is_drawn_in_the_selection_colours(
    qtbot: QtBot, window: MainWindow
) -> None:
    select_title(qtbot, window, GRAPH)
    on_highlight = text_colour(window, QPalette.ColorRole.HighlightedText)
    highlight = text_colour(window, QPalette.ColorRole.Highlight)
    assert ink(window, GRAPH, COL_TITLE, highlight) > 100
    assert ink(window, GRAPH, COL_TITLE, on_highlight) > 20
    assert ink(window, FLOW, COL_TITLE, highlight) == 0
