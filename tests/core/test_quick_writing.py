"""The quicker writing of the index writes what Whoosh's own would: byte for byte, but for the
postings' blocks (pickled by a later protocol), which read back the same."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3Codec
from whoosh.formats import Existence, Frequency, Positions
from whoosh.index import FileIndex
from whoosh.writing import IndexWriter

from readerapp.core.search.index import EXACT_FIELD, TEXT_FIELDS, SearchIndex, make_schema
from readerapp.core.search.quick_writing import (
    QuickCodec,
    QuickExistence,
    QuickFrequency,
    QuickMpWriter,
    QuickPositions,
    QuickSegmentWriter,
)
from tests.made_papers import SOURCES, source_rows

MESS = [
    "",
    "the of and",
    "The İstanbul ÉCOLE naïve 3.14 v2.0 x_y **bold** a.b.c — ﬁnal straße ΣΑΣ",
    "Of models, modelling and the modelled: model models model.",
    "Schrödinger's naïve news: transformers, queries and processes; Schro\u0308dinger.",
    "a b c d e f 1 22 333 " * 40,
]


def _papers(source: str, tmp_path: Path) -> list[tuple[str, str, str, str]]:
    papers = source_rows(source, tmp_path)
    mess = [(f"mess-{n}", text, text[::-1], text) for n, text in enumerate(MESS)]
    return papers + mess


def _whoosh_writer(ix: FileIndex) -> IndexWriter:
    return ix.writer(compound=False, codec=W3Codec())


QUICK = {"compound": False, "codec": QuickCodec()}
QUICK_WRITERS = {
    "one writer": lambda ix: QuickSegmentWriter(ix, **QUICK),
    # A pool this small spills to disk again and again, and is read back as Whoosh's is.
    "one writer, spilling": lambda ix: QuickSegmentWriter(ix, limitmb=0.5, **QUICK),
    # All the papers in one job: the first worker writes them all, in order.
    "a worker process": lambda ix: QuickMpWriter(
        ix, procs=2, batchsize=1_000_000, multisegment=True, **QUICK
    ),
}


def _build(
    folder: Path, papers, make_writer: Callable[[FileIndex], IndexWriter], *, commits: int = 1
) -> dict[str, bytes]:
    """The segment's files, by name less the segment's random id (the postings and terms as
    `_read_back` reads them): ``commits`` writers write a part of ``papers`` each, and when
    there are several, one more merges their segments."""
    schema = make_schema()
    if make_writer is _whoosh_writer:
        for name in TEXT_FIELDS:
            schema[name].format = Positions(field_boost=schema[name].format.field_boost)
        schema["title_start"].format = Frequency()
        schema[EXACT_FIELD].format = Existence()
    folder.mkdir()
    ix = whoosh_index.create_in(str(folder), schema)
    for part in range(commits):
        writer = make_writer(ix)
        rows = papers[part::commits]
        SearchIndex._add_all(writer.add_document, rows, len(rows), None, lambda: False)
        writer.commit(merge=False)
    if commits > 1:
        make_writer(ix).commit(optimize=True)
    contents = _read_back(ix)
    ix.close()
    for path in folder.glob("MAIN_*.*"):  # not the table of contents: it holds the schema
        kind = path.name.split(".", 1)[1]
        if kind not in READ_BACK:
            contents[kind] = path.read_bytes()
    return contents


READ_BACK = ("pst", "trm")  # the postings, and the terms, which point into them


def _read_back(ix: FileIndex) -> dict[str, object]:
    """Every term's statistics and every posting with the statistics of its block, as a
    search reads them."""
    terms, postings = {}, {}
    with ix.reader() as reader:
        for field, text in reader.all_terms():
            info = reader.term_info(field, text)
            terms[field, text] = (info.weight(), info.doc_frequency(), info.min_length(),
                                  info.max_length(), info.max_weight())  # fmt: skip
            found, matcher = [], reader.postings(field, text)
            while matcher.is_active():
                found.append((matcher.id(), matcher.weight(), matcher.value(),
                              matcher.block_min_length(), matcher.block_max_length(),
                              matcher.block_max_weight()))  # fmt: skip
                matcher.next()
            postings[field, text] = found
    return {"trm": terms, "pst": postings}


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize(
    ("writer", "commits"),
    [("one writer", 1), ("one writer", 3), ("one writer, spilling", 1), ("a worker process", 1)],
    ids=["one writer", "merged from three", "spilling", "a worker process"],
)
def test_an_index_written_quickly_is_the_one_whoosh_writes(
    source: str, tmp_path: Path, writer: str, commits: int
) -> None:
    if writer == "a worker process" and multiprocessing.get_start_method() != "fork":
        pytest.skip("Whoosh workers only where forked")
    papers = _papers(source, tmp_path)
    quick = _build(tmp_path / "quick", papers, QUICK_WRITERS[writer], commits=commits)
    whoosh = _build(tmp_path / "whoosh", papers, _whoosh_writer, commits=commits)
    assert {"pst", "trm", "_abstract_len.col", "_title_start_len.col"} <= quick.keys()
    assert "_exact_len.col" not in quick  # the exact forms only rank: no lengths
    assert any(field == EXACT_FIELD for field, _text in quick["trm"])
    assert quick == whoosh


@pytest.mark.parametrize(
    ("field", "whoosh_format", "quick_format"),
    [
        ("abstract", Positions, QuickPositions),
        ("exact", Existence, QuickExistence),
        ("title_start", Frequency, QuickFrequency),
    ],
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
