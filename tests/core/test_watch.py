"""Watched folders: new and changed digests are imported once; other files are passed over."""

from __future__ import annotations

from pathlib import Path

import pytest

from readerapp.core.collection import Collection
from readerapp.core.watch import check_folders, set_watched_folders, watched_folders

PAPERS = [
    ("Diffusion Models Beat GANs", "Diffusion models draw images step by step."),
    ("Transformers as Graph Networks", "Attention is message passing on a complete graph."),
]
MORE = [("Flow Matching for Generative Modeling", "Flow matching trains continuous flows.")]


@pytest.fixture
def collection(data_dir: Path) -> Collection:
    coll = Collection(data_dir)
    yield coll
    coll.close()


def test_the_folder_list_is_kept_in_the_library(collection: Collection, tmp_path: Path) -> None:
    assert watched_folders(collection.library) == []
    set_watched_folders(collection.library, [tmp_path / "a", tmp_path / "b", tmp_path / "a"])
    assert watched_folders(collection.library) == [tmp_path / "a", tmp_path / "b"]
    set_watched_folders(collection.library, [])
    assert collection.library.settings.get("watch.folders") is None


def test_new_and_changed_digests_are_imported_once(
    collection: Collection, write_digest, tmp_path: Path
) -> None:
    folder = tmp_path / "digests"
    first = write_digest("mar13.txt", "Mar 13", PAPERS)
    (folder / "notes.txt").write_text("a shopping list, not a digest\n", encoding="utf-8")
    (folder / "photo.jpg").write_bytes(b"\xff\xd8")
    summary = check_folders(collection, [folder])
    assert [r.source for r in summary.results] == [str(first)] and not summary.refused
    assert summary.added == 2

    pid = collection.library.filter_ids()[0]
    collection.library.set_starred([pid], True)
    assert check_folders(collection, [folder]).results == []  # nothing changed: nothing read

    write_digest("mar13.txt", "Mar 13", PAPERS + MORE)  # the same file, grown
    again = check_folders(collection, [folder])
    assert (again.added, again.seen_again) == (1, 2)
    assert collection.library.count() == 3
    assert collection.library.get(pid).starred  # the user's state is untouched


def test_a_missing_folder_is_no_error(collection: Collection, tmp_path: Path) -> None:
    assert check_folders(collection, [tmp_path / "nowhere"]).results == []
