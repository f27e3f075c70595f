"""Importing on the command line: standard input, dates, copies, exports and empty folders."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest

from readerapp.core.collection import Collection
from readerapp.core.export import write_markdown
from tests.conftest import run_cli as run
from tests.core.test_importing import HEADER, digest_text, write


def digests_json(data_dir: Path) -> list[dict]:
    done = run(data_dir, "digests", "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_import_from_standard_input_keeps_the_text_as_a_file(data_dir: Path) -> None:
    done = run(data_dir, "import", "-", stdin=HEADER + digest_text("Mar 13"))
    assert done.returncode == 0, done.stderr
    [row] = digests_json(data_dir)
    kept = Path(row["source"])
    assert kept.parent == data_dir / "pasted" and kept.read_text() == HEADER + digest_text("Mar 13")
    assert done.stdout.splitlines() == [
        "2 papers added, 0 seen again from 1 digest",
        f"{kept}: 2 papers added, 0 seen again ({row['date_note']})",
    ]
    assert row["date_note"].startswith("Mar 13 → ") and row["dated_by"] == "today"
    again = run(data_dir, "import", str(kept))
    assert "already imported" in again.stdout and len(digests_json(data_dir)) == 1


def test_standard_input_in_another_encoding_is_decoded_as_a_file_is(data_dir: Path) -> None:
    run(data_dir, "import", "-", stdin=digest_text("Mar 13"))
    done = subprocess.run(
        [sys.executable, "-m", "readerapp", "--data-dir", str(data_dir), "import", "-"],
        input=digest_text("Mar 13").replace("\n", "\r\n").encode("utf-16"),
        capture_output=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode().startswith("0 papers added, 0 seen again from 1 digest (1 already")
    assert len(digests_json(data_dir)) == 1
    assert len(list((data_dir / "pasted").iterdir())) == 1


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("One paragraph I meant to paste elsewhere. It is prose.", "a single paragraph"),
        ("https://arxiv.org/abs/1\nhttps://arxiv.org/abs/2\n", "a list of links"),
    ],
)
def test_standard_input_that_is_no_digest_is_refused(data_dir: Path, text: str, reason: str):
    done = run(data_dir, "import", "-", stdin=text)
    assert done.returncode == 1
    assert f"readerapp: refused standard input text: no papers found: this is {reason}" in (
        done.stderr
    )
    assert "Traceback" not in done.stderr and digests_json(data_dir) == []


def test_date_option_dates_the_digest_and_corrects_it_later(data_dir: Path, tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", digest_text("Mar 13").encode(), datetime(2026, 2, 1, 12))
    first = run(data_dir, "import", str(path))
    assert (
        f"{path}: 2 papers added, 0 seen again (Mar 13 → 2025-03-13, year from the file's date)"
        in (first.stdout)
    )
    fixed = run(data_dir, "import", str(path), "--date", "2024-03-13")
    assert fixed.returncode == 0, fixed.stderr
    assert f"{path}: already imported (2024-03-13, set by you; the digest says Mar 13)" in (
        fixed.stdout
    )
    [row] = digests_json(data_dir)
    assert (row["date"], row["dated_by"], row["papers"]) == ("2024-03-13", "set", 2)
    search = json.loads(run(data_dir, "search", "", "--json").stdout)
    assert {r["first_seen"] for r in search["results"]} == {"2024-03-13"}
    assert {r["seen_in"][0]["date"] for r in search["results"]} == {"2024-03-13"}


def test_date_option_goes_with_one_digest(data_dir: Path, tmp_path: Path) -> None:
    path = write(tmp_path / "d" / "a.txt", digest_text("Mar 13").encode())
    for args in ([str(tmp_path / "d")], [str(path), str(path)]):
        done = run(data_dir, "import", *args, "--date", "2024-03-13")
        assert done.returncode == 2 and "--date goes with one digest" in done.stderr
    done = run(data_dir, "import", str(path), "--date", "13/03/2024")
    assert done.returncode == 2 and "'13/03/2024' is not a date such as 2024-03-13" in done.stderr


def test_digests_lists_dates_papers_and_sources(data_dir: Path, tmp_path: Path) -> None:
    dated = write(tmp_path / "dated.txt", digest_text("Mar 13").encode(), datetime(2026, 6, 1))
    undated = write(tmp_path / "undated.txt", (HEADER + digest_text(None)).encode())
    run(data_dir, "import", str(dated))
    run(data_dir, "import", str(undated))
    today = date.today().isoformat()
    lines = run(data_dir, "digests").stdout.splitlines()
    assert lines == [
        f"   2  {today}    2 papers  {undated}  (no date line → {today}, the day it was imported)",
        f"   1  2026-03-13    2 papers  {dated}  (Mar 13 → 2026-03-13, year from the file's date)",
        "2 digests",
    ]
    assert run(tmp_path / "empty", "digests").stdout == "no digests imported yet\n"


def test_a_digest_without_a_date_line_is_shown_the_same_everywhere(
    data_dir: Path, tmp_path: Path
) -> None:
    undated = write(tmp_path / "undated.txt", digest_text(None).encode())
    imported = run(data_dir, "import", str(undated))
    today = date.today()
    note = f"no date line → {today}, the day it was imported"
    assert f"{undated}: 2 papers added, 0 seen again ({note})" in imported.stdout
    [row] = digests_json(data_dir)
    search = json.loads(run(data_dir, "search", "", "--json").stdout)
    shown = run(data_dir, "show", search["results"][0]["id"]).stdout
    collection = Collection(data_dir)
    try:
        [info] = collection.library.digests()
    finally:
        collection.close()
    assert (row["date"], row["date_note"]) == (info.date.isoformat(), info.date_note)
    assert (info.date, info.date_note) == (today, note)
    assert f"({today.isoformat()})" in shown.splitlines()[1]
    assert search["results"][0]["seen_in"] == [{"date": today.isoformat(), "date_text": None}]

    exported = run(data_dir, "export", "-o", str(tmp_path / "list.md"))
    assert exported.returncode == 0, exported.stderr
    assert f"- Seen in: {today.isoformat()}\n" in (tmp_path / "list.md").read_text()

    run(data_dir, "import", str(undated), "--date", "2026-01-02")
    assert digests_json(data_dir)[0]["date"] == "2026-01-02"


def test_re_encoded_copies_are_already_imported_and_counts_agree(
    data_dir: Path, tmp_path: Path
) -> None:
    text = HEADER + digest_text("Aug 7").replace("Diffusion", "Café Diffusion")
    folder = tmp_path / "copies"
    write(folder / "0-utf8.txt", text.encode("utf-8"), datetime(2026, 8, 8))
    write(folder / "1-utf16.txt", text.encode("utf-16"), datetime(2026, 8, 9))
    write(folder / "2-cp1252.txt", text.encode("cp1252"), datetime(2026, 8, 9))
    write(folder / "3-crlf.txt", text.replace("\n", "\r\n").encode("utf-8"), datetime(2027, 9, 9))
    done = run(data_dir, "import", str(folder))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == (
        "2 papers added, 0 seen again from 4 digests (3 already imported)"
    )
    stats = json.loads(run(data_dir, "stats", "--json").stdout)
    rows = digests_json(data_dir)
    assert stats["digests"] == len(rows) == 1 and rows[0]["date"] == "2026-08-07"
    search = json.loads(run(data_dir, "search", "", "--json").stdout)
    assert all(
        r["seen_in"] == [{"date": "2026-08-07", "date_text": "Aug 7"}] for r in search["results"]
    )
    shown = run(data_dir, "show", search["results"][0]["id"]).stdout
    assert "seen in 1 digest" in shown and "2026-08-07, 2026-08-07" not in shown


def test_an_empty_folder_says_no_digest_files_were_found(data_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    done = run(data_dir, "import", str(tmp_path / "empty"))
    assert done.returncode == 1
    assert done.stderr == f"readerapp: no digest files found in {tmp_path / 'empty'}\n"
    assert done.stdout == ""


def test_an_export_named_is_refused_and_in_a_folder_skipped(data_dir: Path, tmp_path: Path):
    path = write(tmp_path / "digests" / "a.txt", digest_text("Mar 13").encode())
    run(data_dir, "import", str(path))
    collection = Collection(data_dir)
    try:
        papers = collection.library.papers(collection.library.filter_ids())
    finally:
        collection.close()
    export = write_markdown(tmp_path / "digests" / "list.md", papers)
    named = run(data_dir, "import", str(export))
    assert named.returncode == 1
    assert f"readerapp: refused {export}: a readerapp export (its Markdown reading list)" in (
        named.stderr
    )
    folder = run(data_dir, "import", str(tmp_path / "digests"))
    assert folder.returncode == 0, folder.stderr
    assert folder.stdout.splitlines()[0] == (
        "0 papers added, 0 seen again from 1 digest (1 already imported);"
        " 1 readerapp export skipped"
    )
    assert f"{export} skipped: a readerapp export (its Markdown reading list), not a digest" in (
        folder.stdout
    )
