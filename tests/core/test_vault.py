"""Export into a notes app's folder: front matter, checkboxes, stable names, the user's files."""

from __future__ import annotations

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
    stem = note_name(DIFFUSION).removesuffix(".md")
    assert f'- [ ] [[{stem}|Diffusion: "Models" Beat #GANs]]' in listed
    assert f"- [x] [[{note_name(GRAPHS).removesuffix('.md')}|Graphs as Transformers]]" in listed
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
    assert f"[[my graphs-{GRAPHS.id}|" in (tmp_path / "reading-list.md").read_text("utf-8")


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


def test_names_and_tags() -> None:
    assert slug("Ünïcode & “quotes”: a/b — done") == "unicode-quotes-a-b-done"
    assert slug("图神经网络") == ""
    assert note_name(make_paper("图神经网络")).startswith("paper-")
    assert len(slug("word " * 40)) <= 60 and not slug("word " * 40).endswith("-")
    assert obsidian_tag("to read") == "to-read" and obsidian_tag("#c++ tips") == "c-tips"


@given(st.text())
def test_yaml_strings_read_back_exactly(text: str) -> None:
    assert yaml.safe_load(f"key: {yaml_string(text)}")["key"] == text
