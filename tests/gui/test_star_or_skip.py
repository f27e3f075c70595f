"""For you's first examples, by keys: the empty For you offers a round of "star or skip" (Enter),
which puts varied papers one at a time (s stars, Space skips, x is Not for me, Esc ends), and
then lists For you; and ] and [ in For you go from one digest's best paper to the next's."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from readerapp.core.collection import Collection
from readerapp.gui.dialogs.cheat_sheet import CheatSheet
from readerapp.gui.dialogs.star_or_skip import StarOrSkipDialog
from readerapp.gui.models.side_model import DIGEST_PREFIX, FOR_YOU_KEY
from readerapp.gui.views.main_window import MainWindow
from tests.core.test_for_you import PER_TOPIC, TOPIC_WORDS, topic_papers
from tests.gui import test_for_you
from tests.gui.conftest import WindowFactory, activate, titles
from tests.gui.keyboard import choose_in_panel, open_dialog
from tests.gui.test_for_you import for_you_listed, star_graph_papers

three_topics = test_for_you.three_topics  # the fixture: a digest a topic
TOPIC_OF = {title: topic for topic in TOPIC_WORDS for title, _ in topic_papers(topic)}


def open_round_from_for_you(qtbot: QtBot, window: MainWindow) -> StarOrSkipDialog:
    """Choose For you in the side panel, read its offer, and take it with Enter in the list."""
    choose_in_panel(qtbot, window, FOR_YOU_KEY)
    qtbot.waitUntil(lambda: "Star or skip a few papers" in window.empty_list.message())
    qtbot.keyClick(window.tag_panel, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window.paper_view, Qt.Key.Key_Return)
    return open_dialog(qtbot, window, StarOrSkipDialog, "starOrSkip")


def shown(dialog: StarOrSkipDialog) -> tuple[str, str]:
    """The title and the progress ("3 of 10") the dialog shows."""
    return dialog.findChild(QLabel, "starOrSkipTitle").text(), dialog.progress.text()


def starred_titles(collection: Collection) -> set[str]:
    library = collection.library
    return {p.title for p in library.papers(library.filter_ids()) if p.starred}


def test_the_empty_for_you_offers_a_round_of_varied_papers_and_space_skips_them(
    qtbot: QtBot,
    three_topics: Collection,
    open_window: WindowFactory,
) -> None:
    window = open_window(three_topics)
    dialog = open_round_from_for_you(qtbot, window)

    seen = []
    for number in range(1, 11):
        title, progress = shown(dialog)
        assert progress == f"{number} of 10"
        seen.append(title)
        qtbot.keyClick(dialog, Qt.Key.Key_Space)

    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert len(set(seen)) == 10
    assert {TOPIC_OF[title] for title in seen[:3]} == set(TOPIC_WORDS)  # a topic each
    assert starred_titles(three_topics) == set()  # a skip says nothing
    assert three_topics.library.not_for_me_ids() == set()
    activate(qtbot, window)
    qtbot.waitUntil(lambda: "Star or skip a few papers" in window.empty_list.message())
    window.actions["star_or_skip"].trigger()  # a second round puts other papers
    again = open_dialog(qtbot, window, StarOrSkipDialog, "starOrSkip")
    assert shown(again)[1] == "1 of 10"
    assert not {paper.title for paper in again.papers} & set(seen)
    qtbot.keyClick(again, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: "Star or skip: 0 starred, 0 Not for me." in window.status.note.text())


def test_five_stars_in_the_round_fill_for_you_and_ctrl_z_undoes_one(
    qtbot: QtBot,
    three_topics: Collection,
    open_window: WindowFactory,
) -> None:
    window = open_window(three_topics)
    dialog = open_round_from_for_you(qtbot, window)
    assert dialog.goal.text() == "Star 5 more papers to get suggestions"

    starred = []
    for _ in range(5):
        starred.append(shown(dialog)[0])
        qtbot.keyClick(dialog, Qt.Key.Key_S)
    refused = shown(dialog)[0]
    qtbot.keyClick(dialog, Qt.Key.Key_X)
    assert shown(dialog)[1] == "7 of 10"
    assert dialog.goal.text() == "For you has enough to go on: each star sharpens it"
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    qtbot.waitUntil(lambda: not dialog.isVisible())
    qtbot.waitUntil(lambda: len(titles(window)) == 3 * PER_TOPIC - 6)
    assert window.side.entry(window.tag_panel.currentIndex().row()).key == FOR_YOU_KEY
    assert starred_titles(three_topics) == set(starred)
    refused_ids = list(three_topics.library.not_for_me_ids())
    assert [p.title for p in three_topics.library.papers(refused_ids)] == [refused]
    assert not (set(starred) | {refused}) & set(titles(window))
    qtbot.waitUntil(lambda: "Star or skip: 5 starred, 1 Not for me." in window.status.note.text())

    activate(qtbot, window)
    window.paper_view.setFocus()
    qtbot.keyClick(window.paper_view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window.paper_view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: starred_titles(three_topics) == set(starred[:4]))
    qtbot.waitUntil(lambda: "Star or skip a few papers" in window.empty_list.message())


def test_brackets_in_for_you_go_to_each_digests_best_paper(
    qtbot: QtBot,
    three_topics: Collection,
    open_window: WindowFactory,
) -> None:
    star_graph_papers(three_topics, 5)
    window = open_window(three_topics)
    listed = for_you_listed(qtbot, window)
    window.table.select_row(0)
    window.paper_view.setFocus()
    qtbot.waitUntil(window.paper_view.hasFocus)

    def best(topic: str) -> str:  # each topic is one digest: Mar 12 diffusion, 11 speech, 10 graph
        return next(title for title in listed if TOPIC_OF[title] == topic)

    def press(key: Qt.Key, expected: str) -> None:
        qtbot.keyClick(window.paper_view, key)
        qtbot.waitUntil(lambda: titles(window)[window.table.current_row()] == expected)

    assert TOPIC_OF[listed[0]] == "graph"  # the best of all is a graph paper, of the oldest day
    press(Qt.Key.Key_BracketRight, best("diffusion"))
    newest = next(e.label for e in window.side.entries() if e.key.startswith(DIGEST_PREFIX))
    assert window.status.note.text() == f"The best for you in {newest}"
    press(Qt.Key.Key_BracketRight, best("speech"))
    press(Qt.Key.Key_BracketRight, best("graph"))
    assert best("graph") == listed[0]
    qtbot.keyClick(window.paper_view, Qt.Key.Key_BracketRight)
    qtbot.waitUntil(lambda: window.status.note.text() == "No older digest has papers in this list")
    press(Qt.Key.Key_BracketLeft, best("speech"))
    press(Qt.Key.Key_BracketLeft, best("diffusion"))
    assert window.side.entry(window.tag_panel.currentIndex().row()).key == FOR_YOU_KEY


def test_the_cheat_sheet_says_what_the_brackets_and_the_round_do(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.paper_view.setFocus()
    qtbot.keyClick(window.paper_view, Qt.Key.Key_F1)

    sheet = open_dialog(qtbot, window, CheatSheet, "cheatSheet")
    text = " ".join(sheet.text.toPlainText().split())
    assert "In For you: go to the best paper of the next digest" in text
    assert "In For you: go to the best paper of the previous (newer) digest" in text
    assert "Star or skip a few papers" in text
    assert "s stars one, Space skips it, x marks it Not for me, Esc ends the round" in text
    qtbot.keyClick(sheet, Qt.Key.Key_Escape)
