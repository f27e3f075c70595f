"""The filters of the query language (``is:``, ``tag:``, ``has:``, ``date:``, ``author:``),
answered by SQLite.

Each kind is one entry of `FILTER_KINDS`: a function from the value typed after the key to the
`Filters` it stands for, raising `QueryError` with a message for the user when the value cannot
mean anything. A new kind of filter is a new entry there (and, when it needs one, a new
condition of `Filters`). `Condition` combines filters with AND, OR and NOT, as the query does.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from readerapp.core.errors import QueryError
from readerapp.core.library import Filters, WhereClause
from readerapp.core.models import ReadState

_DAY = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")
_DATE_USE = "use 2026-03, 2026-03-13 or 2026-01..2026-03"
_STATES = {
    "starred": Filters(starred=True),
    **{state.value: Filters(read_states={state}) for state in ReadState},
    "new": Filters(new=True),
    "triaged": Filters(triaged=True),
    "untriaged": Filters(triaged=False),
}
_HAS = {"code": Filters(has_code=True), "note": Filters(has_note=True)}


@dataclass(frozen=True)
class Condition:
    """A WHERE clause over ``papers AS p`` and its parameters."""

    where: str
    params: tuple[object, ...] = ()

    @classmethod
    def of(cls, clause: WhereClause) -> Condition:
        where, params = clause.sql()
        return cls(where, tuple(params))

    def sql(self) -> tuple[str, list[object]]:
        return self.where, list(self.params)

    def negated(self) -> Condition:
        return Condition(f"NOT ({self.where})", self.params)


def all_of(conditions: Iterable[Condition]) -> Condition:
    return _joined(" AND ", list(conditions))


def any_of(conditions: Iterable[Condition]) -> Condition:
    return _joined(" OR ", list(conditions))


def _joined(operator: str, conditions: list[Condition]) -> Condition:
    if len(conditions) == 1:
        return conditions[0]
    where = operator.join(f"({c.where})" for c in conditions)
    return Condition(where, tuple(p for c in conditions for p in c.params))


NOTHING = Condition("0")


def _state(value: str, source: str) -> Filters:
    names = [f"is:{name}" for name in _STATES]
    return _chosen(_STATES, value, source, "a state", f"use {', '.join(names[:-1])} or {names[-1]}")


def _has(value: str, source: str) -> Filters:
    return _chosen(_HAS, value, source, "a thing a paper can have", "use has:code or has:note")


def _chosen(choices: dict[str, Filters], value: str, source: str, what: str, use: str) -> Filters:
    found = choices.get(value.lower())
    if found is None:
        raise QueryError(_wrong(source, value, what, use))
    return found


def _wrong(source: str, value: str, what: str, use: str) -> str:
    """``date:foo is not a date: use …``; ``date: needs a date: use …`` when nothing follows."""
    return f"{source} is not {what}: {use}" if value else f"{source} needs {what}: {use}"


def _tag(value: str, source: str) -> Filters:
    if not value.strip():
        raise QueryError(f'{source} needs a tag name, as in tag:survey or tag:"two words"')
    return Filters(tags=[value])


def _author(value: str, source: str) -> Filters:
    """``author:hinton``: a paper one of whose authors' names holds these letters."""
    if not value.strip():
        raise QueryError(f'{source} needs a name, as in author:hinton or author:"Ada Lovelace"')
    return Filters(authors=[value])


def _dates(value: str, source: str) -> Filters:
    """``date:2024-03`` is that month; ``A..B`` a range, either end of which may be left open."""
    start_text, _, end_text = value.partition("..") if ".." in value else (value, "", value)
    start = _bound(start_text, first=True) if start_text else None
    end = _bound(end_text, first=False) if end_text else None
    if (start_text and start is None) or (end_text and end is None) or not (start or end):
        raise QueryError(_wrong(source, value, "a date", _DATE_USE))
    if start and end and end < start:
        raise QueryError(f"{source} ends before it starts: {_DATE_USE}")
    return Filters(date_from=start, date_to=end)


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
    except ValueError:  # month 13, February 30, year 0
        return None


# key → (value, the filter as typed) → the Filters it stands for
FILTER_KINDS: dict[str, Callable[[str, str], Filters]] = {
    "is": _state,
    "has": _has,
    "tag": _tag,
    "date": _dates,
    "author": _author,
}


def filter_condition(key: str, value: str, source: str) -> Condition:
    """The condition of the filter ``key:value`` typed as ``source``."""
    if value.startswith("("):
        raise QueryError(f"{source}: a filter takes one value; write (tag:a OR tag:b)")
    return Condition.of(FILTER_KINDS[key](value, source))
