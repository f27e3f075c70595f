"""Whoosh queries answered from Whoosh's postings a block at a time.

Whoosh's own matchers step through the postings one document at a time in Python, too slow
for a search at every key on a big library (docs/performance.md has the figures). Here each term's
postings are read whole, a block of 128 at a time, and combined as dictionaries of document
number to score, which leaves the per-document work to C. Scores are Whoosh's BM25F with its
statistics (idf, average field length, the field lengths stored in the index), so the ranking
of words, phrases and operators matches Whoosh's. Not that of prefix, wildcard and fuzzy
words: Whoosh scores every paper such a word matches alike (its boost, once a field), while
here a paper scores as the OR of the words it has, so the paper with more of them comes first.
The papers found are those the query means, which is not always what Whoosh's own search
finds: its ANDNOT can keep a paper that has the excluded word, its NOT a deleted document,
and its fuzzy title words are looked up among other words than those indexed (see
`fuzzy_spelt_out`); tests/core/test_fast_layer_differential.py holds both to that. Query
kinds not handled here raise ``Unsupported``; the caller then asks Whoosh itself.

Postings and lengths are cached per segment, which Whoosh never changes once written: after a
commit the unchanged segments keep their cache and only new ones are read. The scores of whole
words and of ANDs are kept too, for one state of the index: typing "diffusion model gen" after
"diffusion model ge" computes only the last word and its intersection with the AND of the others.

An AND finds its documents before it sums any score: the smallest part's documents, narrowed by
each larger part; then each part's postings are looked up for those alone. An AND of common
words matches far fewer papers than its words' postings hold: summing each word's scores first,
as dictionaries, did that much more work.
"""

from __future__ import annotations

import heapq
import struct
from array import array
from bisect import bisect_left
from collections import Counter, OrderedDict
from collections.abc import (
    Callable,
    Container,
    Hashable,
    Iterable,
    Iterator,
    Mapping,
    Sequence,
)
from functools import cached_property, partial
from itertools import accumulate, chain, compress, repeat
from operator import add, attrgetter
from pickle import loads
from types import MappingProxyType
from typing import NamedTuple, TypeVar

from whoosh import query as q
from whoosh.automata.fsa import find_all_matches
from whoosh.codec.base import Automata
from whoosh.codec.whoosh3 import W3LeafMatcher, W3TermsReader
from whoosh.formats import Positions
from whoosh.matching import FilterMatcher
from whoosh.reading import TermNotFound
from whoosh.scoring import BM25F
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

from readerapp.core.search.quick_writing import QuickPositions, length_bytes
from readerapp.core.search.word_forms import ExactScore

Scores = dict[int, float]
T = TypeVar("T")
# How many postings the cache keeps (ids, weights, scores and ids shifted: 20 bytes each, a
# phrase's positions some 50 more, counted as 4 postings): about 64 MB.
CACHE_POSTINGS = 3_200_000
# How many results of phrase matching and word expansion (prefix, fuzzy) it keeps.
CACHE_DERIVED = 64
# How many scores of whole words it keeps, one a document a word matches, some 100 bytes each:
# about 30 MB, room for the words of a long query over a big library.
CACHE_SCORES = 300_000
# How many of a field's most frequent words reading ahead considers.
COMMON_WORDS = 200
KEPT_A_SEGMENT = 2 * COMMON_WORDS  # the most frequent words of a segment's field it counts
_WEIGHTING = BM25F()
_PICKLED_POSITIONS = (Positions, QuickPositions)  # whose values `_positions` reads


class Unsupported(Exception):
    """A query of a kind this module does not evaluate; Whoosh's own search answers it."""


