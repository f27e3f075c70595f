"""The query language parsed into one tree: filters are leaves like words, operators combine
them with Whoosh's precedence, filters that cannot mean anything say so."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from readerapp.core.errors import QueryError
from readerapp.core.library import Filters
from readerapp.core.models import ReadState
from readerapp.core.query import OPERATORS, parse_query
from readerapp.core.query.filters import Condition
from readerapp.core.query.tree import (
    And,
    Filter,
    Maybe,
    Not,
    Or,
    Text,
    filters_part,
    text_part,
    whoosh,
)
from readerapp.core.search import index


def leaf(source: str, **filters: object) -> Filter:
    return Filter(source, Condition.of(Filters(**filters)))


STARRED = leaf("is:starred", starred=True)
CODE = leaf("has:code", has_code=True)


def test_filters_are_leaves_of_the_tree_beside_the_words() -> None:
    parsed = parse_query('is:starred diffusion tag:"deep learning" has:code is:unread models')
    assert parsed.tree == And((
        STARRED, Text("diffusion"), leaf('tag:"deep learning"', tags=["deep learning"]),
        CODE, leaf("is:unread", read_states={ReadState.UNREAD}), Text("models"),
    ))  # fmt: skip
    assert parsed.text == "diffusion models" and parsed.condition is None


@pytest.mark.parametrize(
    ("query", "tree"),
    [
        ("diffusion NOT has:code", And((Text("diffusion"), Not(CODE)))),
        ("-has:code diffusion", And((Not(CODE), Text("diffusion")))),
        ("NOT is:starred", Not(STARRED)),
        ("(is:starred)", STARRED),
        ("diffusion OR is:starred", Or((Text("diffusion"), STARRED))),
        ("title:graph OR is:starred", Or((Text("title:graph"), STARRED))),
        ("is:starred graph OR flow", And((STARRED, Or((Text("graph"), Text("flow")))))),
        ("alpha OR beta AND gamma", Or((Text("alpha"), And((Text("beta"), Text("gamma")))))),
        ("xray NOT yank OR zulu", And((Text("xray"), Or((Not(Text("yank")), Text("zulu")))))),
        (
            "alpha OR beta ANDNOT gamma",
            And((Or((Text("alpha"), Text("beta"))), Not(Text("gamma")))),
        ),
        ("alpha ANDMAYBE beta", Maybe(Text("alpha"), Text("beta"))),
        ("-graph", Not(Text("graph"))),
        ("NOT NOT graph", Text("graph")),
        ("OR graph AND", Text("graph")),  # an operator with nothing on one side is left out
        ("foo:bar", Text("foo:bar")),  # not a filter we know: words, as ever
        ('title:"graph nets"~2^3 diffus*', And((Text('title:"graph nets"~2^3'), Text("diffus*")))),
        ("title:(graph OR net) x", And((Text("title:(graph OR net)"), Text("x")))),
        ("(alpha OR beta)^2", Text("(alpha OR beta)^2")),
        ("[apple TO banana]", Text("[apple TO banana]")),
        ("IS:Starred", leaf("IS:Starred", starred=True)),
    ],
)
def test_operators_combine_any_leaves(query: str, tree: object) -> None:
    assert parse_query(query).tree == tree


def test_filters_alone_are_one_condition_and_words_one_whoosh_string() -> None:
    assert parse_query("(tag:rl OR tag:robotics) date:2026-03..").condition is not None
    assert parse_query("is:starred OR graph").condition is None
    assert parse_query("").tree is None and parse_query("  ( ) ").tree is None
    for query in ("diffusion", "diffusion model", '"language model"', "diffus*", "difusion~"):
        assert whoosh(parse_query(query).tree) == query  # the index reads it as before
    assert whoosh(parse_query("alpha beta OR gamma").tree) == "alpha (beta OR gamma)"


def test_the_filters_of_a_query_are_kept_apart_from_its_words() -> None:
    tree = parse_query("difusion NOT has:code (tag:rl OR is:starred) -is:read").tree
    assert text_part(tree) == "difusion"  # what "did you mean" corrects
    assert filters_part(tree) == "NOT has:code (tag:rl OR is:starred) NOT is:read"  # kept as is


def test_dates_are_months_days_years_and_ranges() -> None:
    def bounds(query: str) -> tuple[object, ...]:  # the first and last day the filter takes
        return parse_query(query).condition.params

    assert bounds("date:2024-02") == ("2024-02-01", "2024-02-29")
    assert bounds("date:2024-01..2024-03-15") == ("2024-01-01", "2024-03-15")
    assert bounds("date:2024..") == ("2024-01-01",)
    assert bounds("date:..2024") == ("2024-12-31",)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("date:2026-13", "date:2026-13 is not a date: use 2026-03, 2026-03-13 or 2026-01..2026-03"),
        ("date:2026-02-30", "date:2026-02-30 is not a date: use 2026-03"),
        ("diffusion date:foo", "date:foo is not a date"),
        ("date:2026-03..2026-01", "date:2026-03..2026-01 ends before it starts"),
        ("is:unknown", "is:unknown is not a state: use is:starred, is:unread, is:reading, is:read"),
        ("is:purple OR graph", "is:purple is not a state"),
        ("has:xyz", "has:xyz is not a thing a paper can have: use has:code or has:note"),
        ("tag:", 'tag: needs a tag name, as in tag:survey or tag:"two words"'),
        ("date:", "date: needs a date"),
        ("like:", "like: needs the id of a paper"),
        ("(tag:(rl OR x))", "tag:(rl OR x): a filter takes one value"),
    ],
)
def test_a_filter_that_cannot_mean_anything_is_named(query: str, message: str) -> None:
    with pytest.raises(QueryError) as raised:
        parse_query(query)
    assert str(raised.value).startswith(message)


def test_a_broken_query_is_searched_as_plain_words_and_says_so() -> None:
    quoted = parse_query('is:starred "diffusion model')
    assert quoted.tree == And((STARRED, Text("diffusion"), Text("model")))
    assert quoted.notes == ["Unbalanced quote: searched without quotes"]
    grouped = parse_query("(graph OR flow")
    assert grouped.tree == Or((Text("graph"), Text("flow")))
    assert grouped.notes == ["Unbalanced parenthesis: searched without parentheses"]
    assert parse_query('"graph (flow"').notes == []  # a parenthesis in a phrase is a character


def test_a_word_being_typed_is_a_partial_word() -> None:
    assert parse_query("neural diffu", typing=True).partial_word == "diffu"
    assert parse_query("is:starred diffu", typing=True).partial_word == "diffu"
    assert parse_query("neural diffu ", typing=True).partial_word is None
    assert parse_query("neural diffu").partial_word is None
    assert parse_query("attention OR flow", typing=True).partial_word is None
    assert parse_query('"graph message" pass', typing=True).partial_word is None
    assert parse_query("diffu is:starred", typing=True).partial_word is None
    assert parse_query('"diffu', typing=True).partial_word is None  # broken: no guessing


def test_one_set_of_operators() -> None:
    assert {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"} <= OPERATORS
    assert index.OPERATORS is OPERATORS  # "did you mean" leaves the same words alone


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_string_parses_or_names_its_filter(text: str) -> None:
    try:
        parsed = parse_query(text, typing=True)
    except QueryError as exc:
        assert ":" in str(exc)
    else:
        assert isinstance(parsed.text, str)
