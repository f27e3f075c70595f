"""The window as a whole: remembered state, accessible names, the forms, the palette."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAccessible, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from readerapp.core.collection import Collection
from readerapp.core.paths import ui_path
from readerapp.gui.app import parse_args
from readerapp.gui.dialogs.cheat_sheet import CheatSheet
from readerapp.gui.dialogs.export_dialog import ExportDialog
from readerapp.gui.dialogs.fetch_dialog import FetchDialog
from readerapp.gui.dialogs.note_editor import NoteDialog
from readerapp.gui.dialogs.tag_editor import TagDialog, parse_tag_input
from readerapp.gui.forms import FormError, child
from readerapp.gui.views.main_window import MainWindow
from tests.gui.conftest import WindowFactory

CONTROLS = (QAbstractButton, QAbstractItemView, QLineEdit, QTextEdit, QPlainTextEdit, QComboBox)


def accessible_name(widget: QWidget) -> str:
    """The name a screen reader announces (a button's text counts as its name)."""
    interface = QAccessible.queryAccessibleInterface(widget)
    return interface.text(QAccessible.Text.Name) if interface else ""


def unnamed_controls(root: QWidget) -> list[str]:
    return [
        f"{type(w).__name__} {w.objectName()!r}"
        for w in root.findChildren(QWidget)
        if isinstance(w, CONTROLS)
        and w.focusPolicy() != Qt.FocusPolicy.NoFocus
        and not accessible_name(w).strip()
    ]


def test_every_control_has_an_accessible_name(qtbot: QtBot, window: MainWindow) -> None:
    assert unnamed_controls(window) == []
    dialogs = [
        CheatSheet(window),
        ExportDialog({"results": 3}, [("survey", 2)], Path.home(), False, window),
        NoteDialog("", "Note", lambda _text: None, window),
        FetchDialog(window),
        TagDialog([["a"]], ["a", "b"], "Tags", window),
    ]
    for dialog in dialogs:
        assert unnamed_controls(dialog) == [], dialog.objectName()
        dialog.deleteLater()


def test_the_public_object_names(window: MainWindow) -> None:
    for name in ("searchEdit", "tagPanel", "paperView", "preview", "welcomeView",
                 "statusCount", "didYouMean", "importProgress", "importCancel"):  # fmt: skip
        assert window.findChild(QWidget, name) is not None, name
    assert "is:starred" in window.search_edit.placeholderText()
    assert window.search_edit.isClearButtonEnabled()


def test_state_is_remembered(
    qtbot: QtBot, filled: Collection, open_window: WindowFactory, gui_settings: QSettings
) -> None:
    first = open_window(filled)
    first.resize(790, 560)  # smaller than the default, within the tests' offscreen screen
    first.main_splitter.setSizes([180, 560])
    splitter_sizes = first.main_splitter.sizes()
    first.paper_view.horizontalHeader().resizeSection(4, 211)
    first.tag_panel.setCurrentIndex(first.side.index(first.side.row_of("code")))
    first.actions["preview_below"].trigger()
    first.paper_view.horizontalHeader().setSortIndicator(1, Qt.SortOrder.DescendingOrder)
    first.close()

    second = open_window(filled, QSettings(gui_settings.fileName(), QSettings.Format.IniFormat))
    assert second.size().width() == 790
    assert second.main_splitter.sizes() == splitter_sizes
    assert second.paper_view.horizontalHeader().sectionSize(4) == 211
    assert second.reader_splitter.orientation() == Qt.Orientation.Vertical
    assert second.actions["preview_below"].isChecked()
    assert second.side.entry(second.tag_panel.currentIndex().row()).key == "code"
    assert second.status.filter.text() == "Filter: Has code"
    assert second.searcher.request().sort_column == 1
    assert second.searcher.request().fragment == "has:code"


def test_every_form_loads_and_a_missing_widget_says_so(qtbot: QtBot, window: MainWindow) -> None:
    assert sorted(p.name for p in ui_path().glob("*.ui")) == [
        "about_dialog.ui", "cheat_sheet.ui", "command_palette.ui", "digest_date.ui",
        "export_dialog.ui", "import_summary.ui", "main_window.ui", "name_dialog.ui",
        "note_editor.ui", "preferences.ui", "star_or_skip.ui", "tag_editor.ui",
        "trends.ui"]  # fmt: skip
    with pytest.raises(FormError, match="no QLineEdit named nothere"):
        child(window, QLineEdit, "nothere")


def test_a_palette_change_restyles_the_preview(qtbot: QtBot, window: MainWindow) -> None:
    dark = QPalette(QApplication.palette())
    dark.setColor(QPalette.ColorRole.Base, Qt.GlobalColor.black)
    dark.setColor(QPalette.ColorRole.Text, Qt.GlobalColor.white)
    before = QApplication.palette()
    QApplication.setPalette(dark)
    try:
        qtbot.waitUntil(
            lambda: window.preview.palette().color(QPalette.ColorRole.Base) == Qt.GlobalColor.black
        )
        assert window.preview.toPlainText()
    finally:
        QApplication.setPalette(before)


def test_gui_arguments() -> None:
    args = parse_args(["--data-dir", "/tmp/lib", "a.txt", "--data-dir=/tmp/other", "b/"])
    assert args.data_dir == "/tmp/other"
    assert [str(p) for p in args.paths] == ["a.txt", "b"]


def test_tag_input_adds_and_removes() -> None:
    change = parse_tag_input(" survey ,  to   read, -later, , Survey")
    assert change.add == ["survey", "to read"] and change.remove == ["later"]
