"""What happens to the library outside the window shows in it: changes by the command line,
and a search index found damaged at start."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from readerapp.core import index_job
from readerapp.core.collection import INDEX_NAME, Collection
from readerapp.gui.controllers import index_notice
from readerapp.gui.controllers.library_watch import CHANGED_MESSAGE
from readerapp.gui.views.main_window import MainWindow
from readerapp.gui.views.status_area import StatusArea
from tests.gui.conftest import PAPERS, WindowFactory, select_title


def cli(data_dir: Path, *args: str) -> str:
    """The real command line, in a process of its own; what it printed."""
    command = [sys.executable, "-m", "readerapp", "--data-dir", str(data_dir), *args]
    done = subprocess.run(
        command, check=True, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=60
    )
    return done.stdout


def test_a_star_from_the_command_line_shows_in_the_open_window(
    qtbot: QtBot, window: MainWindow, data_dir: Path
) -> None:
    window.searcher.choose_suggestion("graph")  # a search with words: it is run again
    qtbot.waitUntil(lambda: window.papers.total() == 1)
    paper_id = select_title(qtbot, window, PAPERS[1][0])
    cli(data_dir, "star", paper_id)
    qtbot.waitUntil(lambda: "★ Starred" in window.preview.toPlainText(), timeout=10_000)
    assert window.papers.paper(0).starred
    assert window.table.current_id() == paper_id  # the same paper, still selected
    assert window.search_edit.text() == "graph"
    qtbot.waitUntil(lambda: window.side.entry(window.side.row_of("starred")).count == 1)
    assert window.status.note.text() == CHANGED_MESSAGE


def test_a_note_from_the_command_line_is_searchable_in_the_window(
    qtbot: QtBot, window: MainWindow, data_dir: Path
) -> None:
    paper_id = select_title(qtbot, window, PAPERS[2][0])
    cli(data_dir, "note", paper_id, "zeppelin notes")
    qtbot.waitUntil(lambda: "zeppelin notes" in window.preview.toPlainText(), timeout=10_000)
    window.searcher.choose_suggestion("zeppelin")
    qtbot.waitUntil(lambda: window.papers.ids() == [paper_id])


def test_the_window_s_writes_after_a_command_ran_beside_it_reach_other_processes(
    qtbot: QtBot, window: MainWindow, data_dir: Path
) -> None:
    """The window holds the library open on three threads; a command that opens and closes it
    meanwhile must leave the window's WAL in place (see `readerapp.core.live_files`)."""
    cli(data_dir, "stats")
    paper_id = select_title(qtbot, window, PAPERS[0][0])
    qtbot.keyClick(window.paper_view, "s")
    qtbot.waitUntil(lambda: window.library.get(paper_id).starred)
    assert PAPERS[0][0] in cli(data_dir, "search", "is:starred")


