"""The command palette (Ctrl+K): find any action, tag, digest or saved search by a few of its
letters, in order (`readerapp.core.fuzzy`), and run it with Enter.

What it lists comes from sources, each a function of the window's parts (`PaletteParts`)
giving `PaletteEntry` items:
the table of actions (with their shortcuts) and every entry of the side panel (library views,
digests, tags, saved searches), under the panel's group headings. A new kind of thing to find
is one more function in ``SOURCES``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
)
from PySide6.QtGui import QAction, QColor, QFont, QFontMetrics, QKeyEvent, QPainter, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLineEdit,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from readerapp.core.fuzzy import Match, fuzzy_match
from readerapp.gui.actions import ACTIONS, MENUS, key_labels
from readerapp.gui.controllers.navigation import Navigable, show_search
from readerapp.gui.forms import child, embed_form

if TYPE_CHECKING:
    from readerapp.gui.controllers.for_you import ForYouController

Index = QModelIndex | QPersistentModelIndex
KIND_ROLE = Qt.ItemDataRole.UserRole + 1
HINT_ROLE = Qt.ItemDataRole.UserRole + 2
POSITIONS_ROLE = Qt.ItemDataRole.UserRole + 3
# Matching "tag surv" through the kind costs a little against matching the name alone.
KIND_PENALTY = 4
_PAD = 10
_V_CENTRE = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_MOVES = {
    Qt.Key.Key_Down: 1,
    Qt.Key.Key_Up: -1,
    Qt.Key.Key_PageDown: 8,
    Qt.Key.Key_PageUp: -8,
}


@dataclass(frozen=True)
class PaletteEntry:
    """One thing the palette can run: its name, its kind (a menu or a side panel group), a
    hint (the shortcut, or how many papers) and what running it does."""

    name: str
    kind: str
    hint: str
    run: Callable[[], None]


class PaletteParts(Navigable, Protocol):
    """What the sources list and run: the window's actions, its side panel and search (to go
    to an entry), the list to focus, and For you (papers like a tag)."""

    @property
    def actions(self) -> dict[str, QAction]: ...

    @property
    def for_you(self) -> ForYouController: ...

    def focus_list(self) -> None: ...


Source = Callable[[PaletteParts], Iterator[PaletteEntry]]


def action_entries(window: PaletteParts) -> Iterator[PaletteEntry]:
    """Every enabled action of the table, by its name in the menu (Undo says what it undoes)."""
    menus = {menu_id: title.replace("&", "") for menu_id, title in MENUS}
    for spec in ACTIONS:
        action = window.actions.get(spec.id)
        if action is None or not action.isEnabled() or spec.id == "command_palette":
            continue
        name = action.text().replace("&", "").rstrip("…")
        if action.isCheckable():
            name += " (on)" if action.isChecked() else " (off)"
        keys = ", ".join(key_labels(spec)[:2])
        yield PaletteEntry(name, menus[spec.menu], keys, action.trigger)


def filter_entries(window: PaletteParts) -> Iterator[PaletteEntry]:
    """Every entry of the side panel, its kind the heading of its group."""
    group = ""
    for row in range(window.side.rowCount()):
        entry = window.side.entry(row)
        if entry is None:
            continue
        if entry.header:
            group = entry.label
            continue
        count = "" if entry.count is None else f"{entry.count:,}"
        yield PaletteEntry(entry.label, group, count, _filter_runner(window, entry.key))


def _filter_runner(window: PaletteParts, key: str) -> Callable[[], None]:
    """The entry's papers, all of them: the search box's words are cleared (they were left
    over from another search, ``like:`` say, and hid papers of the entry)."""

    def run() -> None:
        if window.side.row_of(key) is not None:
            show_search(window, "", key=key)
            window.focus_list()

    return run


def like_tag_entries(window: PaletteParts) -> Iterator[PaletteEntry]:
    """For you's "Papers like TAG", one a tag of the side panel."""
    return window.for_you.like_tag_entries()


SOURCES: list[Source] = [action_entries, filter_entries, like_tag_entries]


def gather(window: PaletteParts) -> list[PaletteEntry]:
    return [entry for source in SOURCES for entry in source(window)]


def _best_match(query: str, entry: PaletteEntry) -> Match | None:
    """The query on the name alone, or on kind and name ("tag surv"), whichever fits best;
    positions are those in the name."""
    by_name = fuzzy_match(query, entry.name)
    prefix = f"{entry.kind} "
    by_kind = fuzzy_match(query, prefix + entry.name)
    if by_kind is None or (by_name is not None and by_name.score >= by_kind.score - KIND_PENALTY):
        return by_name
    in_name = tuple(p - len(prefix) for p in by_kind.positions if p >= len(prefix))
    return Match(by_kind.score - KIND_PENALTY, in_name)


def rank(query: str, entries: Sequence[PaletteEntry]) -> list[tuple[PaletteEntry, Match]]:
    """The entries the query matches, best first; ties keep the order of ``entries``."""
    scored = []
    for order, entry in enumerate(entries):
        match = _best_match(query, entry)
        if match is not None:
            scored.append((-match.score, order, entry, match))
    scored.sort(key=lambda item: item[:2])
    return [(entry, match) for *_, entry, match in scored]


