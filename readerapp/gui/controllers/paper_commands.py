"""What the keys do to the selected papers: star, tags, note, read state, open a link.

Every change applies to the whole selection, is written by the worker at once, and shows in
the list and the preview as soon as it is written. Changes go through the undo stack
(`readerapp.gui.controllers.undo`), so Ctrl+Z takes them back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QWidget

from readerapp.core.citations import arxiv_pdf_url, arxiv_url
from readerapp.core.collection import Collection
from readerapp.core.library import Library
from readerapp.core.links import is_openable
from readerapp.core.models import Paper, ReadState
from readerapp.gui.controllers.undo import (
    UndoController,
    note_command,
    read_state_command,
    star_command,
    tags_command,
)
from readerapp.gui.dialogs.note_editor import NoteDialog
from readerapp.gui.dialogs.tag_editor import TagChange, TagDialog
from readerapp.gui.settings import GuiState
from readerapp.gui.tasks import TaskManager
from readerapp.gui.views.paper_table import PaperTable
from readerapp.gui.views.preview import open_external
from readerapp.gui.views.status_area import StatusArea

READING_DELAY_MS = 3000
READING_NOTE = (
    "Marked “Reading”: the paper was shown for 3 seconds (Preferences, Ctrl+, turns this off)"
)
LINK_NOTE_MS = 15000  # long enough to read, and to go and paste the link


def _subject(what: str, papers: Sequence[Paper]) -> str:
    if len(papers) == 1:
        return f"{what} of “{papers[0].title}”"
    return f"{what} of the {len(papers)} selected papers"


class PaperCommands(QObject):
    """The commands of the Paper menu, on the selection of the paper list ``table``.

    Changes go on ``undo``; the one change made outside it (a paper shown for a while is
    marked "Reading", which is not undoable) is written on the worker of ``tasks`` and then
    announced by `papers_changed` (ids, message). ``is_reading`` tells whether the user is in
    the list or the preview of the active window; dialogs open with ``open_dialog`` over
    ``parent``.
    """

    papers_changed = Signal(list, str)

    def __init__(
        self,
        tasks: TaskManager,
        status: StatusArea,
        library: Library,
        table: PaperTable,
        undo: UndoController,
        state: GuiState,
        open_dialog: Callable[[QDialog], None],
        is_reading: Callable[[], bool],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._tasks, self._status, self._library, self._table = tasks, status, library, table
        self._undo, self._state, self._open_dialog = undo, state, open_dialog
        self._is_reading, self._parent = is_reading, parent
        self.note_dialog: NoteDialog | None = None
        self.tag_dialog: TagDialog | None = None
        self.reading_timer = QTimer(self)
        self.reading_timer.setSingleShot(True)
        self.reading_timer.setInterval(READING_DELAY_MS)
        self.reading_timer.timeout.connect(self._mark_reading)
        self._shown_id: str | None = None
        self._reading_told = False  # the note on the reading timer, once a session

    def _selection(self) -> list[Paper]:
        return self._library.papers(self._table.selected_ids())

    def _write(self, job: Callable[[Collection], object], ids: Sequence[str], message: str) -> None:
        ids = list(ids)
        self._tasks.run(job, lambda _: self.papers_changed.emit(ids, message))

    # --- star and read state ---------------------------------------------------------------

    def toggle_star(self) -> None:
        papers = self._selection()
        if not papers:
            return
        star = not all(p.starred for p in papers)
        self._undo.push(star_command([p.id for p in papers], star))

    def toggle_read(self) -> None:
        papers = self._selection()
        if not papers:
            return
        all_read = all(p.read_state == ReadState.READ for p in papers)
        state = ReadState.UNREAD if all_read else ReadState.READ
        self._undo.push(read_state_command([p.id for p in papers], state))

    # --- tags and notes --------------------------------------------------------------------

    def edit_tags(self) -> None:
        papers = self._selection()
        if not papers:
            return
        all_tags = [tag for tag, _ in self._library.tags.counts()]
        dialog = TagDialog(
            [p.tags for p in papers], all_tags, _subject("Tags", papers), self._parent
        )
        ids = [p.id for p in papers]
        dialog.accepted.connect(lambda: self._apply_tags(ids, dialog.change()))
        self.tag_dialog = dialog
        self._open_dialog(dialog)

    def _apply_tags(self, ids: list[str], change: TagChange) -> None:
        if not change.is_empty():
            self._undo.push(tags_command(ids, change.add, change.remove))

    def edit_note(self) -> None:
        papers = self._selection()
        if not papers:
            return
        ids = [p.id for p in papers]
        current = self._table.current_id()
        note = next((p.note for p in papers if p.id == current), papers[0].note)
        subject = _subject("Note", papers)
        if len({p.note for p in papers}) > 1:
            subject += " (their notes differ; saving gives each this one)"
        self.note_dialog = NoteDialog(
            note, subject, lambda text: self._save_note(ids, text), self._parent
        )
        self._open_dialog(self.note_dialog)

    def _save_note(self, ids: list[str], text: str) -> None:
        self._undo.push(note_command(ids, text))

    def window_closing(self) -> None:
        """The window is closing: close an open note editor, which saves it, and stop the
        reading timer (the library it would read is closed next)."""
        self.reading_timer.stop()
        if self.note_dialog is not None and self.note_dialog.isVisible():
            self.note_dialog.close()

    # --- links and the reading timer -------------------------------------------------------

    def open_first_link(self) -> None:
        """The paper's code if it has any, else its arXiv page, else its first link."""
        paper = self._current_paper()
        links = paper.ordered_links if paper else []
        if paper and paper.arxiv_id and not paper.has_code:
            links = [arxiv_url(paper.arxiv_id), *links]
        if not links:
            self._status.message("This paper has no link.")
            return
        self.open_link(links[0])

    def open_pdf(self) -> None:
        paper = self._current_paper()
        if paper is None or not paper.arxiv_id:
            self._status.message("This paper has no arXiv id, so no PDF to open.")
            return
        self.open_link(arxiv_pdf_url(paper.arxiv_id))

    def _current_paper(self) -> Paper | None:
        row = self._table.current_row()
        return self._table.model.paper(row) if row >= 0 else None

    def open_link(self, link: str) -> None:
        """Open ``link`` in the web browser; when nothing opens it, say so, and copy it for
        the user to paste where they like."""
        if open_external(link):
            self._status.message(f"Opened {link}")
        else:
            self.link_not_opened(link)

    def link_not_opened(self, link: str) -> None:
        """``link`` did not open: a web or mail link is copied to the clipboard instead."""
        if not is_openable(link):
            self._status.message("Only web and mail links are opened.")
            return
        QGuiApplication.clipboard().setText(link)
        self._status.message("No web browser found; the link was copied", LINK_NOTE_MS)

    def set_auto_reading(self, on: bool) -> None:
        self._state.auto_mark_reading = on
        if not on:
            self.reading_timer.stop()

    def paper_shown(self, paper_id: str | None) -> None:
        """The preview now shows ``paper_id``: after a while it counts as being read."""
        self._shown_id = paper_id
        if paper_id and self._state.auto_mark_reading:
            self.reading_timer.start()
        else:
            self.reading_timer.stop()

    def _mark_reading(self) -> None:
        pid = self._shown_id
        if pid is None or pid != self._table.current_id() or not self._is_reading():
            return
        papers = self._library.papers([pid])
        if papers and papers[0].read_state == ReadState.UNREAD:
            note = "" if self._reading_told else READING_NOTE
            self._reading_told = True
            self._write(lambda c: c.library.set_read_state([pid], ReadState.READING), [pid], note)
