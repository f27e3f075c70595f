"""The tag editor: the selection's tags to uncheck, and a field to add or remove several.

The field completes each comma-separated tag from the tags already in the library; a tag
written with a leading minus is removed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QStringListModel, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListView,
    QWidget,
)

from readerapp.core.tags import clean_tag
from readerapp.gui.forms import child, embed_form


@dataclass(frozen=True)
class TagChange:
    add: list[str]
    remove: list[str]

    def is_empty(self) -> bool:
        return not self.add and not self.remove


def parse_tag_input(text: str) -> TagChange:
    """``"survey, -later"`` adds survey and removes later."""
    add: list[str] = []
    remove: list[str] = []
    for token in text.split(","):
        token = token.strip()
        target = remove if token.startswith("-") else add
        tag = clean_tag(token.removeprefix("-"))
        if tag and tag.casefold() not in {t.casefold() for t in target}:
            target.append(tag)
    return TagChange(add, remove)


class TagCompleter(QCompleter):
    """Completes the tag being typed after the last comma."""

    def __init__(self, tags: Sequence[str], editor: QLineEdit) -> None:
        super().__init__(editor)
        self.setModel(QStringListModel(list(tags), self))
        self._typed = ""  # the field as the user typed it
        editor.setCompleter(self)
        editor.textEdited.connect(self._set_typed)

    def _set_typed(self, text: str) -> None:
        self._typed = text

    def splitPath(self, path: str) -> list[str]:
        return [path.rpartition(",")[2].strip().removeprefix("-")]

    def pathFromIndex(self, index: QModelIndex | QPersistentModelIndex) -> str:
        """The field as typed, its last tag completed to ``index``'s.

        What the user typed, not the field: a completion highlighted in the popup (Down) is
        already in the field, and completing that again on Return added the tag twice.
        """
        done, comma, last = self._typed.rpartition(",")
        minus = "-" if last.strip().startswith("-") else ""
        head = f"{done.strip()}, " if comma else ""
        return f"{head}{minus}{index.data()}, "


def _tag_items(tag_sets: Sequence[Sequence[str]]) -> list[QStandardItem]:
    """A checkable item per tag of the selection: checked on all, partly on some."""
    counts: dict[str, tuple[str, int]] = {}
    for tags in tag_sets:
        for tag in tags:
            shown, seen = counts.get(tag.casefold(), (tag, 0))
            counts[tag.casefold()] = (shown, seen + 1)
    items = []
    for shown, seen in sorted(counts.values(), key=lambda pair: pair[0].casefold()):
        item = QStandardItem(shown)
        item.setEditable(False)
        item.setCheckable(True)
        on_all = seen == len(tag_sets)
        item.setUserTristate(not on_all)
        state = Qt.CheckState.Checked if on_all else Qt.CheckState.PartiallyChecked
        item.setCheckState(state)
        items.append(item)
    return items


class TagDialog(QDialog):
    """Edit the tags of the selected papers."""

    def __init__(
        self,
        tag_sets: Sequence[Sequence[str]],
        all_tags: Sequence[str],
        subject: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("tagDialog")
        self.setWindowTitle("Tags — readerapp")
        self.setAccessibleName("Tags")
        form = embed_form("tag_editor.ui", self)
        child(form, QLabel, "tagIntro").setText(subject)
        self.tags = QStandardItemModel(self)
        for item in _tag_items(tag_sets):
            self.tags.appendRow(item)
        self._before = [item.checkState() for item in self._items()]
        self.tag_list = child(form, QListView, "tagList")
        self.tag_list.setModel(self.tags)
        self.tag_list.setVisible(self.tags.rowCount() > 0)
        self.editor = child(form, QLineEdit, "tagEditor")
        completer = TagCompleter(all_tags, self.editor)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.popup().setAccessibleName("Tags that match")
        buttons = child(form, QDialogButtonBox, "tagButtons")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.editor.setFocus()
        self.resize(440, 360 if self.tags.rowCount() else 160)

    def _items(self) -> list[QStandardItem]:
        return [self.tags.item(row) for row in range(self.tags.rowCount())]

    def change(self) -> TagChange:
        """What to add to and remove from every selected paper."""
        typed = parse_tag_input(self.editor.text())
        add, remove = list(typed.add), list(typed.remove)
        for item, before in zip(self._items(), self._before, strict=True):
            state = item.checkState()
            if state == before:
                continue
            if state == Qt.CheckState.Checked:
                add.append(item.text())
            elif state == Qt.CheckState.Unchecked:
                remove.append(item.text())
        return TagChange(add, remove)
