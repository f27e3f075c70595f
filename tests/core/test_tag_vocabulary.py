"""Tags as a vocabulary: rename, merge, delete, each in one transaction; a colour per tag."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

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
    library.add_tags([one, two], ["ml"])
    library.set_tag_colour("ml", "green")
    before = library.get(three).tags_at
    changed = library.rename_tag("ml", "machine learning")
    assert changed == sorted([one, two])
    assert tags(library) == {"One": ["machine learning"], "Two": ["machine learning"],
                             "Three": []}  # fmt: skip
    assert library.tag_counts() == [("machine learning", 2)]
    assert library.tag_colours() == {"machine learning": "green"}
    assert library.get(one).tags_at is not None and library.get(three).tags_at == before


def test_rename_onto_an_existing_tag_merges(library: Library) -> None:
    one, two, three = (ids(library)[t] for t in ("One", "Two", "Three"))
    library.add_tags([one, two], ["ml"])
    library.add_tags([two, three], ["Learning"])
    library.set_tag_colour("ml", "red")
    library.set_tag_colour("learning", "blue")
    changed = library.rename_tag("ml", "learning")  # the spelling typed wins everywhere
    assert changed == sorted([one, two, three])
    assert tags(library) == {"One": ["learning"], "Two": ["learning"], "Three": ["learning"]}
    assert library.tag_counts() == [("learning", 3)]
    assert library.tag_colours() == {"learning": "blue"}  # the colour of the tag merged into


def test_rename_can_change_only_the_case(library: Library) -> None:
    one = ids(library)["One"]
    library.add_tags([one], ["gan"])
    assert library.rename_tag("gan", "GAN") == [one]
    assert library.get(one).tags == ["GAN"]
    assert library.rename_tag("GAN", "GAN") == []


def test_rename_refuses_an_unknown_tag_or_an_empty_name(library: Library) -> None:
    library.add_tags([ids(library)["One"]], ["kept"])
    with pytest.raises(LibraryError, match="no paper is tagged"):
        library.rename_tag("absent", "other")
    with pytest.raises(LibraryError, match="needs a name"):
        library.rename_tag("kept", "   ")
    assert library.tag_counts() == [("kept", 1)]


def test_delete_takes_the_tag_off_every_paper(library: Library) -> None:
    one, two, _ = (ids(library)[t] for t in ("One", "Two", "Three"))
    library.add_tags([one, two], ["later", "keep"])
    library.set_tag_colour("later", "grey")
    assert library.delete_tag("LATER") == sorted([one, two])
    assert library.tag_counts() == [("keep", 2)]
    assert library.tag_colours() == {}
    assert library.delete_tag("later") == []


def test_a_failed_rename_changes_nothing(library: Library, monkeypatch) -> None:
    one = ids(library)["One"]
    library.add_tags([one], ["ml"])

    def broken(*_args) -> None:
        raise RuntimeError("the disk went away")

    monkeypatch.setattr(Library, "_stamp_tags", staticmethod(broken))
    with pytest.raises(RuntimeError):
        library.rename_tag("ml", "learning")
    assert library.get(one).tags == ["ml"]


def test_tag_colours_come_from_the_palette(library: Library) -> None:
    library.set_tag_colour("survey", "teal")
    assert library.tag_colours() == {"survey": "teal"}
    library.set_tag_colour("Survey", None)
    assert library.tag_colours() == {}
    with pytest.raises(LibraryError, match="not a tag colour"):
        library.set_tag_colour("survey", "#ff0000")
