"""Export into a notes app's folder: front matter, checkboxes, stable names, the user's files."""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from readerapp.core.export import ExportOptions
from readerapp.core.models import Paper, ReadState, Sighting, paper_id
from readerapp.core.vault import (
    KEEP_MARKER,
    VaultError,
    note_name,
    obsidian_tag,
    slug,
    write_vault,
    yaml_string,
)
from tests.core.test_export import elements

EXPORTED_AT = datetime(2025, 3, 14, 9, 30)


def make_paper(title: str, **fields: object) -> Paper:
    defaults: dict[str, object] = {
        "abstract": f"Abstract of {title}.",
        "links": [],
        "first_seen": date(2025, 3, 13),
        "added_at": datetime(2025, 3, 13, 8, 0),
        "sightings": [Sighting(1, date(2025, 3, 13), "Mar 13")],
    }
    return Paper(id=paper_id(title), title=title, **{**defaults, **fields})


DIFFUSION = make_paper(
    'Diffusion: "Models" Beat #GANs',
    links=["https://example.org/page", "https://github.com/openai/guided-diffusion"],
    tags=["image models", "survey"],
    starred=True,
    note="Read **section 3**.",
)
GRAPHS = make_paper("Graphs as Transformers", read_state=ReadState.READ)


def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    return yaml.safe_load(text.split("\n---\n", 1)[0].removeprefix("---\n"))


def export(folder: Path, papers: list[Paper], **options: object) -> object:
    per_paper = bool(options.pop("one_file_per_paper", False))
    return write_vault(
        folder,
        papers,
        ExportOptions(**options),
        one_file_per_paper=per_paper,
        exported_at=EXPORTED_AT,
    )


