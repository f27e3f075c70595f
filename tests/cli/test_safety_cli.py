"""Backups, restore, doctor, annotations, big and hostile inputs, full and read-only disks,
and two writers at once, as a user meets them on the command line."""

from __future__ import annotations

import json
import os
import pty
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from readerapp.core.collection import Collection
from readerapp.core.library import DB_NAME
from readerapp.core.models import paper_id
from tests.cli.test_kills import ANNOTATOR, Expected, write_batch
from tests.conftest import run_cli as run

PAPERS = [
    ("Diffusion Models Beat GANs", "Diffusion models draw. Code: https://github.com/x/gen."),
    ("Transformers as Graph Networks", "Attention is message passing on a graph."),
]
GRAPH = paper_id("Transformers as Graph Networks")


def ok(data_dir: Path, *args: str) -> str:
    done = run(data_dir, *args)
    assert done.returncode == 0, done.stderr
    return done.stdout


def one_line_error(done: subprocess.CompletedProcess) -> str:
    assert done.returncode == 1, done.stdout
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    return lines[0]


@pytest.fixture
def library(data_dir: Path, write_digest) -> Path:
    ok(data_dir, "import", str(write_digest("a.txt", "Mar 13", PAPERS)))
    return data_dir


# --- backup, restore, doctor -----------------------------------------------------------------


def test_backup_then_restore(library: Path, tmp_path: Path) -> None:
    ok(library, "note", GRAPH, "older words kittens")
    assert "backed up 2 papers to" in ok(library, "backup", str(tmp_path / "saved.sqlite3"))
    ok(library, "note", GRAPH, "newer words puppies")

    out = ok(library, "restore", str(tmp_path / "saved.sqlite3"))

    assert out.startswith("restored 2 papers from")
    assert "the library as it was is saved in" in out
    assert ok(library, "note", GRAPH) == "older words kittens\n"
    assert GRAPH in ok(library, "search", "kittens")
    assert "no papers found" in ok(library, "search", "puppies")


def test_the_first_command_of_the_day_makes_the_daily_backup(library: Path) -> None:
    ok(library, "stats")
    backups = list((library / "backups").glob("library-*.sqlite3"))
    assert len(backups) == 1
    stamp = backups[0].stat().st_mtime_ns
    ok(library, "star", GRAPH)
    assert backups[0].stat().st_mtime_ns == stamp  # once a day, not on every command


def test_a_damaged_library_names_the_backup_and_restore_brings_it_back(library: Path) -> None:
    ok(library, "star", GRAPH)
    ok(library, "backup")
    db = library / DB_NAME
    db.write_bytes(b"\x00" * 4096 + db.read_bytes()[4096:])
    damaged = db.read_bytes()

    error = one_line_error(run(library, "search", "graph"))
    backup = next((library / "backups").glob("library-*.sqlite3"))
    assert "not a readable readerapp library" in error
    assert f"readerapp restore {backup}" in error
    doctor = run(library, "doctor")
    assert doctor.returncode == 1 and "problem: " in doctor.stdout
    assert db.read_bytes() == damaged

    out = ok(library, "restore", str(backup))
    assert "the damaged library was kept as" in out
    assert "*" in ok(library, "search", "graph").splitlines()[0]  # the star is back


