"""End to end: ``run_gui`` opens the window on a data directory and imports the files given."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from readerapp import APP_ID
from readerapp.core.collection import Collection
from readerapp.gui.app import run_gui
from readerapp.gui.testing_hooks import READY_FILE_ENV
from readerapp.gui.views.main_window import MainWindow
from tests.gui.conftest import PAPERS


def test_run_gui_imports_the_files_given(qapp, data_dir: Path, write_digest) -> None:
    digest = write_digest("a.txt", "Mar 13", PAPERS)
    seen: dict[str, object] = {}

    def open_window() -> MainWindow | None:
        windows = QApplication.topLevelWidgets()
        return next((w for w in windows if isinstance(w, MainWindow) and w.isVisible()), None)

    def close_when_imported() -> None:
        window = open_window()
        if window is None or window.tasks.busy_long or window.papers.total() < len(PAPERS):
            return
        seen["rows"] = window.papers.total()
        seen["icon"] = not QApplication.windowIcon().isNull()
        window.close()

    poll = QTimer()
    poll.timeout.connect(close_when_imported)
    poll.start(20)
    guard = QTimer()  # no hang; stopped after, or it would close a later test's window
    guard.setSingleShot(True)
    guard.timeout.connect(lambda: (window := open_window()) and window.close())
    guard.start(20_000)
    try:
        assert run_gui(["--data-dir", str(data_dir), str(digest)]) == 0
    finally:
        poll.stop()
        guard.stop()
        qapp.setStyleSheet("")
    assert seen == {"rows": len(PAPERS), "icon": True}
    assert qapp.desktopFileName() == APP_ID


def test_the_window_says_when_it_is_ready_to_benchmarks(
    qapp, data_dir: Path, write_digest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ready = tmp_path / "ready"
    monkeypatch.setenv(READY_FILE_ENV, str(ready))
    collection = Collection(data_dir)
    collection.import_paths([write_digest("a.txt", "Mar 13", PAPERS)])
    collection.close()

    def open_window() -> MainWindow | None:
        windows = QApplication.topLevelWidgets()
        return next((w for w in windows if isinstance(w, MainWindow) and w.isVisible()), None)

    def close_when_ready() -> None:
        window = open_window()
        if window is not None and ready.exists():
            window.close()

    poll = QTimer()
    poll.timeout.connect(close_when_ready)
    poll.start(20)
    guard = QTimer()  # no hang
    guard.setSingleShot(True)
    guard.timeout.connect(lambda: (window := open_window()) and window.close())
    guard.start(20_000)
    try:
        assert run_gui(["--data-dir", str(data_dir)]) == 0
    finally:
        poll.stop()
        guard.stop()
        qapp.setStyleSheet("")
    assert ready.read_text() == str(len(PAPERS))  # the papers listed when it first answered
