"""The records that pass between parsing, the library, the index and export."""

from __future__ import annotations

import hashlib
import re
import unicodedata
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

    @cached_property
    def id(self) -> str:
        """Worked out once: an import asks for it four times a paper."""
        return paper_id(self.title)


@dataclass(frozen=True)
class ParsedDigest:
    """A digest file read into papers, before it reaches the library."""

    source: Path
    content_hash: str
    date_text: str | None
    date: date | None
    papers: tuple[ParsedPaper, ...]
    warnings: tuple[str, ...] = ()


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

    @property
    def has_code(self) -> bool:
        return any(is_code_link(link) for link in self.links)

    @property
    def ordered_links(self) -> list[str]:
        """Every link, those to code hosts first, each group in the order found."""
        return sorted(self.links, key=lambda link: not is_code_link(link))
