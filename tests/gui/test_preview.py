"""The preview shows digest text literally, loads nothing and opens only web and mail links."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextDocument
from pytestqt.qtbot import QtBot

from readerapp.core.collection import Collection
from readerapp.gui.views.main_window import MainWindow
from readerapp.gui.views.paper_html import note_html, paper_html
from readerapp.gui.views.preview import SafeBrowser, open_external
from tests.gui.conftest import WindowFactory, select_title, titles

EVIL = '<script>alert("x")</script><b>bold</b> & <img src="https://example.org/t.png">'


def test_html_in_a_digest_shows_literally(
    qtbot: QtBot, collection: Collection, open_window: WindowFactory, write_digest
) -> None:
    abstract = "An abstract with <i>tags</i> &amp; entities. https://github.com/x/y"
    collection.import_paths([write_digest("evil.txt", "Mar 13", [(EVIL, abstract)])])
    window = open_window(collection)
    select_title(qtbot, window, titles(window)[0])
    text = window.preview.toPlainText()
    assert EVIL in text
    assert "<i>tags</i> &amp; entities" in text
    assert window.papers.index(0, 1).data() == EVIL


def test_notes_are_markdown_with_raw_html_escaped() -> None:
    html = note_html('**bold** <script>alert(1)</script>\n\n<div onclick="x">hi</div>')
    assert "<strong>bold</strong>" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<div" not in html


def test_nothing_is_loaded_from_anywhere(qtbot: QtBot, filled: Collection) -> None:
    browser = SafeBrowser()
    qtbot.addWidget(browser)
    browser.setHtml('<img src="https://example.org/x.png"><img src="file:///etc/passwd">')
    kind = QTextDocument.ResourceType.ImageResource.value
    assert browser.loadResource(kind, QUrl("https://example.org/x.png")).isEmpty()
    paper = filled.library.papers(filled.library.filter_ids())[0]
    assert "<script" not in paper_html(paper)


def test_only_web_and_mail_links_open(opened_urls: list[str]) -> None:
    assert open_external("https://github.com/x/y")
    assert open_external(QUrl("mailto:someone@example.org"))
    assert not open_external("file:///etc/passwd")
    assert not open_external("javascript:alert(1)")
    assert opened_urls == ["https://github.com/x/y", "mailto:someone@example.org"]


def test_links_are_listed_code_first(qtbot: QtBot, window: MainWindow) -> None:
    select_title(qtbot, window, "Diffusion Models Beat GANs on Image Synthesis")
    text = window.preview.toPlainText()
    assert "Code  https://github.com/example/guided" in text.replace("\xa0", " ")
    assert "seen in 1 digest" in text and "first seen 13 Mar " in text
