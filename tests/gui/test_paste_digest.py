"""A digest without the file: copied from the browser and pasted (Ctrl+V, File > Paste digest),
or dragged from it as text and dropped. The same parser, summary and refusals as a file."""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QGuiApplication
from PySide6.QtWidgets import QApplication, QLabel, QMenu
from pytestqt.qtbot import QtBot

from readerapp.core.collection import Collection
from readerapp.gui.views.main_window import MainWindow
from tests.gui.conftest import PAPERS, WindowFactory, select_title, titles
from tests.gui.test_import_export import drop

PASTED = [
    ("Speculative Decoding with Draft Trees", "A small model drafts a tree of tokens."),
    ("Robust Reward Models from Preferences", "Reward models overfit to the labellers."),
]


def page_text(day: str, papers: list[tuple[str, str]]) -> str:
    """What copying the Daily Papers page in a browser gives: the header lines, the date line,
    then each title and abstract, a blank line between paragraphs (as saved digests have it)."""
    header = ["new", "Get trending papers in your email inbox!", "Subscribe",
              "byAK and the research community", day]  # fmt: skip
    return "\n\n".join([*header, *(part for paper in papers for part in paper)]) + "\n"


def inferred(month: int, day: int) -> date:
    """The year a date line without one gets when imported today: this year's, unless that
    day is still to come."""
    today = date.today()
    this_year = date(today.year, month, day)
    return this_year if this_year <= today else date(today.year - 1, month, day)


def summary_of(qtbot: QtBot, window: MainWindow):
    qtbot.waitUntil(lambda: window.imports.summary_dialog is not None)
    summary = window.imports.summary_dialog
    qtbot.waitUntil(summary.isVisible)
    return summary


