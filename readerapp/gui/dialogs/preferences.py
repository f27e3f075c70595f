"""Preferences: the folders watched for new digests, and whether a paper shown for a few
seconds becomes "reading".

A folder is added by typing its path and pressing Enter (or Add), or with Browse; Delete (or
Remove) takes the chosen one off the list. Nothing changes until OK.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QWidget,
)

from readerapp.gui.forms import child, embed_form

_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class PreferencesDialog(QDialog):
    """Edit the list of watched folders, the reading timer's switch and the fetch at start."""

    def __init__(
        self,
        folders: Sequence[Path],
        auto_reading: bool,
        parent: QWidget | None = None,
        fetch_at_start: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("preferencesDialog")
        self.setWindowTitle("Preferences — readerapp")
        self.setAccessibleName("Preferences")
        form = embed_form("preferences.ui", self)
        self.folder_list = child(form, QListWidget, "folderList")
        self.folder_list.addItems([str(folder) for folder in folders])
        self.folder_list.setCurrentRow(0)
        self.editor = child(form, QLineEdit, "folderEdit")
        self.problem = child(form, QLabel, "folderProblem")
        self.problem.hide()
        self.auto_reading = child(form, QCheckBox, "autoReading")
        self.auto_reading.setChecked(auto_reading)
        self.fetch_at_start = child(form, QCheckBox, "fetchAtStart")
        self.fetch_at_start.setChecked(fetch_at_start)
        child(form, QPushButton, "folderAdd").clicked.connect(self.add_typed)
        child(form, QPushButton, "folderBrowse").clicked.connect(self._browse)
        child(form, QPushButton, "folderRemove").clicked.connect(self.remove_chosen)
        buttons = child(form, QDialogButtonBox, "preferencesButtons")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        remove = QAction("Stop watching the folder", self.folder_list)
        remove.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        remove.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        remove.triggered.connect(self.remove_chosen)
        self.folder_list.addAction(remove)
        self.editor.installEventFilter(self)
        self.editor.setFocus()
        self.resize(540, 400)

    def folders(self) -> list[Path]:
        return [Path(self.folder_list.item(row).text()) for row in range(self.folder_list.count())]

    def add_typed(self) -> None:
        """Add the folder typed in the field, if it is one."""
        text = self.editor.text().strip()
        if text:
            self.add(Path(text).expanduser())

    def add(self, folder: Path) -> None:
        if not folder.is_dir():
            self._say(f"There is no folder {folder}.")
            return
        folder = folder.resolve()
        self._say("")
        self.editor.clear()
        if folder not in self.folders():
            self.folder_list.addItem(str(folder))
        self.folder_list.setCurrentRow(self.folders().index(folder))

    def remove_chosen(self) -> None:
        row = self.folder_list.currentRow()
        if row >= 0:
            self.folder_list.takeItem(row)

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Watch a folder", str(Path.home()))
        if folder:
            self.add(Path(folder))

    def _say(self, problem: str) -> None:
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter in the field adds the folder typed rather than closing the dialog."""
        if (
            watched is self.editor
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in _ENTER
            and self.editor.text().strip()
        ):
            self.add_typed()
            return True
        return super().eventFilter(watched, event)
