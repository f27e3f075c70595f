"""The small line under the search box: a broken query is searched anyway and the line says how;
a filter that cannot mean anything is named there and the list shows nothing."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from readerapp.gui.views.main_window import MainWindow
from tests.gui.conftest import select_title, titles


def problem_line(window: MainWindow) -> QLabel:
    return window.findChild(QLabel, "queryProblem")


def type_query(qtbot: QtBot, window: MainWindow, text: str) -> None:
    window.searcher.focus()  # selects what the box holds: typing replaces it
    qtbot.keyClicks(window.search_edit, text)


def test_a_broken_query_is_searched_and_the_line_says_so(qtbot: QtBot, window: MainWindow) -> None:
    line = problem_line(window)
    assert not line.isVisible()
    type_query(qtbot, window, '"diffusion models')
    qtbot.waitUntil(lambda: line.isVisible())
    assert line.text() == "Unbalanced quote: searched without quotes"
    qtbot.waitUntil(lambda: titles(window) == ["Diffusion Models Beat GANs on Image Synthesis"])


def test_an_impossible_filter_is_named_and_nothing_is_listed(
    qtbot: QtBot, window: MainWindow
) -> None:
    line = problem_line(window)
    type_query(qtbot, window, "graph OR date:2026-13")
    message = "date:2026-13 is not a date: use 2026-03, 2026-03-13 or 2026-01..2026-03"
    qtbot.waitUntil(lambda: line.text() == message)  # "date:2026-1" on the way is a date
    assert line.isVisible() and titles(window) == []
    qtbot.keyClick(window.search_edit, Qt.Key.Key_Escape)  # Esc clears the search
    qtbot.waitUntil(lambda: len(titles(window)) == 5)
    assert not line.isVisible()


def test_filters_combine_with_words_in_the_window(qtbot: QtBot, window: MainWindow) -> None:
    type_query(qtbot, window, "graph OR has:code")
    qtbot.waitUntil(
        lambda: (
            sorted(titles(window))
            == ["Diffusion Models Beat GANs on Image Synthesis", "Transformers as Graph Networks"]
        )
    )
    assert not problem_line(window).isVisible()


def searched(qtbot: QtBot, window: MainWindow, text: str) -> None:
    """Type ``text`` and wait for the list of what it finds (not of a part typed on the way)."""
    with qtbot.waitSignal(
        window.searcher.results_shown, check_params_cb=lambda shown: shown.request.text == text
    ):
        type_query(qtbot, window, text)


def test_the_filters_of_a_broken_query_stay_filters(qtbot: QtBot, window: MainWindow) -> None:
    graph = "Transformers as Graph Networks"
    pid = select_title(qtbot, window, graph)
    qtbot.keyClick(window.paper_view, "s")
    qtbot.waitUntil(lambda: window.library.get(pid).starred)
    line = problem_line(window)
    searched(qtbot, window, "(is:starred")
    assert line.text() == "Unbalanced parenthesis: searched without parentheses"
    assert titles(window) == [graph]
    searched(qtbot, window, '"graph is:starred')
    assert line.text() == "Unbalanced quote: searched without quotes"
    assert titles(window) == [graph]


def test_operators_with_nothing_to_act_on_are_left_out(qtbot: QtBot, window: MainWindow) -> None:
    searched(qtbot, window, "NOT NOT graph")
    assert titles(window) == ["Transformers as Graph Networks"]
    searched(qtbot, window, "AND OR")
    assert len(titles(window)) == 5  # the whole library
    assert not problem_line(window).isVisible()
