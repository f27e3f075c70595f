"""Markdown export: the document, escaping that renders to the digest's own words, the file."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from readerapp.core.errors import ReaderappError
from readerapp.core.export import ExportOptions, escape_markdown, render_markdown, write_markdown
from readerapp.core.models import Paper, ReadState, Sighting, paper_id

EXPORTED_AT = datetime(2025, 3, 14, 9, 30)


def make_paper(title: str, **fields: object) -> Paper:
    defaults: dict[str, object] = {
        "abstract": f"Abstract of {title}.",
        "links": [],
        "first_seen": date(2025, 3, 13),
        "added_at": datetime(2025, 3, 13, 8, 0),
    }
    return Paper(id=paper_id(title), title=title, **{**defaults, **fields})


def render(papers: list[Paper], **options: object) -> str:
    return render_markdown(papers, ExportOptions(**options), exported_at=EXPORTED_AT)


@dataclass
class Element:
    tag: str
    attrs: dict[str, str | None]
    text: str = ""
    parent: Element | None = field(default=None, repr=False)


class _Elements(HTMLParser):
    """Every element of an HTML fragment with its text, character references resolved."""

    VOID = frozenset({"br", "hr", "img", "input", "meta", "link"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self._open: list[Element] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, dict(attrs), parent=self._open[-1] if self._open else None)
        self.elements.append(element)
        if tag not in self.VOID:
            self._open.append(element)

    def handle_endtag(self, tag: str) -> None:
        tags = [element.tag for element in self._open]
        if tag in tags:
            del self._open[len(tags) - 1 - tags[::-1].index(tag) :]

    def handle_data(self, data: str) -> None:
        for element in self._open:
            element.text += data


def elements(document: str) -> list[Element]:
    """The elements of the document as Python-Markdown renders it."""
    parser = _Elements()
    parser.feed(markdown.markdown(document))
    parser.close()
    return parser.elements


def texts(document: str, tag: str) -> list[str]:
    return [element.text for element in elements(document) if element.tag == tag]


def top_level(document: str) -> list[tuple[str, str]]:
    return [(e.tag, e.text) for e in elements(document) if e.parent is None]


# The layout -----------------------------------------------------------------------------


def test_a_paper_with_everything() -> None:
    paper = make_paper(
        "Attention Is All You Need",
        abstract="We propose the Transformer.\n\nIt is  based on attention.",
        links=["https://arxiv.org/abs/1706.03762", "https://github.com/tensorflow/tensor2tensor"],
        starred=True,
        tags=["nlp", "classics"],
        note="Read **section 3** first.\n\n- multi-head\n- positional encoding",
        read_state=ReadState.READING,
        sightings=[
            Sighting(1, date(2025, 3, 13), "Mar 13"),
            Sighting(2, date(2025, 3, 20), "2025-03-20"),
            Sighting(3, None, None),
        ],
    )
    assert render([paper]) == (
        "# Reading list\n\n"
        "Exported on 2025-03-14. 1 paper.\n\n"
        "## Attention Is All You Need\n\n"
        "- ★ Starred\n"
        "- State: reading\n"
        "- Seen in: 2025-03-13 (Mar 13); 2025-03-20; undated digest\n"
        "- Links: [https://github.com/tensorflow/tensor2tensor]"
        "(https://github.com/tensorflow/tensor2tensor), "
        "[https://arxiv.org/abs/1706.03762](https://arxiv.org/abs/1706.03762)\n"
        "- Tags: nlp, classics\n"
        f"- Id: {paper.id}\n\n"
        "**Note:**\n\n"
        "Read **section 3** first.\n\n- multi-head\n- positional encoding\n\n"
        "**Abstract:**\n\n"
        "We propose the Transformer.\n\n"
        "It is  based on attention.\n"
    )


def test_the_document_renders_to_headings_details_note_and_abstract() -> None:
    paper = make_paper("A paper", note="My *note*.", tags=["x"])
    assert top_level(render([paper], title="Spring & summer")) == [
        ("h1", "Spring & summer"),
        ("p", "Exported on 2025-03-14. 1 paper."),
        ("h2", "A paper"),
        ("ul", f"\nState: unread\nTags: x\nId: {paper.id}\n"),
        ("p", "Note:"),
        ("p", "My note."),
        ("p", "Abstract:"),
        ("p", "Abstract of A paper."),
    ]


def test_an_empty_list_says_there_are_no_papers() -> None:
    document = render([])
    assert document == (
        "# Reading list\n\nExported on 2025-03-14. There are no papers in this list.\n"
    )


def test_without_abstracts() -> None:
    document = render([make_paper("One"), make_paper("Two")], include_abstract=False)
    assert "Abstract" not in document
    assert texts(document, "h2") == ["One", "Two"]


def test_unix_line_endings_and_a_final_newline() -> None:
    paper = make_paper("T", abstract="a\r\nb\r\n\r\nc", note="line one\r\nline two\r\n")
    document = render([paper])
    assert "\r" not in document
    assert document.endswith("\n") and not document.endswith("\n\n")
    assert "line one\nline two\n" in document


def test_the_export_date_defaults_to_today() -> None:
    document = render_markdown([])
    assert f"Exported on {date.today().isoformat()}." in document


# Grouping by tag ------------------------------------------------------------------------


def test_group_by_tag_puts_papers_under_each_of_their_tags_and_untagged_last() -> None:
    papers = [
        make_paper("Both", tags=["vision", "agents"]),
        make_paper("Bare"),
        make_paper("Seeing", tags=["vision"]),
    ]
    document = render(papers, group_by_tag=True)
    headings = [(e.tag, e.text) for e in elements(document) if e.tag in ("h2", "h3")]
    assert headings == [
        ("h2", "agents"),
        ("h3", "Both"),
        ("h2", "vision"),
        ("h3", "Both"),
        ("h3", "Seeing"),
        ("h2", "Untagged"),
        ("h3", "Bare"),
    ]


def test_group_headings_escape_tags() -> None:
    document = render([make_paper("P", tags=["<b>llm</b>", "# hash"])], group_by_tag=True)
    assert texts(document, "h2") == ["# hash", "<b>llm</b>"]
    assert texts(document, "b") == []


# The note's headings ---------------------------------------------------------------------

NOTE_WITH_HEADINGS = """# Idea