class Postings:
    """One term's postings in one segment: document numbers, weights, (for phrases) values,
    and the scores last computed from them with the statistics they were computed for."""

    __slots__ = ("_offset", "_scored_with", "_scores", "_shifted", "ids", "values", "weights")

    def __init__(self, ids: array, weights: array, values: list[bytes] | None = None) -> None:
        self.ids, self.weights, self.values = ids, weights, values
        self._scores: array | None = None
        self._scored_with: tuple = ()
        self._shifted, self._offset = ids, 0

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def cost(self) -> int:
        """What keeping these postings costs, in postings: values (positions) weigh more."""
        return len(self.ids) * (4 if self.values is not None else 1)

    def ids_from(self, offset: int) -> array:
        """The document numbers counted from ``offset``, the segment's first in a searcher
        (kept for the latest offset: shifting them again was a good part of a search of common
        words)."""
        if offset != self._offset:
            self._shifted = array("i", map(offset.__add__, self.ids)) if offset else self.ids
            self._offset = offset
        return self._shifted

    def scores(self, statistics: tuple, compute: Callable[[Postings], Iterable[float]]) -> array:
        """The score of each posting; computed again only when ``statistics`` changed."""
        if self._scores is None or self._scored_with != statistics:
            self._scores = array("d", compute(self))
            self._scored_with = statistics
        return self._scores


class SegmentCache:
    """What has been read from segments, by segment id: postings (least recently used go
    first), field lengths, the stored paper ids, and what was worked out from them; and the
    scores of whole words for the latest state of the index."""

    def __init__(self, budget: int = CACHE_POSTINGS, score_budget: int = CACHE_SCORES) -> None:
        self.budget = budget
        self.score_budget = score_budget
        self._postings: OrderedDict[tuple, Postings] = OrderedDict()
        self._held = 0
        self._derived: OrderedDict[tuple, object] = OrderedDict()
        self._lengths: dict[tuple[str, str], bytes] = {}
        self._ids: dict[str, list[str]] = {}
        self._scores: OrderedDict[tuple, Scores] = OrderedDict()
        self._scores_state: tuple = ()
        self._score_entries = 0

    @property
    def postings_held(self) -> int:
        """How much of ``budget`` the postings kept take (the sum of their `Postings.cost`)."""
        return self._held

    @property
    def scores_held(self) -> int:
        """How many papers' scores the words kept hold together: at most ``score_budget``."""
        return self._score_entries

    def postings(self, reader, field: str, btext: bytes, values: bool) -> Postings | None:
        key = (_segment_id(reader), field, btext)
        found = self._postings.get(key)
        if found is not None and (found.values is not None or not values):
            self._postings.move_to_end(key)
            return found
        found = _read_postings(reader, field, btext, values)
        if found is not None:
            self._keep(key, found)
        return found

    def _keep(self, key: tuple, postings: Postings) -> None:
        old = self._postings.pop(key, None)
        self._held += postings.cost - (old.cost if old else 0)
        self._postings[key] = postings
        while self._held > self.budget and len(self._postings) > 1:
            _, dropped = self._postings.popitem(last=False)
            self._held -= dropped.cost

    def derived(self, key: tuple, compute: Callable[[], T]) -> T:
        """What ``compute`` works out from the segments named in ``key``, kept for a while."""
        if key in self._derived:
            self._derived.move_to_end(key)
        else:
            self._derived[key] = compute()
            if len(self._derived) > CACHE_DERIVED:
                self._derived.popitem(last=False)
        return self._derived[key]

    def word_scores(self, state: tuple, key: Hashable, compute: Callable[[], Scores]) -> Scores:
        """The scores of a word (``key``: its terms and boosts) or an AND (the query), computed
        once for the index in ``state`` and kept while there is room, least recently used going
        first. Shared with later searches: read them, never change them."""
        found = self.kept_scores(state, key)
        if found is not None:
            self._scores.move_to_end(key)
            return found
        found = compute()
        if len(found) <= self.score_budget:
            self._scores[key] = found
            self._score_entries += len(found)
            while self._score_entries > self.score_budget:
                _, dropped = self._scores.popitem(last=False)
                self._score_entries -= len(dropped)
        return found

    def kept_scores(self, state: tuple, key: Hashable) -> Scores | None:
        """The scores kept for ``key`` if the index is still in ``state``, else None."""
        if state != self._scores_state:  # documents were added or deleted: every score may move
            self.forget_scores()
            self._scores_state = state
        return self._scores.get(key)

    def forget_scores(self) -> None:
        """Drop the words' scores kept, so that the next searches compute them afresh."""
        self._scores.clear()
        self._score_entries = 0

    def lengths(self, reader, field: str) -> bytes:
        """The stored length byte of ``field`` for each document of the segment."""
        key = (_segment_id(reader), field)
        if key not in self._lengths:
            self._lengths[key] = _read_lengths(reader, field)
        return self._lengths[key]

    def ids(self, reader) -> list[str]:
        """The paper id of each document number of the segment."""
        key = _segment_id(reader)
        if key not in self._ids and not reader.doc_count_all():
            self._ids[key] = []  # an empty index: Whoosh's empty reader has no columns
        if key not in self._ids:
            column = reader.column_reader("id")
            self._ids[key] = [column[docnum] for docnum in range(reader.doc_count_all())]
        return self._ids[key]

    def forget_other_segments(self, keep: Iterable[str]) -> None:
        """Drop what belongs to segments no longer in the index (merged or replaced)."""
        live = set(keep)
        for key in [k for k in self._postings if k[0] not in live]:
            self._held -= self._postings.pop(key).cost
        self._lengths = {k: v for k, v in self._lengths.items() if k[0] in live}
        self._ids = {k: v for k, v in self._ids.items() if k in live}
        self._derived = OrderedDict((k, v) for k, v in self._derived.items() if live >= set(k[0]))


