"""Undo and redo (Ctrl+Z, Ctrl+Shift+Z) of stars, read states, tags, notes and tag renames,
on the whole selection, each paper put back as it was; the Edit menu names the change."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from readerapp.core.collection import Collection
from readerapp.core.models import ReadState
from readerapp.gui.controllers.undo import delete_tag_command, rename_tag_command
from readerapp.gui.views.main_window import MainWindow
from tests.gui.conftest import activate, select_title

GRAPH = "Transformers as Graph Networks"
BANDITS = "Learning to Rank with Bandits"
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def undo(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClick(window.paper_view, Qt.Key.Key_Z, CTRL)


def redo(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClick(window.paper_view, Qt.Key.Key_Z, CTRL | SHIFT)


def select_two(qtbot: QtBot, window: MainWindow) -> list[str]:
    select_title(qtbot, window, GRAPH)
    qtbot.keyClick(window.paper_view, Qt.Key.Key_Down, SHIFT)
    ids = window.table.selected_ids()
    assert len(ids) == 2
    return ids


def edit_menu_texts(window: MainWindow) -> list[str]:
    menu = window.menuBar().findChild(QMenu, "editMenu")
    return [action.text().replace("&", "") for action in menu.actions()]


def test_undo_and_redo_a_star_on_the_selection_paper_by_paper(
    qtbot: QtBot, window: MainWindow, filled: Collection
) -> None:
    first, second = select_two(qtbot, window)
    library = filled.library
    library.set_starred([first], True)  # one starred already: s stars both
    assert not window.actions["undo"].isEnabled()
    qtbot.keyClick(window.paper_view, "s")
    qtbot.waitUntil(lambda: library.get(second).starred)
    assert "Undo Star 2 papers" in edit_menu_texts(window)

    undo(qtbot, window)
    qtbot.waitUntil(lambda: window.status.note.text() == "Undone: Star 2 papers")
    assert not library.get(second).starred
    assert library.get(first).starred  # as it was before the s
    assert "Redo Star 2 papers" in edit_menu_texts(window)
    assert window.papers.index(window.papers.row_of(first), 0).data() == "★"

    redo(qtbot, window)
    qtbot.waitUntil(lambda: library.get(second).starred)
    assert window.actions["redo"].text() == "&Redo" and not window.actions["redo"].isEnabled()


def test_undo_a_read_state_a_tag_edit_and_a_note(qtbot: QtBot, window: MainWindow) -> None:
    pid = select_title(qtbot, window, GRAPH)
    qtbot.keyClick(window.paper_view, "r")
    qtbot.waitUntil(lambda: window.library.get(pid).read_state == ReadState.READ)
    qtbot.keyClick(window.paper_view, "t")
    dialog = window.commands.tag_dialog
    qtbot.waitUntil(dialog.editor.hasFocus)
    qtbot.keyClicks(dialog.editor, "graphs")
    qtbot.keyClick(dialog.editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.library.get(pid).tags == ["graphs"])
    activate(qtbot, window)
    qtbot.keyClick(window.paper_view, "n")
    note = window.commands.note_dialog
    qtbot.waitUntil(note.editor.hasFocus)
    qtbot.keyClicks(note.editor, "a thought")
    qtbot.keyClick(note.editor, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.library.get(pid).note == "a thought")
    activate(qtbot, window)
    window.paper_view.setFocus()
    assert window.actions["undo"].text() == "&Undo Edit the note of 1 paper"

    undo(qtbot, window)
    qtbot.waitUntil(lambda: window.library.get(pid).note == "")
    qtbot.waitUntil(lambda: "a thought" not in window.preview.toPlainText())
    assert window.actions["undo"].text() == "&Undo Tag 1 paper “graphs”"
    undo(qtbot, window)
    qtbot.waitUntil(lambda: window.library.get(pid).tags == [])
    undo(qtbot, window)
    qtbot.waitUntil(lambda: window.library.get(pid).read_state == ReadState.UNREAD)
    assert not window.actions["undo"].isEnabled()
    redo(qtbot, window)
    redo(qtbot, window)
    qtbot.waitUntil(lambda: window.library.get(pid).tags == ["graphs"])
    assert window.library.get(pid).read_state == ReadState.READ


def test_ctrl_z_in_the_search_box_undoes_the_typing(qtbot: QtBot, window: MainWindow) -> None:
    pid = select_title(qtbot, window, GRAPH)
    qtbot.keyClick(window.paper_view, "s")
    qtbot.waitUntil(lambda: window.library.get(pid).starred)
    window.searcher.focus()
    qtbot.keyClicks(window.search_edit, "graph")
    qtbot.keyClick(window.search_edit, Qt.Key.Key_Z, CTRL)
    assert window.search_edit.text() == ""
    assert window.library.get(pid).starred and window.actions["undo"].isEnabled()


def test_renaming_and_deleting_a_tag_are_undone(
    qtbot: QtBot, window: MainWindow, filled: Collection
) -> None:
    graph, bandits = select_two(qtbot, window)
    library = filled.library
    library.tags.add([graph], ["later"])
    library.tags.add([bandits], ["Reading", "later"])
    library.tags.set_colour("later", "green")
    window.undo.push(rename_tag_command("later", "reading"))  # merges into "Reading"
    said = window.status.note.text
    qtbot.waitUntil(lambda: said() == "Renamed the tag “later” to “reading”")
    assert library.get(graph).tags == library.get(bandits).tags == ["reading"]
    assert window.actions["undo"].text() == "&Undo Rename the tag “later” to “reading”"
    undo(qtbot, window)
    qtbot.waitUntil(lambda: said() == "Undone: Rename the tag “later” to “reading”")
    assert library.get(graph).tags == ["later"]
    assert set(library.get(bandits).tags) == {"Reading", "later"}  # "Reading" spelt as it was
    assert library.tags.colours() == {"later": "green"}

    window.undo.push(delete_tag_command("later"))
    qtbot.waitUntil(lambda: said() == "Deleted the tag “later”")
    assert library.get(bandits).tags == ["Reading"] and library.tags.colours() == {}
    qtbot.waitUntil(lambda: window.side.row_of("tag:later") is None)  # counted again
    undo(qtbot, window)
    qtbot.waitUntil(lambda: said() == "Undone: Delete the tag “later”")
    assert library.get(graph).tags == ["later"]
    assert library.tags.colours() == {"later": "green"}
    qtbot.waitUntil(lambda: window.side.row_of("tag:later") is not None)
