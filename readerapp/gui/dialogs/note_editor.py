"""The note editor: Markdown on the left, its rendering on the right, live.

Saving is explicit (Save, Ctrl+S) or happens on leaving: every way out of the dialog (Esc,
Close, the window's close button, the main window closing) saves a changed note first.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QWidget,
)

from readerapp.gui.forms import child, embed_form
from readerapp.gui.views.paper_html import note_html
from readerapp.gui.views.preview import SafeBrowser

HINT = "Markdown. Ctrl+S saves; Esc saves and closes."
PREVIEW_DELAY_MS = 120


class NoteDialog(QDialog):
    """Edit one note, saved through ``save(text)``."""

    def __init__(
        self, note: str, subject: str, save: Callable[[str], None], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("noteDialog")
        self.setWindowTitle("Note — readerapp")
        self.setAccessibleName("Note")
        self._save = save
        self._saved_text = note
        form = embed_form("note_editor.ui", self)
        child(form, QLabel, "noteTitle").setText(subject)
        self.editor = child(form, QPlainTextEdit, "noteEditor")
        self.preview = child(form, SafeBrowser, "notePreview")
        self.status = child(form, QLabel, "noteStatus")
        child(form, QSplitter, "noteSplitter").setSizes([1, 1])
        self._wire(child(form, QDialogButtonBox, "noteButtons"))
        self.editor.setPlainText(note)
        self._render()
        self.editor.moveCursor(self.editor.textCursor().MoveOperation.End)
        self.editor.setFocus()
        self.resize(900, 540)

    def _wire(self, buttons: QDialogButtonBox) -> None:
        buttons.button(QDialogButtonBox.StandardButton.Save).clicked.connect(self.save)
        buttons.rejected.connect(self.reject)
        save_key = QAction("Save the note", self)
        save_key.setShortcut(QKeySequence(QKeySequence.StandardKey.Save))
        save_key.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        save_key.triggered.connect(self.save)
        self.addAction(save_key)
        self._render_timer = QTimer(self)
        self._render_timer.setSingleShot(True)
        self._render_timer.setInterval(PREVIEW_DELAY_MS)
        self._render_timer.timeout.connect(self._render)
        self.editor.textChanged.connect(self._render_timer.start)
        self.editor.textChanged.connect(self._show_state)

    def text(self) -> str:
        return self.editor.toPlainText()

    def is_dirty(self) -> bool:
        return self.text() != self._saved_text

    def save(self) -> None:
        """Save the note if it changed."""
        if self.is_dirty():
            self._saved_text = self.text()
            self._save(self._saved_text)
        self._show_state()

    def done(self, result: int) -> None:
        """Leaving, by any way: save first."""
        self.save()
        super().done(result)

    def _render(self) -> None:
        self.preview.show_html(note_html(self.text()))

    def _show_state(self) -> None:
        state = "Unsaved changes" if self.is_dirty() else "Saved"
        self.status.setText(f"{state}  ·  {HINT}")
