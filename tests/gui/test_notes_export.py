"""Markdown for notes apps: Ctrl+Shift+C copies the selection, and the export dialog writes a
vault folder of notes (one per paper, if asked), updating it when run again."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from readerapp.core.collection import Collection
from readerapp.gui.views.main_window import MainWindow
from tests.gui.conftest import activate, select_title

GRAPH = "Transformers as Graph Networks"
ALT = Qt.KeyboardModifier.AltModifier


def test_ctrl_shift_c_copies_the_selection_as_markdown(qtbot: QtBot, window: MainWindow) -> None:
    QGuiApplication.clipboard().clear()
    select_title(qtbot, window, GRAPH)
    qtbot.keyClick(window.paper_view, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    shift_ctrl = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(window.paper_view, Qt.Key.Key_C, shift_ctrl)
    clipboard = QGuiApplication.clipboard()
    qtbot.waitUntil(lambda: clipboard.text().startswith("# Reading list\n"))
    text = clipboard.text()
    assert f"## {GRAPH}" in text and ". 2 papers." in text
    assert window.status.note.text() == "Copied 2 papers as Markdown"


def test_the_export_dialog_writes_and_updates_a_vault(
    qtbot: QtBot, window: MainWindow, filled: Collection, tmp_path: Path
) -> None:
    vault = tmp_path / "Vault"
    for run in range(2):
        activate(qtbot, window)
        select_title(qtbot, window, GRAPH)
        qtbot.keyClick(window.paper_view, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
        dialog = window.exporter.dialog
        qtbot.waitUntil(dialog.isActiveWindow)
        if run == 0:
            assert not dialog.per_paper.isEnabled()
            qtbot.keyClick(dialog, Qt.Key.Key_V, ALT)  # As notes … a &vault folder
            qtbot.waitUntil(dialog.vault.isChecked)  # a mnemonic clicks after a moment
            assert dialog.path_label.text() == "&Folder:" and not dialog.group.isEnabled()
            qtbot.keyClick(dialog, Qt.Key.Key_N, ALT)  # One &note per paper
            qtbot.waitUntil(dialog.per_paper.isChecked)
            dialog.path.setText(str(vault))
        else:  # the vault is remembered
            qtbot.keyClick(dialog, Qt.Key.Key_V, ALT)
            qtbot.waitUntil(dialog.vault.isChecked)
            qtbot.keyClick(dialog, Qt.Key.Key_N, ALT)
            qtbot.waitUntil(dialog.per_paper.isChecked)
            assert dialog.path.text() == str(vault)
        window.status.note.clear()  # the second export says the same
        qtbot.keyClick(dialog.path, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: window.status.note.text() == f"Exported 5 papers to {vault}")
        if run == 0:
            filled.library.set_starred([window.table.current_id()], True)
    notes = sorted(path.name for path in vault.iterdir())
    assert len(notes) == 6 and "reading-list.md" in notes  # the list and a note per paper
    graph_note = next(vault.glob("transformers-as-graph-networks-*.md"))
    assert "starred: true" in graph_note.read_text(encoding="utf-8")
    assert window.state.vault_folder == vault