It works.

## Why
Because.

```python
# a comment, not a heading
```

Setext heading
==============

    # indented code"""


def headings_and_code(document: str) -> list[tuple[str, str]]:
    """The headings and code blocks of the document, fences understood as notes apps do."""
    parser = _Elements()
    parser.feed(markdown.markdown(document, extensions=["fenced_code"]))
    parser.close()
    wanted = ("h1", "h2", "h3", "h4", "h5", "h6", "code")
    return [(e.tag, e.text.strip()) for e in parser.elements if e.tag in wanted]


def test_a_notes_headings_go_below_its_papers_heading() -> None:
    paper = make_paper("P", note=NOTE_WITH_HEADINGS, abstract="")
    assert headings_and_code(render([paper]))[1:] == [
        ("h2", "P"),
        ("h3", "Idea"),
        ("h4", "Why"),
        ("code", "# a comment, not a heading"),
        ("h3", "Setext heading"),
        ("code", "# indented code"),
    ]
    grouped = headings_and_code(render([paper], group_by_tag=True))
    assert grouped[1:5] == [("h2", "Untagged"), ("h3", "P"), ("h4", "Idea"), ("h5", "Why")]


def test_a_note_is_otherwise_kept_as_written() -> None:
    paper = make_paper("P", note=NOTE_WITH_HEADINGS, abstract="")
    shifted = NOTE_WITH_HEADINGS.replace("# Idea", "### Idea").replace("## Why", "#### Why")
    shifted = shifted.replace("Setext heading\n==============", "### Setext heading")
    assert f"**Note:**\n\n{shifted}\n" in render([paper])


def test_headings_go_no_deeper_than_six() -> None:
    paper = make_paper("P", note="##### Five\n\n###### Six", abstract="")
    assert headings_and_code(render([paper], group_by_tag=True))[-2:] == [
        ("h6", "Five"),
        ("h6", "Six"),
    ]


# Escaping what came from a digest -------------------------------------------------------

