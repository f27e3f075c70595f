"""The window's controllers on their own: each built from the parts it is given (a real task
manager over a real collection, a status area on a status bar, a paper table, a side panel), with
no main window around it, and judged by what the user would see: the status bar's words, the
side panel, the papers' state in the library, the dialogs that open."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, QSettings
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QLineEdit,
    QListView,
    QMessageBox,
    QStatusBar,
    QTableView,
    QWidget,
)
from pytestqt.qtbot import QtBot

from readerapp.core.collection import Collection
from readerapp.core.library import Library
from readerapp.core.models import ReadState
from readerapp.core.watch import watched_folders
from readerapp.gui.controllers.exporter import Exporter
from readerapp.gui.controllers.folder_watcher import FolderWatcher
from readerapp.gui.controllers.library_watch import CHANGED_MESSAGE, LibraryWatch
from readerapp.gui.controllers.paper_commands import READING_NOTE, PaperCommands
from readerapp.gui.controllers.saved_searches import SavedSearchController
from readerapp.gui.controllers.tag_vocabulary import TagVocabulary
from readerapp.gui.controllers.triage import TriageController
from readerapp.gui.controllers.undo import UndoController, tags_command
from readerapp.gui.models.paper_model import PaperModel
from readerapp.gui.models.side_model import (
    DIGEST_PREFIX,
    SAVED_PREFIX,
    TAG_PREFIX,
    SideModel,
    side_entries,
)
from readerapp.gui.settings import GuiState
from readerapp.gui.tasks import TaskManager
from readerapp.gui.views.paper_table import PaperTable
from readerapp.gui.views.status_area import StatusArea

DIFFUSION = "Diffusion Models Beat GANs on Image Synthesis"
GRAPH = "Transformers as Graph Networks"  # in both digests, Mar 13 and Mar 15
BANDITS = "Learning to Rank with Bandits"
CONSISTENCY = ("Consistency Models", "One step generation distilled from diffusion.")


@dataclass
class Parts:
    """What the window would hand its controllers, made without the window."""

    collection: Collection
    parent: QWidget
    tasks: TaskManager
    status: StatusArea
    library: Library
    table: PaperTable
    side: SideModel
    panel: QListView
    undo: UndoController
    state: GuiState
    opened: list[QDialog] = field(default_factory=list)

    def open_dialog(self, dialog: QDialog) -> None:
        self.opened.append(dialog)
        dialog.open()

    def message(self) -> str:
        return self.status.note.text()

    def id_of(self, title: str) -> str:
        papers = self.library.papers(self.library.filter_ids())
        return next(paper.id for paper in papers if paper.title == title)

    def select(self, *titles: str) -> list[str]:
        """Select the papers titled ``titles`` in the paper list; their ids."""
        ids = [self.id_of(title) for title in titles]
        model, selection = self.table.model, self.table.view.selectionModel()
        self.table.select_row(model.row_of(ids[0]))
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for pid in ids[1:]:
            selection.select(model.index(model.row_of(pid), 0), flags)
        return ids

    def count_side_panel(self) -> None:
        self.side.set_entries(side_entries(self.library))

    def choose(self, key: str) -> None:
        self.panel.setCurrentIndex(self.side.index(self.side.row_of(key)))

    def tag(self, qtbot: QtBot, title: str, tag: str) -> None:
        with qtbot.waitSignal(self.undo.papers_changed):
            self.undo.push(tags_command([self.id_of(title)], [tag], []))


@pytest.fixture
def parts(qtbot: QtBot, filled: Collection, gui_settings: QSettings) -> Iterator[Parts]:
    parent = QWidget()  # stands in for the window: dialogs and menus open over it
    qtbot.addWidget(parent)
    parent.show()
    qtbot.waitExposed(parent)
    library = Library.in_dir(filled.data_dir)
    tasks = TaskManager(filled, parent)
    model = PaperModel(library, parent)
    model.set_ids(library.filter_ids())
    side = SideModel(parent)
    panel = QListView(parent)
    panel.setModel(side)
    yield Parts(
        filled, parent, tasks, StatusArea(QStatusBar(parent)), library,
        PaperTable(QTableView(parent), model), side, panel, UndoController(tasks, parent),
        GuiState(gui_settings, filled.data_dir),
    )  # fmt: skip
    tasks.shutdown()
    library.close()


def commands(parts: Parts, *, reading: bool = False) -> PaperCommands:
    return PaperCommands(
        parts.tasks, parts.status, parts.library, parts.table, parts.undo, parts.state,
        parts.open_dialog, lambda: reading, parts.parent,
    )  # fmt: skip


def vocabulary(parts: Parts) -> TagVocabulary:
    return TagVocabulary(
        parts.tasks, parts.status, parts.library, parts.side, parts.panel, parts.undo,
        parts.state, parts.open_dialog, parts.parent,
    )  # fmt: skip


def starred(parts: Parts, ids: list[str]) -> list[bool]:
    return [paper.starred for paper in parts.library.papers(ids)]


def tags_of(parts: Parts, *titles: str) -> list[list[str]]:
    return [parts.library.papers([parts.id_of(title)])[0].tags for title in titles]


def side_labels(parts: Parts, prefix: str) -> list[tuple[str, int | None]]:
    entries = side_entries(parts.library)
    return [(entry.label, entry.count) for entry in entries if entry.key.startswith(prefix)]


# --- the Paper menu and undo ---------------------------------------------------------------


def test_star_on_a_mixed_selection_stars_both_and_undo_puts_back_each(
    qtbot: QtBot, parts: Parts
) -> None:
    undo_action, redo_action = QAction(parts.parent), QAction(parts.parent)
    parts.undo.attach(undo_action, redo_action)
    one, two = parts.select(DIFFUSION, BANDITS)
    parts.collection.library.set_starred([one], True)  # starred before, by hand
    with qtbot.waitSignal(parts.undo.papers_changed) as done:
        commands(parts).toggle_star()
    assert sorted(done.args[0]) == sorted([one, two])
    assert done.args[1] == "Starred 2 papers"
    assert starred(parts, [one, two]) == [True, True]
    assert (undo_action.text(), undo_action.isEnabled()) == ("&Undo Star 2 papers", True)
    with qtbot.waitSignal(parts.undo.papers_changed) as undone:
        parts.undo.undo()
    assert undone.args[1] == "Undone: Star 2 papers"
    assert starred(parts, [one, two]) == [True, False]  # each as it was
    assert redo_action.text() == "&Redo Star 2 papers"
    with qtbot.waitSignal(parts.undo.papers_changed):
        parts.undo.redo()
    assert starred(parts, [one, two]) == [True, True]


def test_a_paper_shown_a_while_is_marked_reading_only_while_the_user_reads(
    qtbot: QtBot, parts: Parts
) -> None:
    parts.state.auto_mark_reading = True
    (pid,) = parts.select(BANDITS)
    away = commands(parts, reading=False)
    away.reading_timer.setInterval(1)
    with qtbot.waitSignal(away.reading_timer.timeout):
        away.paper_shown(pid)
    with qtbot.waitCallback() as flushed:  # a write it started would run before this
        parts.tasks.run(lambda _collection: None, flushed)
    assert parts.library.papers([pid])[0].read_state == ReadState.UNREAD
    reader = commands(parts, reading=True)
    reader.reading_timer.setInterval(1)
    with qtbot.waitSignal(reader.papers_changed) as marked:
        reader.paper_shown(pid)
    assert marked.args == [[pid], READING_NOTE]
    assert parts.library.papers([pid])[0].read_state == ReadState.READING


def test_copy_as_markdown_copies_the_selection_or_says_what_to_do(
    qtbot: QtBot, parts: Parts
) -> None:
    exporter = Exporter(
        parts.tasks, parts.status, parts.library, parts.table, parts.state, parts.open_dialog,
        parts.parent,
    )  # fmt: skip
    exporter.copy_markdown()
    assert parts.message() == "Select the papers to copy."
    parts.select(DIFFUSION, GRAPH)
    exporter.copy_markdown()
    qtbot.waitUntil(lambda: parts.message() == "Copied 2 papers as Markdown")
    text = QGuiApplication.clipboard().text()
    assert DIFFUSION in text and GRAPH in text and BANDITS not in text


# --- tags as a vocabulary, saved searches ------------------------------------------------


def test_renaming_a_tag_onto_another_merges_them_and_undo_separates_them(
    qtbot: QtBot, parts: Parts
) -> None:
    parts.tag(qtbot, DIFFUSION, "graphs")
    parts.tag(qtbot, GRAPH, "GNN")
    parts.count_side_panel()
    parts.state.last_filter = f"{TAG_PREFIX}graphs"
    parts.choose(f"{TAG_PREFIX}graphs")
    tags = vocabulary(parts)
    tags.rename()
    (dialog,) = parts.opened
    assert dialog.objectName() == "renameTagDialog"
    dialog.editor.setText("gnn")
    assert dialog.note.text() == (
        "“GNN” is a tag already (1 paper): the two merge into one tag on 2 papers."
    )
    with qtbot.waitSignal(parts.undo.papers_changed) as renamed:
        dialog.ok.click()
    assert renamed.args[1] == "Renamed the tag “graphs” to “gnn”"
    assert tags_of(parts, DIFFUSION, GRAPH) == [["gnn"], ["gnn"]]  # the spelling typed wins
    assert side_labels(parts, TAG_PREFIX) == [("gnn", 2)]
    assert parts.state.last_filter == f"{TAG_PREFIX}gnn"  # still the filter chosen
    with qtbot.waitSignal(parts.undo.papers_changed):
        parts.undo.undo()
    assert tags_of(parts, DIFFUSION, GRAPH) == [["graphs"], ["GNN"]]


def test_a_search_saved_shows_in_the_side_panel_and_delete_takes_it_away(
    qtbot: QtBot, parts: Parts
) -> None:
    typed = QLineEdit("diffusion", parts.parent)
    query = {"now": ""}
    saved = SavedSearchController(
        parts.tasks, parts.status, parts.library, parts.side, parts.panel, typed,
        lambda: query["now"], parts.open_dialog, parts.parent,
    )  # fmt: skip
    saved.save_current()
    assert parts.message() == "Type a search or choose a filter first: then Ctrl+S."
    assert parts.opened == []
    query["now"] = "diffusion"
    saved.save_current()
    (dialog,) = parts.opened
    assert (dialog.objectName(), dialog.name()) == ("saveSearchDialog", "diffusion")
    with qtbot.waitSignal(saved.papers_changed) as done:
        dialog.ok.click()
    assert done.args == [[], "Saved the search “diffusion”: it is in the side panel."]
    assert side_labels(parts, SAVED_PREFIX) == [("diffusion", None)]

    parts.count_side_panel()
    parts.choose(f"{SAVED_PREFIX}diffusion")
    tags = vocabulary(parts)
    tags.delete()
    box = parts.opened[-1]
    assert isinstance(box, QMessageBox)
    assert box.text() == "Delete the saved search “diffusion”?"
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert side_labels(parts, SAVED_PREFIX) == [("diffusion", None)]
    tags.delete()
    box = parts.opened[-1]
    assert isinstance(box, QMessageBox)
    with qtbot.waitSignal(tags.papers_changed) as deleted:
        box.defaultButton().click()  # &Delete
    assert deleted.args == [[], "Deleted the saved search “diffusion”"]
    assert side_labels(parts, SAVED_PREFIX) == []


def test_the_vocabulary_asks_for_a_tag_when_none_is_chosen(parts: Parts) -> None:
    parts.count_side_panel()
    tags = vocabulary(parts)
    tags.rename()
    assert parts.message() == "Choose a tag in the side panel first (Ctrl+1 goes there)."
    tags.delete()
    assert parts.message() == "Choose a tag or a saved search in the side panel first."
    assert parts.opened == []


# --- triage, and changes made outside ------------------------------------------------------


def test_next_digest_walks_the_digests_left_to_triage_newest_first(
    qtbot: QtBot, parts: Parts
) -> None:
    triage = TriageController(parts.tasks, parts.status, parts.side, parts.panel, parts.parent)
    with qtbot.waitSignal(triage.library_changed):
        triage.start_session()
    parts.count_side_panel()
    digests = [e for e in parts.side.entries() if e.key.startswith(DIGEST_PREFIX)]
    march_15, march_13 = digests  # newest first: Mar 15 has 2 papers, Mar 13 has 4
    triage.next_digest()
    assert parts.panel.currentIndex().row() == parts.side.row_of(march_15.key)
    assert parts.message() == f"{march_15.label}: 0 of 2 triaged"
    triage.next_digest()
    assert parts.message() == f"{march_13.label}: 0 of 4 triaged"
    triage.next_digest()
    assert parts.message() == "No older digest has papers left to triage."
    triage.previous_digest()
    assert parts.message() == f"{march_15.label}: 0 of 2 triaged"

    every = parts.library.filter_ids()
    parts.collection.library.set_read_state(every, ReadState.READ)
    parts.count_side_panel()
    triage.next_digest()
    assert parts.message() == "Every digest is triaged."


def test_a_change_made_by_another_connection_is_taken_in_and_told(
    qtbot: QtBot, parts: Parts, data_dir: Path
) -> None:
    watch = LibraryWatch(parts.tasks, parts.status, parts.library, parts.parent)
    watch.start()
    pid = parts.id_of(BANDITS)
    outside = Library.in_dir(data_dir)
    try:
        outside.set_starred([pid], True)
    finally:
        outside.close()
    with qtbot.waitSignal(watch.library_changed):
        watch.poll()
    assert parts.message() == CHANGED_MESSAGE
    watch.stop()


def test_a_digest_saved_into_a_watched_folder_is_imported_and_told(
    qtbot: QtBot, parts: Parts, write_digest
) -> None:
    folder = write_digest("c.txt", "Mar 16", [CONSISTENCY]).parent
    folders = FolderWatcher(
        parts.tasks, parts.status, parts.library, parts.open_dialog, parts.parent
    )
    with qtbot.waitSignal(folders.library_changed):
        folders.set_folders([folder])
        assert parts.message() == "Watching 1 folder for digests"
    assert parts.message().startswith("From a watched folder: Imported 1 digest")
    assert CONSISTENCY[0] in [p.title for p in parts.library.papers(parts.library.filter_ids())]
    assert watched_folders(parts.library) == [folder]
