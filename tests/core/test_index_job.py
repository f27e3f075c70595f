"""Big index work in a child process: real children, a real index, a cancel that kills."""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from readerapp.core import index_job
from readerapp.core.collection import Collection
from readerapp.core.errands import Errands
from readerapp.core.errors import ReaderappError
from readerapp.core.models import paper_id
from readerapp.core.search import Cancelled, SearchIndex, index
from tests.conftest import run_cli

WORDS = ["graph", "kernel", "sparse", "tensor", "latent", "policy", "reward", "vision"]
NOTE = "remember zqnotex for the reading group"
forks = pytest.mark.skipif(
    multiprocessing.get_start_method() != "fork", reason="Whoosh workers only where forked"
)


def title(n: int) -> str:
    return f"Paper {n} on {WORDS[n % len(WORDS)]} methods"


def papers(count: int, start: int = 0) -> list[tuple[str, str]]:
    """``count`` distinct papers with abstracts of some 60 words."""
    return [
        (
            title(n),
            f"We study uniq{n}w and {WORDS[(n * 3) % len(WORDS)]} learning. "
            + "The method is simple and the results are strong on every benchmark. " * 5,
        )
        for n in range(start, start + count)
    ]


@pytest.fixture(scope="module")
def big_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder of 1,000 indexed papers, one with a note: made once, copied by `big`."""
    root = tmp_path_factory.mktemp("big")
    header = ["new", "Subscribe", "byAK and the research community", "Mar 13"]
    (root / "digests").mkdir()
    for i in range(10):
        body = [part for paper in papers(100, i * 100) for part in paper]
        (root / "digests" / f"d{i}.txt").write_text("\n\n".join(header + body) + "\n")
    coll = Collection(root / "data")
    try:
        coll.import_paths([root / "digests"])
        coll.ensure_index()
        coll.set_note(paper_id(title(7)), NOTE)
    finally:
        coll.close()
    return root / "data"


@pytest.fixture
def big(big_library: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Collection]:
    """A copy of `big_library`, open; every index job goes to a child process."""
    shutil.copytree(big_library, data_dir)
    coll = Collection(data_dir)
    monkeypatch.setattr(index_job, "IN_PROCESS_LIMIT", 0)
    yield coll
    coll.close()


def started_children(monkeypatch: pytest.MonkeyPatch) -> list[subprocess.Popen]:
    """The index jobs' child processes, as they are started."""
    children: list[subprocess.Popen] = []
    start = index_job._start

    def recording(command: list[str], **options: bool) -> subprocess.Popen:
        children.append(start(command, **options))
        return children[-1]

    monkeypatch.setattr(index_job, "_start", recording)
    return children


