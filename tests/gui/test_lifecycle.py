"""The window's life outside its own work: About, uncaught errors, a damaged library at start,
files sent by the system (macOS FileOpen, a later launch)."""

from __future__ import annotations

import logging
import platform
import sqlite3
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt, QTimer, qVersion
from PySide6.QtGui import QFileOpenEvent
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from readerapp import __version__
from readerapp.core.collection import Collection
from readerapp.core.library import DB_NAME
from readerapp.gui import crash
from readerapp.gui.app import run_gui
from readerapp.gui.crash import CrashHandler
from readerapp.gui.dialogs.about import PROJECT_URL
from readerapp.gui.dialogs.damaged_library import DamagedLibraryDialog, open_collection
from readerapp.gui.launch import LaunchRequests
from readerapp.gui.views.main_window import MainWindow
from readerapp.logs import log_path
from tests.gui.conftest import PAPERS, WindowFactory, select_title
from tests.gui.test_window import unnamed_controls

# --- helpers -------------------------------------------------------------------------------


def visible(name: str) -> QWidget | None:
    """The visible top-level widget (window or dialog) named ``name``."""
    return next(
        (w for w in QApplication.topLevelWidgets() if w.objectName() == name and w.isVisible()),
        None,
    )


@pytest.fixture
def driver() -> Iterator[Callable[[Callable[[], None]], None]]:
    """Call a step every few milliseconds, as a user would act on what shows (also inside the
    nested event loop of a modal dialog); stopped after the test."""
    timers: list[QTimer] = []

    def drive(step: Callable[[], None]) -> None:
        timer = QTimer()
        timer.timeout.connect(step)
        timer.start(20)
        timers.append(timer)

    yield drive
    for timer in timers:
        timer.stop()


@pytest.fixture
def restore_style(qapp: QApplication) -> Iterator[None]:
    yield
    qapp.setStyleSheet("")  # run_gui applies the application's style sheet


# --- About ---------------------------------------------------------------------------------


def test_about_tells_the_version_the_folders_and_the_licence(
    qtbot: QtBot, window: MainWindow, data_dir: Path
) -> None:
    window.actions["about"].trigger()
    qtbot.waitUntil(lambda: window.findChild(QDialog, "aboutDialog") is not None)
    dialog = window.findChild(QDialog, "aboutDialog")
    qtbot.waitExposed(dialog)
    assert dialog.windowTitle() == "About readerapp"

    def label(name: str) -> str:
        return dialog.findChild(QLabel, name).text()

    assert label("aboutTitle") == f"readerapp {__version__}"
    assert label("aboutDataDir") == str(data_dir)
    assert label("aboutLogFile") == str(log_path())
    assert label("aboutLicence") == "MIT"
    assert qVersion() in label("aboutVersions")
    assert platform.python_version() in label("aboutVersions")
    assert PROJECT_URL in label("aboutLink")
    assert unnamed_controls(dialog) == []
    qtbot.mouseClick(dialog.findChild(QWidget, "aboutCopy"), Qt.MouseButton.LeftButton)
    assert f"readerapp {__version__}" in QApplication.clipboard().text()
    dialog.reject()


# --- uncaught exceptions -------------------------------------------------------------------


@pytest.fixture
def crash_handler(tmp_path: Path) -> Iterator[CrashHandler]:
    handler = CrashHandler(tmp_path / "readerapp.log")
    handler.install()
    yield handler
    handler.uninstall()
    if handler.dialog is not None:
        handler.dialog.close()


def shown(handler: CrashHandler) -> bool:
    return handler.dialog is not None and handler.dialog.isVisible()


