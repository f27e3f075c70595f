"""HTML for the preview and the note editor. Every text from a digest goes through html.escape;
notes are Markdown with raw HTML shown as text."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import date
from html import escape

import markdown
from markdown.extensions import Extension

from readerapp.core.citations import arxiv_url
from readerapp.core.collection import highlight_spans
from readerapp.core.models import Paper, Sighting, is_code_link
from readerapp.core.repos import repository_name
from readerapp.core.search import NO_HIGHLIGHT, Highlight
from readerapp.gui.models.paper_model import STATE_TEXT
from readerapp.gui.tag_colours import css_tint


class _NoRawHtml(Extension):
    """Markdown without its raw-HTML pass-through: ``<b>`` in a note shows as ``<b>``."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")


@functools.cache
def _markdown() -> markdown.Markdown:
    return markdown.Markdown(extensions=[_NoRawHtml(), "sane_lists"], output_format="html")


def note_html(note: str) -> str:
    """A note rendered from Markdown, raw HTML escaped."""
    renderer = _markdown()
    renderer.reset()
    return renderer.convert(note)


def highlighted(text: str, highlight: Highlight, field: str) -> str:
    """``text`` escaped, with what the search matched in it (``highlight``: see
    `highlight_spans`) in ``<span class="hl">``."""
    pieces: list[str] = []
    last = 0
    for start, end in highlight_spans(text, highlight, field):
        pieces += [
            escape(text[last:start]),
            '<span class="hl">',
            escape(text[start:end]),
            "</span>",
        ]
        last = end
    pieces.append(escape(text[last:]))
    return "".join(pieces)


def day_text(day: date | None) -> str:
    return f"{day.day} {day:%b %Y}" if day else "an undated digest"


def _sightings_text(sightings: list[Sighting]) -> str:
    count = len(sightings)
    digests = "1 digest" if count == 1 else f"{count} digests"
    days = ", ".join(escape(day_text(s.date)) for s in sightings if s.date)
    return f"seen in {digests}" + (f" ({days})" if days and count > 1 else "")


def _meta(paper: Paper) -> str:
    parts = [
        "★ Starred" if paper.starred else "",
        STATE_TEXT[paper.read_state],
        f"first seen {escape(day_text(paper.first_seen))}",
        _sightings_text(paper.sightings),
    ]
    return " · ".join(part for part in parts if part)


def _authors(paper: Paper) -> str:
    return f'<p class="authors">{escape(", ".join(paper.authors))}</p>' if paper.authors else ""


def _links(paper: Paper) -> str:
    rows = []
    if paper.arxiv_id:
        url = escape(arxiv_url(paper.arxiv_id), quote=True)
        rows.append(f'<b>arXiv</b>&nbsp; <a href="{url}">{escape(paper.arxiv_id)}</a>')
    for url in paper.ordered_links:
        label = "Code" if is_code_link(url) else "Link"
        shown = escape(url)
        if url.lower().startswith(("http://", "https://")):
            shown = f'<a href="{escape(url, quote=True)}">{shown}</a>'
        repo = repository_name(url)
        if repo:
            shown += f"&nbsp; · <b>{escape(repo)}</b>"
        rows.append(f"<b>{label}</b>&nbsp; {shown}")
    return f'<p class="links">{"<br>".join(rows)}</p>' if rows else ""


def _badge(tag: str, colour: str | None) -> str:
    style = f' style="background-color: {css_tint(colour)}"' if colour else ""
    return f'<span class="badge"{style}>&nbsp;{escape(tag)}&nbsp;</span>'


def _tags(paper: Paper, colours: Mapping[str, str]) -> str:
    """The tags as badges, each in its colour (keyed by the tag case-folded) if it has one."""
    if not paper.tags:
        return ""
    badges = " ".join(_badge(tag, colours.get(tag.casefold())) for tag in paper.tags)
    return f'<p class="tags">{badges}</p>'


def _abstract(paper: Paper, highlight: Highlight) -> str:
    if not paper.abstract.strip():
        return '<p class="meta">This digest gave no abstract.</p>'
    paragraphs = [p for p in paper.abstract.split("\n\n") if p.strip()]
    return "".join(f"<p>{highlighted(p, highlight, 'abstract')}</p>" for p in paragraphs)


def _note(paper: Paper) -> str:
    if not paper.note.strip():
        return ""
    # a table cell is the one block Qt's rich text pads and fills as a whole
    return (
        '<h3>Note</h3><table class="note" width="100%" cellpadding="8" cellspacing="0">'
        f"<tr><td>{note_html(paper.note)}</td></tr></table>"
    )


def paper_html(
    paper: Paper, highlight: Highlight = NO_HIGHLIGHT, colours: Mapping[str, str] | None = None
) -> str:
    """The preview of one paper, with what the search matched (``highlight``) marked;
    ``colours`` are the tags' colours."""
    return "".join(
        [
            f"<h1>{highlighted(paper.title, highlight, 'title')}</h1>",
            _authors(paper),
            f'<p class="meta">{_meta(paper)}</p>',
            _tags(paper, colours or {}),
            _links(paper),
            _abstract(paper, highlight),
            _note(paper),
        ]
    )


def message_html(title: str, text: str = "") -> str:
    """A short message in place of a paper (nothing selected, nothing found)."""
    body = f'<p class="meta">{escape(text)}</p>' if text else ""
    return f"<h1>{escape(title)}</h1>{body}"
