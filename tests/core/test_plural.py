"""Counts in proper English."""

from __future__ import annotations

import pytest

from readerapp.core.plural import counted


@pytest.mark.parametrize(
    ("number", "noun", "plural", "expected"),
    [
        (0, "paper", None, "0 papers"),
        (1, "paper", None, "1 paper"),
        (2, "paper", None, "2 papers"),
        (1200, "file", None, "1200 files"),
        (1, "search", "searches", "1 search"),
        (3, "search", "searches", "3 searches"),
    ],
)
def test_counted(number: int, noun: str, plural: str | None, expected: str) -> None:
    assert counted(number, noun, plural) == expected


def test_grouped_digits() -> None:
    assert counted(1200, "paper", grouped=True) == "1,200 papers"
    assert counted(1, "paper", grouped=True) == "1 paper"