def group_ends(group: int, timeout: float = 10.0) -> bool:
    """Whether the process group ends within ``timeout`` (killed workers are reaped by init)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


def test_small_work_stays_in_this_process(
    indexed_collection, write_digest, monkeypatch: pytest.MonkeyPatch
) -> None:
    coll = indexed_collection(papers(3))
    children = started_children(monkeypatch)
    coll.import_paths([write_digest("b.txt", "Mar 14", papers(80, 3))])
    assert index_job.ensure_index(coll) is None
    index_job.rebuild_index(coll)
    assert children == []
    assert coll.index.doc_count() == 83


def test_a_rebuild_in_a_child_reports_progress_and_is_searched_here(
    big: Collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    children = started_children(monkeypatch)
    seen: list[tuple[int, int]] = []
    index_job.rebuild_index(big, lambda done, total: seen.append((done, total)))
    assert len(children) == 1 and children[0].returncode == 0
    assert seen[0] == (200, 1000) and seen[-1] == (1000, 1000)
    assert big.search("zqnotex").ids == [paper_id(title(7))]
    assert big.index.doc_count() == 1000


def test_a_big_catch_up_runs_in_a_child(
    big: Collection, write_digest, monkeypatch: pytest.MonkeyPatch
) -> None:
    children = started_children(monkeypatch)
    big.import_paths([write_digest("more.txt", "Mar 14", papers(400, 1000))])
    assert index_job.ensure_index(big) is None
    assert len(children) == 1
    assert big.library.index_queue.ids() == []
    assert big.search("uniq1399w").ids == [paper_id(title(1399))]
    assert big.index.doc_count() == 1400


def test_searches_offered_while_a_child_catches_up_are_run_meanwhile(
    big: Collection, write_digest, monkeypatch: pytest.MonkeyPatch
) -> None:
    children = started_children(monkeypatch)
    big.import_paths([write_digest("more.txt", "Mar 14", papers(1000, 1000))])
    errands, found = Errands(), []

    def search() -> None:
        found.append((children[0].poll(), big.search("uniq7w OR uniq1007w").ids))

    def progress(done: int, total: int) -> None:
        if done == 200:
            assert errands.offer(search)

    assert index_job.ensure_index(big, progress, errands=errands) is None
    assert found == [(None, [paper_id(title(7))])], "run while the child ran, in what it held"
    assert not errands.offer(search), "taken only while a task serves"
    assert big.search("uniq1007w").ids == [paper_id(title(1007))]


def test_a_big_import_is_indexed_beside_it_a_batch_at_a_time(
    big: Collection, write_digest, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(index_job, "BESIDE_IMPORT_BYTES", 0)
    monkeypatch.setattr(index_job, "WORKER_BATCH", 50)  # a batch of 50 a worker
    children = started_children(monkeypatch)
    paths = [
        write_digest(f"d{i}.txt", f"Mar {14 + i}", papers(100, 1000 + 100 * i)) for i in range(4)
    ]
    waiting_mid_import: list[int] = []

    def progress(done: int, total: int) -> None:
        if done == 3:  # the import waits here, 300 papers in, for the child to take them
            deadline = time.monotonic() + 60
            while big.library.index_queue.count() and time.monotonic() < deadline:
                time.sleep(0.05)
            waiting_mid_import.append(big.library.index_queue.count())

    summary, beside = index_job.import_with_index(big, paths, progress)
    assert summary.added == 400 and beside is not None
    seen: list[tuple[int, int]] = []
    assert (
        index_job.ensure_index(big, lambda done, total: seen.append((done, total)), beside=beside)
        is None
    )
    assert waiting_mid_import == [0], "indexed while the import ran"
    assert seen[-1] == (400, 400), "counted over the whole import"
    assert len(children) == 1 and children[0].returncode == 0
    assert big.library.index_queue.ids() == []
    assert big.search("uniq1000w OR uniq1399w").ids == [
        paper_id(title(1000)),
        paper_id(title(1399)),
    ]
    assert big.index.doc_count() == 1400


def test_a_small_import_starts_no_job_beside_it(big: Collection, write_digest) -> None:
    summary, beside = index_job.import_with_index(
        big, [write_digest("a.txt", "Mar 14", papers(9, 1000))]
    )
    assert summary.added == 9 and beside is None


def test_a_failed_import_stops_the_job_beside_it(
    big: Collection, write_digest, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(index_job, "BESIDE_IMPORT_BYTES", 0)
    children = started_children(monkeypatch)
    paths = [
        write_digest(f"d{i}.txt", f"Mar {14 + i}", papers(100, 1000 + 100 * i)) for i in range(2)
    ]

    def disk_gone(done: int, total: int) -> None:
        raise OSError("the disk went away")

    with pytest.raises(OSError, match="went away"):
        index_job.import_with_index(big, paths, disk_gone)
    if sys.platform != "win32":
        assert group_ends(children[0].pid), "the child and its workers are gone"
    assert len(big.library.index_queue.ids()) == 100, "the first file's papers stay queued"
    assert index_job.ensure_index(big) is None
    assert big.search("uniq1099w").ids == [paper_id(title(1099))]


def test_no_search_is_taken_while_a_child_rebuilds(big: Collection) -> None:
    big.index.invalidate()
    errands, offered = Errands(), []
    index_job.ensure_index(big, lambda *_: offered.append(errands.offer(print)), errands=errands)
    assert offered and not any(offered), "the index being replaced is left closed"


def test_a_missing_index_is_rebuilt_in_a_child_and_the_reason_given(big: Collection) -> None:
    big.index.invalidate()
    assert index_job.ensure_index(big) == "the search index has no version stamp"
    assert big.search("uniq999w").ids == [paper_id(title(999))]


def test_cancel_kills_the_child_mid_rebuild_and_the_old_index_stays(
    big: Collection, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    children = started_children(monkeypatch)
    seen: list[int] = []
    with pytest.raises(Cancelled):
        index_job.rebuild_index(big, lambda done, total: seen.append(done), lambda: bool(seen))
    assert seen == [200], "cancelled at the first progress, long before the end"
    child = children[0]
    assert child.returncode == -9
    if sys.platform != "win32":
        assert group_ends(child.pid), "its Whoosh workers died with it"
    with big.index.exclusive(0) as held:
        assert held, "the index lock died with the child"
    pid = paper_id(title(7))
    assert big.library.get(pid).note == NOTE
    assert big.search("zqnotex").ids == [pid]
    assert big.index.doc_count() == 1000
    assert index_job.ensure_index(big) is None


def test_an_error_in_the_child_is_raised_here_as_it_would_be_in_process(
    big: Collection, data_dir: Path
) -> None:
    (data_dir / "index.new").write_text("in the way")  # the fresh index cannot be made
    with pytest.raises(ReaderappError) as in_process:
        big.rebuild_index()
    with pytest.raises(ReaderappError) as in_child:
        index_job.rebuild_index(big)
    assert type(in_child.value) is type(in_process.value)
    assert str(in_child.value) == str(in_process.value)
    assert "cannot write the search index" in str(in_child.value)
    assert big.search("zqnotex").ids, "the old index is still there"


def test_a_child_that_dies_without_a_word_is_reported(
    big: Collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    crash = [sys.executable, "-c", "import sys; sys.exit('the bundle is broken')"]
    monkeypatch.setattr(index_job, "job_command", lambda data_dir, rebuild: crash)
    with pytest.raises(ReaderappError, match=r"exit status 1\): the bundle is broken"):
        index_job.rebuild_index(big)


def test_the_hidden_verb_prints_one_json_event_a_line(big: Collection, data_dir: Path) -> None:
    done = run_cli(data_dir, "index-job", "--rebuild")
    assert done.returncode == 0, done.stderr
    events = [json.loads(line) for line in done.stdout.splitlines()]
    assert events[0] == {"event": "progress", "done": 200, "total": 1000}
    assert events[-1] == {"event": "done", "rebuilt": None, "indexed": 1000}
    assert "index-job" not in run_cli(data_dir, "--help").stdout


def test_the_frozen_bundle_runs_its_console_program(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, console = tmp_path / "readerapp-gui.exe", tmp_path / "readerapp.exe"
    window.write_text("")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(window))
    command = index_job.job_command(tmp_path / "data", rebuild=True)
    assert command == [str(window), "--data-dir", str(tmp_path / "data"), "index-job", "--rebuild"]
    console.write_text("")
    assert index_job.job_command(tmp_path / "data", rebuild=False)[0] == str(console)


@forks
def test_a_build_with_workers_leaves_one_segment_each_and_finds_everything(
    tmp_path: Path,
) -> None:
    index = SearchIndex(tmp_path / "index")
    rows = [(f"id{n}", title, abstract, "") for n, (title, abstract) in enumerate(papers(600))]
    index.rebuild(rows, len(rows), procs=2)
    assert index.doc_count() == 600
    assert index.search("uniq599w") == ["id599"]
    assert len(index.segments()) == 2
    index.close()


@pytest.fixture
def small_batches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SearchIndex]:
    """An index whose builds with 2 workers commit 200 papers at a time."""
    monkeypatch.setattr(index, "WORKER_BATCH", 100)
    search_index = SearchIndex(tmp_path / "index")
    yield search_index
    search_index.close()


ROWS = [(f"id{n}", title, abstract, "") for n, (title, abstract) in enumerate(papers(500))]


@forks
def test_a_big_build_with_workers_commits_a_batch_at_a_time(small_batches: SearchIndex) -> None:
    search_index, rows = small_batches, ROWS
    seen: list[int] = []
    search_index.rebuild(rows, len(rows), lambda done, total: seen.append(done), procs=2)
    assert seen == [200, 400, 500]
    assert search_index.doc_count() == 500
    # a worker's segment per 100 papers: the last batch needs one
    assert len(search_index.segments()) == 5
    assert search_index.search("uniq0w OR uniq499w", scored=False) == ["id0", "id499"]


@forks
def test_a_big_catch_up_with_workers_is_searchable_a_batch_at_a_time(
    small_batches: SearchIndex,
) -> None:
    search_index, rows = small_batches, ROWS
    search_index.rebuild(rows[:50], 50)
    noted = [(pid, title, abstract, "quokkanote") for pid, title, abstract, _ in rows[:10]]
    found_meanwhile: list[list[str]] = []

    def catching_up():
        for n, row in enumerate(noted + rows[50:]):
            if n == 200:  # the first batch is committed
                found_meanwhile.append(search_index.search("uniq100w OR uniq300w"))
            yield row

    search_index.update(catching_up(), 460, procs=2)
    assert found_meanwhile == [["id100"]]
    assert search_index.doc_count() == 500
    assert search_index.search("quokkanote", scored=False) == [f"id{n}" for n in range(10)]
    assert search_index.search("uniq0w OR uniq499w", scored=False) == ["id0", "id499"]


@forks
def test_papers_updated_again_and_again_leave_one_document_each(
    small_batches: SearchIndex,
) -> None:
    search_index, rows = small_batches, ROWS
    search_index.rebuild(rows, len(rows), procs=2)  # five segments
    for note in ("quokka", "wombat", "numbat"):
        changed = [(pid, title, abstract, note) for pid, title, abstract, _ in rows[::50]]
        search_index.update(changed, len(changed), procs=2)
    assert search_index.doc_count() == 500
    assert search_index.search("quokka OR wombat", scored=False) == []
    assert search_index.search("numbat", scored=False) == [pid for pid, *_ in rows[::50]]


@forks
def test_a_cancelled_build_with_workers_stops_them_and_keeps_the_old_index(
    tmp_path: Path,
) -> None:
    index = SearchIndex(tmp_path / "index")
    rows = [(f"id{n}", title, abstract, "") for n, (title, abstract) in enumerate(papers(600))]
    index.rebuild(rows[:10], 10)
    before = set(multiprocessing.active_children())
    with pytest.raises(Cancelled):
        index.rebuild(rows, len(rows), cancelled=lambda: len(multiprocessing.active_children()) > 1,
                      procs=2)  # fmt: skip
    assert set(multiprocessing.active_children()) == before
    assert index.doc_count() == 10
    assert not (tmp_path / "index.new").exists()
    index.close()