TRICKY_TITLES = [
    "Fast & Slow Learning: Incorporating Synthetic Gradients",
    "MSA-3D: Metallicity Gradients in Galaxies at $z\\sim1$ with JWST/NIRSpec",
    "Through the lens of {\\em dynamical stability}",
    "*Emphasis* and **strong** and _under_ and __score__ and snake_case_name",
    "[A link](https://example.com) and ![an image](x.png) and [ref][1]",
    "Autolinks <https://example.com> and <someone@example.com>",
    "Code `spans` and ``double `ticks``` and a lone ` tick",
    "Entities written out: &amp; &lt; &#35; &#x41; &copy; AT&T",
    "Trailing hashes ##",
    "C# and F#",
    "# Not a heading",
    "1. Not a list",
    "2024) Not a list either",
    "- Not a bullet",
    "+ Nor this",
    "> Not a quote",
    "---",
    "***",
    "A | table | row",
    "Backslashes \\ and \\* and \\\\ at the end \\",
    "Less < than and greater > than, <3",
    "Tabs\tinside",
    "Two trailing spaces in the middle  and more",
    "[1]: https://example.com",
    "*[HTML]: Hyper Text",
    "Ünïcödé — “quotes” and emoji 🧪",
]


@pytest.mark.parametrize("title", TRICKY_TITLES)
def test_titles_render_to_the_words_in_the_digest(title: str) -> None:
    document = render([make_paper(title, abstract=title)])
    assert texts(document, "h2") == [title]
    assert top_level(document)[-1] == ("p", title)


def test_no_markup_from_a_digest_survives() -> None:
    evil = "<script>alert(1)</script> <b>bold</b> <img src=x onerror=alert(1)>"
    paper = make_paper(
        evil,
        abstract=f"<div>{evil}</div>",
        tags=[evil],
        sightings=[Sighting(1, date(2025, 3, 13), "<b>Mar 13</b>")],
    )
    document = render([paper])
    found = {element.tag for element in elements(document)}
    assert found.isdisjoint({"script", "b", "img", "div"})
    assert texts(document, "h2") == [evil]
    assert top_level(document)[-1] == ("p", f"<div>{evil}</div>")


@pytest.mark.parametrize("title", ["~~struck~~ out", "A ~ tilde and ~two~ more"])
def test_strikethrough_from_a_digest_is_escaped(title: str) -> None:
    paper = make_paper(title, abstract=title, tags=[title])
    document = render([paper], group_by_tag=True)
    assert "~" not in document
    assert texts(document, "h2") == [title] and texts(document, "h3") == [title]
    assert top_level(document)[-1] == ("p", title)


def test_the_note_is_markdown_kept_as_written() -> None:
    note = "My **take**: see [the code](https://example.com/x_y).\n\n1. first\n2. second"
    document = render([make_paper("P", note=note)])
    assert note in document
    assert markdown.markdown(note) in markdown.markdown(document)


def test_escape_markdown_drops_control_characters() -> None:
    assert escape_markdown("a\x00b\x1bc") == "abc"
    assert escape_markdown("one\ntwo\r\nthree\x0bfour") == "one two three four"


def test_escape_markdown_keeps_white_space_at_the_edges() -> None:
    assert escape_markdown("  two  ") == "&#32;&#32;two&#32;&#32;"
    assert texts(escape_markdown("    not code"), "p") == ["    not code"]


def test_escape_markdown_writes_unicode_white_space_at_the_edges_as_references() -> None:
    assert escape_markdown("\xa0\u3000x y\u2028") == "&#160;&#12288;x y&#8232;"
    assert escape_markdown(" \xa0 ") == "&#32;&#160;&#32;"
    assert escape_markdown("\xa01. one") == "&#160;1\\. one"
    assert escape_markdown(" - x ") == "&#32;\\- x&#32;"


def test_a_heading_for_an_empty_title() -> None:
    assert texts(render([make_paper("  ")]), "h2") == ["(untitled)"]


# Links ----------------------------------------------------------------------------------


def test_links_show_the_url_code_hosts_first() -> None:
    links = ["https://arxiv.org/abs/2401.00001", "https://huggingface.co/org/model_v2"]
    anchors = [e for e in elements(render([make_paper("P", links=links)])) if e.tag == "a"]
    assert [(a.text, a.attrs["href"]) for a in anchors] == [(u, u) for u in reversed(links)]


