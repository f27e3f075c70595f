"""For you in the window: the side panel's entry lists the unread papers best first, with the
reason in the preview; x marks a paper "Not for me" and Ctrl+Z undoes it; a star orders the list
again; too few stars say what to do; "Papers like this tag" runs like:tag:NAME."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from readerapp.core.collection import Collection
from readerapp.gui.models.side_model import FOR_YOU_KEY
from readerapp.gui.search import SearchOutcome
from readerapp.gui.views.main_window import MainWindow
from tests.core.test_for_you import PER_TOPIC, TOPIC_WORDS, topic_papers
from tests.gui.conftest import WindowFactory, titles
from tests.gui.keyboard import choose_in_panel


@pytest.fixture
def three_topics(collection: Collection, write_digest) -> Collection:
    digests = [
        write_digest(f"{topic}.txt", f"Mar {10 + n}", topic_papers(topic))
        for n, topic in enumerate(TOPIC_WORDS)
    ]
    collection.import_paths(digests)
    collection.ensure_index()
    return collection


def graph_titles(count: int | None = None) -> list[str]:
    return [title for title, _ in topic_papers("graph")][:count]


def star_graph_papers(collection: Collection, count: int) -> None:
    by_title = {p.title: p.id for p in collection.library.papers(collection.library.filter_ids())}
    starred = [by_title[title] for title in graph_titles(count)]
    collection.library.set_starred(starred, True)
    collection.library.set_read_state(starred, "read")


def for_you_listed(qtbot: QtBot, window: MainWindow) -> list[str]:
    with qtbot.waitSignal(window.searcher.results_shown, check_params_cb=sorted_for_you):
        choose_in_panel(qtbot, window, FOR_YOU_KEY)
    return titles(window)


def sorted_for_you(outcome: SearchOutcome) -> bool:
    return outcome.request.for_you


def test_the_entry_lists_the_unread_papers_best_first_with_a_reason(
    qtbot: QtBot, three_topics: Collection, open_window: WindowFactory
) -> None:
    star_graph_papers(three_topics, 5)
    window = open_window(three_topics)

    listed = for_you_listed(qtbot, window)

    assert window.side.entry(0).label == "For you"
    assert set(listed[: PER_TOPIC - 5]) == set(graph_titles()[5:])
    assert len(listed) == 3 * PER_TOPIC - 5
    window.table.select_row(0)
    qtbot.waitUntil(lambda: "For you: like " in window.preview.toPlainText())
    assert "of your starred papers: " in window.preview.toPlainText()


def test_x_marks_a_paper_not_for_me_and_undo_brings_it_back(
    qtbot: QtBot, three_topics: Collection, open_window: WindowFactory
) -> None:
    star_graph_papers(three_topics, 5)
    window = open_window(three_topics)
    listed = for_you_listed(qtbot, window)
    first = listed[0]
    window.table.select_row(0)
    window.paper_view.setFocus()
    qtbot.waitUntil(window.paper_view.hasFocus)

    qtbot.keyClick(window.paper_view, Qt.Key.Key_X)

    qtbot.waitUntil(lambda: first not in titles(window))
    assert len(titles(window)) == len(listed) - 1
    assert {p.title for p in three_topics.library.papers(
        list(three_topics.library.not_for_me_ids()))} == {first}  # fmt: skip
    qtbot.keyClick(window.paper_view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: titles(window) == listed)
    assert three_topics.library.not_for_me_ids() == set()


def test_a_star_orders_the_list_again(
    qtbot: QtBot, three_topics: Collection, open_window: WindowFactory
) -> None:
    star_graph_papers(three_topics, 5)
    by_title = {p.title: p for p in three_topics.library.papers(three_topics.library.filter_ids())}
    speech = [title for title, _ in topic_papers("speech")]
    three_topics.library.set_starred([by_title[t].id for t in speech[:3]], True)
    window = open_window(three_topics)
    listed = for_you_listed(qtbot, window)
    starred, follower = speech[3], speech[4]
    window.table.select_row(listed.index(starred))
    window.paper_view.setFocus()
    qtbot.waitUntil(window.paper_view.hasFocus)

    qtbot.keyClick(window.paper_view, Qt.Key.Key_S)

    def reordered() -> bool:
        now = titles(window)
        return starred not in now and now.index(follower) < listed.index(follower)

    qtbot.waitUntil(reordered)


def test_too_few_stars_say_what_to_do(
    qtbot: QtBot, three_topics: Collection, open_window: WindowFactory
) -> None:
    star_graph_papers(three_topics, 4)
    window = open_window(three_topics)

    choose_in_panel(qtbot, window, FOR_YOU_KEY)

    message = "Star or tag a few papers to get suggestions"
    qtbot.waitUntil(lambda: window.searcher.problem.text() == message)
    assert window.papers.total() == 0
    assert "No suggestions yet" in window.preview.toPlainText()
    assert "Nothing matches" not in window.preview.toPlainText()


def test_papers_like_this_tag_runs_like_tag(
    qtbot: QtBot, three_topics: Collection, open_window: WindowFactory
) -> None:
    by_title = {
        p.title: p.id for p in three_topics.library.papers(three_topics.library.filter_ids())
    }
    three_topics.library.tags.add([by_title[t] for t in graph_titles(3)], ["Graphs"])
    window = open_window(three_topics)
    choose_in_panel(qtbot, window, "tag:graphs")

    window.actions["like_tag"].trigger()

    qtbot.waitUntil(lambda: window.search_edit.text() == "like:tag:Graphs")
    qtbot.waitUntil(lambda: set(titles(window)[: PER_TOPIC - 3]) == set(graph_titles()[3:]))


def test_view_sort_by_for_you_orders_a_search(
    qtbot: QtBot, three_topics: Collection, open_window: WindowFactory
) -> None:
    star_graph_papers(three_topics, 5)
    window = open_window(three_topics)
    expected = three_topics.search("study", "for-you").ids

    window.searcher.search_for("study")
    window.actions["sort_for_you"].trigger()

    qtbot.waitUntil(lambda: window.papers.ids() == expected)