def _segment_id(reader) -> str:
    segment = reader.segment()
    return "" if segment is None else segment.segment_id()  # an empty index has none


def segment_ids(searcher: Searcher) -> tuple[str, ...]:
    """The ids of the segments ``searcher`` reads: what the cache's entries are valid for."""
    return tuple(_segment_id(leaf.reader()) for leaf, _ in searcher.leaf_searchers())


# A terms file's record (`whoosh.filedb.filetables.HashWriter.add`): the lengths of its key and
# value; the key, a field's number and a word; the value, a `W3TermInfo`, which starts with
# flags, the word's total weight and how many papers have it.
_RECORD = struct.Struct("!ii")
_FIELD_NUMBER = struct.Struct("!H")
_WORD_COUNTS = struct.Struct("!xfI")


class WordCounts:
    """How often the words of ``fields`` occur, counted segment by segment.

    Whoosh's ``most_frequent_terms`` on an index of many segments looks every word up in every
    segment, which on a big library of many segments kept searches waiting for long. This
    reads each segment's words once, in order, and a segment at a time. The commonest words
    are common in every segment, so only each segment's `KEPT_A_SEGMENT` most frequent words
    of a field are counted: counting all of them took several times the memory.
    """

    def __init__(self, fields: Iterable[str]) -> None:
        self.fields = tuple(fields)
        self.weights: Counter[tuple[str, bytes]] = Counter()
        self.papers: Counter[tuple[str, bytes]] = Counter()

    def add(self, leaf) -> None:
        """Count the words of one segment (of its deleted papers too, as Whoosh does).

        Its terms file is read at once and taken apart here. Whoosh reads a word with a seek
        and a read, and each read hands the interpreter over and takes it back at once, which
        kept the window's thread waiting for it at every read (the GIL's convoy).
        """
        terms = getattr(leaf, "_terms", None)
        if not isinstance(terms, W3TermsReader):  # an empty index's reader, which has none
            return
        table = terms._tindex
        data = table.dbfile.get(table.startofdata, table.endofdata - table.startofdata)
        found: dict[int, list[tuple[float, int, bytes]]] = {
            terms._fieldmap[field]: [] for field in self.fields if field in terms._fieldmap
        }
        at = 0
        while at < len(data):
            key_length, value_length = _RECORD.unpack_from(data, at)
            at += _RECORD.size
            words = found.get(_FIELD_NUMBER.unpack_from(data, at)[0])
            if words is not None:
                weight, count = _WORD_COUNTS.unpack_from(data, at + key_length)
                words.append((weight, count, data[at + _FIELD_NUMBER.size : at + key_length]))
            at += key_length + value_length
        for number, words in found.items():
            field = terms._fieldunmap[number]
            for weight, count, word in heapq.nlargest(KEPT_A_SEGMENT, words):
                self.weights[field, word] += weight
                self.papers[field, word] += count

    def common(self, budget: int) -> list[tuple[str, str]]:
        """The `COMMON_WORDS` most frequent words of each field (field, word), those in the
        most papers first, whose postings together stay within ``budget``."""
        frequent = [
            key
            for field in self.fields
            for key in heapq.nlargest(
                COMMON_WORDS, (key for key in self.weights if key[0] == field), self.weights.get
            )
        ]
        chosen, held = [], 0
        for papers, (field, word) in sorted(((self.papers[k], k) for k in frequent), reverse=True):
            if held + papers > budget:
                break
            chosen.append((field, word.decode()))
            held += papers
        return chosen


