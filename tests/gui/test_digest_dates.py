"""Dates you can see and fix: the side panel says how a digest got its date, and "Set date…"
(its context menu, or F2 on it) re-dates it, its papers' first seen following, every annotation
kept."""

from __future__ import annotations

import json
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from readerapp.core.collection import Collection
from readerapp.core.models import ReadState
from readerapp.gui.dialogs.digest_date import DigestDateDialog
from readerapp.gui.models.side_model import DIGEST_PREFIX
from readerapp.gui.views.main_window import MainWindow
from tests.conftest import run_cli
from tests.gui.conftest import PAPERS, WindowFactory, titles
from tests.gui.keyboard import choose_in_panel, open_dialog
from tests.gui.test_paste_digest import inferred

GRAPH = "Transformers as Graph Networks"  # in both digests, Mar 13 and Mar 15
BANDITS = "Learning to Rank with Bandits"  # in the Mar 13 digest only


def digest_labels(window: MainWindow) -> list[str]:
    return [e.label for e in window.side.entries() if e.key.startswith(DIGEST_PREFIX)]


def tooltip(window: MainWindow, key: str) -> str:
    return window.side.index(window.side.row_of(key)).data(Qt.ItemDataRole.ToolTipRole)


def annotate(collection: Collection, title: str) -> str:
    library = collection.library
    pid = next(p.id for p in library.papers(library.filter_ids()) if p.title == title)
    library.set_starred([pid], True)
    library.tags.add([pid], ["bandits"])
    library.set_read_state([pid], ReadState.READ)
    collection.set_note(pid, "Compare with **Thompson sampling**.")
    return pid


def test_f2_on_a_digest_sets_its_date_and_keeps_every_annotation(
    qtbot: QtBot, filled: Collection, open_window: WindowFactory
) -> None:
    bandits = annotate(filled, BANDITS)
    window = open_window(filled)
    march_13 = inferred(3, 13)
    key = f"{DIGEST_PREFIX}{march_13.isoformat()}"
    assert tooltip(window, key).endswith(
        f"a.txt: Mar 13 → {march_13.isoformat()}, year from the file's date"
    )
    window.paper_view.setFocus()
    choose_in_panel(qtbot, window, key)
    qtbot.keyClick(window.tag_panel, Qt.Key.Key_F2)
    dialog = open_dialog(qtbot, window, DigestDateDialog, "digestDateDialog")
    assert (
        dialog.intro.text() == f"Set the date of the digest of {march_13:%a} 13 Mar {march_13.year}"
    )
    assert dialog.how.text() == f"a.txt: Mar 13 → {march_13.isoformat()}, year from the file's date"
    assert dialog.editor.hasFocus()
    qtbot.keyClicks(dialog.editor, "2024")  # the year is the section typed into first
    qtbot.keyClick(dialog.editor, Qt.Key.Key_Return)
    new_key = f"{DIGEST_PREFIX}2024-03-13"
    qtbot.waitUntil(lambda: window.side.row_of(new_key) is not None)
    qtbot.waitUntil(lambda: window.side.entry(window.tag_panel.currentIndex().row()).key == new_key)
    assert digest_labels(window) == [
        f"{inferred(3, 15):%a} 15 Mar {inferred(3, 15).year}",
        "Wed 13 Mar 2024",
    ]
    qtbot.waitUntil(lambda: sorted(titles(window)) == sorted(title for title, _ in PAPERS))
    paper = window.library.get(bandits)
    assert paper.first_seen == date(2024, 3, 13)
    assert (paper.starred, paper.tags, paper.read_state) == (True, ["bandits"], ReadState.READ)
    assert paper.note == "Compare with **Thompson sampling**."
    graph = window.library.get(window.papers.id_at(titles(window).index(GRAPH)))
    assert graph.first_seen == date(2024, 3, 13)  # its first digest is now the older one
    listed = run_cli(filled.data_dir, "digests", "--json")
    redated = next(d for d in json.loads(listed.stdout) if d["source"].endswith("a.txt"))
    assert redated["date"] == "2024-03-13"  # the command line sees it too, and says how
    assert tooltip(window, new_key).endswith(f"a.txt: {redated['date_note']}")
    assert window.status.note.text() == (
        f"The digest of {march_13.isoformat()} is now dated 2024-03-13"
    )


def test_a_digest_s_context_menu_offers_set_date(qtbot: QtBot, window: MainWindow) -> None:
    key = f"{DIGEST_PREFIX}{inferred(3, 15).isoformat()}"
    panel = window.tag_panel
    where = panel.visualRect(window.side.index(window.side.row_of(key))).center()
    event = QContextMenuEvent(
        QContextMenuEvent.Reason.Keyboard, where, panel.viewport().mapToGlobal(where)
    )
    QApplication.sendEvent(panel.viewport(), event)
    qtbot.waitUntil(
        lambda: window.digest_dates.menu is not None and window.digest_dates.menu.isVisible()
    )
    menu = window.digest_dates.menu
    assert menu.objectName() == "digestMenu"
    assert [a.text() for a in menu.actions()] == ["Set digest &date…"]
    menu.actions()[0].trigger()
    menu.close()
    dialog = open_dialog(qtbot, window, DigestDateDialog, "digestDateDialog")
    assert dialog.day() == inferred(3, 15)
    dialog.reject()
    assert digest_labels(window)[0].endswith(f"15 Mar {inferred(3, 15).year}")


def test_f2_elsewhere_in_the_panel_says_to_choose_a_digest_or_a_tag(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.paper_view.setFocus()
    choose_in_panel(qtbot, window, "starred")
    window.actions["set_digest_date"].trigger()
    assert (
        window.status.note.text() == "Choose a digest in the side panel first (Ctrl+1 goes there)."
    )
    assert window.digest_dates.dialog is None


def test_a_digest_without_a_date_line_is_shown_as_the_command_line_shows_it(
    qtbot: QtBot, collection: Collection, open_window: WindowFactory, tmp_path, data_dir
) -> None:
    undated = tmp_path / "undated.txt"
    undated.write_text(
        "\n\n".join(part for paper in PAPERS for part in paper) + "\n", encoding="utf-8"
    )
    summary = collection.import_paths([undated])
    assert not summary.refused
    listed = run_cli(data_dir, "digests", "--json")
    assert listed.returncode == 0, listed.stderr
    [digest] = json.loads(listed.stdout)
    today = date.today()
    assert digest["date"] == today.isoformat()  # dated the day it was imported
    window = open_window(collection)
    key = f"{DIGEST_PREFIX}{today.isoformat()}"
    assert digest_labels(window) == [f"{today:%a} {today.day} {today:%b %Y}"]
    assert tooltip(window, key).endswith(f"undated.txt: {digest['date_note']}")
    window.paper_view.setFocus()
    choose_in_panel(qtbot, window, key)
    window.actions["set_digest_date"].trigger()
    dialog = open_dialog(qtbot, window, DigestDateDialog, "digestDateDialog")
    assert dialog.how.text() == f"undated.txt: {digest['date_note']}"
    assert dialog.day() == today
    dialog.reject()
