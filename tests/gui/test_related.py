"""Related papers: the preview lists the five most like the paper shown, found on the worker;
Tab and Enter (or a click) go to one; m searches for more like this (``like:ID``)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from pytestqt.qtbot import QtBot

from readerapp.core.collection import Collection
from readerapp.gui.controllers.related import SETTLE_MS
from readerapp.gui.views.main_window import MainWindow
from tests.gui.conftest import WindowFactory, select_title, titles
from tests.topics import DIFFUSION, GRAPHS, import_topics

MOLECULES = GRAPHS[0][0]
HEADING = "Related papers"


@pytest.fixture
def window(collection: Collection, write_digest, open_window: WindowFactory) -> MainWindow:
    return open_window(import_topics(collection, write_digest))


def related_shown(window: MainWindow) -> list[str]:
    """The titles under "Related papers" in the preview, in order."""
    text = window.preview.toPlainText()
    if HEADING not in text:
        return []
    lines = text.split(HEADING, 1)[1].strip().splitlines()
    return [line for line in lines if not line.startswith("m lists")]


def wait_for_related(qtbot: QtBot, window: MainWindow) -> list[str]:
    qtbot.waitUntil(lambda: related_shown(window) != [])
    return related_shown(window)


def test_the_preview_lists_the_papers_most_like_the_one_shown(
    qtbot: QtBot, window: MainWindow, collection: Collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[tuple[str, str]] = []
    related = Collection.related

    def spy(self: Collection, paper_id: str, count: int = 5) -> list[str]:
        asked.append((paper_id, threading.current_thread().name))
        return related(self, paper_id, count)

    monkeypatch.setattr(Collection, "related", spy)
    pid = select_title(qtbot, window, MOLECULES)
    shown = wait_for_related(qtbot, window)
    assert shown == [p.title for p in collection.library.papers(related(collection, pid))]
    assert sorted(shown) == sorted(title for title, _ in GRAPHS[1:])
    assert all(thread.startswith("readerapp-worker") for _, thread in asked)
    assert [paper for paper, _ in asked].count(pid) == 1

    qtbot.keyClick(window.paper_view, "s")  # the same paper drawn again: not asked again
    qtbot.waitUntil(lambda: "★ Starred" in window.preview.toPlainText())
    assert related_shown(window) == shown
    assert [paper for paper, _ in asked].count(pid) == 1


def test_tab_and_enter_on_a_related_paper_select_it(qtbot: QtBot, window: MainWindow) -> None:
    select_title(qtbot, window, MOLECULES)
    target = wait_for_related(qtbot, window)[0]
    qtbot.keyClick(window.paper_view, Qt.Key.Key_Return)
    assert window.preview.hasFocus()
    for _ in range(4):  # past the code link, to the first related paper
        qtbot.keyClick(window.preview, Qt.Key.Key_Tab)
        if window.preview.textCursor().selectedText() == target:
            break
    assert window.preview.textCursor().selectedText() == target
    qtbot.keyClick(window.preview, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.preview.toPlainText().startswith(target))
    assert titles(window)[window.table.current_row()] == target
    assert window.preview.hasFocus()  # still reading, now the other paper


def test_a_click_on_a_paper_outside_the_results_lists_the_papers_like_this_one(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.searcher.focus()
    qtbot.keyClicks(window.search_edit, "molecules")
    qtbot.waitUntil(lambda: titles(window) == [MOLECULES])
    pid = window.table.current_id()
    target = wait_for_related(qtbot, window)[-1]
    found = window.preview.document().find(target)
    cursor = QTextCursor(found)
    cursor.setPosition(found.selectionStart() + 2)
    window.preview.setTextCursor(cursor)
    window.preview.ensureCursorVisible()
    where = window.preview.cursorRect(cursor).center()
    qtbot.mouseClick(window.preview.viewport(), Qt.MouseButton.LeftButton, pos=where)
    qtbot.waitUntil(lambda: window.search_edit.text() == f"like:{pid}")
    qtbot.waitUntil(lambda: window.preview.toPlainText().startswith(target))
    assert titles(window)[window.table.current_row()] == target


def test_m_searches_for_more_like_this(qtbot: QtBot, window: MainWindow) -> None:
    window.tag_panel.setCurrentIndex(window.side.index(window.side.row_of("unread")))
    pid = select_title(qtbot, window, DIFFUSION[1][0])
    shown = wait_for_related(qtbot, window)
    qtbot.keyClick(window.paper_view, "m")
    qtbot.waitUntil(lambda: window.search_edit.text() == f"like:{pid}")
    qtbot.waitUntil(lambda: titles(window)[: len(shown)] == shown)
    assert window.side.entry(window.tag_panel.currentIndex().row()).key == "all"
    assert window.table.current_row() == 0 and window.paper_view.hasFocus()
    assert window.status.note.text() == f"Papers like “{DIFFUSION[1][0]}”"

    window.searcher.focus()
    qtbot.keyClick(window.search_edit, Qt.Key.Key_End)
    qtbot.keyClicks(window.search_edit, " video")  # the query narrows like any other
    qtbot.waitUntil(lambda: titles(window) == ["Latent Diffusion for Video"])


def test_related_papers_on_the_real_digests(
    qtbot: QtBot, data_dir: Path, real_digests: list[Path], open_window: WindowFactory
) -> None:
    real = Collection(data_dir)
    real.import_paths(real_digests)
    real.ensure_index()
    window = open_window(real)
    select_title(qtbot, window, titles(window)[3])
    assert len(wait_for_related(qtbot, window)) == 5
    window.close()
    real.close()


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The papers whose related papers are looked up, in order."""
    looked_up: list[str] = []
    related = Collection.related

    def spy(self: Collection, paper_id: str, count: int = 5) -> list[str]:
        looked_up.append(paper_id)
        return related(self, paper_id, count)

    monkeypatch.setattr(Collection, "related", spy)
    return looked_up


def test_papers_passed_on_the_way_are_not_looked_up(
    qtbot: QtBot, window: MainWindow, asked: list[str]
) -> None:
    select_title(qtbot, window, titles(window)[0])
    wait_for_related(qtbot, window)  # the first paper stayed shown while the window took focus
    asked.clear()
    for _ in range(3):  # j j j, faster than the related papers settle
        qtbot.keyClick(window.paper_view, "j")
    last = window.table.current_id()
    wait_for_related(qtbot, window)
    assert asked == [last]


def test_papers_are_not_looked_up_while_a_search_is_typed(
    qtbot: QtBot, window: MainWindow, asked: list[str]
) -> None:
    select_title(qtbot, window, MOLECULES)
    window.search_edit.setFocus()
    for letter in "molecul":  # the same paper stays first; keys a little faster than the settle
        qtbot.keyClicks(window.search_edit, letter)
        qtbot.wait(SETTLE_MS * 2 // 3)
    assert asked == []
    assert wait_for_related(qtbot, window)
    assert asked == [window.table.current_id()]
