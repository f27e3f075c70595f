"""The single keys act on the selection and the library shows it; never while typing."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from readerapp.core.models import ReadState
from readerapp.gui.views.main_window import MainWindow
from tests.gui.conftest import select_title, titles

GRAPH = "Transformers as Graph Networks"
DIFFUSION = "Diffusion Models Beat GANs on Image Synthesis"


def paper(window: MainWindow, title: str):
    return next(p for p in window.library.papers(window.papers.ids()) if p.title == title)


def test_s_stars_and_the_list_and_preview_show_it(qtbot: QtBot, window: MainWindow) -> None:
    pid = select_title(qtbot, window, GRAPH)
    qtbot.keyClick(window.paper_view, "s")
    qtbot.waitUntil(lambda: window.library.get(pid).starred)
    row = window.table.current_row()
    qtbot.waitUntil(lambda: window.papers.index(row, 0).data() == "★")
    assert "★ Starred" in window.preview.toPlainText()
    qtbot.waitUntil(lambda: window.side.entry(window.side.row_of("starred")).count == 1)
    qtbot.keyClick(window.paper_view, "s")
    qtbot.waitUntil(lambda: not window.library.get(pid).starred)


def test_keys_apply_to_the_whole_selection(qtbot: QtBot, window: MainWindow) -> None:
    select_title(qtbot, window, GRAPH)
    qtbot.keyClick(window.paper_view, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    ids = window.table.selected_ids()
    assert len(ids) == 2
    qtbot.keyClick(window.paper_view, "r")
    qtbot.waitUntil(lambda: all(p.read_state == ReadState.READ for p in window.library.papers(ids)))
    assert window.status.count.text().endswith("2 selected")
    qtbot.keyClick(window.paper_view, "r")  # all read: r makes them unread again
    qtbot.waitUntil(
        lambda: all(p.read_state == ReadState.UNREAD for p in window.library.papers(ids))
    )


def test_t_adds_and_removes_tags_with_completion(qtbot: QtBot, window: MainWindow) -> None:
    pid = select_title(qtbot, window, GRAPH)
    qtbot.keyClick(window.paper_view, "t")
    dialog = window.commands.tag_dialog
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.objectName() == "tagDialog"
    qtbot.waitUntil(dialog.editor.hasFocus)
    qtbot.keyClicks(dialog.editor, "graphs, to read")
    qtbot.keyClick(dialog.editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.library.get(pid).tags == ["graphs", "to read"])
    qtbot.waitUntil(
        lambda: "graphs, to read" in window.papers.index(window.table.current_row(), 4).data()
    )
    qtbot.waitUntil(lambda: window.side.row_of("tag:graphs") is not None)  # counted again

    select_title(qtbot, window, DIFFUSION)
    qtbot.keyClick(window.paper_view, "t")
    dialog = window.commands.tag_dialog
    qtbot.waitUntil(dialog.isVisible)
    completer = dialog.editor.completer()
    qtbot.keyClicks(dialog.editor, "gra")
    qtbot.waitUntil(lambda: completer.popup().isVisible())
    assert completer.currentCompletion() == "graphs, "  # the whole field, completed
    qtbot.keyClick(completer.popup(), Qt.Key.Key_Down)
    qtbot.keyClick(completer.popup(), Qt.Key.Key_Return)
    assert dialog.editor.text() == "graphs, "
    qtbot.keyClick(dialog.editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: paper(window, DIFFUSION).tags == ["graphs"])

    select_title(qtbot, window, GRAPH)
    qtbot.keyClick(window.paper_view, "t")
    dialog = window.commands.tag_dialog
    qtbot.waitUntil(dialog.isVisible)
    qtbot.keyClicks(dialog.editor, "-to read")
    qtbot.waitUntil(lambda: dialog.editor.completer().popup().isVisible())
    qtbot.keyClick(dialog.editor.completer().popup(), Qt.Key.Key_Return)  # closes the popup
    qtbot.keyClick(dialog.editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.library.get(pid).tags == ["graphs"])


def test_esc_leaves_the_tag_editor_unchanged(qtbot: QtBot, window: MainWindow) -> None:
    pid = select_title(qtbot, window, GRAPH)
    qtbot.keyClick(window.paper_view, "t")
    dialog = window.commands.tag_dialog
    qtbot.waitUntil(dialog.editor.hasFocus)
    qtbot.keyClicks(dialog.editor, "never")
    qtbot.keyClick(dialog.editor, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    qtbot.waitUntil(window.isActiveWindow)  # back in the window, ready for the next key
    assert window.library.get(pid).tags == []


def test_n_writes_a_note_saved_by_esc(qtbot: QtBot, window: MainWindow) -> None:
    pid = select_title(qtbot, window, GRAPH)
    qtbot.keyClick(window.paper_view, "n")
    dialog = window.commands.note_dialog
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.editor.objectName() == "noteEditor"
    qtbot.waitUntil(dialog.editor.hasFocus)
    qtbot.keyClicks(dialog.editor, "**Read** the proof")
    qtbot.waitUntil(lambda: "Read the proof" in dialog.preview.toPlainText())
    assert dialog.is_dirty()
    qtbot.keyClick(dialog.editor, Qt.Key.Key_Escape)  # Esc leaves the editor, saving
    assert not dialog.isVisible()
    qtbot.waitUntil(lambda: window.library.get(pid).note == "**Read** the proof")
    qtbot.waitUntil(lambda: "Read the proof" in window.preview.toPlainText())
    assert "**" not in window.preview.toPlainText()  # rendered from Markdown


def test_ctrl_s_saves_the_note_and_keeps_editing(qtbot: QtBot, window: MainWindow) -> None:
    pid = select_title(qtbot, window, GRAPH)
    qtbot.keyClick(window.paper_view, "n")
    dialog = window.commands.note_dialog
    qtbot.waitUntil(dialog.editor.hasFocus)
    qtbot.keyClicks(dialog.editor, "first")
    qtbot.keyClick(dialog.editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.library.get(pid).note == "first")
    assert dialog.isVisible() and not dialog.is_dirty()
    dialog.reject()


def test_an_unsaved_note_survives_closing_the_window(
    qtbot: QtBot, window: MainWindow, filled
) -> None:
    pid = select_title(qtbot, window, GRAPH)
    qtbot.keyClick(window.paper_view, "n")
    dialog = window.commands.note_dialog
    qtbot.waitUntil(dialog.isVisible)
    qtbot.keyClicks(dialog.editor, "not saved yet")
    window.close()
    assert filled.library.get(pid).note == "not saved yet"


def test_single_keys_never_fire_while_typing(qtbot: QtBot, window: MainWindow) -> None:
    select_title(qtbot, window, GRAPH)
    window.searcher.focus()
    qtbot.keyClicks(window.search_edit, "star tag note read open/?jk")
    assert window.search_edit.text() == "star tag note read open/?jk"
    qtbot.waitUntil(lambda: window.status.count.text().startswith("0 of"))
    stats = window.library.stats()
    assert stats["starred"] == 0 and stats["read"] == 0 and stats["tags"] == 0
    assert window.commands.tag_dialog is None and window.commands.note_dialog is None
    assert window.cheat_sheet is None


def test_j_k_move_and_enter_focuses_the_preview(qtbot: QtBot, window: MainWindow) -> None:
    select_title(qtbot, window, titles(window)[0])
    qtbot.keyClick(window.paper_view, "j")
    assert window.table.current_row() == 1
    qtbot.keyClick(window.paper_view, "j")
    qtbot.keyClick(window.paper_view, "k")
    assert window.table.current_row() == 1
    qtbot.keyClick(window.paper_view, Qt.Key.Key_Return)
    assert window.preview.hasFocus()
    qtbot.keyClick(window.preview, "j")  # j and k work while reading too
    assert window.table.current_row() == 2
    qtbot.keyClick(window.preview, Qt.Key.Key_Escape)
    assert window.paper_view.hasFocus()
    qtbot.keyClick(window.paper_view, Qt.Key.Key_Space)
    assert window.preview.hasFocus()
    qtbot.keyClick(window.preview, Qt.Key.Key_Slash)
    assert window.search_edit.hasFocus()


def test_o_opens_the_first_link_in_the_browser(
    qtbot: QtBot, window: MainWindow, opened_urls: list[str]
) -> None:
    select_title(qtbot, window, DIFFUSION)
    qtbot.keyClick(window.paper_view, "o")
    assert opened_urls == ["https://github.com/example/guided"]
    select_title(qtbot, window, GRAPH)
    qtbot.keyClick(window.paper_view, "o")
    assert opened_urls == ["https://github.com/example/guided"]
    assert window.status.note.text() == "This paper has no link."


def test_a_paper_shown_for_a_while_becomes_reading(qtbot: QtBot, window: MainWindow) -> None:
    window.commands.reading_timer.setInterval(50)
    pid = select_title(qtbot, window, GRAPH)
    window.show_current()
    qtbot.waitUntil(lambda: window.library.get(pid).read_state == ReadState.READING)
    window.actions["auto_reading"].trigger()  # off
    assert not window.state.auto_mark_reading
    other = select_title(qtbot, window, DIFFUSION)
    assert not window.commands.reading_timer.isActive()
    assert window.library.get(other).read_state == ReadState.UNREAD
