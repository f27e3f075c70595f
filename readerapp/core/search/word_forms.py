"""What the search index makes of a word besides its stem: accents folded away, and the form
a word is written in (but for plurals), by which a word's own forms rank above its stem's
other words ("transformers" above "transformation").

`FoldAccents` and `exact_form` are named in the schema each index keeps (Whoosh pickles its
analyzers by name): keep these names, or bump the index version so that indexes are rebuilt.
Indexes written before this module moved name it `readerapp.core.word_forms`, which
`readerapp.core.search.index` keeps known (see `_import_whoosh`).
"""

from __future__ import annotations

import copy

from whoosh.analysis import CharsetFilter
from whoosh.lang.porter import stem
from whoosh.qparser import syntax
from whoosh.qparser.plugins import MultifieldPlugin, PhrasePlugin
from whoosh.query import And, ConstantScoreQuery, NullQuery, Phrase, Query, Term
from whoosh.support.charset import accent_map

# Plural endings whose singular drops "es" rather than "s" ("processes", "matches").
_ES_PLURALS = ("sses", "xes", "ches", "shes")
# Words ending in "s" that are no plurals ("class", "corpus", "analysis").
_NOT_PLURALS = ("ss", "us", "is")


class FoldAccents(CharsetFilter):
    """Whoosh's `CharsetFilter` with its accent map ("Schrödinger" -> "schrodinger"), pickled
    by name only: the map itself would go into every field of the index's schema."""

    def __init__(self) -> None:
        super().__init__(accent_map)

    def __getstate__(self) -> dict:
        return {}

    def __setstate__(self, _state: dict) -> None:
        self.__init__()


def fold_accents(word: str) -> str:
    """``word`` (lower case) as `FoldAccents` leaves it."""
    return word if word.isascii() else word.translate(accent_map)


def singular(word: str) -> str:
    """The singular of a lower-case English plural, else the word as it is: "transformers" ->
    "transformer", "queries" -> "query"; "transformation" and "modeling" stay themselves,
    which is what tells a word's own forms from its stem's other words."""
    if len(word) <= 3 or not word.endswith("s") or word.endswith(_NOT_PLURALS):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(_ES_PLURALS):
        return word[:-2]
    return word[:-1]


def exact_form(word: str) -> str:
    """What the exact field indexes of a word: its singular, when that has the word's stem
    ("news" stays itself, as "new" has another), so that a paper with a word's exact form
    always has its stem too, and adding the exact form to a search finds no other papers."""
    single = singular(word)
    return single if single == word or stem(single) == stem(word) else word


_EXACT_KINDS = (syntax.WordNode, PhrasePlugin.PhraseNode)


class ExactForms(MultifieldPlugin):
    """Whoosh's `MultifieldPlugin`, which searches each word and phrase in ``fieldnames``,
    and also in ``exact_field`` where a match scores ``score``, whatever its BM25. That field
    keeps no positions: a phrase matches there where the paper has the phrase (stemmed) and all
    its words as written, so a paper saying "language modeling" and, elsewhere, "models" has
    "language model" as written. The exact part never adds a paper: a word as written has its
    stem, and a phrase's exact part asks for the phrase itself.

    With a score above any paper's BM25, a paper with more of the words and phrases as
    written ranks above one with fewer; among equals, BM25 decides. Stock Whoosh scores the
    query so made the same way: an OR of terms and a constant, nothing of its own.
    """

    def __init__(self, fieldnames: list[str], exact_field: str, score: float) -> None:
        super().__init__(fieldnames)
        self.exact_field, self.score = exact_field, score

    def do_multifield(self, parser, group: syntax.GroupNode) -> syntax.GroupNode:
        return self._with_exact(super().do_multifield(parser, group))

    def _with_exact(self, group: syntax.GroupNode) -> syntax.GroupNode:
        for node in group:
            if isinstance(node, syntax.GroupNode):
                self._with_exact(node)
        if self._is_word_everywhere(group):
            exact = copy.copy(group[0])
            exact.set_fieldname(self.exact_field, override=True)
            group.append(_ConstantScore(exact, self.score, copy.deepcopy(group)))
        return group

    def _is_word_everywhere(self, group: syntax.GroupNode) -> bool:
        """Whether ``group`` is what `MultifieldPlugin` makes of a word or phrase."""
        nodes = list(group)
        return (
            isinstance(group, self.group)
            and [getattr(node, "fieldname", None) for node in nodes] == list(self.fieldnames)
            and all(type(node) in _EXACT_KINDS and node.text == nodes[0].text for node in nodes)
        )


class _ConstantScore(syntax.SyntaxNode):
    """A node whose query matches what its ``node``'s does, each match scoring ``score``."""

    def __init__(self, node: syntax.SyntaxNode, score: float, within: syntax.GroupNode) -> None:
        self.node, self.score, self.within = node, score, within
        self.startchar, self.endchar = node.startchar, node.endchar

    def r(self) -> str:
        return f"ConstantScore({self.node.r()}, {self.score})"

    def query(self, parser) -> Query | None:
        found = self.node.query(parser)
        found = NullQuery if found is None else found.normalize()
        if found is NullQuery:  # a phrase of stop words alone
            return NullQuery
        if type(found) is Phrase:  # the exact field keeps no positions: its words, as written,
            words = [Term(found.fieldname, word) for word in found.words]
            found = And([self.within.query(parser), *words])  # where the phrase itself is
        return ExactScore(found, self.score)


class ExactScore(ConstantScoreQuery):
    """Whoosh's `ConstantScoreQuery` with the boost that Whoosh's OR, flattening an OR in it,
    reads of each part (and that a constant score leaves out)."""

    boost = 1.0
