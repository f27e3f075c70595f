"""Quicker ways for Whoosh to write our index, which write the very same files but for the
pickle protocol of the postings' blocks and the small blocks left uncompressed, which Whoosh
reads the same.

- `QuickPositions`: adding a paper spent much of its time in the analysis of its abstract,
  each word handed through a tokenizer and four filters as a shared token object. This
  format does what the stemming analyzers of `make_schema` do (words by its expression, lower
  case, accents folded, stop words and short words out, positions counted again without them,
  stems) with whole lists,
  and yields exactly the postings `Positions` yields. It indexes only: queries, highlights and
  the rest still go through the analyzer.
- `QuickExistence`: the same for the words as written (the exact field), which keeps only
  which papers have a word.
- `QuickFrequency`: the same for the n-grams of the starts of title words, each of which
  Whoosh hands through its filter as a token.
- `QuickCodec`: writing a segment looked up the length of the field of every posting's paper
  in the column just written, a file seek and read each. Its reader reads a field's lengths
  once, and its postings writer takes each posting without checking the types of what the
  writer itself hands it (four checks a posting), and pickles a block of postings by
  protocol 5 (pickling and compressing the blocks by protocol 2 took much of a worker's
  time); it compresses only the blocks that zlib can shrink, and minifies ids and weights
  in C.
- `QuickSegmentWriter` (and `QuickMpWriter`, whose workers use it): writing a segment took
  most of a build, most of it sorting every posting as a tuple and handing the postings one
  by one to the postings writer; and the tuples overflowed a worker's pool when it was given a
  little more than its share of a batch. Its `TermPool` keeps the postings by term, in half
  the memory; only the terms are sorted, and a term's postings go to the postings writer a
  block at a time.

An index keeps its schema and each segment's codec, so the formats and the codec are named in
the indexes made with them: such an index cannot be opened without them (it would be rebuilt).
The writers and the pool are not kept.
"""

from __future__ import annotations

import functools
import operator
import pickle
import re
import sys
import zlib
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from itertools import chain
from typing import Any

from whoosh import multiproc
from whoosh.analysis import LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.analysis.analyzers import CompositeAnalyzer
from whoosh.analysis.ngrams import NgramFilter
from whoosh.codec.whoosh3 import (
    LENGTHS_COLUMN,
    WHOOSH3_HEADER_MAGIC,
    W3Codec,
    W3FieldWriter,
    W3PerDocReader,
    W3PostingsWriter,
    _lenfield,
)
from whoosh.compat import dumps
from whoosh.fields import Schema
from whoosh.formats import Existence, Frequency, Positions
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.system import pack_uint
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import PostingPool, SegmentWriter

from readerapp.core.search.word_forms import FoldAccents, fold_accents

# Stems worked out, by word; cleared when full (a library's vocabulary mostly fits).
STEMS_KEPT = 200_000
# Blocks pickled shorter than this are written uncompressed, as Whoosh means to (its check
# is undone by the line after it): zlib does not shrink them, and spent much of its time on
# them (most blocks are that small).
COMPRESSED_FROM = 100
PLACES_KEPT = 4096  # encodings of single positions kept (an abstract has some 250 words)
WordValues = Iterator[tuple[str, int, float, bytes]]


class QuickPositions(Positions):
    """`Positions`, with `word_values` quicker for the analysis of `make_schema`'s fields."""

    def word_values(self, value: Any, analyzer: Any, **kwargs: Any) -> WordValues:
        analysis = _analysis_of(analyzer)
        if kwargs.get("mode") != "index" or analysis is None or not isinstance(value, str):
            return super().word_values(value, analyzer, **kwargs)
        return self._postings(*analysis(value))

    def _postings(self, first: int, words: list[str]) -> WordValues:
        places: dict[str, list[int]] = {}
        for place, word in enumerate(words, start=first):
            if word in places:
                places[word].append(place)
            else:
                places[word] = [place]
        boost = self.field_boost
        for word, found in places.items():
            count = len(found)
            value = _one_place(found[0]) if count == 1 else self.encode(found)
            yield word, count, float(count) * boost, value


