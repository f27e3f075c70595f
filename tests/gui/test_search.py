"""Search as you type, the side panel's filters, sorting and "did you mean"."""

from __future__ import annotations

import threading

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextDocument
from pytestqt.qtbot import QtBot

from readerapp.core.library import Library
from readerapp.gui.models.paper_model import COL_STAR, COL_TITLE
from readerapp.gui.views.main_window import MainWindow
from tests.gui.conftest import select_title, titles


def highlighted_words(document: QTextDocument) -> set[str]:
    """The words of ``document`` drawn on a background (the search highlights)."""
    found = set()
    block = document.begin()
    while block.isValid():
        fragments = block.begin()
        while not fragments.atEnd():
            fragment = fragments.fragment()
            if fragment.charFormat().background().style() != Qt.BrushStyle.NoBrush:
                found.add(fragment.text())
            fragments += 1
        block = block.next()
    return found


def test_empty_query_lists_newest_first(window: MainWindow) -> None:
    shown = titles(window)
    assert len(shown) == 5
    assert shown[0] == "Flow Matching for Generative Modeling"  # only in the Mar 15 digest
    assert window.status.count.text() == "5 of 5 papers"


def test_typing_a_query_changes_the_rows(qtbot: QtBot, window: MainWindow) -> None:
    window.searcher.focus()
    qtbot.keyClicks(window.search_edit, "graph")
    qtbot.waitUntil(lambda: titles(window) == ["Transformers as Graph Networks"])
    assert window.status.count.text() == "1 of 5 papers"
    assert "Transformers as Graph Networks" in window.preview.toPlainText()
    qtbot.keyClick(window.search_edit, Qt.Key.Key_Escape)  # Esc clears the search
    qtbot.waitUntil(lambda: len(titles(window)) == 5)
    assert window.search_edit.text() == ""


def test_search_highlights_terms_in_the_preview(qtbot: QtBot, window: MainWindow) -> None:
    window.searcher.focus()
    qtbot.keyClicks(window.search_edit, "rankings ")
    qtbot.waitUntil(lambda: titles(window) == ["Learning to Rank with Bandits"])
    assert highlighted_words(window.preview.document()) == {"Rank", "rankings"}  # stems


def test_selection_stays_on_the_same_paper(qtbot: QtBot, window: MainWindow) -> None:
    chosen = select_title(qtbot, window, "Transformers as Graph Networks")
    window.searcher.focus()
    qtbot.keyClicks(window.search_edit, "attention OR flow")
    qtbot.waitUntil(lambda: len(titles(window)) == 2)
    assert window.table.current_id() == chosen
    assert window.table.selected_ids() == [chosen]
    assert "Transformers as Graph Networks" in window.preview.toPlainText()


def test_a_newer_query_supersedes_an_older_one(qtbot: QtBot, window: MainWindow) -> None:
    window.search_edit.setText("graph")
    window.searcher.run()
    window.search_edit.setText("bandit")
    window.searcher.run()
    qtbot.waitUntil(lambda: titles(window) == ["Learning to Rank with Bandits"])
    with qtbot.waitCallback() as worker_idle:  # every answer before this one has arrived
        window.tasks.run(lambda _collection: None, worker_idle)
    assert titles(window) == ["Learning to Rank with Bandits"]


