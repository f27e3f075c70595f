"""Papers as citations: BibTeX and CSL JSON, for reference managers and LaTeX.

A paper with an arXiv id is cited as an arXiv preprint (its id as the eprint, its arXiv page as
the URL); one without is cited with what the library knows (its title, its year from the day it
was first seen, its first link). Keys are ``lastname2024firstword``, made ASCII, with a, b…
after each of keys that would be the same.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from readerapp.core.models import Paper

FORMATS = ("markdown", "bibtex", "csl-json")
# Words a key skips to reach the title's first word that says something.
_SMALL_WORDS = frozenset({"a", "an", "the", "on", "of", "to", "for", "in", "and", "is", "are"})
_LATEX = str.maketrans(
    {
        "\\": r"\textbackslash{}",
        "{": r"\{",
        "}": r"\}",
        "&": r"\&",
        "%": r"\%",
        "$": r"\$",
        "#": r"\#",
        "_": r"\_",
        "~": r"\textasciitilde{}",
        "^": r"\textasciicircum{}",
    }
)


@dataclass(frozen=True)
class Citations:
    """The text of a citation file, and how many of its papers had no arXiv id."""

    text: str
    without_arxiv_id: int


def arxiv_url(arxiv_id: str) -> str:
    return f"https://arxiv.org/abs/{arxiv_id}"


def arxiv_pdf_url(arxiv_id: str) -> str:
    return f"https://arxiv.org/pdf/{arxiv_id}"


def escape_latex(text: str) -> str:
    """``text`` with LaTeX's special characters written so that LaTeX prints them."""
    return " ".join(text.split()).translate(_LATEX)


def _ascii_word(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", folded.lower())


def _year(paper: Paper) -> int | None:
    day: date | None = paper.published or paper.first_seen
    return day.year if day else None


def _split_name(name: str) -> tuple[str, str]:
    """(family, given) of a name written "Given Family"; one word is a family name alone."""
    parts = name.split()
    return (parts[-1], " ".join(parts[:-1])) if parts else ("", "")


def citation_key(paper: Paper) -> str:
    """``lastname2024firstword``: the first author's family name, the year, the title's first
    word that says something; "anon" and "nd" stand for what is not known."""
    family = _ascii_word(_split_name(paper.authors[0])[0]) if paper.authors else ""
    words = [_ascii_word(word) for word in paper.title.split()]
    meaningful = [w for w in words if w and w not in _SMALL_WORDS] or [w for w in words if w]
    year = _year(paper)
    return f"{family or 'anon'}{year or 'nd'}{meaningful[0] if meaningful else 'untitled'}"


def citation_keys(papers: Sequence[Paper]) -> list[str]:
    """The key of each paper; keys that would be the same get a, b, c… in the papers' order."""
    keys = [citation_key(paper) for paper in papers]
    repeated = {key for key, n in Counter(keys).items() if n > 1}
    used: Counter[str] = Counter()
    unique = []
    for key in keys:
        if key in repeated:
            unique.append(key + _letters(used[key]))
            used[key] += 1
        else:
            unique.append(key)
    return unique


def _letters(number: int) -> str:
    """a, b, … z, aa, ab, …"""
    letters = ""
    number += 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


def _url(paper: Paper) -> str | None:
    if paper.arxiv_id:
        return arxiv_url(paper.arxiv_id)
    return paper.ordered_links[0] if paper.links else None


def bibtex(papers: Sequence[Paper]) -> Citations:
    """Every paper as a BibTeX @misc entry."""
    entries = [_bibtex_entry(p, key) for p, key in zip(papers, citation_keys(papers), strict=True)]
    return Citations("\n".join(entries), _missing_ids(papers))


def _bibtex_entry(paper: Paper, key: str) -> str:
    fields = [("title", escape_latex(paper.title))]
    if paper.authors:
        fields.append(("author", " and ".join(_bibtex_name(name) for name in paper.authors)))
    year = _year(paper)
    if year:
        fields.append(("year", str(year)))
    if paper.arxiv_id:
        fields += [("eprint", paper.arxiv_id), ("archivePrefix", "arXiv")]
    url = _url(paper)
    if url:
        fields.append(("url", url.translate(str.maketrans({"{": "%7B", "}": "%7D"}))))
    body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields)
    return f"@misc{{{key},\n{body}}}\n"


def _bibtex_name(name: str) -> str:
    """``Family, Given``; a name with "and" in it, or of one word, braced whole."""
    family, given = _split_name(name)
    if not given or " and " in f" {name.lower()} ":
        return "{" + escape_latex(name) + "}"
    return f"{escape_latex(family)}, {escape_latex(given)}"


def csl_json(papers: Sequence[Paper]) -> Citations:
    """Every paper as a CSL JSON item (the format of Zotero, Pandoc and citeproc)."""
    items = [_csl_item(p, key) for p, key in zip(papers, citation_keys(papers), strict=True)]
    return Citations(json.dumps(items, indent=2, ensure_ascii=False) + "\n", _missing_ids(papers))


def _csl_item(paper: Paper, key: str) -> dict[str, object]:
    item: dict[str, object] = {"id": key, "type": "article", "title": paper.title}
    if paper.authors:
        item["author"] = [_csl_name(name) for name in paper.authors]
    day = paper.published or paper.first_seen
    if day:
        item["issued"] = {"date-parts": [[day.year, day.month, day.day]]}
    if paper.arxiv_id:
        item["number"] = f"arXiv:{paper.arxiv_id}"
        item["publisher"] = "arXiv"
        item["DOI"] = f"10.48550/arXiv.{paper.arxiv_id}"
    url = _url(paper)
    if url:
        item["URL"] = url
    if paper.abstract:
        item["abstract"] = paper.abstract
    return item


def _csl_name(name: str) -> dict[str, str]:
    family, given = _split_name(name)
    return {"family": family, "given": given} if given else {"literal": name}


def _missing_ids(papers: Sequence[Paper]) -> int:
    return sum(1 for paper in papers if not paper.arxiv_id)


WRITERS = {"bibtex": bibtex, "csl-json": csl_json}
