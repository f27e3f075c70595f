"""Importing as the window and the command line do: text, dates, copies, and the summary."""

from __future__ import annotations

import codecs
import os
from datetime import date, datetime
from pathlib import Path

import pytest

from readerapp.core.collection import PASTED_DIR, Collection
from readerapp.core.import_report import describe_import, headline, problem_lines, report_lines
from readerapp.core.models import ReadState, paper_id
from readerapp.core.paths import sample_digest

PAPERS = [
    ("Diffusion Models Beat GANs", "Diffusion models draw images step by step. They win."),
    ("Transformers as Graph Networks", "Attention is message passing. On a complete graph."),
]
HEADER = "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\n"


def digest_text(day: str | None, papers=PAPERS) -> str:
    body = [part for title, abstract in papers for part in (title, abstract)]
    return "\n\n".join([*([day] if day else []), *body]) + "\n"


def latest(month: int, day: int) -> date:
    """The latest date with this month and day up to today (the year an import infers)."""
    today = date.today()
    this_year = date(today.year, month, day)
    return this_year if this_year <= today else date(today.year - 1, month, day)


@pytest.fixture
def collection(data_dir: Path) -> Collection:
    coll = Collection(data_dir)
    yield coll
    coll.close()


def write(path: Path, data: bytes, modified: datetime | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    if modified:
        os.utime(path, (modified.timestamp(), modified.timestamp()))
    return path


# Pasted text ---------------------------------------------------------------------------------


def test_pasted_text_is_kept_as_a_file_and_imported(collection: Collection) -> None:
    summary = collection.import_text(HEADER + digest_text("Mar 13"))
    [result] = summary.results
    kept = Path(result.source)
    assert kept.parent == collection.data_dir / PASTED_DIR and kept.suffix == ".txt"
    assert kept.read_text(encoding="utf-8") == HEADER + digest_text("Mar 13")
    assert (result.added, result.day) == (2, latest(3, 13))
    assert result.day_note == f"Mar 13 → {latest(3, 13)}, year from the day it was imported"
    assert collection.library.count() == 2

    again = collection.import_text((HEADER + digest_text("Mar 13")).encode("utf-16"))
    assert again.results[0].already_imported and again.results[0].source == "pasted text"
    assert len(list((collection.data_dir / PASTED_DIR).iterdir())) == 1  # no second copy
    assert collection.import_paths([kept]).results[0].already_imported


def test_pasted_text_takes_the_date_given(collection: Collection) -> None:
    [result] = collection.import_text(digest_text("Mar 13"), day=date(2024, 3, 13)).results
    assert (result.day, result.day_note) == (
        date(2024, 3, 13), "2024-03-13, set by you; the digest says Mar 13",
    )  # fmt: skip


def test_pasted_bytes_are_decoded_as_a_file_is(collection: Collection) -> None:
    text = digest_text("Mar 13", [("The “Café” Paper", "We study cafés. It “works”. Well.")])
    summary = collection.import_text(text.encode("cp1252"), name="dropped")
    assert [p.title for p in collection.library.papers(collection.library.filter_ids())] == [
        "The “Café” Paper"
    ]
    assert Path(summary.results[0].source).read_bytes() == text.encode("cp1252")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "the text is empty"),
        (" \n\n", "the text is empty"),
        ("Just one paragraph of prose that I copied by mistake. It has words.\n", "single"),
        ("https://example.org/a\nhttps://example.org/b\n\nhttps://x.org/c\n", "list of links"),
        ("<!doctype html><html><head><title>Daily Papers</title></head></html>", "web page"),
    ],
)
def test_refused_text_is_reported_not_raised_nor_kept(
    collection: Collection, text: str, reason: str
) -> None:
    summary = collection.import_text(text, name="pasted")
    assert summary.results == [] and len(summary.refused) == 1
    assert reason in summary.refused[0].reason
    assert summary.refused[0].source == "pasted text"
    assert not (collection.data_dir / PASTED_DIR).exists() or not any(
        (collection.data_dir / PASTED_DIR).iterdir()
    )
    assert describe_import(summary) == [
        "0 papers added, 0 seen again from 0 digests; 1 file refused",
        f"refused pasted text: {summary.refused[0].reason}",
    ]


