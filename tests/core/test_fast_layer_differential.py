"""The fast layer against stock Whoosh: random queries of every shape of the text language over
indexes written by the quick writer (`readerapp.core.search.quick_writing`, as `SearchIndex.rebuild`
and `update` write them) and answered by `readerapp.core.search.matching`, compared with stock
Whoosh's searcher over an index that stock Whoosh's writer wrote from the same papers with the
same schema.

The same papers are found every time. The order is the same where `matching` promises it:
for words, phrases and operators (Whoosh's BM25F with its statistics), not for prefix,
wildcard and fuzzy words (Whoosh gives each of their papers the same score). Filters (``is:``,
``tag:``...) are answered by the library, not by Whoosh, and are left to the query's tests.
"""

from __future__ import annotations

import multiprocessing
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import index as whoosh_index
from whoosh import query as q
from whoosh.codec.base import Automata
from whoosh.searching import Searcher

from readerapp.core.search import SearchIndex, quick_writing
from readerapp.core.search.index import make_schema
from readerapp.core.search.word_forms import fold_accents
from tests.made_papers import STOP_WORDS, VOCABULARY, made_rows

PAPERS = 240
UPDATED = range(0, PAPERS, 4)  # the papers whose note and title a later commit changes
FIELDS = ("title", "abstract", "note")
ABSENT = ["zebra", "difusion", "modle", "grahp", "atention", "transfromer"]
EXPANDED = (q.Prefix, q.Wildcard, q.FuzzyTerm)


def _final_rows() -> list[tuple[str, str, str, str]]:
    rows = made_rows(PAPERS)
    for n in UPDATED:
        pid, title, abstract, _note = rows[n]
        rows[n] = (pid, f"{title} revised", abstract, f"revised graph attention {pid}")
    return rows


def _stock_schema():
    """`make_schema`'s schema with Whoosh's own formats in place of the quick ones."""
    schema = make_schema()
    for name in schema.names():
        field = schema[name]
        if type(field.format).__module__ == quick_writing.__name__:
            stock = type(field.format).__bases__[0]
            field.format = stock(field_boost=field.format.field_boost)
    return schema


def _stock_index(folder: Path, rows) -> whoosh_index.Index:
    folder.mkdir()
    ix = whoosh_index.create_in(str(folder), _stock_schema())
    writer = ix.writer()  # Whoosh's own writer, pool and codec
    # The fields of each paper as the app indexes them, whatever fields the schema has.
    SearchIndex._add_all(writer.add_document, rows, len(rows), None, lambda: False)
    writer.commit()
    return ix


class Indexes:
    """The quick indexes of the same papers, written three ways, and the stock one."""

    def __init__(self, folder: Path) -> None:
        rows = _final_rows()
        self.quick = {"one writer": SearchIndex(folder / "one")}
        self.quick["one writer"].rebuild(rows, len(rows))
        if multiprocessing.get_start_method() == "fork":
            workers = self.quick["forked workers"] = SearchIndex(folder / "workers")
            workers.rebuild(rows, len(rows), procs=2)  # a segment a worker
        updated = self.quick["updated"] = SearchIndex(folder / "updated")
        updated.rebuild(made_rows(PAPERS), PAPERS)
        changed = [rows[n] for n in UPDATED]
        updated.update(changed, len(changed))  # old documents deleted, new ones in a segment
        self.stock_ix = _stock_index(folder / "stock", rows)
        self.stock: Searcher = self.stock_ix.searcher()
        # Each quick index as stock Whoosh reads it.
        self.read = {name: whoosh_index.open_dir(str(ix.path)) for name, ix in self.quick.items()}

    def close(self) -> None:
        self.stock.close()
        for ix in [self.stock_ix, *self.read.values()]:
            ix.close()
        for index in self.quick.values():
            index.close()


