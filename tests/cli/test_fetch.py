"""``readerapp fetch`` against a local stand-in of the Daily Papers service."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import bibtexparser
from bibtexparser import middlewares

from tests.conftest import run_cli
from tests.daily_papers_server import Answer, DailyPapersServer, item

DAY = "2024-03-13"
ITEMS = [
    item("2403.01234", "Diffusion Models for Tables", "We model tables with diffusion.",
         ["Ada Lovelace", "Alan Turing"]),
    item("2403.05678", "Sparse Attention at Scale", "Sparse attention.", ["Jürgen Schmidhuber"]),
]  # fmt: skip


def test_fetch_merges_with_a_starred_paper_from_a_digest_file(
    data_dir: Path, daily_papers: DailyPapersServer, write_digest
) -> None:
    digest = write_digest("a.txt", "Mar 12", [("Diffusion Models for Tables", "From the file.")])
    assert run_cli(data_dir, "import", str(digest)).returncode == 0
    pid = json.loads(run_cli(data_dir, "search", "--json").stdout)["results"][0]["id"]
    assert run_cli(data_dir, "star", pid).returncode == 0
    assert run_cli(data_dir, "note", pid, "keep me").returncode == 0
    daily_papers.serve(DAY, ITEMS)
    done = run_cli(data_dir, "fetch", "--date", DAY)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.splitlines() == [
        "1 paper added, 1 seen again from 1 digest",
        f"fetched/{DAY}.json: 1 paper added, 1 seen again ({DAY}, the Daily Papers of that day)",
    ]
    shown = run_cli(data_dir, "show", pid).stdout
    assert "authors: Ada Lovelace, Alan Turing" in shown
    assert "seen in 2 digests" in shown and "starred" in shown and "keep me" in shown
    as_json = json.loads(run_cli(data_dir, "show", pid, "--json").stdout)
    assert (as_json["authors"], as_json["arxiv_id"]) == (["Ada Lovelace", "Alan Turing"],
                                                         "2403.01234")  # fmt: skip
    found = json.loads(run_cli(data_dir, "search", "author:schmidhuber", "--json").stdout)
    assert [r["title"] for r in found["results"]] == ["Sparse Attention at Scale"]


def test_fetch_since_asks_for_every_day_up_to_today(
    data_dir: Path, daily_papers: DailyPapersServer
) -> None:
    today = date.today()
    days = [today - timedelta(days=2), today - timedelta(days=1), today]
    daily_papers.serve(days[1].isoformat(), ITEMS)
    done = run_cli(data_dir, "fetch", "--since", days[0].isoformat())
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "2 papers added, 0 seen again from 3 digests"
    asked = [path.rsplit("=", 1)[1] for path, _headers in daily_papers.requests]
    assert asked == [day.isoformat() for day in days]


def test_fetch_since_long_ago_fetches_the_newest_31_days_and_says_so(
    data_dir: Path, daily_papers: DailyPapersServer
) -> None:
    today = date.today()
    since = today - timedelta(days=32)  # 33 days up to today
    done = run_cli(data_dir, "fetch", "--since", since.isoformat())
    assert done.returncode == 0, done.stderr
    first = today - timedelta(days=30)
    assert done.stderr == (
        f"readerapp: only the newest 31 days are fetched ({first} to {today});"
        " 2 older days were left out\n"
    )
    asked = [path.rsplit("=", 1)[1] for path, _headers in daily_papers.requests]
    assert asked == [(first + timedelta(days=n)).isoformat() for n in range(31)]


def test_a_failed_fetch_is_one_line_and_exit_1(
    data_dir: Path, daily_papers: DailyPapersServer
) -> None:
    daily_papers.serve(DAY, Answer(b"no", status=500))
    done = run_cli(data_dir, "fetch", "--date", DAY)
    assert done.returncode == 1
    assert done.stderr == (
        "readerapp: the Daily Papers service refused 2024-03-13 (HTTP 500 Internal Server"
        " Error); nothing was imported\n"
    )
    assert json.loads(run_cli(data_dir, "stats", "--json").stdout)["digests"] == 0


def test_a_hang_ends_at_the_timeout_asked_for(
    data_dir: Path, daily_papers: DailyPapersServer
) -> None:
    daily_papers.serve(DAY, Answer(hang=True))
    done = run_cli(data_dir, "fetch", "--date", DAY, "--timeout", "0.5")
    assert done.returncode == 1
    assert done.stderr.endswith("did not answer within 0.5 s; nothing was imported\n")


def test_a_rate_limit_is_said_and_waited_out(
    data_dir: Path, daily_papers: DailyPapersServer
) -> None:
    daily_papers.serve(DAY, Answer(b"", 429, {"Retry-After": "0"}), ITEMS)
    done = run_cli(data_dir, "fetch", "--date", DAY)
    assert done.returncode == 0
    assert "asked to slow down (HTTP 429)" in done.stderr
    assert done.stdout.startswith("2 papers added")


def test_the_bibtex_of_a_starred_list_parses_back(
    data_dir: Path, daily_papers: DailyPapersServer, write_digest, tmp_path: Path
) -> None:
    digest = write_digest("a.txt", "Mar 12", [("A Paper Only In A File", "From the file.")])
    run_cli(data_dir, "import", str(digest))
    daily_papers.serve(DAY, ITEMS)
    run_cli(data_dir, "fetch", "--date", DAY)
    ids = [r["id"] for r in json.loads(run_cli(data_dir, "search", "--json").stdout)["results"]]
    run_cli(data_dir, "star", *ids)
    refs = tmp_path / "refs.bib"
    done = run_cli(data_dir, "export", "is:starred", "--format", "bibtex", "-o", str(refs))
    assert done.stdout == (
        f"exported 3 papers to {refs} (1 without an arXiv id: cited with what is known)\n"
    )
    library = bibtexparser.parse_string(refs.read_text(encoding="utf-8"), append_middleware=[
        middlewares.SeparateCoAuthors(), middlewares.SplitNameParts()])  # fmt: skip
    found = {
        e.fields_dict["title"].value: (
            [" ".join(n.last) for n in e.fields_dict["author"].value]
            if "author" in e.fields_dict else [],
            e.fields_dict["year"].value,
            e.fields_dict["eprint"].value if "eprint" in e.fields_dict else None,
        )
        for e in library.entries
    }  # fmt: skip
    assert found == {
        "Diffusion Models for Tables": (["Lovelace", "Turing"], "2024", "2403.01234"),
        "Sparse Attention at Scale": (["Schmidhuber"], "2024", "2403.05678"),
        "A Paper Only In A File": ([], str(date.today().year), None),
    }
    csl = tmp_path / "refs.json"
    run_cli(data_dir, "export", "is:starred", "--format", "csl-json", "-o", str(csl))
    assert {i["type"] for i in json.loads(csl.read_text(encoding="utf-8"))} == {"article"}