def test_the_window_s_own_changes_do_not_count_as_outside_ones(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    refreshes: list[str] = []
    monkeypatch.setattr(window, "library_changed", lambda: refreshes.append("refresh"))
    paper_id = select_title(qtbot, window, PAPERS[0][0])
    qtbot.keyClick(window.paper_view, "s")
    qtbot.waitUntil(lambda: window.library.get(paper_id).starred)
    watch = window.library_watch
    watch.poll()  # the GUI's connection saw the worker's write
    assert watch.checking
    qtbot.waitUntil(lambda: not watch.checking)
    assert refreshes == []


def test_the_window_s_own_index_job_is_not_told_as_an_outside_change(
    qtbot: QtBot, collection: Collection, open_window: WindowFactory, write_digest,
    messages: list[str], monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.setattr(index_job, "IN_PROCESS_LIMIT", 0)  # it commits from a process of its own
    window = open_window(collection)
    window.imports.import_paths([write_digest("a.txt", "Mar 13", PAPERS)])
    qtbot.waitUntil(lambda: window.imports.summary_dialog is not None, timeout=60_000)
    qtbot.waitUntil(lambda: not window.tasks.busy_long, timeout=60_000)
    watch = window.library_watch
    for _ in range(2):  # the check owed since the task ended (whoever makes it), then the next
        qtbot.waitUntil(lambda: not watch.checking)
        watch.poll()
    qtbot.waitUntil(lambda: not watch.checking)
    assert CHANGED_MESSAGE not in messages
    assert collection.library.index_queue.ids() == []


def test_a_change_made_while_a_long_task_runs_shows_once_it_ends(
    qtbot: QtBot, window: MainWindow, data_dir: Path, messages: list[str]
) -> None:
    paper_id = select_title(qtbot, window, PAPERS[1][0])
    watch = window.library_watch
    qtbot.waitUntil(lambda: not watch.checking)  # start-up's own check has had its answer
    release = threading.Event()
    try:
        window.tasks.run_long("Waiting", lambda _c, _progress, _cancelled: release.wait(30))
        qtbot.waitUntil(lambda: window.tasks.busy_long)
        cli(data_dir, "star", paper_id)
        watch.poll()  # not checked while the task runs
        assert not watch.checking
    finally:
        release.set()
    qtbot.waitUntil(lambda: "★ Starred" in window.preview.toPlainText(), timeout=10_000)
    qtbot.waitUntil(lambda: window.side.entry(window.side.row_of("starred")).count == 1)
    assert CHANGED_MESSAGE not in messages  # it may have been the window's own index job


# --- the index at start --------------------------------------------------------------------


@pytest.fixture
def messages(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every passing message of the status bar, in order."""
    said: list[str] = []
    original = StatusArea.message

    def message(self: StatusArea, text: str, msecs: int = 8000) -> None:
        said.append(text)
        original(self, text, msecs)

    monkeypatch.setattr(StatusArea, "message", message)
    return said


@pytest.fixture
def indexed(data_dir: Path, write_digest) -> Iterator[Callable[[], Collection]]:
    """A library with its index, opened afresh after the test has spoilt the index."""
    first = Collection(data_dir)
    first.import_paths([write_digest("a.txt", "Mar 13", PAPERS)])
    first.ensure_index()
    first.close()
    opened: list[Collection] = []

    def reopen() -> Collection:
        opened.append(Collection(data_dir))
        return opened[-1]

    yield reopen
    for collection in opened:
        collection.close()


@pytest.mark.parametrize(
    ("version_stamp", "notice"),
    [(None, index_notice.DAMAGED), ('{"version": 0}', index_notice.OTHER_VERSION)],
)
def test_an_index_found_unusable_at_start_is_said_to_be_rebuilt(
    qtbot: QtBot, indexed: Callable[[], Collection], open_window: WindowFactory,
    messages: list[str], data_dir: Path, version_stamp: str | None, notice: str,
) -> None:  # fmt: skip
    stamp = data_dir / INDEX_NAME / "readerapp-index.json"
    if version_stamp is None:
        stamp.unlink()
    else:
        stamp.write_text(version_stamp)
    window = open_window(indexed())
    qtbot.waitUntil(lambda: index_notice.REBUILT in messages)
    assert notice in messages[: messages.index(index_notice.REBUILT)]
    window.searcher.choose_suggestion("experts")
    qtbot.waitUntil(lambda: window.papers.total() == 1)


def test_file_rebuild_the_search_index_builds_it_afresh(
    qtbot: QtBot, indexed: Callable[[], Collection], open_window: WindowFactory,
    messages: list[str], data_dir: Path,
) -> None:  # fmt: skip
    stamp = data_dir / INDEX_NAME / "readerapp-index.json"
    old = stamp.stat().st_ino
    window = open_window(indexed())
    window.actions["rebuild_index"].trigger()
    qtbot.waitUntil(lambda: index_notice.REBUILT in messages)
    assert stamp.stat().st_ino != old  # a new index folder took the old one's place
    window.searcher.choose_suggestion("experts")
    qtbot.waitUntil(lambda: window.papers.total() == 1)


def test_a_new_library_says_nothing_about_its_index(
    qtbot: QtBot, collection: Collection, open_window: WindowFactory, messages: list[str]
) -> None:
    assert not (collection.data_dir / INDEX_NAME).exists()
    open_window(collection)
    assert index_notice.DAMAGED not in messages and index_notice.REBUILT not in messages


def test_an_index_of_another_version_is_told_as_such() -> None:
    assert index_notice.notice("the search index is from another version (0)") == (
        index_notice.OTHER_VERSION
    )
    assert index_notice.notice("the search index is damaged (x)") == index_notice.DAMAGED
