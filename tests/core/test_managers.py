"""The library's managers each on their own: what each promises whatever the others hold."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from readerapp.core.db import Database
from readerapp.core.errors import UnknownPaperError
from readerapp.core.library import DB_NAME, Library
from readerapp.core.library_settings import LibrarySettings
from readerapp.core.models import ParsedDigest, ParsedPaper
from readerapp.core.sessions import Sessions


def _digest(name: str, *titles: str) -> ParsedDigest:
    papers = tuple(ParsedPaper(t, f"Abstract of {t}.") for t in titles)
    return ParsedDigest(Path(name), f"hash-{name}", "Mar 13", date(2025, 3, 13), papers)


@pytest.fixture
def library(tmp_path: Path) -> Library:
    lib = Library.in_dir(tmp_path)
    lib.add_digest(_digest("a.txt", "One"))
    yield lib
    lib.close()


def _one(library: Library) -> str:
    return library.filter_ids()[0]


def test_tags_for_an_unknown_paper_change_no_paper(library: Library) -> None:
    one = _one(library)
    with pytest.raises(UnknownPaperError):
        library.tags.add([one, "000000000000"], ["ml"])
    assert library.get(one).tags == [] and library.tags.counts() == []
    library.tags.add([one], ["ml"])
    with pytest.raises(UnknownPaperError):
        library.tags.remove([one, "000000000000"], ["ml"])
    assert library.get(one).tags == ["ml"]


def test_a_tag_is_found_and_removed_in_any_case_and_spacing(library: Library) -> None:
    one = _one(library)
    library.tags.add([one], ["  machine   learning "])
    assert library.tags.paper_ids("Machine Learning") == {one}
    library.tags.remove([one], ["MACHINE learning"])
    assert library.tags.paper_ids("machine learning") == set()
    assert library.get(one).tags == []


def test_a_saved_search_is_seen_up_to_the_newest_paper_when_opened(library: Library) -> None:
    library.saved_searches.save("all", "is:unread")
    (saved,) = library.saved_searches.all()
    library.add_digest(_digest("b.txt", "Two"))
    assert library.saved_searches.all()[0].seen_up_to == saved.seen_up_to
    library.saved_searches.mark_opened("all")
    assert library.saved_searches.all()[0].seen_up_to == saved.seen_up_to + 1


def test_settings_are_shared_by_every_library_on_the_file(tmp_path: Path) -> None:
    first, second = Library.in_dir(tmp_path), Library.in_dir(tmp_path)
    first.settings.set("watch.folders", '["/papers"]')
    assert second.settings.get("watch.folders") == '["/papers"]'
    second.settings.set("watch.folders", None)
    assert first.settings.get("watch.folders") is None
    first.close()
    second.close()


def test_sessions_need_only_the_database(tmp_path: Path) -> None:
    db = Database(tmp_path / DB_NAME)
    sessions = Sessions(db, LibrarySettings(db))
    assert sessions.start() is None and sessions.previous() is None
    first = sessions.start()
    assert first is not None and first.last_paper == 0
    assert sessions.previous() == first
    db.close()
