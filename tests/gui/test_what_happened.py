"""The window says what happened: a link that cannot open, a search that finds nothing here
but something elsewhere, a correction, a paper marked reading; and a new library starts
quietly."""

from __future__ import annotations

import logging

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from readerapp.core.collection import Collection
from readerapp.core.models import ReadState
from readerapp.gui.views.main_window import MainWindow
from tests.gui.conftest import OFFSCREEN_NOISE, WindowFactory, activate, select_title

DIFFUSION = "Diffusion Models Beat GANs on Image Synthesis"
GRAPH = "Transformers as Graph Networks"
FLOW = "Flow Matching for Generative Modeling"
# What the offscreen platform says to a link, having no web browser: the case under test.
NO_BROWSER = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE, "^This plugin does not support .*openUrl")


def test_a_new_empty_library_starts_without_a_warning(
    qtbot: QtBot,
    collection: Collection,
    open_window: WindowFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    window = open_window(collection)
    assert window.pages.currentWidget() is window.welcome
    assert "rebuilding the search index: the search index is missing" in caplog.messages
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []


@NO_BROWSER
def test_o_without_a_web_browser_says_so_and_copies_the_link(
    qtbot: QtBot, window: MainWindow
) -> None:
    select_title(qtbot, window, DIFFUSION)
    QApplication.clipboard().clear()
    qtbot.keyClick(window.paper_view, "o")  # the offscreen platform has no web browser
    assert window.status.note.text() == "No web browser found; the link was copied"
    assert QApplication.clipboard().text() == "https://github.com/example/guided"


@NO_BROWSER
def test_a_link_in_the_preview_that_does_not_open_is_copied(
    qtbot: QtBot, window: MainWindow
) -> None:
    select_title(qtbot, window, DIFFUSION)
    QApplication.clipboard().clear()
    window.preview.anchorClicked.emit(QUrl("https://github.com/example/guided"))
    assert window.status.note.text() == "No web browser found; the link was copied"
    assert QApplication.clipboard().text() == "https://github.com/example/guided"
    window.preview.anchorClicked.emit(QUrl("file:///etc/passwd"))
    assert window.status.note.text() == "Only web and mail links are opened."
    assert QApplication.clipboard().text() == "https://github.com/example/guided"


def test_marking_reading_is_told_once_and_preferences_turn_it_off(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.commands.reading_timer.setInterval(50)
    graph = select_title(qtbot, window, GRAPH)
    qtbot.waitUntil(lambda: window.library.get(graph).read_state == ReadState.READING)
    qtbot.waitUntil(lambda: window.status.note.text().startswith("Marked “Reading”"))
    assert "Preferences" in window.status.note.text()
    window.status.message("")
    flow = select_title(qtbot, window, FLOW)
    qtbot.waitUntil(lambda: window.library.get(flow).read_state == ReadState.READING)
    qtbot.waitUntil(lambda: window.papers.paper(window.table.current_row()).read_state
                    == ReadState.READING)  # fmt: skip
    assert window.status.note.text() == ""  # once a session

    qtbot.keyClick(window.paper_view, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    dialog = window.folders.preferences
    qtbot.waitUntil(lambda: dialog is not None and dialog.isActiveWindow())
    assert dialog.auto_reading.isChecked()
    qtbot.keyClick(dialog, Qt.Key.Key_M, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: not dialog.auto_reading.isChecked())  # a click, animated
    qtbot.keyClick(dialog.editor, Qt.Key.Key_Return)  # OK
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert not window.state.auto_mark_reading
    assert not window.actions["auto_reading"].isChecked()  # the View menu agrees
    activate(qtbot, window)
    diffusion = select_title(qtbot, window, DIFFUSION)
    assert not window.commands.reading_timer.isActive()
    assert window.library.get(diffusion).read_state == ReadState.UNREAD
