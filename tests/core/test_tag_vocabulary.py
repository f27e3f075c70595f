"""Tags as a vocabulary: rename, merge, delete, each in one transaction; a colour per tag."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from readerapp.core import tags as tags_module
from readerapp.core.errors import LibraryError
from readerapp.core.library import Library
from readerapp.core.models import ParsedDigest, ParsedPaper


@pytest.fixture
def library(tmp_path: Path) -> Library:
    lib = Library.in_dir(tmp_path)
    papers = tuple(ParsedPaper(t, f"Abstract of {t}.") for t in ("One", "Two", "Three"))
    lib.add_digest(ParsedDigest(Path("a.txt"), "hash-a", "Mar 13", date(2025, 3, 13), papers))
    yield lib
    lib.close()


def ids(library: Library) -> dict[str, str]:
    return {p.title: p.id for p in library.papers(library.filter_ids())}


def tags(library: Library) -> dict[str, list[str]]:
    return {p.title: p.tags for p in library.papers(library.filter_ids())}


def test_rename_moves_the_tag_and_stamps_the_papers(library: Library) -> None:
    one, two, three = (ids(library)[t] for t in ("One", "Two", "Three"))
    library.tags.add([one, two], ["ml"])
    library.tags.set_colour("ml", "green")
    before = library.get(three).tags_at
    changed = library.tags.rename("ml", "machine learning")
    assert changed == sorted([one, two])
    assert tags(library) == {"One": ["machine learning"], "Two": ["machine learning"],
                             "Three": []}  # fmt: skip
    assert library.tags.counts() == [("machine learning", 2)]
    assert library.tags.colours() == {"machine learning": "green"}
    assert library.get(one).tags_at is not None and library.get(three).tags_at == before


def test_rename_onto_an_existing_tag_merges(library: Library) -> None:
    one, two, three = (ids(library)[t] for t in ("One", "Two", "Three"))
    library.tags.add([one, two], ["ml"])
    library.tags.add([two, three], ["Learning"])
    library.tags.set_colour("ml", "red")
    library.tags.set_colour("learning", "blue")
    changed = library.tags.rename("ml", "learning")  # the spelling typed wins everywhere
    assert changed == sorted([one, two, three])
    assert tags(library) == {"One": ["learning"], "Two": ["learning"], "Three": ["learning"]}
    assert library.tags.counts() == [("learning", 3)]
    assert library.tags.colours() == {"learning": "blue"}  # the colour of the tag merged into


def test_rename_can_change_only_the_case(library: Library) -> None:
    one = ids(library)["One"]
    library.tags.add([one], ["gan"])
    assert library.tags.rename("gan", "GAN") == [one]
    assert library.get(one).tags == ["GAN"]
    assert library.tags.rename("GAN", "GAN") == []


def test_rename_refuses_an_unknown_tag_or_an_empty_name(library: Library) -> None:
    library.tags.add([ids(library)["One"]], ["kept"])
    with pytest.raises(LibraryError, match="no paper is tagged"):
        library.tags.rename("absent", "other")
    with pytest.raises(LibraryError, match="needs a name"):
        library.tags.rename("kept", "   ")
    assert library.tags.counts() == [("kept", 1)]


def test_delete_takes_the_tag_off_every_paper(library: Library) -> None:
    one, two, _ = (ids(library)[t] for t in ("One", "Two", "Three"))
    library.tags.add([one, two], ["later", "keep"])
    library.tags.set_colour("later", "grey")
    assert library.tags.delete("LATER") == sorted([one, two])
    assert library.tags.counts() == [("keep", 2)]
    assert library.tags.colours() == {}
    assert library.tags.delete("later") == []


def test_a_failed_rename_changes_nothing(library: Library, monkeypatch) -> None:
    one = ids(library)["One"]
    library.tags.add([one], ["ml"])

    def broken(*_args) -> None:
        raise RuntimeError("the disk went away")

    monkeypatch.setattr(tags_module, "_stamp_tags", broken)
    with pytest.raises(RuntimeError):
        library.tags.rename("ml", "learning")
    assert library.get(one).tags == ["ml"]


def test_tag_colours_come_from_the_palette(library: Library) -> None:
    library.tags.set_colour("survey", "teal")
    assert library.tags.colours() == {"survey": "teal"}
    library.tags.set_colour("Survey", None)
    assert library.tags.colours() == {}
    with pytest.raises(LibraryError, match="not a tag colour"):
        library.tags.set_colour("survey", "#ff0000")
