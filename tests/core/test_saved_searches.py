"""Saved searches: kept in SQLite, used in queries as search:"name", new papers counted."""

from __future__ import annotations

import pytest

from readerapp.core.collection import Collection
from readerapp.core.errors import LibraryError, QueryError
from readerapp.core.models import ReadState
from readerapp.core.query import parse_query
from readerapp.core.query.tree import And, Nothing, Text

PAPERS = [
    ("Diffusion Models Beat GANs", "Diffusion models draw images. https://github.com/x/gen."),
    ("Transformers as Graph Networks", "Attention is message passing on a complete graph."),
    ("Graph Diffusion for Molecules", "We diffuse over molecular graphs step by step."),
]
LATER = [("Diffusion on Graphs Again", "More graph diffusion, now faster.")]


@pytest.fixture
def collection(indexed_collection) -> Collection:
    return indexed_collection(PAPERS)


def titles(coll: Collection, query: str) -> list[str]:
    return sorted(p.title for p in coll.library.papers(coll.search(query).ids))


def test_a_saved_search_stands_for_its_words_and_filters(collection: Collection) -> None:
    collection.save_search("code diffusion", "diffusion has:code")
    assert collection.library.saved_searches.query_of("Code  Diffusion") == "diffusion has:code"
    assert titles(collection, 'search:"code diffusion"') == ["Diffusion Models Beat GANs"]
    assert titles(collection, 'search:"code diffusion" graph') == []
    collection.save_search("graphs", "graph OR molecules")
    assert titles(collection, "search:graphs diffusion") == [
        "Graph Diffusion for Molecules"]  # fmt: skip


def test_filters_of_a_saved_search_are_anded_with_the_query(collection: Collection) -> None:
    graph = next(p for p in collection.library.papers(collection.search("").ids)
                 if p.title.startswith("Transformers"))  # fmt: skip
    collection.library.set_read_state([graph.id], ReadState.READ)
    collection.save_search("unread", "is:unread")
    assert "Transformers as Graph Networks" not in titles(collection, "search:unread")
    assert titles(collection, "search:unread is:read") == []  # not "unread or read"


def test_saved_searches_can_use_others(collection: Collection) -> None:
    collection.save_search("diffusion", "diffusion")
    collection.save_search("graph diffusion", "search:diffusion graph")
    assert titles(collection, 'search:"graph diffusion"') == ["Graph Diffusion for Molecules"]


def test_an_unknown_name_finds_nothing_and_says_why(collection: Collection) -> None:
    result = collection.search('diffusion search:"nowhere"')
    assert result.ids == []
    assert result.query.problems == ["The saved search “nowhere” does not exist."]
    assert result.suggestion is None


def test_a_loop_finds_nothing_and_saving_one_is_refused(collection: Collection) -> None:
    collection.save_search("a", "diffusion")
    collection.save_search("b", "search:a graph")
    with pytest.raises(LibraryError, match="would use itself"):
        collection.save_search("a", "search:b")
    with pytest.raises(LibraryError, match="would use itself"):
        collection.save_search("c", "search:c")
    assert collection.library.saved_searches.query_of("a") == "diffusion"
    collection.library.saved_searches.save("a", "search:b")  # the library alone does not check
    result = collection.search("search:a")
    assert result.ids == [] and "uses itself" in result.query.problems[0]


def test_without_a_lookup_search_is_a_filter_that_finds_nothing() -> None:
    parsed = parse_query('search:"ml" transformers')
    assert parsed.text == "transformers" and parsed.saved_searches == ["ml"]
    assert parsed.tree == And((Nothing('search:"ml"', "does not exist"), Text("transformers")))
    assert parsed.problems
    typed = parse_query("search:ml diffus", typing=True, saved=lambda _name: "a OR b")
    assert typed.text == "(a OR b) diffus" and typed.partial_word == "diffus"


def test_new_papers_are_counted_until_the_search_is_opened(
    collection: Collection, write_digest
) -> None:
    collection.save_search("diffusion", "diffusion")
    assert collection.saved_search_counts() == {"diffusion": (2, 0)}
    collection.import_paths([write_digest("b.txt", "Mar 14", LATER)])
    collection.sync_index()
    assert collection.saved_search_counts() == {"diffusion": (3, 1)}
    collection.library.saved_searches.mark_opened("DIFFUSION")
    assert collection.saved_search_counts() == {"diffusion": (3, 0)}


def test_names_are_checked_and_searches_deleted(collection: Collection) -> None:
    with pytest.raises(LibraryError, match="needs a name"):
        collection.save_search("  ", "x")
    with pytest.raises(LibraryError, match="cannot contain"):
        collection.save_search('say "hi"', "x")
    collection.save_search("b", "x")
    collection.save_search("A", "y")
    assert [s.name for s in collection.library.saved_searches.all()] == ["A", "b"]
    collection.library.saved_searches.delete("a")
    assert [s.name for s in collection.library.saved_searches.all()] == ["b"]


def test_a_query_with_an_impossible_filter_is_named_not_saved(collection: Collection) -> None:
    with pytest.raises(QueryError, match="date:2026-13 is not a date"):
        collection.save_search("bad", "graph date:2026-13")
    assert collection.library.saved_searches.query_of("bad") is None
    collection.library.saved_searches.save("old", "is:purple")  # saved before filters were checked
    assert collection.saved_search_counts() == {"old": (0, 0)}
    with pytest.raises(QueryError, match="In the saved search “old”: is:purple is not a state"):
        collection.search("graph OR search:old")
