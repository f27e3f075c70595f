"""Triage by digest: progress in the side panel, ] and [ between the digests left to triage,
and the papers new since the last session (Ctrl+Shift+N)."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from readerapp.core.collection import Collection
from readerapp.core.library import Library
from readerapp.gui.models.side_model import DIGEST_PREFIX, PROGRESS_ROLE
from readerapp.gui.views.main_window import MainWindow
from tests.gui.conftest import WindowFactory, select_title, titles

NEW = [("Consistency Models", "One-step generation by consistency distillation.")]
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def digests(window: MainWindow) -> list[tuple[str, tuple[int, int]]]:
    """The digest rows of the side panel: label and (triaged, papers)."""
    return [(e.label, e.progress) for e in window.side.entries() if e.key.startswith(DIGEST_PREFIX)]


def chosen(window: MainWindow) -> str:
    return window.side.entry(window.tag_panel.currentIndex().row()).key


def test_digests_show_their_triage(qtbot: QtBot, window: MainWindow) -> None:
    assert [progress for _, progress in digests(window)] == [(0, 2), (0, 4)]  # newest first
    row = window.side.index(window.side.row_of(window.side.entries()[-1].key))
    assert row.data(PROGRESS_ROLE) == (0, 4)
    assert row.data(Qt.ItemDataRole.AccessibleTextRole).endswith("0 of 4 papers triaged")
    select_title(qtbot, window, "Transformers as Graph Networks")  # in both digests
    qtbot.keyClick(window.paper_view, "s")
    qtbot.waitUntil(lambda: [p for _, p in digests(window)] == [(1, 2), (1, 4)])


def test_the_side_panel_is_counted_off_the_gui_thread(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: list[str] = []
    progress = Library.digest_progress

    def spy(self: Library) -> list:
        threads.append(threading.current_thread().name)
        return progress(self)

    monkeypatch.setattr(Library, "digest_progress", spy)
    select_title(qtbot, window, "Transformers as Graph Networks")
    qtbot.keyClick(window.paper_view, "s")
    qtbot.waitUntil(lambda: [p for _, p in digests(window)] == [(1, 2), (1, 4)])
    assert threads and all(name.startswith("readerapp-reader") for name in threads)


def test_brackets_go_to_the_digests_left_to_triage(qtbot: QtBot, window: MainWindow) -> None:
    select_title(qtbot, window, "Transformers as Graph Networks")
    qtbot.keyClick(window.paper_view, "]")
    newest, older = (e.key for e in window.side.entries() if e.key.startswith(DIGEST_PREFIX))
    assert chosen(window) == newest
    qtbot.waitUntil(lambda: len(titles(window)) == 2)
    assert window.status.note.text().endswith(": 0 of 2 triaged")
    window.paper_view.setFocus()
    qtbot.keyClick(window.paper_view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window.paper_view, "r")  # both read: this digest is done
    qtbot.waitUntil(lambda: digests(window)[0][1] == (2, 2))
    qtbot.keyClick(window.paper_view, "]")
    assert chosen(window) == older
    qtbot.waitUntil(lambda: len(titles(window)) == 4)
    qtbot.keyClick(window.paper_view, "[")  # the newer one is triaged: nowhere to go
    assert chosen(window) == older
    assert window.status.note.text() == "No newer digest has papers left to triage."
    window.tag_panel.setFocus()
    qtbot.keyClick(window.tag_panel, "[")  # works from the side panel too
    assert window.status.note.text() == "No newer digest has papers left to triage."


def test_ctrl_shift_n_lists_what_is_new_since_the_last_session(
    qtbot: QtBot, filled: Collection, open_window: WindowFactory, write_digest, gui_settings
) -> None:
    first = open_window(filled)
    assert first.library.sessions.previous() is None
    first.close()
    filled.import_paths([write_digest("c.txt", "Mar 16", NEW)])  # while the window was closed
    filled.sync_index()
    second = open_window(filled, QSettings(gui_settings.fileName(), QSettings.Format.IniFormat))
    qtbot.waitUntil(lambda: second.side.entry(second.side.row_of("new")).count == 1)
    second.paper_view.setFocus()
    qtbot.keyClick(second.paper_view, Qt.Key.Key_N, CTRL_SHIFT)
    assert chosen(second) == "new"
    qtbot.waitUntil(lambda: titles(second) == ["Consistency Models"])
    assert second.status.filter.text() == "Filter: New since last session"
