"""Backups: one a day, the newest seven kept, and restoring one without losing the current."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest

from readerapp.core import backup
from readerapp.core.collection import Collection, restore_library
from readerapp.core.errors import BackupError, DamagedLibraryError
from readerapp.core.library import DB_NAME, Library
from readerapp.core.models import paper_id

PAPERS = [
    ("Diffusion Models Beat GANs", "Diffusion models are learning to draw pictures."),
    ("Transformers as Graph Networks", "Attention is message passing on a complete graph."),
]
GRAPH = paper_id("Transformers as Graph Networks")


@pytest.fixture
def collection(indexed_collection) -> Collection:
    return indexed_collection(PAPERS)


def damage_a_middle_page(path: Path) -> None:
    """Overwrite one b-tree page in the middle of an SQLite file with noise."""
    page_size = int.from_bytes(path.read_bytes()[16:18], "big")
    pages = path.stat().st_size // page_size
    with open(path, "r+b") as file:
        file.seek(page_size * (pages // 2))
        file.write(bytes(range(256)) * (page_size // 256))


def big_enough(coll: Collection, write_digest) -> None:
    """Enough papers for the library to span many pages, checkpointed into the main file."""
    entries = [(f"Filler paper number {n}", f"Filler abstract {n}. " * 40) for n in range(300)]
    coll.import_paths([write_digest("filler.txt", "Mar 12", entries)])
    coll.library.close()  # the last connection checkpoints the WAL into the file


def test_one_daily_backup_a_day_and_the_newest_seven_kept(
    collection: Collection, data_dir: Path
) -> None:
    first = date(2025, 3, 1)
    for day in range(10):
        made = collection.daily_backup(first + timedelta(days=day))
        assert made == data_dir / "backups" / f"library-{first + timedelta(days=day)}.sqlite3"
        assert collection.daily_backup(first + timedelta(days=day)) is None
    names = sorted(p.name for p in (data_dir / "backups").iterdir())
    assert names == [f"library-2025-03-{d:02d}.sqlite3" for d in range(4, 11)]


def test_an_empty_library_is_not_backed_up(data_dir: Path) -> None:
    coll = Collection(data_dir)
    assert coll.daily_backup() is None
    assert backup.list_backups(data_dir) == []
    coll.close()


def test_a_backup_is_one_sound_file_with_everything(collection: Collection, tmp_path: Path) -> None:
    collection.set_note(GRAPH, "my precious note")
    path = collection.backup(tmp_path / "copy.sqlite3")
    assert backup.check_library_file(path) == 2
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("copy")) == [
        "copy.sqlite3"
    ]
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        note = conn.execute("SELECT note FROM papers WHERE id = ?", (GRAPH,)).fetchone()[0]
    assert note == "my precious note"


def test_restore_brings_back_the_backup_and_keeps_the_current_library(
    collection: Collection, data_dir: Path, write_digest
) -> None:
    collection.set_note(GRAPH, "older words kittens")
    saved = collection.backup()
    collection.set_note(GRAPH, "newer words puppies")
    collection.import_paths([write_digest("b.txt", "Mar 14", [("Late Paper", "Zebras.")])])
    collection.close()

    result = restore_library(data_dir, saved)

    assert result.papers == 2 and result.moved_aside is None
    with sqlite3.connect(result.saved_copy) as conn:
        kept = conn.execute("SELECT note FROM papers WHERE id = ?", (GRAPH,)).fetchone()[0]
    assert kept == "newer words puppies"
    reopened = Collection(data_dir)
    assert reopened.library.get(GRAPH).note == "older words kittens"
    assert reopened.index_problem() is None
    assert reopened.search("kittens").ids == [GRAPH]
    assert reopened.search("puppies").ids == reopened.search("zebras").ids == []
    reopened.close()


def test_an_open_collection_sees_a_restore_made_elsewhere(
    collection: Collection, data_dir: Path
) -> None:
    collection.set_note(GRAPH, "older words kittens")
    saved = collection.backup()
    collection.set_note(GRAPH, "newer words puppies")
    version = collection.library.db.data_version()

    restore_library(data_dir, saved)

    assert collection.library.db.data_version() != version
    assert collection.library.get(GRAPH).note == "older words kittens"
    assert collection.search("kittens").ids == [GRAPH]
    assert collection.search("puppies").ids == []


def _foreign(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE recipes (name TEXT)")


def _newer(path: Path) -> None:
    Library(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version = 99")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (_foreign, "not a readerapp library"),
        (lambda p: p.write_text("my notes, not a database"), "not an SQLite database"),
        (_newer, "newer readerapp"),
        (lambda p: None, "does not exist"),
    ],
)
def test_restore_refuses_a_file_that_is_not_a_sound_library(
    collection: Collection, data_dir: Path, tmp_path: Path, make, message: str
) -> None:
    candidate = tmp_path / "candidate.sqlite3"
    make(candidate)
    with pytest.raises(BackupError, match=message):
        restore_library(data_dir, candidate)
    assert collection.library.count() == 2
    assert collection.index_problem() is None


def test_restore_refuses_a_damaged_backup(
    collection: Collection, data_dir: Path, write_digest
) -> None:
    big_enough(collection, write_digest)
    saved = backup.make_backup(data_dir / DB_NAME, data_dir.parent / "saved.sqlite3")
    damage_a_middle_page(saved)
    with pytest.raises(BackupError, match=r"damaged|malformed"):
        restore_library(data_dir, saved)


def test_a_damaged_library_is_kept_and_the_backup_to_restore_is_named(
    collection: Collection, data_dir: Path
) -> None:
    saved = collection.backup()
    collection.close()
    db = data_dir / DB_NAME
    db.write_bytes(db.read_bytes()[:100] + b"\x00" * 50 + db.read_bytes()[150:8000])
    damaged = db.read_bytes()

    with pytest.raises(DamagedLibraryError) as raised:
        Collection(data_dir)
    assert raised.value.newest_backup == saved
    assert f"readerapp restore {saved}" in str(raised.value)
    assert db.read_bytes() == damaged

    result = restore_library(data_dir, saved)
    assert result.moved_aside.read_bytes() == damaged and result.saved_copy is None
    reopened = Collection(data_dir)
    assert reopened.library.count() == 2 and reopened.search("graph").ids == [GRAPH]
    reopened.close()


def test_the_daily_check_finds_damage_and_keeps_the_good_backups(
    collection: Collection, data_dir: Path, write_digest
) -> None:
    big_enough(collection, write_digest)
    good = backup.backup_now(data_dir, data_dir / DB_NAME, date(2025, 3, 1))
    damage_a_middle_page(data_dir / DB_NAME)
    with pytest.raises(DamagedLibraryError, match="daily check") as raised:
        backup.daily_backup(data_dir, data_dir / DB_NAME, date(2025, 3, 2))
    assert raised.value.newest_backup == good
    assert backup.list_backups(data_dir) == [good]


def test_restoring_the_library_onto_itself_is_refused(collection: Collection, data_dir) -> None:
    with pytest.raises(BackupError, match="library itself"):
        restore_library(data_dir, data_dir / DB_NAME)
