"""Export papers as a Markdown reading list.

Text that comes from the digests (titles, abstracts, tags, date text) is escaped so that the
Markdown renders to exactly those words and never to markup; the user's own note is Markdown
and goes in as written, but for its headings, which are put below the paper's own.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import quote, urlsplit

from readerapp.core.errors import ReaderappError
from readerapp.core.models import Paper, Sighting


@dataclass(frozen=True)
class ExportOptions:
    title: str = "Reading list"
    include_abstract: bool = True
    group_by_tag: bool = False


UNTAGGED = "Untagged"

# One pass of str.translate does the inline escaping. Backslash escapes for what
# Python-Markdown can escape that way; character references for what it cannot (`<`, `&`,
# `|`, and `~`, which makes strikethrough in GitHub's Markdown and in notes apps) and for
# tabs, which Markdown would expand into spaces.
_INLINE = str.maketrans(
    {
        **{char: "\\" + char for char in "\\`*_[]#"},
        "<": "&lt;",
        "&": "&amp;",
        "|": "&#124;",
        "~": "&#126;",
        "\t": "&#9;",
    }
)
# Control characters cannot be carried by HTML: line breaks and other white space become a
# space (the result is one line), the rest are dropped.
_CONTROLS = str.maketrans(
    {
        cp: (" " if chr(cp).isspace() else None)
        for cp in (*range(0x20), *range(0x7F, 0xA0))
        if cp != ord("\t")
    }
)
# Where a backslash goes to stop a line opening a block: after the digits of `1.` or `1)`,
# before a leading `-`, `+` (list items) or `>` (a quote). `*`, `#` and `<` are escaped
# wherever they are.
_BLOCK_START = re.compile(r"\d+(?=[.)])|(?=[-+>])")
_BLANK_LINE = re.compile(r"\n\s*\n")
# Markdown the user wrote, line by line: an ATX heading (`## Idea`), the opening of a fenced
# code block, the underline of a Setext heading, the start of a line that cannot begin a
# paragraph (a list item, a quote, indented code) and a thematic break (`---`, `***`).
_ATX_HEADING = re.compile(r" {0,3}(#{1,6})(?=[ \t]|$)")
_FENCE = re.compile(r" {0,3}(`{3,}(?!.*`)|~{3,})")
_SETEXT_UNDERLINE = re.compile(r" {0,3}(=+|-+)[ \t]*$")
_NOT_PARAGRAPH = re.compile(r" {4}| {0,3}(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)| {0,3}>")
_THEMATIC_BREAK = re.compile(r" {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$")
# Characters kept as they are in a link target; everything else is percent-encoded, among
# them `(`, `)`, `<`, `>`, quotes, spaces, backticks and backslashes.
_URL_SAFE = ":/?#[]@!$&*+,;=-._~%"


def escape_markdown(text: str) -> str:
    """One line of Markdown that renders to exactly ``text``, as text and never as markup.

    Line breaks and other control characters become spaces (or vanish), since the result is
    a single line. White space at either end is written as character references, because
    Markdown would strip it, read it as indentation or (two trailing spaces) as a line break.
    Written for Python-Markdown's core syntax; backslash escapes and character references
    mean the same in CommonMark.
    """
    # str.strip's white space is the regular expressions' \s; a pattern for the edges,
    # backtracking at each space of an abstract, took half the time of a big export.
    line = _one_line(text)
    core = line.lstrip()
    leading = line[: len(line) - len(core)]
    core = core.rstrip()
    trailing = line[len(leading) + len(core) :]
    return _char_refs(leading) + _escape_line(core) + _char_refs(trailing)


def _escape_line(line: str) -> str:
    """Escape one line that has no control characters and no white space at its edges."""
    line = line.translate(_INLINE)
    if block_start := _BLOCK_START.match(line):
        return f"{line[: block_start.end()]}\\{line[block_start.end() :]}"
    return line


def _one_line(text: str) -> str:
    return text.replace("\r\n", "\n").translate(_CONTROLS)


def _char_refs(text: str) -> str:
    return "".join(f"&#{ord(char)};" for char in text)


def render_markdown(
    papers: Sequence[Paper],
    options: ExportOptions = ExportOptions(),
    *,
    exported_at: datetime | None = None,
) -> str:
    """The reading list as a Markdown document (``\\n`` line endings, ending in a newline)."""
    exported_at = exported_at or datetime.now().astimezone()
    blocks = [
        _heading(1, options.title),
        f"Exported on {exported_at.date().isoformat()}. {_count(len(papers))}.",
    ]
    if options.group_by_tag:
        blocks += _grouped_blocks(papers, options)
    else:
        for paper in papers:
            blocks += _paper_blocks(paper, options, level=2)
    return "\n\n".join(blocks) + "\n"


def write_markdown(
    path: Path,
    papers: Sequence[Paper],
    options: ExportOptions = ExportOptions(),
    *,
    exported_at: datetime | None = None,
) -> Path:
    """Write the reading list to ``path`` atomically; return ``path``.

    The old file (if any) is replaced only once the new one is complete on disk.
    Raises ReaderappError if the folder is missing or cannot be written.
    """
    path = Path(path)
    write_text_atomically(path, render_markdown(papers, options, exported_at=exported_at))
    return path


def paper_markdown(
    paper: Paper, options: ExportOptions = ExportOptions(), *, level: int = 1
) -> str:
    """One paper as a reading list shows it: heading, details, note and abstract."""
    return "\n\n".join(_paper_blocks(paper, options, level=level))


def paper_details(paper: Paper) -> list[str]:
    """The details of one paper as Markdown list items (without the ``- ``): star, state,
    digests, links, tags and id."""
    return list(_details(paper))


def _count(number: int) -> str:
    if number == 0:
        return "There are no papers in this list"
    return "1 paper" if number == 1 else f"{number} papers"


def _inline(text: str) -> str:
    """Digest text as one escaped line, without the white space at its edges."""
    return _escape_line(_one_line(text).strip())


def _heading(level: int, text: str) -> str:
    return f"{'#' * level} {_inline(text) or '(untitled)'}"


def tag_groups(papers: Sequence[Paper]) -> list[tuple[str, list[Paper]]]:
    """The papers of each tag, tags in alphabetical order, then those without a tag under
    UNTAGGED; a paper with two tags is in both groups."""
    groups: dict[str | None, list[Paper]] = {}
    for paper in papers:
        for tag in dict.fromkeys(paper.tags) or [None]:
            groups.setdefault(tag, []).append(paper)
    tags = sorted((tag for tag in groups if tag is not None), key=lambda tag: (tag.casefold(), tag))
    found = [(tag, groups[tag]) for tag in tags]
    return found + ([(UNTAGGED, groups[None])] if None in groups else [])


def _grouped_blocks(papers: Sequence[Paper], options: ExportOptions) -> Iterator[str]:
    """Papers under a `## tag` heading per tag; a paper with two tags is under both."""
    for tag, group in tag_groups(papers):
        yield _heading(2, tag)
        for paper in group:
            yield from _paper_blocks(paper, options, level=3)


def _paper_blocks(paper: Paper, options: ExportOptions, *, level: int) -> Iterator[str]:
    yield _heading(level, paper.title)
    yield "\n".join(f"- {item}" for item in _details(paper))
    note = shift_headings(_note_markdown(paper.note), level)
    if note:
        yield "**Note:**"
        yield note
    if options.include_abstract and paper.abstract.strip():
        yield "**Abstract:**"
        yield from _paragraphs(paper.abstract)


def _details(paper: Paper) -> Iterator[str]:
    if paper.starred:
        yield "★ Starred"
    yield f"State: {_inline(paper.read_state)}"
    if paper.sightings:
        yield "Seen in: " + "; ".join(_sighting_text(s) for s in paper.sightings)
    if paper.links:
        yield "Links: " + ", ".join(_link(url) for url in paper.ordered_links)
    if paper.tags:
        yield "Tags: " + ", ".join(_inline(tag) for tag in paper.tags)
    yield f"Id: {_inline(paper.id)}"


def _sighting_text(sighting: Sighting) -> str:
    """`2025-03-13 (13 March 2025)`: the date as ISO, then as the digest printed it."""
    iso = sighting.date.isoformat() if sighting.date else None
    printed = _inline(sighting.date_text or "")
    if iso and printed and printed != iso:
        return f"{iso} ({printed})"
    return iso or printed or "undated digest"


def _link(url: str) -> str:
    """A Markdown link showing the URL itself, or plain text unless it is http(s)."""
    url = url.strip()
    target = _safe_url(url)
    return f"[{escape_markdown(url)}]({target})" if target else escape_markdown(url)


def _safe_url(url: str) -> str | None:
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    # `&` as a reference: Markdown reads `&#35` or `&amp;` in a target as references too.
    return quote(url, safe=_URL_SAFE).replace("&", "&amp;")


def _note_markdown(note: str) -> str:
    """The note as the user wrote it, only with ``\\n`` line endings and no blank edges."""
    lines = note.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    return "\n".join(lines).rstrip()


def shift_headings(markdown: str, levels: int) -> str:
    """``markdown`` with its headings ``levels`` deeper (down to level 6), so that a note's
    headings sit below the heading of the paper it belongs to; the rest of its text is left
    as it is, fenced code too. A Setext heading (a line underlined with ``===`` or ``---``)
    becomes an ATX one (``#``), which has room for the deeper levels."""
    lines: list[str] = []
    fence = ""  # the fence of the open code block
    paragraph = 0  # lines of the paragraph that ends at the last line so far
    other_block = False  # the last lines are a list, a quote or indented code
    for line in markdown.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if fence:
            if re.fullmatch(rf" {{0,3}}{fence[0]}{{{len(fence)},}}[ \t]*", line):
                fence = ""
            lines.append(line)
        elif opening := _FENCE.match(line):
            fence = opening.group(1)
            lines.append(line)
        elif heading := _ATX_HEADING.match(line):
            depth = min(6, len(heading.group(1)) + levels)
            lines.append(line[: heading.start(1)] + "#" * depth + line[heading.end(1) :])
        elif paragraph and (underline := _SETEXT_UNDERLINE.match(line)):
            depth = min(6, (1 if underline.group(1)[0] == "=" else 2) + levels)
            words = " ".join(part.strip() for part in lines[-paragraph:])
            lines[-paragraph:] = [f"{'#' * depth} {words}"]
        else:
            lines.append(line)
            if not line.strip() or _THEMATIC_BREAK.match(line):
                paragraph, other_block = 0, False
            elif other_block or (not paragraph and _NOT_PARAGRAPH.match(line)):
                other_block = True
            else:
                paragraph += 1
            continue
        paragraph, other_block = 0, False
    return "\n".join(lines)


def _paragraphs(text: str) -> Iterator[str]:
    """Escaped paragraphs: split at blank lines, each folded onto one line."""
    for paragraph in _BLANK_LINE.split(text.replace("\r\n", "\n").replace("\r", "\n")):
        if paragraph := _one_line(paragraph).strip():
            yield _escape_line(paragraph)


def write_text_atomically(path: Path, text: str) -> None:
    """Write a temporary file beside ``path``, sync it, then rename it over ``path``.

    A symbolic link stays one: the file it points to is what gets written. A file that is
    there keeps its permissions.
    """
    target = Path(os.path.realpath(path))
    folder = target.parent
    if not folder.is_dir():
        raise ReaderappError(f"Cannot export to {path}: the folder {folder} does not exist.")
    temporary = folder / f".{target.name}.{secrets.token_hex(4)}.tmp"
    created = False
    try:
        with open(temporary, "x", encoding="utf-8", newline="\n") as file:
            created = True
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        _keep_mode(target, temporary)
        os.replace(temporary, target)
    except BaseException as error:
        if created:
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)
        if isinstance(error, OSError):
            reason = error.strerror or str(error)
            raise ReaderappError(f"Cannot export to {path}: {reason}.") from error
        raise


def _keep_mode(path: Path, new: Path) -> None:
    """Give the file ``new`` the permissions of the file ``path``, when there is one."""
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        return
    os.chmod(new, mode)
