"""The import summary says plainly when nothing could be imported, and why, file by file."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from readerapp.core.collection import Collection
from tests.gui.conftest import WindowFactory
from tests.gui.test_import_export import drop

PAGE = "<!DOCTYPE html><html><head><title>Daily Papers</title></head><body></body></html>"


def test_a_drop_of_files_all_refused_is_a_warning_naming_each(
    qtbot: QtBot,
    collection: Collection,
    open_window: WindowFactory,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    window = open_window(collection)
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    caplog.set_level(logging.INFO, logger="readerapp")
    with qtbot.waitSignal(window.tasks.long_finished):
        drop(window, [page, empty])
    summary = window.imports.summary_dialog
    qtbot.waitUntil(lambda: summary is not None and summary.isVisible())
    assert summary.windowTitle() == "Nothing imported — readerapp"
    assert summary.icon.isVisible() and not summary.icon.pixmap().isNull()
    assert summary.headline.text() == "Nothing was imported: 2 files refused."
    lines = summary.details.toPlainText().splitlines()
    assert [line.split(":")[0] for line in lines] == [f"Refused {page}", f"Refused {empty}"]
    assert all(len(line.split(": ", 1)[1]) > 5 for line in lines)  # each with its reason
    assert window.status.note.text() == summary.headline.text()
    logged = [r.message for r in caplog.records if r.levelno == logging.INFO]
    assert [f"refused {line.removeprefix('Refused ')}" for line in lines] == [
        message for message in logged if message.startswith("refused ")
    ]
    assert window.pages.currentWidget() is window.welcome  # still nothing in the library


def test_an_import_with_papers_is_no_warning(
    qtbot: QtBot, collection: Collection, open_window: WindowFactory, write_digest, tmp_path: Path
) -> None:
    window = open_window(collection)
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    with qtbot.waitSignal(window.tasks.long_finished):
        drop(window, [write_digest("a.txt", "Mar 13", [("A Paper", "Its abstract.")]), page])
    summary = window.imports.summary_dialog
    qtbot.waitUntil(lambda: summary is not None and summary.isVisible())
    assert summary.windowTitle() == "Import finished — readerapp"
    assert not summary.icon.isVisible()
    assert "1 file refused" in summary.headline.text()