def test_one_note_per_paper_with_front_matter(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    report = export(vault, [DIFFUSION, GRAPHS], one_file_per_paper=True)
    assert report.list_file == vault / "reading-list.md" and report.written == 3
    note = vault / note_name(DIFFUSION)
    assert note.name == f"diffusion-models-beat-gans-{DIFFUSION.id}.md"
    fields = front_matter(note)
    assert fields == {
        "source": "readerapp",
        "title": DIFFUSION.title,
        "id": DIFFUSION.id,
        "tags": ["image-models", "survey"],
        "first_seen": date(2025, 3, 13),
        "seen_in": [date(2025, 3, 13)],
        "links": ["https://github.com/openai/guided-diffusion", "https://example.org/page"],
        "code": "openai/guided-diffusion",
        "starred": True,
        "read_state": "unread",
    }
    body = note.read_text(encoding="utf-8")
    assert '\n# Diffusion: "Models" Beat \\#GANs\n' in body
    assert "Read **section 3**." in body and body.endswith(KEEP_MARKER + "\n")
    assert front_matter(vault / note_name(GRAPHS))["read_state"] == "read"


def test_the_list_has_checkboxes_linking_the_notes(tmp_path: Path) -> None:
    export(tmp_path, [DIFFUSION, GRAPHS], one_file_per_paper=True, title="Week 11")
    listed = (tmp_path / "week-11.md").read_text(encoding="utf-8")
    assert front_matter(tmp_path / "week-11.md")["papers"] == 2
    assert f'- [ ] [Diffusion: "Models" Beat \\#GANs]({note_name(DIFFUSION)})' in listed
    assert f"- [x] [Graphs as Transformers]({note_name(GRAPHS)})" in listed
    assert "\n# Week 11\n" in listed


def test_one_file_per_list_carries_the_details(tmp_path: Path) -> None:
    export(tmp_path, [DIFFUSION, GRAPHS])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reading-list.md"]
    text = (tmp_path / "reading-list.md").read_text(encoding="utf-8")
    assert '- [ ] **Diffusion: "Models" Beat \\#GANs**' in text
    assert "- [x] **Graphs as Transformers**" in text
    assert "    - ★ Starred" in text and "    - Tags: image models, survey" in text
    assert "    Read **section 3**." in text  # the note, indented under its paper
    assert "    Abstract of Graphs as Transformers." in text
    assert "Abstract of" not in (export(tmp_path / "short", [GRAPHS], include_abstract=False)
                                 .list_file.read_text(encoding="utf-8"))  # fmt: skip


def test_exporting_again_updates_in_place_and_keeps_what_the_user_wrote(tmp_path: Path) -> None:
    export(tmp_path, [DIFFUSION, GRAPHS], one_file_per_paper=True)
    note = tmp_path / note_name(DIFFUSION)
    note.write_text(note.read_text(encoding="utf-8") + "My own thoughts.\n", encoding="utf-8")
    renamed = tmp_path / f"my graphs-{GRAPHS.id}.md"
    (tmp_path / note_name(GRAPHS)).rename(renamed)  # the user renamed a note
    mine = tmp_path / "ideas.md"
    mine.write_text("# Ideas\n", encoding="utf-8")

    again = export(tmp_path, [DIFFUSION, GRAPHS], one_file_per_paper=True)
    assert again.written == 1 and again.unchanged == 2  # only the list links the new name
    starred = make_paper(GRAPHS.title, read_state=ReadState.READ, starred=True)
    export(tmp_path, [DIFFUSION, starred], one_file_per_paper=True)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted(["ideas.md", "reading-list.md", note.name, renamed.name])
    assert front_matter(renamed)["starred"] is True
    assert note.read_text(encoding="utf-8").endswith(f"{KEEP_MARKER}\nMy own thoughts.\n")
    assert mine.read_text(encoding="utf-8") == "# Ideas\n"
    assert f"(my%20graphs-{GRAPHS.id}.md)" in (tmp_path / "reading-list.md").read_text("utf-8")


def test_a_file_that_is_not_ours_stops_the_export_before_anything_is_written(
    tmp_path: Path,
) -> None:
    theirs = tmp_path / "reading-list.md"
    theirs.write_text("# My own reading list\n", encoding="utf-8")
    with pytest.raises(VaultError, match="not written by readerapp"):
        export(tmp_path, [DIFFUSION], one_file_per_paper=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reading-list.md"]
    assert theirs.read_text(encoding="utf-8") == "# My own reading list\n"


def test_the_folder_is_made_only_when_its_parent_exists(tmp_path: Path) -> None:
    with pytest.raises(VaultError, match="does not exist"):
        export(tmp_path / "missing" / "vault", [GRAPHS])
    (tmp_path / "file").write_text("x")
    with pytest.raises(VaultError, match="not a folder"):
        export(tmp_path / "file", [GRAPHS])


def body(path: Path) -> str:
    """The Markdown of a file below its front matter."""
    return path.read_text(encoding="utf-8").split("\n---\n", 1)[1]


MARKUP_TITLE = "Attention <b>Is</b> ~~All~~ [You](x) Need"


def test_link_labels_in_the_list_stay_text(tmp_path: Path) -> None:
    paper = make_paper(MARKUP_TITLE)
    export(tmp_path, [paper], one_file_per_paper=True)
    listed = body(tmp_path / "reading-list.md")
    found = elements(listed)
    assert {e.tag for e in found}.isdisjoint({"b", "del", "s"}) and "~" not in listed
    links = [(e.text, e.attrs["href"]) for e in found if e.tag == "a"]
    assert links == [(MARKUP_TITLE, note_name(paper))]


@pytest.mark.parametrize("per_paper", [False, True])
def test_strikethrough_in_a_title_is_escaped(tmp_path: Path, per_paper: bool) -> None:
    title = "~~Struck~~ results"
    paper = make_paper(title, abstract="A ~~strike~~ here.", tags=["~x~"])
    export(tmp_path, [paper], one_file_per_paper=per_paper, group_by_tag=True)
    for path in tmp_path.glob("*.md"):
        assert "~" not in body(path), path.name
        assert title in [e.text for e in elements(body(path))], path.name


def test_a_notes_headings_go_below_the_papers(tmp_path: Path) -> None:
    note = "# Idea\n\ntext\n\n```\n# code\n```"
    paper = make_paper("P", note=note)
    export(tmp_path / "one", [paper])
    listed = body(tmp_path / "one" / "reading-list.md")
    assert "\n    ## Idea\n" in listed and "\n    # code\n" in listed
    export(tmp_path / "many", [paper], one_file_per_paper=True)
    own = body(tmp_path / "many" / note_name(paper))
    assert "\n# P\n" in own and "\n## Idea\n\ntext\n\n```\n# code\n```\n" in own


@pytest.mark.parametrize("per_paper", [False, True])
def test_grouped_by_tag(tmp_path: Path, per_paper: bool) -> None:
    both = make_paper("Both", tags=["vision", "agents"])
    bare = make_paper("Bare")
    seeing = make_paper("Seeing", tags=["vision"], read_state=ReadState.READ)
    export(tmp_path, [both, bare, seeing], one_file_per_paper=per_paper, group_by_tag=True)
    listed = body(tmp_path / "reading-list.md")
    groups: dict[str, list[str]] = {}
    for element in elements(listed):
        if element.tag == "h2":
            groups[element.text] = []
        elif element.tag in ("a", "strong") and groups:
            groups[list(groups)[-1]].append(element.text)
    assert list(groups) == ["agents", "vision", "Untagged"]
    assert groups == {"agents": ["Both"], "vision": ["Both", "Seeing"], "Untagged": ["Bare"]}
    assert listed.count("- [x]") == 1 and listed.count("- [ ]") == 3
    assert front_matter(tmp_path / "reading-list.md")["papers"] == 3


@pytest.mark.skipif(os.name != "posix", reason="symbolic links and modes as on POSIX")
def test_a_linked_list_stays_linked_and_keeps_its_permissions(tmp_path: Path) -> None:
    vault, synced = tmp_path / "vault", tmp_path / "synced"
    synced.mkdir()
    export(synced, [GRAPHS])
    (synced / "reading-list.md").chmod(0o600)
    vault.mkdir()
    (vault / "reading-list.md").symlink_to(synced / "reading-list.md")
    report = export(vault, [GRAPHS, DIFFUSION])
    assert report.written == 1
    assert (vault / "reading-list.md").is_symlink()
    assert "Diffusion" in (synced / "reading-list.md").read_text(encoding="utf-8")
    assert (synced / "reading-list.md").stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in synced.iterdir()) == ["reading-list.md"]


def test_names_and_tags() -> None:
    assert slug("Ünïcode & “quotes”: a/b — done") == "unicode-quotes-a-b-done"
    assert slug("图神经网络") == ""
    assert note_name(make_paper("图神经网络")).startswith("paper-")
    assert len(slug("word " * 40)) <= 60 and not slug("word " * 40).endswith("-")
    assert obsidian_tag("to read") == "to-read" and obsidian_tag("#c++ tips") == "c-tips"


@given(st.text())
def test_yaml_strings_read_back_exactly(text: str) -> None:
    assert yaml.safe_load(f"key: {yaml_string(text)}")["key"] == text
