"""Queries of words and filters searched: the papers each finds, worked out by hand from
`tests.query_library`, and random trees checked against plain set algebra over its tables."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readerapp.core.collection import Collection
from readerapp.core.query.tokens import UNBALANCED_PARENTHESIS, UNBALANCED_QUOTE
from tests import query_library as lib
from tests.conftest import digest_text
from tests.query_library import ids, numbers

DIFFUSION = {1, 3, 5, 6, 9}
TITLE_GRAPH = {2, 6, 8}
GRAPH = {2, 6, 8}  # "graphs" too, stemmed

TABLE = [
    ("diffusion NOT has:code", {3, 6, 9}),
    ("-has:code diffusion", {3, 6, 9}),
    ("diffusion -has:code", {3, 6, 9}),
    ("NOT is:starred", lib.EVERY - lib.STARRED),
    ("is:starred OR tag:to-read", {1, 3, 4, 8, 9}),
    ('is:starred OR tag:"to read"', {1, 4, 5, 8}),
    ("(is:starred)", lib.STARRED),
    ("diffusion OR is:starred", DIFFUSION | lib.STARRED),
    ("title:graph OR is:starred", TITLE_GRAPH | lib.STARRED),
    ("(tag:rl OR tag:robotics) date:2026-03..", {1, 10}),
    ("NOT is:read", lib.EVERY - lib.READ),
    ("is:unread has:code", {5, 8}),
    ("diffusion is:starred", {1}),
    ("graph -diffusion", GRAPH - DIFFUSION),
    ("NOT diffusion", lib.EVERY - DIFFUSION),
    ("NOT diffusion is:starred", {4, 8}),
    ("has:note OR is:reading", {3, 6}),
    ("date:2026-02", {5, 6, 7}),
    ("date:2026-01-20", {1, 2, 3, 4}),
    ("date:..2026-02-14", {1, 2, 3, 4, 5, 6, 7}),
    ("diffusion (is:starred OR tag:to-read)", {1, 3, 9}),
    ("(diffusion OR graph) NOT (has:code OR is:read)", {3, 6, 9}),
    ("zorbix OR quandle -is:unread", {1, 2, 3}),  # "-" binds to the filter alone
    ("IS:STARRED", lib.STARRED),
    ("", lib.EVERY),
]
ZORBIX = {1, 2, 6, 9}
# Operators with nothing to act on are left out; NOT NOT cancels out, in a field's group too.
DANGLING = [
    ("NOT NOT zorbix", ZORBIX),
    ("NOT NOT NOT zorbix", lib.EVERY - ZORBIX),
    ("abstract:(NOT NOT zorbix)", ZORBIX),
    ("title:(NOT NOT zorbix)", set()),  # no title has it
    ("NOT", lib.EVERY),
    ("zorbix NOT", ZORBIX),
    ("AND OR", lib.EVERY),
    ("NOT NOT", lib.EVERY),
]
# Unbalanced quotes or parentheses are left out; the filters stay filters.
BROKEN = [
    ("(is:starred", lib.STARRED),
    ('"diffusion is:starred', {1}),
    ("(is:starred OR tag:to-read", {1, 3, 4, 8, 9}),
    ("diffusion (NOT has:code", {3, 6, 9}),
    ('is:unread) "zorbix', {6, 9}),
]
SAVED = [
    ("robots or rl", "tag:rl OR tag:robotics"),
    ("ml", "diffusion OR has:code"),
]
WITH_SAVED = [
    ('search:"robots or rl" is:starred', {1, 4}),  # not tag:rl OR (tag:robotics is:starred)
    ('search:"robots or rl" OR diffusion', {1, 3, 4, 5, 6, 7, 9, 10}),
    ("search:ml tag:robotics", {1}),
    ("tag:robotics OR search:ml", {1, 3, 5, 6, 7, 8, 9}),
    ("NOT search:ml", lib.EVERY - (DIFFUSION | lib.CODE)),
]


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Collection]:
    root = tmp_path_factory.mktemp("query")

    def write_digest(name: str, day: str, papers: list[tuple[str, str]]) -> Path:
        path = root / "digests" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(digest_text(day, papers), encoding="utf-8")
        return path

    collection = lib.build(Collection(root / "data"), write_digest)
    for name, query in SAVED:
        collection.save_search(name, query)
    yield collection
    collection.close()


@pytest.mark.parametrize(("query", "expected"), TABLE + WITH_SAVED + DANGLING + BROKEN)
def test_each_query_finds_the_papers_worked_out_by_hand(
    library: Collection, query: str, expected: set[int]
) -> None:
    assert set(numbers(library.search(query).ids)) == expected
    assert set(numbers(library.search(query, "title").ids)) == expected


@pytest.mark.parametrize(("query", "expected"), DANGLING + BROKEN)
def test_a_query_being_typed_finds_the_same(
    library: Collection, query: str, expected: set[int]
) -> None:
    assert set(numbers(library.search(query, typing=True).ids)) == expected


def test_a_broken_query_says_what_was_left_out(library: Collection) -> None:
    quote, parenthesis = UNBALANCED_QUOTE, UNBALANCED_PARENTHESIS
    assert library.search("(is:starred").query.notes == [parenthesis]
    assert library.search('"diffusion is:starred').query.notes == [quote]
    assert library.search('is:unread) "zorbix').query.notes == [quote, parenthesis]


def test_text_hits_come_first_then_the_filters_newest_first(library: Collection) -> None:
    found = numbers(library.search("diffusion OR is:starred").ids)
    assert set(found[:5]) == DIFFUSION and found[5:] == [8, 4]  # Mar 13, then Jan 20
    assert numbers(library.search("is:unread has:code").ids) == [8, 5]  # newest first
    by_date = numbers(library.search("diffusion OR is:starred", "date").ids)
    assert by_date == [8, 9, 5, 6, 1, 3, 4]  # first seen: paper 1 on Jan 20, again on Mar 13


def test_words_are_ranked_as_the_index_ranks_them(library: Collection) -> None:
    alone = library.search("diffusion").ids
    assert library.search("diffusion OR is:starred").ids[:5] == alone
    with_filter = library.search("diffusion NOT has:code").ids
    assert with_filter == [pid for pid in alone if pid not in ids(*lib.CODE)]


# --- random trees against set algebra -------------------------------------------------------

FILTERS = {
    "is:starred": lib.STARRED,
    "is:read": lib.READ,
    "is:reading": lib.READING,
    "is:unread": lib.EVERY - lib.READ - lib.READING,
    "has:code": lib.CODE,
    "has:note": lib.NOTED,
    "tag:rl": lib.TAGS["rl"],
    "tag:robotics": lib.TAGS["robotics"],
    'tag:"to read"': lib.TAGS["to read"],
    "date:2026-02": {5, 6, 7},
    "date:2026-03..": {1, 8, 9, 10},
    "date:..2026-01": {1, 2, 3, 4},
}
LEAVES = [(word, lib.with_word(word)) for word in lib.WORDS] + list(FILTERS.items())


Query = tuple[str, set[int], str]  # as text, the papers it finds, and its kind: how it binds


def trees() -> st.SearchStrategy[Query]:
    """A query as text and the papers it finds, worked out with Python's sets. Parentheses go
    where precedence needs them, or around every part (drawn at each node)."""
    leaf = st.sampled_from([(text, found, "leaf") for text, found in LEAVES])

    def grow(inner: st.SearchStrategy[Query]) -> st.SearchStrategy[Query]:
        parts = st.lists(inner, min_size=2, max_size=3)
        joined = st.tuples(st.sampled_from([" ", " AND ", " OR "]), parts, st.booleans())
        return joined.map(_joined) | st.tuples(st.booleans(), inner, st.booleans()).map(_not)

    return st.recursive(leaf, grow, max_leaves=6)


# For each operator, the kinds of part that need parentheses within it.
_LOOSER = {" ": set(), " AND ": {"or", "and"}, " OR ": {"and"}}
_KIND = {" ": "and", " AND ": "and_op", " OR ": "or"}


def _joined(drawn: tuple[str, list[Query], bool]) -> Query:
    operator, parts, always = drawn
    text = operator.join(
        f"({query})" if always or kind in _LOOSER[operator] else query for query, _, kind in parts
    )
    sets = [found for _, found, _ in parts]
    found = set.union(*sets) if operator == " OR " else set.intersection(*sets)
    return text, found, _KIND[operator]


def _not(drawn: tuple[bool, Query, bool]) -> Query:
    dash, (query, found, kind), always = drawn
    if kind == "leaf" and not always:
        text = f"-{query}" if dash else f"NOT {query}"
    else:
        text = f"NOT ({query})"
    return text, lib.EVERY - found, "not"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(trees())
def test_random_trees_find_what_set_algebra_finds(library: Collection, tree: Query) -> None:
    query, expected, _ = tree
    assert set(numbers(library.search(query).ids)) == expected, query
