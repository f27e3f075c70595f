"""A code link written without its scheme: the preview links it and ``o`` opens it, with
https:// added."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from readerapp.core.collection import Collection
from tests.gui.conftest import WindowFactory, select_title


def test_o_opens_a_bare_code_link_as_https(
    qtbot: QtBot,
    collection: Collection,
    open_window: WindowFactory,
    write_digest,
    opened_urls: list[str],
) -> None:
    abstract = "A project page https://example.org/p. The code: www.github.com/lab/tool. It runs."
    collection.import_paths([write_digest("a.txt", "Mar 13", [("Tooling", abstract)])])
    window = open_window(collection)
    select_title(qtbot, window, "Tooling")
    text = window.preview.toPlainText().replace("\xa0", " ")
    assert "Code  https://www.github.com/lab/tool  · lab/tool" in text
    assert 'href="https://www.github.com/lab/tool"' in window.preview.toHtml()
    qtbot.keyClick(window.paper_view, "o")
    assert opened_urls == ["https://www.github.com/lab/tool"]
