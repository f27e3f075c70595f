"""The user's annotations (stars, tags, notes, read states) to and from a JSON file.

Made for moving a reading list between machines. Papers are keyed by their stable id; each
field carries the time it last changed, and an import keeps, field by field, the newer change.
Each paper also carries its title and abstract, so that an annotation for a paper this library
has not seen yet is kept too: the paper is added with it.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import sqlite3
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from readerapp.core.db import now
from readerapp.core.errors import AnnotationsError, ReaderappError, disk_error
from readerapp.core.library import Library
from readerapp.core.models import Paper, ReadState, is_code_link
from readerapp.core.plural import counted
from readerapp.core.tags import clean_tag

FORMAT = "readerapp-annotations"
VERSION = 1
MAX_FILE_BYTES = 256 * 1024 * 1024
_PAPER_ID = re.compile(r"[0-9a-f]{12}")


@dataclass(frozen=True)
class Annotation:
    """One paper's annotations as an annotations file holds them."""

    id: str
    title: str = ""
    abstract: str = ""
    links: list[str] = field(default_factory=list)
    first_seen: str | None = None
    starred: bool = False
    starred_at: datetime | None = None
    read_state: ReadState = ReadState.UNREAD
    read_state_at: datetime | None = None
    tags: list[str] = field(default_factory=list)
    tags_at: datetime | None = None
    note: str = ""
    note_at: datetime | None = None

    @classmethod
    def of(cls, paper: Paper) -> Annotation:
        return cls(
            id=paper.id,
            title=paper.title,
            abstract=paper.abstract,
            links=list(paper.links),
            first_seen=paper.first_seen.isoformat() if paper.first_seen else None,
            starred=paper.starred,
            starred_at=paper.starred_at,
            read_state=paper.read_state,
            read_state_at=paper.read_state_at,
            tags=list(paper.tags),
            tags_at=paper.tags_at,
            note=paper.note,
            note_at=paper.note_at,
        )

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        for key, value in data.items():
            if isinstance(value, datetime):
                data[key] = value.isoformat()
        data["read_state"] = str(self.read_state)
        return data


@dataclass
class MergeReport:
    """What importing an annotations file changed."""

    papers_in_file: int = 0
    stars: int = 0
    read_states: int = 0
    tag_sets: int = 0
    notes: int = 0
    papers_added: int = 0
    papers_changed: int = 0
    skipped: int = 0  # unknown papers the file gives no title for

    def describe(self) -> str:
        """One line for the user."""
        fields = (
            f"{counted(self.stars, 'star')}, {counted(self.read_states, 'read state')}, "
            f"{counted(self.tag_sets, 'tag set')}, {counted(self.notes, 'note')}"
        )
        of_papers = counted(self.papers_in_file, "paper")
        line = f"{self.papers_changed} of {of_papers} changed ({fields})"
        if self.papers_added:
            line += f"; {counted(self.papers_added, 'paper')} added from the file"
        if self.skipped:
            line += f"; {counted(self.skipped, 'unknown paper')} without a title skipped"
        return line


# --- export ----------------------------------------------------------------------------------


def collect(library: Library) -> list[Annotation]:
    """Every paper the user ever annotated, in id order."""
    return [Annotation.of(paper) for paper in library.papers(library.annotated_ids())]


def export_annotations(library: Library, path: Path) -> int:
    """Write the library's annotations to ``path`` (replaced only once complete).

    Returns how many papers were written.
    """
    annotations = collect(library)
    document = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": now().isoformat(),
        "papers": [a.to_json() for a in annotations],
    }
    _write_atomically(Path(path), json.dumps(document, ensure_ascii=False, indent=1) + "\n")
    return len(annotations)