def broken_slot() -> None:
    raise ValueError("the slot broke")


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_a_slot_is_logged_and_shown_and_the_window_goes_on(
    qtbot: QtBot,
    window: MainWindow,
    crash_handler: CrashHandler,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    QTimer.singleShot(0, broken_slot)
    qtbot.waitUntil(lambda: shown(crash_handler))
    dialog = crash_handler.dialog
    assert dialog.objectName() == "crashDialog"
    assert dialog.text() == "Something went wrong: ValueError: the slot broke"
    assert str(tmp_path / "readerapp.log") in dialog.informativeText()
    assert "keeps running" in dialog.informativeText()
    assert "in broken_slot" in dialog.detailedText()
    assert "ValueError: the slot broke" in caplog.text
    assert unnamed_controls(dialog) == []

    # another one while the dialog is open is logged, and the same dialog stays
    caplog.set_level(logging.INFO, logger="readerapp.gui.crash")
    QTimer.singleShot(0, lambda: broken_slot())
    qtbot.waitUntil(lambda: "while one is open" in caplog.text)
    assert crash_handler.dialog is dialog

    qtbot.mouseClick(dialog.keep_going, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    paper_id = select_title(qtbot, window, PAPERS[1][0])
    qtbot.keyClick(window.paper_view, "s")
    qtbot.waitUntil(lambda: window.library.get(paper_id).starred)


def test_an_exception_in_a_thread_is_shown_on_the_gui_thread(
    qtbot: QtBot, crash_handler: CrashHandler
) -> None:
    def work() -> None:
        raise OSError("the disk went away")

    thread = threading.Thread(target=work, name="helper")
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: shown(crash_handler))
    assert crash_handler.dialog.text() == "Something went wrong: OSError: the disk went away"


@pytest.mark.qt_no_exception_capture
def test_reporting_never_recurses(
    qtbot: QtBot,
    crash_handler: CrashHandler,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    attempts: list[str] = []

    def dialog_that_breaks(*_args, **_kwargs) -> None:
        attempts.append("shown")
        try:  # an exception while the dialog is being shown, as from a slot it sets off
            raise KeyError("inside the dialog")
        except KeyError:
            sys.excepthook(*sys.exc_info())
        raise RuntimeError("the dialog cannot be shown")

    monkeypatch.setattr(crash, "CrashDialog", dialog_that_breaks)
    QTimer.singleShot(0, broken_slot)
    qtbot.waitUntil(lambda: "could not show the error dialog" in caplog.text)
    QCoreApplication.processEvents()  # a report queued from inside would be shown now
    assert attempts == ["shown"]
    assert "inside the dialog" in caplog.text
    assert crash_handler.dialog is None


def test_a_window_that_fails_to_open_says_so(
    qtbot: QtBot,
    data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    driver,
    restore_style: None,
    private_home: Path,
) -> None:
    def failing_window(*_args) -> MainWindow:
        raise RuntimeError("no window today")

    monkeypatch.setattr("readerapp.gui.app.MainWindow", failing_window)
    seen: list[str] = []

    def close_the_report() -> None:
        dialog = visible("crashDialog")
        if dialog is not None:
            seen.append(dialog.text())
            dialog.quit_button.click()

    driver(close_the_report)
    with pytest.raises(RuntimeError, match="no window today"):
        run_gui(["--data-dir", str(data_dir)])
    assert seen == ["readerapp had to stop: RuntimeError: no window today"]
    log = private_home / "xdg_state_home" / "readerapp" / "log" / "readerapp.log"
    assert "RuntimeError: no window today" in log.read_text()


# --- files sent by the system --------------------------------------------------------------


def test_file_open_events_import_once_the_window_is_there(
    qtbot: QtBot, qapp: QApplication, collection: Collection, open_window: WindowFactory,
    write_digest,
) -> None:  # fmt: skip
    digest = write_digest("a.txt", "Mar 13", PAPERS)
    window = open_window(collection)
    requests = LaunchRequests(qapp)
    try:
        QCoreApplication.postEvent(qapp, QFileOpenEvent(str(digest)))  # as macOS sends it
        QCoreApplication.processEvents()
        assert window.library.count() == 0  # no window attached yet: the file waits
        requests.attach(window, window.imports.import_paths)
        qtbot.waitUntil(lambda: window.papers.total() == len(PAPERS))
    finally:
        requests.close()


def test_a_launch_without_files_brings_the_window_back(
    qtbot: QtBot, qapp: QApplication, window: MainWindow
) -> None:
    requests = LaunchRequests(qapp)
    requests.attach(window, window.imports.import_paths)
    try:
        window.showMinimized()
        qtbot.waitUntil(window.isMinimized)
        requests.add([])
        qtbot.waitUntil(lambda: not window.isMinimized())
        assert window.isVisible()
    finally:
        requests.close()


# --- a damaged or foreign library at start -------------------------------------------------


@pytest.fixture
def foreign_library(tmp_path: Path, data_dir: Path, write_digest) -> tuple[Path, Path]:
    """Another program's SQLite file where the library should be, and a good backup beside."""
    source = Collection(tmp_path / "source")
    try:
        source.import_paths([write_digest("a.txt", "Mar 13", PAPERS)])
        (data_dir / "backups").mkdir(parents=True)
        backup = source.backup(data_dir / "backups" / "library-2026-03-13.sqlite3")
    finally:
        source.close()
    foreign = data_dir / DB_NAME
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE recipes (name TEXT)")
        conn.execute("INSERT INTO recipes VALUES ('bread')")
    conn.close()
    return foreign, backup


def test_the_dialog_says_what_is_wrong_and_offers_the_backup(
    qtbot: QtBot, data_dir: Path, foreign_library: tuple[Path, Path]
) -> None:
    foreign, backup = foreign_library
    with pytest.raises(Exception) as raised:
        Collection(data_dir)
    dialog = DamagedLibraryDialog(raised.value)
    qtbot.addWidget(dialog)
    assert dialog.objectName() == "damagedLibraryDialog"
    text = dialog.informativeText()
    assert f"{foreign} is an SQLite file of another program" in text
    assert "The file is kept as it is" in text
    assert str(backup) in text
    assert dialog.restore_button.text().startswith("Restore the newest backup (")
    assert dialog.quit_button.text() == "Quit"
    assert unnamed_controls(dialog) == []


def test_without_a_backup_only_quit_is_offered(qtbot: QtBot, data_dir: Path) -> None:
    data_dir.mkdir()
    (data_dir / DB_NAME).write_bytes(b"not a database at all, but long enough to be read " * 4)
    with pytest.raises(Exception) as raised:
        Collection(data_dir)
    dialog = DamagedLibraryDialog(raised.value)
    qtbot.addWidget(dialog)
    assert dialog.restore_button is None
    assert "There is no backup to restore" in dialog.informativeText()


def test_quit_leaves_the_file_as_it_was(
    qtbot: QtBot, data_dir: Path, foreign_library: tuple[Path, Path], driver
) -> None:
    foreign, _ = foreign_library
    before = foreign.read_bytes()
    files = sorted(p.name for p in data_dir.iterdir())

    def quit_() -> None:
        dialog = visible("damagedLibraryDialog")
        if dialog is not None:
            dialog.quit_button.click()

    driver(quit_)
    assert open_collection(data_dir) == (None, "")
    assert foreign.read_bytes() == before
    assert sorted(p.name for p in data_dir.iterdir()) == files


def test_restoring_the_backup_opens_the_window_and_keeps_the_file(
    qtbot: QtBot, data_dir: Path, foreign_library: tuple[Path, Path], driver,
    restore_style: None,
) -> None:  # fmt: skip
    foreign, _ = foreign_library
    before = foreign.read_bytes()
    seen: dict[str, object] = {}

    def act() -> None:
        dialog = visible("damagedLibraryDialog")
        if dialog is not None:
            dialog.restore_button.click()
        window = visible("mainWindow")
        if isinstance(window, MainWindow) and not window.tasks.busy_long and "rows" not in seen:
            seen["rows"] = window.papers.total()
            seen["message"] = window.status.note.text()
            window.close()

    driver(act)
    assert run_gui(["--data-dir", str(data_dir)]) == 0
    assert seen["rows"] == len(PAPERS)
    kept = [
        p for p in data_dir.glob(f"{DB_NAME}.damaged-*") if not p.name.endswith(("-wal", "-shm"))
    ]
    assert [p.read_bytes() for p in kept] == [before]
    assert str(seen["message"]).startswith("Restored the backup of ")
    assert str(kept[0]) in str(seen["message"])


def test_a_library_of_a_newer_version_is_refused_with_a_message(
    qtbot: QtBot, data_dir: Path, driver, restore_style: None
) -> None:
    data_dir.mkdir()
    with sqlite3.connect(data_dir / DB_NAME) as conn:
        conn.execute("PRAGMA user_version = 999")
        conn.execute("CREATE TABLE papers (id TEXT)")
    conn.close()
    seen: list[str] = []

    def close_message() -> None:
        box = next((w for w in QApplication.topLevelWidgets()
                    if isinstance(w, QMessageBox) and w.isVisible()), None)  # fmt: skip
        if box is not None:
            seen.append(box.text())
            box.accept()

    driver(close_message)
    assert run_gui(["--data-dir", str(data_dir)]) == 1
    assert len(seen) == 1 and "newer readerapp" in seen[0]
