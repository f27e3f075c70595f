"""Searches answered from the postings find what Whoosh's own search finds, scored alike."""

from __future__ import annotations

import random
from itertools import pairwise

import pytest
from whoosh import index as whoosh_index
from whoosh import query as q
from whoosh.codec.base import Automata

from readerapp.core.collection import Collection
from readerapp.core.search.index import key_terms
from readerapp.core.search.matching import (
    COMMON_WORDS,
    Evaluation,
    SegmentCache,
    WordCounts,
    evaluate,
    segment_ids,
)
from tests.made_papers import SOURCES, source_digests

WORDS = [
    "diffusion",
    "model",
    "image",
    "generation",
    "language",
    "graph",
    "neural",
    "network",
    "sparse",
    "attention",
    "token",
    "reward",
    "policy",
    "agent",
    "video",
    "audio",
    "robot",
    "benchmark",
    "dataset",
    "training",
    "inference",
    "quantized",
]
# Scored exactly as Whoosh scores them.
SCORED = [
    "diffusion",
    "diffusion model",
    "diffusion model image generation",
    '"language model"',
    '"diffusion model" sampling',
    '"model diffusion"~3',
    '"image diffusion model"~4',
    "diffusion NOT image",
    "graph NOT neural",  # "-neural" is NOT in our language, a word in Whoosh's
    "diffusion OR transformer",
    "title:graph",
    "abstract:robot AND video",
    "(policy OR reward) agent",
    "token ANDMAYBE sparse",
    "the",
]
# Matched like Whoosh (the same papers); ranked by the words they stand for.
EXPANDED = ["diffus*", "gen*", "rob?t", "note:idea*"]
# Fuzzy words stand for the words of each field within the distance by Whoosh's automaton (its
# own search uses another field for titles in an index of one segment, and all others in more).
FUZZY = ["difusion~", "modle~2", "title:grahp~", "atention~1/2"]


def _papers(count: int, seed: int = 7) -> list[tuple[str, str]]:
    """Word soup with enough repetition that common words span many posting blocks."""
    rng = random.Random(seed)
    papers = []
    for n in range(count):
        title = " ".join(rng.choices(WORDS, k=5)).title() + f" {n}"
        abstract = ". ".join(" ".join(rng.choices(WORDS, k=12)) for _ in range(4)) + "."
        papers.append((title, abstract))
    return papers


@pytest.fixture
def soup(indexed_collection) -> Collection:
    return indexed_collection(_papers(600))


def _whoosh(coll: Collection, text: str) -> dict[str, float]:
    with coll.index.searcher() as searcher:
        ids = searcher.reader().column_reader("id")
        hits = searcher.search(coll.index.parse(text), limit=None)
        return {ids[hit.docnum]: hit.score for hit in hits}


def _ours(coll: Collection, text: str, cache: SegmentCache | None = None) -> dict[str, float]:
    with coll.index.searcher() as searcher:
        scores = evaluate(searcher, coll.index.parse(text), cache or SegmentCache())
        return {searcher.stored_fields(d)["id"]: score for d, score in scores.items()}


@pytest.mark.parametrize("text", SCORED)
def test_words_phrases_and_operators_score_as_whoosh_does(soup: Collection, text: str) -> None:
    expected = _whoosh(soup, text)
    found = _ours(soup, text)
    assert found.keys() == expected.keys()
    assert found == pytest.approx(expected)
    if expected:
        assert soup.search(text).ids[0] == max(expected, key=expected.__getitem__)


@pytest.mark.parametrize("text", EXPANDED)
def test_prefixes_and_fuzzy_words_find_what_whoosh_finds(soup: Collection, text: str) -> None:
    assert set(soup.search(text).ids) == set(_whoosh(soup, text))


@pytest.mark.parametrize("text", FUZZY)
def test_fuzzy_words_are_the_words_of_the_field_within_the_distance(
    soup: Collection, text: str
) -> None:
    fuzzy = [part for part in soup.index.parse(text).leaves() if isinstance(part, q.FuzzyTerm)]
    assert fuzzy
    terms = []
    with soup.index.searcher() as searcher:
        for part in fuzzy:
            cursor = searcher.reader().cursor(part.fieldname)
            whoosh = Automata().terms_within(cursor, part.text, part.maxdist, part.prefixlength)
            words = Evaluation(searcher, SegmentCache()).words_of(part)
            assert words == sorted(whoosh)
            terms += [q.Term(part.fieldname, word) for word in words]
        ids = searcher.reader().column_reader("id")
        expected = {ids[hit.docnum] for hit in searcher.search(q.Or(terms), limit=None)}
    assert set(soup.search(text).ids) == expected