class QuickExistence(Existence):
    """`Existence`, with `word_values` quicker for the analysis of `make_schema`'s fields."""

    def word_values(self, value: Any, analyzer: Any, **kwargs: Any) -> WordValues:
        analysis = _analysis_of(analyzer)
        if kwargs.get("mode") != "index" or analysis is None or not isinstance(value, str):
            return super().word_values(value, analyzer, **kwargs)
        boost = self.field_boost
        return ((word, 1, boost, b"") for word in set(analysis(value)[1]))


def _one_place(place: int) -> bytes:
    """`Positions.encode` of a single position (that of most words of an abstract), a fresh
    object as Whoosh's are: pickle writes an object met twice in a block as a reference."""
    return _COUNT_OF_ONE + _pickled_place(place)


_COUNT_OF_ONE = pack_uint(1)
_pickled_place = functools.lru_cache(maxsize=PLACES_KEPT)(lambda place: dumps([place], 2))


def _analysis_of(analyzer: Any) -> _Analysis | None:
    """A one-pass version of ``analyzer``, or None when it is not a stemming analyzer of the
    shape this module knows (a regex tokenizer, lower case, accents folded, stop words, stems).
    Every copy of one analyzer (each writer unpickles its own) shares one, and its stems."""
    items = _folding_known(analyzer, [RegexTokenizer, LowercaseFilter, StopFilter, StemFilter])
    if items is None:
        return None
    tokenizer, _lower, stops, stemmer = items
    if tokenizer.gaps or tokenizer.expression.groups or stemmer.lang or not stops.renumber:
        return None
    words = tokenizer.expression
    return _analysis(words.pattern, words.flags, stops.stops, stops.min, stops.max,
                     stemmer.stemfn, stemmer.ignore)  # fmt: skip


def _folding_known(analyzer: Any, kinds: list[type]) -> list[Any] | None:
    """The items of ``analyzer`` but its `FoldAccents` after the lower case, when they are of
    the ``kinds`` given (one each, in order) and the accents are folded; else None."""
    if not isinstance(analyzer, CompositeAnalyzer):
        return None
    items = list(analyzer.items)
    if len(items) != len(kinds) + 1 or type(items.pop(2)) is not FoldAccents:
        return None
    return items if [type(item) for item in items] == kinds else None


@functools.cache
def _analysis(pattern: str, flags: int, *rest: Any) -> _Analysis:
    return _Analysis(re.compile(pattern, flags), *rest)


class _Analysis:
    """The stems of a text's words in order (lower case, accents folded), as the stemming
    analyzer gives them, and the position of the first (counted among all the words, before
    stop words went out)."""

    def __init__(
        self,
        words: re.Pattern[str],
        stops: frozenset[str],
        shortest: int,
        longest: int | None,
        stem: Callable[[str], str],
        unstemmed: frozenset[str],
    ) -> None:
        self.findall = words.findall
        self.stops, self.shortest = stops, shortest
        self.longest = sys.maxsize if longest is None else longest
        self.stem, self.unstemmed = stem, unstemmed
        self.stems: dict[str, str] = {}

    def __call__(self, text: str) -> tuple[int, list[str]]:
        stops, shortest, longest, stems = self.stops, self.shortest, self.longest, self.stems
        words = _folded_words(self.findall, text)
        kept = [
            place
            for place, word in enumerate(words)
            if shortest <= len(word) <= longest and word not in stops
        ]
        stemmed = [
            stems[word] if word in stems else self._stemmed(word)
            for word in map(words.__getitem__, kept)
        ]
        return (kept[0] if kept else 0), stemmed

    def _stemmed(self, word: str) -> str:
        if len(self.stems) >= STEMS_KEPT:
            self.stems.clear()
        stem = self.stems[word] = word if word in self.unstemmed else self.stem(word)
        return stem


