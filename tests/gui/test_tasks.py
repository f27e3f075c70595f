"""The background worker: how it shares the interpreter (and its collector) with the GUI thread."""

from __future__ import annotations

import gc
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


def test_what_start_up_imported_stays_out_of_full_collections_until_shutdown(
    collection: Collection,
) -> None:
    tasks = TaskManager(collection)
    try:
        assert gc.get_freeze_count() > 1000  # the modules imported: functions, classes
    finally:
        tasks.shutdown()
    assert gc.get_freeze_count() == 0