def _write_atomically(path: Path, text: str) -> None:
    if not path.parent.is_dir():
        raise ReaderappError(f"cannot write {path}: the folder {path.parent} does not exist")
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        with open(temporary, "x", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except OSError as exc:
        raise disk_error(exc, str(path)) from exc
    finally:
        temporary.unlink(missing_ok=True)


# --- import ----------------------------------------------------------------------------------


def import_annotations(library: Library, path: Path) -> MergeReport:
    """Merge the annotations in ``path`` into the library, the newer change of each field
    winning. All or nothing: a file with any bad entry changes nothing."""
    return merge(library, read_annotations(Path(path)))


def read_annotations(path: Path) -> list[Annotation]:
    """The annotations in ``path``; AnnotationsError says what is wrong with it."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise AnnotationsError(f"{path} is too big to be an annotations file")
        document = json.loads(path.read_bytes())
    except OSError as exc:
        raise AnnotationsError(f"cannot read {path}: {exc.strerror or exc}") from exc
    except (ValueError, RecursionError) as exc:  # JSON and UTF-8 errors are ValueErrors
        raise AnnotationsError(f"{path} is not a JSON file ({exc})") from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise AnnotationsError(f"{path} is not a readerapp annotations file")
    version = document.get("version")
    if not isinstance(version, int) or version > VERSION:
        raise AnnotationsError(f"{path} was written by a newer readerapp (version {version})")
    papers = document.get("papers")
    if not isinstance(papers, list):
        raise AnnotationsError(f"{path} has no list of papers")
    return [_entry(raw, number, path) for number, raw in enumerate(papers, start=1)]


def _entry(raw: object, number: int, path: Path) -> Annotation:
    try:
        if not isinstance(raw, dict):
            raise ValueError("not an object")
        return _annotation(raw)
    except (ValueError, TypeError) as exc:
        raise AnnotationsError(f"{path}: paper {number}: {exc}") from exc


def _annotation(raw: dict[str, Any]) -> Annotation:
    paper_id = _typed(raw, "id", str, None)
    if paper_id is None or not _PAPER_ID.fullmatch(paper_id):
        raise ValueError(f"the id {paper_id!r} is not a paper id")
    links = _typed(raw, "links", list, [])
    tags = _typed(raw, "tags", list, [])
    if not all(isinstance(item, str) for item in links + tags):
        raise ValueError("links and tags must be lists of text")
    first_seen = _typed(raw, "first_seen", str, None)
    return Annotation(
        id=paper_id,
        title=_typed(raw, "title", str, ""),
        abstract=_typed(raw, "abstract", str, ""),
        links=links,
        first_seen=date.fromisoformat(first_seen).isoformat() if first_seen else None,
        starred=_typed(raw, "starred", bool, False),
        starred_at=_moment(raw, "starred_at"),
        read_state=ReadState(_typed(raw, "read_state", str, "unread")),
        read_state_at=_moment(raw, "read_state_at"),
        tags=tags,
        tags_at=_moment(raw, "tags_at"),
        note=_typed(raw, "note", str, ""),
        note_at=_moment(raw, "note_at"),
    )


def _typed(raw: dict[str, Any], key: str, kind: type, default: Any) -> Any:
    value = raw.get(key, default)
    if value is not default and not isinstance(value, kind):
        raise TypeError(f"{key} must be {kind.__name__}, not {type(value).__name__}")
    return value


def _moment(raw: dict[str, Any], key: str) -> datetime | None:
    text = _typed(raw, key, str, None)
    if text is None:
        return None
    moment = datetime.fromisoformat(text)
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)


def merge(library: Library, annotations: list[Annotation]) -> MergeReport:
    """Merge ``annotations`` into the library in one transaction."""
    report = MergeReport(papers_in_file=len(annotations))
    with library.db.transaction() as conn:
        for annotation in annotations:
            _merge_one(conn, annotation, report)
    return report


def _merge_one(conn: sqlite3.Connection, theirs: Annotation, report: MergeReport) -> None:
    ours = _annotation_in(conn, theirs.id)
    if ours is None:
        if not theirs.title.strip():
            report.skipped += 1
            return
        _add_paper(conn, theirs)
        report.papers_added += 1
        ours = Annotation(theirs.id)
    changes = (
        _merge_field(conn, theirs, ours, "starred", int(theirs.starred)),
        _merge_field(conn, theirs, ours, "read_state", str(theirs.read_state)),
        _merge_tags(conn, theirs, ours),
        _merge_field(conn, theirs, ours, "note", theirs.note),
    )
    report.stars += changes[0]
    report.read_states += changes[1]
    report.tag_sets += changes[2]
    report.notes += changes[3]
    report.papers_changed += any(changes)
    if changes[3]:
        conn.execute("INSERT OR IGNORE INTO index_queue VALUES (?)", (theirs.id,))


def _annotation_in(conn: sqlite3.Connection, paper_id: str) -> Annotation | None:
    row = conn.execute(
        "SELECT starred, starred_at, read_state, read_state_at, note, note_at, tags_at"
        " FROM papers WHERE id = ?",
        (paper_id,),
    ).fetchone()
    if row is None:
        return None
    starred, starred_at, state, state_at, note, note_at, tags_at = row
    tags = [t for (t,) in conn.execute("SELECT tag FROM tags WHERE paper_id = ?", (paper_id,))]
    return Annotation(
        id=paper_id,
        starred=bool(starred),
        starred_at=_parse(starred_at),
        read_state=ReadState(state),
        read_state_at=_parse(state_at),
        tags=tags,
        tags_at=_parse(tags_at),
        note=note,
        note_at=_parse(note_at),
    )


def _parse(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _add_paper(conn: sqlite3.Connection, theirs: Annotation) -> None:
    stamp = now()
    conn.execute(
        "INSERT INTO papers (id, title, abstract, links, has_code, first_seen, added_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            theirs.id,
            theirs.title,
            theirs.abstract,
            json.dumps(theirs.links),
            int(any(is_code_link(link) for link in theirs.links)),
            theirs.first_seen or stamp.date().isoformat(),
            stamp.isoformat(),
        ),
    )
    conn.execute("INSERT OR IGNORE INTO index_queue VALUES (?)", (theirs.id,))


def _newer(theirs: datetime | None, ours: datetime | None) -> bool:
    return theirs is not None and (ours is None or theirs > ours)


def _merge_field(
    conn: sqlite3.Connection, theirs: Annotation, ours: Annotation, name: str, value: object
) -> bool:
    """Take their value of ``name`` when it changed later; True when the value differs."""
    stamp = getattr(theirs, f"{name}_at")
    if not _newer(stamp, getattr(ours, f"{name}_at")):
        return False
    conn.execute(
        f"UPDATE papers SET {name} = ?, {name}_at = ? WHERE id = ?",
        (value, stamp.isoformat(), theirs.id),
    )
    return getattr(theirs, name) != getattr(ours, name)


def _merge_tags(conn: sqlite3.Connection, theirs: Annotation, ours: Annotation) -> bool:
    if not _newer(theirs.tags_at, ours.tags_at):
        return False
    wanted = list(dict.fromkeys(t for t in map(clean_tag, theirs.tags) if t))
    conn.execute("DELETE FROM tags WHERE paper_id = ?", (theirs.id,))
    conn.executemany(
        "INSERT OR IGNORE INTO tags (paper_id, tag) VALUES (?, ?)",
        [(theirs.id, tag) for tag in wanted],
    )
    conn.execute(
        "UPDATE papers SET tags_at = ? WHERE id = ?", (theirs.tags_at.isoformat(), theirs.id)
    )
    return {t.casefold() for t in wanted} != {t.casefold() for t in ours.tags}
