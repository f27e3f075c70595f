"""The quicker writing of the index writes what Whoosh's own would, byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3Codec
from whoosh.formats import Frequency, Positions

from readerapp.core.collection import Collection
from readerapp.core.index import TEXT_FIELDS, make_schema
from readerapp.core.quick_writing import QuickCodec, QuickFrequency, QuickPositions

MESS = [
    "",
    "the of and",
    "The İstanbul ÉCOLE naïve 3.14 v2.0 x_y **bold** a.b.c — ﬁnal straße ΣΑΣ",
    "Of models, modelling and the modelled: model models model.",
    "a b c d e f 1 22 333 " * 40,
]


def _papers(real_digests: list[Path], tmp_path: Path) -> list[tuple[str, str, str, str]]:
    collection = Collection(tmp_path / "library")
    try:
        collection.import_paths(real_digests)
        papers = list(collection.library.text_rows())
    finally:
        collection.close()
    mess = [(f"mess-{n}", text, text[::-1], text) for n, text in enumerate(MESS)]
    return papers + mess


def _build(folder: Path, papers, *, quick: bool) -> dict[str, bytes]:
    """The index's segment files, by name less the segment's random id."""
    schema = make_schema()
    if not quick:
        for name in TEXT_FIELDS:
            schema[name].format = Positions(field_boost=schema[name].format.field_boost)
        schema["title_start"].format = Frequency()
    folder.mkdir()
    ix = whoosh_index.create_in(str(folder), schema)
    writer = ix.writer(compound=False, codec=QuickCodec() if quick else W3Codec())
    for pid, title, abstract, note in papers:
        writer.add_document(id=pid, title=title, abstract=abstract, note=note, title_start=title)
    writer.commit()
    ix.close()
    files = folder.glob("MAIN_*.*")  # not the table of contents: it holds the schema
    return {path.name.split(".", 1)[1]: path.read_bytes() for path in files}


def test_an_index_written_quickly_is_the_one_whoosh_writes(
    real_digests: list[Path], tmp_path: Path
) -> None:
    papers = _papers(real_digests, tmp_path)
    quick = _build(tmp_path / "quick", papers, quick=True)
    whoosh = _build(tmp_path / "whoosh", papers, quick=False)
    assert {"pst", "trm", "_abstract_len.col", "_title_start_len.col"} <= quick.keys()
    assert quick == whoosh


@pytest.mark.parametrize(
    ("field", "whoosh_format", "quick_format"),
    [("abstract", Positions, QuickPositions), ("title_start", Frequency, QuickFrequency)],
)
@pytest.mark.parametrize("text", MESS)
def test_the_words_of_a_text_are_the_analyzers(
    field: str, whoosh_format: type, quick_format: type, text: str
) -> None:
    analyzed = make_schema()[field]
    assert isinstance(analyzed.format, quick_format)
    slow = whoosh_format(field_boost=2.0).word_values(text, analyzed.analyzer, mode="index")
    quick = quick_format(field_boost=2.0).word_values(text, analyzed.analyzer, mode="index")
    assert list(quick) == list(slow)
