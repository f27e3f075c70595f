"""Star or skip: one paper at a time (title, digest, abstract), s stars it, Space skips it, x
marks it Not for me, Esc ends the round.

The dialog only shows and counts; what a key means for the library (an undoable star, an
undoable "Not for me") is done by whoever listens to `starred` and `refused`. A skip says
nothing about the paper.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QLabel, QPushButton, QTextBrowser, QWidget

from readerapp.core.for_you import MIN_POSITIVES
from readerapp.core.models import Paper
from readerapp.gui.forms import child, embed_form
from readerapp.gui.models.side_model import day_label


def goal_text(positives: int) -> str:
    """How far For you is from suggesting: "Star 3 more papers to get suggestions"."""
    more = MIN_POSITIVES - positives
    if more <= 0:
        return "For you has enough to go on: each star sharpens it"
    return f"Star {more} more {'paper' if more == 1 else 'papers'} to get suggestions"


class StarOrSkipDialog(QDialog):
    """The round over ``papers``; ``positives`` is how many For you had before it."""

    starred = Signal(str)  # a paper id
    refused = Signal(str)

    def __init__(self, papers: Sequence[Paper], positives: int, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setObjectName("starOrSkip")
        self.setWindowTitle("Star or skip — readerapp")
        self.setAccessibleName("Star or skip")
        self.papers = list(papers)
        self.positives = positives
        self.at = 0
        self.counts = {"starred": 0, "refused": 0}
        form = embed_form("star_or_skip.ui", self)
        self.goal = child(form, QLabel, "starOrSkipGoal")
        self.progress = child(form, QLabel, "starOrSkipProgress")
        self.title = child(form, QLabel, "starOrSkipTitle")
        self.day = child(form, QLabel, "starOrSkipDay")
        self.abstract = child(form, QTextBrowser, "starOrSkipAbstract")
        for name, key, handler in (
            ("starOrSkipStar", "S", self.star),
            ("starOrSkipSkip", "Space", self.skip),
            ("starOrSkipRefuse", "X", self.refuse),
        ):
            child(form, QPushButton, name).clicked.connect(handler)
            self._key(key, handler)
        child(form, QPushButton, "starOrSkipDone").clicked.connect(self.reject)
        self.resize(660, 420)
        self._show_paper()

    def _key(self, key: str, handler: Callable[[], None]) -> None:
        """``key`` calls ``handler`` at once, however fast the keys come (a button's own
        shortcut clicks it a moment later, and a second key meanwhile is lost)."""
        action = QAction(self)
        action.setShortcut(QKeySequence(key))
        action.triggered.connect(lambda _=False: handler())
        self.addAction(action)

    def current(self) -> Paper:
        return self.papers[self.at]

    def answered(self) -> list[str]:
        """The papers starred, skipped or marked so far (not those Esc left unseen)."""
        return [paper.id for paper in self.papers[: self.at]]

    def star(self) -> None:
        self.positives += 1
        self.counts["starred"] += 1
        self.starred.emit(self.current().id)
        self._next()

    def skip(self) -> None:
        self._next()

    def refuse(self) -> None:
        self.counts["refused"] += 1
        self.refused.emit(self.current().id)
        self._next()

    def _next(self) -> None:
        self.at += 1
        if self.at == len(self.papers):
            self.accept()
        else:
            self._show_paper()

    def _show_paper(self) -> None:
        paper = self.current()
        self.goal.setText(goal_text(self.positives))
        self.progress.setText(f"{self.at + 1} of {len(self.papers)}")
        self.title.setText(paper.title)
        self.day.setText(
            f"In the digest of {day_label(paper.first_seen)}" if paper.first_seen else ""
        )
        self.abstract.setPlainText(paper.abstract)
