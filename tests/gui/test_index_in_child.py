"""The window hands big index work to a child process: progress shows, Cancel kills it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from readerapp.core import index_job
from readerapp.core.collection import Collection
from tests.gui.conftest import PAPERS, WindowFactory, titles

MANY = [(f"Paper {n} on sparse kernels", f"We study uniq{n}w. " + "It works. " * 30)
        for n in range(1000)]  # fmt: skip


@pytest.fixture(autouse=True)
def every_job_in_a_child(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(index_job, "IN_PROCESS_LIMIT", 0)


def test_an_import_is_indexed_by_a_child_and_then_found(
    qtbot: QtBot, collection: Collection, open_window: WindowFactory, write_digest
) -> None:
    window = open_window(collection)
    seen: list[tuple[int, int, int]] = []

    def note(done: int, total: int) -> None:  # after the status bar took it in
        seen.append((done, total, window.status.progress.maximum()))

    window.tasks.long_progress.connect(note)
    window.imports.import_paths([write_digest("a.txt", "Mar 13", PAPERS)])
    # the papers are listed first; the child's progress comes through the same signal, and
    # once all are added the bar is busy (not full) while the index is written
    qtbot.waitUntil(lambda: (4, 4, 0) in seen, timeout=60_000)
    qtbot.waitUntil(lambda: not window.status.progress.isVisible(), timeout=60_000)
    window.search_edit.setText("bandit")
    window.searcher.run()
    qtbot.waitUntil(lambda: titles(window) == ["Learning to Rank with Bandits"])


def test_a_big_import_is_indexed_by_a_child_beside_it(
    qtbot: QtBot,
    collection: Collection,
    open_window: WindowFactory,
    write_digest,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(index_job, "BESIDE_IMPORT_BYTES", 0)
    commands: list[list[str]] = []
    start = index_job._start
    monkeypatch.setattr(
        index_job,
        "_start",
        lambda command, **options: commands.append(command) or start(command, **options),
    )
    window = open_window(collection)
    paths = [write_digest(f"d{i}.txt", f"Mar {13 + i}", MANY[i::2]) for i in range(2)]
    window.imports.import_paths(paths)
    qtbot.waitUntil(lambda: window.imports.summary_dialog is not None, timeout=60_000)
    assert "1,000 papers added" in window.imports.summary_dialog.headline.text()
    qtbot.waitUntil(lambda: not window.status.progress.isVisible(), timeout=60_000)
    assert [index_job.DURING_IMPORT in command for command in commands] == [True]
    window.search_edit.setText("uniq999w")
    window.searcher.run()
    qtbot.waitUntil(lambda: titles(window) == ["Paper 999 on sparse kernels"])
    assert collection.library.index_queue.ids() == []


def test_cancel_kills_the_indexing_child_and_keeps_the_import(
    qtbot: QtBot, collection: Collection, open_window: WindowFactory, write_digest
) -> None:
    window = open_window(collection)

    clicked: list[bool] = []

    def cancel_once_indexing(done: int, total: int) -> None:
        if total == len(MANY) and window.status.cancel.isEnabled():
            qtbot.mouseClick(window.status.cancel, Qt.MouseButton.LeftButton)
            clicked.append(True)

    window.tasks.long_progress.connect(cancel_once_indexing)
    window.imports.import_paths([write_digest("many.txt", "Mar 13", MANY)])
    qtbot.waitUntil(
        lambda: bool(clicked) and not window.status.progress.isVisible(), timeout=60_000
    )
    qtbot.waitUntil(lambda: window.imports.summary_dialog is not None)
    assert "1,000 papers added" in window.imports.summary_dialog.headline.text()
    assert collection.library.count() == len(MANY)
    assert collection.library.index_queue.ids(), "left queued for the next catch-up"


def test_words_searched_while_the_child_catches_up_find_what_is_indexed(
    qtbot: QtBot, filled: Collection, open_window: WindowFactory, write_digest
) -> None:
    window = open_window(filled)
    shown: list[tuple[list[str], bool, str]] = []
    window.searcher.results_shown.connect(
        lambda _: shown.append((titles(window), window.tasks.busy_long, counts(window)))
    )

    def search_once_indexing(done: int, total: int) -> None:
        if total == len(MANY) and not window.search_edit.text():
            window.search_edit.setText("bandit")
            window.searcher.run()

    window.tasks.long_progress.connect(search_once_indexing)
    window.imports.import_paths([write_digest("many.txt", "Mar 16", MANY)])
    bandit = ["Learning to Rank with Bandits"]
    qtbot.waitUntil(lambda: bool(shown) and shown[-1][0] == bandit)
    assert shown[-1] == (bandit, True, "1 of 1,005 papers · 1,000 not indexed yet")
    qtbot.waitUntil(lambda: not window.status.progress.isVisible(), timeout=60_000)
    qtbot.waitUntil(lambda: counts(window) == "1 of 1,005 papers")


def counts(window) -> str:
    return window.status.count.text()
