"""A small fuzzy matcher: the letters typed, in order, anywhere in a name (a subsequence).

Among the ways the letters fit a name, the best scoring one counts: letters at the start of the
name or of a word, and runs of adjacent letters, score higher; gaps between letters cost a
little. So ``st`` puts "Star" before "First result", and "First result" before "Keyboard
shortcuts". Case is ignored, and so are spaces in what is typed.
"""

from __future__ import annotations

from dataclasses import dataclass

MATCH = 16
START_BONUS = 10  # the first letter of the name
WORD_BONUS = 8  # the first letter of a word (after a space or punctuation, or a capital)
RUN_BONUS = 6  # a letter right after the one matched before it
GAP_START = 3  # leaving letters out between two matched ones
GAP_EACH = 1  # each letter left out
LATE_START = 1  # each letter before the first match (at most LATE_START_MAX of them count)
LATE_START_MAX = 4
_NEG = float("-inf")


@dataclass(frozen=True)
class Match:
    """How well a query matched a text, and where (the indices of the matched characters)."""

    score: float
    positions: tuple[int, ...] = ()


def _bonuses(text: str) -> list[int]:
    """The bonus of matching at each character of ``text``."""
    bonuses = []
    for index, char in enumerate(text):
        before = text[index - 1] if index else ""
        if index == 0:
            bonuses.append(START_BONUS)
        elif (not before.isalnum() and char.isalnum()) or (before.islower() and char.isupper()):
            bonuses.append(WORD_BONUS)
        else:
            bonuses.append(0)
    return bonuses


def _is_subsequence(query: str, text: str) -> bool:
    found = iter(text)
    return all(char in found for char in query)


def fuzzy_match(query: str, text: str) -> Match | None:
    """The best way ``query`` fits ``text`` as a subsequence, or None when it does not fit.

    An empty query matches everything with a score of 0.
    """
    wanted = "".join(_fold(query).split())
    if not wanted:
        return Match(0.0)
    folded = _fold(text)
    if not _is_subsequence(wanted, folded):
        return None
    return _best_alignment(wanted, folded, _bonuses(text))


def _fold(text: str) -> str:
    """``text`` case-folded a character at a time, so that positions stay those of ``text``."""
    return "".join(char.casefold()[:1] for char in text)


def _best_alignment(wanted: str, text: str, bonuses: list[int]) -> Match | None:
    """Dynamic programming over (letter of the query, character of the text).

    ``rows[i][j]`` is the best score of matching the first ``i + 1`` letters with letter ``i``
    at character ``j``; ``back[i][j]`` where letter ``i - 1`` was then.
    """
    n, m = len(wanted), len(text)
    rows: list[list[float]] = []
    back: list[list[int]] = []
    first = [
        MATCH + bonuses[j] - LATE_START * min(j, LATE_START_MAX) if text[j] == wanted[0] else _NEG
        for j in range(m)
    ]
    rows.append(first)
    back.append([-1] * m)
    for i in range(1, n):
        previous = rows[-1]
        row, links = [_NEG] * m, [-1] * m
        gap_best, gap_at = _NEG, -1  # best previous[k] - gap cost, over k < j - 1
        for j in range(i, m):
            if j >= 2 and previous[j - 2] - GAP_START > gap_best - GAP_EACH:
                gap_best, gap_at = previous[j - 2] - GAP_START, j - 2
            else:
                gap_best -= GAP_EACH
            if text[j] != wanted[i]:
                continue
            adjacent = previous[j - 1] + RUN_BONUS
            best, at = (adjacent, j - 1) if adjacent >= gap_best else (gap_best, gap_at)
            if best > _NEG:
                row[j], links[j] = best + MATCH + bonuses[j], at
        rows.append(row)
        back.append(links)
    return _traced(rows, back)


def _traced(rows: list[list[float]], back: list[list[int]]) -> Match | None:
    last = rows[-1]
    end = max(range(len(last)), key=last.__getitem__)
    if last[end] == _NEG:
        return None
    positions = [end]
    for i in range(len(rows) - 1, 0, -1):
        positions.append(back[i][positions[-1]])
    return Match(last[end], tuple(reversed(positions)))