def test_odd_characters_in_urls_are_percent_encoded() -> None:
    url = "https://example.com/a (b)/<c>/`d`/\\e/'f'/\"g\"/*h*_i_?q=1&r=2#frag"
    anchors = [e for e in elements(render([make_paper("P", links=[url])])) if e.tag == "a"]
    assert [a.text for a in anchors] == [url]
    assert anchors[0].attrs["href"] == (
        "https://example.com/a%20%28b%29/%3Cc%3E/%60d%60/%5Ce/%27f%27/%22g%22/*h*_i_?q=1&r=2#frag"
    )


def test_ampersands_in_urls_are_not_read_as_references() -> None:
    url = "https://example.com/?a=1&copy=2&amp;b=3&#35c=4"
    anchors = [e for e in elements(render([make_paper("P", links=[url])])) if e.tag == "a"]
    assert [(a.text, a.attrs["href"]) for a in anchors] == [(url, url)]


def test_only_http_links_become_links() -> None:
    links = ["javascript:alert(1)", "file:///etc/passwd", "HTTPS://EXAMPLE.COM/", "http://[::1"]
    document = render([make_paper("P", links=links)])
    anchors = [e for e in elements(document) if e.tag == "a"]
    assert [a.attrs["href"] for a in anchors] == ["HTTPS://EXAMPLE.COM/"]
    details = next(e.text for e in elements(document) if e.tag == "ul")
    assert "Links: javascript:alert(1), file:///etc/passwd, HTTPS://EXAMPLE.COM/, http://[::1" in (
        details
    )


# Any text at all -------------------------------------------------------------------------

SNIPPETS = [
    *"*_`[]()<>&#|\\!{}:~=-+. \t\xa0\u3000\u2028\ufeff1",
    "**", "__", "``", "&amp;", "&#35;", "&#x41;", "&copy;", "&", "##", "1.", "1)", "---",
    "<http://a.b>", "<a@b.c>", "<b>", "</b>", "<script>", "<!-- c -->", "  ", "    ",
    "[a](b)", "![a](b)", "[a]: b", "```", "~~~", "\\`", "\\\\", "a",
]  # fmt: skip
PRINTABLE = st.characters(exclude_categories=("Cs", "Cc"))
MARKDOWNISH = st.lists(st.one_of(st.sampled_from(SNIPPETS), PRINTABLE), max_size=40).map("".join)
ANY_TEXT = st.one_of(MARKDOWNISH, st.text(PRINTABLE))
BOUNDED = settings(max_examples=300, deadline=None)


@BOUNDED
@given(ANY_TEXT.map(str.strip).filter(bool))
def test_any_title_renders_to_itself(title: str) -> None:
    assert texts(render([make_paper(title)]), "h2") == [title]


@BOUNDED
@given(ANY_TEXT.map(str.strip).filter(bool))
def test_any_abstract_renders_to_itself(abstract: str) -> None:
    assert top_level(render([make_paper("P", abstract=abstract)]))[-1] == ("p", abstract)


@BOUNDED
@given(st.lists(ANY_TEXT.map(str.strip).filter(bool), min_size=1, max_size=4))
def test_abstract_paragraphs_render_to_themselves(paragraphs: list[str]) -> None:
    document = render([make_paper("P", abstract="\n\n".join(paragraphs))])
    assert top_level(document)[-len(paragraphs) :] == [("p", p) for p in paragraphs]


@BOUNDED
@given(ANY_TEXT.filter(str.strip))
def test_escaped_text_renders_to_itself_even_with_white_space_at_the_edges(text: str) -> None:
    assert texts(escape_markdown(text), "p") == [text]


@BOUNDED
@given(ANY_TEXT.map(str.strip).filter(bool))
def test_any_tag_and_link_text_render_to_themselves(text: str) -> None:
    url = "https://example.com/" + text
    document = render([make_paper("P", tags=[text], links=[url])], group_by_tag=True)
    assert texts(document, "h2")[0] == text
    anchors = [a for a in elements(document) if a.tag == "a"]
    assert [a.text for a in anchors] == [url]
    assert unquote(anchors[0].attrs["href"] or "") == unquote(url)


# Writing the file -----------------------------------------------------------------------


