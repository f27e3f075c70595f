"""``has:code`` finds a repository link however the abstract writes it, in new imports and in
libraries imported before (a migration finds the links again)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from readerapp.core import schema
from readerapp.core.collection import Collection
from readerapp.core.library import DB_NAME
from readerapp.core.links import find_links, is_code_link
from readerapp.core.models import paper_id

# (title, how the abstract writes its link, the link opened; None: not code)
FORMS = [
    ("Secure Link", "https://github.com/lab/secure", "https://github.com/lab/secure"),
    ("Plain Link", "http://github.com/lab/plain.", "http://github.com/lab/plain"),
    ("World Wide Link", "www.github.com/lab/www-tool", "https://www.github.com/lab/www-tool"),
    ("Bare Link", "github.com/lab/bare_tool,", "https://github.com/lab/bare_tool"),
    ("Upper Case Link", "GitHub.com/Lab/Shout", "https://GitHub.com/Lab/Shout"),
    ("Broken Scheme", "https: //github.com/lab/spaced", "https://github.com/lab/spaced"),
    ("GitLab Link", "gitlab.com/group/project", "https://gitlab.com/group/project"),
    ("Hugging Face Space", "huggingface.co/spaces/lab/demo", "https://huggingface.co/spaces/lab/demo"),
    ("Hugging Face Model", "https://huggingface.co/lab/model-7b", "https://huggingface.co/lab/model-7b"),
    ("Hugging Face Paper Page", "https://huggingface.co/papers/2403.01234", None),
    ("Hugging Face Dataset", "huggingface.co/datasets/lab/corpus", None),
    ("Project Page", "https://lab.github.io/project", None),
    ("Mail Only", "write to someone@github.com/nowhere", None),
]  # fmt: skip
WITH_CODE = {title for title, _, opened in FORMS if opened}


def abstract(link: str) -> str:
    return f"We study a method. It works well. The code is at {link} for all to see."


@pytest.fixture
def linked(indexed_collection) -> Collection:
    return indexed_collection([(title, abstract(link)) for title, link, _ in FORMS])


def titles(collection: Collection, query: str) -> set[str]:
    return {collection.library.get(pid).title for pid in collection.search(query).ids}


def test_has_code_finds_every_way_a_repository_link_is_written(linked: Collection) -> None:
    assert titles(linked, "has:code") == WITH_CODE
    assert titles(linked, "method has:code") == WITH_CODE


@pytest.mark.parametrize(("title", "written", "opened"), [f for f in FORMS if f[2]])
def test_the_code_link_is_the_url_to_open(
    linked: Collection, title: str, written: str, opened: str
) -> None:
    paper = linked.library.get(paper_id(title))
    assert paper.has_code
    assert paper.ordered_links[0] == opened


def test_links_inside_a_link_are_found_once() -> None:
    text = (
        "See https://example.org/mirror/github.com/a/b and https://github.com/c/d (github.com/c/d)."
    )
    assert find_links(text) == (
        "https://example.org/mirror/github.com/a/b",
        "https://github.com/c/d",
    )
    assert not is_code_link("https://example.org/mirror/github.com/a/b")


def test_a_library_imported_before_gets_its_code_links(indexed_collection, data_dir: Path) -> None:
    """A library as readerapp wrote it before schema 5: bare links not found, a paper page on
    Hugging Face counted as code. The step to schema 5 finds the links again."""
    collection = indexed_collection([(title, abstract(link)) for title, link, _ in FORMS])
    collection.close()
    with sqlite3.connect(data_dir / DB_NAME) as conn:
        for title, link, _ in FORMS:
            old_links = [link.rstrip(".,")] if link.startswith(("https://", "http://")) else []
            old_code = any(host in link for host in ("github.com/", "gitlab.com/", "huggingface"))
            conn.execute(
                "UPDATE papers SET links = json(?), has_code = ? WHERE id = ?",
                (str(old_links).replace("'", '"'), int(bool(old_links) and old_code),
                 paper_id(title)),
            )  # fmt: skip
        schema.MIGRATIONS[4](conn)  # the step that finds the links again, as opening runs it
    conn.close()
    reopened = Collection(data_dir)
    try:
        assert titles(reopened, "has:code") == WITH_CODE
        for title, _, opened in FORMS:
            if opened:
                assert reopened.library.get(paper_id(title)).ordered_links[0] == opened
    finally:
        reopened.close()
