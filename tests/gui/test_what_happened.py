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
from tests.gui.conftest import (
    OFFSCREEN_NOISE,
    WindowFactory,
    activate,
    select_title,
    titles,
)
from tests.gui.keyboard import choose_in_panel

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


def test_nothing_under_the_filter_says_how_many_match_elsewhere_and_enter_shows_them(
    qtbot: QtBot, window: MainWindow
) -> None:
    later = next(
        e for r in range(window.side.rowCount())
        if (e := window.side.entry(r)).key.startswith("digest:") and e.count == 2
    )  # fmt: skip
    choose_in_panel(qtbot, window, later.key)
    qtbot.waitUntil(lambda: len(titles(window)) == 2)
    qtbot.keyClick(window.tag_panel, Qt.Key.Key_Slash)
    qtbot.keyClicks(window.search_edit, "diffusion")
    expected = f"Nothing in {later.label}. 1 paper matches in All papers — press Enter to show it"
    qtbot.waitUntil(lambda: window.empty_list.message() == expected)
    assert window.empty_list.label.isVisible()
    qtbot.keyClick(window.search_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: titles(window) == [DIFFUSION])
    assert window.status.filter.isHidden()  # All papers
    assert window.search_edit.text() == "diffusion"
    assert window.empty_list.message() == ""

    choose_in_panel(qtbot, window, "starred")  # no paper is starred: nothing anywhere else
    qtbot.waitUntil(lambda: window.empty_list.message().startswith("Nothing in Starred"))
    with qtbot.waitCallback() as worker_idle:  # the count elsewhere has come back by now
        window.tasks.run(lambda _collection: None, worker_idle)
    assert (
        window.empty_list.message()
        == "Nothing in Starred. 1 paper matches in All papers — press Enter to show it"
    )


def test_did_you_mean_shows_in_the_empty_list_and_enter_there_takes_it(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.searcher.focus()
    qtbot.keyClicks(window.search_edit, "banditt")
    qtbot.waitUntil(lambda: window.empty_list.message().startswith("No papers match banditt."))
    suggestion = window.status.suggestion()
    assert suggestion in ("bandit", "bandits")
    assert window.empty_list.message() == (
        f"No papers match banditt. Did you mean {suggestion}? (Enter)"
    )
    assert window.status.did_you_mean.isVisible()  # in the status bar too
    qtbot.keyClick(window.search_edit, Qt.Key.Key_Down)  # into the empty list
    assert window.paper_view.hasFocus()
    qtbot.keyClick(window.paper_view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: titles(window) == ["Learning to Rank with Bandits"])
    assert window.search_edit.text() == suggestion
    assert window.empty_list.message() == ""
    assert not window.preview.hasFocus()  # Enter took the correction, not the list's Enter
