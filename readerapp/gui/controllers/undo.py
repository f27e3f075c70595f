"""Undo and redo (Ctrl+Z, Ctrl+Shift+Z) of what the user does to papers: stars, read states,
tags and notes, on any selection, and changes to the tag vocabulary.

Every such change is a `StateCommand` pushed on the one QUndoStack of `UndoController`. A
command names the kind of state it changes (a `StateKind`), the papers it may touch and the
change itself.
Just before each redo, the worker takes a snapshot of that state of those papers; an undo puts
the snapshot back, paper by paper. So undo restores exactly what the redo replaced, whatever
happened before, and a redo makes the change again. All of it runs on the worker, in order.

To make a new change undoable, push a command built with one of the functions below, or a
`StateCommand` of your own::

    undo.push(StateCommand(TAGS, "Tag 3 papers", change, ids=ids, done="Tagged 3 papers"))

where ``change(collection)`` makes the change on the worker. When the papers touched are
known only there (renaming a tag), give ``affected(library) -> ids`` instead of ``ids``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QUndoCommand, QUndoStack

from readerapp.core.collection import Collection
from readerapp.core.library import Filters, Library
from readerapp.core.models import ReadState
from readerapp.core.tags import clean_tag
from readerapp.gui.tasks import TaskManager

log = logging.getLogger(__name__)

UNDO_LIMIT = 200
Change = Callable[[Collection], object]
Affected = Callable[[Library], list[str]]


def count_text(count: int) -> str:
    return "1 paper" if count == 1 else f"{count:,} papers"


def _grouped(values: dict[str, Any]) -> dict[Any, list[str]]:
    """The ids of ``values`` grouped by their value, so that each value is one write."""
    groups: dict[Any, list[str]] = {}
    for pid, value in values.items():
        groups.setdefault(value, []).append(pid)
    return groups


@dataclass(frozen=True)
class StateKind:
    """One kind of state of papers: how to read a snapshot of it, and how to put one back."""

    name: str
    read: Callable[[Library, list[str]], Any]
    restore: Callable[[Collection, Any], None]


def _read_starred(library: Library, ids: list[str]) -> dict[str, bool]:
    return {paper.id: paper.starred for paper in library.papers(ids)}


def _restore_starred(collection: Collection, values: dict[str, bool]) -> None:
    for starred, ids in _grouped(values).items():
        collection.library.set_starred(ids, starred)


def _read_read_state(library: Library, ids: list[str]) -> dict[str, ReadState]:
    return {paper.id: paper.read_state for paper in library.papers(ids)}


def _restore_read_state(collection: Collection, values: dict[str, ReadState]) -> None:
    for state, ids in _grouped(values).items():
        collection.library.set_read_state(ids, state)


def _read_tags(library: Library, ids: list[str]) -> dict[str, tuple[str, ...]]:
    return {paper.id: tuple(paper.tags) for paper in library.papers(ids)}


def _restore_tags(collection: Collection, values: dict[str, tuple[str, ...]]) -> None:
    """Give each paper exactly its tags of ``values``, spelling included: the tags that differ
    are taken off first, so that a tag spelt another way is put back as it was."""
    library = collection.library
    current = _read_tags(library, list(values))
    changes: dict[tuple[tuple[str, ...], tuple[str, ...]], list[str]] = {}
    for pid, wanted in values.items():
        now = current.get(pid, ())
        remove = tuple(tag for tag in now if tag not in wanted)
        add = tuple(tag for tag in wanted if tag not in now)
        if remove or add:
            changes.setdefault((remove, add), []).append(pid)
    for (remove, add), ids in changes.items():
        library.tags.remove(ids, remove)
        library.tags.add(ids, add)


def _read_notes(library: Library, ids: list[str]) -> dict[str, str]:
    return {paper.id: paper.note for paper in library.papers(ids)}


def _restore_notes(collection: Collection, values: dict[str, str]) -> None:
    for pid, note in values.items():
        collection.library.set_note(pid, note)
    try:
        collection.sync_index()
    except Exception:  # the notes are safe in SQLite; the index catches up later
        log.exception("could not index the notes put back")


Vocabulary = tuple[dict[str, tuple[str, ...]], dict[str, str]]  # tags by paper, colours by tag


def _read_vocabulary(library: Library, ids: list[str]) -> Vocabulary:
    return _read_tags(library, ids), library.tags.colours()


def _restore_vocabulary(collection: Collection, snapshot: Vocabulary) -> None:
    """Tags as they were, and every tag's colour as it was."""
    tags, colours = snapshot
    _restore_tags(collection, tags)
    library = collection.library
    for tag in set(library.tags.colours()) - set(colours):
        library.tags.set_colour(tag, None)
    for tag, colour in colours.items():
        library.tags.set_colour(tag, colour)


