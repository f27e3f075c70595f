"""Import by drop and from the welcome view, with progress and a summary; export to Markdown."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from readerapp.core.collection import Collection
from readerapp.gui.controllers import import_controller
from readerapp.gui.views.main_window import MainWindow
from tests.gui.conftest import PAPERS, WindowFactory, activate, select_title, titles


def drop(window: MainWindow, paths: list[Path]) -> None:
    """Drag ``paths`` over the window and drop them, as a file manager would."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    where = window.rect().center()
    action, buttons = Qt.DropAction.CopyAction, Qt.MouseButton.LeftButton
    keys = Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(where, action, mime, buttons, keys)  # a QPoint in Qt 6
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(window, QDropEvent(QPointF(where), action, mime, buttons, keys))


def test_welcome_view_on_an_empty_library(
    qtbot: QtBot, collection: Collection, open_window: WindowFactory
) -> None:
    window = open_window(collection)
    assert window.pages.currentWidget() is window.welcome
    assert window.welcome.objectName() == "welcomeView"
    with qtbot.waitSignal(window.tasks.long_finished):
        qtbot.mouseClick(window.welcome_sample, Qt.MouseButton.LeftButton)
    assert window.pages.currentWidget() is window.browser_page
    welcome = "Welcome to readerapp: A Keyboard-First Reading List for Daily Paper Digests"
    qtbot.waitUntil(lambda: welcome in titles(window))
    qtbot.waitUntil(lambda: window.imports.summary_dialog is not None)
    assert "papers added" in window.imports.summary_dialog.headline.text()


def test_a_drop_imports_with_progress_and_a_summary(
    qtbot: QtBot, collection: Collection, open_window: WindowFactory, write_digest, tmp_path: Path
) -> None:
    window = open_window(collection)
    good = write_digest("good.txt", "Mar 13", PAPERS)
    bad = tmp_path / "page.html"
    bad.write_text("<!DOCTYPE html><html><body>not a digest</body></html>", encoding="utf-8")
    seen: list[tuple[int, int]] = []
    window.tasks.long_progress.connect(lambda done, total: seen.append((done, total)))
    with qtbot.waitSignal(window.tasks.long_finished):
        drop(window, [good, bad])
        assert window.status.progress.isVisible() and window.status.cancel.isVisible()
        assert window.status.cancel.objectName() == "importCancel"
    assert (2, 2) in seen  # the import reported its progress
    qtbot.waitUntil(lambda: not window.status.progress.isVisible())  # then the index caught up
    summary = window.imports.summary_dialog
    qtbot.waitUntil(summary.isVisible)
    assert summary.headline.text().startswith("Imported 1 digest: 4 papers added, 0 seen again.")
    assert "1 file refused" in summary.headline.text()
    assert f"Refused {bad}:" in summary.details.toPlainText()
    qtbot.waitUntil(lambda: len(titles(window)) == 4)
    window.search_edit.setText("bandit")
    window.searcher.run()
    qtbot.waitUntil(lambda: titles(window) == ["Learning to Rank with Bandits"])  # indexed


def test_files_on_the_command_line_are_imported(
    qtbot: QtBot, collection: Collection, gui_settings, write_digest
) -> None:
    window = MainWindow(collection, gui_settings)
    qtbot.addWidget(window)
    window.show()
    window.start([write_digest("a.txt", "Mar 13", PAPERS)])
    qtbot.waitUntil(lambda: len(titles(window)) == 4)
    qtbot.waitUntil(lambda: not window.tasks.busy_long)
    window.close()


def test_cancel_stops_an_import(
    qtbot: QtBot, collection: Collection, open_window: WindowFactory, write_digest
) -> None:
    window = open_window(collection)
    files = [
        write_digest(f"d{n}.txt", "Mar 13", [(f"Paper {n}", "An abstract.")]) for n in range(40)
    ]
    with qtbot.waitSignal(window.tasks.long_finished):
        window.imports.import_paths(files)
        qtbot.mouseClick(window.status.cancel, Qt.MouseButton.LeftButton)
    summary = window.imports.summary_dialog
    qtbot.waitUntil(summary.isVisible)
    assert "cancelled" in summary.headline.text()
    assert len(titles(window)) < 40


def test_ctrl_e_exports_the_selection_to_markdown(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    select_title(qtbot, window, "Transformers as Graph Networks")
    qtbot.keyClick(window.paper_view, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    dialog = window.exporter.dialog
    qtbot.waitUntil(dialog.isActiveWindow)
    assert dialog.objectName() == "exportDialog"
    assert dialog.radios["results"].text().endswith("(5)")
    dialog.radios["selection"].setChecked(True)
    target = tmp_path / "out" / "list.md"
    target.parent.mkdir()
    dialog.path.setText(str(target))
    dialog.title.setText("Graphs")
    dialog.abstracts.setChecked(False)
    qtbot.keyClick(dialog.path, Qt.Key.Key_Return)
    qtbot.waitUntil(target.exists)
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Graphs\n")
    assert "## Transformers as Graph Networks" in text
    assert "Attention is message passing" not in text
    assert "1 paper." in text
    qtbot.waitUntil(lambda: window.state.export_folder == target.parent)

    activate(qtbot, window)
    qtbot.keyClick(window.paper_view, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    dialog = window.exporter.dialog
    qtbot.waitUntil(dialog.isVisible)
    assert Path(dialog.path.text()).parent == target.parent  # the last folder is remembered
    dialog.reject()


def test_export_refuses_a_missing_folder(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    window.open_export()
    dialog = window.exporter.dialog
    dialog.path.setText(str(tmp_path / "nowhere" / "x.md"))
    dialog.accept()
    assert dialog.isVisible() and "does not exist" in dialog.error.text()
    dialog.reject()


@pytest.mark.parametrize("behind_another_task", [False, True])
def test_a_long_import_lists_its_first_papers_while_it_runs(
    qtbot: QtBot,
    collection: Collection,
    open_window: WindowFactory,
    write_digest,
    monkeypatch: pytest.MonkeyPatch,
    behind_another_task: bool,
) -> None:
    monkeypatch.setattr(import_controller, "RELIST_MS", 10)  # this import takes a moment only
    window = open_window(collection)
    files = [
        write_digest(f"d{n:03}.txt", "Mar 13", [(f"Paper {n}", "An abstract.")]) for n in range(300)
    ]
    listed_meanwhile: list[int] = []

    def listed() -> None:
        if window.tasks.busy_long and window.imports.summary_dialog is None:
            listed_meanwhile.append(window.papers.total())

    window.papers.modelReset.connect(listed)
    release = threading.Event()
    if behind_another_task:  # the import waits its turn, then runs
        window.tasks.run_long("Holding the worker…", lambda *_: release.wait(10))
    window.imports.import_paths(files)
    release.set()
    qtbot.waitUntil(lambda: window.imports.summary_dialog is not None, timeout=60_000)
    assert any(0 < count < 300 for count in listed_meanwhile)
    qtbot.waitUntil(lambda: len(titles(window)) == 300 and not window.tasks.busy_long)
