"""A query cut into tokens: parentheses, operators and words (a word keeps its quotes, its
field, its group after ``field:`` and its range, so that it can go to the index as typed).

A query whose quotes or parentheses do not pair up is mended first, by leaving them out, and
the user is told so.
"""

from __future__ import annotations

import re
from enum import Enum
from typing import NamedTuple

# The operators of the language, as Whoosh reads them (upper case only). TO joins the ends of
# a range (``[a TO b]``): not an operator of ours, but not a word a user is typing either.
OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "REQUIRE", "TO"})
BINARY = ("REQUIRE", "ANDMAYBE", "ANDNOT", "OR", "AND")  # loosest first
UNBALANCED_QUOTE = "Unbalanced quote: searched without quotes"
UNBALANCED_PARENTHESIS = "Unbalanced parenthesis: searched without parentheses"
_RANGE_END = {"[": "]", "{": "}"}
_SPACE = re.compile(r"\s+")
_PLAIN = re.compile(r'[^\s()"\[{]+')  # a word's characters up to a quote, range or group
_FIELD = re.compile(r"-?\w+:")  # a field that a group may follow: title:(a OR b)


class Kind(Enum):
    OPEN = "("
    CLOSE = ")"
    OPERATOR = "operator"
    WORD = "word"


class Token(NamedTuple):  # a tuple: one is made for each word typed, at each key
    kind: Kind
    text: str
    start: int
    end: int


def mended(query: str) -> tuple[str, list[str]]:
    """``query`` with unpaired quotes, then unpaired parentheses, left out; and what was done."""
    notes = []
    if query.count('"') % 2:
        query = query.replace('"', "")
        notes.append(UNBALANCED_QUOTE)
    if not _parentheses_pair(query):
        query = re.sub(r"[()]", " ", query.replace(":(", ":"))
        notes.append(UNBALANCED_PARENTHESIS)
    return query, notes


def _parentheses_pair(query: str) -> bool:
    depth, quoted = 0, False
    for char in query:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in "()":
            depth += 1 if char == "(" else -1
            if depth < 0:
                return False
    return depth == 0


def tokenize(query: str) -> list[Token]:
    """The tokens of a mended query (see `mended`)."""
    found, at = [], 0
    while True:
        space = _SPACE.match(query, at)
        at = space.end() if space else at
        if at >= len(query):
            return found
        if query[at] in "()":
            found.append(Token(Kind(query[at]), query[at], at, at + 1))
            end = at + 1
        else:
            end = _word_end(query, at)
            text = query[at:end]
            kind = Kind.OPERATOR if text in OPERATORS and text != "TO" else Kind.WORD
            found.append(Token(kind, text, at, end))
        at = end


def _word_end(query: str, start: int) -> int:
    """Where the word starting at ``start`` ends: at white space or a parenthesis, not inside
    quotes, a ``field:(group)`` or a ``[range]``."""
    at = start
    while at < len(query):
        plain = _PLAIN.match(query, at)
        at = plain.end() if plain else at
        char = query[at : at + 1]
        if char == '"':
            at = _after(query, '"', at + 1)
        elif char in _RANGE_END:
            closing = query.find(_RANGE_END[char], at)
            at = closing + 1 if closing >= 0 else at + 1
        elif char == "(" and _FIELD.fullmatch(query, start, at):
            at = _group_end(query, at)
        else:
            return at
    return at


def _after(query: str, char: str, start: int) -> int:
    found = query.find(char, start)
    return len(query) if found < 0 else found + 1


def _group_end(query: str, start: int) -> int:
    """The place after the parenthesis that closes the one at ``start``."""
    depth, quoted = 0, False
    for at in range(start, len(query)):
        char = query[at]
        if char == '"':
            quoted = not quoted
        elif not quoted and char in "()":
            depth += 1 if char == "(" else -1
            if depth == 0:
                return at + 1
    return len(query)
