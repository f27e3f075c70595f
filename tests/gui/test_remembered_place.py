"""The window keeps the reader's place: Down from the search box goes on from the paper in
the preview, and quitting and starting again brings back the search, the filter, the paper
and where the list was scrolled to, for each library on its own."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from readerapp.core.collection import Collection
from readerapp.gui.models.paper_model import COL_TITLE
from readerapp.gui.views.main_window import MainWindow
from tests.gui.conftest import PAPERS, WindowFactory, select_title, titles
from tests.gui.keyboard import choose_in_panel

GRAPH = "Transformers as Graph Networks"
DIFFUSION = "Diffusion Models Beat GANs on Image Synthesis"


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


MANY = [(f"Graph paper number {n}", f"Networks of graphs, case {n}.") for n in range(90)]


@pytest.fixture
def long_library(filled: Collection, write_digest) -> Collection:
    """``filled`` with a digest of 90 papers more (Mar 20), enough to scroll the list."""
    filled.import_paths([write_digest("many.txt", "Mar 20", MANY)])
    filled.ensure_index()
    return filled


def digest_key(window: MainWindow, count: int) -> str:
    return next(
        e.key for r in range(window.side.rowCount())
        if (e := window.side.entry(r)).key.startswith("digest:") and e.count == count
    )  # fmt: skip


def reopened(settings: QSettings) -> QSettings:
    """The same settings file, read afresh, as the next run reads it."""
    return QSettings(settings.fileName(), QSettings.Format.IniFormat)


def test_quit_and_relaunch_brings_back_the_search_filter_paper_and_scroll(
    qtbot: QtBot, long_library: Collection, open_window: WindowFactory, gui_settings: QSettings
) -> None:
    first = open_window(long_library)
    first.resize(760, 560)  # within the 800x600 offscreen screen: the next run's size too
    key = digest_key(first, len(MANY))
    choose_in_panel(qtbot, first, key)
    qtbot.keyClick(first.tag_panel, Qt.Key.Key_Slash)
    qtbot.keyClicks(first.search_edit, "graphs")
    qtbot.waitUntil(lambda: len(titles(first)) == len(MANY))
    # by title: the papers match equally well, and ties may come in another order next time
    first.paper_view.horizontalHeader().setSortIndicator(COL_TITLE, Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(lambda: titles(first) == sorted(titles(first)))
    qtbot.keyClick(first.search_edit, Qt.Key.Key_Return)  # the first result
    for _ in range(60):
        qtbot.keyClick(first.paper_view, Qt.Key.Key_J)
    pid, row = first.table.current_id(), first.table.current_row()
    assert row == 60
    bar = first.paper_view.verticalScrollBar()
    bar.setValue(bar.value() + 10)  # scrolled on (a wheel), the paper still in sight
    scrolled = bar.value()
    rect = first.paper_view.visualRect(first.papers.index(row, 1))
    assert first.paper_view.viewport().rect().contains(rect)
    first.close()

    second = open_window(long_library, reopened(gui_settings))
    assert second.search_edit.text() == "graphs"
    assert second.side.entry(second.tag_panel.currentIndex().row()).key == key
    qtbot.waitUntil(lambda: second.table.current_id() == pid)
    assert len(titles(second)) == len(MANY)
    assert second.preview.toPlainText().startswith(second.library.get(pid).title)
    bar = second.paper_view.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.value() == scrolled)
    rect = second.paper_view.visualRect(second.papers.index(row, 1))
    assert second.paper_view.viewport().rect().contains(rect)  # the paper is in sight


def test_each_library_keeps_its_own_place(
    qtbot: QtBot,
    long_library: Collection,
    open_window: WindowFactory,
    gui_settings: QSettings,
    tmp_path: Path,
    write_digest,
) -> None:
    first = open_window(long_library)
    choose_in_panel(qtbot, first, "code")  # a filter without words: listed from SQLite
    qtbot.waitUntil(lambda: titles(first) == [DIFFUSION])
    first.close()

    other = Collection(tmp_path / "other")
    try:
        other.import_paths([write_digest("other.txt", "Apr 2", PAPERS[1:])])
        window = open_window(other, reopened(gui_settings))
        assert window.side.entry(window.tag_panel.currentIndex().row()).key == "all"
        assert window.search_edit.text() == ""
        assert len(titles(window)) == 3
        window.close()
    finally:
        other.close()

    again = open_window(long_library, reopened(gui_settings))
    assert again.side.entry(again.tag_panel.currentIndex().row()).key == "code"
    assert titles(again) == [DIFFUSION]  # at once, from SQLite
    assert again.table.current_id() == again.papers.id_at(0)