def test_write_markdown_writes_utf8_and_returns_the_path(tmp_path: Path) -> None:
    target = tmp_path / "list.md"
    papers = [make_paper("Ünïcödé 🧪")]
    result = write_markdown(target, papers, exported_at=EXPORTED_AT)
    assert result == target
    expected = render_markdown(papers, exported_at=EXPORTED_AT)
    assert target.read_bytes() == expected.encode("utf-8")
    assert sorted(tmp_path.iterdir()) == [target]


def test_write_markdown_replaces_an_old_export(tmp_path: Path) -> None:
    target = tmp_path / "list.md"
    target.write_text("old", encoding="utf-8")
    write_markdown(target, [make_paper("New")], exported_at=EXPORTED_AT)
    assert "## New" in target.read_text(encoding="utf-8")
    assert sorted(tmp_path.iterdir()) == [target]


@pytest.mark.skipif(os.name != "posix", reason="symbolic links and modes as on POSIX")
def test_exporting_onto_a_symbolic_link_writes_the_file_it_points_to(tmp_path: Path) -> None:
    (tmp_path / "synced").mkdir()
    target = tmp_path / "synced" / "list.md"
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "list.md"
    link.symlink_to(target)
    write_markdown(link, [make_paper("New")], exported_at=EXPORTED_AT)
    assert link.is_symlink() and link.resolve() == target
    assert "## New" in target.read_text(encoding="utf-8")
    assert sorted(tmp_path.rglob("*")) == sorted([link, target.parent, target])


@pytest.mark.skipif(os.name != "posix", reason="symbolic links and modes as on POSIX")
def test_a_link_to_a_file_not_there_yet_makes_it(tmp_path: Path) -> None:
    link = tmp_path / "list.md"
    link.symlink_to(tmp_path / "real.md")
    write_markdown(link, [make_paper("New")], exported_at=EXPORTED_AT)
    assert link.is_symlink() and "## New" in (tmp_path / "real.md").read_text(encoding="utf-8")


@pytest.mark.skipif(os.name != "posix", reason="symbolic links and modes as on POSIX")
@pytest.mark.parametrize("mode", [0o600, 0o640, 0o444, 0o755])
def test_an_existing_file_keeps_its_permissions(tmp_path: Path, mode: int) -> None:
    target = tmp_path / "list.md"
    target.write_text("old", encoding="utf-8")
    target.chmod(mode)
    write_markdown(target, [make_paper("New")], exported_at=EXPORTED_AT)
    assert "## New" in target.read_text(encoding="utf-8")
    assert target.stat().st_mode & 0o7777 == mode


@pytest.mark.skipif(os.name != "posix", reason="modes as on POSIX")
def test_a_new_file_gets_the_usual_permissions(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        write_markdown(tmp_path / "list.md", [], exported_at=EXPORTED_AT)
    finally:
        os.umask(umask)
    assert (tmp_path / "list.md").stat().st_mode & 0o777 == 0o644


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "list.md"
    target.write_text("old export", encoding="utf-8")

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(ReaderappError, match="No space left on device"):
        write_markdown(target, [make_paper("New")])
    assert target.read_text(encoding="utf-8") == "old export"
    assert sorted(tmp_path.iterdir()) == [target]


def test_writing_over_a_folder_fails_cleanly(tmp_path: Path) -> None:
    (tmp_path / "list.md").mkdir()
    with pytest.raises(ReaderappError, match="Cannot export to"):
        write_markdown(tmp_path / "list.md", [])
    assert [p.name for p in tmp_path.iterdir()] == ["list.md"]


@pytest.mark.parametrize("folder", ["missing", "a-file"])
def test_a_folder_that_does_not_exist(tmp_path: Path, folder: str) -> None:
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    with pytest.raises(ReaderappError, match="does not exist"):
        write_markdown(tmp_path / folder / "list.md", [])


def test_a_name_the_folder_cannot_take(tmp_path: Path) -> None:
    with pytest.raises(ReaderappError, match="Cannot export to"):
        write_markdown(tmp_path / ("x" * 250 + ".md"), [])
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root may write anywhere")
def test_a_folder_that_cannot_be_written(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(ReaderappError, match="Permission denied"):
            write_markdown(folder / "list.md", [])
    finally:
        folder.chmod(0o700)
