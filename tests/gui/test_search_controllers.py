"""The search's controllers on their own, without the main window: the search controller, the
empty list, the window title, the index notice, the related papers and the trends, each given a
real task manager over a real collection, a real status area and a real paper table, and nothing
else."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import nullcontext
from dataclasses import dataclass

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QListView,
    QStatusBar,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from readerapp.core.collection import Collection
from readerapp.core.library import Library
from readerapp.gui.controllers.empty_list import EmptyList
from readerapp.gui.controllers.index_notice import REBUILDING, REBUILT, rebuild_index
from readerapp.gui.controllers.navigation import Navigation
from readerapp.gui.controllers.related import RelatedPapers
from readerapp.gui.controllers.search_controller import SearchController
from readerapp.gui.controllers.window_title import WindowTitle
from readerapp.gui.dialogs.trends import Trends
from readerapp.gui.models.paper_model import PaperModel
from readerapp.gui.models.side_model import ALL_KEY, KEY_ROLE, SideModel, side_entries
from readerapp.gui.tasks import TaskManager
from readerapp.gui.views.paper_table import PaperTable
from readerapp.gui.views.preview import SafeBrowser
from readerapp.gui.views.status_area import StatusArea
from tests.gui.conftest import LATER, PAPERS

EVERY_TITLE = sorted({title for title, _ in PAPERS + LATER})  # one paper is in both digests
GRAPH = "Transformers as Graph Networks"
BANDITS = "Learning to Rank with Bandits"


@dataclass
class Parts:
    """The parts the window would give the controllers, in a plain widget."""

    host: QWidget
    tasks: TaskManager
    library: Library
    status: StatusArea
    table: PaperTable
    edit: QLineEdit
    side: SideModel
    panel: QListView
    empty: EmptyList
    searcher: SearchController

    def titles(self) -> list[str]:
        return [paper.title for paper in self.library.papers(self.table.model.ids())]

    def choose(self, key: str) -> None:
        """Make the side panel's entry ``key`` the filter, as the window does."""
        row = self.side.row_of(key)
        assert row is not None
        self.panel.setCurrentIndex(self.side.index(row))
        self.searcher.set_filter(self.side.entry(row).fragment)


@pytest.fixture
def parts(qtbot: QtBot, filled: Collection) -> Iterator[Parts]:
    host = QWidget()
    qtbot.addWidget(host)
    library = Library.in_dir(filled.data_dir)
    tasks = TaskManager(filled, host)
    edit, problem, panel, view = QLineEdit(), QLabel(), QListView(), QTableView()
    bar = QStatusBar()
    layout = QVBoxLayout(host)
    for widget in (edit, problem, panel, view, bar):
        layout.addWidget(widget)
    status = StatusArea(bar)
    table = PaperTable(view, PaperModel(library, host))
    side = SideModel(host)
    side.set_entries(side_entries(library))
    panel.setModel(side)
    empty = EmptyList(view, side, panel, tasks, host)
    searcher = SearchController(
        edit, problem, table, library, tasks, status, nullcontext, empty.take_offer, host
    )
    searcher.results_shown.connect(empty.results_shown)
    empty.suggestion_taken.connect(searcher.choose_suggestion)
    host.show()
    qtbot.waitExposed(host)
    yield Parts(host, tasks, library, status, table, edit, side, panel, empty, searcher)
    tasks.shutdown()
    library.close()


def test_the_first_list_is_the_whole_library_and_a_search_fills_the_table(
    qtbot: QtBot, parts: Parts
) -> None:
    parts.searcher.list_now()
    assert sorted(parts.titles()) == EVERY_TITLE
    assert parts.table.current_row() == 0  # the first paper is current
    with qtbot.waitSignal(parts.searcher.results_shown) as shown:
        parts.searcher.search_for("graph")
    assert shown.args[0].request.text == "graph"
    assert parts.titles() == [GRAPH]
    assert parts.table.current_id() == parts.table.model.id_at(0)
    assert parts.empty.message() == ""


def test_typing_searches_after_a_pause_and_esc_clears_the_box(qtbot: QtBot, parts: Parts) -> None:
    parts.searcher.list_now()
    parts.searcher.focus()
    qtbot.keyClicks(parts.edit, "bandit")
    qtbot.waitUntil(lambda: parts.titles() == [BANDITS])
    qtbot.keyClick(parts.edit, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: sorted(parts.titles()) == EVERY_TITLE)
    assert parts.edit.text() == ""


