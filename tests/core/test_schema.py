"""Migrations: a library made by an older readerapp opens in this one with nothing lost."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import date
from pathlib import Path

from readerapp.core import schema
from readerapp.core.collection import Collection
from readerapp.core.library import DB_NAME
from readerapp.core.models import DateSource, paper_id

# Schema 3, before digests were known by their content: two copies of the Aug 7 digest (one
# saved as UTF-16, whose year came out a year apart), a Mar 13 digest, and a digest without
# a date line, imported on Dec 1.
CAFE, FLOW, GRAPHS = "Café Models", "Flow Matching", "Graph Transformers"


def old_library(data_dir: Path) -> Path:
    data_dir.mkdir(parents=True)
    conn = sqlite3.connect(data_dir / DB_NAME, isolation_level=None)
    for step in schema.MIGRATIONS[:3]:
        for statement in step.split(";"):
            if statement.strip():
                conn.execute(statement)
    conn.execute("PRAGMA user_version = 3")
    digests = [
        (1, "utf-8 bytes", "/d/aug7.txt", "2026-08-07", "Aug 7", "2026-08-08T09:00:00+00:00"),
        (2, "utf-16 bytes", "/d/aug7-16.txt", "2025-08-07", "Aug 7", "2026-08-09T09:00:00+00:00"),
        (3, "mar13 bytes", "/d/mar13.txt", "2026-03-13", "Mar 13", "2026-03-14T09:00:00+00:00"),
        (4, "undated bytes", "/d/undated.txt", None, None, "2026-12-01T09:00:00+00:00"),
    ]
    for did, content, source, day, text, at in digests:
        conn.execute(
            "INSERT INTO digests VALUES (?, ?, ?, ?, ?, ?, 2)",
            (did, hashlib.sha256(content.encode()).hexdigest(), source, day, text, at),
        )
    papers = [(CAFE, "2025-08-07"), (FLOW, "2025-08-07"), (GRAPHS, "2026-03-13")]
    for title, first_seen in papers:
        conn.execute(
            "INSERT INTO papers (id, title, abstract, first_seen, added_at) VALUES (?, ?, ?, ?, ?)",
            (paper_id(title), title, f"About {title}.", first_seen, "2026-08-08T09:00:00+00:00"),
        )
    sightings = [(CAFE, 1, 0), (FLOW, 1, 1), (CAFE, 2, 0), (FLOW, 2, 1), (CAFE, 3, 0),
                 (GRAPHS, 3, 1), (GRAPHS, 4, 0), (FLOW, 4, 1)]  # fmt: skip
    for title, did, position in sightings:
        conn.execute("INSERT INTO sightings VALUES (?, ?, ?)", (paper_id(title), did, position))
    conn.execute("INSERT INTO tags VALUES (?, 'keep')", (paper_id(FLOW),))
    conn.execute("UPDATE papers SET starred = 1, note = 'mine' WHERE id = ?", (paper_id(CAFE),))
    conn.close()
    return data_dir


def test_copies_become_one_digest_and_every_digest_is_dated(tmp_path: Path) -> None:
    collection = Collection(old_library(tmp_path / "data"))
    library = collection.library
    try:
        infos = library.digests()
        assert [(i.id, i.date, i.date_source) for i in infos] == [
            (4, date(2026, 12, 1), DateSource.IMPORT_DAY),
            (1, date(2026, 8, 7), DateSource.FILE_DATE),
            (3, date(2026, 3, 13), DateSource.FILE_DATE),
        ]
        assert infos[0].date_note == ("no date line → 2026-12-01, the day it was imported")
        assert library.stats()["digests"] == len(infos) == 3
        cafe, flow = library.get(paper_id(CAFE)), library.get(paper_id(FLOW))
        assert [s.date for s in cafe.sightings] == [date(2026, 3, 13), date(2026, 8, 7)]
        assert [s.date for s in flow.sightings] == [date(2026, 8, 7), date(2026, 12, 1)]
        assert (cafe.first_seen, flow.first_seen) == (date(2026, 3, 13), date(2026, 8, 7))
        assert library.get(paper_id(GRAPHS)).first_seen == date(2026, 3, 13)  # untouched
        assert (cafe.starred, cafe.note, flow.tags) == (True, "mine", ["keep"])
    finally:
        collection.close()


def test_a_migrated_library_knows_its_digests_by_content(tmp_path: Path) -> None:
    collection = Collection(old_library(tmp_path / "data"))
    try:
        copy = tmp_path / "aug7-again.txt"
        copy.write_text(
            f"Aug 7\n\n{CAFE}\n\nWe model cafés. Well.\n\n{FLOW}\n\nFlows. They work.\n"
        )
        [result] = collection.import_paths([copy]).results
        assert result.already_imported and result.day == date(2026, 8, 7)
        assert collection.library.stats()["digests"] == 3
    finally:
        collection.close()
