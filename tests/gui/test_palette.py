"""The command palette (Ctrl+K): any action, tag, digest or saved search, found by a few of its
letters, with its shortcut; Enter runs it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from readerapp.core.collection import Collection
from readerapp.gui.dialogs.command_palette import (
    HINT_ROLE,
    KIND_ROLE,
    POSITIONS_ROLE,
    CommandPaletteDialog,
    PaletteEntry,
    PaletteModel,
    rank,
)
from readerapp.gui.views.main_window import MainWindow
from tests.gui.conftest import LATER, activate, select_title, titles

GRAPH = "Transformers as Graph Networks"
CTRL = Qt.KeyboardModifier.ControlModifier


def open_palette(qtbot: QtBot, window: MainWindow, where: QWidget) -> CommandPaletteDialog:
    qtbot.keyClick(where, Qt.Key.Key_K, CTRL)
    dialog = window.command_palette.dialog
    qtbot.waitUntil(lambda: dialog is not None and dialog.isVisible())
    assert dialog.objectName() == "commandPalette"
    qtbot.waitUntil(dialog.edit.hasFocus)
    return dialog


def shown(dialog: CommandPaletteDialog) -> list[tuple[str, str, str]]:
    """(name, kind, hint) of each entry listed."""
    model = dialog.model
    return [
        (model.index(r).data(), model.index(r).data(KIND_ROLE), model.index(r).data(HINT_ROLE))
        for r in range(model.rowCount())
    ]


def test_ctrl_k_finds_an_action_by_a_few_letters_and_enter_runs_it(
    qtbot: QtBot, window: MainWindow
) -> None:
    select_title(qtbot, window, GRAPH)
    dialog = open_palette(qtbot, window, window.paper_view)
    assert ("Star", "Paper", "s") in shown(dialog)
    assert ("Keyboard shortcuts", "Help", "F1, ?") in shown(dialog)
    assert not any(name.startswith("Undo") for name, _, _ in shown(dialog))  # nothing to undo
    qtbot.keyClicks(dialog.edit, "exprt")
    assert shown(dialog)[0] == ("Export", "File", "Ctrl+E")
    assert dialog.model.index(0).data(POSITIONS_ROLE) == (0, 1, 2, 4, 5)
    qtbot.keyClick(dialog.edit, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    qtbot.waitUntil(lambda: window.exporter.dialog is not None)
    qtbot.waitUntil(window.exporter.dialog.isVisible)
    window.exporter.dialog.reject()


def test_up_down_choose_and_undo_is_named(qtbot: QtBot, window: MainWindow) -> None:
    pid = select_title(qtbot, window, GRAPH)
    qtbot.keyClick(window.paper_view, "s")
    qtbot.waitUntil(lambda: window.library.get(pid).starred)
    dialog = open_palette(qtbot, window, window.paper_view)
    qtbot.keyClicks(dialog.edit, "undo")
    assert shown(dialog)[0] == ("Undo Star 1 paper", "Edit", "Ctrl+Z")
    qtbot.keyClick(dialog.edit, Qt.Key.Key_A, CTRL)
    qtbot.keyClicks(dialog.edit, "sr")
    names = [name for name, _, _ in shown(dialog)]
    assert names.index("Star") > 0
    for _ in range(names.index("Star")):
        qtbot.keyClick(dialog.edit, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.edit, Qt.Key.Key_Up)
    qtbot.keyClick(dialog.edit, Qt.Key.Key_Down)
    assert dialog.current_entry().name == "Star"
    qtbot.keyClick(dialog.edit, Qt.Key.Key_Enter)
    qtbot.waitUntil(lambda: not window.library.get(pid).starred)


def test_tags_digests_and_saved_searches_by_name(
    qtbot: QtBot, window: MainWindow, filled: Collection
) -> None:
    graph = select_title(qtbot, window, GRAPH)
    filled.library.tags.add([graph], ["survey of graphs"])
    filled.library.saved_searches.save("Flow reading", "flow")
    with qtbot.waitSignal(window.side.refreshed):  # the side panel counts again
        window.papers_changed([graph])
    dialog = open_palette(qtbot, window, window.paper_view)
    qtbot.keyClicks(dialog.edit, "tag surv")
    assert shown(dialog)[0][:2] == ("survey of graphs", "Tags")
    qtbot.keyClick(dialog.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: titles(window) == [GRAPH])
    assert window.status.filter.text() == "Filter: survey of graphs"
    assert window.paper_view.hasFocus()

    dialog = open_palette(qtbot, window, window.paper_view)
    qtbot.keyClicks(dialog.edit, "15 mar")
    assert shown(dialog)[0][1] == "Digests"
    qtbot.keyClick(dialog.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: sorted(titles(window)) == sorted(t for t, _ in LATER))

    dialog = open_palette(qtbot, window, window.paper_view)
    qtbot.keyClicks(dialog.edit, "flow rea")
    assert shown(dialog)[0][:2] == ("Flow reading", "Saved searches")
    qtbot.keyClick(dialog.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: titles(window) == ["Flow Matching for Generative Modeling"])


def test_ctrl_k_from_the_search_box_and_esc_closes(qtbot: QtBot, window: MainWindow) -> None:
    window.searcher.focus()
    qtbot.keyClicks(window.search_edit, "graph")
    dialog = open_palette(qtbot, window, window.search_edit)
    qtbot.keyClicks(dialog.edit, "zzzz")
    assert shown(dialog) == []
    qtbot.keyClick(dialog.edit, Qt.Key.Key_Return)  # nothing to run
    assert dialog.isVisible()
    qtbot.keyClick(dialog.edit, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert window.search_edit.text() == "graph"
    activate(qtbot, window)
    assert open_palette(qtbot, window, window.paper_view).edit.text() == ""  # afresh


def test_ranking_by_name_or_by_kind_and_name() -> None:
    def entry(name: str, kind: str) -> PaletteEntry:
        return PaletteEntry(name, kind, "", lambda: None)

    entries = [entry("Star", "Paper"), entry("survey", "Tags"), entry("Sat 15 Mar", "Digests")]
    assert [e.name for e, _ in rank("tag surv", entries)] == ["survey"]
    assert rank("st", entries)[0][0].name == "Star"
    assert rank("tag surv", entries)[0][1].positions == (0, 1, 2, 3)  # in the name
    assert [e.name for e, _ in rank("", entries)] == ["Star", "survey", "Sat 15 Mar"]


def test_the_palette_model_passes_the_model_tester(qtmodeltester) -> None:
    model = PaletteModel()
    entries = [PaletteEntry("Export", "File", "Ctrl+E", lambda: None)]
    model.set_found(rank("ex", entries))
    qtmodeltester.check(model)
    assert model.index(0).data(Qt.ItemDataRole.AccessibleTextRole) == "Export, File, Ctrl+E"