# Dates ---------------------------------------------------------------------------------------


def test_the_year_comes_from_the_files_date_and_is_said(
    collection: Collection, tmp_path: Path
) -> None:
    path = write(tmp_path / "a.txt", digest_text("Mar 13").encode(), datetime(2026, 2, 1, 12))
    [result] = collection.import_paths([path]).results
    assert result.day == date(2025, 3, 13)
    assert result.day_note == "Mar 13 → 2025-03-13, year from the file's date"
    [info] = collection.library.digests()
    assert (info.id, info.date, info.paper_count, info.source) == (
        result.digest_id, date(2025, 3, 13), 2, str(path),
    )  # fmt: skip
    assert info.date_note == result.day_note


def test_a_digest_without_a_date_line_is_dated_the_day_it_is_imported(
    collection: Collection, tmp_path: Path
) -> None:
    path = write(tmp_path / "undated.txt", digest_text(None).encode())
    [result] = collection.import_paths([path]).results
    today = date.today()
    assert result.day == today
    assert result.day_note == f"no date line → {today}, the day it was imported"
    [info] = collection.library.digests()
    assert info.date == today and info.date_note == result.day_note
    paper = collection.library.get(paper_id(PAPERS[0][0]))
    assert paper.first_seen == today and [s.date for s in paper.sightings] == [today]


def test_a_date_given_on_import_dates_the_digest_and_re_dates_one_imported_before(
    collection: Collection, tmp_path: Path
) -> None:
    path = write(tmp_path / "a.txt", digest_text("Mar 13").encode(), datetime(2026, 2, 1, 12))
    first = collection.import_paths([path], day=date(2024, 3, 13)).results[0]
    assert first.day == date(2024, 3, 13)
    assert first.day_note == "2024-03-13, set by you; the digest says Mar 13"

    again = collection.import_paths([path], day=date(2023, 3, 13)).results[0]
    assert again.already_imported and again.day == date(2023, 3, 13)
    assert collection.library.digests()[0].date == date(2023, 3, 13)
    assert collection.library.get(paper_id(PAPERS[0][0])).first_seen == date(2023, 3, 13)


def test_re_dating_a_digest_moves_first_seen_and_keeps_every_annotation(
    collection: Collection, tmp_path: Path
) -> None:
    old = write(tmp_path / "old.txt", digest_text("Mar 10").encode(), datetime(2026, 6, 1))
    new_papers = [PAPERS[0], ("Flow Matching", "Flows are trained by regression. It works.")]
    new = write(tmp_path / "new.txt", digest_text("Mar 20", new_papers).encode(),
                datetime(2026, 6, 1))  # fmt: skip
    collection.import_paths([old, new])
    shared, only_new = paper_id(PAPERS[0][0]), paper_id("Flow Matching")
    library = collection.library
    library.set_starred([shared], True)
    library.tags.add([shared], ["survey"])
    library.set_read_state([only_new], ReadState.READ)
    library.set_note(shared, "read this")
    new_id = next(info.id for info in library.digests() if info.date == date(2026, 3, 20))

    library.set_digest_date(new_id, date(2026, 3, 1))

    assert library.get(shared).first_seen == date(2026, 3, 1)
    assert library.get(only_new).first_seen == date(2026, 3, 1)
    assert [p.title for p in library.papers(library.filter_ids())] == [
        PAPERS[1][0], PAPERS[0][0], "Flow Matching",
    ]  # newest first: the list follows  # fmt: skip
    paper = library.get(shared)
    assert (paper.starred, paper.tags, paper.note) == (True, ["survey"], "read this")
    assert library.get(only_new).read_state == ReadState.READ
    info = next(info for info in library.digests() if info.id == new_id)
    assert info.date_note == "2026-03-01, set by you; the digest says Mar 20"

    library.set_digest_date(new_id, date(2026, 3, 30))  # later than the other digest
    assert library.get(shared).first_seen == date(2026, 3, 10)
    assert library.get(only_new).first_seen == date(2026, 3, 30)


