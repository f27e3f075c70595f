"""The one table of actions: no key bound twice, single keys are single, all in the cheat sheet."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from readerapp.gui.actions import ACTIONS, MENUS, bound_keys, key_labels
from readerapp.gui.views.main_window import MainWindow
from tests.gui.conftest import select_title

MODIFIERS = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier


def test_no_key_is_bound_twice(qapp) -> None:
    keys = [key for spec in ACTIONS for key in bound_keys(spec)]
    assert len(keys) == len(set(keys)), sorted(k for k in keys if keys.count(k) > 1)


def test_the_table_is_well_formed(qapp) -> None:
    menus = {menu_id for menu_id, _ in MENUS}
    assert len({spec.id for spec in ACTIONS}) == len(ACTIONS)
    for spec in ACTIONS:
        assert spec.menu in menus and spec.help and spec.text
        for key in spec.single_keys:
            combo = QKeySequence(key)[0]
            assert combo.keyboardModifiers() & MODIFIERS == Qt.KeyboardModifier.NoModifier, key
        for key in spec.keys:
            combo = QKeySequence(key)[0]
            function_key = Qt.Key.Key_F1 <= combo.key() <= Qt.Key.Key_F35
            assert function_key or combo.keyboardModifiers() & MODIFIERS, key


def test_every_action_is_in_a_menu_with_its_handler(window: MainWindow) -> None:
    in_menus = {
        action.objectName()
        for menu in window.menuBar().findChildren(QMenu)
        for action in menu.actions()
    }
    assert {f"action_{spec.id}" for spec in ACTIONS} <= in_menus
    assert window.actions["star"].shortcut().toString() == "S"
    assert window.actions["export"].shortcut().toString() == "Ctrl+E"


def test_the_cheat_sheet_lists_every_action(qtbot: QtBot, window: MainWindow) -> None:
    select_title(qtbot, window, "Transformers as Graph Networks")
    qtbot.keyClick(window.paper_view, "?")
    sheet = window.cheat_sheet
    qtbot.waitUntil(sheet.isVisible)
    assert sheet.objectName() == "cheatSheet"
    text = sheet.text.toPlainText()
    for spec in ACTIONS:
        assert spec.plain_text in text
        assert spec.help in text
        for label in key_labels(spec):
            assert label in text
    sheet.close()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window.search_edit, Qt.Key.Key_F1)  # F1 works from the search box too
    qtbot.waitUntil(sheet.isVisible)


def test_slash_and_ctrl_f_go_to_the_search_box(qtbot: QtBot, window: MainWindow) -> None:
    select_title(qtbot, window, "Transformers as Graph Networks")
    qtbot.keyClick(window.paper_view, "/")
    assert window.search_edit.hasFocus()
    window.paper_view.setFocus()
    qtbot.keyClick(window.paper_view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.search_edit.hasFocus()
    qtbot.keyClick(window.search_edit, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.tag_panel.hasFocus()
