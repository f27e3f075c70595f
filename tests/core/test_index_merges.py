"""Saving a note merges small index segments only: never the big ones a build leaves."""

from __future__ import annotations

import pytest

from readerapp.core.collection import Collection
from readerapp.core.search import index

PAPERS = [(f"Paper {n} on sparse kernels", f"We study topic{n} in depth.") for n in range(40)]


def _segments(coll: Collection) -> tuple[str, ...]:
    return coll.index.segments()


def _note(coll: Collection, paper_ids: list[str], text: str) -> None:
    for paper_id in paper_ids:
        coll.library.set_note(paper_id, text)
    coll.sync_index()


def test_notes_merge_small_segments_and_leave_big_ones(
    indexed_collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(index, "SMALL_SEGMENT", 4)  # segments of 4 papers count as big
    coll = indexed_collection(PAPERS)
    ids = coll.library.filter_ids()
    for start in range(0, 32, 4):  # eight commits of four papers each, as a build leaves them
        _note(coll, ids[start : start + 4], "grouped")
    big = _segments(coll)
    assert len(big) == 9  # the first 40 papers' segment and eight of four

    # one note a commit, a small segment each; a commit that finds six merges them into its own
    for n, paper_id in enumerate(ids[32:39], start=1):
        _note(coll, [paper_id], f"single{n}")
        found = _segments(coll)
        assert set(big) <= set(found), "a big segment was merged"
        assert len(found) == len(big) + (n if n <= index.SMALL_SEGMENTS_MERGED else 1)

    assert len(coll.search("grouped").ids) == 32
    assert [coll.search(f"single{n}").ids for n in range(1, 8)] == [[pid] for pid in ids[32:39]]


def test_papers_are_found_in_a_segment_that_a_merge_moved(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(index, "SMALL_SEGMENT", 15)
    search_index = index.SearchIndex(tmp_path / "index")
    rows = [(f"id{n}", f"Paper {n} on kernels", f"We study uniq{n}w.", "") for n in range(36)]
    search_index.rebuild(rows[:10], 10)  # a small segment first
    search_index.update(rows[10:30], 20)  # then a big one, its papers numbered from 10
    assert search_index.search("uniq20w kernels") == ["id20"]
    moved = search_index.segments()[1]
    for row in rows[30:]:  # a small segment each: the sixth commit merges six small ones
        search_index.update([row], 1)
    assert search_index.segments()[0] == moved  # its papers now from 0
    assert search_index.search("uniq20w kernels") == ["id20"]
    assert sorted(search_index.search("kernels")) == sorted(pid for pid, *_ in rows)
    search_index.close()