def test_ctrl_v_in_the_list_imports_the_digest_on_the_clipboard(
    qtbot: QtBot, window: MainWindow, data_dir: Path
) -> None:
    QGuiApplication.clipboard().setText(page_text("Mar 2", PASTED))
    select_title(qtbot, window, "Transformers as Graph Networks")
    with qtbot.waitSignal(window.tasks.long_finished):
        qtbot.keyClick(window.paper_view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    summary = summary_of(qtbot, window)
    assert summary.windowTitle() == "Import finished — readerapp"
    assert summary.headline.text() == "Imported 1 digest: 2 papers added, 0 seen again."
    day = inferred(3, 2)
    kept = list((data_dir / "pasted").glob("*.txt"))
    assert len(kept) == 1  # kept as a file: it can be imported again and is backed up
    assert summary.details.toPlainText() == (
        f"{kept[0]}: 2 papers added, 0 seen again "
        f"(Mar 2 → {day.isoformat()}, year from the day it was imported)"
    )
    assert kept[0].read_text(encoding="utf-8") == page_text("Mar 2", PASTED)
    qtbot.waitUntil(lambda: {title for title, _ in PASTED} <= set(titles(window)))
    label = f"{day:%a} {day.day} {day:%b %Y}"  # the side panel is counted on the reader thread
    qtbot.waitUntil(lambda: label in [entry.label for entry in window.side.entries()])


@pytest.mark.parametrize("focus", ["focus_filters", "focus_preview"])
def test_ctrl_v_in_the_side_panel_or_the_preview_imports_too(
    qtbot: QtBot, window: MainWindow, focus: str
) -> None:
    QGuiApplication.clipboard().setText(page_text("Mar 2", PASTED))
    getattr(window, focus)()
    with qtbot.waitSignal(window.tasks.long_finished):
        qtbot.keyClick(
            QApplication.focusWidget(), Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier
        )
    assert summary_of(qtbot, window).headline.text().startswith("Imported 1 digest: 2 papers")


def test_ctrl_v_in_the_search_box_pastes_into_it(qtbot: QtBot, window: MainWindow) -> None:
    QGuiApplication.clipboard().setText("bandit")
    qtbot.keyClick(window.paper_view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window.search_edit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert window.search_edit.text() == "bandit"
    qtbot.waitUntil(lambda: titles(window) == ["Learning to Rank with Bandits"])
    assert window.imports.summary_dialog is None and not window.tasks.busy_long


def test_file_paste_digest_imports_the_clipboard(qtbot: QtBot, window: MainWindow) -> None:
    file_menu = window.menuBar().findChild(QMenu, "fileMenu")
    paste = window.actions["paste_digest"]
    assert paste in file_menu.actions()
    assert paste.text() == "P&aste digest" and paste.shortcut().toString() == "Ctrl+V"
    QGuiApplication.clipboard().setText(page_text("Mar 2", PASTED))
    with qtbot.waitSignal(window.tasks.long_finished):
        paste.trigger()
    assert summary_of(qtbot, window).headline.text().startswith("Imported 1 digest: 2 papers")


def test_pasting_what_is_no_digest_is_refused_with_the_reason(
    qtbot: QtBot, window: MainWindow, data_dir: Path
) -> None:
    QGuiApplication.clipboard().setText("Remember to read the diffusion papers this week.")
    window.paper_view.setFocus()
    with qtbot.waitSignal(window.tasks.long_finished):
        qtbot.keyClick(window.paper_view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    summary = summary_of(qtbot, window)
    assert summary.windowTitle() == "Nothing imported — readerapp"
    assert summary.headline.text() == (
        "Nothing was imported: the pasted text is not a digest readerapp can read."
    )
    assert summary.details.toPlainText().startswith("Refused pasted text: ")
    assert not (data_dir / "pasted").exists() or not any((data_dir / "pasted").iterdir())
    assert len(titles(window)) == 5  # the library as it was


def test_an_empty_clipboard_says_what_to_do(qtbot: QtBot, window: MainWindow) -> None:
    QGuiApplication.clipboard().clear()
    window.paper_view.setFocus()
    qtbot.keyClick(window.paper_view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert window.status.note.text().startswith("Nothing to import: no text was pasted.")
    assert window.imports.summary_dialog is None


def drop_text(window: MainWindow, text: str) -> None:
    """Drag ``text`` over the window and drop it, as a browser drags a selection."""
    mime = QMimeData()
    mime.setText(text)
    mime.setHtml(f"<p>{text}</p>")
    where = window.rect().center()
    action, buttons = Qt.DropAction.CopyAction, Qt.MouseButton.LeftButton
    keys = Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(where, action, mime, buttons, keys)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(window, QDropEvent(QPointF(where), action, mime, buttons, keys))


def test_text_dropped_from_the_browser_is_imported_on_the_welcome_view(
    qtbot: QtBot, collection: Collection, open_window: WindowFactory
) -> None:
    window = open_window(collection)
    assert window.pages.currentWidget() is window.welcome
    assert "Ctrl+V" in window.welcome.findChild(QLabel, "welcomeText").text()
    with qtbot.waitSignal(window.tasks.long_finished):
        drop_text(window, page_text("Mar 2", PASTED))
    summary = summary_of(qtbot, window)
    assert summary.headline.text() == "Imported 1 digest: 2 papers added, 0 seen again."
    qtbot.waitUntil(lambda: sorted(titles(window)) == sorted(title for title, _ in PASTED))
    assert window.pages.currentWidget() is window.browser_page


def test_ctrl_v_on_the_welcome_view_imports(
    qtbot: QtBot, collection: Collection, open_window: WindowFactory
) -> None:
    window = open_window(collection)
    QGuiApplication.clipboard().setText(page_text("Mar 2", PASTED))
    assert window.welcome_import.hasFocus()
    with qtbot.waitSignal(window.tasks.long_finished):
        qtbot.keyClick(window.welcome_import, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(titles(window)) == 2)


def test_the_summary_gives_each_digest_the_date_it_got(
    qtbot: QtBot, collection: Collection, open_window: WindowFactory, write_digest
) -> None:
    window = open_window(collection)
    first = write_digest("a.txt", "Mar 13", PAPERS)
    saved = datetime(2025, 6, 1).timestamp()  # saved in June 2025: the year is 2025
    os.utime(first, (saved, saved))
    second = write_digest("b.txt", "Dec 30", PASTED)
    os.utime(second, (saved, saved))  # no Dec 30 before June 2025 in 2025: 2024
    with qtbot.waitSignal(window.tasks.long_finished):
        drop(window, [first, second])
    summary = summary_of(qtbot, window)
    assert summary.details.toPlainText().splitlines() == [
        f"{first}: 4 papers added, 0 seen again (Mar 13 → 2025-03-13, year from the file's date)",
        f"{second}: 2 papers added, 0 seen again (Dec 30 → 2024-12-30, year from the file's date)",
    ]
