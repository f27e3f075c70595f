"""Citations: BibTeX read back by bibtexparser, CSL JSON with the schema's required fields."""

from __future__ import annotations

import json
from datetime import date, datetime

import bibtexparser
from bibtexparser import middlewares

from readerapp.core.citations import bibtex, citation_keys, csl_json, escape_latex
from readerapp.core.models import Paper


def paper(title: str, authors: list[str], arxiv_id: str | None = None, **extra) -> Paper:
    return Paper(id=title[:12], title=title, abstract="An abstract.", links=extra.pop("links", []),
                 first_seen=date(2026, 3, 13), added_at=datetime(2026, 3, 13), authors=authors,
                 arxiv_id=arxiv_id, **extra)  # fmt: skip


PAPERS = [
    paper("The Diffusion of Tables", ["Ada Lovelace", "Alan Turing"], "2403.01234",
          published=date(2024, 3, 12)),
    paper("Diffusion, again: 100% & $5_x #1 {braced}", ["Ada Lovelace"], "2403.05678",
          published=date(2024, 3, 11)),
    paper("Über Attention", ["Jürgen Schmidhuber", "李飞飞"], "2401.00001",
          published=date(2024, 1, 2)),
    paper("Only From A Digest", [], links=["https://github.com/x/y"]),
]  # fmt: skip


def parsed(text: str) -> list[dict]:
    library = bibtexparser.parse_string(text, append_middleware=[
        middlewares.LatexDecodingMiddleware(), middlewares.SeparateCoAuthors(),
        middlewares.SplitNameParts()])  # fmt: skip
    assert not library.failed_blocks
    return [{"key": entry.key, **{f.key: f.value for f in entry.fields}} for entry in
            library.entries]  # fmt: skip


def test_bibtex_parses_back_with_authors_years_ids_and_titles() -> None:
    cited = bibtex(PAPERS)
    assert cited.without_arxiv_id == 1
    entries = parsed(cited.text)
    assert [e["key"] for e in entries] == [
        "lovelace2024diffusiona", "lovelace2024diffusionb", "schmidhuber2024uber",
        "anon2026only",
    ]  # fmt: skip
    assert [e["title"] for e in entries] == [p.title for p in PAPERS]
    names = [[(" ".join(n.first), " ".join(n.last)) for n in e.get("author", [])] for e in entries]
    assert names == [
        [("Ada", "Lovelace"), ("Alan", "Turing")],
        [("Ada", "Lovelace")],
        [("Jürgen", "Schmidhuber"), ("", "李飞飞")],
        [],
    ]
    assert [e["year"] for e in entries] == ["2024", "2024", "2024", "2026"]
    assert [e.get("eprint") for e in entries] == ["2403.01234", "2403.05678", "2401.00001", None]
    assert {e.get("archivePrefix") for e in entries[:3]} == {"arXiv"}
    assert entries[0]["url"] == "https://arxiv.org/abs/2403.01234"
    assert entries[3]["url"] == "https://github.com/x/y"


def test_keys_are_stable_and_unique() -> None:
    assert citation_keys(PAPERS) == citation_keys(PAPERS)
    twins = [paper("Same Title", ["A Bee"], published=date(2024, 1, 1)) for _ in range(3)]
    assert citation_keys(twins) == ["bee2024samea", "bee2024sameb", "bee2024samec"]


def test_latex_specials_are_escaped() -> None:
    assert escape_latex("a_b & 50% {x} #1 $ ~ ^ \\") == (
        r"a\_b \& 50\% \{x\} \#1 \$ \textasciitilde{} \textasciicircum{} \textbackslash{}"
    )


def test_csl_json_items_have_the_required_fields_authors_and_years() -> None:
    cited = csl_json(PAPERS)
    items = json.loads(cited.text)
    assert cited.without_arxiv_id == 1
    assert all(isinstance(i["id"], str) and i["type"] == "article" for i in items)
    assert len({i["id"] for i in items}) == len(items)
    assert items[0]["author"] == [{"family": "Lovelace", "given": "Ada"},
                                  {"family": "Turing", "given": "Alan"}]  # fmt: skip
    assert items[2]["author"][1] == {"literal": "李飞飞"}
    assert [i["issued"]["date-parts"][0][0] for i in items] == [2024, 2024, 2024, 2026]
    assert items[0]["number"] == "arXiv:2403.01234"
    assert "author" not in items[3] and "number" not in items[3]
