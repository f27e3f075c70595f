"""Code links: a "code" badge in the list, the repository beside the link in the preview,
``o`` opening the code first, and ``has:code`` from the search box and the side panel."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QStyleOptionViewItem
from pytestqt.qtbot import QtBot

from readerapp.core.collection import Collection
from readerapp.gui.models.paper_model import CODE_ROLE, COL_TITLE
from readerapp.gui.views.main_window import MainWindow
from readerapp.gui.views.paper_delegate import badge_rect
from tests.gui.conftest import WindowFactory, select_title, titles

DIFFUSION = "Diffusion Models Beat GANs on Image Synthesis"
GRAPH = "Transformers as Graph Networks"


def cell(window: MainWindow, title: str, role: int) -> object:
    row = titles(window).index(title)
    return window.papers.index(row, COL_TITLE).data(role)


def test_the_list_marks_the_papers_with_code(qtbot: QtBot, window: MainWindow) -> None:
    assert cell(window, DIFFUSION, CODE_ROLE) == "example/guided"
    assert cell(window, GRAPH, CODE_ROLE) is None
    assert cell(window, DIFFUSION, Qt.ItemDataRole.ToolTipRole).endswith("\nCode: example/guided")
    assert cell(window, DIFFUSION, Qt.ItemDataRole.AccessibleTextRole) == f"{DIFFUSION}, has code"
    assert cell(window, GRAPH, Qt.ItemDataRole.AccessibleTextRole) == GRAPH
    select_title(qtbot, window, "Sparse Mixtures of Experts")  # neither row selected
    assert badge_ink(window, DIFFUSION) > 10
    assert badge_ink(window, GRAPH) == 0


def badge_ink(window: MainWindow, title: str) -> int:
    """How many pixels of the link colour the badge's place in the title cell holds."""
    view = window.paper_view
    index = window.papers.index(titles(window).index(title), COL_TITLE)
    option = QStyleOptionViewItem()
    option.initFrom(view)
    option.rect = view.visualRect(index)
    area = badge_rect(option)
    image: QImage = view.viewport().grab(area).toImage()
    link = view.palette().color(view.palette().ColorRole.Link)
    return sum(
        1
        for x in range(image.width())
        for y in range(image.height())
        if _near(image.pixelColor(x, y).getRgb()[:3], link.getRgb()[:3])
    )


def _near(one: tuple[int, ...], other: tuple[int, ...]) -> bool:
    return sum(abs(a - b) for a, b in zip(one, other, strict=True)) < 120


def test_the_preview_names_the_repository(qtbot: QtBot, window: MainWindow) -> None:
    select_title(qtbot, window, DIFFUSION)
    text = window.preview.toPlainText().replace("\xa0", " ")
    assert "Code  https://github.com/example/guided  · example/guided" in text


def test_o_opens_the_code_before_other_links(
    qtbot: QtBot,
    collection: Collection,
    open_window: WindowFactory,
    write_digest,
    opened_urls: list[str],
) -> None:
    abstract = "A project page https://example.org/p and the code: https://gitlab.com/lab/tool."
    collection.import_paths([write_digest("a.txt", "Mar 13", [("Tooling", abstract)])])
    window = open_window(collection)
    select_title(qtbot, window, "Tooling")
    qtbot.keyClick(window.paper_view, "o")
    assert opened_urls == ["https://gitlab.com/lab/tool"]
    assert "lab/tool" in window.preview.toPlainText()


def test_has_code_from_the_search_box_and_the_side_panel(qtbot: QtBot, window: MainWindow) -> None:
    select_title(qtbot, window, GRAPH)
    qtbot.keyClick(window.paper_view, "/")
    qtbot.keyClicks(window.search_edit, "has:code")
    qtbot.waitUntil(lambda: titles(window) == [DIFFUSION])
    qtbot.keyClick(window.search_edit, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: len(titles(window)) == 5)

    qtbot.keyClick(window.search_edit, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.tag_panel.hasFocus()
    for _ in range(window.side.rowCount()):
        if window.side.entry(window.tag_panel.currentIndex().row()).key == "code":
            break
        qtbot.keyClick(window.tag_panel, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: titles(window) == [DIFFUSION])
    assert window.status.filter.text() == "Filter: Has code"
