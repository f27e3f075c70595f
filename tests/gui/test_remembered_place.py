"""The window keeps the reader's place: Down from the search box goes on from the paper in
the preview, and quitting and starting again brings back the search, the filter, the paper
and where the list was scrolled to, for each library on its own."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from readerapp.gui.views.main_window import MainWindow
from tests.gui.conftest import select_title, titles

GRAPH = "Transformers as Graph Networks"


def test_down_from_the_search_box_goes_to_the_paper_in_the_preview(
    qtbot: QtBot, window: MainWindow
) -> None:
    pid = select_title(qtbot, window, GRAPH)
    assert titles(window).index(GRAPH) > 0
    qtbot.keyClick(window.paper_view, Qt.Key.Key_Slash)
    assert window.search_edit.hasFocus()
    qtbot.keyClick(window.search_edit, Qt.Key.Key_Down)
    assert window.paper_view.hasFocus()
    assert window.table.current_id() == pid
    assert window.preview.toPlainText().startswith(GRAPH)
