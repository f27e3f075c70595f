"""Tags as a vocabulary from the side panel: F2 renames or merges, Delete deletes, c colours,
the context menu offers the same; keys 1-9 toggle the most used tags on the selection."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QContextMenuEvent
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox
from pytestqt.qtbot import QtBot

from readerapp.core.collection import Collection
from readerapp.gui.dialogs.name_dialog import NameDialog
from readerapp.gui.models.paper_model import COL_TAGS
from readerapp.gui.tag_colours import tint
from readerapp.gui.views.main_window import MainWindow
from tests.gui.conftest import WindowFactory, cell_pixels, select_title, titles
from tests.gui.keyboard import choose_in_panel, open_dialog

GRAPH = "Transformers as Graph Networks"
DIFFUSION = "Diffusion Models Beat GANs on Image Synthesis"
RANK = "Learning to Rank with Bandits"


def ids_of(collection: Collection, *titles: str) -> list[str]:
    by_title = {p.title: p.id for p in collection.library.papers(collection.library.filter_ids())}
    return [by_title[title] for title in titles]


def tags_of(window: MainWindow, title: str) -> list[str]:
    return next(p.tags for p in window.library.papers(window.library.filter_ids())
                if p.title == title)  # fmt: skip


@pytest.fixture
def window(filled: Collection, open_window: WindowFactory) -> MainWindow:
    """The window on ``filled`` with tags: ml on 2 papers, learning on 2, later on 1."""
    graph, diffusion, rank = ids_of(filled, GRAPH, DIFFUSION, RANK)
    filled.library.tags.add([graph, diffusion], ["ml"])
    filled.library.tags.add([diffusion, rank], ["learning"])
    filled.library.tags.add([rank], ["later"])
    return open_window(filled)


def test_f2_renames_and_merges_a_tag(qtbot: QtBot, window: MainWindow) -> None:
    choose_in_panel(qtbot, window, "tag:ml")
    qtbot.keyClick(window.tag_panel, Qt.Key.Key_F2)
    dialog = open_dialog(qtbot, window, NameDialog, "renameTagDialog")
    assert dialog.editor.text() == "ml" and dialog.intro.text() == "Rename the tag “ml” on 2 papers"
    qtbot.keyClicks(dialog.editor, "Learning")  # replaces the selected name
    assert "merge" in dialog.note.text() and "3 papers" in dialog.note.text()
    qtbot.keyClick(dialog.editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.side.row_of("tag:ml") is None)
    assert window.library.tags.counts() == [("later", 1), ("Learning", 3)]
    assert tags_of(window, GRAPH) == ["Learning"]
    qtbot.waitUntil(lambda: window.side.entry(window.side.row_of("tag:learning")).count == 3)
    assert window.status.note.text() == "Renamed the tag “ml” to “Learning”"
    assert window.status.filter.text() == "Filter: Learning"  # the renamed tag stays chosen
    qtbot.waitUntil(lambda: sorted(titles(window)) == sorted([DIFFUSION, RANK, GRAPH]))


def test_delete_deletes_a_tag_after_asking(qtbot: QtBot, window: MainWindow) -> None:
    choose_in_panel(qtbot, window, "tag:learning")
    qtbot.keyClick(window.tag_panel, Qt.Key.Key_Delete)
    box = open_dialog(qtbot, window, QMessageBox, "confirmDeleteDialog")
    assert "“learning” from 2 papers" in box.text()
    qtbot.keyClick(box, Qt.Key.Key_Escape)  # cancelled: nothing changes
    qtbot.waitUntil(lambda: not box.isVisible())
    assert tags_of(window, RANK) == ["later", "learning"]
    window.activateWindow()
    qtbot.waitUntil(window.tag_panel.hasFocus)
    qtbot.keyClick(window.tag_panel, Qt.Key.Key_Delete)
    box = open_dialog(qtbot, window, QMessageBox, "confirmDeleteDialog")
    qtbot.keyClick(box, Qt.Key.Key_Return)  # Delete is the default button
    qtbot.waitUntil(lambda: window.side.row_of("tag:learning") is None)
    assert tags_of(window, RANK) == ["later"] and tags_of(window, DIFFUSION) == ["ml"]


def test_c_gives_a_tag_a_colour_for_the_list_and_preview(qtbot: QtBot, window: MainWindow) -> None:
    choose_in_panel(qtbot, window, "tag:ml")
    qtbot.keyClick(window.tag_panel, "c")
    menu = window.vocabulary.menu
    qtbot.waitUntil(menu.isVisible)
    assert menu.objectName() == "tagColourMenu"
    qtbot.keyClick(menu, "g")  # &Green
    qtbot.waitUntil(lambda: window.tag_colours.of("ML") == "green")
    assert window.side.entry(window.side.row_of("tag:ml")).colour == "green"
    select_title(qtbot, window, GRAPH)
    qtbot.waitUntil(lambda: badge_colour(window, "ml") == tint("green"))
    unselected = titles(window).index(DIFFUSION)  # drawn in the list's own colours
    assert greenish(cell_pixels(window, unselected, COL_TAGS))


def greenish(pixels: list[QColor]) -> bool:
    return any(c.green() - c.red() > 20 and c.green() - c.blue() > 5 for c in pixels)


def badge_colour(window: MainWindow, tag: str) -> QColor | None:
    """The background of the badge ``tag`` in the preview."""
    block = window.preview.document().begin()
    while block.isValid():
        fragments = block.begin()
        while not fragments.atEnd():
            fragment = fragments.fragment()
            if fragment.text().strip("\xa0") == tag:
                return fragment.charFormat().background().color()
            fragments += 1
        block = block.next()
    return None


def test_the_context_menu_offers_the_same(qtbot: QtBot, window: MainWindow) -> None:
    choose_in_panel(qtbot, window, "tag:later")
    # what the platform sends for the Menu key: a keyboard context menu at the current row
    row = window.tag_panel.visualRect(window.tag_panel.currentIndex())
    viewport = window.tag_panel.viewport()
    event = QContextMenuEvent(
        QContextMenuEvent.Reason.Keyboard, row.center(), viewport.mapToGlobal(row.center())
    )
    QApplication.sendEvent(viewport, event)
    menu = window.vocabulary.menu
    qtbot.waitUntil(menu.isVisible)
    assert menu.objectName() == "sidePanelMenu"
    texts = [action.text() for action in menu.actions()]
    assert texts[0] == window.actions["rename_tag"].text()
    assert any(isinstance(action.menu(), QMenu) for action in menu.actions())
    menu.close()


def test_keys_1_to_9_toggle_the_most_used_tags(qtbot: QtBot, window: MainWindow) -> None:
    assert window.tag_keys.keyed_tags() == ["learning", "ml", "later"]  # by use, ties A-Z
    select_title(qtbot, window, GRAPH)
    qtbot.keyClick(window.paper_view, "1")
    qtbot.waitUntil(lambda: window.status.note.text() == "Tagged 1 paper “learning”")
    assert tags_of(window, GRAPH) == ["learning", "ml"]
    qtbot.keyClick(window.paper_view, "2")
    qtbot.waitUntil(lambda: tags_of(window, GRAPH) == ["learning"])
    qtbot.keyClick(window.paper_view, "9")
    assert window.status.note.text().startswith("Key 9 has no tag")
    window.actions["toggle_tag"].trigger()  # from the menu: a list to choose from
    menu = window.tag_keys.menu
    qtbot.waitUntil(menu.isVisible)
    assert [action.text() for action in menu.actions()] == ["&1  learning", "&2  later", "&3  ml"]
    qtbot.keyClick(menu, "3")
    qtbot.waitUntil(lambda: tags_of(window, GRAPH) == ["learning", "ml"])