def _folded_words(findall: Callable[[str], list[str]], text: str) -> list[str]:
    """The words ``findall`` finds in ``text``, lower case, accents folded (`FoldAccents`):
    an ASCII text, most abstracts, has none to fold."""
    words = list(map(str.lower, findall(text)))
    return words if text.isascii() else list(map(fold_accents, words))


class QuickFrequency(Frequency):
    """`Frequency`, with `word_values` quicker for the word-start n-grams of `make_schema`."""

    def word_values(self, value: Any, analyzer: Any, **kwargs: Any) -> WordValues:
        grams = _start_grams_of(analyzer)
        if kwargs.get("mode") != "index" or grams is None or not isinstance(value, str):
            return super().word_values(value, analyzer, **kwargs)
        boost = self.field_boost
        counts = Counter(grams(value))
        return ((gram, n, float(n) * boost, pack_uint(n)) for gram, n in counts.items())


def _start_grams_of(analyzer: Any) -> Callable[[str], list[str]] | None:
    """A one-pass version of an n-gram analyzer of word starts, or None for other shapes."""
    items = _folding_known(analyzer, [RegexTokenizer, LowercaseFilter, NgramFilter])
    if items is None:
        return None
    tokenizer, _lower, grams = items
    if tokenizer.gaps or tokenizer.expression.groups or grams.at != -1:
        return None
    words = tokenizer.expression
    return _start_grams(words.pattern, words.flags, grams.min, grams.max)


@functools.cache
def _start_grams(
    pattern: str, flags: int, shortest: int, longest: int
) -> Callable[[str], list[str]]:
    findall = re.compile(pattern, flags).findall

    def grams(text: str) -> list[str]:
        return [
            word[:size]
            for word in _folded_words(findall, text)
            for size in range(shortest, min(longest, len(word)) + 1)
        ]

    return grams


class QuickCodec(W3Codec):
    """Whoosh 2.7's codec, whose per-document reader keeps the field lengths it reads and
    whose postings writer takes postings unchecked."""

    def per_document_reader(self, storage, segment) -> W3PerDocReader:
        return _LengthsKept(storage, segment)

    def field_writer(self, storage, segment) -> W3FieldWriter:
        return _TermsWriter(self, storage, segment)

    def postings_writer(self, dbfile, byteids: bool = False) -> W3PostingsWriter:
        return _Unchecked(dbfile, self._blocklimit, byteids, self._compression, self._inlinelimit)


class _LengthsKept(W3PerDocReader):
    def __init__(self, storage, segment) -> None:
        super().__init__(storage, segment)
        self._lengths: dict[str, bytes | None] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int | None:
        if docnum > self._doccount:
            raise IndexError(f"Asked for docnum {docnum!r} of {self._doccount}")
        if fieldname not in self._lengths:
            self._lengths[fieldname] = length_bytes(self, fieldname, self._doccount + 1)
        lengths = self._lengths[fieldname]
        if lengths is None:
            return default
        return byte_to_length(lengths[docnum]) if lengths[docnum] else None