def test_every_hit_is_listed_once_best_first(soup: Collection) -> None:
    ids = soup.search("diffusion").ids
    assert len(ids) == len(set(ids)) == len(_whoosh(soup, "diffusion")) > 128
    expected = _whoosh(soup, "diffusion")
    scores = [expected[pid] for pid in ids]
    assert scores == sorted(scores, reverse=True)


def test_edits_in_later_segments_replace_the_old_documents(soup: Collection) -> None:
    first = soup.search("diffusion").ids
    noted = first[:3]
    for pid in noted:
        soup.library.set_note(pid, "an idea worth zebrafish")
    soup.sync_index()
    with soup.index.searcher() as searcher:
        assert len(searcher.leaf_searchers()) > 1
    assert set(soup.search("zebrafish").ids) == set(noted)
    again = soup.search("diffusion").ids
    assert sorted(again) == sorted(first)
    assert _ours(soup, "diffusion") == pytest.approx(_whoosh(soup, "diffusion"))
    assert set(soup.search('"language model"').ids) == set(_whoosh(soup, '"language model"'))


def test_a_rebuilt_index_is_searched_afresh(soup: Collection) -> None:
    before = soup.search("robot").ids
    soup.rebuild_index()
    assert soup.search("robot").ids == before


@pytest.mark.parametrize("source", SOURCES)
def test_digests_match_whoosh(source: str, data_dir, write_digest) -> None:
    coll = Collection(data_dir)
    try:
        coll.import_paths(source_digests(source, write_digest))
        assert coll.library.count() > 150  # papers enough for posting lists of many blocks
        coll.ensure_index()
        queries = ["language model", '"large language"', "agent*", "reasoning NOT video"]
        if source == "made":
            queries = ["diffusion model", '"graph network"~2', "dif*", "robust NOT noise"]
        for text in queries:
            assert set(coll.search(text).ids) == set(_whoosh(coll, text)), text
    finally:
        coll.close()


def test_reading_ahead_makes_no_difference_to_what_is_found(soup: Collection) -> None:
    before = {text: soup.search(text).ids for text in ("diffusion model", '"language model"')}
    soup.index.close()
    assert soup.prepare_search()
    soup.read_ahead()
    assert soup.index.cache.postings_held > 0
    assert {text: soup.search(text).ids for text in before} == before


def test_the_words_read_ahead_are_whooshs_most_frequent_over_segments(
    indexed_collection, write_digest
) -> None:
    coll = indexed_collection(_papers(200))
    for day in (14, 15):
        coll.import_paths([write_digest(f"{day}.txt", f"Mar {day}", _papers(200, seed=day))])
        coll.ensure_index()
    with coll.index.searcher() as searcher:
        reader = searcher.reader()
        assert len(reader.leaf_readers()) == 3
        counts = WordCounts(("abstract", "title"))
        for leaf, _offset in reader.leaf_readers():
            counts.add(leaf)
        whooshs = sorted(
            (
                (reader.doc_frequency(field, word), field, word.decode())
                for field in ("abstract", "title")
                for _, word in reader.most_frequent_terms(field, number=COMMON_WORDS)
            ),
            reverse=True,
        )
    budget = sum(papers for papers, _field, _word in whooshs[:7])
    assert counts.common(budget) == [(field, word) for _papers, field, word in whooshs[:7]]


def test_an_empty_index_has_no_words_to_read_ahead(data_dir, caplog) -> None:
    coll = Collection(data_dir)
    try:
        coll.ensure_index()
        counts = WordCounts(("abstract", "title"))
        with coll.index.searcher() as searcher:
            for leaf, _offset in searcher.reader().leaf_readers():
                counts.add(leaf)
        assert counts.common(1000) == []
        assert coll.prepare_search()
        coll.read_ahead()
        assert not [record for record in caplog.records if record.levelname == "ERROR"]
    finally:
        coll.close()


def test_queries_typed_and_nested_score_as_whoosh_does(soup: Collection) -> None:
    index = soup.index
    graph, neural, agent = (index.parse(word) for word in ("graph", "neural", "agent"))
    with index.searcher() as searcher:
        for query in (
            index.parse("diffusion model ima", "ima"),
            index.parse("diffusion model image generati", "generati"),
            q.And([q.And([graph, q.Not(neural)]), agent]),
            q.And([q.And([graph, neural], boost=2.0), agent]),
        ):
            expected = {hit.docnum: hit.score for hit in searcher.search(query, limit=None)}
            scores = evaluate(searcher, query, SegmentCache())
            assert dict(scores) == pytest.approx(expected), query


