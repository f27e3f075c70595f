"""The preview marks what the search matched: a phrase as a phrase."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from readerapp.core.collection import Collection
from tests.gui.conftest import WindowFactory, titles
from tests.gui.test_search import highlighted_words

PHRASE_PAPER = "Small Language Models Read Books"
PAPERS = [
    (
        PHRASE_PAPER,
        "A language model is trained on books. Other models and a language are compared. "
        "Language models win.",
    ),
    ("Models of Language Acquisition", "Children learn to speak. Models of it are old. "
     "They are simple."),
]  # fmt: skip


def test_the_preview_highlights_a_phrase_not_its_words_alone(
    qtbot: QtBot, collection: Collection, open_window: WindowFactory, write_digest
) -> None:
    collection.import_paths([write_digest("a.txt", "Mar 13", PAPERS)])
    collection.ensure_index()
    window = open_window(collection)
    window.searcher.focus()
    qtbot.keyClicks(window.search_edit, '"language model"')
    qtbot.waitUntil(lambda: titles(window) == [PHRASE_PAPER])
    qtbot.waitUntil(lambda: bool(highlighted_words(window.preview.document())))
    assert highlighted_words(window.preview.document()) == {
        "Language Models", "language model", "Language models"}  # fmt: skip
