"""Search is reached through `readerapp.core.search` alone: no module outside that package
imports Whoosh or one of the package's private modules, but the tests and benchmarks below,
which measure the insides on purpose."""

from __future__ import annotations

import ast
import inspect
from collections.abc import Iterator
from pathlib import Path

import readerapp.core.search as search

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "readerapp" / "core" / "search"
SCANNED = ("readerapp", "tests", "benchmarks")
PRIVATE = {path.stem for path in PACKAGE.glob("*.py")} - {"__init__"}

# Files that may import Whoosh and the private modules, and why.
ALLOWED = {
    "tests/core/test_matching.py": "the fast layer against Whoosh's own searcher, score by score",
    "tests/core/test_fast_layer_differential.py": "generated queries: the fast layer and Whoosh",
    "tests/core/test_quick_writing.py": "the quick writer's files against Whoosh's own",
    "tests/core/test_index_codec.py": "an index naming a renamed module of the quick writer",
    "tests/core/test_index_merges.py": "sets the implementation's segment sizes",
    "tests/core/test_index_job.py": "sets the implementation's batch size",
    "tests/core/test_query.py": "the implementation leaves the query language's operators alone",
    "tests/core/test_safety.py": "a full disk while Whoosh commits a segment",
    "benchmarks/bench.py": "times the fast layer's cache and a stemmer of Whoosh's",
    "benchmarks/bench_for_you.py": "compares For you with related papers' TF-IDF key terms",
}


def _imported(tree: ast.AST) -> Iterator[str]:
    """Every module ``tree`` imports, with ``from package import module`` as the module."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def _forbidden(module: str) -> bool:
    parts = module.split(".")
    private = parts[:3] == ["readerapp", "core", "search"] and parts[3:4] and parts[3] in PRIVATE
    return parts[0] == "whoosh" or bool(private)


def _offences() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for top in SCANNED:
        for path in sorted((ROOT / top).rglob("*.py")):
            if path.is_relative_to(PACKAGE):
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
            bad = sorted({module for module in _imported(tree) if _forbidden(module)})
            if bad:
                found[path.relative_to(ROOT).as_posix()] = bad
    return found


def test_only_the_search_package_imports_whoosh_or_its_private_modules() -> None:
    offences = {path: bad for path, bad in _offences().items() if path not in ALLOWED}
    assert offences == {}


def test_every_file_allowed_the_insides_still_needs_them() -> None:
    assert sorted(_offences()) == sorted(ALLOWED)


def test_the_checks_see_an_import_of_the_insides() -> None:
    tree = ast.parse("import whoosh.query\nfrom readerapp.core.search import index, Highlight\n")
    assert sorted(filter(_forbidden, _imported(tree))) == [
        "readerapp.core.search.index",
        "whoosh.query",
    ]


def test_the_public_names_are_the_packages_own() -> None:
    assert set(search.__all__).isdisjoint(PRIVATE)
    assert all(hasattr(search, name) for name in search.__all__)


def _parameters(function) -> list[tuple[str, object]]:
    return [(p.name, p.kind) for p in inspect.signature(function).parameters.values()]


def test_the_whoosh_index_is_the_protocols_implementation() -> None:
    wanted = [
        name
        for name, member in vars(search.TextIndex).items()
        if inspect.isfunction(member) and not name.startswith("_")
    ]
    assert "search" in wanted and "more_like" in wanted
    for name in wanted:
        ours, protocols = (getattr(kind, name) for kind in (search.SearchIndex, search.TextIndex))
        assert _parameters(ours) == _parameters(protocols), name
    assert "path" in search.TextIndex.__annotations__