class _Unchecked(W3PostingsWriter):
    """Whoosh's postings writer without its type checks of each posting, which also takes a
    term's postings all at once."""

    def add_all(self, postings: list[Any], lengths: bytes | None) -> None:
        """Add what `add_posting` would, posting by posting, but a block at a time.

        ``postings``: document number, weight and value of each, one after the other;
        ``lengths``: the length byte of the field of every document of the segment, or None when
        the field has no lengths."""
        size = self._blocklimit * 3
        for start in range(0, len(postings), size):
            if start:
                self._write_block()
            block = postings[start : start + size]
            self._ids = array("I", block[0::3])
            self._weights = array("f", block[1::3])
            heaviest = max(block[1::3])  # the first of the heaviest, as `add_posting` keeps
            self._maxweight = heaviest if heaviest > 0 else 0
            self._values = list(filter(None, block[2::3]))
            known = lengths and bytes(map(lengths.__getitem__, self._ids)).replace(b"\0", b"")
            if known:  # lengths grow with their bytes
                self._minlength = byte_to_length(min(known))
                self._maxlength = byte_to_length(max(known))

    def _write_block(self, last: bool = False) -> None:
        """Whoosh's, with the block's data pickled by protocol 5 instead of 2 (which pickles
        each value, a bytes object, as a call that decodes a string): the blocks are pickled
        and compressed quicker, take less room, and are read back quicker in a search. Whoosh
        reads a block with ``pickle.loads``, which takes any protocol."""
        if not self._blockcount:
            self._postfile.write(WHOOSH3_HEADER_MAGIC)
        self._terminfo.add_block(self)
        data = pickle.dumps((self._mini_ids(), self._mini_weights(), self._mini_values()), 5)
        compression = self._compression if len(data) >= COMPRESSED_FROM else 0
        if compression:
            data = zlib.compress(data, compression)
        ids = self._ids
        info = (len(ids), ids[-1], self._maxweight, compression,
                length_to_byte(self._minlength), length_to_byte(self._maxlength))  # fmt: skip
        info_bytes = dumps(info, 2)
        size = len(info_bytes) + len(data)
        self._postfile.write_int(-size if last else size)  # negative: the term's last block
        self._postfile.write(info_bytes)
        self._postfile.write(data)
        self._blockcount += 1
        self._new_block()

    def _mini_ids(self) -> tuple[int, ...]:
        """Whoosh's, with the gaps between the ids worked out in C."""
        ids = self._ids
        return tuple(ids if self._byteids else map(operator.sub, ids, chain((0,), ids)))

    def _mini_weights(self) -> float | tuple[float, ...] | None:
        """Whoosh's, with the weights compared in C."""
        weights = self._weights
        first = weights[0]
        if weights.count(first) < len(weights):
            return tuple(weights)
        return None if first == 1.0 else first

    def add_posting(self, id_, weight, vbytes, length=None) -> None:
        if len(self._ids) >= self._blocklimit:
            self._write_block()
        self._ids.append(id_)
        self._weights.append(weight)
        if weight > self._maxweight:
            self._maxweight = weight
        if vbytes:
            self._values.append(vbytes)
        if length:
            if self._minlength is None or length < self._minlength:
                self._minlength = length
            if length > self._maxlength:
                self._maxlength = length


def length_bytes(perdoc: W3PerDocReader, field: str, count: int) -> bytes | None:
    """The length byte of ``field`` for each of ``count`` documents of a segment (0 past those
    written), or None when the field has no lengths."""
    column = perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
    if column is None:
        return None
    found = column._dbfile.get(column._basepos, min(column._count, count))
    return found + bytes(count - len(found))


# Terms (field name, term bytes) with their postings: the document number, weight and value
# (encoded) of each posting, one after the other in one list.
Terms = Iterable[tuple[str, bytes, list[Any]]]
# What `TermPool` counts for a term and for a posting (on top of the length of its value),
# a little over what they take (Whoosh's own pool counts a little under what it takes).
TERM_BYTES = 300
POSTING_BYTES = 90


class _TermsWriter(W3FieldWriter):
    """Whoosh 2.7's field writer, which also writes the postings of a `TermPool`."""

    def add_terms(self, schema: Schema, perdoc: W3PerDocReader, terms: Terms) -> None:
        """Write ``terms`` (sorted) as `add_postings` writes the same postings one by one."""
        count = perdoc.doc_count_all()
        field = None
        for fieldname, text, postings in terms:
            if fieldname != field:
                if field is not None:
                    self.finish_field()
                field = fieldname
                self.start_field(fieldname, schema[fieldname])
                lengths = length_bytes(perdoc, fieldname, count)
            self.start_term(text)
            self._postwriter.add_all(postings, lengths)
            self.finish_term()
        if field is not None:
            self.finish_field()