def test_doctor_reports_and_repairs(library: Path) -> None:
    for segment in (library / "index").glob("*.trm"):
        segment.unlink()
    out = ok(library, "doctor")
    assert "ok: the library is sound: 2 papers" in out
    assert "repaired: the search index is damaged" in out
    assert "ok: the search index matches the library (2 papers)" in ok(library, "doctor")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["restore", "{tmp}/notes.txt"], "not an SQLite database"),
        (["restore", "{tmp}/missing.sqlite3"], "does not exist"),
        (["backup", "{tmp}/no/such/folder/b.sqlite3"], "does not exist"),
        (["annotations", "import", "{tmp}/notes.txt"], "not a JSON file"),
        (["annotations", "export", "{tmp}/no/such/folder/a.json"], "does not exist"),
    ],
)
def test_errors_are_one_clear_line(
    library: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    (tmp_path / "notes.txt").write_text("my notes")
    error = one_line_error(run(library, *(a.format(tmp=tmp_path) for a in args)))
    assert message in error


def test_a_data_dir_on_a_path_that_does_not_exist(tmp_path: Path) -> None:
    wanted = tmp_path / "unplugged" / "readerapp"
    assert "does not exist" in one_line_error(run(wanted, "stats"))
    assert not wanted.parent.exists()


# --- annotations -----------------------------------------------------------------------------


def test_annotations_move_to_another_machine(library: Path, tmp_path: Path) -> None:
    ok(library, "star", GRAPH)
    ok(library, "tag", GRAPH, "graphs", "to-read")
    ok(library, "note", GRAPH, "My **own** note <script>alert(1)</script>")
    ok(library, "mark", GRAPH, "--as", "reading")
    out = ok(library, "annotations", "export", str(tmp_path / "mine.json"))
    assert out == f"exported the annotations of 1 paper to {tmp_path / 'mine.json'}\n"

    other = tmp_path / "laptop"
    out = ok(other, "annotations", "import", str(tmp_path / "mine.json"))
    assert out.startswith("1 of 1 paper changed (1 star, 1 read state, 1 tag set, 1 note)")
    assert "1 paper added from the file" in out
    shown = json.loads(ok(other, "show", GRAPH, "--json"))
    assert shown["starred"] and shown["tags"] == ["graphs", "to-read"]
    assert shown["note"] == "My **own** note <script>alert(1)</script>"
    assert shown["read_state"] == "reading"
    assert GRAPH in ok(other, "search", "own")  # the note is searchable there too
    again = ok(other, "annotations", "import", str(tmp_path / "mine.json"))
    assert again.startswith("0 of 1 paper changed")


# --- big and hostile inputs ------------------------------------------------------------------


def test_an_absurd_line_is_refused_and_the_rest_imported(data_dir: Path, write_digest) -> None:
    good = write_digest("good.txt", "Mar 13", PAPERS)
    absurd = good.with_name("absurd.txt")
    absurd.write_text("Mar 13\n\nA title\n\n" + "x" * 10_000_000)
    done = run(data_dir, "import", str(good), str(absurd))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "absurd.txt: a line is longer than 1,000,000 characters" in done.stderr
    assert done.stdout.startswith("2 papers added") and "1 file refused" in done.stdout


# The child's own peak resident set, in KB: VmHWM, which counts only the memory the child has
# had since it started. Not ru_maxrss: Linux carries the parent's peak into a child across exec,
# so after the window's tests it measured pytest (300-400 MB) rather than the import.
PEAK_KB = (
    "import os, resource\n"
    "def peak_kb():\n"
    "    if not os.path.exists('/proc/self/status'):\n"
    "        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
    "    with open('/proc/self/status') as status:\n"
    "        return next(int(line.split()[1]) for line in status if line.startswith('VmHWM:'))\n"
)


def peak_rss_mb(data_dir: Path, *args: str, stderr=subprocess.PIPE) -> tuple[int, float]:
    """Run the command line in a child that reports its own peak memory."""
    script = PEAK_KB + (
        "import sys\nfrom readerapp import cli\n"
        "code = cli.run(sys.argv[1:])\n"
        "print(peak_kb(), file=sys.__stdout__)\n"
        "sys.exit(code)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, "--data-dir", str(data_dir), *args],
        stdout=subprocess.PIPE, stderr=stderr, text=True, timeout=600,
    )  # fmt: skip
    return done.returncode, int(done.stdout.strip().splitlines()[-1]) / 1024


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_a_folder_of_2000_digests_imports_with_progress_in_bounded_memory(
    data_dir: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    header = "new\n\nSubscribe\n\nMar 13\n\n"
    for n in range(2000):
        text = f"Paper number {n} of many\n\nWe study uniq{n}q at length. It works well. " * 1
        (folder / f"{n:04d}.txt").write_text(header + text + "\n")
    terminal, child_side = pty.openpty()  # a terminal for standard error: the bar shows
    chunks: list[bytes] = []
    reader = threading.Thread(target=_drain, args=(terminal, chunks))
    reader.start()
    code, peak = peak_rss_mb(data_dir, "import", str(folder), stderr=child_side)
    os.close(child_side)
    reader.join()
    shown = b"".join(chunks).decode(errors="replace")
    assert code == 0
    assert "importing 2,000 of 2,000 files" in shown
    assert peak < 300, f"peak memory {peak:.0f} MB"
    print(f"\n2,000 digests: peak RSS {peak:.0f} MB")
    assert "uniq1999q" not in ok(data_dir, "search", "uniq1999q")  # the id, not the word
    assert "1 of 1 paper\n" in ok(data_dir, "search", "uniq1999q")


def _drain(fd: int, chunks: list[bytes]) -> None:
    """Read a terminal until its other side is closed, so that the writer never blocks."""
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the other side closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(fd)


def test_a_50_mb_digest_imports_in_bounded_memory(tmp_path: Path) -> None:
    abstract = "We study a problem at length. " * 80
    entries = [f"Paper number {n}: a title\n\n{abstract}\n\n" for n in range(21_000)]
    big = tmp_path / "big.txt"
    big.write_text("new\n\nSubscribe\n\nMar 13\n\n" + "".join(entries))
    del entries
    size_mb = big.stat().st_size / 1e6
    assert size_mb > 50
    script = PEAK_KB + (
        "import sys\nfrom pathlib import Path\n"
        "from readerapp.core.collection import Collection\n"
        "coll = Collection(Path(sys.argv[1]))\n"
        "summary = coll.import_paths([Path(sys.argv[2])])\n"
        "print(summary.added, peak_kb())\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path / "data"), str(big)],
                          capture_output=True, text=True, timeout=600)  # fmt: skip
    assert done.returncode == 0, done.stderr
    added, peak_kb = map(int, done.stdout.split())
    print(f"\n{size_mb:.0f} MB digest: peak RSS {peak_kb / 1024:.0f} MB")
    assert added == 21_000
    assert peak_kb / 1024 < 100 + 5 * size_mb  # the interpreter, then a few copies of the text


# --- two writers at once ---------------------------------------------------------------------


def test_the_command_line_writes_beside_an_import_and_a_reindex(
    tmp_path: Path, data_dir: Path
) -> None:
    write_batch(tmp_path / "batch-0", 0)
    ok(data_dir, "import", str(tmp_path / "batch-0"))
    ids = [paper_id(f"Paper b0d{d}n0 on {w}") for d, w in ((0, "graph"), (1, "kernel"))]
    for batch in (1, 2, 3):
        write_batch(tmp_path / "more" / f"batch-{batch}", batch)
    base = [sys.executable, "-m", "readerapp", "--data-dir", str(data_dir)]
    procs = [
        subprocess.Popen([*base, "import", str(tmp_path / "more")], **_pipes()),
        subprocess.Popen([*base, "reindex"], **_pipes()),
        subprocess.Popen(
            [sys.executable, "-c", ANNOTATOR, str(data_dir), "0", "60", *ids], **_pipes()
        ),
    ]
    outputs = [proc.communicate(timeout=300) for proc in procs]
    for proc, (_, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err
        assert "locked" not in err and "busy" not in err and "Traceback" not in err
    expected = Expected()
    expected.record(outputs[2][0])
    assert expected.acknowledged == 60

    coll = Collection(data_dir)
    try:
        expected.check(coll)
        assert coll.index_problem() is None  # nothing was lost between the three
        coll.sync_index()
        assert coll.index.all_ids() == set(coll.library.filter_ids())
        notes = {pid: note for (pid, name), note in expected.acked.items() if name == "note"}
        for pid, note in notes.items():
            assert coll.search(note.split()[-1]).ids == [pid]
    finally:
        coll.close()


def _pipes() -> dict:
    return {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, "text": True}


# --- real read-only and full disks (needs root and mount namespaces) -------------------------

DRIVER = """
import json, subprocess, sys
data, mount = sys.argv[1], sys.argv[2:]
subprocess.run(mount[0].split("|")[0].split(), check=True)
if "|" in mount[0]:
    subprocess.run(mount[0].split("|")[1].split(), check=True)
results = []
for line in sys.stdin.read().splitlines():
    args = [sys.executable, "-m", "readerapp", "--data-dir", data, *json.loads(line)]
    done = subprocess.run(args, capture_output=True, text=True)
    results.append([done.returncode, done.stdout, done.stderr])
print(json.dumps(results))
"""


def in_namespace(data_dir: Path, mount: str, commands: list[list[str]]) -> list:
    """Run readerapp commands in a private mount namespace after ``mount`` (steps split by |)."""
    if shutil.which("unshare") is None or os.geteuid() != 0:
        pytest.skip("needs root and unshare to mount a private file system")
    probe = subprocess.run(["unshare", "-m", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("mount namespaces are not allowed here")
    done = subprocess.run(
        ["unshare", "-m", sys.executable, "-c", DRIVER, str(data_dir), mount],
        input="\n".join(json.dumps(c) for c in commands), capture_output=True, text=True,
        timeout=300, cwd=Path(__file__).resolve().parents[2],
    )  # fmt: skip
    if done.returncode != 0:
        pytest.skip(f"could not mount: {done.stderr.strip()[-200:]}")
    return json.loads(done.stdout)


def test_a_read_only_data_dir_is_one_clear_error(library: Path) -> None:
    before = (library / DB_NAME).read_bytes()
    mount = f"mount --bind {library} {library}|mount -o remount,bind,ro {library}"
    (code, _, err), (stats_code, _, _) = in_namespace(
        library, mount, [["star", GRAPH], ["stats", "--json"]]
    )
    assert code == 1 and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert "not writable" in err
    assert stats_code == 1  # even reading needs a writable folder for the journal
    assert (library / DB_NAME).read_bytes() == before


def test_a_full_disk_is_one_clear_error_and_no_digest_is_half_imported(
    tmp_path: Path, write_digest
) -> None:
    data_dir = tmp_path / "small-disk"
    data_dir.mkdir()
    abstract = "A long abstract about nothing in particular, repeated. " * 40
    folder = tmp_path / "digests"
    for n in range(30):
        entries = [(f"Paper {n} {k} of many", f"{abstract} uniq{n}x{k}") for k in range(40)]
        write_digest(f"{n:02d}.txt", "Mar 13", entries).rename(folder / f"{n:02d}.txt")
    results = in_namespace(
        data_dir, f"mount -t tmpfs -o size=3m tmpfs {data_dir}",
        [["import", str(folder)], ["stats", "--json"], ["note", paper_id("Paper 0 0 of many")]],
    )  # fmt: skip
    (code, _, err), (stats_code, stats, _), (note_code, _, _) = results
    assert code == 1 and "Traceback" not in err, err
    assert len(err.strip().splitlines()) == 1 and "disk is full" in err
    assert stats_code == 0 and note_code == 0  # the library still opens and reads
    papers = json.loads(stats)["papers"]
    assert papers % 40 == 0 and papers < 30 * 40  # whole digests only
