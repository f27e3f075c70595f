"""More like this (``related`` and the ``like:ID`` query), trends per digest day, repositories."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from readerapp.core.collection import Collection
from readerapp.core.library import Filters
from readerapp.core.models import paper_id
from readerapp.core.query import parse_query
from readerapp.core.query.tree import And, Filter, Like, Text
from readerapp.core.repos import code_repository, repository_name
from tests.topics import BANDITS, DIFFUSION, GRAPH_PER_DAY, GRAPHS, import_topics

MOLECULES = paper_id(GRAPHS[0][0])


@pytest.fixture
def topics(data_dir: Path, write_digest) -> Collection:
    coll = import_topics(Collection(data_dir), write_digest)
    yield coll
    coll.close()


def titles(coll: Collection, ids: list[str]) -> list[str]:
    return [paper.title for paper in coll.library.papers(ids)]


def test_related_papers_share_the_topic(topics: Collection) -> None:
    found = titles(topics, topics.related(MOLECULES, 4))
    assert sorted(found) == sorted(title for title, _ in GRAPHS[1:])
    diffusion = titles(topics, topics.related(paper_id(DIFFUSION[0][0]), 3))
    assert sorted(diffusion) == sorted(title for title, _ in DIFFUSION[1:])


def test_like_lists_the_same_ranking_and_composes(topics: Collection) -> None:
    like = topics.search(f"like:{MOLECULES}")
    assert like.ids[:5] == topics.related(MOLECULES, 5)
    assert MOLECULES not in like.ids
    assert topics.search(f"like:{MOLECULES[:6]}").ids == like.ids  # a unique start of the id
    narrowed = topics.search(f"like:{MOLECULES} transformers")
    assert titles(topics, narrowed.ids) == ["Scaling Graph Transformers to Large Graphs"]
    topics.library.set_starred([paper_id(GRAPHS[3][0])], True)
    assert titles(topics, topics.search(f"like:{MOLECULES} is:starred").ids) == [GRAPHS[3][0]]


@pytest.mark.parametrize("query", ["like:zz", "like:ffffffffffff", "like:zz graph"])
def test_like_with_an_unknown_id_finds_nothing(topics: Collection, query: str) -> None:
    assert topics.search(query, typing=True).ids == []  # an id being typed: no error


def test_the_query_language_reads_like() -> None:
    parsed = parse_query("like:abc123 diffusion is:unread")
    like, words, unread = parsed.tree.children
    assert like == Like("like:abc123", "abc123") and words == Text("diffusion")
    assert isinstance(unread, Filter) and parsed.text == "diffusion"
    assert parse_query("likely words").tree == And((Text("likely"), Text("words")))


def test_trend_counts_per_digest_day(topics: Collection) -> None:
    days = [day for day, _ in topics.trend("")]
    assert len(days) == 3 and days == sorted(days)
    assert [n for _, n in topics.trend("graph")] == GRAPH_PER_DAY
    assert [n for _, n in topics.trend("has:code")] == [2, 0, 1]
    assert [n for _, n in topics.trend("bandits")] == [0, len(BANDITS), 0]
    assert [n for _, n in topics.trend("nothing-like-this")] == [0, 0, 0]
    topics.library.tags.add([MOLECULES], ["chemistry"])
    assert [n for _, n in topics.trend("tag:chemistry")] == [1, 0, 1]
    assert [n for _, n in topics.trend(f"like:{paper_id(DIFFUSION[3][0])}")] == [2, 1, 0]


def test_counts_by_day_from_ids_or_filters(topics: Collection) -> None:
    library = topics.library
    everything = library.counts_by_day(filters=Filters())
    assert [n for _, n in everything] == [5, 5, 2]
    assert library.counts_by_day(ids=[]) == [(day, 0) for day, _ in everything]
    two = library.counts_by_day(ids=[MOLECULES, paper_id(BANDITS[0][0])])
    assert [n for _, n in two] == [1, 1, 1]
    assert all(isinstance(day, date) for day, _ in two)


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("https://github.com/woodenchild95/FL-Simulator.git", "woodenchild95/FL-Simulator"),
        ("https://github.com/sony/ctm/tree/main/code", "sony/ctm"),
        ("http://www.gitlab.com/group/project", "group/project"),
        ("https://huggingface.co/spaces/owner/demo", "owner/demo"),
        ("https://huggingface.co/owner/model", "owner/model"),
        ("https://github.com/owner", None),
        ("https://example.org/owner/repo", None),
        ("https://github.com/", None),
    ],
)
def test_repository_names(url: str, name: str | None) -> None:
    assert repository_name(url) == name


def test_the_repository_of_a_paper_is_its_first_code_link(topics: Collection) -> None:
    assert code_repository(topics.library.get(MOLECULES)) == "graphlab/molgnn"
    assert code_repository(topics.library.get(paper_id(DIFFUSION[0][0]))) == "imagine/ddpm-lite"
    assert code_repository(topics.library.get(paper_id(BANDITS[0][0]))) is None
