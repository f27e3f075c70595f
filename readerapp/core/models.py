"""The records that pass between parsing, the library, the index and export."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from functools import cached_property
from pathlib import Path

from readerapp.core.links import is_code_link

_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)


def normalise_title(title: str) -> str:
    """Fold case, white space and punctuation so that one paper has one key."""
    folded = unicodedata.normalize("NFKC", title).casefold()
    return " ".join(_NOT_WORD.sub(" ", folded).split())


def paper_id(title: str) -> str:
    """The stable id of a paper: the same on every machine for the same title."""
    return hashlib.sha1(normalise_title(title).encode("utf-8")).hexdigest()[:12]


def digest_key(date_text: str | None, paper_ids: Iterable[str]) -> str:
    """A digest's identity: its date line and its papers (by id, each once, in order).

    Taken from the text, not the bytes, so that a copy saved in another encoding or with
    other line endings is the same digest; the library can work it out for digests it holds.
    """
    day = " ".join((date_text or "").split()).casefold()
    ids = "\n".join(dict.fromkeys(paper_ids))
    return hashlib.sha256(f"{day}\n{ids}".encode()).hexdigest()


class DateSource(StrEnum):
    """How a digest got its date."""

    FILE_DATE = "file"  # its date line, the year from the file's modification date
    IMPORT_YEAR = "today"  # its date line, the year from the day the text was imported
    IMPORT_DAY = "import"  # no date line: the day it was imported
    SET = "set"  # set by the user
    SERVICE = "service"  # the day asked of the Daily Papers service


def date_note(day: date, date_text: str | None, source: DateSource) -> str:
    """How a digest got its date, in words: "Mar 13 → 2026-03-13, year from the file's date"."""
    if source is DateSource.FILE_DATE and date_text:
        return f"{date_text} → {day.isoformat()}, year from the file's date"
    if source is DateSource.IMPORT_YEAR and date_text:
        return f"{date_text} → {day.isoformat()}, year from the day it was imported"
    if source is DateSource.SERVICE:
        return f"{day.isoformat()}, the Daily Papers of that day"
    if source is DateSource.SET:
        said = f"; the digest says {date_text}" if date_text else ""
        return f"{day.isoformat()}, set by you{said}"
    return f"no date line → {day.isoformat()}, the day it was imported"


class ReadState(StrEnum):
    UNREAD = "unread"
    READING = "reading"
    READ = "read"


@dataclass(frozen=True)
class ParsedPaper:
    """One title/abstract pair as it stands in a digest file."""

    title: str
    abstract: str
    links: tuple[str, ...] = ()
    arxiv_id: str | None = None  # known when fetched from the Daily Papers service
    authors: tuple[str, ...] = ()
    published: date | None = None

    @cached_property
    def id(self) -> str:
        """Worked out once: an import asks for it four times a paper."""
        return paper_id(self.title)


@dataclass(frozen=True)
class ParsedDigest:
    """A digest file read into papers, before it reaches the library.

    ``content_key`` is its identity (see `digest_key`); ``date`` is None when the digest has
    no date line, and ``date_source`` says how ``date`` was found otherwise.
    """

    source: Path
    content_key: str
    date_text: str | None
    date: date | None
    papers: tuple[ParsedPaper, ...]
    warnings: tuple[str, ...] = ()
    date_source: DateSource = DateSource.FILE_DATE


@dataclass(frozen=True)
class Sighting:
    """One digest a paper was seen in."""

    digest_id: int
    date: date | None
    date_text: str | None


@dataclass
class Paper:
    """A paper in the library with the user's state."""

    id: str
    title: str
    abstract: str
    links: list[str]
    first_seen: date | None
    added_at: datetime
    starred: bool = False
    tags: list[str] = field(default_factory=list)
    note: str = ""
    read_state: ReadState = ReadState.UNREAD
    sightings: list[Sighting] = field(default_factory=list)
    starred_at: datetime | None = None
    tags_at: datetime | None = None
    note_at: datetime | None = None
    read_state_at: datetime | None = None
    arxiv_id: str | None = None
    authors: list[str] = field(default_factory=list)
    published: date | None = None

    @property
    def has_code(self) -> bool:
        return any(is_code_link(link) for link in self.links)

    @property
    def ordered_links(self) -> list[str]:
        """Every link, those to code hosts first, each group in the order found."""
        return sorted(self.links, key=lambda link: not is_code_link(link))
