"""The side panel's model: library views, the digests by date and every tag, with counts.

Each entry carries the fragment of query language it stands for (``is:starred``, ``tag:x``,
``date:2024-03-17``), which the search combines with the words in the search box.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from readerapp.core.library import Library

KEY_ROLE = Qt.ItemDataRole.UserRole + 1
FRAGMENT_ROLE = Qt.ItemDataRole.UserRole + 2
COUNT_ROLE = Qt.ItemDataRole.UserRole + 3
HEADER_ROLE = Qt.ItemDataRole.UserRole + 4

ALL_KEY = "all"
# key, label, query fragment, key of Library.stats()
LIBRARY_VIEWS = (
    (ALL_KEY, "All papers", "", "papers"),
    ("starred", "Starred", "is:starred", "starred"),
    ("unread", "Unread", "is:unread", "unread"),
    ("reading", "Reading", "is:reading", "reading"),
    ("read", "Read", "is:read", "read"),
    ("code", "Has code", "has:code", "with_code"),
    ("note", "Has note", "has:note", "with_note"),
)

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class SideEntry:
    """One row of the side panel: a filter, or the heading of a group of them."""

    key: str
    label: str
    fragment: str = ""
    count: int | None = None
    header: bool = False


def tag_fragment(tag: str) -> str:
    return f'tag:"{tag}"' if any(c.isspace() for c in tag) else f"tag:{tag}"


def _library_entries(library: Library) -> Iterator[SideEntry]:
    stats = library.stats()
    yield SideEntry("header:library", "Library", header=True)
    for key, label, fragment, stat in LIBRARY_VIEWS:
        yield SideEntry(key, label, fragment, stats[stat])


def _digest_entries(library: Library) -> Iterator[SideEntry]:
    by_day: dict[date, int] = {}
    for digest in library.digests():
        day = digest.date or digest.imported_at.date()
        by_day[day] = by_day.get(day, 0) + digest.paper_count
    if by_day:
        yield SideEntry("header:digests", "Digests", header=True)
    for day in sorted(by_day, reverse=True):
        label = f"{day:%a} {day.day} {day:%b %Y}"
        yield SideEntry(f"digest:{day.isoformat()}", label, f"date:{day.isoformat()}", by_day[day])


def _tag_entries(library: Library) -> Iterator[SideEntry]:
    counts = library.tag_counts()
    if counts:
        yield SideEntry("header:tags", "Tags", header=True)
    for tag, count in counts:
        yield SideEntry(f"tag:{tag.casefold()}", tag, tag_fragment(tag), count)


def side_entries(library: Library) -> list[SideEntry]:
    return [*_library_entries(library), *_digest_entries(library), *_tag_entries(library)]


class SideModel(QAbstractListModel):
    """The entries of the side panel, read again from the library after every change."""

    def __init__(self, library: Library, parent=None) -> None:
        super().__init__(parent)
        self._library = library
        self._entries: list[SideEntry] = []

    def refresh(self) -> None:
        """Count again. Rows are updated in place when the entries are the same ones."""
        entries = side_entries(self._library)
        if [e.key for e in entries] == [e.key for e in self._entries]:
            self._entries = entries
            if entries:
                self.dataChanged.emit(self.index(0), self.index(len(entries) - 1))
            return
        self.beginResetModel()
        self._entries = entries
        self.endResetModel()

    def entry(self, row: int) -> SideEntry | None:
        return self._entries[row] if 0 <= row < len(self._entries) else None

    def row_of(self, key: str) -> int | None:
        return next((row for row, e in enumerate(self._entries) if e.key == key), None)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._entries)

    def flags(self, index: Index) -> Qt.ItemFlag:
        entry = self.entry(index.row()) if index.isValid() else None
        if entry is None or entry.header:
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        entry = self.entry(index.row()) if index.isValid() else None
        if entry is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return entry.label
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return entry.label if entry.count is None else f"{entry.label}, {entry.count} papers"
        if role == Qt.ItemDataRole.ToolTipRole and entry.fragment:
            return f"Search {entry.fragment}"
        return {
            KEY_ROLE: entry.key,
            FRAGMENT_ROLE: entry.fragment,
            COUNT_ROLE: entry.count,
            HEADER_ROLE: entry.header,
        }.get(role)
