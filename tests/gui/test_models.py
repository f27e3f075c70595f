"""The paper list's and the side panel's models, checked by qtmodeltester."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt

from readerapp.core.collection import Collection
from readerapp.core.library import Library
from readerapp.gui.models import paper_model
from readerapp.gui.models.paper_model import COL_SEEN_IN, COL_STAR, COL_TITLE, ID_ROLE, PaperModel
from readerapp.gui.models.side_model import (
    DIGEST_PREFIX,
    FRAGMENT_ROLE,
    SideModel,
    side_entries,
)


def test_paper_model_passes_the_model_tester(qtmodeltester, filled: Collection) -> None:
    library = Library.in_dir(filled.data_dir)
    model = PaperModel(library)
    model.set_ids(filled.library.filter_ids())
    qtmodeltester.check(model)
    assert model.index(0, COL_TITLE).data() == "Flow Matching for Generative Modeling"
    assert model.index(0, COL_TITLE).data(ID_ROLE) == filled.library.filter_ids()[0]
    library.close()


def test_rows_are_fetched_lazily_in_pages(
    qtmodeltester, monkeypatch, data_dir: Path, write_digest
) -> None:
    monkeypatch.setattr(paper_model, "PAGE", 3)
    coll = Collection(data_dir)
    papers = [(f"Paper number {n}", f"Abstract {n}.") for n in range(8)]
    coll.import_paths([write_digest("a.txt", "Mar 13", papers)])
    model = PaperModel(coll.library)
    model.set_ids(coll.library.filter_ids())
    assert model.rowCount() == 3 and model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 6
    assert model.row_of(model.id_at(7)) == 7 and model.rowCount() == 8
    qtmodeltester.check(model)
    coll.library.set_starred([model.id_at(7)], True)
    changed = []
    model.dataChanged.connect(lambda top, bottom: changed.append((top.row(), bottom.row())))
    model.refresh([model.id_at(7)])
    assert changed == [(7, 7)] and model.index(7, COL_STAR).data() == "★"
    assert model.index(7, COL_SEEN_IN).data(Qt.ItemDataRole.TextAlignmentRole)
    coll.close()


def test_papers_are_found_by_id_before_and_after_the_list_is_indexed(
    monkeypatch, data_dir: Path, write_digest
) -> None:
    monkeypatch.setattr(paper_model, "SCANS_BEFORE_INDEX", 2)
    coll = Collection(data_dir)
    papers = [(f"Paper number {n}", f"Abstract {n}.") for n in range(6)]
    coll.import_paths([write_digest("a.txt", "Mar 13", papers)])
    model = PaperModel(coll.library)
    ids = coll.library.filter_ids()
    model.set_ids(ids)
    assert [model.row_of(pid) for pid in ids] == list(range(6))  # scans, then the index
    assert model.row_of("0000.00000") is None
    model.set_ids(ids[::-1])  # a new list: scanned again, not looked up in the old index
    assert model.row_of(ids[0]) == 5 and model.row_of("0000.00000") is None
    coll.close()


def test_side_model_passes_the_model_tester(qtmodeltester, filled: Collection) -> None:
    filled.library.tags.add(filled.library.filter_ids()[:2], ["two words", "survey"])
    model = SideModel()
    model.set_entries(side_entries(filled.library))
    qtmodeltester.check(model)
    fragments = [model.index(r).data(FRAGMENT_ROLE) for r in range(model.rowCount())]
    assert {"is:starred", "has:code", 'tag:"two words"', "tag:survey"} <= set(fragments)
    headers = [r for r in range(model.rowCount()) if not model.flags(model.index(r))]
    assert [model.index(r).data() for r in headers] == ["Library", "Digests", "Tags"]


def test_the_code_badge_is_a_role_of_the_title_column(qtmodeltester, filled: Collection) -> None:
    library = Library.in_dir(filled.data_dir)
    model = PaperModel(library)
    model.set_ids(filled.library.filter_ids())
    qtmodeltester.check(model)
    assert model.columnCount() == paper_model.COLUMN_COUNT == 6  # the named columns stay
    badges = {
        model.index(row, COL_TITLE).data(): model.index(row, COL_TITLE).data(paper_model.CODE_ROLE)
        for row in range(model.rowCount())
    }
    assert badges["Diffusion Models Beat GANs on Image Synthesis"] == "example/guided"
    assert badges["Transformers as Graph Networks"] is None
    row = list(badges).index("Diffusion Models Beat GANs on Image Synthesis")
    others = [column for column in range(model.columnCount()) if column != COL_TITLE]
    assert all(model.index(row, column).data(paper_model.CODE_ROLE) is None for column in others)
    library.close()


def test_side_model_repaints_only_the_rows_that_changed(qtmodeltester, filled: Collection) -> None:
    first = side_entries(filled.library, counted=False)  # the first paint, before the counts
    counted = side_entries(filled.library)
    assert [e.key for e in first] == [e.key for e in counted]
    model = SideModel()
    model.set_entries(first)
    assert model.entry(model.row_of("starred")).count is None
    model.set_entries(counted)
    qtmodeltester.check(model)
    filled.library.set_starred([filled.library.filter_ids()[-1]], True)  # in the Mar 13 digest
    changed: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda top, bottom: changed.append((top.row(), bottom.row())))
    model.set_entries(side_entries(filled.library))
    starred = model.row_of("starred")
    older = model.row_of([e.key for e in counted if e.key.startswith(DIGEST_PREFIX)][-1])
    assert changed == [(starred, starred), (older, older)]


def test_records_that_come_with_the_results_are_used_unless_out_of_date(
    filled: Collection,
) -> None:
    library = Library.in_dir(filled.data_dir)
    model = PaperModel(library)
    ids = filled.library.filter_ids()
    first = filled.library.get(ids[0])
    read_elsewhere = replace(first, title="As the worker read it")
    model.set_ids(ids, [read_elsewhere], model.changes)
    assert model.index(0, COL_TITLE).data() == "As the worker read it"  # not read again
    read_at = model.changes
    model.refresh([ids[0]])  # the record changed after the worker had read it
    model.set_ids(ids, [read_elsewhere], read_at)
    assert model.index(0, COL_TITLE).data() == first.title  # read again, from the library
    library.close()
