"""The paper list's model: the ids of the current results, rows loaded lazily through a cache.

It holds ids only. Rows are exposed a page at a time (``canFetchMore``/``fetchMore``) and the
records behind them are read on demand, ``READ_BATCH`` per query (about two screens: each record
read costs the GUI thread time), from the GUI thread's own read-only connection to
the library (SQLite's WAL lets it read while the worker writes). The records of the first rows
come with the results, read by the thread that searched (`set_ids`).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Sequence

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from readerapp.core.library import Library
from readerapp.core.models import Paper, ReadState
from readerapp.core.repos import code_repository

COL_STAR, COL_TITLE, COL_FIRST_SEEN, COL_SEEN_IN, COL_TAGS, COL_STATE = range(6)
COLUMN_COUNT = 6
ID_ROLE = Qt.ItemDataRole.UserRole + 1
PAPER_ROLE = Qt.ItemDataRole.UserRole + 2
# The title column's "has code" badge: the repository (owner/repo), "" for code elsewhere, or None
CODE_ROLE = Qt.ItemDataRole.UserRole + 3

PAGE = 200
READ_BATCH = 50
CACHE_LIMIT = 4000
SCANS_BEFORE_INDEX = 16
HEADERS = {
    COL_STAR: ("★", "Starred"),
    COL_TITLE: ("Title", "Title"),
    COL_FIRST_SEEN: ("First seen", "The date of the first digest the paper was in"),
    COL_SEEN_IN: ("Digests", "How many digests the paper was in"),
    COL_TAGS: ("Tags", "Tags"),
    COL_STATE: ("State", "Read state"),
}
STATE_TEXT = {ReadState.UNREAD: "Unread", ReadState.READING: "Reading", ReadState.READ: "Read"}
STAR_COLOUR = "#e0a000"  # the list draws its text colours itself (see PaperDelegate)
_CENTRED = Qt.AlignmentFlag.AlignCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter

Index = QModelIndex | QPersistentModelIndex
_ROLES = frozenset({
    Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole,
    Qt.ItemDataRole.TextAlignmentRole,
    ID_ROLE, PAPER_ROLE, CODE_ROLE,
})  # fmt: skip


def code_badge(paper: Paper) -> str | None:
    """What the "has code" badge says: the repository, "" for code elsewhere, None for none."""
    if not paper.has_code:
        return None
    return code_repository(paper) or ""


def display_text(paper: Paper, column: int) -> str:
    """The text of one cell."""
    if column == COL_STAR:
        return "★" if paper.starred else ""
    if column == COL_TITLE:
        return paper.title
    if column == COL_FIRST_SEEN:
        return paper.first_seen.isoformat() if paper.first_seen else ""
    if column == COL_SEEN_IN:
        return str(len(paper.sightings))
    if column == COL_TAGS:
        return ", ".join(paper.tags)
    return STATE_TEXT[paper.read_state]


class PaperModel(QAbstractTableModel):
    """The current results as a table: star, title, first seen, digests, tags, read state."""

    def __init__(self, library: Library, parent=None) -> None:
        super().__init__(parent)
        self._library = library
        self._ids: list[str] = []
        self._rows: dict[str, int] | None = None  # row by id, see _row
        self._scans = 0
        self._shown = 0
        self._cache: OrderedDict[str, Paper] = OrderedDict()
        self._changes = 0  # how many times cached records were dropped (refresh, forget_all)

    # --- our interface ---------------------------------------------------------------------

    @property
    def changes(self) -> int:
        """A number that grows each time cached records are dropped as out of date; records
        read while it stayed the same are current (see `set_ids`)."""
        return self._changes

    def set_ids(
        self, ids: Sequence[str], records: Sequence[Paper] = (), read_at: int | None = None
    ) -> None:
        """Show new results; the first page of rows appears, the rest as the view scrolls.

        ``records`` of some of them, read on another thread when ``changes`` was ``read_at``,
        are kept unless records were dropped as out of date since. The same ids again (a
        search run again after the index changed) leave the rows as they are: a reset would
        lay out and paint the whole list again.
        """
        ids = list(ids)
        fresh = records if read_at == self._changes else ()
        if ids == self._ids:
            self._keep(paper for paper in fresh if paper.id not in self._cache)
            return
        self.beginResetModel()
        self._ids = ids
        self._rows = None
        self._scans = 0
        self._shown = min(len(self._ids), PAGE)
        self._keep(fresh)
        self.endResetModel()

    def ids(self) -> list[str]:
        """Every id of the results, fetched as rows or not."""
        return list(self._ids)

    def total(self) -> int:
        return len(self._ids)

    def id_at(self, row: int) -> str:
        return self._ids[row]

    def row_of(self, paper_id: str) -> int | None:
        """The row of ``paper_id``, fetching rows up to it; None when it is not in the results."""
        row = self._row(paper_id)
        if row is not None and row >= self._shown:
            self._show_up_to(row)
        return row

    def paper(self, row: int) -> Paper | None:
        if not 0 <= row < len(self._ids):
            return None
        pid = self._ids[row]
        if pid not in self._cache:
            self._load_page(row)
        paper = self._cache.get(pid)
        if paper is not None:
            self._cache.move_to_end(pid)
        return paper

    def refresh(self, ids: Iterable[str]) -> None:
        """Read ``ids`` again from the library and repaint their rows."""
        self._changes += 1
        for pid in ids:
            self._cache.pop(pid, None)
            row = self._row(pid)
            if row is not None and row < self._shown:
                last = self.index(row, COLUMN_COUNT - 1)
                self.dataChanged.emit(self.index(row, 0), last)

    def forget_all(self) -> None:
        """Drop every cached record (after an import may have changed many)."""
        self._changes += 1
        self._cache.clear()
        if self._shown:
            self.dataChanged.emit(self.index(0, 0), self.index(self._shown - 1, COLUMN_COUNT - 1))

    def _row(self, paper_id: str) -> int | None:
        # Indexing a long list of results holds the GUI thread, and most lists are
        # replaced by the next keystroke after one lookup (the current paper): the first
        # lookups scan the list, in C, and only a list looked into often is indexed.
        if self._rows is None:
            if self._scans < SCANS_BEFORE_INDEX:
                self._scans += 1
                try:
                    return self._ids.index(paper_id)
                except ValueError:
                    return None
            self._rows = {pid: row for row, pid in enumerate(self._ids)}
        return self._rows.get(paper_id)

    # --- loading ---------------------------------------------------------------------------

    def _load_page(self, row: int) -> None:
        start = row - row % READ_BATCH
        wanted = [pid for pid in self._ids[start : start + READ_BATCH] if pid not in self._cache]
        self._keep(self._library.papers(wanted))

    def _keep(self, papers: Iterable[Paper]) -> None:
        for paper in papers:
            self._cache[paper.id] = paper
        while len(self._cache) > CACHE_LIMIT:
            self._cache.popitem(last=False)

    def _show_up_to(self, row: int) -> None:
        while self._shown <= row:
            self.fetchMore(QModelIndex())

    # --- Qt's interface --------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._shown

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else COLUMN_COUNT

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and self._shown < len(self._ids)

    def fetchMore(self, parent: Index) -> None:
        if not self.canFetchMore(parent):
            return
        more = min(PAGE, len(self._ids) - self._shown)
        self.beginInsertRows(QModelIndex(), self._shown, self._shown + more - 1)
        self._shown += more
        self.endInsertRows()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        # The view asks for a dozen roles a cell at every paint; most are answered here.
        if role not in _ROLES or not index.isValid() or index.row() >= self._shown:
            return None
        if role == ID_ROLE:
            return self._ids[index.row()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _CENTRED if index.column() in (COL_STAR, COL_SEEN_IN) else _LEFT
        paper = self.paper(index.row())
        if paper is None:
            return None
        return self._role_data(paper, index.column(), role)

    def _role_data(self, paper: Paper, column: int, role: int) -> object:
        if role == Qt.ItemDataRole.DisplayRole:
            return display_text(paper, column)
        if role == PAPER_ROLE:
            return paper
        if role == CODE_ROLE:
            return code_badge(paper) if column == COL_TITLE else None
        if role == Qt.ItemDataRole.ToolTipRole and column in (COL_TITLE, COL_TAGS):
            return self._tooltip(paper, column)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._accessible_text(paper, column)
        return None

    @staticmethod
    def _tooltip(paper: Paper, column: int) -> str | None:
        text = display_text(paper, column)
        repo = code_badge(paper) if column == COL_TITLE else None
        if repo is not None:
            text += f"\nCode: {repo or 'yes'}"
        return text or None

    @staticmethod
    def _accessible_text(paper: Paper, column: int) -> str:
        if column == COL_STAR:
            return "starred" if paper.starred else "not starred"
        if column == COL_TITLE and paper.has_code:
            return f"{paper.title}, has code"
        return display_text(paper, column)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation != Qt.Orientation.Horizontal or section not in HEADERS:
            return None
        text, tip = HEADERS[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return text
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return tip
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _CENTRED if section in (COL_STAR, COL_SEEN_IN) else _LEFT
        return None
