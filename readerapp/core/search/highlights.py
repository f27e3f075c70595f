"""What a search matched, to mark in the title, abstract and note of the papers it found.

A `Highlight` is worked out once a search from its query (`SearchIndex.highlight`), and marks
the text of each paper shown as the index matched it: a word by its stem in the fields it was
searched in (``title:graph`` marks titles only), a phrase only where its words stand in
sequence, and the word being typed where a title word starts with it.
"""

from __future__ import annotations

from dataclasses import dataclass

Span = tuple[int, int]


@dataclass(frozen=True)
class Highlight:
    """What to mark, by field ("title", "abstract", "note").

    ``words``: (field, stem) of the words searched; ``phrases``: (field, stems, slop) of the
    phrases; ``starts``: (field, start) of a word being typed, lower case with accents folded.
    """

    words: frozenset[tuple[str, str]] = frozenset()
    phrases: frozenset[tuple[str, tuple[str, ...], int]] = frozenset()
    starts: frozenset[tuple[str, str]] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.words or self.phrases or self.starts)

    def spans(self, field: str, text: str) -> list[Span]:
        """Character spans to mark in ``text``, a paper's ``field``: in order, apart."""
        words = {stem for name, stem in self.words if name == field}
        phrases = [(stems, slop) for name, stems, slop in self.phrases if name == field]
        starts = tuple(start for name, start in self.starts if name == field)
        if not (words or phrases or starts) or not text:
            return []
        tokens = _tokens(text)
        found = [
            (token.startchar, token.endchar)
            for token in tokens
            if token.text in words or (starts and _written(text, token).startswith(starts))
        ]
        for stems, slop in phrases:
            found += _phrase_spans(tokens, stems, slop)
        return _merged(found)


NO_HIGHLIGHT = Highlight()


def _tokens(text: str) -> list:
    """The words of ``text`` as the index has them: stems, positions (stop words left out, as
    the index counts them) and where each stands in the text."""
    from readerapp.core.search.index import analyzer

    return [
        token.copy() for token in analyzer()(text, positions=True, chars=True, removestops=True)
    ]


def _written(text: str, token) -> str:
    """The word of ``token`` as written, in lower case with its accents folded."""
    from readerapp.core.search.word_forms import fold_accents

    return fold_accents(text[token.startchar : token.endchar].lower())


def _phrase_spans(tokens: list, stems: tuple[str, ...], slop: int) -> list[Span]:
    """Spans from the first word to the last of each place the phrase's ``stems`` stand in
    sequence, each at most ``slop`` positions after the one before (as the index matches)."""
    at = {token.pos: token for token in tokens}
    found = []
    for token in tokens:
        if token.text != stems[0]:
            continue
        last = token
        for stem in stems[1:]:
            last = next(
                (
                    at[pos]
                    for pos in range(last.pos + 1, last.pos + slop + 1)
                    if pos in at and at[pos].text == stem
                ),
                None,
            )
            if last is None:
                break
        else:
            found.append((token.startchar, last.endchar))
    return found


def _merged(spans: list[Span]) -> list[Span]:
    """``spans`` in order, those that overlap or touch made one."""
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
