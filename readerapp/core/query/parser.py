"""The query parsed once, into one tree (see `readerapp.core.query.tree`).

Precedence is Whoosh's, so that words mean what they meant when the index read them whole:
NOT binds tightest, then AND, OR, ANDNOT, ANDMAYBE, REQUIRE, and words side by side (an AND)
loosest of all: ``is:starred graph OR flow`` is starred papers on graphs or flows. An operator
with nothing on one side is left out. ``-word`` and ``-filter`` are NOT.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from readerapp.core.errors import QueryError
from readerapp.core.query.filters import FILTER_KINDS, Condition, filter_condition
from readerapp.core.query.tokens import BINARY, OPERATORS, Kind, Token, mended, tokenize
from readerapp.core.query.tree import (
    And,
    Filter,
    Like,
    LikeTag,
    Maybe,
    Node,
    Not,
    Nothing,
    Or,
    Saved,
    Text,
    condition,
    joined,
    leaves,
    partial_word,
    text_part,
    whoosh,
)

# The query saved under a name, or None when no search has that name.
SavedLookup = Callable[[str], str | None]
_KEYED = re.compile(r"([A-Za-z]+):(.*)", re.DOTALL)
_QUOTED = re.compile(r'"([^"]*)"')
_BOOST = re.compile(r"\^\d+(?:\.\d+)?")
_OWN_KEYS = ("search", "like")
_BINDING = {operator: binding for binding, operator in enumerate(BINARY)}


def saved_search_fragment(name: str) -> str:
    """The query that uses the saved search ``name``."""
    return f'search:"{name}"'


def _no_saved_searches(_name: str) -> None:
    return None


@dataclass
class ParsedQuery:
    """A query as one tree, with what the views need to say about it.

    ``tree`` is None for an empty query (the whole library). ``text`` is the tree's words as
    one Whoosh query string, its filters left out (for highlighting and "did you mean").
    ``problems`` say why a part finds nothing (a saved search that does not exist); ``notes``
    how a broken query was read instead (unbalanced quotes or parentheses).
    """

    tree: Node | None
    partial_word: str | None = None
    saved_searches: list[str] = field(default_factory=list)  # the names ``search:`` used
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @cached_property
    def text(self) -> str:
        return text_part(self.tree)

    @property
    def condition(self) -> Condition | None:
        """The query as one SQLite condition when it holds filters alone; None when it holds
        words or ``like:`` (or is empty)."""
        return None if self.tree is None else condition(self.tree)

    @property
    def needs_index(self) -> bool:
        """True when the index (or For you's model) must answer part of it: words, ``like:``,
        ``like:tag:``, or a saved search not looked up (which may hold words)."""
        found = (isinstance(leaf, Text | Like | LikeTag) for leaf in leaves(self.tree))
        return bool(self.saved_searches) or any(found)


def parse_query(
    query: str, *, typing: bool = False, saved: SavedLookup = _no_saved_searches
) -> ParsedQuery:
    """Parse ``query`` into one tree. Unknown ``key:`` prefixes (``foo:bar``) stay words.

    With ``typing``, a last word not yet followed by a space may be the start of a word, when
    the query is plain words and filters (no operators, phrases, groups or fields, whose
    meaning it would change).
    ``saved`` looks up the saved searches that ``search:"name"`` uses; an unknown name, or a
    saved search that uses itself, finds nothing and says why in ``problems``.
    Raises `QueryError` for a filter that cannot mean anything (``date:2026-13``).
    """
    found = ParsedQuery(None)  # what the parser finds out on the way: names, problems, notes
    tree = _Parser(saved, (), found).parse(query, typing=typing)
    partial = None if tree is None else partial_word(tree)
    return ParsedQuery(tree, partial, found.saved_searches, found.problems, found.notes)


class _Parser:
    """Recursive descent over the tokens of one query (a saved search gets a parser of its own,
    sharing what it finds out with the outer one's ``found``)."""

    def __init__(self, saved: SavedLookup, using: tuple[str, ...], found: ParsedQuery) -> None:
        self.saved, self.using, self.found = saved, using, found
        self.tokens: list[Token] = []
        self.at = 0
        self.partial_at = -1

    def parse(self, query: str, *, typing: bool = False) -> Node | None:
        words = query.split()
        if all(word.isalnum() for word in words) and OPERATORS.isdisjoint(words):
            return _plain_words(words, typing and not query[-1:].isspace())  # most queries
        text, notes = mended(query)
        self.found.notes.extend(notes)
        self.tokens = tokenize(text)
        if typing and not notes and _may_end_in_a_word(text, self.tokens):
            self.partial_at = len(self.tokens) - 1
        nodes = []
        while self.at < len(self.tokens):
            node = self._sequence()
            if node is not None:
                nodes.append(node)
            if self._peek_kind() is Kind.CLOSE:  # a stray ")" (mending leaves none)
                self.at += 1
        return joined(And, nodes)

    # --- the grammar, loosest first ------------------------------------------------------

    def _sequence(self) -> Node | None:
        """Nodes side by side, up to a closing parenthesis: an AND."""
        nodes = []
        while self.at < len(self.tokens) and self._peek_kind() is not Kind.CLOSE:
            if self._peek_operator() in BINARY:  # nothing on its left: left out
                self.at += 1
                continue
            node = self._binary()
            if node is not None:
                nodes.append(node)
        return joined(And, nodes)

    def _binary(self, loosest: int = 0) -> Node | None:
        """Nodes joined by the operators of `BINARY` binding at least as tightly as
        ``BINARY[loosest]`` (precedence climbing, left to right)."""
        left = self._unary()
        while (operator := self._peek_operator()) in _BINDING:
            binding = _BINDING[operator]
            if binding < loosest:
                break
            self.at += 1
            right = self._binary(binding + 1)
            if right is None or left is None:  # nothing on one side: the operator is left out
                left = left or right
                continue
            left = _combined(operator, left, right)
        return left

    def _unary(self) -> Node | None:
        if self._peek_operator() == "NOT":
            self.at += 1
            inner = self._unary()
            return None if inner is None else _negated(inner)
        return self._atom()

    def _atom(self) -> Node | None:
        token = self.tokens[self.at] if self.at < len(self.tokens) else None
        if token is None or token.kind is Kind.CLOSE or token.kind is Kind.OPERATOR:
            return None
        self.at += 1
        if token.kind is Kind.WORD:
            return self._leaf(token.text, self.at - 1 == self.partial_at)
        inner = self._sequence()
        if self._peek_kind() is Kind.CLOSE:
            close = self.tokens[self.at]
            self.at += 1
            return self._boosted(inner, close)
        return inner

    def _boosted(self, group: Node | None, close: Token) -> Node | None:
        """``(a OR b)^2``: a boost right after a group of words goes to the index with it."""
        if self.at >= len(self.tokens):
            return group
        after = self.tokens[self.at]
        if after.start != close.end or not _BOOST.fullmatch(after.text):
            return group
        self.at += 1
        words = None if group is None else whoosh(group)
        return Text(f"({words}){after.text}") if words is not None else group

    # --- leaves ----------------------------------------------------------------------------

    def _leaf(self, word: str, partial: bool) -> Node | None:
        if word.startswith("-") and len(word) > 1 and word[1] not in "-":
            inner = self._leaf(word[1:], False)
            return None if inner is None else _negated(inner)
        keyed = _KEYED.fullmatch(word)
        key = keyed.group(1).lower() if keyed else ""
        if key not in FILTER_KINDS and key not in _OWN_KEYS:
            return Text(word, partial)
        value = keyed.group(2)
        quoted = _QUOTED.fullmatch(value)
        value = quoted.group(1) if quoted else value
        if key == "search":
            return self._saved_search(value, word)
        if key == "like" and value[:4].lower() == "tag:":
            return self._like_tag(value[4:], word)
        if key == "like":
            if not value.strip():
                raise QueryError(f"{word} needs the id of a paper, as in like:1a2b3c")
            return Like(word, value.strip())
        return Filter(word, filter_condition(key, value, word))

    @staticmethod
    def _like_tag(value: str, source: str) -> LikeTag:
        quoted = _QUOTED.fullmatch(value)
        tag = " ".join((quoted.group(1) if quoted else value).split())
        if not tag:
            raise QueryError(f"{source} needs the name of a tag, as in like:tag:graphs")
        return LikeTag(source, tag)

    def _saved_search(self, name: str, source: str) -> Node | None:
        """The tree of the saved search ``name``, kept whole; a `Nothing` when it cannot be
        used."""
        if not name.strip():
            raise QueryError(f'{source} needs the name of a saved search, as in search:"name"')
        self.found.saved_searches.append(name)
        query = self.saved(name)
        key = " ".join(name.split()).casefold()
        if query is None or key in self.using:
            why = "uses itself" if query is not None else "does not exist"
            self.found.problems.append(f"The saved search “{name}” {why}.")
            return Nothing(source, why)
        inner = _Parser(self.saved, (*self.using, key), self.found)
        try:
            tree = inner.parse(query)
        except QueryError as exc:
            raise QueryError(f"In the saved search “{name}”: {exc}") from exc
        return None if tree is None else Saved(source, name, tree)

    # --- looking ahead ---------------------------------------------------------------------

    def _peek_kind(self) -> Kind | None:
        return self.tokens[self.at].kind if self.at < len(self.tokens) else None

    def _peek_operator(self) -> str | None:
        token = self.tokens[self.at] if self.at < len(self.tokens) else None
        return token.text if token is not None and token.kind is Kind.OPERATOR else None


def _plain_words(words: list[str], last_partial: bool) -> Node | None:
    """The tree of words of letters and digits alone: the words side by side, the last one
    perhaps still being typed."""
    last = len(words) - 1
    return joined(And, [Text(word, last_partial and at == last) for at, word in enumerate(words)])


def _may_end_in_a_word(text: str, tokens: list[Token]) -> bool:
    """True when ``tokens`` are plain words and filters and the last is a word being typed."""
    if not tokens or text[-1:].isspace():
        return False
    words = [t.text for t in tokens if t.kind is Kind.WORD and not _is_keyed(t.text)]
    plain = all(t.kind is Kind.WORD for t in tokens) and all(w.isalnum() for w in words)
    return plain and bool(words) and tokens[-1].text == words[-1] and words[-1] not in OPERATORS


def _is_keyed(word: str) -> bool:
    keyed = _KEYED.fullmatch(word)
    key = keyed.group(1).lower() if keyed else ""
    return key in FILTER_KINDS or key in _OWN_KEYS


def _negated(node: Node) -> Node:
    return node.child if isinstance(node, Not) else Not(node)


def _combined(operator: str, left: Node, right: Node) -> Node:
    if operator == "OR":
        return joined(Or, [left, right])
    if operator == "ANDMAYBE":
        return Maybe(left, right)
    if operator == "ANDNOT":
        return joined(And, [left, _negated(right)])
    return joined(And, [left, right])  # AND, REQUIRE
