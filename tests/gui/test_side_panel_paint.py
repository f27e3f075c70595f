"""How the side panel paints its rows: a tag's colour as a dot, a digest's triage as a bar, the
chosen row in the selection's colours, headings apart from the filters."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from pytestqt.qtbot import QtBot

from readerapp.gui.models.side_model import DIGEST_PREFIX
from readerapp.gui.tag_colours import solid
from readerapp.gui.views.main_window import MainWindow
from tests.gui.conftest import activate, select_title

GRAPH = "Transformers as Graph Networks"  # in both digests


def row_pixels(window: MainWindow, key: str) -> list[list[QColor]]:
    """The colours of the pixels of the side panel's row ``key``, row by row, as painted."""
    rect = window.tag_panel.visualRect(window.side.index(window.side.row_of(key)))
    image = window.tag_panel.viewport().grab(rect).toImage()
    return [[image.pixelColor(x, y) for x in range(image.width())] for y in range(image.height())]


def near(colour: QColor, other: QColor) -> bool:
    pairs = zip(colour.getRgb()[:3], other.getRgb()[:3], strict=True)
    return sum(abs(a - b) for a, b in pairs) < 60


def ink(pixels: list[list[QColor]], colour: QColor) -> int:
    return sum(near(pixel, colour) for line in pixels for pixel in line)


def panel_colour(window: MainWindow, role: QPalette.ColorRole) -> QColor:
    return window.tag_panel.palette().color(role)


def digest_keys(window: MainWindow) -> list[str]:
    return [e.key for e in window.side.entries() if e.key.startswith(DIGEST_PREFIX)]


def test_a_tag_with_a_colour_shows_a_dot_of_it(qtbot: QtBot, window: MainWindow) -> None:
    select_title(qtbot, window, GRAPH)
    window.library.tags.add([window.papers.id_at(window.table.current_row())], ["ml"])
    window.library.tags.set_colour("ml", "green")
    window.tag_colours.refresh()
    window.library_changed()
    qtbot.waitUntil(lambda: window.side.row_of("tag:ml") is not None)
    qtbot.waitUntil(lambda: ink(row_pixels(window, "tag:ml"), solid("green")) > 10)


def test_a_digest_shows_its_triage_as_a_bar(qtbot: QtBot, window: MainWindow) -> None:
    highlight = panel_colour(window, QPalette.ColorRole.Highlight)
    newest, oldest = digest_keys(window)
    assert ink(row_pixels(window, newest), highlight) == 0  # nothing triaged yet
    select_title(qtbot, window, GRAPH)
    qtbot.keyClick(window.paper_view, "s")
    qtbot.waitUntil(lambda: ink(row_pixels(window, newest)[-6:], highlight) > 10)
    half, quarter = (ink(row_pixels(window, key)[-6:], highlight) for key in (newest, oldest))
    assert half > 1.5 * quarter > 0  # 1 of 2 papers, and 1 of 4


def test_the_chosen_row_is_drawn_in_the_selection_colours(qtbot: QtBot, window: MainWindow) -> None:
    window.tag_panel.setCurrentIndex(window.side.index(window.side.row_of("starred")))
    activate(qtbot, window)
    window.tag_panel.setFocus()
    qtbot.waitUntil(window.tag_panel.hasFocus)
    chosen = row_pixels(window, "starred")
    assert ink(chosen, panel_colour(window, QPalette.ColorRole.Highlight)) > 100
    assert ink(chosen, panel_colour(window, QPalette.ColorRole.HighlightedText)) > 10
    other = row_pixels(window, "unread")
    assert ink(other, panel_colour(window, QPalette.ColorRole.Text)) > 10
    assert ink(other, panel_colour(window, QPalette.ColorRole.Highlight)) == 0
