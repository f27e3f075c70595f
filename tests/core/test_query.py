"""The query language: filters are taken out of the text; everything else is searched."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from readerapp.core.models import ReadState
from readerapp.core.query import parse_query


def test_filters_are_taken_out_of_the_text() -> None:
    parsed = parse_query('is:starred diffusion tag:"deep learning" has:code is:unread models')
    assert parsed.text == "diffusion models"
    assert parsed.filters.starred is True
    assert parsed.filters.tags == ["deep learning"]
    assert parsed.filters.has_code is True
    assert parsed.filters.read_states == {ReadState.UNREAD}


def test_dates_are_months_days_years_and_ranges() -> None:
    month = parse_query("date:2024-02").filters
    assert (month.date_from, month.date_to) == (date(2024, 2, 1), date(2024, 2, 29))
    ranged = parse_query("date:2024-01..2024-03-15").filters
    assert (ranged.date_from, ranged.date_to) == (date(2024, 1, 1), date(2024, 3, 15))
    open_end = parse_query("date:2024..").filters
    assert (open_end.date_from, open_end.date_to) == (date(2024, 1, 1), None)


def test_unknown_filters_stay_words() -> None:
    parsed = parse_query("is:purple date:yesterday has:cats")
    assert parsed.text == "is:purple date:yesterday has:cats"
    assert parsed.filters.is_empty()


def test_a_word_being_typed_is_a_partial_word() -> None:
    assert parse_query("neural diffu", typing=True).partial_word == "diffu"
    assert parse_query("neural diffu ", typing=True).partial_word is None
    assert parse_query("neural diffu").partial_word is None
    assert parse_query("attention OR flow", typing=True).partial_word is None
    assert parse_query('"graph message" pass', typing=True).partial_word is None


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_string_parses(text: str) -> None:
    parsed = parse_query(text, typing=True)
    assert isinstance(parsed.text, str)
