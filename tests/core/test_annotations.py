"""Annotations to and from JSON: a round trip keeps everything; a merge keeps the newer change."""

from __future__ import annotations

import json
import secrets
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readerapp.core import annotations
from readerapp.core.annotations import Annotation, merge
from readerapp.core.collection import Collection
from readerapp.core.errors import AnnotationsError
from readerapp.core.models import ReadState, paper_id

PAPERS = [
    ("Diffusion Models Beat GANs", "Diffusion models draw. Code: https://github.com/x/gen."),
    ("Transformers as Graph Networks", "Attention is message passing on a complete graph."),
    ("Learning to Rank with Bandits", "We learn rankings from clicks using bandit feedback."),
]
DIFFUSION, GRAPH, BANDITS = (paper_id(title) for title, _ in PAPERS)
FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture
def make_collection(tmp_path: Path, write_digest):
    digest = write_digest("a.txt", "Mar 13", PAPERS)
    made: list[Collection] = []

    def make(name: str, *, with_papers: bool = True) -> Collection:
        coll = Collection(tmp_path / name)
        if with_papers:
            coll.import_paths([digest])
        made.append(coll)
        return coll

    yield make
    for coll in made:
        coll.close()


def annotate(coll: Collection) -> None:
    library = coll.library
    library.set_starred([DIFFUSION], True)
    library.tags.add([DIFFUSION, GRAPH], ["generative", "to read"])
    coll.set_note(GRAPH, "# Mine\n\n*Markdown* kept as **written** <b>here</b>")
    library.set_read_state([BANDITS], ReadState.READ)
    library.set_starred([BANDITS], True)
    library.set_starred([BANDITS], False)  # an unstar is a change to carry too


def exported(coll: Collection, path: Path) -> list[dict]:
    annotations.export_annotations(coll.library, path)
    return json.loads(path.read_text(encoding="utf-8"))["papers"]


def test_a_round_trip_into_an_empty_library_keeps_everything(
    make_collection, tmp_path: Path
) -> None:
    source = make_collection("source")
    annotate(source)
    first = exported(source, tmp_path / "a.json")
    assert {p["id"] for p in first} == {DIFFUSION, GRAPH, BANDITS}

    target = make_collection("target", with_papers=False)
    report = annotations.import_annotations(target.library, tmp_path / "a.json")
    assert (report.papers_added, report.papers_changed, report.notes) == (3, 3, 1)
    assert exported(target, tmp_path / "b.json") == first
    target.ensure_index()
    assert target.search("markdown").ids == [GRAPH]
    assert target.search("is:starred").ids == [DIFFUSION]
    assert target.library.get(DIFFUSION).links == ["https://github.com/x/gen"]


def test_importing_the_same_file_again_changes_nothing(make_collection, tmp_path) -> None:
    source = make_collection("source")
    annotate(source)
    exported(source, tmp_path / "a.json")
    report = annotations.import_annotations(source.library, tmp_path / "a.json")
    assert report.papers_changed == 0 and report.papers_in_file == 3
    assert report.describe().startswith("0 of 3 papers changed")


def at(minutes: int) -> datetime:
    return datetime(2025, 3, 13, 12, 0, tzinfo=UTC) + timedelta(minutes=minutes)


def test_the_newer_change_of_each_field_wins(make_collection) -> None:
    coll = make_collection("mine")
    coll.ensure_index()
    merge(coll.library, [Annotation(GRAPH, starred=True, starred_at=at(10), note="mine",
                                    note_at=at(10), tags=["a"], tags_at=at(10))])  # fmt: skip
    theirs = Annotation(
        GRAPH,
        starred=False, starred_at=at(5),  # older: loses
        note="theirs", note_at=at(20),  # newer: wins
        tags=["b", "c"], tags_at=at(30),  # newer: wins
        read_state=ReadState.READING, read_state_at=at(1),  # we never set it: wins
    )  # fmt: skip
    report = merge(coll.library, [theirs])
    paper = coll.library.get(GRAPH)
    assert (paper.starred, paper.note, paper.tags, paper.read_state) == (
        True, "theirs", ["b", "c"], ReadState.READING)  # fmt: skip
    assert paper.note_at == at(20) and paper.starred_at == at(10)
    assert (report.stars, report.notes, report.tag_sets, report.read_states) == (0, 1, 1, 1)
    assert coll.library.index_queue.ids() == [GRAPH]  # the new note goes to the index


