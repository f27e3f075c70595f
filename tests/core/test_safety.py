"""Nothing the user saved is lost: damaged files are refused untouched, full and read-only
disks are clear errors with nothing half-written, and two processes share one library."""

from __future__ import annotations

import errno
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from readerapp.core import backup
from readerapp.core.collection import Collection, prepare_data_dir
from readerapp.core.errors import DamagedLibraryError, DataDirError, LibraryError
from readerapp.core.library import DB_NAME, Library
from readerapp.core.models import ParsedDigest, ParsedPaper, paper_id

PAPERS = [
    ("Diffusion Models Beat GANs", "Diffusion models are learning to draw pictures."),
    ("Transformers as Graph Networks", "Attention is message passing on a complete graph."),
]
GRAPH = paper_id("Transformers as Graph Networks")


@pytest.fixture
def collection(indexed_collection) -> Collection:
    return indexed_collection(PAPERS)


def digest(name: str, *titles: str) -> ParsedDigest:
    papers = tuple(ParsedPaper(t, f"Abstract of {t}. " * 50, ()) for t in titles)
    return ParsedDigest(Path(name), f"hash-{name}", "Mar 13", date(2025, 3, 13), papers)


# --- damaged and foreign files -----------------------------------------------------------


def test_a_cut_off_library_is_refused_and_left_as_it_is(collection, data_dir: Path) -> None:
    collection.library.add_digest(digest("big.txt", *(f"Paper {n}" for n in range(200))))
    collection.close()
    db = data_dir / DB_NAME
    db.write_bytes(db.read_bytes()[: db.stat().st_size // 2])
    before = db.read_bytes()
    with pytest.raises(DamagedLibraryError, match="cut off"):
        Collection(data_dir)
    assert db.read_bytes() == before


def test_damage_inside_the_library_is_found(collection, data_dir: Path) -> None:
    collection.library.add_digest(digest("big.txt", *(f"Paper {n}" for n in range(300))))
    collection.close()
    db = data_dir / DB_NAME
    page_size = int.from_bytes(db.read_bytes()[16:18], "big")
    with open(db, "r+b") as file:
        file.seek(page_size * (db.stat().st_size // page_size // 2))
        file.write(b"\xff" * page_size)
    library = Library(db)  # opening stays cheap: the damage is found by a check that reads all
    try:
        problems = library.db.integrity_problems()
    except DamagedLibraryError as exc:  # damage so bad that the check itself stops
        problems = [str(exc)]
    library.close()
    assert problems


def test_a_foreign_database_with_a_live_journal_is_never_changed(tmp_path: Path) -> None:
    source = tmp_path / "theirs"
    source.mkdir()
    owner = sqlite3.connect(source / DB_NAME)
    owner.execute("PRAGMA journal_mode = WAL")
    owner.execute("PRAGMA wal_autocheckpoint = 0")
    owner.execute("CREATE TABLE recipes (name TEXT)")
    owner.executemany("INSERT INTO recipes VALUES (?)", [(f"soup {n}",) for n in range(500)])
    owner.commit()
    data = tmp_path / "data"
    data.mkdir()
    for name in (DB_NAME, DB_NAME + "-wal"):  # a copy taken while its program was running
        (data / name).write_bytes((source / name).read_bytes())
    owner.close()
    before = {name: (data / name).read_bytes() for name in (DB_NAME, DB_NAME + "-wal")}

    with pytest.raises(DamagedLibraryError, match="another program"):
        Collection(data)

    assert {name: (data / name).read_bytes() for name in before} == before


def test_a_library_from_a_newer_readerapp_is_refused(tmp_path: Path) -> None:
    Library(tmp_path / DB_NAME).close()
    with sqlite3.connect(tmp_path / DB_NAME) as conn:
        conn.execute("PRAGMA user_version = 99")
    with pytest.raises(LibraryError, match="newer readerapp"):
        Library(tmp_path / DB_NAME)


# --- full and read-only disks --------------------------------------------------------------


def test_a_full_disk_is_a_clear_error_and_nothing_is_half_written(collection) -> None:
    library = collection.library
    pages = library.db._conn.execute("PRAGMA page_count").fetchone()[0]
    library.db._conn.execute(f"PRAGMA max_page_count = {pages}")  # SQLite's own "disk is full"
    with pytest.raises(DataDirError, match="disk is full"):
        library.add_digest(digest("big.txt", *(f"Paper {n}" for n in range(300))))
    library.db._conn.execute("PRAGMA max_page_count = 1073741823")
    assert library.count() == 2
    library.set_starred([GRAPH], True)  # and the library still works
    assert library.get(GRAPH).starred


def test_a_read_only_database_is_a_clear_error(collection) -> None:
    collection.library.db._conn.execute("PRAGMA query_only = 1")
    with pytest.raises(DataDirError, match="cannot write the library"):
        collection.library.set_note(GRAPH, "lost?")
    collection.library.db._conn.execute("PRAGMA query_only = 0")
    assert collection.library.get(GRAPH).note == ""


def test_a_full_disk_under_the_index_keeps_the_change_queued(collection, monkeypatch) -> None:
    from whoosh.writing import SegmentWriter

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(SegmentWriter, "commit", full)
    collection.library.set_note(GRAPH, "kittens")
    with pytest.raises(DataDirError, match="disk is full"):
        collection.sync_index()
    monkeypatch.undo()
    assert collection.library.index_queue.ids() == [GRAPH]
    assert collection.ensure_index() is None
    assert collection.search("kittens").ids == [GRAPH]


def test_a_data_dir_whose_parent_does_not_exist_is_not_created(tmp_path: Path) -> None:
    wanted = tmp_path / "unplugged-drive" / "readerapp"
    with pytest.raises(DataDirError, match="does not exist"):
        prepare_data_dir(wanted)
    assert not wanted.parent.exists()


def test_the_platform_data_dir_is_created_with_its_parents(private_home: Path) -> None:
    from readerapp.core.paths import default_data_dir

    assert not default_data_dir().exists()
    assert prepare_data_dir(default_data_dir()).is_dir()


# --- two processes, one library ------------------------------------------------------------


def test_data_version_tells_of_changes_made_elsewhere(collection, data_dir: Path) -> None:
    seen = collection.library.db.data_version()
    collection.library.set_starred([GRAPH], True)
    assert collection.library.db.data_version() == seen  # our own change
    other = Library.in_dir(data_dir)
    other.set_note(GRAPH, "from the command line")
    other.close()
    assert collection.library.db.data_version() != seen
    assert collection.library.get(GRAPH).note == "from the command line"


def readerapp(data_dir: Path, *args: str) -> str:
    """The real command line, in a process of its own; what it printed."""
    command = [sys.executable, "-m", "readerapp", "--data-dir", str(data_dir), *args]
    done = subprocess.run(command, check=True, capture_output=True, text=True, timeout=60)
    return done.stdout


@pytest.mark.parametrize("look", ["a second connection", "the daily check"])
def test_a_command_run_beside_an_open_library_loses_none_of_its_later_writes(
    collection, data_dir: Path, look: str
) -> None:
    """The window opens the library several times (its worker, its reader, its GUI thread)
    and checks it once a day; a command that opens and closes the library meanwhile must not
    take it for unused, fold its WAL in and delete it under the window's connections."""
    if look == "a second connection":
        another = Library.in_dir(data_dir)
    else:
        backup.daily_backup(data_dir, data_dir / DB_NAME)
        another = None
    readerapp(data_dir, "stats")
    collection.library.set_starred([GRAPH], True)
    assert "Transformers as Graph Networks" in readerapp(data_dir, "search", "is:starred")
    if another is not None:
        another.close()


def test_the_library_file_itself_offered_as_a_digest_is_refused_unread(
    collection, data_dir: Path
) -> None:
    summary = collection.import_paths([data_dir / DB_NAME])
    assert [str(error) for error in summary.refused] == [
        f"{data_dir / DB_NAME}: this is readerapp's own library, not a digest"
    ]
    readerapp(data_dir, "stats")
    collection.library.set_starred([GRAPH], True)
    assert "Transformers as Graph Networks" in readerapp(data_dir, "search", "is:starred")


OPEN_WHEN_TOLD = """
import sys, time
from pathlib import Path
from readerapp.core.library import Library
data, go = Path(sys.argv[1]), Path(sys.argv[2])
while not go.exists():
    time.sleep(0.001)
Library.in_dir(data).close()
"""


def test_two_processes_making_a_new_library_at_once_both_open_it(tmp_path: Path) -> None:
    """The window and a command started together on a new data folder: the first connection
    turns the file to WAL, which SQLite refuses at once while the other reads it."""
    for round_ in range(8):
        data, go = tmp_path / f"data{round_}", tmp_path / f"go{round_}"
        data.mkdir()
        both = [
            subprocess.Popen([sys.executable, "-c", OPEN_WHEN_TOLD, str(data), str(go)],
                             stderr=subprocess.PIPE, text=True)
            for _ in range(2)
        ]  # fmt: skip
        time.sleep(0.3)  # both started and waiting
        go.touch()
        errors = [process.communicate(timeout=60)[1] for process in both]
        assert ([process.returncode for process in both], errors) == ([0, 0], ["", ""])
        library = Library.in_dir(data)
        assert library.count() == 0
        library.close()


def test_a_sync_during_a_rebuild_elsewhere_loses_nothing(collection, data_dir: Path) -> None:
    other = Collection(data_dir)
    synced: list[int] = []

    def meanwhile(done: int, total: int) -> None:  # the other process, mid-rebuild
        if not synced:
            other.library.set_note(GRAPH, "written during the rebuild: kittens")
            synced.append(other.sync_index(wait=0.1))

    collection.rebuild_index(progress=meanwhile)

    assert synced == [0]  # it did not write into the index being replaced
    assert collection.library.index_queue.ids() == []
    assert collection.search("kittens").ids == [GRAPH]
    assert other.search("kittens").ids == [GRAPH]
    other.close()


def test_a_note_changed_while_it_was_being_indexed_stays_queued(collection, data_dir) -> None:
    other = Library.in_dir(data_dir)
    collection.library.set_note(GRAPH, "first words")
    rows = list(collection.library.index_queue.text_rows([GRAPH]))

    def changing(rows):
        yield from rows
        other.set_note(GRAPH, "second words kittens")  # after this text was read

    collection.index.update(changing(rows), 1)
    collection.library.index_queue.clear({GRAPH: _key(rows[0])})
    assert collection.library.index_queue.ids() == [GRAPH]
    collection.sync_index()
    assert collection.search("kittens").ids == [GRAPH]
    other.close()


def _key(row: tuple[str, str, str, str]) -> str:
    from readerapp.core.index_queue import text_key

    return text_key(*row[1:])


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_a_writer_killed_while_holding_the_index_lock_blocks_no_one(collection, data_dir) -> None:
    script = (
        "import os, signal, sys\n"
        "from whoosh import index\n"
        "writer = index.open_dir(sys.argv[1]).writer()\n"
        "writer.add_document(id='x', title='half written')\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(data_dir / "index")], timeout=60)
    assert done.returncode == -signal.SIGKILL
    assert (data_dir / "index" / "MAIN_WRITELOCK").exists()  # the stale lock file is there

    collection.library.set_note(GRAPH, "after the crash: kittens")
    assert collection.sync_index(wait=0) == 1
    assert collection.search("kittens").ids == [GRAPH]
    assert collection.index.doc_count() == 2


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_a_kill_inside_the_index_commit_is_caught_up(collection, data_dir, write_digest) -> None:
    late = write_digest("b.txt", "Mar 14", [("Late Arrival", "Zebras run in the savanna.")])
    script = (
        "import os, signal, sys\n"
        "from pathlib import Path\n"
        "import whoosh.index\n"
        "from readerapp.core.collection import Collection\n"
        "def die(*args, **kwargs):\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        "whoosh.index.TOC.write = die  # the segment is written, its table of contents not\n"
        "coll = Collection(Path(sys.argv[1]))\n"
        "coll.import_paths([Path(sys.argv[2])])\n"
        "coll.sync_index()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(data_dir), str(late)], timeout=60, env=os.environ
    )
    assert done.returncode == -signal.SIGKILL
    assert collection.library.count() == 3
    assert collection.ensure_index() is None
    assert collection.search("zebras").ids == [paper_id("Late Arrival")]
    assert collection.index.doc_count() == 3
