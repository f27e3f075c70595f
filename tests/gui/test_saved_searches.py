"""Saved searches by keyboard: Ctrl+S names the search, the side panel lists it with counts and
"N new", search:"name" reuses it, an unknown name says so, Delete removes it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from readerapp.gui.dialogs.name_dialog import NameDialog
from readerapp.gui.views.main_window import MainWindow
from tests.gui.conftest import activate, titles
from tests.gui.keyboard import choose_in_panel, open_dialog
from tests.gui.test_window import unnamed_controls

GRAPHS = ["Graph Attention for Molecules", "Message passing over a molecular graph."]


def search(qtbot: QtBot, window: MainWindow, text: str) -> None:
    qtbot.keyClick(window.paper_view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    window.search_edit.selectAll()
    qtbot.keyClicks(window.search_edit, text)
    qtbot.waitUntil(lambda: window.searcher.request().text == text)
    qtbot.keyClick(window.search_edit, Qt.Key.Key_Down)  # into the list, on the first result


def saved_entry(window: MainWindow, key: str):
    row = window.side.row_of(key)
    return None if row is None else window.side.entry(row)


def save_as(qtbot: QtBot, window: MainWindow, name: str) -> NameDialog:
    qtbot.keyClick(window.paper_view, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    dialog = open_dialog(qtbot, window, NameDialog, "saveSearchDialog")
    qtbot.keyClicks(dialog.editor, name)
    qtbot.keyClick(dialog.editor, Qt.Key.Key_Return)
    return dialog


def test_ctrl_s_saves_the_search_and_the_panel_counts_it(
    qtbot: QtBot, window: MainWindow, write_digest
) -> None:
    search(qtbot, window, "graph")
    qtbot.waitUntil(lambda: titles(window) == ["Transformers as Graph Networks"])
    dialog = save_as(qtbot, window, "Graphs")
    assert "graph" in dialog.intro.text() and unnamed_controls(dialog) == []
    qtbot.waitUntil(lambda: saved_entry(window, "search:graphs") is not None)
    qtbot.waitUntil(lambda: saved_entry(window, "search:graphs").count == 1)
    assert saved_entry(window, "search:graphs").fragment == 'search:"Graphs"'
    assert window.library.saved_searches.query_of("graphs") == "graph"
    activate(qtbot, window)

    window.imports.import_paths([write_digest("c.txt", "Mar 16", [GRAPHS])])
    qtbot.waitUntil(lambda: window.imports.summary_dialog is not None)
    window.imports.summary_dialog.accept()
    qtbot.waitUntil(lambda: saved_entry(window, "search:graphs").badge == "1 new")
    assert saved_entry(window, "search:graphs").count == 2

    window.saved_searches.opened_timer.setInterval(0)
    activate(qtbot, window)
    window.paper_view.setFocus()
    choose_in_panel(qtbot, window, "search:graphs")  # opened: nothing is new any more
    qtbot.waitUntil(lambda: saved_entry(window, "search:graphs").badge == "")
    assert window.status.filter.text() == "Filter: Graphs"
    assert sorted(titles(window)) == [GRAPHS[0], "Transformers as Graph Networks"]


def test_search_name_reuses_a_saved_search_and_an_unknown_one_says_so(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.paper_view.setFocus()
    search(qtbot, window, "has:code")
    save_as(qtbot, window, "with code")
    qtbot.waitUntil(lambda: saved_entry(window, "search:with code") is not None)
    activate(qtbot, window)
    window.paper_view.setFocus()
    search(qtbot, window, 'search:"with code" diffusion')
    qtbot.waitUntil(lambda: titles(window) == ["Diffusion Models Beat GANs on Image Synthesis"])
    search(qtbot, window, 'search:"nowhere" diffusion')
    qtbot.waitUntil(
        lambda: window.status.note.text() == "The saved search “nowhere” does not exist."
    )
    assert titles(window) == [] and not window.status.did_you_mean.isVisible()


def test_delete_removes_a_saved_search(qtbot: QtBot, window: MainWindow) -> None:
    window.library.saved_searches.save("flows", "flow")  # as another readerapp (the CLI) would
    with qtbot.waitSignal(window.side.refreshed):  # counted on the reader thread
        window.library_changed()
    window.paper_view.setFocus()
    choose_in_panel(qtbot, window, "search:flows")
    qtbot.keyClick(window.tag_panel, Qt.Key.Key_Delete)
    box = open_dialog(qtbot, window, QMessageBox, "confirmDeleteDialog")
    assert box.text() == "Delete the saved search “flows”?"
    qtbot.keyClick(box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.side.row_of("search:flows") is None)
    assert window.library.saved_searches.all() == [] and not box.isVisible()
