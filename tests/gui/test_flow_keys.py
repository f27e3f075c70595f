"""Small things that broke the flow of a keyboard-only morning: completing a tag, keys 1-9
after a menu, the export dialog's mnemonics and its question before replacing a file, and a
tag chosen in the command palette."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QMenu,
    QWidget,
)
from pytestqt.qtbot import QtBot

from readerapp.core.paths import ui_path
from readerapp.gui.dialogs.export_dialog import ExportDialog
from readerapp.gui.dialogs.preferences import PreferencesDialog
from readerapp.gui.dialogs.tag_editor import TagDialog
from readerapp.gui.forms import load_form
from readerapp.gui.views.main_window import MainWindow
from tests.gui.conftest import activate, select_title, titles

GRAPH = "Transformers as Graph Networks"
DIFFUSION = "Diffusion Models Beat GANs on Image Synthesis"


def test_down_then_return_in_the_tag_completions_inserts_the_tag_once(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.tag_keys.toggle_tag("graphs")  # on the paper selected at start
    qtbot.waitUntil(lambda: window.library.tags.counts() == [("graphs", 1)])
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
    qtbot.waitUntil(lambda: window.library.tags.counts() == [("graphs", 1)])
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


def mnemonics(root: QWidget) -> list[str]:
    """The Alt+letter keys of ``root``'s buttons, labels (with a buddy) and group boxes.

    A dialog's standard button without one (OK, Cancel) counts its first letter: desktop
    themes give it that mnemonic ("&OK", "&Cancel").
    """
    texts = []
    for widget in root.findChildren(QWidget):
        if isinstance(widget, QAbstractButton):
            text = widget.text()
            if "&" not in text and isinstance(widget.parent(), QDialogButtonBox):
                text = f"&{text}"
            texts.append(text)
        elif isinstance(widget, QLabel) and widget.buddy() is not None:
            texts.append(widget.text())
        elif isinstance(widget, QGroupBox) and widget.isCheckable():
            texts.append(widget.title())
    return [m.group(1).casefold() for t in texts if (m := re.search(r"&([^&\s])", t))]


def action_mnemonics(actions: list[QAction]) -> list[str]:
    return [m.group(1).casefold() for a in actions if (m := re.search(r"&([^&\s])", a.text()))]


def repeated(keys: list[str]) -> set[str]:
    return {key for key in keys if keys.count(key) > 1}


def test_no_two_choices_of_a_dialog_share_a_mnemonic(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    export = ExportDialog({"results": 3}, [("survey", 2)], tmp_path, False, window)
    keys = mnemonics(export)
    assert {"r", "s", "t", "d", "e"} <= set(keys)  # results, selection, starred, tagged, Export
    assert repeated(keys) == set()
    built = [
        export,
        PreferencesDialog([tmp_path], True, window),
        TagDialog([["a"]], [], "", window),
    ]
    for dialog in built:
        assert repeated(mnemonics(dialog)) == set(), dialog.objectName()
    built_forms = {"export_dialog.ui", "preferences.ui", "tag_editor.ui"}
    for form in sorted(set(ui_path().glob("*.ui")) - {ui_path(name) for name in built_forms}):
        host = QWidget()
        assert repeated(mnemonics(load_form(form.name, host))) == set(), form.name
        host.deleteLater()
    bar = window.menuBar().actions()
    assert repeated(action_mnemonics(bar) + mnemonics(window.welcome)) == set()
    for menu in (action.menu() for action in bar):
        assert repeated(action_mnemonics(menu.actions())) == set(), menu.objectName()
    for dialog in built:
        dialog.deleteLater()


def test_exporting_onto_an_existing_file_asks_before_replacing_it(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    target = tmp_path / "list.md"
    target.write_text("my own notes\n", encoding="utf-8")
    qtbot.keyClick(window.paper_view, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    dialog = window.exporter.dialog
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.path.setText(str(target))
    qtbot.keyClick(dialog.path, Qt.Key.Key_Return)
    question = dialog.replace_question
    qtbot.waitUntil(lambda: question is not None and question.isActiveWindow())
    assert "“list.md” already exists" in question.text()
    qtbot.keyClick(question, Qt.Key.Key_Escape)  # no: back to the dialog, the file kept
    qtbot.waitUntil(lambda: not question.isVisible())
    assert dialog.isVisible()
    assert target.read_text(encoding="utf-8") == "my own notes\n"

    activate(qtbot, dialog)  # offscreen does not when a dialog closes; a desktop does
    qtbot.keyClick(dialog.path, Qt.Key.Key_Return)
    question = dialog.replace_question
    qtbot.waitUntil(question.isActiveWindow)
    qtbot.keyClick(question, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)  # Replace
    qtbot.waitUntil(lambda: target.read_text(encoding="utf-8").startswith("# Reading list"))
    assert not dialog.isVisible()


def test_a_tag_chosen_in_the_palette_lists_its_papers_clearing_the_search_box(
    qtbot: QtBot, window: MainWindow
) -> None:
    for title in (GRAPH, DIFFUSION):
        select_title(qtbot, window, title)
        window.tag_keys.toggle_tag("later")
    qtbot.waitUntil(lambda: window.side.row_of("tag:later") is not None)
    window.searcher.focus()
    qtbot.keyClicks(window.search_edit, "diffusion")  # words left over from a search
    qtbot.waitUntil(lambda: titles(window) == [DIFFUSION])
    qtbot.keyClick(window.search_edit, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    palette = window.command_palette.dialog
    qtbot.waitUntil(lambda: palette is not None and palette.edit.hasFocus())
    qtbot.keyClicks(palette.edit, "tag later")
    qtbot.keyClick(palette.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: sorted(titles(window)) == [DIFFUSION, GRAPH])
    assert window.search_edit.text() == ""
    assert window.status.filter.text() == "Filter: later"
    assert window.paper_view.hasFocus()