class TermPool(PostingPool):
    """Whoosh's sorting pool of postings, which keeps them by term instead of as tuples.

    Whoosh's tuples overflowed a worker's pool once it was handed a little more than its share
    of a batch: it wrote all its postings to disk and read them back, twice the CPU time. Kept
    by term they take half the memory; `sorted_terms` sorts only the terms,
    for `QuickSegmentWriter` to write a term's postings a block at a time. Past its limit the
    pool still spills to disk as Whoosh's does, and its postings are read back as Whoosh's are.
    """

    def __init__(self, tempstore, segment, limitmb: int = 128, **kwargs: Any) -> None:
        super().__init__(tempstore, segment, limitmb=limitmb, **kwargs)
        self._fields: dict[str, dict[bytes, list[Any]]] = {}
        self._unsorted: set[tuple[str, bytes]] = set()

    def add(self, item: tuple[str, bytes, int, Any, bytes | None]) -> None:
        fieldname, text, docnum, _weight, value = item
        terms = self._fields.get(fieldname)
        if terms is None:
            terms = self._fields[fieldname] = {}
            self.fieldnames.add(fieldname)
        postings = terms.get(text)
        if postings is None:
            postings = terms[text] = []
            self.currentsize += TERM_BYTES + len(text)
        elif docnum <= postings[-3]:
            self._unsorted.add((fieldname, text))  # the spelling words, all in "document" 0
        postings += item[2:]
        self.currentsize += POSTING_BYTES + (len(value) if value else 0)
        if self.currentsize > self.limit:
            self.save()

    def sorted_terms(self) -> Terms | None:
        """The terms in order with their postings, in the order of Whoosh's pool (by document,
        weight, value: only the spelling words are out of order); None once the pool spilled
        to disk."""
        if self.runs:
            return None
        for fieldname, text in self._unsorted:
            terms = self._fields[fieldname]
            triples = sorted(zip(*[iter(terms[text])] * 3, strict=True))
            terms[text] = [part for triple in triples for part in triple]
        return (
            (fieldname, text, self._fields[fieldname][text])
            for fieldname in sorted(self._fields)
            for text in sorted(self._fields[fieldname])
        )

    def save(self) -> None:
        self._terms_as_items()
        super().save()

    def iter_postings(self) -> Iterator[tuple[str, bytes, int, Any, bytes | None]]:
        self._terms_as_items()
        return super().iter_postings()

    def _terms_as_items(self) -> None:
        """Move the postings kept by term to Whoosh's list of tuples, to sort and spill."""
        self.current.extend(
            (fieldname, text, *triple)
            for fieldname, terms in self._fields.items()
            for text, postings in terms.items()
            for triple in zip(*[iter(postings)] * 3, strict=True)
        )
        self._fields, self._unsorted = {}, set()


class QuickSegmentWriter(SegmentWriter):
    """Whoosh's writer of a segment, with a `TermPool` whose terms its codec's field writer
    writes a block at a time (see `QuickCodec`)."""

    def __init__(self, ix, limitmb: int = 128, **kwargs: Any) -> None:
        super().__init__(ix, limitmb=limitmb, **kwargs)
        self.pool = TermPool(self._tempstorage, self.newsegment, limitmb=limitmb)

    def _flush_segment(self) -> None:
        quick = isinstance(self.fieldwriter, _TermsWriter)
        terms = self.pool.sorted_terms() if quick else None
        if terms is None:
            super()._flush_segment()
            return
        self.perdocwriter.close()
        perdoc = self.per_document_reader()
        self.fieldwriter.add_terms(self.schema, perdoc, terms)
        self.fieldwriter.close()
        perdoc.close()


class QuickMpWriter(MpWriter):
    """Whoosh's multiprocess writer, whose workers write with `QuickSegmentWriter`."""

    def _new_task(self) -> SubWriterTask:
        task = _QuickTask(
            self.storage,
            self.indexname,
            self.jobqueue,
            self.resultqueue,
            self.subargs,
            self.multisegment,
        )
        self.tasks.append(task)
        task.start()
        return task


class _QuickTask(SubWriterTask):
    def run(self) -> None:
        # Whoosh's worker makes its writer by the name `SegmentWriter` in its module. This
        # runs in the worker's own process: naming ours there changes no other writer.
        multiproc.SegmentWriter = QuickSegmentWriter
        super().run()
