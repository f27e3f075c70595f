"""Readerapp's own exports are never taken for digests: refused by name, skipped in folders."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

from readerapp.core.annotations import export_annotations
from readerapp.core.collection import Collection
from readerapp.core.digest import OwnOutputError, parse_digest_file
from readerapp.core.export import ExportOptions, write_markdown
from readerapp.core.import_report import describe_import
from readerapp.core.models import ReadState, paper_id
from readerapp.core.vault import write_vault
from readerapp.core.watch import check_folders

PAPERS = [
    ("Diffusion Models Beat GANs", "Diffusion models draw images step by step. They win."),
    ("Transformers as Graph Networks", "Attention is message passing. On a complete graph."),
    ("Flow Matching", ""),  # an empty abstract: an export must not fill it with its lines
]
EXPORTED_AT = datetime(2026, 12, 6, 10, 0).astimezone()


@pytest.fixture
def collection(data_dir: Path, tmp_path: Path) -> Collection:
    coll = Collection(data_dir)
    text = "Mar 13\n\n" + "\n\n".join(f"{t}\n\n{a}" if a else t for t, a in PAPERS) + "\n"
    digest = tmp_path / "first.txt"
    digest.write_text(text, encoding="utf-8")
    coll.import_paths([digest])
    ids = coll.library.filter_ids()
    coll.library.set_starred(ids[:1], True)
    coll.library.tags.add(ids, ["to-read"])
    coll.library.set_read_state(ids[1:2], ReadState.READ)
    coll.library.set_note(ids[0], "# Idea\n\nTry **this** first.\n\n- a point\n")
    yield coll
    coll.close()


def exports(collection: Collection, folder: Path) -> dict[str, Path]:
    """Every kind of file readerapp writes, written by readerapp into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    papers = collection.library.papers(collection.library.filter_ids())
    written = {
        "markdown": write_markdown(folder / "reading-list.md", papers, exported_at=EXPORTED_AT),
        "markdown by tag": write_markdown(
            folder / "by-tag.md", papers, ExportOptions(group_by_tag=True, title="Mine")
        ),
        "empty markdown": write_markdown(folder / "nothing.md", []),
    }
    write_vault(folder / "vault", papers, ExportOptions(title="Vault list"))
    write_vault(folder / "notes", papers, one_file_per_paper=True)
    written["vault list"] = folder / "vault" / "vault-list.md"
    written["vault note"] = next((folder / "notes").glob("diffusion*.md"))
    written["vault linked list"] = folder / "notes" / "reading-list.md"
    export_annotations(collection.library, folder / "annotations.json")
    written["annotations"] = folder / "annotations.json"
    return written


RE_SAVED: dict[str, Callable[[str], bytes]] = {
    "as written": lambda text: text.encode("utf-8"),
    "utf-16 with CRLF": lambda text: text.replace("\n", "\r\n").encode("utf-16"),
    "windows-1252 with CR": lambda text: text.replace("\n", "\r").encode("cp1252", "replace"),
}


@pytest.mark.parametrize("saved", RE_SAVED)
def test_every_export_is_refused_by_name_with_its_reason(
    collection: Collection, tmp_path: Path, saved: str
) -> None:
    for kind, path in exports(collection, tmp_path / "out").items():
        copy = tmp_path / "copies" / f"{kind}.txt"  # renamed as a digest would be
        copy.parent.mkdir(exist_ok=True)
        copy.write_bytes(RE_SAVED[saved](path.read_text(encoding="utf-8")))
        with pytest.raises(OwnOutputError) as raised:
            parse_digest_file(copy)
        assert raised.value.reason.startswith("a readerapp export ("), kind

    summary = collection.import_paths(sorted((tmp_path / "copies").iterdir()))
    assert summary.results == [] and summary.skipped == []
    assert all("a readerapp export" in error.reason for error in summary.refused)
    assert len(summary.refused) == len(list((tmp_path / "copies").iterdir()))


def test_a_folder_holding_exports_skips_them_and_adds_no_junk(
    collection: Collection, tmp_path: Path, write_digest
) -> None:
    folder = tmp_path / "digests"
    exports(collection, folder / "exported")
    write_digest("b.txt", "Mar 14", [("Sparse Kernels", "We make kernels sparse. It pays.")])
    before = collection.library.count()

    summary = collection.import_paths([folder])

    assert [Path(r.source).name for r in summary.results] == ["b.txt"]
    assert summary.refused == [] and len(summary.skipped) == 8  # the .json is no candidate
    assert collection.library.count() == before + 1
    titles = {p.title for p in collection.library.papers(collection.library.filter_ids())}
    assert titles == {title for title, _ in PAPERS} | {"Sparse Kernels"}
    assert collection.library.get(paper_id("Flow Matching")).abstract == ""
    lines = describe_import(summary)
    assert lines[0] == "1 paper added, 0 seen again from 1 digest; 8 readerapp exports skipped"
    skipped = folder / "exported" / "reading-list.md"
    assert f"{skipped} skipped: a readerapp export (its Markdown reading list), not a digest" in (
        lines
    )


def test_a_folder_of_exports_only_has_no_digest_files(collection: Collection, tmp_path: Path):
    exports(collection, tmp_path / "out")
    summary = collection.import_paths([tmp_path / "out"])
    assert summary.results == [] and summary.refused == []
    assert describe_import(summary)[-1] == f"no digest files found in {tmp_path / 'out'}"


def test_a_watched_folder_skips_exports_saved_into_it(
    collection: Collection, tmp_path: Path, write_digest
) -> None:
    folder = tmp_path / "digests"
    write_digest("b.txt", "Mar 14", [("Sparse Kernels", "We make kernels sparse. It pays.")])
    papers = collection.library.papers(collection.library.filter_ids())
    write_markdown(folder / "reading-list.md", papers)
    write_vault(folder, papers, ExportOptions(title="Vault list"))

    summary = check_folders(collection, [folder])

    assert [Path(r.source).name for r in summary.results] == ["b.txt"]
    assert sorted(Path(e.source).name for e in summary.skipped) == [
        "reading-list.md", "vault-list.md",
    ]  # fmt: skip
    assert all(e.reason.startswith("a readerapp export") for e in summary.skipped)
    assert collection.library.count() == len(PAPERS) + 1
    assert check_folders(collection, [folder]).skipped == []  # read once, like any file
