"""Small things that broke the flow of a keyboard-only morning: completing a tag, keys 1-9
after a menu, the export dialog's mnemonics and its question before replacing a file, and a
tag chosen in the command palette."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot

from readerapp.gui.views.main_window import MainWindow
from tests.gui.conftest import activate, select_title

GRAPH = "Transformers as Graph Networks"
DIFFUSION = "Diffusion Models Beat GANs on Image Synthesis"


def test_down_then_return_in_the_tag_completions_inserts_the_tag_once(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.tag_keys.toggle_tag("graphs")  # on the paper selected at start
    qtbot.waitUntil(lambda: window.library.tag_counts() == [("graphs", 1)])
    pid = select_title(qtbot, window, DIFFUSION)
    qtbot.keyClick(window.paper_view, "t")
    dialog = window.commands.tag_dialog
    qtbot.waitUntil(dialog.editor.hasFocus)
    qtbot.keyClicks(dialog.editor, "survey, gra")
    popup = dialog.editor.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    assert dialog.editor.text() == "survey, graphs, "  # highlighted: shown in the field
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert dialog.editor.text() == "survey, graphs, "
    qtbot.keyClick(dialog.editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.library.get(pid).tags == ["graphs", "survey"])


def test_keys_1_to_9_work_after_a_menu_was_closed_with_esc(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.tag_keys.toggle_tag("graphs")  # on the paper selected at start: key 1 is graphs
    qtbot.waitUntil(lambda: window.library.tag_counts() == [("graphs", 1)])
    pid = select_title(qtbot, window, GRAPH)
    tags_menu = window.findChild(QMenu, "tagsMenu")
    qtbot.keyClick(window.paper_view, Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(tags_menu.isVisible)
    qtbot.keyClick(tags_menu, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not tags_menu.isVisible())
    activate(qtbot, window)
    qtbot.waitUntil(window.paper_view.hasFocus)  # back where it was, not on the menu bar
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_1)
    qtbot.waitUntil(lambda: window.library.get(pid).tags == ["graphs"])
