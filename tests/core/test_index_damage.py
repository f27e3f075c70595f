"""A search index whose table of contents is garbage is rebuilt from the library."""

from __future__ import annotations

from pathlib import Path

from readerapp.core.collection import INDEX_NAME, Collection

PAPERS = [
    ("Sparse Mixtures of Experts", "Routing tokens to experts scales language models cheaply."),
    ("Learning to Rank with Bandits", "We learn rankings from clicks using bandit feedback."),
]


def test_an_index_with_a_garbled_table_of_contents_is_rebuilt(data_dir: Path, write_digest) -> None:
    collection = Collection(data_dir)
    collection.import_paths([write_digest("a.txt", "Mar 13", PAPERS)])
    collection.ensure_index()
    collection.close()
    garbled = list((data_dir / INDEX_NAME).glob("*.toc"))
    assert garbled
    for path in garbled:
        path.write_bytes(b"\0garbage" * 64)
    collection = Collection(data_dir)
    try:
        assert "damaged" in (collection.index_problem() or "")
        assert "damaged" in (collection.ensure_index() or "")
        assert collection.index_problem() is None
        found = collection.library.papers(collection.search("experts").ids)
        assert [paper.title for paper in found] == [PAPERS[0][0]]
    finally:
        collection.close()
