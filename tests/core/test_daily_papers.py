"""Fetching the Daily Papers: a day imported from a local stand-in of the service, merged with
the same papers from digest files, and every bad answer leaving the library as it was."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from readerapp.core import daily_papers
from readerapp.core.collection import Collection
from readerapp.core.daily_papers import TRIES, FetchError, cut_line, missing_days
from readerapp.core.import_report import describe_import
from tests.daily_papers_server import Answer, DailyPapersServer, item

DAY = date(2024, 3, 13)
KEY = DAY.isoformat()
DAY_ITEMS = [
    item("2403.01234", "Diffusion Models for Tables", "We model tables with diffusion.",
         ["Ada Lovelace", "Alan Turing"]),
    item("2403.05678", "Zürich Über Alles: Sparse Attention",
         "Sparse attention,\\n  at scale.", ["Jürgen Schmidhuber", "Łukasz Kaiser", "李飞飞"],
         published="2024-03-11T09:00:00.000Z", githubRepo="https://github.com/x/sparse"),
]  # fmt: skip


@pytest.fixture
def collection(data_dir: Path):
    coll = Collection(data_dir)
    yield coll
    coll.close()


def state(coll: Collection) -> tuple:
    """Everything an import could change, to tell that a failed fetch changed nothing."""
    papers = coll.library.papers(coll.library.filter_ids())
    return [(p.id, p.title, p.arxiv_id, p.authors, p.starred, p.note) for p in papers], [
        (d.id, d.source) for d in coll.library.digests()
    ]


def test_a_day_is_imported_with_arxiv_ids_authors_and_dates(
    collection: Collection, daily_papers: DailyPapersServer
) -> None:
    daily_papers.serve(KEY, DAY_ITEMS)
    summary = collection.fetch_days([DAY])
    assert (summary.added, summary.seen_again, summary.warnings) == (2, 0, [])
    papers = collection.library.papers(collection.library.filter_ids(order="title"))
    assert [(p.title, p.arxiv_id, p.authors, p.published) for p in papers] == [
        ("Diffusion Models for Tables", "2403.01234", ["Ada Lovelace", "Alan Turing"],
         date(2024, 3, 12)),
        ("Zürich Über Alles: Sparse Attention", "2403.05678",
         ["Jürgen Schmidhuber", "Łukasz Kaiser", "李飞飞"], date(2024, 3, 11)),
    ]  # fmt: skip
    assert papers[1].abstract == "Sparse attention,\\n at scale."
    assert papers[1].has_code
    assert all(p.first_seen == DAY for p in papers)
    kept = collection.data_dir / "fetched" / f"{KEY}.json"
    assert json.loads(kept.read_text(encoding="utf-8")) == DAY_ITEMS  # as received
    (digest,) = collection.library.digests()
    assert (digest.source, digest.date) == (str(kept), DAY)
    assert describe_import(summary) == [
        "2 papers added, 0 seen again from 1 digest",
        f"fetched/{KEY}.json: 2 papers added, 0 seen again (2024-03-13, the Daily Papers of"
        " that day)",
    ]
    path, headers = daily_papers.requests[0]
    assert path == f"/api/daily_papers?date={KEY}"
    assert headers["User-Agent"].startswith("readerapp/")
    assert "Cookie" not in headers


def test_a_fetched_day_is_imported_again_from_its_file_without_the_network(
    collection: Collection, daily_papers: DailyPapersServer, data_dir: Path
) -> None:
    daily_papers.serve(KEY, DAY_ITEMS)
    collection.fetch_days([DAY])
    kept = data_dir / "fetched" / f"{KEY}.json"
    other = Collection(data_dir.parent / "other")
    try:
        summary = other.import_paths([kept])
        assert summary.added == 2 and not summary.refused
        (paper,) = other.library.papers([other.search("author:Turing").ids[0]])
        assert paper.arxiv_id == "2403.01234"
    finally:
        other.close()
    assert len(daily_papers.requests) == 1
    again = collection.import_paths([kept])
    assert again.results[0].already_imported


def test_a_paper_from_a_digest_file_keeps_its_star_and_note_and_gains_the_fetched_fields(
    collection: Collection, daily_papers: DailyPapersServer, write_digest
) -> None:
    digest = write_digest("a.txt", "Mar 12", [("Diffusion models for tables", "From the file.")])
    collection.import_paths([digest])
    (pid,) = collection.library.filter_ids()
    collection.library.set_starred([pid], True)
    collection.set_note(pid, "read this")
    daily_papers.serve(KEY, DAY_ITEMS)
    summary = collection.fetch_days([DAY])
    assert (summary.added, summary.seen_again) == (1, 1)
    paper = collection.library.get(pid)
    assert (paper.starred, paper.note) == (True, "read this")
    assert (paper.arxiv_id, paper.authors) == ("2403.01234", ["Ada Lovelace", "Alan Turing"])
    assert paper.abstract == "From the file."
    assert len(paper.sightings) == 2  # seen in the file's digest and the fetched day
    assert collection.library.count() == 2


def test_a_retitled_paper_is_matched_by_its_arxiv_id(
    collection: Collection, daily_papers: DailyPapersServer
) -> None:
    daily_papers.serve(KEY, DAY_ITEMS)
    collection.fetch_days([DAY])
    later = date(2024, 3, 14)
    daily_papers.serve(later.isoformat(), [item("2403.01234", "Tables by Diffusion (v2)",
                                                "New abstract.", ["Ada Lovelace"])])  # fmt: skip
    summary = collection.fetch_days([later])
    assert (summary.added, summary.seen_again) == (0, 1)
    assert collection.library.count() == 2


def test_papers_without_title_or_abstract_are_skipped_and_said(
    collection: Collection, daily_papers: DailyPapersServer
) -> None:
    daily_papers.serve(KEY, [
        item("2403.00001", None, "An abstract.", ["A B"]),
        item("2403.00002", "No abstract here", None, ["A B"]),
        {"title": "Title on the item", "paper": {"id": "2403.00003", "summary": "Yes."}},
    ])  # fmt: skip
    summary = collection.fetch_days([DAY])
    assert summary.added == 1
    assert summary.warnings == [
        "paper 1 (2403.00001) has no title; skipped",
        "paper 2 (2403.00002) “No abstract here” has no abstract; skipped",
    ]
    (paper,) = collection.library.papers(collection.library.filter_ids())
    assert (paper.title, paper.authors) == ("Title on the item", [])


def test_an_empty_day_is_a_digest_of_no_papers(
    collection: Collection, daily_papers: DailyPapersServer
) -> None:
    daily_papers.serve(KEY, [])
    summary = collection.fetch_days([DAY])
    assert (summary.added, len(summary.results)) == (0, 1)
    assert collection.library.count() == 0


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (Answer(b'[{"paper": '), "2024-03-13 in an unexpected shape: the answer is not JSON"),
        (Answer(b'{"error": "x"}'), "expected a list of papers, got a JSON object"),
        (Answer(b'["just a string"]'), "item 1 is a string, not a paper"),
        (Answer(b"oops", status=500), "refused 2024-03-13 (HTTP 500 Internal Server Error)"),
        (Answer(b"", status=404), "refused 2024-03-13 (HTTP 404 Not Found)"),
    ],
)  # fmt: skip
def test_a_bad_answer_imports_nothing(
    collection: Collection, daily_papers: DailyPapersServer, write_digest, answer, message
) -> None:
    collection.import_paths([write_digest("a.txt", "Mar 12", [("Kept", "As it was.")])])
    before = state(collection)
    daily_papers.serve("2024-03-12", DAY_ITEMS)
    daily_papers.serve(KEY, answer)
    with pytest.raises(FetchError, match="nothing was imported") as caught:
        collection.fetch_days([date(2024, 3, 12), DAY])  # the good day is not imported either
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)
    assert state(collection) == before
    assert not (collection.data_dir / "fetched").exists()


def test_too_many_requests_waits_as_asked_and_tries_again(
    collection: Collection, daily_papers: DailyPapersServer
) -> None:
    daily_papers.serve(KEY, Answer(b"slow down", 429, {"Retry-After": "0"}), DAY_ITEMS)
    said: list[str] = []
    summary = collection.fetch_days([DAY], say=said.append)
    assert summary.added == 2
    assert said == [
        "the Daily Papers service asked to slow down (HTTP 429); trying 2024-03-13 again in 0 s"
    ]


def test_too_many_requests_for_ever_gives_up(
    collection: Collection, daily_papers: DailyPapersServer
) -> None:
    daily_papers.serve(KEY, Answer(b"", 429, {"Retry-After": "0"}))
    with pytest.raises(FetchError, match=r"still says too many requests \(HTTP 429\)"):
        collection.fetch_days([DAY], say=lambda _line: None)
    assert len(daily_papers.requests) == TRIES
    assert collection.library.count() == 0


def test_a_service_that_hangs_is_given_up_after_the_timeout(
    collection: Collection, daily_papers: DailyPapersServer
) -> None:
    daily_papers.serve(KEY, Answer(hang=True))
    with pytest.raises(FetchError, match=r"did not answer within 0.3 s; nothing was imported"):
        collection.fetch_days([DAY], timeout=0.3)
    assert collection.library.count() == 0


def test_nothing_listening_is_said_in_one_line(collection: Collection) -> None:
    with pytest.raises(FetchError, match=r"cannot reach the Daily Papers service at 127.0.0.1:9"):
        collection.fetch_days([DAY])


@pytest.mark.parametrize(
    ("header", "wait"),
    [(None, 1.0), ("3", 3.0), ("-5", 0.0), ("100000", daily_papers.MAX_WAIT_S), ("soon", 1.0),
     ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0)],
)  # fmt: skip
def test_retry_after_is_read_and_bounded(header: str | None, wait: float) -> None:
    assert daily_papers._retry_after(header) == wait


def test_the_address_defaults_to_hugging_face(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(daily_papers.URL_ENV)
    assert daily_papers.day_url(DAY) == "https://huggingface.co/api/daily_papers?date=2024-03-13"


def test_author_finds_a_part_of_a_name_and_nothing_else(
    collection: Collection, daily_papers: DailyPapersServer
) -> None:
    daily_papers.serve(KEY, DAY_ITEMS)
    collection.fetch_days([DAY])

    def found(query: str) -> list[str]:
        return [p.title for p in collection.library.papers(collection.search(query).ids)]

    assert found("author:lovelace") == ["Diffusion Models for Tables"]
    assert found('author:"ada lovelace"') == ["Diffusion Models for Tables"]
    assert found("author:Kaiser") == ["Zürich Über Alles: Sparse Attention"]
    assert found("author:% OR author:_") == []  # LIKE's wildcards are letters here
    assert found("-author:turing") == ["Zürich Über Alles: Sparse Attention"]


def test_nothing_fetched_yet_misses_just_today(collection: Collection, write_digest) -> None:
    collection.import_paths([write_digest("a.txt", "Mar 12", [("A Filed Paper", "Text.")])])
    assert collection.library.last_fetched_day() is None  # a digest file is not a fetch
    today = date(2026, 12, 6)
    assert missing_days(None, today) == ([today], 0)


def test_the_days_missing_are_those_after_the_newest_fetched_day(
    collection: Collection, daily_papers: DailyPapersServer
) -> None:
    daily_papers.serve(KEY, DAY_ITEMS)
    collection.fetch_days([DAY - timedelta(days=5), DAY])
    assert collection.library.last_fetched_day() == DAY
    today = date(2024, 3, 16)  # three days after the last fetch
    expected = [date(2024, 3, 14), date(2024, 3, 15), date(2024, 3, 16)]
    assert missing_days(DAY, today) == (expected, 0)
    assert missing_days(today, today) == ([], 0)


def test_the_missing_days_are_bounded_to_the_newest(collection: Collection) -> None:
    today = date(2024, 3, 31)
    days, left_out = missing_days(date(2024, 2, 19), today)  # 41 days missing
    assert (len(days), days[0], days[-1], left_out) == (31, date(2024, 3, 1), today, 10)
    assert cut_line(days, left_out) == (
        "only the newest 31 days are fetched (2024-03-01 to 2024-03-31); 10 older days were"
        " left out"
    )
