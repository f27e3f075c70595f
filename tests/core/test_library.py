"""The SQLite library: import, stable ids, the user's state, transactions, foreign files."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from readerapp.core import library as library_module
from readerapp.core.collection import Collection
from readerapp.core.errors import LibraryError, UnknownPaperError
from readerapp.core.library import Filters, Library
from readerapp.core.models import ParsedDigest, ParsedPaper, ReadState, paper_id


def digest(name: str, day: date | None, *titles: str) -> ParsedDigest:
    papers = tuple(ParsedPaper(t, f"Abstract of {t}.", ()) for t in titles)
    return ParsedDigest(Path(name), f"hash-{name}", day and day.strftime("%b %d"), day, papers)


@pytest.fixture
def library(tmp_path: Path) -> Library:
    lib = Library.in_dir(tmp_path)
    yield lib
    lib.close()


def test_paper_id_folds_case_space_and_punctuation() -> None:
    assert paper_id("Attention Is All You Need") == paper_id("  attention is all,  you need!")
    assert paper_id("Attention Is All You Need") != paper_id("Attention Is Not All You Need")
    assert len(paper_id("x")) == 12


def test_reimporting_a_digest_changes_nothing(library: Library) -> None:
    first = library.add_digest(digest("a.txt", date(2025, 3, 13), "One", "Two"))
    again = library.add_digest(digest("a.txt", date(2025, 3, 13), "One", "Two"))
    assert (first.added, first.seen_again) == (2, 0)
    assert again.already_imported and again.added == 0
    assert library.count() == 2 and len(library.digests()) == 1


def test_a_paper_seen_in_two_digests_is_one_paper_with_both_dates(library: Library) -> None:
    library.add_digest(digest("a.txt", date(2025, 3, 13), "Shared Paper", "Only A"))
    result = library.add_digest(digest("b.txt", date(2025, 3, 12), "shared paper!", "Only B"))
    assert (result.added, result.seen_again) == (1, 1)
    paper = library.get(paper_id("Shared Paper"))
    assert paper.title == "Shared Paper"
    assert [s.date for s in paper.sightings] == [date(2025, 3, 12), date(2025, 3, 13)]
    assert paper.first_seen == date(2025, 3, 12)


def test_newest_first_then_digest_order(library: Library) -> None:
    library.add_digest(digest("old.txt", date(2025, 3, 1), "Old One", "Old Two"))
    library.add_digest(digest("new.txt", date(2025, 3, 2), "New One", "New Two"))
    titles = [p.title for p in library.papers(library.filter_ids())]
    assert titles == ["New One", "New Two", "Old One", "Old Two"]


def test_user_state_is_saved_with_timestamps(library: Library, tmp_path: Path) -> None:
    library.add_digest(digest("a.txt", date(2025, 3, 13), "One", "Two"))
    one, two = paper_id("One"), paper_id("Two")
    library.set_starred([one], True)
    library.tags.add([one, two], ["diffusion", " to  read "])
    library.tags.remove([two], ["DIFFUSION"])
    library.set_note(one, "# My note\n\n*important*")
    library.set_read_state([two], ReadState.READING)
    library.close()

    reopened = Library.in_dir(tmp_path)
    first, second = reopened.papers([one, two])
    assert first.starred and first.starred_at is not None
    assert first.tags == ["diffusion", "to read"] and second.tags == ["to read"]
    assert first.note == "# My note\n\n*important*" and first.note_at is not None
    assert second.read_state is ReadState.READING
    assert reopened.tags.counts() == [("diffusion", 1), ("to read", 2)]
    reopened.close()


def test_any_text_comes_back_as_it_was_written(library: Library) -> None:
    """Papers are read as JSON (see `Database.rows_at_once`): quotes, backslashes, control
    characters and characters beyond the BMP survive it."""
    title = 'A "quoted" \\ back\tslash: ünïcødé, 数学, 😀'
    library.add_digest(digest("a.txt", date(2025, 3, 13), title))
    library.add_digest(digest("b.txt", date(2025, 3, 11), title))
    pid = paper_id(title)
    note = 'line one\r\nline\u2028two \x1b[0m {"json": [1, 2]} null'
    library.set_note(pid, note)
    library.tags.add([pid], ["zeta", "Alpha", "ß"])
    paper = library.get(pid)
    assert (paper.title, paper.note) == (title, note)
    assert paper.tags == ["Alpha", "zeta", "ß"]
    assert [s.date for s in paper.sightings] == [date(2025, 3, 11), date(2025, 3, 13)]
    assert paper.abstract.startswith(f"Abstract of {title}.")


def test_filters(library: Library) -> None:
    library.add_digest(digest("a.txt", date(2025, 3, 13), "One", "Two", "Three"))
    library.add_digest(digest("b.txt", date(2025, 4, 2), "Four"))
    one, two = paper_id("One"), paper_id("Two")
    library.set_starred([one], True)
    library.tags.add([two], ["ml"])
    library.set_read_state([one], ReadState.READ)
    assert library.filter_ids(Filters(starred=True)) == [one]
    assert library.filter_ids(Filters(tags=["ML"])) == [two]
    assert library.filter_ids(Filters(read_states={ReadState.READ})) == [one]
    march = Filters(date_from=date(2025, 3, 1), date_to=date(2025, 3, 31))
    assert len(library.filter_ids(march)) == 3
    assert library.filter_ids(Filters(date_from=date(2025, 4, 1))) == [paper_id("Four")]


def test_unknown_ids_are_refused_and_nothing_changes(library: Library) -> None:
    library.add_digest(digest("a.txt", date(2025, 3, 13), "One"))
    with pytest.raises(UnknownPaperError):
        library.set_starred([paper_id("One"), "000000000000"], True)
    assert not library.get(paper_id("One")).starred
    with pytest.raises(UnknownPaperError):
        library.resolve_id("zz")


def test_id_prefixes_resolve(library: Library) -> None:
    library.add_digest(digest("a.txt", date(2025, 3, 13), "One"))
    full = paper_id("One")
    assert library.resolve_id(full[:6].upper()) == full


def test_a_foreign_sqlite_file_is_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "library.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE recipes (name TEXT)")
    before = path.read_bytes()
    with pytest.raises(LibraryError, match="another program"):
        Library(path)
    assert path.read_bytes() == before


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "library.sqlite3"
    path.write_bytes(b"these are my precious notes, not a database" * 100)
    with pytest.raises(LibraryError, match="not a readable"):
        Library(path)
    assert path.read_bytes().startswith(b"these are my precious notes")


def test_a_failed_write_leaves_the_library_as_it_was(library: Library) -> None:
    library.add_digest(digest("a.txt", date(2025, 3, 13), "One"))
    with pytest.raises(RuntimeError), library.db.transaction() as conn:
        conn.execute("UPDATE papers SET starred = 1")
        raise RuntimeError("crash in the middle")
    assert library.filter_ids(Filters(starred=True)) == []


def test_the_date_order_follows_imports_here_and_from_another_process(data_dir, write_digest):
    here = Collection(data_dir)
    elsewhere = Collection(data_dir)
    try:
        here.import_paths([write_digest("a.txt", "Mar 13", [("Paper A", "About a.")])])
        assert here.search("").ids  # the order is read and kept
        elsewhere.import_paths([write_digest("b.txt", "Mar 15", [("Paper B", "About b.")])])
        here.import_paths([write_digest("c.txt", "Mar 14", [("Paper C", "About c.")])])
        titles = [paper.title for paper in here.library.papers(here.search("").ids)]
        assert titles == ["Paper B", "Paper C", "Paper A"]
        elsewhere.import_paths(
            [write_digest("d.txt", "Mar 12", [("Paper B", "About b."), ("Paper D", "d")])]
        )
        titles = [paper.title for paper in here.library.papers(here.search("", sort="date").ids)]
        assert titles == ["Paper C", "Paper A", "Paper B", "Paper D"]
    finally:
        here.close()
        elsewhere.close()


def test_every_paper_is_listed_in_the_order_sqlite_sorts_them(library: Library) -> None:
    """The whole library's order is read as one string; it is the order of the rows."""
    titles = [f"Paper {n:03d}" for n in range(300)]
    for day in range(1, 6):  # many papers on each day: the ties follow the order of import
        library.add_digest(digest(f"{day}.txt", date(2025, 3, day), *titles[day::5]))
    library.add_digest(digest("more.txt", date(2025, 3, 3), "zeta", "Alpha", "beta"))
    connection = sqlite3.connect(library.path)
    for order, sql in (
        ("date", "first_seen DESC, rowid ASC"),
        ("title", "title COLLATE NOCASE ASC, first_seen DESC"),
    ):
        rows = [row[0] for row in connection.execute(f"SELECT id FROM papers ORDER BY {sql}")]
        assert library.filter_ids(order=order) == rows
    connection.close()


def test_papers_found_are_put_in_the_library_s_order(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(library_module, "PLACES_A_STEP", 7)  # places taken in many steps
    titles = [f"Paper {n:03d}" for n in range(100)]
    for day in range(1, 6):
        library.add_digest(digest(f"{day}.txt", date(2025, 3, day), *titles[day::5]))
    for order in ("date", "title"):
        every = library.filter_ids(order=order)
        found = set(every[::3]) | {"not-a-paper"}
        assert library.order_ids(found, order) == every[::3]
