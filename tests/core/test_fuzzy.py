"""The palette's fuzzy matcher: subsequences, scored for word starts and runs."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from readerapp.core.fuzzy import fuzzy_match


def names(query: str, candidates: list[str]) -> list[str]:
    """The candidates the query matches, best first (ties in the order given)."""
    scored = [(fuzzy_match(query, text), order, text) for order, text in enumerate(candidates)]
    found = sorted((-match.score, order, text) for match, order, text in scored if match)
    return [text for *_, text in found]


def test_letters_must_appear_in_order() -> None:
    assert fuzzy_match("imp", "Import digests") is not None
    assert fuzzy_match("pmi", "Import digests") is None
    assert fuzzy_match("xyz", "Import digests") is None


def test_case_and_spaces_in_the_query_are_ignored() -> None:
    match = fuzzy_match("KEY sh", "Keyboard shortcuts")
    assert match is not None and match.positions == (0, 1, 2, 9, 10)


def test_positions_prefer_word_starts() -> None:
    assert fuzzy_match("ks", "Keyboard shortcuts").positions == (0, 9)
    assert fuzzy_match("tr", "Tag: transformers").positions == (5, 6)


def test_ranking_word_starts_and_runs_first() -> None:
    found = names("st", ["Mark papers reading after 3 seconds", "First result", "Star"])
    assert found == ["Star", "First result", "Mark papers reading after 3 seconds"]
    assert names("exp", ["Import a folder", "Export…", "Keyboard shortcuts"]) == ["Export…"]
    assert names("ms", ["Mixtures of experts", "More like this"])[0] == "Mixtures of experts"
    assert names("mlt", ["Mixtures of experts", "More like this"]) == ["More like this"]


def test_an_empty_query_keeps_everything_in_order() -> None:
    items = ["b", "a", "c"]
    assert names("", items) == items
    assert fuzzy_match("  ", "anything").score == 0


def test_a_whole_word_beats_the_same_letters_spread_out() -> None:
    assert fuzzy_match("tag", "Toggle a tag").positions == (9, 10, 11)
    assert names("tag", ["To a grid", "Tag"]) == ["Tag", "To a grid"]


def test_unusual_case_folding_keeps_positions() -> None:
    match = fuzzy_match("strasse", "Straße STRASSE")
    assert match is not None
    assert all(0 <= p < len("Straße STRASSE") for p in match.positions)


@given(st.text(max_size=6), st.text(max_size=30))
def test_a_match_is_a_subsequence_at_its_positions(query: str, text: str) -> None:
    match = fuzzy_match(query, text)
    wanted = "".join(query.split())
    if match is None:
        return
    assert len(match.positions) == (len(wanted) if wanted else 0)
    assert list(match.positions) == sorted(set(match.positions))
    for char, position in zip(wanted, match.positions, strict=True):
        assert text[position].casefold()[:1] == char.casefold()[:1]


@given(st.text(min_size=1, max_size=20))
def test_every_text_matches_itself(text: str) -> None:
    if "".join(text.split()):
        assert fuzzy_match(text, text) is not None
