"""Fixtures of the GUI tests: a real library in tmp_path and the real main window over it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QSettings, QUrl, Slot
from PySide6.QtGui import QColor, QDesktopServices
from pytestqt.qtbot import QtBot

from readerapp.core.collection import Collection
from readerapp.gui.app import favouring_the_gui_thread
from readerapp.gui.views.main_window import MainWindow

PAPERS = [
    (
        "Diffusion Models Beat GANs on Image Synthesis",
        "Diffusion models draw images step by step. Code: https://github.com/example/guided.",
    ),
    ("Transformers as Graph Networks", "Attention is message passing on a complete graph."),
    ("Learning to Rank with Bandits", "We learn rankings from clicks using bandit feedback."),
    ("Sparse Mixtures of Experts", "Routing tokens to experts scales language models cheaply."),
]
LATER = [
    ("Flow Matching for Generative Modeling", "Flow matching trains continuous flows simply."),
    ("Transformers as Graph Networks", "Attention is message passing on a complete graph."),
]


@pytest.fixture
def collection(data_dir: Path) -> Iterator[Collection]:
    coll = Collection(data_dir)
    yield coll
    coll.close()


@pytest.fixture
def filled(collection: Collection, write_digest) -> Collection:
    """A library of two digests (Mar 13 and Mar 15) sharing one paper, indexed."""
    collection.import_paths(
        [write_digest("a.txt", "Mar 13", PAPERS), write_digest("b.txt", "Mar 15", LATER)]
    )
    collection.ensure_index()
    return collection


@pytest.fixture
def gui_settings(tmp_path: Path) -> QSettings:
    """A settings file of this test's own (QSettings caches the XDG paths per process)."""
    return QSettings(str(tmp_path / "gui.ini"), QSettings.Format.IniFormat)


WindowFactory = Callable[..., MainWindow]
HERE = Path(__file__).resolve().parent
# What the offscreen platform cannot do, it says: size hints, raising, grabbing (popups).
OFFSCREEN_NOISE = "^This plugin does not support (propagateSizeHints|raise|grabbing)"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


@pytest.fixture
def open_window(qtbot: QtBot, gui_settings: QSettings) -> Iterator[WindowFactory]:
    """Open the main window on a collection, shown, active, with the index caught up and the
    side panel counted; the interpreter favours the GUI thread meanwhile, as `run_gui` has it."""
    windows: list[MainWindow] = []
    interpreter = ExitStack()

    def open_(collection: Collection, settings: QSettings | None = None) -> MainWindow:
        window = MainWindow(collection, settings or gui_settings)
        windows.append(window)
        interpreter.enter_context(favouring_the_gui_thread(window.tasks))
        window.commands.reading_timer.setInterval(60_000)  # tests opt in to the reading timer
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        window.start()
        qtbot.waitUntil(lambda: not window.tasks.busy_long and not window.side_counts.counting)
        return window

    yield open_
    for window in windows:
        window.close()
    interpreter.close()


@pytest.fixture
def window(filled: Collection, open_window: WindowFactory) -> MainWindow:
    """The window on ``filled`` (closed before the collection is, hence the order)."""
    return open_window(filled)


def titles(window: MainWindow) -> list[str]:
    """The titles the paper list shows, in order (every row, fetched or not)."""
    return [p.title for p in window.library.papers(window.papers.ids())]


def cell_pixels(window: MainWindow, row: int, column: int) -> list[QColor]:
    """The colours of the pixels of one cell of the paper list, as it is painted."""
    rect = window.paper_view.visualRect(window.papers.index(row, column))
    image = window.paper_view.viewport().grab(rect).toImage()
    return [image.pixelColor(x, y) for x in range(image.width()) for y in range(image.height())]


def activate(qtbot: QtBot, window: MainWindow) -> None:
    """Make ``window`` active again (offscreen does not when a dialog closes; a desktop does)."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def select_title(qtbot: QtBot, window: MainWindow, title: str) -> str:
    """Select the paper titled ``title`` in the list and give the list the focus."""
    row = titles(window).index(title)
    window.table.select_row(row)
    activate(qtbot, window)
    window.paper_view.setFocus()
    qtbot.waitUntil(lambda: window.paper_view.hasFocus())
    return window.papers.id_at(row)


class _UrlCatcher(QObject):
    """Stands in for the system browser: records the links the app asks it to open."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    @Slot(QUrl)
    def catch(self, url: QUrl) -> None:
        self.urls.append(url.toString())


@pytest.fixture
def opened_urls(qapp) -> Iterator[list[str]]:
    """The links handed to the system browser (or mail client) during the test, in order."""
    catcher = _UrlCatcher()
    schemes = ("https", "http", "mailto", "file", "javascript")
    for scheme in schemes:
        QDesktopServices.setUrlHandler(scheme, catcher, "catch")
    yield catcher.urls
    for scheme in schemes:
        QDesktopServices.unsetUrlHandler(scheme)
