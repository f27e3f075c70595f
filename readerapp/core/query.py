"""The one query language of the command line and the window.

Whoosh syntax for the text (words, "phrases", AND/OR/NOT, ``title:``, ``abstract:``, ``diffus*``,
``difusion~``) plus filters on the user's state, which are answered by SQLite:
``is:starred``, ``is:unread``, ``is:reading``, ``is:read``, ``tag:NAME``, ``tag:"two words"``,
``has:code``, ``has:note``, ``date:2024-03`` and ranges ``date:2024-01..2024-03``,
``is:new`` (added since the window's previous session began), ``is:triaged``, ``is:untriaged``,
``search:"name"``, which stands for the words and filters of a saved search, and ``like:ID``,
the papers most like one (by the key terms of its title and abstract), best first.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from readerapp.core.library import Filters
from readerapp.core.models import ReadState

_FILTER = re.compile(r'(?<!\S)(is|tag|has|date|search|like):("[^"]*"|\S+)', re.IGNORECASE)
_DAY = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")


@dataclass
class ParsedQuery:
    """A query split into the words for the index and the filters for the library."""

    text: str
    filters: Filters = field(default_factory=Filters)
    partial_word: str | None = None
    saved_searches: list[str] = field(default_factory=list)  # the names ``search:`` used
    problems: list[str] = field(default_factory=list)  # why it finds nothing, for the user
    like: str | None = None  # ``like:ID``: the id (or its start) of the paper to find more like


# The query saved under a name, or None when no search has that name.
SavedLookup = Callable[[str], str | None]
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"}


def saved_search_fragment(name: str) -> str:
    """The query that uses the saved search ``name``."""
    return f'search:"{name}"'


def _no_saved_searches(_name: str) -> None:
    return None


def parse_query(
    query: str, *, typing: bool = False, saved: SavedLookup = _no_saved_searches
) -> ParsedQuery:
    """Split ``query`` into text and filters. Unknown filters stay in the text as words.

    With ``typing``, a last word not yet followed by a space may be the start of a word, when
    the query is plain words (no operators, phrases, groups or fields, whose meaning it would
    change).
    ``saved`` looks up the saved searches that ``search:"name"`` uses; an unknown name, or a
    saved search that uses itself, makes the query find nothing and says why in ``problems``.
    """
    parsed, own = _parse(query, saved, ())
    plain = all(word.isalnum() and word not in _OPERATORS for word in own)
    if typing and own and plain and not query.endswith(" "):
        parsed.partial_word = own[-1]
    return parsed


def _parse(query: str, saved: SavedLookup, using: tuple[str, ...]) -> tuple[ParsedQuery, list[str]]:
    """``query`` parsed within the saved searches named in ``using`` (to catch a loop), and
    its own words (those of the saved searches it uses come first in the text)."""
    parsed = ParsedQuery("")
    inner_texts: list[str] = []

    def take(match: re.Match[str]) -> str:
        key, value = match.group(1).lower(), match.group(2).strip('"')
        if key == "search":
            if not value.strip():
                return match.group(0)
            inner_texts.append(_use_saved(parsed, value, saved, using))
            return ""
        if key == "like" and value:
            parsed.like = value
            return ""
        return "" if _apply(parsed.filters, key, value) else match.group(0)

    own = _FILTER.sub(take, query).split()
    parsed.text = " ".join([*(f"({t})" for t in inner_texts if t), *own])
    return parsed, own


def _use_saved(parsed: ParsedQuery, name: str, saved: SavedLookup, using: tuple[str, ...]) -> str:
    """Put the filters of the saved search ``name`` into ``parsed``; return its text."""
    parsed.saved_searches.append(name)
    query = saved(name)
    if query is None or name.casefold() in using:
        parsed.filters.nothing = True
        why = "uses itself" if query is not None else "does not exist"
        parsed.problems.append(f"The saved search “{name}” {why}.")
        return ""
    inner, _ = _parse(query, saved, (*using, name.casefold()))
    parsed.filters.also.append(inner.filters)
    parsed.problems.extend(inner.problems)
    parsed.saved_searches.extend(inner.saved_searches)
    parsed.like = parsed.like or inner.like
    return inner.text


def _apply(filters: Filters, key: str, value: str) -> bool:
    """Put one ``key:value`` filter into ``filters``; False when it is not a filter we know."""
    lowered = value.lower()
    if key == "is":
        if lowered == "starred":
            filters.starred = True
        elif lowered == "new":
            filters.new = True
        elif lowered in ("triaged", "untriaged"):
            filters.triaged = lowered == "triaged"
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
