"""A query's tree answered: words by the index, filters by SQLite, combined as sets.

The index gets each largest subtree of words as one Whoosh query string (its fast paths for
ANDs, phrases, prefixes and the word being typed apply), never a call a word; SQLite gets the
filters beside them as one condition. Ranking is the text's: papers found through words (or
``like:``, ``like:tag:``) come in their order, those found only through filters or NOT after them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from readerapp.core.query.filters import Condition, all_of, any_of
from readerapp.core.query.tree import (
    And,
    Like,
    LikeTag,
    Maybe,
    Node,
    Not,
    Or,
    Saved,
    condition,
    joined,
    negative,
    partial_word,
    whoosh,
)


@dataclass
class Found:
    """What a part of the query found: ``ranked`` best first, then ``rest``, found without a
    rank (by filters or NOT); no paper is in both."""

    ranked: list[str] = field(default_factory=list)
    rest: set[str] = field(default_factory=set)

    def members(self) -> set[str]:
        return self.rest | set(self.ranked) if self.ranked else self.rest


@dataclass(frozen=True)
class Answers:
    """Where the parts of a query are answered."""

    text: Callable[[str, str | None], list[str]]  # Whoosh query string, word being typed → hits
    where: Callable[[Condition], set[str]]  # the papers meeting a condition
    like: Callable[[str], list[str]]  # the papers most like one (its id or the start of it)
    like_tag: Callable[[str], list[str]]  # the papers most like a tag's, best first
    everything: Callable[[], set[str]]  # every paper, for what a NOT leaves


def evaluate(node: Node, answers: Answers) -> Found:
    """The papers ``node`` finds."""
    where = condition(node)
    if where is not None:
        return Found(rest=answers.where(where))
    words = whoosh(node)
    if words is not None and not negative(node):
        return Found(answers.text(words, partial_word(node)))
    match node:
        case Not():
            return Found(rest=answers.everything() - evaluate(node.child, answers).members())
        case Like():
            return Found(answers.like(node.paper))
        case LikeTag():
            return Found(answers.like_tag(node.tag))
        case Saved():
            return evaluate(node.tree, answers)
        case Maybe():  # the optional side only ranks, and only the index ranks by it
            return evaluate(node.required, answers)
        case And():
            return _all_of(node.children, answers)
        case Or():
            return _any_of(node.children, answers)
    return Found()  # Nothing


def _all_of(children: Sequence[Node], answers: Answers) -> Found:
    """An AND: the words as one index query and the filters as one condition; NOTs of other
    parts taken away from what the others find."""
    words, filters, others = _sorted_out(children)
    parts: list[Found] = [evaluate(c, answers) for c in others if isinstance(c, Like | LikeTag)]
    left_out: list[Found] = []
    if any(not negative(c) for c in words):
        parts.append(evaluate(joined(And, words), answers))
    elif words:  # NOTs of words alone: what any of their words find is left out
        left_out.append(evaluate(joined(Or, [_unnegated(c) for c in words]), answers))
    for child in others:
        if isinstance(child, Not):
            left_out.append(evaluate(child.child, answers))
        elif not isinstance(child, Like | LikeTag):
            parts.append(evaluate(child, answers))
    if filters:
        parts.append(Found(rest=answers.where(all_of(condition(c) for c in filters))))
    found = _intersection(parts) if parts else Found(rest=answers.everything())
    for part in left_out:
        gone = part.members()
        found = Found([pid for pid in found.ranked if pid not in gone], found.rest - gone)
    return found


def _any_of(children: Sequence[Node], answers: Answers) -> Found:
    """An OR: the words (NOTs aside) as one index query, the filters as one condition."""
    words, filters, others = _sorted_out(children)
    others += [c for c in words if negative(c)]
    words = [c for c in words if not negative(c)]
    parts = [evaluate(joined(Or, words), answers)] if words else []
    parts += [evaluate(child, answers) for child in others]
    if filters:
        parts.append(Found(rest=answers.where(any_of(condition(c) for c in filters))))
    ranked: dict[str, None] = {}
    for part in parts:
        ranked.update(dict.fromkeys(part.ranked))
    rest = set().union(*(part.rest for part in parts)).difference(ranked)
    return Found(list(ranked), rest)


def _sorted_out(children: Sequence[Node]) -> tuple[list[Node], list[Node], list[Node]]:
    """``children`` as words alone, filters alone, and the rest."""
    words, filters, others = [], [], []
    for child in children:
        if condition(child) is not None:
            filters.append(child)
        elif whoosh(child) is not None:
            words.append(child)
        else:
            others.append(child)
    return words, filters, others


def _unnegated(node: Node) -> Node:
    """What a NOT (or an AND of NOTs) leaves out, as a node that finds it."""
    match node:
        case Not():
            return node.child
        case Saved():
            return _unnegated(node.tree)
        case And():
            return joined(Or, [_unnegated(child) for child in node.children])
    return node


def _intersection(parts: list[Found]) -> Found:
    """What every part found, in the order of the first part that ranks (``like:`` and words
    come first), then in the others' order."""
    lead = next((part for part in parts if part.ranked), None)
    lead = lead or min(parts, key=lambda part: len(part.rest))
    ranked, rest = lead.ranked, lead.rest
    for other in (part.members() for part in parts if part is not lead):
        ranked = [pid for pid in ranked if pid in other]
        rest = rest & other
    for part in parts:
        if part is not lead and rest:
            for pid in part.ranked:
                if pid in rest:
                    ranked.append(pid)
                    rest.discard(pid)
    return Found(ranked, rest)
