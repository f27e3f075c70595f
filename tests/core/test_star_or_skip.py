"""Star or skip's papers: varied across the library's subjects, unread and unlabelled, the
newest digest first, the same every time."""

from __future__ import annotations

from collections import Counter

from readerapp.core.collection import Collection
from readerapp.core.models import ReadState
from readerapp.core.star_or_skip import round_papers
from tests.core import test_for_you
from tests.core.test_for_you import PER_TOPIC, TOPIC_WORDS

three_topics = test_for_you.three_topics  # the fixture: a digest a topic, indexed


def topics_of(ids: dict[str, list[str]], picked: list[str]) -> list[str]:
    topic_of = {pid: topic for topic, members in ids.items() for pid in members}
    return [topic_of[pid] for pid in picked]


def test_the_round_takes_the_topics_in_turn_from_the_newest_digest(three_topics):
    collection, ids = three_topics

    picked = [p.id for p in round_papers(collection.library, 9)]

    # The topics share no subject word, so each next paper is of a topic not yet picked as
    # often as the others; the newest digest (Mar 12) is diffusion's, then speech's, graph's.
    assert topics_of(ids, picked) == ["diffusion", "speech", "graph"] * 3
    assert picked[0] == ids["diffusion"][0]
    assert len(set(picked)) == 9
    assert [p.id for p in round_papers(collection.library, 9)] == picked


def test_the_round_leaves_out_what_the_user_has_said_and_what_was_skipped(three_topics):
    collection, ids = three_topics
    library = collection.library
    library.set_starred(ids["graph"][:2], True)
    library.tags.add(ids["graph"][2:4], ["graphs"])
    collection.set_note(ids["speech"][0], "listen")
    library.set_not_for_me(ids["speech"][1:3], True)
    library.set_read_state(ids["diffusion"][:3], ReadState.READ)
    said = set(ids["graph"][:4] + ids["speech"][:3] + ids["diffusion"][:3])
    skipped = {ids["diffusion"][3], ids["speech"][3]}

    picked = [p.id for p in round_papers(library, 30, leave_out=skipped)]

    assert len(picked) == 3 * PER_TOPIC - len(said) - len(skipped)  # every one left, then
    assert not set(picked) & (said | skipped)
    assert Counter(topics_of(ids, picked[:6])) == dict.fromkeys(TOPIC_WORDS, 2)


def test_an_empty_library_has_no_round(data_dir):
    collection = Collection(data_dir)
    try:
        assert round_papers(collection.library) == []
    finally:
        collection.close()