def test_an_unknown_paper_without_a_title_is_skipped(make_collection) -> None:
    coll = make_collection("mine")
    report = merge(coll.library, [Annotation("0123456789ab", note="x", note_at=at(0))])
    assert report.skipped == 1 and coll.library.count() == 3


BAD_FILES = [
    ("not json at all", "not a JSON file"),
    ('{"format": "something else", "papers": []}', "not a readerapp annotations file"),
    ('{"format": "readerapp-annotations", "version": 99, "papers": []}', "newer readerapp"),
    ('{"format": "readerapp-annotations", "version": 1}', "no list of papers"),
    ('{"format": "readerapp-annotations", "version": 1, "papers": [{"id": "x"}]}', "paper 1"),
    ('{"format": "readerapp-annotations", "version": 1, "papers": '
     '[{"id": "0123456789ab", "starred": 1}]}', "starred must be bool"),
    ('{"format": "readerapp-annotations", "version": 1, "papers": '
     '[{"id": "0123456789ab", "note_at": "yesterday"}]}', "paper 1"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "message"), BAD_FILES)
def test_a_bad_file_is_refused_and_changes_nothing(
    make_collection, tmp_path: Path, text: str, message: str
) -> None:
    coll = make_collection("mine")
    path = tmp_path / "bad.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(AnnotationsError, match=message):
        annotations.import_annotations(coll.library, path)
    assert coll.library.annotated_ids() == []


def test_a_missing_file_is_a_clear_error(make_collection, tmp_path: Path) -> None:
    with pytest.raises(AnnotationsError, match="cannot read"):
        annotations.import_annotations(make_collection("m").library, tmp_path / "gone.json")


# --- fuzzing ---------------------------------------------------------------------------------

NOTES = st.text(max_size=200)
TAGS = st.lists(st.text(min_size=1, max_size=20), max_size=4)


@FUZZ
@given(note=NOTES, tags=TAGS, starred=st.booleans(), state=st.sampled_from(list(ReadState)))
def test_any_annotation_survives_a_round_trip(
    make_collection, tmp_path: Path, note: str, tags: list[str], starred: bool, state: ReadState
) -> None:
    source = make_collection(f"source-{secrets.token_hex(4)}")
    merge(source.library, [Annotation(GRAPH, note=note, note_at=at(1), tags=tags,
                                      tags_at=at(2), starred=starred, starred_at=at(3),
                                      read_state=state, read_state_at=at(4))])  # fmt: skip
    path = tmp_path / "fuzz.json"
    first = exported(source, path)
    target = make_collection(f"target-{secrets.token_hex(4)}", with_papers=False)
    annotations.import_annotations(target.library, path)
    assert exported(target, tmp_path / "again.json") == first
    assert target.library.get(GRAPH).note == note


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner,
                                                                 max_size=4),
    max_leaves=20,
)  # fmt: skip
ENTRY_KEYS = ["id", "title", "starred", "starred_at", "tags", "tags_at", "note", "note_at",
              "read_state", "read_state_at", "links", "first_seen"]  # fmt: skip
ENTRY = st.dictionaries(st.sampled_from(ENTRY_KEYS), JSON | st.just(GRAPH), max_size=8)


@FUZZ
@given(entries=st.lists(ENTRY, max_size=3))
def test_any_json_gives_a_report_or_a_clear_error(
    make_collection, tmp_path: Path, entries: list[dict]
) -> None:
    coll = make_collection(f"json-{secrets.token_hex(4)}")
    path = tmp_path / "any.json"
    document = {"format": "readerapp-annotations", "version": 1, "papers": entries}
    path.write_text(json.dumps(document), encoding="utf-8")
    try:
        report = annotations.import_annotations(coll.library, path)
    except AnnotationsError:
        return
    assert report.papers_in_file == len(entries)
