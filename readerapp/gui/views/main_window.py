"""The main window: QMainWindow chrome (menus, status bar) around the Designer form.

The window wires the pieces together; the work is done by the controllers it holds:
``searcher`` (search as you type), ``commands`` (the Paper menu), ``imports`` (imports and the
index), ``exporter`` (Ctrl+E). Its public methods are the handlers the table of actions names.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QEvent, QItemSelection, QModelIndex, QSettings, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QLineEdit,
    QListView,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QWidget,
)

from readerapp.core.collection import Collection
from readerapp.core.for_you import TOO_FEW
from readerapp.core.library import Library
from readerapp.gui.actions import BROWSE, LIST, PANEL, READER, build_actions, build_menus
from readerapp.gui.controllers.digest_dates import DigestDates
from readerapp.gui.controllers.empty_list import EmptyList
from readerapp.gui.controllers.exporter import Exporter
from readerapp.gui.controllers.folder_watcher import FolderWatcher
from readerapp.gui.controllers.for_you import ForYouController
from readerapp.gui.controllers.import_controller import ImportController
from readerapp.gui.controllers.index_notice import announce_index_rebuild, rebuild_index
from readerapp.gui.controllers.library_watch import LibraryWatch
from readerapp.gui.controllers.menu_focus import MenuFocus
from readerapp.gui.controllers.navigation import Navigation, show_search
from readerapp.gui.controllers.paper_commands import PaperCommands
from readerapp.gui.controllers.place import PlaceKeeper
from readerapp.gui.controllers.related import RelatedPapers
from readerapp.gui.controllers.saved_searches import SavedSearchController
from readerapp.gui.controllers.search_controller import SearchController
from readerapp.gui.controllers.side_counts import SideCounts
from readerapp.gui.controllers.tag_keys import TagKeys
from readerapp.gui.controllers.tag_vocabulary import PanelActions, TagVocabulary
from readerapp.gui.controllers.triage import TriageController
from readerapp.gui.controllers.undo import UndoController
from readerapp.gui.controllers.window_title import WindowTitle
from readerapp.gui.dialogs.about import AboutDialog
from readerapp.gui.dialogs.cheat_sheet import CheatSheet
from readerapp.gui.dialogs.command_palette import CommandPalette, gather
from readerapp.gui.dialogs.trends import Trends
from readerapp.gui.forms import child, load_form
from readerapp.gui.models.paper_model import PaperModel
from readerapp.gui.models.side_model import ALL_KEY, SideEntry, SideModel
from readerapp.gui.search import SearchOutcome
from readerapp.gui.settings import GuiState
from readerapp.gui.sizing import default_geometry, keep_on_screen
from readerapp.gui.style import app_icon, follow_palette
from readerapp.gui.tag_colours import TagColours
from readerapp.gui.tasks import TaskManager
from readerapp.gui.views.paper_delegate import PaperDelegate
from readerapp.gui.views.paper_html import message_html, paper_html
from readerapp.gui.views.paper_table import PaperTable
from readerapp.gui.views.preview import SafeBrowser
from readerapp.gui.views.side_panel import SidePanelDelegate, fit_side_panel
from readerapp.gui.views.status_area import StatusArea

DEFAULT_SIZE = (1280, 800)
WELCOME_ICON = 96
SIDE_BATCH = 200  # side-panel rows laid out per turn of the event loop


class MainWindow(QMainWindow):
    """The reading-list window over one collection."""

    def __init__(self, collection: Collection, settings: QSettings) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle("readerapp")
        self.setAccessibleName("readerapp")
        self.setWindowIcon(app_icon())
        self.state = GuiState(settings, collection.data_dir)
        self.library = Library.in_dir(collection.data_dir)  # this thread's reads
        self.tasks = TaskManager(collection, self)
        self._closed = False
        self._preview_held = False
        self._too_few = False  # For you listed nothing: too few papers to learn from yet
        self._palette_key = QApplication.palette().cacheKey()
        self._build_form()
        self.status = StatusArea(self.statusBar())
        self.side_counts = SideCounts(
            self.tasks, self.library, self.side, self.show_side_entries, self
        )
        # why nothing is listed, and what Enter does then
        self.empty_list = EmptyList(self.paper_view, self.side, self.tag_panel, self.tasks, self)
        self.searcher = SearchController(
            self.search_edit, self.findChild(QLabel, "queryProblem"), self.table, self.library,
            self.tasks, self.status, self.preview_held, self.empty_list.take_offer, self,
        )  # fmt: skip
        self.searcher.results_shown.connect(self._results_shown)
        self.searcher.results_shown.connect(self.empty_list.results_shown)
        self.empty_list.suggestion_taken.connect(self.searcher.choose_suggestion)
        self.navigation = Navigation(self.side, self.tag_panel, self.searcher)
        self.place = PlaceKeeper(self.state, self.searcher, self.table)  # from the last run
        self.window_title = WindowTitle(
            self, self.searcher.results_shown, self.search_edit, self.tag_panel
        )
        self.undo = UndoController(self.tasks, self)  # Ctrl+Z and Ctrl+Shift+Z of the Paper menu
        self.undo.papers_changed.connect(self.papers_changed)
        self.commands = PaperCommands(
            self.tasks, self.status, self.library, self.table, self.undo, self.state,
            self.open_dialog, self.is_reading, self,
        )  # fmt: skip
        self.commands.papers_changed.connect(self.papers_changed)
        self.imports = ImportController(
            self.tasks, self.status, self.open_dialog, self, library=self.library
        )
        self.imports.library_changed.connect(lambda words: self.library_changed(words_too=words))
        self.imports.index_ready.connect(self.index_ready)
        self.exporter = Exporter(
            self.tasks, self.status, self.library, self.table, self.state, self.open_dialog, self
        )
        self.cheat_sheet: CheatSheet | None = None
        self.related = RelatedPapers(  # in the preview, and m
            self.tasks, self.status, self.table, self.navigation, self.preview,
            lambda: self.show_current(again=True), self,
        )  # fmt: skip
        self.command_palette = CommandPalette(lambda: gather(self), self)  # Ctrl+K
        self.trends = Trends(  # Ctrl+Shift+T
            self.tasks, self.status, self.library, self.navigation, self.focus_list, self
        )
        self.triage = TriageController(self.tasks, self.status, self.side, self.tag_panel, self)
        self.triage.library_changed.connect(self.library_changed)
        self.for_you = ForYouController(  # the side panel's For you, x, the preview's reason
            tasks=self.tasks, status=self.status, searcher=self.searcher, undo=self.undo,
            table=self.table, side=self.side, side_view=self.tag_panel,
            show_search=lambda text, key: show_search(self.navigation, text, key=key),
            digests=self.triage, open_dialog=self.open_dialog, parent=self,
        )  # fmt: skip
        self.empty_list.star_or_skip_taken.connect(self.for_you.star_or_skip)
        self.saved_searches = SavedSearchController(
            self.tasks, self.status, self.library, self.side, self.tag_panel, self.search_edit,
            lambda: self.searcher.request().query, self.open_dialog, self,
        )  # fmt: skip
        self.saved_searches.papers_changed.connect(self.papers_changed)
        self.vocabulary = TagVocabulary(
            self.tasks, self.status, self.library, self.side, self.tag_panel, self.undo,
            self.state, self.open_dialog, self,
        )  # fmt: skip
        self.vocabulary.papers_changed.connect(self.papers_changed)
        self.digest_dates = DigestDates(
            self.tasks, self.status, self.tag_panel, self.library, self.state,
            self.library_changed, self.open_dialog, self,
        )  # fmt: skip
        self.tag_keys = TagKeys(
            self.status, self.library, self.table, self.undo, self.tag_colours, self
        )
        # digests saved into watched folders
        self.folders = FolderWatcher(self.tasks, self.status, self.library, self.open_dialog, self)
        self.folders.library_changed.connect(self.library_changed)
        # changes made by other processes
        self.library_watch = LibraryWatch(self.tasks, self.status, self.library, self)
        self.library_watch.library_changed.connect(self.library_changed)
        self._build_actions()
        self._connect()
        self._restore_state()
        self._first_list()

    # --- building --------------------------------------------------------------------------

    def _build_form(self) -> None:
        form = load_form("main_window.ui", self)
        self.setCentralWidget(form)
        self.search_edit = child(form, QLineEdit, "searchEdit")
        self.pages = child(form, QStackedWidget, "pages")
        self.welcome = child(form, QWidget, "welcomeView")
        self.browser_page = child(form, QWidget, "browserPage")
        self.main_splitter = child(form, QSplitter, "mainSplitter")
        self.reader_splitter = child(form, QSplitter, "readerSplitter")
        self.tag_panel = child(form, QListView, "tagPanel")
        self.paper_view = child(form, QTableView, "paperView")
        self.preview = child(form, SafeBrowser, "preview")
        self.welcome_import = child(form, QPushButton, "welcomeImport")
        self.welcome_sample = child(form, QPushButton, "welcomeSample")
        child(form, QLabel, "welcomeIcon").setPixmap(self.windowIcon().pixmap(WELCOME_ICON))
        self.papers = PaperModel(self.library, self)
        self.table = PaperTable(self.paper_view, self.papers)
        self.side = SideModel(self)
        self.tag_panel.setModel(self.side)
        self.tag_panel.setItemDelegate(SidePanelDelegate(self.tag_panel))
        fit_side_panel(self.tag_panel)
        # Years of digests make a long panel: lay it out a batch at a time between events
        # (in one go it holds the GUI thread; see docs/performance.md).
        self.tag_panel.setLayoutMode(QListView.LayoutMode.Batched)
        self.tag_panel.setBatchSize(SIDE_BATCH)
        self.tag_colours = TagColours(self.library, self)
        self.side.refreshed.connect(self.tag_colours.refresh)
        delegate = PaperDelegate(self.papers, self.tag_colours, self.paper_view)
        self.paper_view.setItemDelegate(delegate)
        for widget in (self.search_edit, self.paper_view, self.tag_panel):
            widget.setAcceptDrops(False)
        self.setAcceptDrops(True)

    def _build_actions(self) -> None:
        scopes = {
            BROWSE: (self.tag_panel, self.paper_view, self.preview),
            READER: (self.paper_view, self.preview),
            LIST: (self.paper_view,),
            PANEL: (self.tag_panel,),
        }
        checked = {
            "preview_below": self.state.preview_below,
            "auto_reading": self.state.auto_mark_reading,
        }
        self.actions = build_actions(self, scopes, checked)
        build_menus(self.menuBar(), self.actions)
        self.menu_focus = MenuFocus(self.menuBar())  # Esc out of a menu: keys 1-9 work on
        self.undo.attach(self.actions["undo"], self.actions["redo"])
        self.digest_dates.attach(self.actions["set_digest_date"])
        self.folders.attach(self.actions["auto_reading"])
        actions = self.actions
        self.vocabulary.attach(
            PanelActions(
                actions["rename_tag"], actions["like_tag"], actions["delete_tag"],
                actions["set_digest_date"],
            )
        )  # fmt: skip

    def _connect(self) -> None:
        selection = self.paper_view.selectionModel()
        selection.currentRowChanged.connect(self._current_changed)
        selection.selectionChanged.connect(self._selection_changed)
        self.tag_panel.selectionModel().currentChanged.connect(self._filter_chosen)
        header = self.paper_view.horizontalHeader()
        header.sortIndicatorChanged.connect(self._sort_changed)
        self.status.suggestion_chosen.connect(self.searcher.choose_suggestion)
        self.status.cancel_requested.connect(self._cancel_task)
        self.tasks.long_started.connect(self.status.task.setText)
        self.tasks.long_progress.connect(self.status.set_progress)
        self.tasks.long_finished.connect(self._long_finished)
        self.tasks.failed.connect(self._show_failure)
        self.welcome_import.clicked.connect(self.imports.choose_files)
        self.welcome_sample.clicked.connect(self.imports.import_sample)
        self.preview.installEventFilter(self)
        self.preview.link_failed.connect(self.commands.link_not_opened)

    # --- state kept between runs -----------------------------------------------------------

    def _restore_state(self) -> None:
        available = self.screen().availableGeometry()
        self.setGeometry(default_geometry(DEFAULT_SIZE, self.minimumSizeHint(), available))
        self.main_splitter.setSizes([200, self.width() - 200])
        self.reader_splitter.setSizes([680, 400])
        for key, restore in (
            ("window/geometry", self.restoreGeometry),
            ("window/mainSplitter", self.main_splitter.restoreState),
            ("window/readerSplitter", self.reader_splitter.restoreState),
            ("window/header", self.paper_view.horizontalHeader().restoreState),
        ):
            blob = self.state.blob(key)
            if blob is not None:
                restore(blob)
        keep_on_screen(self)  # last placed on a screen bigger than this one, or gone
        self.set_preview_below(self.state.preview_below)

    def _save_state(self) -> None:
        self.state.set_blob("window/geometry", self.saveGeometry())
        self.state.set_blob("window/mainSplitter", self.main_splitter.saveState())
        self.state.set_blob("window/readerSplitter", self.reader_splitter.saveState())
        self.state.set_blob("window/header", self.paper_view.horizontalHeader().saveState())
        self.place.save()
        self.state.sync()

    def _first_list(self) -> None:
        """Fill the list from SQLite at once; the index is opened later, on the worker, and
        the side panel's counts come from the reader thread."""
        self.side_counts.first_entries()
        header = self.paper_view.horizontalHeader()
        descending = header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
        self.searcher.set_sort(header.sortIndicatorSection(), descending, run=False)
        selection = self.tag_panel.selectionModel()
        selection.blockSignals(True)
        self._select_filter(self.state.last_filter)
        selection.blockSignals(False)
        self._use_filter(self.tag_panel.currentIndex(), run=False)
        self.place.first_list()
        self.update_page()
        self.side_counts.refresh()

    def start(self, paths: Sequence[Path] = ()) -> None:
        """After the window shows: back up the library (once a day), catch the index up, then
        import what the command line gave. All of it on the worker."""
        self.place.window_shown()
        self.triage.start_session()
        self.tasks.run(lambda collection: collection.daily_backup())
        announce_index_rebuild(self.tasks, self.status)
        self.imports.index_at_start()
        self.library_watch.start()
        self.folders.start()
        self.imports.fetch_at_start()  # only when the user turned it on in Preferences
        if paths:
            self.imports.import_paths(paths)

    # --- what the pieces tell the window ---------------------------------------------------

    def show_current(self, *, again: bool = False) -> None:
        """Show the current paper in the preview (or say why there is none).

        ``again`` redraws the same paper after a change, where the reader had scrolled to.
        """
        row = self.table.current_row()
        paper = self.papers.paper(row) if row >= 0 else None
        if paper is not None:
            html = paper_html(paper, self.searcher.terms, self.tag_colours.colours)
            html += self.for_you.html(paper.id) + self.related.html(paper.id)
        elif self.papers.total() == 0 and self._too_few:
            html = message_html("No suggestions yet", f"{TOO_FEW}.")
        elif self.papers.total() == 0:
            html = message_html("No papers", "Nothing matches this search.")
        else:
            html = message_html("No paper selected")
        bar = self.preview.verticalScrollBar()
        position = bar.value()
        self.preview.show_html(html)
        if again:
            bar.setValue(position)
        else:
            self.commands.paper_shown(paper.id if paper else None)
            self.related.paper_shown(paper.id if paper else None)

    @contextmanager
    def preview_held(self) -> Iterator[None]:
        """Inside the block the current paper may change without the preview following it;
        the caller shows the current paper once at the end (a search's results move the
        current row two or three times, and each preview costs a page layout)."""
        self._preview_held = True
        try:
            yield
        finally:
            self._preview_held = False

    def _results_shown(self, outcome: SearchOutcome) -> None:
        """A search's results are listed: the preview and the counts follow."""
        self._too_few = outcome.too_few
        self.show_current()
        self.show_counts()

    def show_counts(self) -> None:
        selected = len(self.paper_view.selectionModel().selectedRows())
        total, unindexed = self.library.count(), self.searcher.unindexed
        self.status.show_counts(self.papers.total(), total, selected, unindexed)

    def papers_changed(self, ids: Sequence[str], message: str = "") -> None:
        """The worker changed ``ids``: repaint them, count again."""
        self.papers.refresh(ids)
        self.side_counts.refresh()
        if self.table.current_id() in ids:
            self.show_current(again=True)
        if message:
            self.status.message(message)

    def library_changed(self, *, words_too: bool = True) -> None:
        """An import changed the library: search again (not for words, unless ``words_too``:
        while an import runs, its papers are not in the index yet), count again. The list is
        asked for first: both are read on the reader thread, and on a large library the counts
        take long enough during an import for the new papers' rows to wait visibly behind them
        (see docs/performance.md)."""
        self.papers.forget_all()
        self.update_page()
        if words_too or not self.searcher.request().has_words():
            self.searcher.run()
        self.side_counts.refresh()

    def show_side_entries(self, entries: list[SideEntry]) -> None:
        """The side panel counted again (see `SideCounts`); the filter chosen stays chosen."""
        self.side.set_entries(entries)
        self._reselect_filter()

    def index_ready(self) -> None:
        if self.searcher.request().has_words():
            self.searcher.run()

    def open_dialog(self, dialog: QDialog) -> None:
        """Open ``dialog`` window-modal; when it closes, this window is active again (a window
        manager would see to it, but not every session has one)."""
        dialog.finished.connect(self._reactivate)
        dialog.open()

    def _reactivate(self) -> None:
        if self.isVisible():
            self.activateWindow()

    def update_page(self) -> None:
        """The welcome view on an empty library, the list otherwise."""
        empty = self.library.count() == 0
        was_empty = self.pages.currentWidget() is self.welcome
        self.pages.setCurrentWidget(self.welcome if empty else self.browser_page)
        if empty:
            self.welcome_import.setFocus()
        elif was_empty or self.focusWidget() is None:
            self.paper_view.setFocus()

    def is_reading(self) -> bool:
        """True while the user is in the list or the preview of an active window."""
        focus = QApplication.focusWidget()
        return self.isActiveWindow() and focus in (self.paper_view, self.preview)

    # --- side panel and header -------------------------------------------------------------

    def _select_filter(self, key: str) -> None:
        row = self.side.row_of(key)
        if row is None:
            row = self.side.row_of(ALL_KEY)
        self.tag_panel.setCurrentIndex(self.side.index(row))

    def _reselect_filter(self) -> None:
        if not self.tag_panel.currentIndex().isValid():
            self._select_filter(self.state.last_filter)

    def _filter_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._use_filter(current, run=True)

    def _use_filter(self, index: QModelIndex, *, run: bool) -> None:
        entry = self.side.entry(index.row()) if index.isValid() else None
        if entry is None:
            return
        self.state.last_filter = entry.key
        self.status.show_filter("" if entry.key == ALL_KEY else entry.label)
        self.for_you.use_entry(entry.key, run=run)
        self.searcher.set_filter(entry.fragment, run=run)

    def _sort_changed(self, column: int, order: Qt.SortOrder) -> None:
        self.searcher.set_sort(column, order == Qt.SortOrder.DescendingOrder)

    def _current_changed(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        if not self._preview_held:
            self.show_current()

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self.show_counts()

    # --- long tasks ------------------------------------------------------------------------

    def _cancel_task(self) -> None:
        self.status.cancelling()
        self.tasks.cancel()

    def _long_finished(self) -> None:
        if not self.tasks.busy_long:
            self.status.end_task()

    def _show_failure(self, message: str) -> None:
        self.status.message(message, 15000)
        box = QMessageBox(QMessageBox.Icon.Warning, "readerapp", message, parent=self)
        box.setObjectName("failureMessage")
        self.open_dialog(box)

    # --- handlers named in the table of actions --------------------------------------------

    def open_export(self) -> None:
        self.exporter.open_dialog()

    def rebuild_index(self) -> None:
        rebuild_index(self.tasks, self.status, self.index_ready)

    def go_next(self) -> None:
        self.table.move(1)

    def go_previous(self) -> None:
        self.table.move(-1)

    def focus_preview(self) -> None:
        self.preview.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def focus_filters(self) -> None:
        self.tag_panel.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def focus_list(self) -> None:
        if self.table.current_row() < 0:
            self.table.select_row(0)
        self.paper_view.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def set_preview_below(self, below: bool) -> None:
        self.state.preview_below = below
        vertical, horizontal = Qt.Orientation.Vertical, Qt.Orientation.Horizontal
        self.reader_splitter.setOrientation(vertical if below else horizontal)

    def open_cheat_sheet(self) -> None:
        if self.cheat_sheet is None:
            self.cheat_sheet = CheatSheet(self)
            self.cheat_sheet.finished.connect(self._reactivate)
        self.cheat_sheet.show()
        self.cheat_sheet.raise_()
        self.cheat_sheet.activateWindow()

    def open_about(self) -> None:
        self.open_dialog(AboutDialog(self.library.path.parent, self))

    # --- Qt events -------------------------------------------------------------------------

    def eventFilter(self, watched: object, event: QEvent) -> bool:
        """Esc in the preview goes back to the list."""
        if (
            watched is self.preview
            and event.type() == QEvent.Type.KeyPress
            and event.key() == Qt.Key.Key_Escape
        ):
            self.focus_list()
            return True
        return False

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.imports.can_import(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        if self.imports.import_dropped(event.mimeData()):
            event.acceptProposedAction()

    def changeEvent(self, event: QEvent) -> None:
        """Light to dark and back: style sheets and colours are resolved again."""
        palette_changes = (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange)
        key = QApplication.palette().cacheKey()
        if event.type() in palette_changes and key != self._palette_key:
            self._palette_key = key
            QTimer.singleShot(0, self._follow_palette)  # once the change has spread
        super().changeEvent(event)

    def _follow_palette(self) -> None:
        follow_palette(QApplication.instance())
        self.preview.restyle()
        self.papers.forget_all()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._closed:
            self._closed = True
            self.commands.window_closing()
            self._save_state()
            self.tasks.shutdown()
            self.library.close()
        event.accept()
