"""File > Fetch Daily Papers… against a local stand-in of the service; the authors in the
preview, o and Shift+O, and citations from the export dialog."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from pytestqt.qtbot import QtBot

from readerapp.core.collection import Collection
from readerapp.core.daily_papers import AT_START_SETTING, LAST_AT_START_SETTING
from readerapp.gui.views.main_window import MainWindow
from tests.daily_papers_server import Answer, DailyPapersServer, item
from tests.gui.conftest import WindowFactory, activate, select_title, titles

DAY = date(2026, 3, 16)
GRAPH = "Transformers as Graph Networks"
ITEMS = [
    item("2603.00001", GRAPH, "Message passing.", ["Petar Veličković", "Ada Lovelace"]),
    item("2603.00002", "A Fetched Paper", "Only the service has it.", ["Alan Turing"]),
]  # fmt: skip


def fetched(qtbot: QtBot, window: MainWindow, server: DailyPapersServer) -> None:
    server.serve(DAY.isoformat(), ITEMS)
    window.actions["fetch_daily_papers"].trigger()
    dialog = window.imports.fetch_dialog
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.day() == date.today()
    dialog.day_edit.setDate(QDate(DAY.year, DAY.month, DAY.day))
    dialog.accept()
    qtbot.waitUntil(lambda: window.imports.summary_dialog is not None, timeout=30_000)
    qtbot.waitUntil(lambda: not window.tasks.busy_long)


def test_the_menu_fetches_a_day_and_the_preview_lists_the_authors(
    qtbot: QtBot, window: MainWindow, daily_papers: DailyPapersServer
) -> None:
    graph = next(p.id for p in window.library.papers(window.library.filter_ids())
                 if p.title == GRAPH)  # fmt: skip
    window.library.set_starred([graph], True)
    fetched(qtbot, window, daily_papers)
    headline = window.imports.summary_dialog.headline.text()
    assert headline == "Imported 1 digest: 1 paper added, 1 seen again."
    qtbot.waitUntil(lambda: "A Fetched Paper" in titles(window))
    assert window.library.get(graph).starred
    assert window.library.get(graph).authors == ["Petar Veličković", "Ada Lovelace"]
    select_title(qtbot, window, GRAPH)
    qtbot.waitUntil(lambda: "Petar Veličković, Ada Lovelace" in window.preview.toPlainText())
    assert "2603.00001" in window.preview.toPlainText()


def test_the_dialog_fetches_every_day_missing_since_the_last_fetch(
    qtbot: QtBot, window: MainWindow, daily_papers: DailyPapersServer
) -> None:
    today = date.today()
    before, yesterday = today - timedelta(days=2), today - timedelta(days=1)
    window.imports.fetch_day(before)  # the last fetch: an empty day two days ago
    qtbot.waitUntil(lambda: window.imports.summary_dialog is not None, timeout=30_000)
    qtbot.waitUntil(lambda: not window.tasks.busy_long)
    window.imports.summary_dialog.accept()
    daily_papers.serve(yesterday.isoformat(), ITEMS[:1])
    daily_papers.serve(today.isoformat(), ITEMS[1:])
    window.actions["fetch_daily_papers"].trigger()
    dialog = window.imports.fetch_dialog
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.since_last.text() == (
        f"&Every missing day since the last fetch (2 days: {yesterday} to {today})"
    )
    dialog.since_last.click()
    assert not dialog.day_edit.isEnabled()
    dialog.accept()
    qtbot.waitUntil(lambda: window.imports.summary_dialog.isVisible(), timeout=30_000)
    qtbot.waitUntil(lambda: not window.tasks.busy_long)
    headline = window.imports.summary_dialog.headline.text()
    assert headline == "Imported 2 digests: 1 paper added, 1 seen again."
    qtbot.waitUntil(lambda: {GRAPH, "A Fetched Paper"} <= set(titles(window)))
    asked = [path.rsplit("=", 1)[1] for path, _headers in daily_papers.requests]
    assert asked == [before.isoformat(), yesterday.isoformat(), today.isoformat()]


def test_o_opens_the_arxiv_page_without_code_and_shift_o_the_pdf(
    qtbot: QtBot, window: MainWindow, daily_papers: DailyPapersServer, opened_urls: list[str]
) -> None:
    fetched(qtbot, window, daily_papers)
    window.imports.summary_dialog.accept()
    select_title(qtbot, window, GRAPH)
    qtbot.keyClick(window.paper_view, "o")
    qtbot.keyClick(window.paper_view, "O", Qt.KeyboardModifier.ShiftModifier)
    assert opened_urls == ["https://arxiv.org/abs/2603.00001", "https://arxiv.org/pdf/2603.00001"]
    select_title(qtbot, window, "Diffusion Models Beat GANs on Image Synthesis")
    qtbot.keyClick(window.paper_view, "o")
    assert opened_urls[-1] == "https://github.com/example/guided"  # code first
    qtbot.keyClick(window.paper_view, "O", Qt.KeyboardModifier.ShiftModifier)
    assert window.status.note.text() == "This paper has no arXiv id, so no PDF to open."


def test_a_failed_fetch_says_so_and_changes_nothing(
    qtbot: QtBot, window: MainWindow, daily_papers: DailyPapersServer
) -> None:
    before = titles(window)
    daily_papers.serve(DAY.isoformat(), Answer(b"oops", status=500))
    window.imports.fetch_day(DAY)
    qtbot.waitUntil(lambda: not window.tasks.busy_long, timeout=30_000)
    qtbot.waitUntil(lambda: "HTTP 500" in window.status.note.text())
    assert "nothing was imported" in window.status.note.text()
    assert titles(window) == before


def test_the_export_dialog_writes_bibtex(
    qtbot: QtBot, window: MainWindow, daily_papers: DailyPapersServer, tmp_path: Path
) -> None:
    fetched(qtbot, window, daily_papers)
    window.imports.summary_dialog.accept()
    activate(qtbot, window)
    window.open_export()
    dialog = window.exporter.dialog
    qtbot.waitUntil(dialog.isVisible)
    dialog.format.setCurrentIndex(dialog.format.findData("bibtex"))
    assert dialog.path.text().endswith(".bib") and not dialog.vault.isEnabled()
    target = tmp_path / "refs.bib"
    dialog.path.setText(str(target))
    dialog.accept()
    qtbot.waitUntil(target.exists)
    text = target.read_text(encoding="utf-8")
    assert "eprint = {2603.00001}" in text and "author = {Turing, Alan}" in text


def test_a_rate_limit_is_said_in_the_status_bar_and_waited_out(
    qtbot: QtBot, window: MainWindow, daily_papers: DailyPapersServer
) -> None:
    daily_papers.serve(DAY.isoformat(), Answer(b"", 429, {"Retry-After": "0"}), ITEMS)
    notes: list[str] = []
    window.imports.fetch_note.connect(notes.append)
    window.imports.fetch_day(DAY)
    qtbot.waitUntil(lambda: window.imports.summary_dialog is not None, timeout=30_000)
    assert notes == [
        "the Daily Papers service asked to slow down (HTTP 429); trying 2026-03-16 again in 0 s"
    ]
    qtbot.waitUntil(lambda: "A Fetched Paper" in titles(window))


def test_the_window_never_fetches_unless_asked(
    qtbot: QtBot, filled: Collection, open_window: WindowFactory, daily_papers: DailyPapersServer
) -> None:
    window = open_window(filled)
    qtbot.waitUntil(lambda: not window.tasks.busy_long)
    assert daily_papers.requests == []


def test_the_fetch_at_start_runs_once_a_day_when_turned_on_in_preferences(
    qtbot: QtBot, filled: Collection, open_window: WindowFactory, daily_papers: DailyPapersServer
) -> None:
    today = date.today().isoformat()
    daily_papers.serve(today, ITEMS)
    window = open_window(filled)
    window.folders.open_preferences()
    dialog = window.folders.preferences
    qtbot.waitUntil(dialog.isVisible)
    assert not dialog.fetch_at_start.isChecked()
    dialog.fetch_at_start.setChecked(True)
    dialog.accept()
    qtbot.waitUntil(lambda: window.library.settings.get(AT_START_SETTING) == "1")
    window.imports.fetch_at_start()
    qtbot.waitUntil(lambda: window.status.note.text().startswith("Daily Papers: Imported 1"))
    qtbot.waitUntil(lambda: "A Fetched Paper" in titles(window))
    assert window.library.settings.get(LAST_AT_START_SETTING) == today
    qtbot.waitUntil(lambda: not window.tasks.busy_long)
    window.imports.fetch_at_start()  # a second start the same day
    qtbot.waitUntil(lambda: not window.tasks.busy_long)
    assert len(daily_papers.requests) == 1


def test_a_failed_fetch_at_start_is_a_status_line(
    qtbot: QtBot, filled: Collection, open_window: WindowFactory, daily_papers: DailyPapersServer
) -> None:
    filled.library.settings.set(AT_START_SETTING, "1")
    daily_papers.serve(date.today().isoformat(), Answer(b"", status=503))
    window = open_window(filled)
    qtbot.waitUntil(lambda: "HTTP 503" in window.status.note.text())
    assert window.status.note.text().startswith("Today's Daily Papers were not fetched:")
    assert window.library.settings.get(LAST_AT_START_SETTING) is None