def _read_postings(reader, field: str, btext: bytes, values: bool) -> Postings | None:
    try:
        matcher = reader.postings(field, btext)
    except TermNotFound:
        return None
    if isinstance(matcher, FilterMatcher):  # deletions: applied when scoring
        matcher = matcher.child
    ids, weights = array("i"), array("f")
    vals: list[bytes] | None = [] if values else None
    if isinstance(matcher, W3LeafMatcher):
        _read_blocks(matcher, ids, weights, vals)
    else:  # postings inlined in the term info
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            if vals is not None:
                vals.append(matcher.value())
            matcher.next()
    return Postings(ids, weights, vals)


def _read_blocks(matcher: W3LeafMatcher, ids: array, weights: array, values) -> None:
    """Read every block of a term's postings (Whoosh 2.7's block layout)."""
    while True:
        matcher._read_data()
        ids.extend(accumulate(matcher._data[0]))  # stored as deltas
        matcher._read_weights()
        weights.extend(matcher._weights)
        if values is not None:
            matcher._read_values()
            values.extend(matcher._values)
        if matcher._lastblock:
            return
        matcher._goto(matcher._nextoffset)


def _read_lengths(reader, field: str) -> bytes:
    count = reader.doc_count_all()
    return length_bytes(reader._perdoc, field, count) or bytes(count)


_LENGTH_OF_BYTE = [byte_to_length(b) for b in range(256)]


