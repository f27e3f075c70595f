"""A small dialog asking for one name: a saved search's, or a tag's new name.

As the name is typed, a line under it says what saving it will do (replace a saved search,
merge two tags), or why it cannot be saved, in which case OK is off.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtWidgets import (
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QWidget,
)

from readerapp.gui.forms import child, embed_form


@dataclass(frozen=True)
class NameCheck:
    """What a name would do (``note``), and whether it may be used."""

    note: str = ""
    ok: bool = True


@dataclass(frozen=True)
class NameRequest:
    """What the dialog asks: its object name, title, a bold line of intro and the label."""

    object_name: str
    title: str
    intro: str
    label: str
    initial: str = ""
    known: Sequence[str] = ()  # names offered as completions


class NameDialog(QDialog):
    """Ask for a name; ``check`` judges each name as it is typed."""

    def __init__(
        self, request: NameRequest, check: Callable[[str], NameCheck], parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.setObjectName(request.object_name)
        self.setWindowTitle(f"{request.title} — readerapp")
        self.setAccessibleName(request.title)
        self._check = check
        form = embed_form("name_dialog.ui", self)
        self.intro = child(form, QLabel, "nameIntro")
        self.intro.setText(request.intro)
        child(form, QLabel, "nameLabel").setText(request.label)
        self.note = child(form, QLabel, "nameNote")
        self.editor = child(form, QLineEdit, "nameEdit")
        self.editor.setAccessibleName(request.label.replace("&", "").rstrip(":"))
        if request.known:
            completer = QCompleter(QStringListModel(list(request.known), self), self)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setCompletionMode(QCompleter.CompletionMode.InlineCompletion)  # no popup
            self.editor.setCompleter(completer)
        buttons = child(form, QDialogButtonBox, "nameButtons")
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.editor.textChanged.connect(self._judge)
        self.editor.setText(request.initial)
        self.editor.selectAll()
        self._judge(request.initial)
        self.editor.setFocus()
        self.resize(460, 170)

    def name(self) -> str:
        return " ".join(self.editor.text().split())

    def _judge(self, _text: str) -> None:
        check = self._check(self.name())
        self.note.setText(check.note)
        self.note.setVisible(bool(check.note))
        self.ok.setEnabled(check.ok)

    def accept(self) -> None:
        if self.ok.isEnabled():  # Enter in the field presses OK even when it is off
            super().accept()
