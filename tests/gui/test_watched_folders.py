"""Watched folders: Ctrl+, names them; digests saved there are imported by themselves, once,
with a line in the status bar, at start and while the window runs."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from readerapp.core.collection import Collection
from readerapp.core.watch import set_watched_folders, watched_folders
from readerapp.gui.dialogs.preferences import PreferencesDialog
from readerapp.gui.views.main_window import MainWindow
from tests.gui.conftest import PAPERS, WindowFactory, select_title, titles
from tests.gui.keyboard import open_dialog
from tests.gui.test_window import unnamed_controls

ARRIVING = [("Consistency Models", "One-step generation by consistency distillation.")]
LATER = [("Rectified Flow", "Straight paths between noise and data.")]


def test_ctrl_comma_watches_a_folder_and_its_digests_arrive(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, write_digest
) -> None:
    folder = write_digest("mar16.txt", "Mar 16", ARRIVING).parent  # already there: imported
    (folder / "todo.txt").write_text("not a digest\n", encoding="utf-8")  # passed over quietly
    window.folders.settle.setInterval(0)
    select_title(qtbot, window, "Transformers as Graph Networks")
    qtbot.keyClick(window.paper_view, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    dialog = open_dialog(qtbot, window, PreferencesDialog, "preferencesDialog")
    assert unnamed_controls(dialog) == []
    qtbot.keyClicks(dialog.editor, str(tmp_path / "nowhere"))
    qtbot.keyClick(dialog.editor, Qt.Key.Key_Return)
    assert dialog.problem.text() == f"There is no folder {tmp_path / 'nowhere'}."
    dialog.editor.clear()
    qtbot.keyClicks(dialog.editor, str(folder))
    qtbot.keyClick(dialog.editor, Qt.Key.Key_Return)  # adds the folder, the dialog stays
    assert dialog.folders() == [folder] and dialog.isVisible()
    qtbot.keyClick(dialog.editor, Qt.Key.Key_Return)  # the field is empty: OK
    qtbot.waitUntil(lambda: "Consistency Models" in titles(window))
    assert window.status.note.text().startswith("From a watched folder: Imported 1 digest")
    assert window.imports.summary_dialog is None  # no dialog for what came by itself
    assert watched_folders(window.library) == [folder]

    write_digest("mar17.txt", "Mar 17", LATER)  # saved while the window runs
    qtbot.waitUntil(lambda: "Rectified Flow" in titles(window))


def test_a_changed_digest_adds_only_its_new_papers(
    qtbot: QtBot, filled: Collection, open_window: WindowFactory, write_digest
) -> None:
    path = write_digest("mar13.txt", "Mar 13", PAPERS)  # the same content as a.txt
    set_watched_folders(filled.library, [path.parent])
    window = open_window(filled)  # checked at start: nothing new
    window.folders.settle.setInterval(0)
    qtbot.waitUntil(lambda: window.library.settings.get("watch.seen") is not None)
    assert window.library.count() == 5
    pid = select_title(qtbot, window, PAPERS[0][0])
    qtbot.keyClick(window.paper_view, "s")
    qtbot.waitUntil(lambda: window.library.get(pid).starred)

    write_digest("mar13.txt", "Mar 13", [*PAPERS, *LATER])  # the file is saved again, longer
    qtbot.waitUntil(lambda: window.library.count() == 6)
    qtbot.waitUntil(lambda: "1 paper added, 4 seen again" in window.status.note.text())
    assert window.library.get(pid).starred  # the user's state is untouched