STARRED = StateKind("starred", _read_starred, _restore_starred)
READ_STATE = StateKind("read state", _read_read_state, _restore_read_state)
TAGS = StateKind("tags", _read_tags, _restore_tags)
NOTE = StateKind("note", _read_notes, _restore_notes)
TAG_VOCABULARY = StateKind("tag vocabulary", _read_vocabulary, _restore_vocabulary)


class Runner(Protocol):
    """What runs the commands' work: the worker, then the papers' refresh (`UndoController`)."""

    def run(self, job: Callable[[Collection], list[str]], message: str) -> None: ...


class StateCommand(QUndoCommand):
    """An undoable change to some papers' state, made and unmade on the worker.

    ``text`` names it in the Edit menu ("Undo Star 3 papers"); ``done`` is what the status bar
    says once it is made. Subclasses may override `apply` and `papers` instead of passing
    ``change`` and ``ids``/``affected``.
    """

    def __init__(
        self,
        kind: StateKind,
        text: str,
        change: Change | None = None,
        *,
        ids: Sequence[str] = (),
        affected: Affected | None = None,
        done: str = "",
    ) -> None:
        super().__init__(text)
        self.kind = kind
        self.done = done or text
        self.runner: Runner | None = None
        self._change = change
        self._ids = list(ids)
        self._affected = affected
        self._before: tuple[list[str], Any] | None = None  # written and read on the worker

    def papers(self, library: Library) -> list[str]:
        """The papers the change may touch, as they are now (on the worker)."""
        return self._affected(library) if self._affected else list(self._ids)

    def apply(self, collection: Collection) -> None:
        """Make the change (on the worker)."""
        if self._change is not None:
            self._change(collection)

    def redo(self) -> None:
        def job(collection: Collection) -> list[str]:
            ids = self.papers(collection.library)
            self._before = (ids, self.kind.read(collection.library, ids))
            self.apply(collection)
            return ids

        self._run(job, self.done)

    def undo(self) -> None:
        def job(collection: Collection) -> list[str]:
            if self._before is None:  # the redo failed before it changed anything
                return []
            ids, snapshot = self._before
            self.kind.restore(collection, snapshot)
            return ids

        self._run(job, f"Undone: {self.text()}")

    def _run(self, job: Callable[[Collection], list[str]], message: str) -> None:
        if self.runner is None:
            raise RuntimeError("push a StateCommand with UndoController.push")
        self.runner.run(job, message)


# --- the commands of the Paper menu, and of the tag vocabulary -----------------------------


def star_command(ids: Sequence[str], starred: bool) -> StateCommand:
    verb = "Star" if starred else "Unstar"
    return StateCommand(
        STARRED,
        f"{verb} {count_text(len(ids))}",
        lambda c: c.library.set_starred(ids, starred),
        ids=ids,
        done=f"{verb}red {count_text(len(ids))}",
    )


def read_state_command(ids: Sequence[str], state: ReadState) -> StateCommand:
    return StateCommand(
        READ_STATE,
        f"Mark {count_text(len(ids))} {state}",
        lambda c: c.library.set_read_state(ids, state),
        ids=ids,
        done=f"Marked {count_text(len(ids))} {state}",
    )


