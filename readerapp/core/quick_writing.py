"""Quicker ways for Whoosh to write our index, which write the very same files.

- `QuickPositions`: adding a paper spent a third of its time in the analysis of its abstract,
  each word handed through a tokenizer and three filters as a shared token object. This
  format does what the same `StemmingAnalyzer` does (words by its expression, lower case, stop
  words and short words out, positions counted again without them, stems) with whole lists,
  and yields exactly the postings `Positions` yields. It indexes only: queries, highlights and
  the rest still go through the analyzer.
- `QuickFrequency`: the same for the n-grams of the starts of title words, each of which
  Whoosh hands through its filter as a token (0.34 s for 5,000 titles; 0.13 s here).
- `QuickCodec`: writing a segment looked up the length of the field of every posting's paper
  in the column just written, a file seek and read each (14% of a build). Its reader reads a
  field's lengths once, and its postings writer takes each posting without checking the
  types of what the writer itself hands it (four checks a posting, 3% of a build).

An index keeps its schema and each segment's codec, so these classes are named in the indexes
made with them: such an index cannot be opened without them (it would be rebuilt).
"""

from __future__ import annotations

import functools
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

from whoosh.analysis import LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.analysis.analyzers import CompositeAnalyzer
from whoosh.analysis.ngrams import NgramFilter
from whoosh.codec.whoosh3 import (
    LENGTHS_COLUMN,
    W3Codec,
    W3PerDocReader,
    W3PostingsWriter,
    _lenfield,
)
from whoosh.formats import Frequency, Positions
from whoosh.system import pack_uint
from whoosh.util.numeric import byte_to_length

# Stems worked out, by word; cleared when full (a library's vocabulary mostly fits).
STEMS_KEPT = 200_000
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
            yield word, len(found), float(len(found)) * boost, self.encode(found)


def _analysis_of(analyzer: Any) -> _Analysis | None:
    """A one-pass version of ``analyzer``, or None when it is not a stemming analyzer of the
    shape this module knows (a regex tokenizer, lower case, stop words, stems). Every copy of
    one analyzer (each writer unpickles its own) shares one, and its stems."""
    if not isinstance(analyzer, CompositeAnalyzer):
        return None
    kinds = [type(item) for item in analyzer.items]
    if kinds != [RegexTokenizer, LowercaseFilter, StopFilter, StemFilter]:
        return None
    tokenizer, _lower, stops, stemmer = analyzer.items
    if tokenizer.gaps or tokenizer.expression.groups or stemmer.lang or not stops.renumber:
        return None
    words = tokenizer.expression
    return _analysis(words.pattern, words.flags, stops.stops, stops.min, stops.max,
                     stemmer.stemfn, stemmer.ignore)  # fmt: skip


@functools.cache
def _analysis(pattern: str, flags: int, *rest: Any) -> _Analysis:
    return _Analysis(re.compile(pattern, flags), *rest)


class _Analysis:
    """The stems of a text's words in order, as the stemming analyzer gives them, and the
    position of the first (counted among all the words, before stop words went out)."""

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
        words = list(map(str.lower, self.findall(text)))
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
    if not isinstance(analyzer, CompositeAnalyzer):
        return None
    if [type(item) for item in analyzer.items] != [RegexTokenizer, LowercaseFilter, NgramFilter]:
        return None
    tokenizer, _lower, grams = analyzer.items
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
            for word in map(str.lower, findall(text))
            for size in range(shortest, min(longest, len(word)) + 1)
        ]

    return grams


class QuickCodec(W3Codec):
    """Whoosh 2.7's codec, whose per-document reader keeps the field lengths it reads and
    whose postings writer takes postings unchecked."""

    def per_document_reader(self, storage, segment) -> W3PerDocReader:
        return _LengthsKept(storage, segment)

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
    """Whoosh's postings writer without its type checks of each posting."""

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