class PaletteModel(QAbstractListModel):
    """The entries found, best first."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._found: list[tuple[PaletteEntry, Match]] = []

    def set_found(self, found: list[tuple[PaletteEntry, Match]]) -> None:
        self.beginResetModel()
        self._found = found
        self.endResetModel()

    def entry(self, row: int) -> PaletteEntry | None:
        return self._found[row][0] if 0 <= row < len(self._found) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._found)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._found):
            return None
        entry, match = self._found[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return entry.name
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return ", ".join(part for part in (entry.name, entry.kind, entry.hint) if part)
        return {KIND_ROLE: entry.kind, HINT_ROLE: entry.hint, POSITIONS_ROLE: match.positions}.get(
            role
        )


class PaletteDelegate(QStyledItemDelegate):
    """The name with the letters matched in bold, its kind after it, the hint at the right."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        roles = QPalette.ColorRole
        text_colour = opt.palette.color(roles.HighlightedText if selected else roles.Text)
        quiet = text_colour if selected else opt.palette.color(roles.PlaceholderText)
        area = opt.rect.adjusted(_PAD, 0, -_PAD, 0)
        painter.save()
        painter.setClipRect(opt.rect)
        hint_width = self._draw_right(painter, area, index.data(HINT_ROLE) or "", opt.font, quiet)
        name_area = area.adjusted(0, 0, -hint_width, 0)
        x = self._draw_name(painter, name_area, index, opt.font, text_colour)
        kind_area = QRect(x + _PAD, area.top(), max(name_area.right() - x - _PAD, 0), area.height())
        self._draw_left(painter, kind_area, index.data(KIND_ROLE) or "", opt.font, quiet)
        painter.restore()

    @staticmethod
    def _draw_name(
        painter: QPainter, area: QRect, index: Index, font: QFont, colour: QColor
    ) -> int:
        """Draw the name, matched letters bold; return where it ends."""
        name: str = index.data() or ""
        matched = set(index.data(POSITIONS_ROLE) or ())
        bold = QFont(font)
        bold.setBold(True)
        painter.setPen(colour)
        x = area.left()
        for position, char in enumerate(name):
            painter.setFont(bold if position in matched else font)
            width = QFontMetrics(painter.font()).horizontalAdvance(char)
            painter.drawText(QRect(x, area.top(), width + 1, area.height()), _V_CENTRE, char)
            x += width
        return x

    @staticmethod
    def _draw_left(painter: QPainter, area: QRect, text: str, font: QFont, colour: QColor) -> None:
        painter.setFont(font)
        painter.setPen(colour)
        painter.drawText(area, _V_CENTRE, text)

    @staticmethod
    def _draw_right(painter: QPainter, area: QRect, text: str, font: QFont, colour: QColor) -> int:
        """Draw ``text`` at the right of ``area``; return the width it takes, with a gap."""
        if not text:
            return 0
        painter.setFont(font)
        painter.setPen(colour)
        painter.drawText(area, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, text)
        return QFontMetrics(font).horizontalAdvance(text) + 2 * _PAD

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width(), QFontMetrics(option.font).height() + 12)


class CommandPaletteDialog(QDialog):
    """A search field over the entries; Up and Down choose, Enter (or a click) runs."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("commandPalette")
        self.setWindowTitle("Command palette — readerapp")
        self.setAccessibleName("Command palette")
        form = embed_form("command_palette.ui", self)
        self.edit = child(form, QLineEdit, "paletteEdit")
        self.list = child(form, QListView, "paletteList")
        self.model = PaletteModel(self)
        self.list.setModel(self.model)
        self.list.setItemDelegate(PaletteDelegate(self.list))
        self._entries: list[PaletteEntry] = []
        self.edit.textChanged.connect(self._find)
        self.edit.installEventFilter(self)
        self.list.clicked.connect(lambda index: self.run_row(index.row()))
        self.resize(600, 440)

    def set_entries(self, entries: list[PaletteEntry]) -> None:
        """Start afresh on ``entries``: an empty field, every entry listed."""
        self._entries = entries
        self.edit.clear()
        self._find("")
        self.edit.setFocus()

    def _find(self, text: str) -> None:
        self.model.set_found(rank(text, self._entries))
        self._select(0)

    def _select(self, row: int) -> None:
        count = self.model.rowCount()
        if count:
            index = self.model.index(min(max(row, 0), count - 1))
            self.list.setCurrentIndex(index)
            self.list.scrollTo(index)

    def current_entry(self) -> PaletteEntry | None:
        return self.model.entry(self.list.currentIndex().row())

    def run_row(self, row: int) -> None:
        """Close, then run the entry of ``row`` in the window."""
        entry = self.model.entry(row)
        if entry is not None:
            self.accept()
            entry.run()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.edit and event.type() == QEvent.Type.KeyPress:
            return self._key(event)
        return False

    def _key(self, event: QKeyEvent) -> bool:
        key = event.key()
        if key in _MOVES:
            self._select(self.list.currentIndex().row() + _MOVES[key])
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.run_row(self.list.currentIndex().row())
            return True
        return False


class CommandPalette(QObject):
    """Opens the palette over ``window``, filled with what there is to find now (``entries``,
    asked each time it opens)."""

    def __init__(self, entries: Callable[[], list[PaletteEntry]], window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        self._entries = entries
        self.dialog: CommandPaletteDialog | None = None

    def open(self) -> None:
        if self.dialog is None:
            self.dialog = CommandPaletteDialog(self.window)
            self.dialog.finished.connect(self._closed)
        self.dialog.set_entries(self._entries())
        frame = self.window.geometry()
        self.dialog.move(frame.center().x() - self.dialog.width() // 2, frame.top() + 60)
        self.dialog.open()

    def _closed(self) -> None:
        if self.window.isVisible():
            self.window.activateWindow()
