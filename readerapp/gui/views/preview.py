"""A text browser that loads nothing and opens only web and mail links, in the system browser.

Everything shown in it comes from digests or notes, which we do not trust: no image or style
sheet is fetched from anywhere (``loadResource`` answers nothing), and a click on a link never
navigates inside the widget. Links of our own to another paper (``readerapp-paper:ID``, which
the related papers use) are not opened but announced by ``paper_chosen``.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QByteArray, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QTextBrowser, QWidget

from readerapp.core.links import is_openable
from readerapp.core.paths import resource_path

log = logging.getLogger(__name__)

PAPER_SCHEME = "readerapp-paper"


def paper_link(paper_id: str) -> str:
    """The href of a link to another paper in the preview."""
    return f"{PAPER_SCHEME}:{paper_id}"


def open_external(url: QUrl | str) -> bool:
    """Open a web or mail link in the user's browser; refuse every other kind."""
    url = QUrl(url)
    if not is_openable(url.toString(QUrl.ComponentFormattingOption.FullyEncoded)):
        log.info("not opening %s: only web and mail links are opened", url.toDisplayString())
        return False
    return QDesktopServices.openUrl(url)


def preview_css() -> str:
    """The style sheet of previews (resources/styles/preview.css), or nothing if it is absent."""
    path = resource_path("styles", "preview.css")
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return ""


class SafeBrowser(QTextBrowser):
    """A QTextBrowser for untrusted HTML."""

    paper_chosen = Signal(str)  # the id of the paper a link of ours points at
    link_failed = Signal(str)  # a link clicked that did not open (no browser, say)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setAcceptDrops(False)
        self.anchorClicked.connect(self._follow)
        self._source = ""
        self.restyle()

    def _follow(self, url: QUrl) -> None:
        if url.scheme() == PAPER_SCHEME:
            self.paper_chosen.emit(url.path())
        elif not open_external(url):
            self.link_failed.emit(url.toString(QUrl.ComponentFormattingOption.FullyEncoded))

    def loadResource(self, kind: int, name: QUrl) -> QByteArray:
        # Empty bytes, not None: PySide 6.12 releases None once too often when a virtual
        # returning QVariant answers None, and the interpreter dies at exit.
        return QByteArray()

    def restyle(self) -> None:
        """Take the preview style sheet again (its palette colours resolve when it is set)
        and lay out the page again under it."""
        self.document().setDefaultStyleSheet(preview_css())
        if self._source:
            position = self.verticalScrollBar().value()
            self.setHtml(self._source)
            self.verticalScrollBar().setValue(position)

    def show_html(self, html: str) -> None:
        """Show ``html`` from its top; the page shown already stays as it is, where the reader
        had scrolled to (a search run again finds the same paper; its layout costs
        milliseconds of the GUI thread)."""
        if html == self._source:
            return
        self._source = html
        self.setHtml(html)
        self.verticalScrollBar().setValue(0)
