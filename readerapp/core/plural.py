"""Counts in English words: "1 paper", "2 papers", "0 files"."""

from __future__ import annotations


def counted(number: int, noun: str, plural: str | None = None, *, grouped: bool = False) -> str:
    """``number`` followed by ``noun``, in the plural unless the number is one.

    ``plural`` is for nouns that do not just take an ``s`` ("search", "searches");
    ``grouped`` writes the number with thousands separators ("1,200").
    """
    digits = f"{number:,}" if grouped else str(number)
    return f"{digits} {noun if number == 1 else plural or noun + 's'}"