def _tag_words(add: Sequence[str], remove: Sequence[str], count: str) -> tuple[str, str]:
    if add and not remove:
        return f"Tag {count} “{', '.join(add)}”", f"Tagged {count} “{', '.join(add)}”"
    if remove and not add:
        return f"Untag {count} “{', '.join(remove)}”", f"Untagged {count} “{', '.join(remove)}”"
    return f"Change the tags of {count}", f"Changed the tags of {count}"


def tags_command(ids: Sequence[str], add: Sequence[str], remove: Sequence[str]) -> StateCommand:
    def change(collection: Collection) -> None:
        collection.library.tags.add(ids, add)
        collection.library.tags.remove(ids, remove)

    text, done = _tag_words(add, remove, count_text(len(ids)))
    return StateCommand(TAGS, text, change, ids=ids, done=done)


def note_command(ids: Sequence[str], note: str) -> StateCommand:
    def change(collection: Collection) -> None:
        for pid in ids:
            collection.set_note(pid, note)

    count = count_text(len(ids))
    return StateCommand(
        NOTE, f"Edit the note of {count}", change, ids=ids, done=f"Saved the note of {count}"
    )


def _tagged(tags: Iterable[str]) -> Affected:
    def affected(library: Library) -> list[str]:
        ids: dict[str, None] = {}
        for tag in tags:
            ids.update(dict.fromkeys(library.filter_ids(Filters(tags=[tag]))))
        return list(ids)

    return affected


def rename_tag_command(old: str, new: str) -> StateCommand:
    """Rename (or merge) a tag on every paper: `Tags.rename`, undoable."""
    old, new = clean_tag(old), clean_tag(new)
    return StateCommand(
        TAG_VOCABULARY,
        f"Rename the tag “{old}” to “{new}”",
        lambda c: c.library.tags.rename(old, new),
        affected=_tagged([old, new]),
        done=f"Renamed the tag “{old}” to “{new}”",
    )


def delete_tag_command(tag: str) -> StateCommand:
    """Take a tag off every paper: `Tags.delete`, undoable."""
    tag = clean_tag(tag)
    return StateCommand(
        TAG_VOCABULARY,
        f"Delete the tag “{tag}”",
        lambda c: c.library.tags.delete(tag),
        affected=_tagged([tag]),
        done=f"Deleted the tag “{tag}”",
    )


# --- the stack -----------------------------------------------------------------------------


class UndoController(QObject):
    """The undo stack; Edit ▸ Undo and Redo follow it and name what they would do.

    Commands run on the worker of ``tasks``; once each is made or unmade, `papers_changed`
    carries the ids of the papers it touched and what the status bar should say.
    """

    papers_changed = Signal(list, str)

    def __init__(self, tasks: TaskManager, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self.stack = QUndoStack(self)
        self.stack.setUndoLimit(UNDO_LIMIT)

    def attach(self, undo_action: QAction, redo_action: QAction) -> None:
        """Keep the Edit menu's actions named after, and enabled by, the stack."""
        for action, verb, enabled, text, changed_enabled, changed_text in (
            (undo_action, "&Undo", self.stack.canUndo, self.stack.undoText,
             self.stack.canUndoChanged, self.stack.undoTextChanged),
            (redo_action, "&Redo", self.stack.canRedo, self.stack.redoText,
             self.stack.canRedoChanged, self.stack.redoTextChanged),
        ):  # fmt: skip
            action.setEnabled(enabled())
            action.setText(_label(verb, text()))
            changed_enabled.connect(action.setEnabled)
            changed_text.connect(lambda words, a=action, v=verb: a.setText(_label(v, words)))

    def push(self, command: StateCommand) -> None:
        """Make the change now, on the worker, and remember it for undo."""
        command.runner = self
        self.stack.push(command)

    def undo(self) -> None:
        self.stack.undo()

    def redo(self) -> None:
        self.stack.redo()

    def run(self, job: Callable[[Collection], list[str]], message: str) -> None:
        self._tasks.run(job, lambda ids: self.papers_changed.emit(ids, message))


def _label(verb: str, text: str) -> str:
    return f"{verb} {text}" if text else verb