class Evaluation:
    """One query over one searcher: scores by global document number."""

    def __init__(self, searcher: Searcher, cache: SegmentCache) -> None:
        self.searcher = searcher
        self.cache = cache
        self.leaves = searcher.leaf_searchers()

    @cached_property
    def state(self) -> tuple[tuple[str, int], ...]:
        """Each segment's id and count of live documents: what scores kept are valid for.
        (A paper updated in place deletes its document in an old segment, whose id stays.)"""
        return tuple(
            (_segment_id(leaf.reader()), leaf.reader().doc_count()) for leaf, _ in self.leaves
        )

    def run(self, query: q.Query) -> Scores:
        handler = _HANDLERS.get(type(query))
        if handler is None:
            raise Unsupported(type(query).__name__)
        return handler(self, query)

    @cached_property
    def deleted(self) -> frozenset[int]:
        """The global numbers of the documents deleted from their segments."""
        return frozenset(
            docnum + offset
            for leaf, offset in self.leaves
            for docnum in leaf.reader().deleted_docs_set
        )

    # --- terms -----------------------------------------------------------------------------

    def term(
        self, field: str, text: str, boost: float = 1.0, constant: float | None = None
    ) -> Scores:
        """A term's scores: BM25F, or ``constant`` for every paper with it."""
        found: Scores = {}
        for ids, scores in self._pieces(field, text, boost, constant):
            found.update(zip(ids, scores, strict=True))
        for docnum in self.deleted:
            found.pop(docnum, None)
        return found

    def _pieces(
        self, field: str, text: str, boost: float, constant: float | None = None
    ) -> Iterator[tuple[array, Sequence[float]]]:
        """A term's document numbers and scores (see `term`) in each segment, deleted
        documents included."""
        if field not in self.searcher.schema:
            return
        btext = self.searcher.schema[field].to_bytes(text)
        for leaf, offset in self.leaves:
            reader = leaf.reader()
            postings = self.cache.postings(reader, field, btext, values=False)
            if postings is None:
                continue
            if constant is None:
                yield postings.ids_from(offset), self._scores(reader, field, text, boost, postings)
            else:
                yield postings.ids_from(offset), [constant] * len(postings)

    def word(self, query: q.Or) -> Scores:
        """One word over the fields (an OR of terms), from the cache when it has it."""
        terms = _terms(query)
        return self.cache.word_scores(
            self.state,
            (terms, query.boost),
            lambda: _boosted(_union(self.term(*term) for term in terms), query.boost),
        )

    def part(self, query: q.Query) -> Part:
        """``query`` as a part of an AND: a term, a word (unless its scores are kept) or an
        expanded word as its terms' postings, anything else as its scores."""
        terms = None
        if type(query) is q.Term:
            terms = [(query.fieldname, query.text, query.boost, None)]
        elif type(query) in _EXPANDED:
            terms = [(query.fieldname, w, query.boost, None) for w in self.words_of(query)]
        elif type(query) is q.Or and query.boost == 1.0 and _is_word(query):
            terms = _terms(query)
            if self.cache.kept_scores(self.state, (terms, query.boost)) is not None:
                terms = None
        if terms is None:
            return Part.of(self.run(query))
        pieces = [piece for term in terms if term[3] is None for piece in self._pieces(*term)]
        exact = [piece for term in terms if term[3] is not None for piece in self._pieces(*term)]
        return Part(pieces, sum(len(ids) for ids, _ in pieces), exact)

    def _scores(self, reader, field: str, text: str, boost: float, postings: Postings) -> array:
        """BM25F as Whoosh computes it, with the length part looked up per length byte."""
        searcher = self.searcher
        if not searcher.schema[field].scorable:
            return postings.scores((boost,), lambda p: (w * boost for w in p.weights))
        k1, b = _WEIGHTING.K1, _WEIGHTING.B
        idf = searcher.idf(field, text) * boost * (k1 + 1)
        average = searcher.avg_field_length(field) or 1
        lengths = self.cache.lengths(reader, field)

        def compute(p: Postings) -> Iterable[float]:
            norm = [k1 * ((1 - b) + b * length / average) for length in _LENGTH_OF_BYTE]
            return (idf * w / (w + norm[lengths[d]]) for d, w in zip(p.ids, p.weights, strict=True))

        return postings.scores((idf, average), compute)

    def expanded(self, query: q.MultiTerm) -> Scores:
        """A prefix, wildcard or fuzzy word: the union of the words it stands for."""
        return _union(self.term(query.fieldname, w, query.boost) for w in self.words_of(query))

    def words_of(self, query: q.MultiTerm) -> list[str]:
        """The words a prefix, wildcard or fuzzy word stands for, in these segments."""
        return self.cache.derived(
            (segment_ids(self.searcher), "words", query), lambda: self._read_words(query)
        )

    def _read_words(self, query: q.MultiTerm) -> list[str]:
        if isinstance(query, q.FuzzyTerm):  # Whoosh walks its automaton through each segment
            dfa = Automata.levenshtein_dfa(query.text, query.maxdist, query.prefixlength)
            return list(find_all_matches(dfa, self._vocabulary(query.fieldname)))
        field = self.searcher.schema[query.fieldname]
        return [
            w if isinstance(w, str) else field.from_bytes(w)
            for w in query._btexts(self.searcher.reader())
        ]

    def _vocabulary(self, fieldname: str) -> Callable[[str], str | None]:
        """The first word of the field at or after a given one, in any segment: from every
        word of the field, read once for these segments: walking the segments one by one made
        each fuzzy word slow on an index of many segments."""
        field = self.searcher.schema[fieldname]

        def read() -> list[str]:
            found: set[bytes] = set()
            for leaf, _offset in self.leaves:
                found.update(leaf.reader().lexicon(fieldname))
            return sorted(map(field.from_bytes, found))

        words = self.cache.derived((segment_ids(self.searcher), "vocabulary", fieldname), read)

        def at_or_after(word: str) -> str | None:
            place = bisect_left(words, word)
            return words[place] if place < len(words) else None

        return at_or_after

    # --- phrases ---------------------------------------------------------------------------

    def phrase(self, query: q.Phrase) -> Scores:
        """Documents with the words in order, at most ``slop`` positions apart."""
        if not query.words:
            return {}
        if len(query.words) == 1:
            return self.term(query.fieldname, query.words[0], query.boost)
        field = self.searcher.schema[query.fieldname]
        if not field.format.supports("positions"):
            raise Unsupported("a phrase in a field without positions")
        found: Scores = {}
        for leaf, offset in self.leaves:
            reader = leaf.reader()
            lists = [
                self.cache.postings(reader, query.fieldname, field.to_bytes(word), values=True)
                for word in query.words
            ]
            if all(lists):
                key = ((_segment_id(reader),), "phrase", query.fieldname, *query.words, query.slop)
                match = self.cache.derived(
                    key, partial(_phrase_match, lists, field.format, query.slop)
                )
                if reader.has_deletions():
                    match = match.without(reader.deleted_docs_set)
                found.update(self._phrase_scores(reader, query, lists, match, offset))
        return found

    def _phrase_scores(self, reader, query: q.Phrase, lists, match: PhraseMatch, offset: int):
        """The sum of the words' scores, as Whoosh scores a phrase: looked up for the papers
        with the phrase only (a word's postings may hold most of the library)."""
        totals: list[float] | None = None
        for word, postings, where in zip(query.words, lists, match.where, strict=True):
            scores = self._scores(reader, query.fieldname, word, query.boost, postings)
            found = list(map(scores.__getitem__, where))
            totals = found if totals is None else list(map(add, totals, found))
        docnums = map(offset.__add__, match.docnums) if offset else match.docnums
        return dict(zip(docnums, totals, strict=True))


