"""Triage: progress per digest day, window sessions and is:new, is:triaged and is:untriaged."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from readerapp.core.library import DigestProgress, Filters, Library
from readerapp.core.models import ParsedDigest, ParsedPaper, ReadState
from readerapp.core.query import parse_query


def digest(name: str, day: date, *titles: str) -> ParsedDigest:
    papers = tuple(ParsedPaper(t, f"Abstract of {t}.") for t in titles)
    return ParsedDigest(Path(name), f"hash-{name}", day.strftime("%b %d"), day, papers)


@pytest.fixture
def library(tmp_path: Path) -> Library:
    lib = Library.in_dir(tmp_path)
    lib.add_digest(digest("a.txt", date(2025, 3, 13), "One", "Two", "Three", "Four"))
    lib.add_digest(digest("b.txt", date(2025, 3, 14), "Four", "Five"))
    yield lib
    lib.close()


def pid(library: Library, title: str) -> str:
    return next(p.id for p in library.papers(library.filter_ids()) if p.title == title)


def day(number: int, papers: int, triaged: int) -> DigestProgress:
    return DigestProgress(date(2025, 3, number), papers, triaged)


def titles(library: Library, query: str) -> list[str]:
    found = library.filter_ids(parse_query(query).condition, order="title")
    return [p.title for p in library.papers(found)]


def test_starred_tagged_noted_or_read_papers_are_triaged(library: Library) -> None:
    assert library.digest_progress() == [day(14, 2, 0), day(13, 4, 0)]
    library.set_starred([pid(library, "One")], True)
    library.tags.add([pid(library, "Two")], ["later"])
    library.set_note(pid(library, "Three"), "why")
    library.set_read_state([pid(library, "Four")], ReadState.READ)
    library.set_read_state([pid(library, "Five")], ReadState.READING)  # not yet decided
    assert library.digest_progress() == [day(14, 2, 1), day(13, 4, 4)]
    assert titles(library, "is:untriaged") == ["Five"]
    assert titles(library, "is:triaged date:2025-03-14") == ["Four"]


def test_a_changed_digest_of_the_same_day_counts_each_paper_once(library: Library) -> None:
    library.add_digest(digest("a2.txt", date(2025, 3, 13), "One", "Two", "Three", "Four", "Six"))
    assert library.digest_progress()[1] == day(13, 5, 0)


def test_new_means_added_since_the_previous_session_began(library: Library, tmp_path: Path) -> None:
    assert library.sessions.start() is None
    assert titles(library, "is:new") == ["Five", "Four", "One", "Three", "Two"]  # no session before
    library.add_digest(digest("c.txt", date(2025, 3, 15), "Six", "One"))
    previous = library.sessions.start()
    assert previous is not None and previous.last_paper == 5
    assert library.sessions.previous() == previous
    assert titles(library, "is:new") == ["Six"]
    assert library.stats()["new_since_last_session"] == 1
    other = Library.in_dir(tmp_path)  # another process sees the same sessions
    assert other.filter_ids(Filters(new=True)) == [pid(library, "Six")]
    other.close()
    library.sessions.start()
    assert titles(library, "is:new") == []


def test_settings_are_kept_and_forgotten(library: Library) -> None:
    assert library.settings.get("x") is None
    library.settings.set("x", "1")
    library.settings.set("x", "2")
    assert library.settings.get("x") == "2"
    library.settings.set("x", None)
    assert library.settings.get("x") is None
