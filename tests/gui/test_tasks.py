"""The background worker: how it shares the interpreter with the GUI thread."""

from __future__ import annotations

import sys

from readerapp.core.collection import Collection
from readerapp.gui.tasks import SWITCH_INTERVAL_S, TaskManager


def test_threads_hand_the_gil_over_quickly_while_the_worker_runs(
    collection: Collection,
) -> None:
    before = sys.getswitchinterval()
    tasks = TaskManager(collection)
    try:
        assert sys.getswitchinterval() <= SWITCH_INTERVAL_S
    finally:
        tasks.shutdown()
    assert sys.getswitchinterval() == before