class PhraseMatch(NamedTuple):
    """The documents of one segment with a phrase, and where each is in the postings of each
    of its words (the index into their ids), to look their scores up by."""

    docnums: list[int]
    where: list[list[int]]

    def without(self, deleted: Container[int]) -> PhraseMatch:
        kept = [i for i, docnum in enumerate(self.docnums) if docnum not in deleted]
        return PhraseMatch(
            [self.docnums[i] for i in kept], [[places[i] for i in kept] for places in self.where]
        )


def _phrase_match(lists: list[Postings], format_, slop: int) -> PhraseMatch:
    """The documents with the words of a phrase in order, at most ``slop`` positions apart."""
    places = [dict(zip(p.ids, range(len(p)), strict=True)) for p in lists]
    smallest = min(places, key=len)
    candidates = set(smallest).intersection(*(m for m in places if m is not smallest))
    decode = _positions if type(format_) in _PICKLED_POSITIONS else format_.decode_positions
    steps = range(1, slop + 1)
    (first_values, *later_values), (first, *later) = [p.values for p in lists], places
    *middle, (last_values, last) = zip(later_values, later, strict=True)
    matched = []
    for docnum in candidates:
        ends = decode(first_values[first[docnum]])
        for values, place in middle:
            ends = {end + step for end in ends for step in steps}.intersection(
                decode(values[place[docnum]])
            )
            if not ends:
                break
        else:
            nexts = {end + step for end in ends for step in steps}
            if not nexts.isdisjoint(decode(last_values[last[docnum]])):
                matched.append(docnum)
    return PhraseMatch(matched, [list(map(m.__getitem__, matched)) for m in places])


def _positions(value: bytes) -> Iterable[int]:
    """``Positions.decode_positions`` without its Python loop: the value is a word count and
    the pickled position deltas, less pickle's final stop byte."""
    return accumulate(loads(value[4:] + b"."))


def _union(parts: Iterable[Scores]) -> Scores:
    found: Scores = {}
    for part in sorted(parts, key=len, reverse=True):
        if not found:
            found = dict(part)
            continue
        for docnum, score in part.items():
            found[docnum] = found.get(docnum, 0.0) + score
    return found


class Part(NamedTuple):
    """One part of an AND, its scores not yet summed: pieces of (document numbers, scores) that
    may overlap (a word's fields), each as read from the postings or a dictionary kept; and
    ``extra`` pieces, which add to the scores of documents the pieces have and have no other:
    a word's exact form, which only a paper with the word's stem has (see
    `readerapp.core.search.word_forms.exact_form`), so the AND's documents are found without it."""

    pieces: list[tuple[Iterable[int], Iterable[float]]]
    size: int
    extra: Sequence[tuple[Iterable[int], Iterable[float]]] = ()

    @classmethod
    def of(cls, scores: Mapping[int, float]) -> Part:
        return cls([(scores.keys(), scores.values())], len(scores))


