"""For you: papers ordered by what the user starred, tagged and noted.

The key terms of the liked papers (starred, tagged, noted) taken together, titles counted
twice, are looked up in the search index as "more like this" looks up a paper's: a paper
scores the sum of their scores in its abstract. The key terms of the papers marked "Not for
me" count against it (`REFUSED_WEIGHT`). The key terms a paper shares with the liked ones also
say why it ranks high.

Nothing is trained or kept: the index is the only derived data it reads, and a ranking is
worked out again when the labels or the papers change. docs/for-you.md has the measurements
that chose this over a logistic regression (scikit-learn) over TF-IDF.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from readerapp.core.errors import TooFewExamplesError
from readerapp.core.library import Library
from readerapp.core.search import TextIndex, analyzer

MIN_POSITIVES = 5
TOO_FEW = "Star or tag a few papers to get suggestions"
REFUSED_WEIGHT = 0.5  # how much the refused papers' key terms count against, the liked's being 1
_REASON_WORDS = 3
_KINDS = ("starred", "tagged", "noted")


@dataclass(frozen=True)
class Labels:
    """What the user said: the positives (id → how: starred, tagged, noted), the negatives."""

    positives: dict[str, tuple[str, ...]]
    negatives: frozenset[str]


@dataclass(frozen=True)
class Ranking:
    """Every paper's score under one set of labels (higher: more for the user), and why."""

    labels: Labels
    scores: dict[str, float]
    _liked: dict[str, dict[str, float]]  # each key term of the liked papers: paper id → score
    _words: dict[str, str]  # a key term (a stem) → the word the liked papers write it with

    def order(self, ids: Iterable[str]) -> list[str]:
        """``ids`` best first (papers the index does not know last, in their order)."""
        ids = list(ids)
        known = [pid for pid in ids if pid in self.scores]
        rest = [pid for pid in ids if pid not in self.scores]
        return sorted(known, key=self.scores.__getitem__, reverse=True) + rest  # stable

    def reason(self, paper_id: str) -> str:
        """One line a reader can check: "like 4 of your starred papers: graph, nodes, edges"."""
        if paper_id not in self.scores:
            return ""
        shared = {term: found[paper_id] for term, found in self._liked.items() if paper_id in found}
        best = sorted(shared, key=shared.__getitem__, reverse=True)[:_REASON_WORDS]
        if not best:
            return "little like the papers you starred, tagged or noted"
        words = ", ".join(self._words.get(term, term) for term in best)
        need = min(2, len(best))
        alike = [
            pid
            for pid in self.labels.positives
            if pid != paper_id and sum(pid in self._liked[term] for term in best) >= need
        ]
        if not alike:
            return f"words of your papers: {words}"
        kinds = sorted({k for pid in alike for k in self.labels.positives[pid]}, key=_KINDS.index)
        return f"like {len(alike)} of your {' and '.join(kinds)} papers: {words}"


class ForYou:
    """For you over one library and its search index; the latest ranking is kept in memory.
    Safe to share between threads (one works a ranking out at a time)."""

    def __init__(self, library: Library, index: TextIndex) -> None:
        self.library = library
        self.index = index
        self._lock = threading.Lock()
        self._kept: tuple[tuple, Ranking] | None = None

    def labels(self) -> Labels:
        positives = self.library.liked_ids()
        negatives = frozenset(self.library.not_for_me_ids() - positives.keys())
        return Labels(positives, negatives)

    def ranking(self) -> Ranking:
        """The ranking of the current labels. Raises `TooFewExamplesError` under
        `MIN_POSITIVES` positives."""
        labels = self.labels()
        if len(labels.positives) < MIN_POSITIVES:
            raise TooFewExamplesError(TOO_FEW)
        key = (labels, self.library.papers_key())
        with self._lock:
            if self._kept is None or self._kept[0] != key:
                self._kept = (key, self._ranked(labels))
            return self._kept[1]

    def like(self, positives: set[str], least: int) -> list[str]:
        """The papers most like ``positives`` (a tag's papers), best first, those themselves
        left out: those scoring above zero, and at least the ``least`` best."""
        if not positives:
            return []
        labels = Labels(dict.fromkeys(positives, ("tagged",)), self.labels().negatives - positives)
        ranking = self._ranked(labels)
        ordered = ranking.order(pid for pid in ranking.scores if pid not in positives)
        above = sum(ranking.scores[pid] > 0 for pid in ordered)
        return ordered[: max(above, least)]

    def _ranked(self, labels: Labels) -> Ranking:
        """Each paper: its scores for the liked papers' key terms, less those for the refused
        papers' (each side's weights scaled to its first term's, so that few refused papers
        weigh as much as many liked ones)."""
        liked_text = self._text(labels.positives)
        liked = self.index.term_scores(_scaled(self._key_terms(labels.positives)))
        refused = {}
        if labels.negatives:
            refused = self.index.term_scores(_scaled(self._key_terms(labels.negatives)))
        scores = dict.fromkeys(self.library.filter_ids(), 0.0)
        for sign, found in ((1.0, liked), (-REFUSED_WEIGHT, refused)):
            for term_scores in found.values():
                for pid, score in term_scores.items():
                    if pid in scores:
                        scores[pid] += sign * score
        return Ranking(labels, scores, liked, _written(liked_text, liked.keys()))

    def _key_terms(self, ids: Iterable[str]) -> list[tuple[str, float]]:
        """The key terms of the papers ``ids`` taken together, with their weights."""
        return self.index.key_terms_of_text(self._text(ids))

    def _text(self, ids: Iterable[str]) -> str:
        """The papers' titles (twice: a title says most what a paper is about) and abstracts."""
        papers = self.library.papers(list(ids))
        return "\n".join(f"{p.title}\n{p.title}\n{p.abstract}" for p in papers)


def _scaled(terms: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """``terms`` with weights relative to the first's."""
    top = max((weight for _term, weight in terms), default=0.0)
    return [(term, weight / top) for term, weight in terms] if top > 0 else []


def _written(text: str, terms: Iterable[str]) -> dict[str, str]:
    """For each of ``terms`` (stems), the word ``text`` most often writes it with.

    Each distinct piece of text between spaces is analyzed once, counted as often as it
    comes (the analyzer's words never span a space): the liked papers' text is long, and
    repeats its words."""
    wanted = set(terms)
    seen: dict[str, Counter[str]] = {term: Counter() for term in wanted}
    words = analyzer()
    for piece, count in Counter(text.split()).items():
        for token in words(piece, keeporiginal=True):
            if token.text in wanted:
                seen[token.text][token.original.lower()] += count
    return {term: words.most_common(1)[0][0] for term, words in seen.items() if words}