# Copies of one digest ------------------------------------------------------------------------

COPIES = {
    "utf-16": lambda text: text.encode("utf-16"),
    "utf-16-be": lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
    "cp1252": lambda text: text.encode("cp1252"),
    "crlf": lambda text: text.replace("\n", "\r\n").encode("utf-8"),
    "utf-8 with BOM": lambda text: text.encode("utf-8-sig"),
}


def test_re_encoded_copies_are_already_imported(collection: Collection, tmp_path: Path) -> None:
    text = HEADER + digest_text("Aug 7", [("Café Models", "We model cafés. It “works”. Yes.")])
    write(tmp_path / "digests" / "0-original.txt", text.encode("utf-8"), datetime(2026, 8, 8))
    for number, encode in enumerate(COPIES.values()):
        write(tmp_path / "digests" / f"copy{number}.txt", encode(text), datetime(2026, 8, 9))
    summary = collection.import_paths([tmp_path / "digests"])
    assert [r.already_imported for r in summary.results] == [False] + [True] * len(COPIES)
    assert summary.added == 1 and not summary.refused
    assert collection.library.stats()["digests"] == 1
    [info] = collection.library.digests()
    assert info.date == date(2026, 8, 7) and info.source.endswith("original.txt")
    [day] = collection.library.digest_progress()  # the side panel's list of digest days
    assert (day.day, day.papers) == (date(2026, 8, 7), 1)
    [paper] = collection.library.papers(collection.library.filter_ids())
    assert [s.date for s in paper.sightings] == [date(2026, 8, 7)]


# The summary in words ------------------------------------------------------------------------


def test_the_summary_lists_each_digest_with_its_date_in_proper_english(
    collection: Collection, tmp_path: Path
) -> None:
    one = write(tmp_path / "one.txt", digest_text("Mar 13", PAPERS[:1]).encode(),
                datetime(2026, 6, 1))  # fmt: skip
    two = write(tmp_path / "two.txt", digest_text("Mar 14").encode(), datetime(2026, 6, 1))
    page = write(tmp_path / "page.txt", b"<!DOCTYPE html><html><body>hi</body></html>")
    summary = collection.import_paths([one, two, page])
    assert report_lines(summary) == [
        "2 papers added, 1 seen again from 2 digests; 1 file refused",
        f"{one}: 1 paper added, 0 seen again (Mar 13 → 2026-03-13, year from the file's date)",
        f"{two}: 1 paper added, 1 seen again (Mar 14 → 2026-03-14, year from the file's date)",
    ]
    assert problem_lines(summary) == [
        f"refused {page}: this looks like a saved web page (HTML), not a digest text file"
    ]
    again = collection.import_paths([one])
    assert describe_import(again) == [
        "0 papers added, 0 seen again from 1 digest (1 already imported)",
        f"{one}: already imported (Mar 13 → 2026-03-13, year from the file's date)",
    ]


def test_an_empty_folder_says_no_digest_files_were_found(
    collection: Collection, tmp_path: Path
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / "cat.jpg").write_bytes(b"\xff\xd8")
    summary = collection.import_paths([empty, tmp_path / "photos"])
    assert describe_import(summary) == [
        f"no digest files found in {empty}",
        f"no digest files found in {tmp_path / 'photos'}",
    ]
    assert headline(summary) == "0 papers added, 0 seen again from 0 digests"


def test_the_welcome_digest_is_dated_the_day_it_is_imported(collection: Collection) -> None:
    [result] = collection.import_paths([sample_digest()]).results
    assert result.added > 5 and result.day == date.today()
    assert collection.library.digests()[0].date == date.today()
    newest = collection.library.get(collection.library.filter_ids()[0])
    assert newest.first_seen == date.today()