def _sum_where_all(parts: list[Part], deleted: frozenset[int]) -> Scores:
    """The summed scores of the documents in every part, found before any is summed: the
    documents of the smallest part, then of those the ones in each larger part, so that only
    these few thousand are looked up and summed rather than each word's tens of thousands."""
    first, *others = sorted(parts, key=attrgetter("size"))
    candidates = set().union(*(ids for ids, _ in first.pieces)) - deleted
    for part in others:
        candidates = set().union(*(candidates.intersection(ids) for ids, _ in part.pieces))
    found = dict.fromkeys(candidates, 0.0)
    if not found:
        return found
    for ids, scores in chain.from_iterable(chain(part.pieces, part.extra) for part in parts):
        wanted = list(map(candidates.__contains__, ids))
        docnums = list(compress(ids, wanted))
        summed = map(add, map(found.__getitem__, docnums), compress(scores, wanted))
        found.update(zip(docnums, summed, strict=True))
    return found


def _and(ev: Evaluation, query: q.And) -> Scores:
    """Kept like a word's scores: while typing "diffusion model gen", the words before the last
    are an AND of their own, searched already at the previous key."""
    return ev.cache.word_scores(ev.state, query, partial(_and_now, ev, query))


def _and_now(ev: Evaluation, query: q.And) -> Scores:
    wanted = [sub for sub in query.subqueries if not isinstance(sub, q.Not)]
    unwanted = [sub.query for sub in query.subqueries if isinstance(sub, q.Not)]
    if not wanted:
        raise Unsupported("only negated words")
    found = _sum_where_all([ev.part(sub) for sub in wanted], ev.deleted)
    for sub in unwanted:  # Whoosh scores each "not this" as 1 for the papers that pass it
        if found:
            excluded = ev.run(sub)
            found = {d: s + 1.0 for d, s in found.items() if d not in excluded}
    return _boosted(found, query.boost)


def _is_word(query: q.Or) -> bool:
    """Whether ``query`` is a word over the fields: an OR of terms, one of which may score a
    constant (the word as written, see `readerapp.core.search.word_forms.ExactForms`)."""
    return all(
        type(sub) is q.Term or (type(sub) is ExactScore and type(sub.child) is q.Term)
        for sub in query.subqueries
    )


WordTerm = tuple[str, str, float, float | None]  # field, text, boost, constant score or None


def _terms(query: q.Or) -> tuple[WordTerm, ...]:
    """The terms of a word (see `_is_word`), as `Evaluation.term` takes them."""
    return tuple(
        (sub.child.fieldname, sub.child.text, 1.0, sub.score)
        if type(sub) is ExactScore
        else (sub.fieldname, sub.text, sub.boost, None)
        for sub in query.subqueries
    )


def _or(ev: Evaluation, query: q.Or) -> Scores:
    if _is_word(query):
        return ev.word(query)
    if any(isinstance(sub, q.Not) for sub in query.subqueries):
        raise Unsupported("a negated word in an OR")
    return _boosted(_union(ev.run(sub) for sub in query.subqueries), query.boost)


def _and_not(ev: Evaluation, query: q.AndNot) -> Scores:
    found = ev.run(query.a)
    excluded = ev.run(query.b) if found else {}
    return {d: s for d, s in found.items() if d not in excluded}


def _and_maybe(ev: Evaluation, query: q.AndMaybe) -> Scores:
    found = ev.run(query.a)
    extra = ev.run(query.b) if found else {}
    return {d: s + extra.get(d, 0.0) for d, s in found.items()}


def _constant(ev: Evaluation, query: q.ConstantScoreQuery) -> Scores:
    return dict.fromkeys(ev.run(query.child), query.score)


def _boosted(scores: Scores, boost: float) -> Scores:
    return scores if boost == 1.0 else {d: s * boost for d, s in scores.items()}


_EXPANDED = (q.Prefix, q.Wildcard, q.FuzzyTerm)
_HANDLERS: dict[type, Callable[[Evaluation, q.Query], Scores]] = {
    q.Term: lambda ev, t: ev.term(t.fieldname, t.text, t.boost),
    q.And: _and,
    q.Or: _or,
    q.AndNot: _and_not,
    q.AndMaybe: _and_maybe,
    q.Phrase: lambda ev, p: ev.phrase(p),
    **dict.fromkeys((q.ConstantScoreQuery, ExactScore), _constant),
    **dict.fromkeys(_EXPANDED, lambda ev, m: ev.expanded(m)),
    q.NullQuery.__class__: lambda ev, _q: {},
}