@pytest.fixture(scope="module")
def indexes(tmp_path_factory: pytest.TempPathFactory):
    built = Indexes(tmp_path_factory.mktemp("differential"))
    yield built
    built.close()


def test_the_quick_indexes_are_written_as_meant(indexes: Indexes) -> None:
    segments = {}
    for name, ix in indexes.read.items():
        with ix.reader() as reader:
            segments[name] = len(reader.leaf_readers())
            assert reader.doc_count() == PAPERS
            assert reader.has_deletions() == (name == "updated")
    assert segments["one writer"] == 1
    assert segments.get("forked workers", 2) == 2
    assert segments["updated"] == 2


# --- the text language, at random ----------------------------------------------------------

_words = st.sampled_from(VOCABULARY + STOP_WORDS + ABSENT)
_plain = st.sampled_from([w for w in VOCABULARY if w.isalpha()] + ABSENT)


@st.composite
def _near_spelling(draw) -> str:
    """A word of the vocabulary with a letter dropped, doubled or changed."""
    word = draw(_plain)
    at = draw(st.integers(0, len(word) - 1))
    edit = draw(st.sampled_from(["drop", "double", "change"]))
    if edit == "drop":
        return word[:at] + word[at + 1 :] or word
    if edit == "double":
        return word[: at + 1] + word[at:]
    return word[:at] + draw(st.sampled_from("aeiosnrt")) + word[at + 1 :]


_phrase = st.builds(
    lambda words, slop: '"' + " ".join(words) + '"' + (f"~{slop}" if slop else ""),
    st.lists(_words, min_size=2, max_size=3),
    st.sampled_from([None, 1, 2, 3]),
)
_prefix = st.builds(lambda w, n: w[:n] + "*", _plain, st.integers(2, 4))
_wildcard = st.builds(lambda w: w[:2] + "?" + w[3:], _plain.filter(lambda w: len(w) > 4))
_fuzzy = st.builds(
    lambda w, distance: w + distance, _near_spelling(), st.sampled_from(["~", "~2", "~1/2"])
)
_field = st.sampled_from(["", *(f"{name}:" for name in FIELDS)])
_boost = st.sampled_from(["", "", "^2", "^0.5"])
_leaf = st.builds(
    lambda field, leaf, boost: field + leaf + boost,
    _field,
    st.one_of(_words, _words, _phrase, _prefix, _wildcard, _fuzzy),
    _boost,
)