def test_a_query_typed_letter_by_letter_scores_as_whoosh_does_at_every_key(
    soup: Collection,
) -> None:
    index, cache = soup.index, SegmentCache()
    typed = "diffusion model -image generation"
    with index.searcher() as searcher:
        for end in range(1, len(typed) + 1):
            text = typed[:end]
            partial_word = text.split(" ")[-1].lstrip("-")
            if not partial_word:
                continue
            query = index.parse(text, partial_word)
            expected = {hit.docnum: hit.score for hit in searcher.search(query, limit=None)}
            assert dict(evaluate(searcher, query, cache)) == pytest.approx(expected), text
    assert cache.scores_held > 0


def test_words_kept_from_one_search_to_the_next_score_as_whoosh_does(soup: Collection) -> None:
    cache = SegmentCache()
    boosted = ["diffusion^2 model", "(diffusion model)^3", "diffusion OR model^2"]
    for text in [*SCORED, *boosted, *SCORED, *boosted]:
        assert _ours(soup, text, cache) == pytest.approx(_whoosh(soup, text)), text
    assert cache.scores_held > 0


def test_a_small_budget_keeps_fewer_words_and_the_same_scores(soup: Collection) -> None:
    text = "diffusion model image generation"
    cache = SegmentCache(score_budget=len(_whoosh(soup, "diffusion")))
    for _ in range(2):
        assert _ours(soup, text, cache) == pytest.approx(_whoosh(soup, text))
    assert 0 < cache.scores_held <= cache.score_budget


def _delete_from_index(coll: Collection, paper_id: str) -> None:
    """Delete a paper's document as an update does, without adding it back: the segments stay,
    one of them with a document fewer."""
    writer = whoosh_index.open_dir(str(coll.index.path)).writer()
    writer.delete_by_term("id", paper_id)
    writer.commit(merge=False)


def _segments(coll: Collection) -> tuple[str, ...]:
    with coll.index.searcher() as searcher:
        return segment_ids(searcher)


@pytest.mark.parametrize("text", ["diffusion model", '"diffusion model"'])
def test_kept_words_follow_updates_and_deletions(soup: Collection, text: str) -> None:
    first = soup.search(text).ids  # the words are kept by the index from now on
    other = next(pid for pid in soup.library.filter_ids() if pid not in set(first))
    soup.library.set_note(other, "diffusion model")
    soup.sync_index()  # the paper's old document deleted, the new one in a new segment
    assert other in soup.search(text).ids
    assert _ours(soup, text, soup.index.cache) == pytest.approx(_whoosh(soup, text))

    segments = _segments(soup)
    _delete_from_index(soup, first[0])
    assert first[0] not in soup.search(text).ids
    assert _segments(soup) == segments
    assert _ours(soup, text, soup.index.cache) == pytest.approx(_whoosh(soup, text))


def _whoosh_scores_of_related(coll: Collection, paper_id: str) -> dict[str, float]:
    """Whoosh's own scores of the query "more like this" asks: the OR of the paper's key terms
    in the abstracts, each boosted by its weight, every hit scored."""
    paper = coll.library.get(paper_id)
    with coll.index.searcher() as searcher:
        chosen = key_terms(searcher, paper.title, paper.abstract, {})
        query = q.Or([q.Term("abstract", word, boost=weight) for word, weight in chosen])
        hits = searcher.search(query, limit=None, mask={searcher.document_number(id=paper_id)})
        return {hit["id"]: hit.score for hit in hits}


@pytest.mark.parametrize("source", SOURCES)
def test_related_papers_are_the_best_whoosh_scores(source: str, data_dir, write_digest) -> None:
    """Not every posting is summed for related papers (see `best_of_terms`): the papers listed
    are still the best by Whoosh's scores, best first."""
    coll = Collection(data_dir)
    try:
        coll.import_paths(source_digests(source, write_digest))
        coll.ensure_index()
        for paper_id in coll.search("language model OR diffusion").ids[:10]:
            found = coll.related(paper_id, 20)
            scores = _whoosh_scores_of_related(coll, paper_id)
            listed = [scores[pid] for pid in found]
            assert all(a >= b - 1e-9 for a, b in pairwise(listed))  # ties summed apart
            rest = [score for pid, score in scores.items() if pid not in found]
            assert len(found) == min(20, len(scores))
            assert not rest or max(rest) <= listed[-1] + 1e-9
    finally:
        coll.close()
