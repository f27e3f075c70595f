"""Library and index together: import, search, suggestions, highlights, index recovery."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readerapp.core import collection as collection_module
from readerapp.core.collection import Collection, highlight_spans
from readerapp.core.errands import Errands
from readerapp.core.errors import SearchIndexError
from readerapp.core.models import ReadState, paper_id
from readerapp.core.search import INDEX_VERSION
from tests.conftest import plain_papers

PAPERS = [
    (
        "Diffusion Models Beat GANs",
        "Diffusion models are learning to draw. https://github.com/x/gen.",
    ),
    ("Transformers as Graph Networks", "Attention is message passing on a complete graph."),
    ("Learning to Rank with Bandits", "We learn rankings from clicks using bandit feedback."),
]


@pytest.fixture
def collection(indexed_collection) -> Collection:
    return indexed_collection(PAPERS)


def titles(coll: Collection, ids: list[str]) -> list[str]:
    return [p.title for p in coll.library.papers(ids)]


def test_real_digests_import_and_search(data_dir: Path, real_digests: list[Path]) -> None:
    coll = Collection(data_dir)
    entries = plain_papers(real_digests)
    papers = {paper_id(title) for title, _abstract in entries}
    summary = coll.import_paths(real_digests)
    assert not summary.refused and summary.added == len(papers)
    assert summary.seen_again == len(entries) - len(papers) > 0, "the digests share papers"
    assert coll.library.count() == summary.added
    coll.ensure_index()
    assert coll.index.doc_count() == coll.library.count()
    hits = coll.search("federated learning").ids
    assert (
        hits
        and "federated"
        in coll.library.get(hits[0]).title.lower() + coll.library.get(hits[0]).abstract.lower()
    )
    assert coll.search("has:code").ids
    again = coll.import_paths(real_digests)
    assert again.added == 0 and all(r.already_imported for r in again.results)
    coll.close()


def test_stemming_phrases_boolean_prefix_fuzzy(collection: Collection) -> None:
    assert (
        titles(collection, collection.search("learning").ids)[0] == "Learning to Rank with Bandits"
    )
    assert set(titles(collection, collection.search("learn").ids)) == {
        "Diffusion Models Beat GANs", "Learning to Rank with Bandits"}  # fmt: skip
    assert titles(collection, collection.search('"message passing"').ids) == [
        "Transformers as Graph Networks"]  # fmt: skip
    assert titles(collection, collection.search("learn NOT diffusion").ids) == [
        "Learning to Rank with Bandits"]  # fmt: skip
    assert titles(collection, collection.search("diffus*").ids) == ["Diffusion Models Beat GANs"]
    assert titles(collection, collection.search("difusion~").ids) == ["Diffusion Models Beat GANs"]
    assert titles(collection, collection.search("title:graph").ids) == [
        "Transformers as Graph Networks"]  # fmt: skip


def test_filters_combine_with_words(collection: Collection) -> None:
    diffusion = paper_id("Diffusion Models Beat GANs")
    collection.library.set_starred([diffusion], True)
    collection.library.tags.add([diffusion], ["generative"])
    assert collection.search("is:starred learn").ids == [diffusion]
    assert collection.search("tag:generative").ids == [diffusion]
    assert collection.search("has:code").ids == [diffusion]
    collection.library.set_read_state([diffusion], ReadState.READ)
    assert diffusion not in collection.search("is:unread").ids


def test_empty_query_lists_everything_newest_first(collection: Collection, write_digest) -> None:
    collection.import_paths([write_digest("b.txt", "Mar 14", [("Brand New Paper", "Fresh.")])])
    ids = collection.search("").ids
    assert len(ids) == 4 and titles(collection, ids[:1]) == ["Brand New Paper"]


def test_sort_by_title(collection: Collection) -> None:
    assert titles(collection, collection.search("learn", "title").ids) == [
        "Diffusion Models Beat GANs", "Learning to Rank with Bandits"]  # fmt: skip


def test_did_you_mean(collection: Collection) -> None:
    result = collection.search("difusion modles")
    assert result.ids == []
    assert result.suggestion in ("diffusion models", "diffusion model")


def test_notes_are_searchable(collection: Collection) -> None:
    graph = paper_id("Transformers as Graph Networks")
    collection.set_note(graph, "Reminds me of **kittens**")
    assert collection.search("kittens").ids == [graph]
    assert collection.search("has:note").ids == [graph]


def test_highlight_spans_mark_stemmed_matches(collection: Collection) -> None:
    result = collection.search("learning")
    text = "Diffusion models are learning to draw."
    spans = highlight_spans(text, result.terms, "abstract")
    assert [text[a:b] for a, b in spans] == ["learning"]


def test_words_of_abstracts_and_notes_are_highlighted_too(collection: Collection) -> None:
    collection.set_note(paper_id("Transformers as Graph Networks"), "Reminds me of kittens")
    text = "Two kittens learning to rank."
    terms = collection.search("kittens OR rank").terms
    assert [text[a:b] for a, b in highlight_spans(text, terms, "abstract")] == ["kittens", "rank"]


def test_a_word_being_typed_narrows_like_a_word(collection: Collection) -> None:
    assert titles(collection, collection.search("learn ran", typing=True).ids) == [
        "Learning to Rank with Bandits"]  # fmt: skip
    assert collection.search("learn OR graph", typing=True).ids == collection.search(
        "learn OR graph").ids  # fmt: skip


def test_related_papers_on_an_unreadable_index(collection: Collection, data_dir: Path) -> None:
    collection.close()
    (data_dir / "index" / "_MAIN_1.toc").write_bytes(b"garbage")
    reopened = Collection(data_dir)
    assert reopened.related(paper_id("Learning to Rank with Bandits")) == []
    reopened.close()


def test_related_papers(collection: Collection) -> None:
    related = collection.related(paper_id("Learning to Rank with Bandits"))
    assert paper_id("Learning to Rank with Bandits") not in related


@pytest.mark.parametrize("damage", ["delete", "truncate", "version", "lock"])
def test_a_damaged_index_is_rebuilt_with_annotations_intact(
    collection: Collection, data_dir: Path, damage: str
) -> None:
    graph = paper_id("Transformers as Graph Networks")
    collection.set_note(graph, "my precious note")
    collection.library.tags.add([graph], ["keep"])
    collection.close()
    index = data_dir / "index"
    if damage == "delete":
        for f in index.glob("*.trm"):
            f.unlink()
    elif damage == "truncate":
        for f in index.glob("*.pst"):
            f.write_bytes(f.read_bytes()[:10])
    elif damage == "version":
        (index / "readerapp-index.json").write_text(json.dumps({"version": INDEX_VERSION + 1}))
    else:
        (index / "MAIN_WRITELOCK").write_text("stale")

    reopened = Collection(data_dir)
    reopened.ensure_index()
    assert reopened.search("precious").ids == [graph]
    assert reopened.search("tag:keep").ids == [graph]
    assert reopened.library.get(graph).note == "my precious note"
    reopened.close()


def test_a_failing_index_written_elsewhere_is_not_rebuilt_twice(
    collection: Collection, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(collection_module, "SYNC_WAIT_SECONDS", 0.1)
    collection.close()
    for postings in (data_dir / "index").glob("*.pst"):
        postings.write_bytes(postings.read_bytes()[:10])
    reopened = Collection(data_dir)
    with reopened.index.exclusive() as held:  # as another process would, rebuilding it
        assert held
        with pytest.raises(SearchIndexError, match="being written by another readerapp"):
            reopened.search("bandit")
    assert reopened.search("bandit").ids == [paper_id("Learning to Rank with Bandits")]
    reopened.close()


def test_searches_offered_during_an_import_run_between_two_files(
    collection: Collection, write_digest
) -> None:
    later = [("Bandits for Ads", "Contextual bandit auctions."), ("Sparse Experts", "Routing.")]
    files = [write_digest("b.txt", "Mar 14", later), write_digest("c.txt", "Mar 15", PAPERS)]
    errands, found = Errands(), []

    def search() -> None:
        found.append((collection.library.count(), collection.search("bandit").ids))

    def progress(done: int, total: int) -> None:
        if done == 1:
            assert errands.offer(search)

    collection.import_paths(files, progress, errands=errands)
    assert found == [(5, [paper_id("Learning to Rank with Bandits")])], "in what was indexed"


def test_papers_imported_while_the_index_was_away_are_caught_up(
    collection: Collection, write_digest
) -> None:
    collection.import_paths([write_digest("b.txt", "Mar 14", [("Late Arrival", "Zebras.")])])
    assert collection.index_problem() is None
    assert collection.ensure_index() is None
    assert titles(collection, collection.search("zebras").ids) == ["Late Arrival"]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=60))
def test_any_query_gives_results_or_nothing(collection: Collection, text: str) -> None:
    result = collection.search(text)
    assert isinstance(result.ids, list)
    typing = collection.search(text, typing=True)
    assert isinstance(typing.ids, list)