def evaluate(searcher: Searcher, query: q.Query, cache: SegmentCache) -> Mapping[int, float]:
    """Scores of every document ``query`` matches, by global document number: read-only, as
    they may be the cache's own.

    Raises Unsupported for a query kind not handled here.
    """
    return MappingProxyType(Evaluation(searcher, cache).run(query))


def best_of_terms(
    searcher: Searcher,
    terms: Iterable[tuple[str, str, float]],
    cache: SegmentCache,
    count: int,
    leave_out: int | None = None,
) -> list[int]:
    """The ``count`` best documents of an OR of ``terms`` (field, word, boost) as Whoosh sums
    their scores, in the order of `best`: what "more like this" ranks by.

    Not every posting is summed (a paper's common words hold much of the library): the words
    go in the order of the most each can add, and once the words left could not together lift
    a document not yet found past the ``count`` best so far, they only add to those found (the
    MaxScore way: the best are the same). Each word is read as its unboosted postings' scores,
    which its postings keep from one paper to the next (each paper boosts words its own way).
    """
    evaluation = Evaluation(searcher, cache)
    words = []
    for field, word, boost in terms:
        pieces = list(evaluation._pieces(field, word, 1.0))
        if any(ids for ids, _scores in pieces):
            most = boost * max(max(scores) for ids, scores in pieces if ids)
            words.append((most, boost, pieces))
    words.sort(key=lambda item: item[0], reverse=True)
    left = list(accumulate(most for most, _boost, _pieces in reversed(words)))[::-1]
    kept = count + (leave_out is not None)
    found: Scores = {}
    only_found = False  # once so, so for every word after: they can add less, the best more
    for (_most, boost, pieces), most_left in zip(words, left, strict=True):
        only_found = only_found or (
            len(found) >= kept and most_left < heapq.nlargest(kept, found.values())[-1]
        )
        for ids, scores in pieces:
            if only_found:
                wanted = list(map(found.__contains__, ids))
                ids, scores = list(compress(ids, wanted)), compress(scores, wanted)
            added = map(add, map(found.get, ids, repeat(0.0)), map(boost.__mul__, scores))
            found.update(zip(ids, added, strict=True))
        for docnum in evaluation.deleted:
            found.pop(docnum, None)
    if len(found) > kept:  # `best` of the few that can be among the best
        least = heapq.nlargest(kept, found.values())[-1]
        found = {docnum: score for docnum, score in found.items() if score >= least}
    return best(found, count, leave_out)


def each_term(
    searcher: Searcher, terms: Iterable[tuple[str, str, float]], cache: SegmentCache
) -> list[Scores]:
    """The scores of each of ``terms`` (field, word, boost) apart, by global document number."""
    evaluation = Evaluation(searcher, cache)
    return [evaluation.term(*term) for term in terms]


def best(scores: Mapping[int, float], count: int, leave_out: int | None = None) -> list[int]:
    """The ``count`` best document numbers, in the order of `ranked`, without sorting all."""
    wanted = (d for d in scores if d != leave_out)
    return heapq.nsmallest(count, wanted, key=lambda d: (-scores[d], d))


def ranked(scores: Mapping[int, float]) -> list[int]:
    """Document numbers best first; equal scores in index order, as Whoosh gives them."""
    order = sorted(scores)
    order.sort(key=scores.__getitem__, reverse=True)
    return order


def paper_ids(searcher: Searcher, cache: SegmentCache) -> list[str]:
    """The paper id of every global document number of ``searcher``."""
    found: list[str] = []
    for leaf, _offset in searcher.leaf_searchers():
        found.extend(cache.ids(leaf.reader()))
    return found


def fuzzy_spelt_out(searcher: Searcher, query: q.Query, cache: SegmentCache) -> q.Query:
    """``query`` with each fuzzy word as the OR of the words it stands for here, for Whoosh's
    own search of a query this module does not evaluate: in an index of one segment, Whoosh
    looks a fuzzy title word up among the title's unstemmed spelling words, which are not the
    words indexed, and so finds other papers than `evaluate` finds."""
    evaluation = Evaluation(searcher, cache)

    def spelt(part: q.Query) -> q.Query:
        if isinstance(part, q.FuzzyTerm):
            words = evaluation.words_of(part)
            return q.Or([q.Term(part.fieldname, word) for word in words], boost=part.boost)
        return part.apply(spelt)

    return spelt(query)
