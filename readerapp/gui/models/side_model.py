"""The side panel's model: library views, saved searches, the digests by date with how far
their triage got (each with how it got its date, in its tooltip), and every tag with its
colour, with counts.

Each entry carries the fragment of query language it stands for (``is:starred``, ``tag:x``,
``date:2024-03-17``, ``search:"name"``), which the search combines with the words in the
search box. The entries are read from the library off the GUI thread (`side_entries`, on the
reader thread; see `controllers.side_counts`) and handed in (`set_entries`). The counts of saved
searches need the search index, so the worker computes them and hands them in
(`set_saved_counts`) after each refresh.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import groupby
from pathlib import Path

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from readerapp.core.library import Library
from readerapp.core.query import saved_search_fragment

KEY_ROLE = Qt.ItemDataRole.UserRole + 1
FRAGMENT_ROLE = Qt.ItemDataRole.UserRole + 2
COUNT_ROLE = Qt.ItemDataRole.UserRole + 3
HEADER_ROLE = Qt.ItemDataRole.UserRole + 4
BADGE_ROLE = Qt.ItemDataRole.UserRole + 5  # a short note beside the count ("3 new")
PROGRESS_ROLE = Qt.ItemDataRole.UserRole + 6  # (triaged, papers) of a digest day
COLOUR_ROLE = Qt.ItemDataRole.UserRole + 7  # the colour name of a tag
DIGEST_PREFIX = "digest:"
SAVED_PREFIX = "search:"
TAG_PREFIX = "tag:"

ALL_KEY = "all"
FOR_YOU_KEY = "for-you"  # the unread papers in For you's order (see `controllers.for_you`)
# key, label, query fragment, key of Library.stats()
LIBRARY_VIEWS = (
    (ALL_KEY, "All papers", "", "papers"),
    ("new", "New since last session", "is:new", "new_since_last_session"),
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
    badge: str = ""
    progress: tuple[int, int] | None = None
    colour: str | None = None
    note: str = ""  # more about it, for its tooltip (how a digest got its date)


def tag_fragment(tag: str) -> str:
    return f'tag:"{tag}"' if any(c.isspace() for c in tag) else f"tag:{tag}"


def _library_entries(library: Library, counted: bool) -> Iterator[SideEntry]:
    stats = library.stats() if counted else {}
    yield SideEntry(FOR_YOU_KEY, "For you")
    yield SideEntry("header:library", "Library", header=True)
    for key, label, fragment, stat in LIBRARY_VIEWS:
        yield SideEntry(key, label, fragment, stats.get(stat))


SavedCounts = Mapping[str, tuple[int, int]]  # name: papers found, of which new


def saved_search_entry(name: str, counts: SavedCounts) -> SideEntry:
    found, new = counts.get(name, (None, 0))
    badge = f"{new:,} new" if new else ""
    key = f"{SAVED_PREFIX}{name.casefold()}"
    return SideEntry(key, name, saved_search_fragment(name), found, badge=badge)


def _saved_entries(library: Library) -> Iterator[SideEntry]:
    searches = library.saved_searches.all()
    if searches:
        yield SideEntry("header:searches", "Saved searches", header=True)
    for saved in searches:
        yield saved_search_entry(saved.name, {})


def day_label(day: date) -> str:
    """A digest's day as the panel shows it: "Fri 13 Mar 2026"."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def digest_day(key: str) -> date | None:
    """The day of a digest entry's key, None for another entry."""
    return date.fromisoformat(key[len(DIGEST_PREFIX) :]) if key.startswith(DIGEST_PREFIX) else None


def _digest_notes(library: Library) -> dict[date, str]:
    """The days with digests, newest first, each with how its digests got their date: the
    digest's file and, as the command line says it, "Mar 13 → 2026-03-13, year from …"."""
    notes: dict[date, list[str]] = {}
    for info in library.digests():
        if info.paper_count:
            day = info.date or info.imported_at.date()
            notes.setdefault(day, []).append(f"{Path(info.source).name}: {info.date_note}")
    return {day: "\n".join(lines) for day, lines in sorted(notes.items(), reverse=True)}


def _digest_entry(day: date, progress: tuple[int, int] | None, note: str) -> SideEntry:
    key, fragment = f"{DIGEST_PREFIX}{day.isoformat()}", f"date:{day.isoformat()}"
    count = progress[1] if progress else None
    return SideEntry(key, day_label(day), fragment, count, progress=progress, note=note)


