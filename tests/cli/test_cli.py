"""The command line as a user runs it: the real program through subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from readerapp.core.models import paper_id
from tests.conftest import plain_papers
from tests.conftest import run_cli as run

PAPERS = [
    ("Diffusion Models Beat GANs", "Diffusion models draw. Code: https://github.com/x/gen."),
    ("Transformers as Graph Networks", "Attention is message passing on a graph."),
]


@pytest.fixture
def library(data_dir: Path, write_digest) -> Path:
    done = run(data_dir, "import", str(write_digest("a.txt", "Mar 13", PAPERS)))
    assert done.returncode == 0, done.stderr
    return data_dir


def search_ids(data_dir: Path, query: str) -> list[str]:
    done = run(data_dir, "search", query, "--json")
    assert done.returncode == 0, done.stderr
    return [row["id"] for row in json.loads(done.stdout)["results"]]


def test_import_real_digests_then_search_show_and_stats(
    data_dir: Path, real_digests: list[Path]
) -> None:
    entries = plain_papers(real_digests)
    papers = {paper_id(title) for title, _abstract in entries}
    done = run(data_dir, "import", str(real_digests[0].parent))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(
        f"{len(papers)} papers added, {len(entries) - len(papers)} seen again"
    )
    again = run(data_dir, "import", *map(str, real_digests))
    assert again.stdout.startswith("0 papers added") and "already imported" in again.stdout

    found = run(data_dir, "search", "federated learning", "--limit", "3")
    lines = found.stdout.splitlines()
    assert len(lines) == 4 and lines[-1].startswith("3 of ")
    first_id = lines[0].split()[0]
    shown = run(data_dir, "show", first_id[:6])
    assert shown.returncode == 0 and "seen in" in shown.stdout

    stats = json.loads(run(data_dir, "stats", "--json").stdout)
    assert stats["digests"] == len(real_digests) and stats["papers"] == len(papers)


def test_import_reports_refused_files_and_keeps_the_good_ones(
    data_dir: Path, write_digest, tmp_path: Path
) -> None:
    good = write_digest("good.txt", "Mar 13", PAPERS)
    html = tmp_path / "page.txt"
    html.write_text("<!DOCTYPE html><html><body><p>hello</p></body></html>")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    done = run(data_dir, "import", str(good), str(html), str(empty), str(tmp_path / "nope.txt"))
    assert done.returncode == 1
    assert "2 papers added" in done.stdout and "3 files refused" in done.stdout
    assert "page.txt" in done.stderr and "HTML" in done.stderr
    assert "empty.txt" in done.stderr and "Traceback" not in done.stderr
    assert len(search_ids(data_dir, "")) == 2


def test_a_big_import_into_a_new_library_is_searchable_when_it_ends(
    data_dir: Path, write_digest
) -> None:
    """Over 2 MB of digests: the index job runs beside the import (`index_job.IndexBeside`)."""
    filler = "We measure the method on every benchmark and report its cost. " * 30
    for day in range(12):
        papers = [(f"Study {day}-{n} of sparse kernels", f"Mark zq{day}x{n}w. {filler}")
                  for n in range(100)]  # fmt: skip
        write_digest(f"d{day}.txt", f"Mar {day + 1}", papers)
    done = run(data_dir, "import", str(data_dir.parent / "digests"))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("1200 papers added") and done.stderr == ""
    assert len(search_ids(data_dir, "zq0x0w OR zq11x99w")) == 2
    stats = json.loads(run(data_dir, "stats", "--json").stdout)
    assert stats["papers"] == 1200


def test_search_json_with_highlights_and_sort(library: Path) -> None:
    result = json.loads(run(library, "search", "diffusion", "--json").stdout)
    assert result["total"] == 1
    row = result["results"][0]
    assert row["title"] == "Diffusion Models Beat GANs"
    assert row["links"] == ["https://github.com/x/gen"]
    start, end = row["highlights"]["title"][0]
    assert row["title"][start:end] == "Diffusion"
    by_title = json.loads(run(library, "search", "", "--sort", "title", "--json").stdout)
    assert [r["title"] for r in by_title["results"]] == [t for t, _ in PAPERS]


def test_did_you_mean(library: Path) -> None:
    done = run(library, "search", "difusion")
    assert "no papers found" in done.stdout and "did you mean: diffusion" in done.stdout


def test_star_tag_note_mark_then_filters(library: Path) -> None:
    diffusion, graph = search_ids(library, "diffusion")[0], search_ids(library, "graph")[0]
    assert run(library, "star", diffusion).returncode == 0
    assert run(library, "tag", graph, "to-read", "graphs").stdout.endswith("graphs, to-read\n")
    assert run(library, "untag", graph, "graphs").stdout.endswith("to-read\n")
    assert run(library, "note", diffusion, "-", stdin="Read **this** first.\n").returncode == 0
    assert run(library, "mark", graph, "--as", "read").returncode == 0

    assert search_ids(library, "is:starred") == [diffusion]
    assert search_ids(library, "tag:to-read") == [graph]
    assert search_ids(library, "has:note first") == [diffusion]
    assert search_ids(library, "is:read") == [graph]
    assert run(library, "note", diffusion).stdout == "Read **this** first.\n\n"
    assert run(library, "unstar", diffusion).returncode == 0
    assert search_ids(library, "is:starred") == []


def test_export_writes_markdown(library: Path, tmp_path: Path) -> None:
    out = tmp_path / "list.md"
    done = run(library, "export", "diffusion", "-o", str(out), "--no-abstract")
    assert done.returncode == 0, done.stderr
    text = out.read_text()
    assert "Diffusion Models Beat GANs" in text and "Transformers" not in text
    assert "Diffusion models draw" not in text


def test_reindex_and_a_deleted_index_is_rebuilt_and_reported(library: Path) -> None:
    assert "rebuilt the search index: 2 papers" in run(library, "reindex").stdout
    for path in (library / "index").iterdir():
        path.unlink()
    done = run(library, "search", "graph")
    assert "rebuilt it from the library" in done.stderr
    assert "Transformers as Graph Networks" in done.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["show", "deadbeef"], "no paper with id 'deadbeef'"),
        (["star", "zz"], "'zz' is too short for an id: give at least 4 characters"),
        (["mark", "deadbeef", "--as", "finished"], "invalid choice"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_errors_are_one_clear_line(library: Path, args: list[str], message: str) -> None:
    done = run(library, *args)
    assert done.returncode in (1, 2)
    assert message in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_a_data_dir_that_cannot_be_created_is_one_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    done = run(blocker / "data", "stats")
    assert done.returncode == 1 and "data directory" in done.stderr
    assert "Traceback" not in done.stderr


def test_environment_variable_chooses_the_data_dir(tmp_path: Path, write_digest) -> None:
    env_dir = tmp_path / "from-env"
    digest = write_digest("a.txt", "Mar 13", PAPERS)
    done = subprocess.run(
        [sys.executable, "-m", "readerapp", "import", str(digest)],
        capture_output=True,
        text=True,
        env={**__import__("os").environ, "READERAPP_DATA_DIR": str(env_dir)},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert (env_dir / "library.sqlite3").is_file()


def test_version() -> None:
    done = subprocess.run([sys.executable, "-m", "readerapp", "--version"], capture_output=True,
                          text=True, timeout=60)  # fmt: skip
    assert done.stdout.startswith("readerapp ")


WHOOSH_LOADED = """
import sys
from readerapp import cli
status = cli.run(sys.argv[1:])
print(status, sorted({name.split(".")[0] for name in sys.modules} & {"whoosh"}), file=sys.stderr)
"""


def test_commands_that_do_not_search_start_without_whoosh(library: Path) -> None:
    """Importing Whoosh takes over 100 ms: only the index's first use pays it."""
    for args, loaded in ((["stats"], "[]"), (["search", "diffusion"], "['whoosh']")):
        done = subprocess.run([sys.executable, "-c", WHOOSH_LOADED, "--data-dir", str(library),
                               *args], capture_output=True, text=True, timeout=120)  # fmt: skip
        assert done.stderr.splitlines()[-1] == f"0 {loaded}", done.stderr
