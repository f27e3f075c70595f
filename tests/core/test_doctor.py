"""The doctor: says what it found, repairs the index and leftovers, never touches the library."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from readerapp.core import doctor
from readerapp.core.collection import Collection
from readerapp.core.doctor import OK, PROBLEM, REPAIRED
from readerapp.core.library import DB_NAME
from readerapp.core.models import paper_id

PAPERS = [
    ("Diffusion Models Beat GANs", "Diffusion models are learning to draw pictures."),
    ("Transformers as Graph Networks", "Attention is message passing on a complete graph."),
]


@pytest.fixture
def library(data_dir: Path, write_digest) -> Path:
    coll = Collection(data_dir)
    coll.import_paths([write_digest("a.txt", "Mar 13", PAPERS)])
    coll.ensure_index()
    coll.library.set_starred([paper_id(PAPERS[0][0])], True)
    coll.backup()
    coll.close()
    return data_dir


def statuses(findings: list[doctor.Finding]) -> list[str]:
    return [f.status for f in findings]


def test_a_healthy_library(library: Path) -> None:
    findings = doctor.examine(library)
    assert statuses(findings) == [OK, OK, OK, OK]
    text = "\n".join(f.text for f in findings)
    assert "2 papers from 1 digest, 1 annotated" in text
    assert "the search index matches the library (2 papers)" in text
    assert "1 backup;" in text
    assert not doctor.has_problems(findings)


def test_an_index_missing_papers_is_rebuilt(library: Path) -> None:
    coll = Collection(library)
    coll.index.update([(paper_id(PAPERS[0][0]), "x", "y", "")], 1)  # a stray extra document
    coll.index.update([("000000000000", "Ghost", "Not in the library", "")], 1)
    coll.close()
    findings = doctor.examine(library)
    assert statuses(findings)[2] == REPAIRED
    assert "rebuilt it from the library (2 papers)" in findings[2].text
    assert statuses(doctor.examine(library))[2] == OK


@pytest.mark.parametrize("damage", ["deleted", "truncated"])
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # Whoosh leaks
def test_a_damaged_index_is_rebuilt(library: Path, damage: str) -> None:
    for segment in (library / "index").glob("*.trm"):
        if damage == "deleted":
            segment.unlink()
        else:
            segment.write_bytes(segment.read_bytes()[:7])
    findings = doctor.examine(library)
    assert statuses(findings)[2] == REPAIRED and "damaged" in findings[2].text


def test_leftovers_of_interrupted_work_are_removed(library: Path) -> None:
    (library / "index.new").mkdir()
    stale = library / "backups" / ".library-2025-03-13.sqlite3.abcd.tmp"
    stale.write_bytes(b"half a backup")
    os.utime(stale, (0, 0))
    findings = doctor.examine(library)
    assert REPAIRED in statuses(findings)
    assert not (library / "index.new").exists() and not stale.exists()


def test_a_damaged_library_is_reported_with_the_backup_and_left_alone(library: Path) -> None:
    db = library / DB_NAME
    db.write_bytes(b"not a database any more" * 100)
    before = db.read_bytes()
    findings = doctor.examine(library)
    assert doctor.has_problems(findings)
    problem = next(f.text for f in findings if f.status == PROBLEM)
    assert "readerapp restore" in problem and "library-" in problem
    assert db.read_bytes() == before


def test_no_library_yet(data_dir: Path) -> None:
    findings = doctor.examine(data_dir)
    assert statuses(findings) == [OK] and "no library" in findings[0].text
    assert not data_dir.exists()
