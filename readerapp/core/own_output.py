"""Readerapp's own output, told apart from a digest: imports skip it or refuse it.

A reading list exported to Markdown, a notes-app vault and an annotations file all hold
papers' titles and abstracts in paragraphs, so the digest parser would take them in as junk
papers. Each is known here by what its writer puts in it (`export`, `vault`, `annotations`),
wherever the user moved, renamed, re-encoded or partly edited it.
"""

from __future__ import annotations

import re

from readerapp.core.annotations import FORMAT as ANNOTATIONS_FORMAT
from readerapp.core.vault import KEEP_MARKER, SOURCE_LINE

MARKDOWN_LIST = "its Markdown reading list"
VAULT_NOTE = "a note of its notes-app export"
ANNOTATIONS = "its annotations file"

_HEAD_CHARS = 65_536
# A whole line, whatever the line endings (LF, CRLF or a lone CR).
_START, _END = r"(?<![^\r\n])", r"(?![^\r\n])"
# `export.render_markdown`: the line under the list's title.
_EXPORTED_ON = re.compile(
    rf"{_START}Exported on \d{{4}}-\d{{2}}-\d{{2}}\. "
    rf"(?:There are no papers in this list|\d+ papers?)\.{_END}"
)
# `export.paper_details`: every paper's details end with its id, after its read state.
_STATE_LINE = re.compile(rf"{_START}[ \t]*- State: (?:unread|reading|read){_END}")
_ID_LINE = re.compile(rf"{_START}[ \t]*- Id: [0-9a-f]{{12}}{_END}")
# `vault.KEEP_MARKER`, in whatever words a version of readerapp wrote it.
_MARKER_START = KEEP_MARKER.split(":", 1)[0] + ":"
_MARKER = re.compile(rf"{_START}{re.escape(_MARKER_START)}[^\r\n]*%%[ \t]*{_END}")
# `vault.front_matter`: ``---`` fenced YAML that says where it comes from.
_FRONT_MATTER = re.compile(rf"\A\s*---[ \t]*[\r\n]+(.*?)[\r\n]+---[ \t]*{_END}", re.DOTALL)
_ANNOTATIONS = re.compile(rf'\A\s*\{{.*"format"\s*:\s*"{re.escape(ANNOTATIONS_FORMAT)}"', re.DOTALL)


def own_output_kind(text: str) -> str | None:
    """What of readerapp's output ``text`` is (in words for the user), or None when it is
    none of it."""
    head = text[:_HEAD_CHARS].lstrip("\ufeff")
    if _ANNOTATIONS.match(head):
        return ANNOTATIONS
    if _has_our_front_matter(head) or _has_line(text, _MARKER_START, _MARKER):
        return VAULT_NOTE
    if _EXPORTED_ON.search(head) or (
        _has_line(text, "- State: ", _STATE_LINE) and _has_line(text, "- Id: ", _ID_LINE)
    ):
        return MARKDOWN_LIST
    return None


def _has_line(text: str, words: str, line: re.Pattern[str]) -> bool:
    """Whether ``text`` has a ``line``; looked for only where ``words`` are (a quick scan)."""
    return words in text and line.search(text) is not None


def _has_our_front_matter(head: str) -> bool:
    front = _FRONT_MATTER.match(head)
    return bool(front) and SOURCE_LINE in map(str.strip, front.group(1).splitlines())