def test_the_window_title_follows_the_search_and_the_filter(qtbot: QtBot, parts: Parts) -> None:
    WindowTitle(parts.host, parts.searcher.results_shown, parts.edit, parts.panel)
    parts.searcher.search_for("graph")
    qtbot.waitUntil(lambda: parts.host.windowTitle() == "graph — readerapp")
    parts.choose("unread")
    qtbot.waitUntil(lambda: parts.host.windowTitle() == "graph · Unread — readerapp")
    parts.searcher.search_for("")
    qtbot.waitUntil(lambda: parts.host.windowTitle() == "Unread — readerapp")


def test_the_empty_list_offers_the_correction_and_enter_in_the_box_takes_it(
    qtbot: QtBot, parts: Parts
) -> None:
    parts.searcher.focus()
    qtbot.keyClicks(parts.edit, "banditt")
    qtbot.waitUntil(lambda: parts.empty.message().startswith("No papers match banditt."))
    suggestion = parts.status.suggestion()
    assert suggestion in ("bandit", "bandits")
    assert parts.empty.message() == f"No papers match banditt. Did you mean {suggestion}? (Enter)"
    qtbot.keyClick(parts.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: parts.titles() == [BANDITS])
    assert parts.edit.text() == suggestion
    assert parts.empty.message() == ""


def test_the_empty_list_counts_the_words_elsewhere_and_enter_chooses_all_papers(
    qtbot: QtBot, parts: Parts
) -> None:
    parts.choose("starred")  # nothing is starred
    parts.searcher.search_for("diffusion")
    expected = "Nothing in Starred. 1 paper matches in All papers — press Enter to show it"
    qtbot.waitUntil(lambda: parts.empty.message() == expected)
    parts.table.view.setFocus()
    qtbot.keyClick(parts.table.view, Qt.Key.Key_Return)
    assert parts.panel.currentIndex().data(KEY_ROLE) == ALL_KEY


def test_rebuilding_the_index_says_so_and_tells_when_it_is_ready(
    qtbot: QtBot, parts: Parts
) -> None:
    with qtbot.waitCallback() as ready:
        rebuild_index(parts.tasks, parts.status, ready)
        assert parts.status.task.text() == REBUILDING
    assert parts.status.note.text() == REBUILT
    with qtbot.waitSignal(parts.searcher.results_shown):
        parts.searcher.search_for("graph")  # the fresh index answers
    assert parts.titles() == [GRAPH]


def test_more_like_this_searches_like_the_current_paper(qtbot: QtBot, parts: Parts) -> None:
    preview = SafeBrowser()
    navigation = Navigation(parts.side, parts.panel, parts.searcher)
    related = RelatedPapers(
        parts.tasks, parts.status, parts.table, navigation, preview, lambda: None, parts.host
    )
    related.more_like_this()  # nothing listed yet
    assert parts.status.note.text() == "Select a paper first."
    parts.searcher.search_for("graph")
    qtbot.waitUntil(lambda: parts.titles() == [GRAPH])
    graph = parts.table.current_id()
    with qtbot.waitSignal(parts.searcher.results_shown) as shown:
        related.more_like_this()
    assert shown.args[0].request.text == f"like:{graph}"
    assert parts.edit.text() == f"like:{graph}"
    assert parts.status.note.text() == f"Papers like “{GRAPH}”"
    assert parts.panel.currentIndex().data(KEY_ROLE) == ALL_KEY


def test_the_trends_count_the_search_per_digest_and_a_day_lists_its_digest(
    qtbot: QtBot, parts: Parts
) -> None:
    given_back: list[bool] = []
    navigation = Navigation(parts.side, parts.panel, parts.searcher)
    trends = Trends(
        parts.tasks, parts.status, parts.library, navigation,
        lambda: given_back.append(True), parts.host,
    )  # fmt: skip
    parts.searcher.search_for("graph")
    qtbot.waitUntil(lambda: parts.titles() == [GRAPH])
    trends.open()
    dialog = trends.dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: [count for _, count in dialog.chart.points()] == [1, 1])  # both days
    assert dialog.source.currentText() == "Papers matching “graph”"
    first = dialog.chart.points()[0][0]
    assert (first.month, first.day) == (3, 13)
    with qtbot.waitSignal(parts.searcher.results_shown):
        trends.show_day(first)
    assert parts.panel.currentIndex().data(KEY_ROLE) == f"digest:{first.isoformat()}"
    assert parts.edit.text() == "graph"
    assert parts.status.note.text() == f"The papers of 13 Mar {first.year}"
    dialog.reject()
    assert given_back == [True]  # the keys go back to the list
