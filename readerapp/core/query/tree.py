"""The tree a query is parsed into, and what each part of it asks of the index and of SQLite.

Leaves: `Text` (words in Whoosh's syntax, for the index), `Filter` (a condition SQLite
answers), `Like` (the papers most like one), `LikeTag` (the papers most like a tag's, by
For you's model), `Nothing` (a saved search that cannot be used).
Inner nodes: `And`, `Or`, `Not`, `Maybe` (Whoosh's ANDMAYBE: the right side only ranks) and
`Saved` (a saved search, its own subtree). A subtree of text alone goes to the index as one
Whoosh query string (`whoosh`); a subtree of filters alone to SQLite as one condition
(`condition`).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from readerapp.core.query.filters import NOTHING, Condition, all_of, any_of


@dataclass(frozen=True)
class Text:
    """Words for the index, as typed: ``graph``, ``"a phrase"~2``, ``title:(a OR b)``, ``diffus*``.
    ``partial``: the last word, still being typed (see `parse_query`)."""

    source: str
    partial: bool = False


@dataclass(frozen=True)
class Filter:
    """``is:starred``, ``tag:"to read"``, ``date:2026-03..``: ``source`` as typed."""

    source: str
    condition: Condition


@dataclass(frozen=True)
class Like:
    """``like:ID``: the papers most like that one (``paper``: its id or the start of it)."""

    source: str
    paper: str


@dataclass(frozen=True)
class LikeTag:
    """``like:tag:NAME``: the papers most like those tagged NAME, best first (For you's model
    trained on that tag)."""

    source: str
    tag: str


@dataclass(frozen=True)
class Nothing:
    """``search:"name"`` naming no saved search, or one that uses itself: finds nothing."""

    source: str
    reason: str


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    child: Node


@dataclass(frozen=True)
class Maybe:
    """``a ANDMAYBE b``: finds what ``required`` finds; ``optional`` only ranks (in the index)."""

    required: Node
    optional: Node


@dataclass(frozen=True)
class Saved:
    """``search:"name"``: the saved search's own tree, grouped as it was saved."""

    source: str
    name: str
    tree: Node


Node = Text | Filter | Like | LikeTag | Nothing | And | Or | Not | Maybe | Saved
Leaf = Text | Filter | Like | LikeTag | Nothing


def joined(kind: type[And] | type[Or], nodes: Sequence[Node]) -> Node | None:
    """One node of ``kind`` over ``nodes``, those of the same kind opened up into it; None
    for no nodes."""
    flat: list[Node] = []
    for node in nodes:
        flat.extend(node.children if isinstance(node, kind) else (node,))
    if not flat:
        return None
    return flat[0] if len(flat) == 1 else kind(tuple(flat))


def whoosh(node: Node) -> str | None:
    """The Whoosh query string of a subtree of text alone; None when it holds anything else
    (or an OR of a NOT, which the tree answers itself)."""
    return _rendered(node, strict=True, as_typed=False)


def _rendered(node: Node, *, strict: bool, as_typed: bool) -> str | None:
    """``node`` written as a query; ``as_typed``: its filters, ``like:`` and ``search:`` too."""
    match node:
        case Text():
            return node.source
        case Saved() if not as_typed:
            return _rendered(node.tree, strict=strict, as_typed=as_typed)
        case Filter() | Like() | LikeTag() | Nothing() | Saved():
            return node.source if as_typed else None
        case Not():
            inner = _rendered(node.child, strict=strict, as_typed=as_typed)
            return None if inner is None else f"NOT {_grouped(node.child, inner)}"
        case And() | Or() | Maybe():
            parts = _parts(node)
            if strict and isinstance(node, Or) and any(negative(part) for part in parts):
                return None
            strings = [_rendered(part, strict=strict, as_typed=as_typed) for part in parts]
            if None in strings:
                return None
            grouped = [_grouped(part, s) for part, s in zip(parts, strings, strict=True)]
            return _OPERATOR[type(node)].join(grouped)
    return None


_OPERATOR = {And: " ", Or: " OR ", Maybe: " ANDMAYBE "}


def _parts(node: And | Or | Maybe) -> tuple[Node, ...]:
    return (node.required, node.optional) if isinstance(node, Maybe) else node.children


def _grouped(node: Node, string: str) -> str:
    """``string`` in parentheses when ``node`` joins several parts (Whoosh's precedence then
    cannot regroup it)."""
    inner = node.tree if isinstance(node, Saved) else node
    several = isinstance(inner, Maybe) or (isinstance(inner, And | Or) and len(inner.children) > 1)
    return f"({string})" if several else string


def negative(node: Node) -> bool:
    """True for a NOT, and for an AND of NOTs alone: a part that only says what is left out."""
    match node:
        case Not():
            return True
        case Saved():
            return negative(node.tree)
        case And():
            return all(negative(child) for child in node.children)
    return False


def condition(node: Node) -> Condition | None:
    """The SQLite condition of a subtree of filters alone; None when it holds anything else."""
    match node:
        case Filter():
            return node.condition
        case Nothing():
            return NOTHING
        case Saved():
            return condition(node.tree)
        case Not():
            inner = condition(node.child)
            return None if inner is None else inner.negated()
        case And() | Or():
            parts = [condition(child) for child in node.children]
            if None in parts:
                return None
            return (all_of if isinstance(node, And) else any_of)(parts)
    return None


def text_part(node: Node | None) -> str:
    """The words of the whole tree, its filters left out, as one Whoosh query string: what
    highlighting and "did you mean" read."""
    kept = _pruned(node, words=True) if node is not None else None
    return (_rendered(kept, strict=False, as_typed=False) or "") if kept is not None else ""


def filters_part(node: Node | None) -> str:
    """The filters, ``like:`` and ``search:`` of the tree as typed, with the operators between
    them, its words left out: what stays when "did you mean" puts other words in."""
    kept = _pruned(node, words=False) if node is not None else None
    return (_rendered(kept, strict=False, as_typed=True) or "") if kept is not None else ""


def _pruned(node: Node, *, words: bool) -> Node | None:
    """``node`` with only its words (or only what is not words) left in."""
    match node:
        case Text():
            return node if words else None
        case Saved() if words:
            tree = _pruned(node.tree, words=words)
            return None if tree is None else Saved(node.source, node.name, tree)
        case Not():
            inner = _pruned(node.child, words=words)
            if inner is None:
                return None
            return inner.child if isinstance(inner, Not) else Not(inner)
        case Maybe():
            required = _pruned(node.required, words=words)
            optional = _pruned(node.optional, words=words)
            if required is None or optional is None:
                return required or optional
            return Maybe(required, optional)
        case And() | Or():
            kept = (_pruned(child, words=words) for child in node.children)
            return joined(type(node), [child for child in kept if child is not None])
    return None if words else node


def leaves(node: Node | None) -> Iterator[Leaf]:
    """The leaves of the tree, left to right, those of its saved searches included."""
    match node:
        case None:
            return
        case Saved():
            yield from leaves(node.tree)
        case Not():
            yield from leaves(node.child)
        case Maybe():
            yield from leaves(node.required)
            yield from leaves(node.optional)
        case And() | Or():
            for child in node.children:
                yield from leaves(child)
        case _:
            yield node


def partial_word(node: Node) -> str | None:
    """The word still being typed, when it ends ``node``."""
    last = deque(leaves(node), maxlen=1)
    return last[0].source if last and isinstance(last[0], Text) and last[0].partial else None