def _combined(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    op = st.sampled_from(["", "AND", "OR", "ANDNOT", "ANDMAYBE"])
    return st.one_of(
        st.builds(lambda a, o, b: " ".join(filter(None, (a, o, b))), children, op, children),
        # Not "NOT NOT": Whoosh's parser fails on it, and so does the retry as plain words.
        st.builds(lambda a: f"NOT {a}", children.filter(lambda a: not a.startswith("NOT "))),
        st.builds(lambda field, a, boost: f"{field}({a}){boost}", _field, children, _boost),
    )


_queries = st.recursive(_leaf, _combined, max_leaves=5)


# --- what stock Whoosh finds -----------------------------------------------------------------


def _fuzzy_as_words(query: q.Query, searcher: Searcher) -> q.Query:
    """``query`` with each fuzzy word as the OR of the words of its field within the distance,
    by Whoosh's automaton. Whoosh's own search walks the title's spelling words instead of
    its indexed ones in an index of one segment, and so finds no title for "difusion~": the
    fast layer reads each field's own words, and is compared with that."""
    if isinstance(query, q.FuzzyTerm):
        cursor = searcher.reader().cursor(query.fieldname)
        found = Automata().terms_within(cursor, query.text, query.maxdist, query.prefixlength)
        return q.Or([q.Term(query.fieldname, word) for word in found], boost=query.boost)
    return query.apply(lambda sub: _fuzzy_as_words(sub, searcher))


def _stock_scores(searcher: Searcher, query: q.Query) -> dict[str, float]:
    ids = searcher.reader().column_reader("id")
    hits = searcher.search(_fuzzy_as_words(query, searcher), limit=None)
    return {ids[hit.docnum]: hit.score for hit in hits}


def _stock_ids(searcher: Searcher, query: q.Query) -> set[str]:
    """The papers ``query`` matches: each word, phrase or expanded word found by stock
    Whoosh's searcher, the operators applied as set algebra. Whoosh's own ANDNOT can keep a
    paper that has the excluded word ("title:3.14 ANDNOT 3.14" found a paper with 3.14 in
    its title), so its answer to a whole query is not the reference."""
    if isinstance(query, q.Not):
        return _stock_ids(searcher, q.Every()) - _stock_ids(searcher, query.query)
    if isinstance(query, q.AndNot):
        return _stock_ids(searcher, query.a) - _stock_ids(searcher, query.b)
    if isinstance(query, q.AndMaybe):
        return _stock_ids(searcher, query.a)
    if isinstance(query, q.And):
        parts = [_stock_ids(searcher, sub) for sub in query.subqueries]
        return set.intersection(*parts) if parts else set()
    if isinstance(query, q.Or):
        return set().union(*(_stock_ids(searcher, sub) for sub in query.subqueries))
    return set(_stock_scores(searcher, query))


def _is_ranked_like(found: list[str], scores: dict[str, float]) -> bool:
    """Whether ``found`` lists the papers best first by ``scores`` (ties in any order)."""
    listed = [scores[pid] for pid in found]
    return all(a >= b - 1e-6 * max(1.0, abs(a)) for a, b in pairwise(listed))


def _ranking_promised(query: q.Query) -> bool:
    return not any(isinstance(leaf, EXPANDED) for leaf in query.leaves())


def _check(indexes: Indexes, query: q.Query, found: dict[str, list[str]]) -> None:
    """``found``, each quick index's answer to ``query``, against stock Whoosh's."""
    expected = _stock_ids(indexes.stock, query)
    for name, ids in found.items():
        assert len(ids) == len(set(ids)), name
        assert set(ids) == expected, name
    scores = _stock_scores(indexes.stock, query)
    if not _ranking_promised(query) or scores.keys() != expected:
        return
    for name in ("one writer", "forked workers"):
        if name in found:
            assert _is_ranked_like(found[name], scores), name
    # An updated index keeps its deleted documents in Whoosh's statistics: its ranking is
    # stock Whoosh's searcher's over that same index.
    with indexes.read["updated"].searcher() as searcher:
        in_place = _stock_scores(searcher, query)
    if in_place.keys() == expected:
        assert _is_ranked_like(found["updated"], in_place)


@settings(max_examples=150, deadline=None, derandomize=True, database=None)
@given(text=_queries)
def test_queries_find_what_stock_whoosh_finds(indexes: Indexes, text: str) -> None:
    query = indexes.quick["one writer"].parse(text)
    found = {name: index.search(text) for name, index in indexes.quick.items()}
    _check(indexes, query, found)
    unranked = {name: index.search(text, scored=False) for name, index in indexes.quick.items()}
    assert {name: set(ids) for name, ids in unranked.items()} == {
        name: set(ids) for name, ids in found.items()
    }


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(before=st.lists(_words, max_size=3).map(" ".join), word=_plain, typed=st.integers(1, 5))
def test_a_word_being_typed_finds_what_stock_whoosh_finds(
    indexes: Indexes, before: str, word: str, typed: int
) -> None:
    """The last word, still being typed, is itself or the start of a title word."""
    partial = word[:typed]
    text = f"{before} {partial}".strip()
    parse = indexes.quick["one writer"].parse
    being_typed = q.Or([parse(partial), q.Term("title_start", fold_accents(partial.lower()))])
    query = q.And([parse(before), being_typed]) if before else being_typed
    found = {name: index.search(text, partial) for name, index in indexes.quick.items()}
    _check(indexes, query, found)
