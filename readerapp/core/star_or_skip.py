"""Star or skip: a handful of varied papers put to the user, to get For you its first examples.

Until For you has five positives it cannot order anything; a short round over papers that cover
the library's subjects gets there quicker than browsing. The papers are the unread ones the
user has not labelled (starred, tagged, noted, "Not for me"), from the newest digests first,
picked greedily so that each is as unlike those already picked as can be (max-min over their
key terms): the newest paper first, then, one at a time, the paper whose closest picked paper
is least like it, the newer on a tie. The same library gives the same round.

The key terms are worked out over the candidates themselves (TF-IDF, a title counting twice),
so the round needs no search index: words most candidates use say nothing of a subject.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Collection, Sequence

from readerapp.core.library import Library
from readerapp.core.models import Paper
from readerapp.core.query import parse_query

ROUND_SIZE = 10
POOL = 300  # the newest candidates a round is picked from
KEY_TERMS = 12  # the words kept to say what a paper is about
COMMON_SHARE = 0.25  # a word in more of the candidates than this is no subject
_WORD = re.compile(r"[a-z][a-z0-9-]{2,}")

Terms = dict[str, float]  # a paper's key terms, weights of unit length


def candidates(library: Library, leave_out: Collection[str] = ()) -> list[str]:
    """The unread papers with no label, newest first, less ``leave_out``."""
    labelled = library.liked_ids().keys() | library.not_for_me_ids() | set(leave_out)
    unread = library.filter_ids(parse_query("is:unread").condition)
    return [pid for pid in unread if pid not in labelled]


def round_papers(
    library: Library, count: int = ROUND_SIZE, leave_out: Collection[str] = ()
) -> list[Paper]:
    """``count`` varied papers to star or skip, in the order to show them (see the module)."""
    papers = library.papers(candidates(library, leave_out)[:POOL])
    terms = key_terms(papers)
    return [papers[at] for at in spread(terms, count)]


def key_terms(papers: Sequence[Paper]) -> list[Terms]:
    """Each paper's `KEY_TERMS` words by TF-IDF among ``papers``, common words left out."""
    counts = [_words(f"{p.title} {p.title} {p.abstract}") for p in papers]
    frequency = Counter(word for words in counts for word in words)
    common = max(2, len(papers) * COMMON_SHARE)
    kept = []
    for words in counts:
        weights = {
            word: n * math.log(len(papers) / frequency[word])
            for word, n in words.items()
            if frequency[word] <= common
        }
        best = sorted(weights.items(), key=lambda item: (-item[1], item[0]))[:KEY_TERMS]
        length = math.sqrt(sum(weight * weight for _word, weight in best)) or 1.0
        kept.append({word: weight / length for word, weight in best})
    return kept


def spread(terms: Sequence[Terms], count: int) -> list[int]:
    """The places of ``count`` of ``terms`` (newest first), each picked as unlike the picked
    ones as can be: the first, then the one whose nearest picked one is least alike (cosine),
    the earlier on a tie."""
    if not terms:
        return []
    picked = [0]
    nearest = [_alike(terms[0], other) for other in terms]
    while len(picked) < min(count, len(terms)):
        chosen = min(
            (at for at in range(len(terms)) if at not in picked), key=lambda at: (nearest[at], at)
        )
        picked.append(chosen)
        nearest = [
            max(near, _alike(terms[chosen], other))
            for near, other in zip(nearest, terms, strict=True)
        ]
    return picked


def _words(text: str) -> Counter[str]:
    return Counter(_WORD.findall(text.lower()))


def _alike(one: Terms, other: Terms) -> float:
    if len(other) < len(one):
        one, other = other, one
    return sum(weight * other.get(word, 0.0) for word, weight in one.items())