def test_down_and_enter_in_the_search_box_go_to_the_first_result(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.searcher.focus()
    qtbot.keyClicks(window.search_edit, "transformers")
    qtbot.keyClick(window.search_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: titles(window) == ["Transformers as Graph Networks"])
    assert window.paper_view.hasFocus()
    assert window.table.current_row() == 0
    window.searcher.focus()
    qtbot.keyClick(window.search_edit, Qt.Key.Key_Down)
    assert window.paper_view.hasFocus()


def test_side_panel_filters_combine_with_the_search(qtbot: QtBot, window: MainWindow) -> None:
    entries = [window.side.entry(row) for row in range(window.side.rowCount())]
    labels = [e.label for e in entries]
    for label in ("All papers", "Starred", "Unread", "Reading", "Read", "Has code", "Has note"):
        assert label in labels
    assert [e.count for e in entries if e.key.startswith("digest:")] == [2, 4]  # newest first
    code = window.side.row_of("code")
    window.tag_panel.setCurrentIndex(window.side.index(code))
    qtbot.waitUntil(lambda: titles(window) == ["Diffusion Models Beat GANs on Image Synthesis"])
    assert window.status.filter.text() == "Filter: Has code"
    window.search_edit.setText("graph")
    window.searcher.run()
    qtbot.waitUntil(lambda: titles(window) == [])
    assert "No papers" in window.preview.toPlainText()


def test_digest_entry_lists_that_digest(qtbot: QtBot, window: MainWindow) -> None:
    digests = [window.side.entry(r) for r in range(window.side.rowCount())]
    later = next(e for e in digests if e.key.startswith("digest:") and e.count == 2)
    window.tag_panel.setCurrentIndex(window.side.index(window.side.row_of(later.key)))
    qtbot.waitUntil(lambda: len(titles(window)) == 2)
    assert set(titles(window)) == {"Flow Matching for Generative Modeling",
                                   "Transformers as Graph Networks"}  # fmt: skip


def test_a_filter_lists_at_once_while_a_long_task_holds_the_worker(
    qtbot: QtBot, window: MainWindow
) -> None:
    release = threading.Event()
    window.tasks.run_long("Holding the worker…", lambda *_: release.wait(10))
    try:
        window.tag_panel.setCurrentIndex(window.side.index(window.side.row_of("code")))
        qtbot.waitUntil(lambda: titles(window) == ["Diffusion Models Beat GANs on Image Synthesis"])
        assert window.tasks.busy_long  # answered from the library on the reader thread
    finally:
        release.set()
    qtbot.waitUntil(lambda: not window.tasks.busy_long)


def test_a_change_made_while_a_list_was_read_shows_in_it(qtbot: QtBot, window: MainWindow) -> None:
    """The records read with the results on another thread are not shown when the list heard
    of a change to them in between: they are read again."""
    release = threading.Event()
    window.tasks.run_long("Holding the worker…", lambda *_: release.wait(10))
    outside = Library.in_dir(window.library.path.parent)
    try:
        window.table.select_row(window.papers.total() - 1)  # the preview does not read it
        first = window.papers.id_at(0)
        read = threading.Event()
        with qtbot.waitSignal(window.searcher.results_shown):
            window.searcher.run()  # no words: read from the library on the reader thread
            window.tasks.read(lambda _library: read.set(), lambda _none: None)
            assert read.wait(10)  # read, not yet shown: this thread has not turned its loop
            outside.set_starred([first], True)
            window.papers_changed([first])
        assert window.papers.index(0, COL_STAR).data() == "★"
    finally:
        release.set()
        outside.close()
    qtbot.waitUntil(lambda: not window.tasks.busy_long)


def test_header_click_sorts(qtbot: QtBot, window: MainWindow) -> None:
    header = window.paper_view.horizontalHeader()
    title = QPoint(header.sectionViewportPosition(COL_TITLE) + 5, 5)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=title)
    a_to_z = sorted(titles(window), key=str.casefold)
    qtbot.waitUntil(lambda: titles(window) == a_to_z)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=title)
    qtbot.waitUntil(lambda: titles(window) == a_to_z[::-1])
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=title)  # no sort again
    qtbot.waitUntil(lambda: titles(window)[0] == "Flow Matching for Generative Modeling")


def test_did_you_mean_offers_a_correction(qtbot: QtBot, window: MainWindow) -> None:
    window.search_edit.setText("banditt ")
    window.searcher.run()
    qtbot.waitUntil(lambda: window.status.did_you_mean.isVisible())
    assert "bandit" in window.status.did_you_mean.text()
    window.status.did_you_mean.linkActivated.emit("suggestion")
    qtbot.waitUntil(lambda: titles(window) == ["Learning to Rank with Bandits"])
    assert not window.status.did_you_mean.isVisible()


def test_enter_takes_the_correction_when_nothing_was_found(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.searcher.focus()
    qtbot.keyClicks(window.search_edit, "banditt ")
    qtbot.waitUntil(lambda: window.status.suggestion() in ("bandit", "bandits"))
    suggestion = window.status.suggestion()
    qtbot.keyClick(window.search_edit, Qt.Key.Key_Return)
    assert window.search_edit.text() == suggestion
    qtbot.waitUntil(lambda: titles(window) == ["Learning to Rank with Bandits"])


def test_new_results_draw_the_preview_once(qtbot: QtBot, window: MainWindow) -> None:
    first = window.table.current_id()
    qtbot.waitUntil(lambda: window.related.found(first) is not None)  # the preview is whole
    drawn: list[str] = []
    window.preview.textChanged.connect(lambda: drawn.append(window.preview.toPlainText()))
    with qtbot.waitSignal(window.searcher.results_shown):
        window.searcher.search_for("graph")
    assert len(drawn) == 1 and drawn[0].startswith("Transformers as Graph Networks")


def test_the_same_results_again_leave_the_list_and_the_preview_as_they_were(
    qtbot: QtBot, window: MainWindow
) -> None:
    chosen = select_title(qtbot, window, "Transformers as Graph Networks")
    qtbot.waitUntil(lambda: window.related.found(chosen) is not None)  # the preview is whole
    resets: list[bool] = []
    drawn: list[bool] = []
    window.papers.modelReset.connect(lambda: resets.append(True))
    window.preview.textChanged.connect(lambda: drawn.append(True))
    with qtbot.waitSignal(window.searcher.results_shown):
        window.searcher.run()  # as after the index changed: the same papers are found
    assert resets == [] and drawn == []
    assert window.table.current_id() == chosen
