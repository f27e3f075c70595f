"""The query language on the command line: a filter that cannot mean anything is named on
stderr (exit status 2, no list); a broken query is searched anyway, with a note."""

from __future__ import annotations

from pathlib import Path

import pytest

from readerapp.core.collection import Collection
from tests import query_library as lib
from tests.conftest import run_cli as run


@pytest.fixture
def library(data_dir: Path, write_digest) -> Path:
    lib.build(Collection(data_dir), write_digest).close()
    return data_dir


def listed(stdout: str) -> set[int]:
    """The papers of a search's list, by their numbers in `tests.query_library`."""
    return set(lib.numbers([line.split()[0] for line in stdout.splitlines()[:-1]]))


def test_an_impossible_date_is_named_and_nothing_is_listed(library: Path) -> None:
    done = run(library, "search", "date:2026-13")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == (
        "readerapp: date:2026-13 is not a date: use 2026-03, 2026-03-13 or 2026-01..2026-03\n"
    )
    unknown = run(library, "search", "graph OR is:unknown")
    assert unknown.returncode == 2 and unknown.stdout == ""
    assert "is:unknown is not a state: use is:starred, is:unread" in unknown.stderr


def test_not_has_code_lists_exactly_the_papers_without_code(library: Path) -> None:
    done = run(library, "search", "diffusion NOT has:code", "--limit", "0")
    assert done.returncode == 0, done.stderr
    assert listed(done.stdout) == {3, 6, 9}
    assert done.stdout.splitlines()[-1] == "3 of 3 papers"


def test_a_broken_query_is_searched_as_words_with_a_note(library: Path) -> None:
    done = run(library, "search", '"diffusion models')
    assert done.returncode == 0
    assert done.stderr == "readerapp: note: Unbalanced quote: searched without quotes\n"
    assert listed(done.stdout) == {1, 9}


def test_export_refuses_an_impossible_filter_and_writes_nothing(
    library: Path, tmp_path: Path
) -> None:
    output = tmp_path / "list.md"
    done = run(library, "export", "tag:", "-o", str(output))
    assert done.returncode == 2 and "tag: needs a tag name" in done.stderr
    assert not output.exists()
    starred = run(library, "export", "is:starred OR tag:to-read", "-o", str(output))
    assert starred.returncode == 0, starred.stderr
    assert "exported 5 papers" in starred.stdout


def test_operators_with_nothing_to_act_on_never_fail(library: Path) -> None:
    twice = run(library, "search", "NOT NOT zorbix", "--limit", "0")
    assert twice.returncode == 0 and twice.stderr == ""
    assert listed(twice.stdout) == {1, 2, 6, 9}
    grouped = run(library, "search", "abstract:(NOT NOT zorbix)", "--limit", "0")
    assert grouped.returncode == 0 and listed(grouped.stdout) == {1, 2, 6, 9}
    dangling = run(library, "search", "AND OR", "--limit", "0")  # "NOT" alone: the core's tests
    assert dangling.returncode == 0 and dangling.stderr == ""
    assert dangling.stdout.splitlines()[-1] == "10 of 10 papers"


def test_the_filters_of_a_broken_query_stay_filters(library: Path) -> None:
    done = run(library, "search", "(is:starred")
    assert done.returncode == 0
    assert done.stderr == "readerapp: note: Unbalanced parenthesis: searched without parentheses\n"
    assert listed(done.stdout) == {1, 4, 8}
