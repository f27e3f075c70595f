"""The one query language of the command line and the window.

Whoosh syntax for the text (words, "phrases", AND/OR/NOT, ``title:``, ``abstract:``, ``diffus*``,
``difusion~``) plus filters on the user's state, which are answered by SQLite:
``is:starred``, ``is:unread``, ``is:reading``, ``is:read``, ``tag:NAME``, ``tag:"two words"``,
``has:code``, ``has:note``, ``date:2024-03`` and ranges ``date:2024-01..2024-03``.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date

from readerapp.core.library import Filters
from readerapp.core.models import ReadState

_FILTER = re.compile(r'(?<!\S)(is|tag|has|date):("[^"]*"|\S+)', re.IGNORECASE)
_DAY = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")


@dataclass
class ParsedQuery:
    """A query split into the words for the index and the filters for the library."""

    text: str
    filters: Filters = field(default_factory=Filters)
    partial_word: str | None = None


def parse_query(query: str, *, typing: bool = False) -> ParsedQuery:
    """Split ``query`` into text and filters. Unknown filters stay in the text as words.

    With ``typing``, a last word not yet followed by a space may be the start of a word.
    """
    filters = Filters()

    def take(match: re.Match[str]) -> str:
        key, value = match.group(1).lower(), match.group(2).strip('"')
        return "" if _apply(filters, key, value) else match.group(0)

    text = " ".join(_FILTER.sub(take, query).split())
    partial = None
    if typing and text and not query.endswith((" ", '"')):
        last = text.split()[-1]
        if last.isalnum():
            partial = last
    return ParsedQuery(text, filters, partial)


def _apply(filters: Filters, key: str, value: str) -> bool:
    """Put one ``key:value`` filter into ``filters``; False when it is not a filter we know."""
    lowered = value.lower()
    if key == "is":
        if lowered == "starred":
            filters.starred = True
        elif lowered in ReadState.__members__.values():
            filters.read_states.add(ReadState(lowered))
        else:
            return False
    elif key == "has":
        if lowered == "code":
            filters.has_code = True
        elif lowered == "note":
            filters.has_note = True
        else:
            return False
    elif key == "tag":
        if not value:
            return False
        filters.tags.append(value)
    elif key == "date":
        return _apply_dates(filters, value)
    return True


def _apply_dates(filters: Filters, value: str) -> bool:
    """``date:2024-03`` is that month; ``A..B`` a range, either end of which may be left open."""
    start_text, _, end_text = value.partition("..") if ".." in value else (value, "", value)
    start = _bound(start_text, first=True) if start_text else None
    end = _bound(end_text, first=False) if end_text else None
    if (start_text and start is None) or (end_text and end is None) or not (start or end):
        return False
    filters.date_from, filters.date_to = start, end
    return True


def _bound(text: str, *, first: bool) -> date | None:
    """The first or last day of a year, month or day written as 2024, 2024-03 or 2024-03-13."""
    match = _DAY.match(text)
    if not match:
        return None
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        if month is None:
            return date(year, 1, 1) if first else date(year, 12, 31)
        if day is None:
            last = calendar.monthrange(year, month)[1]
            return date(year, month, 1 if first else last)
        return date(year, month, day)
    except ValueError:
        return None