def _digest_entries(library: Library, counted: bool) -> Iterator[SideEntry]:
    notes = _digest_notes(library)
    if counted:
        entries = [
            _digest_entry(day.day, (day.triaged, day.papers), notes.get(day.day, ""))
            for day in library.digest_progress()
        ]
    else:
        entries = [_digest_entry(day, None, note) for day, note in notes.items()]
    if entries:
        yield SideEntry("header:digests", "Digests", header=True)
    yield from entries


def _tag_entries(library: Library) -> Iterator[SideEntry]:
    counts = library.tags.counts()
    colours = library.tags.colours()
    if counts:
        yield SideEntry("header:tags", "Tags", header=True)
    for tag, count in counts:
        key = f"{TAG_PREFIX}{tag.casefold()}"
        yield SideEntry(key, tag, tag_fragment(tag), count, colour=colours.get(tag.casefold()))


def side_entries(library: Library, *, counted: bool = True) -> list[SideEntry]:
    """Every entry of the side panel. ``counted=False`` leaves out the slow counts (of the
    library's views and of each digest's triage), for the window's first paint."""
    return [
        *_library_entries(library, counted),
        *_saved_entries(library),
        *_digest_entries(library, counted),
        *_tag_entries(library),
    ]


class SideModel(QAbstractListModel):
    """The entries of the side panel, as last read from the library."""

    refreshed = Signal()  # new entries are in (the saved searches need counting)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._entries: list[SideEntry] = []
        self._saved_counts: SavedCounts = {}

    def set_entries(self, entries: Sequence[SideEntry]) -> None:
        """Show ``entries``, with the saved searches' last counts. Rows are updated in place
        when the entries are the same ones."""
        entries = [self._with_saved_counts(entry) for entry in entries]
        if [e.key for e in entries] == [e.key for e in self._entries]:
            old, self._entries = self._entries, entries
            for first, last in _changed_runs(old, entries):
                self.dataChanged.emit(self.index(first), self.index(last))
        else:
            self.beginResetModel()
            self._entries = entries
            self.endResetModel()
        self.refreshed.emit()

    def _with_saved_counts(self, entry: SideEntry) -> SideEntry:
        if entry.key.startswith(SAVED_PREFIX):
            return saved_search_entry(entry.label, self._saved_counts)
        return entry

    def set_saved_counts(self, counts: SavedCounts) -> None:
        """The worker counted what each saved search finds, and how much of it is new."""
        self._saved_counts = counts
        for row, entry in enumerate(self._entries):
            if entry.key.startswith(SAVED_PREFIX):
                self._entries[row] = saved_search_entry(entry.label, counts)
                self.dataChanged.emit(self.index(row), self.index(row))

    def entries(self) -> list[SideEntry]:
        return list(self._entries)

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
            return _accessible_text(entry)
        if role == Qt.ItemDataRole.ToolTipRole and entry.fragment:
            tip = f"Search {entry.fragment}" + (f" · {entry.badge}" if entry.badge else "")
            return f"{tip}\n{entry.note}" if entry.note else tip
        return {
            KEY_ROLE: entry.key,
            FRAGMENT_ROLE: entry.fragment,
            COUNT_ROLE: entry.count,
            HEADER_ROLE: entry.header,
            BADGE_ROLE: entry.badge,
            PROGRESS_ROLE: entry.progress,
            COLOUR_ROLE: entry.colour,
        }.get(role)


def _changed_runs(old: Sequence[SideEntry], new: Sequence[SideEntry]) -> Iterator[tuple[int, int]]:
    """The first and last rows of each run of consecutive rows that differ."""
    pairs = enumerate(zip(old, new, strict=True))
    changed = [row for row, (before, after) in pairs if before != after]
    for _, run in groupby(enumerate(changed), lambda item: item[1] - item[0]):
        rows = [row for _, row in run]
        yield rows[0], rows[-1]


def _accessible_text(entry: SideEntry) -> str:
    if entry.progress is not None:
        return f"{entry.label}, {entry.progress[0]} of {entry.progress[1]} papers triaged"
    text = entry.label if entry.count is None else f"{entry.label}, {entry.count} papers"
    return f"{text}, {entry.badge}" if entry.badge else text
