"""The background threads and how the window shares the interpreter (and its collector) with
them."""

from __future__ import annotations

import gc
import os
import sys
import threading
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from readerapp.core.collection import Collection
from readerapp.gui.app import SWITCH_INTERVAL_S, favouring_the_gui_thread
from readerapp.gui.tasks import BACKGROUND_NICENESS, TaskManager


@pytest.fixture
def tasks(collection: Collection) -> Iterator[TaskManager]:
    manager = TaskManager(collection)
    yield manager
    manager.shutdown()


def test_threads_hand_the_gil_over_quickly_while_the_window_runs(tasks: TaskManager) -> None:
    before = sys.getswitchinterval()
    with favouring_the_gui_thread(tasks):
        assert sys.getswitchinterval() <= SWITCH_INTERVAL_S
    assert sys.getswitchinterval() == before


def test_what_start_up_made_stays_out_of_full_collections_while_the_window_runs(
    qtbot: QtBot, tasks: TaskManager
) -> None:
    release = threading.Event()
    with favouring_the_gui_thread(tasks):
        assert gc.get_freeze_count() > 1000  # the modules imported: functions, classes
        tasks.run_long("Starting", lambda _c, _progress, _cancelled: release.wait(30))
        made_meanwhile = [[] for _ in range(1000)]  # what start-up's long task leaves
        assert collected(made_meanwhile) == 1000
        with qtbot.waitSignal(tasks.long_finished):
            release.set()
        assert collected(made_meanwhile) == 0  # frozen once the long task ended
    assert gc.get_freeze_count() == 0


def collected(objects: list[list[int]]) -> int:
    """How many of ``objects`` the full collections look at (frozen ones they do not).

    Counted by identity, not by `gc.get_freeze_count`: objects frozen at the start may die
    meanwhile (a wrapper, a finished thread's state), which lowers the frozen count."""
    ids = {id(obj) for obj in objects}
    return sum(id(obj) in ids for obj in gc.get_objects())


def test_idle_work_runs_beside_the_worker_below_the_gui_thread(
    qtbot: QtBot, tasks: TaskManager
) -> None:
    release, seen = threading.Event(), {}

    def idle() -> None:
        seen["thread"] = threading.current_thread().name
        if sys.platform.startswith("linux"):
            seen["nice"] = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
        release.wait(30)

    try:
        tasks.run_idle(idle)
        qtbot.waitUntil(lambda: "thread" in seen)
        done = []
        tasks.run(lambda collection: collection.library.count(), done.append)
        qtbot.waitUntil(lambda: done == [0])  # the worker is not held up by the idle work
    finally:
        release.set()
    assert seen["thread"].startswith("readerapp-idle")
    if sys.platform.startswith("linux"):
        assert seen["nice"] >= BACKGROUND_NICENESS


def test_reading_ahead_runs_as_idle_work_and_ends_with_the_window(
    qtbot: QtBot, filled: Collection
) -> None:
    tasks = TaskManager(filled)
    before = set(threading.enumerate())
    assert filled.prepare_search()
    tasks.run_idle(filled.read_ahead)
    started = [thread for thread in threading.enumerate() if thread not in before]
    idle = [thread for thread in started if thread.name.startswith("readerapp-idle")]
    assert len(idle) == 1
    assert not any(thread.name == "read-ahead" for thread in threading.enumerate())
    tasks.shutdown()  # as the window closes: then the collection is closed
    filled.close()
    qtbot.waitUntil(lambda: not idle[0].is_alive())
