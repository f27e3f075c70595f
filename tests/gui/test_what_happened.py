"""The window says what happened: a link that cannot open, a search that finds nothing here
but something elsewhere, a correction, a paper marked reading; and a new library starts
quietly."""

from __future__ import annotations

import logging

import pytest
from pytestqt.qtbot import QtBot

from readerapp.core.collection import Collection
from tests.gui.conftest import WindowFactory


def test_a_new_empty_library_starts_without_a_warning(
    qtbot: QtBot,
    collection: Collection,
    open_window: WindowFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    window = open_window(collection)
    assert window.pages.currentWidget() is window.welcome
    assert "rebuilding the search index: the search index is missing" in caplog.messages
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
