"""An index written by an older or renamed codec is rebuilt from the library, never a crash.

The index's table of contents records its schema and each segment's codec as pickled classes,
named by module: an index written before a module of ours was renamed names one that no longer
exists. Renaming the module in the files, byte for byte, makes such an index.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest

from readerapp.core.collection import Collection
from readerapp.core.models import paper_id
from readerapp.core.search import SearchIndex, quick_writing
from tests.topics import DIFFUSION, GRAPHS, import_topics

MODULE = quick_writing.__name__.encode()
RENAMED = MODULE[:-4] + b"_old"  # as long as the name: the pickles' lengths still hold
STARRED = paper_id(GRAPHS[1][0])
# Two papers indexed before the formats and analyzers moved into `readerapp.core.search`.
BEFORE_THE_MOVE = Path(__file__).parents[1] / "data" / "index-before-search-package"


def _made_by_a_renamed_codec(data_dir: Path, write_digest) -> Path:
    """A library whose index names its codec and formats by a module that is not there."""
    collection = import_topics(Collection(data_dir), write_digest)
    try:
        collection.library.set_starred([STARRED], True)
        collection.library.tags.add([STARRED], ["graphs"])
        collection.set_note(STARRED, "read the appendix on oversmoothing")
        collection.ensure_index()
        folder = collection.index.path
    finally:
        collection.close()
    renamed = 0
    for path in folder.iterdir():
        data = path.read_bytes()
        if MODULE in data:
            path.write_bytes(data.replace(MODULE, RENAMED))
            renamed += 1
    assert renamed  # the table of contents at least
    return folder


@pytest.mark.parametrize("first", ["ensure_index", "search"])
def test_an_index_of_a_renamed_codec_is_rebuilt(
    data_dir: Path, write_digest, caplog: pytest.LogCaptureFixture, first: str
) -> None:
    folder = _made_by_a_renamed_codec(data_dir, write_digest)
    caplog.set_level(logging.WARNING)
    collection = Collection(data_dir)
    try:
        if first == "ensure_index":
            reason = collection.ensure_index() or ""
            assert reason.startswith("the search index is from another version")
            assert "rebuilding the search index: the search index is from another" in caplog.text
        graphs = collection.search("graph")
        assert set(graphs.ids) == {paper_id(title) for title, _ in GRAPHS}
        if first == "search":  # the search found the index unreadable and rebuilt it
            assert "rebuilding the index from the library" in caplog.text
        assert collection.search("oversmoothing appendix").ids == [STARRED]
        assert collection.related(paper_id(DIFFUSION[0][0]), 3)
        paper = collection.library.get(STARRED)
        assert paper.starred and paper.tags == ["graphs"]
        assert paper.note == "read the appendix on oversmoothing"
        assert collection.index_problem() is None
    finally:
        collection.close()
    assert not any(RENAMED in path.read_bytes() for path in folder.iterdir())


def test_an_index_written_before_the_search_package_opens_as_it_is(tmp_path: Path) -> None:
    """Its schema names the modules at their former paths: it is read, searched and added to,
    not rebuilt."""
    folder = Path(shutil.copytree(BEFORE_THE_MOVE, tmp_path / "index"))
    (toc,) = folder.glob("*.toc")
    assert b"readerapp.core.quick_writing" in toc.read_bytes()
    assert b"readerapp.core.word_forms" in toc.read_bytes()
    index = SearchIndex(folder)
    try:
        assert index.problem() is None
        assert index.search("graph") == ["p1"]
        assert index.search("sampling") == ["p2"]
        index.update([("p3", "Graph kernels", "Kernels on graphs.", "")], 1)
        assert sorted(index.search("graphs")) == ["p1", "p3"]
    finally:
        index.close()
