"""For you: the key terms of the user's starred, tagged and noted papers order the unread ones."""

from __future__ import annotations

import shutil

import pytest

from readerapp.core.collection import INDEX_NAME, Collection
from readerapp.core.errors import TooFewExamplesError
from readerapp.core.query import parse_query

# Three topics, each paper using six of its topic's words and the same general prose, so
# that the only thing telling papers apart is their topic.
TOPIC_WORDS = {
    "graph": ["graph", "nodes", "edges", "message", "passing", "neighbours", "molecules",
              "citation", "spectral", "topology"],
    "speech": ["speech", "audio", "acoustic", "waveform", "speakers", "spectrogram",
               "phonemes", "prosody", "codec", "recognition"],
    "diffusion": ["diffusion", "denoising", "noise", "schedule", "sampler", "latent",
                  "guidance", "image", "synthesis", "steps"],
}  # fmt: skip
PER_TOPIC = 12


def topic_papers(topic: str) -> list[tuple[str, str]]:
    words = TOPIC_WORDS[topic]
    papers = []
    for i in range(PER_TOPIC):
        picked = [words[(i + k) % len(words)] for k in range(6)]
        title = f"{picked[0].title()} {picked[1].title()} Study Number {i + 1} on {topic.title()}"
        abstract = (
            f"We study {picked[0]} and {picked[1]} with {picked[2]}. Our method improves "
            f"{picked[3]} {picked[4]} on standard benchmarks, and {picked[5]} results follow."
        )
        papers.append((title, abstract))
    return papers


@pytest.fixture
def three_topics(data_dir, write_digest):
    collection = Collection(data_dir)
    digests = [
        write_digest(f"{topic}.txt", f"Mar {10 + n}", topic_papers(topic))
        for n, topic in enumerate(TOPIC_WORDS)
    ]
    collection.import_paths(digests)
    collection.ensure_index()
    ids = {topic: _ids_of(collection, topic_papers(topic)) for topic in TOPIC_WORDS}
    yield collection, ids
    collection.close()


def _ids_of(collection: Collection, papers: list[tuple[str, str]]) -> list[str]:
    by_title = {p.title: p.id for p in collection.library.papers(collection.library.filter_ids())}
    return [by_title[title] for title, _ in papers]


def star_five_graph_papers(collection: Collection, ids: dict[str, list[str]]) -> list[str]:
    starred = ids["graph"][:5]
    collection.library.set_starred(starred, True)
    collection.library.set_read_state(starred, "read")
    return starred


def test_the_unread_graph_papers_come_first_and_the_speech_papers_last(three_topics):
    collection, ids = three_topics
    star_five_graph_papers(collection, ids)

    listed = collection.search("", "for-you").ids

    unread_graph = set(ids["graph"][5:])
    assert set(listed[: len(unread_graph)]) == unread_graph
    assert len(listed) == 3 * PER_TOPIC - 5  # the unread papers, the starred ones being read
    scores = collection.for_you().scores
    others = ids["speech"] + ids["diffusion"]
    assert min(scores[p] for p in unread_graph) > max(scores[p] for p in others)


def test_a_tag_and_a_note_count_as_a_star(three_topics):
    collection, ids = three_topics
    speech = ids["speech"]
    collection.library.set_starred(speech[:2], True)
    collection.library.tags.add(speech[2:4], ["audio"])
    collection.set_note(speech[4], "read this one again")

    listed = collection.search("", "for-you").ids

    assert set(listed[: PER_TOPIC - 5]) == set(speech[5:])
    assert not set(listed) & set(speech[:5])  # the examples are not suggested to the user
    assert set(collection.search("speech", "for-you").ids[:PER_TOPIC]) == set(speech)


def test_fewer_than_five_positives_gives_the_message_not_a_ranking(three_topics):
    collection, ids = three_topics
    collection.library.set_starred(ids["graph"][:4], True)

    with pytest.raises(TooFewExamplesError) as raised:
        collection.search("", "for-you")

    assert str(raised.value) == "Star or tag a few papers to get suggestions"


def test_not_for_me_moves_a_paper_out_of_the_list_and_teaches_the_model(three_topics):
    collection, ids = three_topics
    star_five_graph_papers(collection, ids)
    refused = ids["graph"][5]
    before = collection.for_you().scores[ids["graph"][6]]

    collection.library.set_not_for_me([refused], True)

    assert refused not in collection.search("", "for-you").ids
    assert collection.search("graph", "for-you").ids[-1] == refused
    assert collection.for_you().scores[ids["graph"][6]] < before
    collection.library.set_not_for_me([refused], False)
    assert refused in collection.search("", "for-you").ids[:7]


def test_the_reason_names_the_liked_papers_and_their_words(three_topics):
    collection, ids = three_topics
    star_five_graph_papers(collection, ids)

    reason = collection.for_you().reason(ids["graph"][7])

    assert reason.startswith("like ")
    assert "of your starred papers: " in reason
    words = reason.split(": ", 1)[1].split(", ")
    assert set(words) <= set(TOPIC_WORDS["graph"]) | {"study", "number"}
    assert any(word in TOPIC_WORDS["graph"] for word in words)


def test_like_tag_combines_with_a_word_and_a_filter(three_topics):
    collection, ids = three_topics
    collection.library.tags.add(ids["diffusion"][:3], ["generative"])
    collection.library.set_starred(ids["diffusion"][3:5], True)

    alike = collection.search("like:tag:generative").ids
    narrowed = collection.search("like:tag:generative is:starred").ids
    worded = collection.search("like:tag:Generative guidance").ids

    assert set(alike[: PER_TOPIC - 3]) == set(ids["diffusion"][3:])  # best first
    assert not set(alike) & set(ids["diffusion"][:3])  # the tag's own papers left out
    assert set(narrowed) == set(ids["diffusion"][3:5])
    guidance = [pid for pid in alike if "guidance" in collection.library.get(pid).abstract]
    assert guidance
    assert worded == guidance  # in the order of the papers like the tag
    assert collection.search("like:tag:nobody").ids == []
    assert parse_query("like:tag:generative is:starred").needs_index  # never listed by SQLite


def test_for_you_keeps_no_files_and_works_from_a_rebuilt_index(three_topics, data_dir):
    collection, ids = three_topics
    starred = star_five_graph_papers(collection, ids)
    before = {path.name for path in data_dir.iterdir()}
    first = collection.search("", "for-you").ids
    assert {path.name for path in data_dir.iterdir()} == before  # nothing of its own to keep
    collection.close()

    shutil.rmtree(data_dir / INDEX_NAME)
    reopened = Collection(data_dir)
    try:
        assert reopened.search("", "for-you").ids == first
        assert {p.id for p in reopened.library.papers(starred) if p.starred} == set(starred)
    finally:
        reopened.close()


def test_a_new_paper_makes_the_model_stale(three_topics, write_digest):
    collection, ids = three_topics
    star_five_graph_papers(collection, ids)
    collection.search("", "for-you")
    extra = [("Graph Nodes Edges Again", "We study graph nodes and edges with message passing.")]

    collection.import_paths([write_digest("d.txt", "Mar 14", extra)])

    listed = collection.search("", "for-you").ids
    assert _ids_of(collection, extra)[0] in listed[:8]
    assert len(listed) == 3 * PER_TOPIC - 5 + 1
