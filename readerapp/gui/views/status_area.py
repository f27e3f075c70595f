"""The status bar: "N of M papers", the active filter, "did you mean …", and long tasks."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton, QStatusBar


def _label(name: str, accessible: str) -> QLabel:
    label = QLabel()
    label.setContentsMargins(4, 0, 8, 0)
    label.setObjectName(name)
    label.setAccessibleName(accessible)
    return label


class StatusArea(QObject):
    """The widgets of the status bar and what they say."""

    suggestion_chosen = Signal(str)
    cancel_requested = Signal()

    def __init__(self, bar: QStatusBar) -> None:
        super().__init__(bar)
        self.bar = bar
        self.count = _label("statusCount", "Papers shown")
        self.filter = _label("statusFilter", "Active filter")
        self.did_you_mean = _label("didYouMean", "Did you mean")
        self.did_you_mean.linkActivated.connect(self._on_link)
        self.note = _label("statusMessage", "Message")
        self._note_timer = QTimer(self)
        self._note_timer.setSingleShot(True)
        self._note_timer.timeout.connect(self.note.clear)
        self.task = _label("taskLabel", "Background task")
        self.progress = QProgressBar()
        self.progress.setObjectName("importProgress")
        self.progress.setAccessibleName("Progress")
        self.progress.setMaximumWidth(180)
        self.progress.setMaximumHeight(16)
        self.cancel = QPushButton("Cancel")
        self.cancel.setObjectName("importCancel")
        self.cancel.setAccessibleName("Cancel the import")
        self.cancel.clicked.connect(self.cancel_requested)
        self._suggestion = ""
        self._lay_out()

    def _lay_out(self) -> None:
        for widget in (self.count, self.filter, self.did_you_mean):
            self.bar.addWidget(widget)
        self.bar.addWidget(self.note, 1)
        for widget in (self.task, self.progress, self.cancel):
            self.bar.addPermanentWidget(widget)
        self.filter.hide()
        self.did_you_mean.hide()
        self.end_task()

    # --- results ---------------------------------------------------------------------------

    def show_counts(self, shown: int, total: int, selected: int = 0, unindexed: int = 0) -> None:
        """``unindexed``: papers the search's words were not looked for in (not indexed yet)."""
        if total == 0:
            self.count.setText("The library is empty")
            return
        text = f"{shown:,} of {total:,} papers"
        if unindexed:
            text += f" · {unindexed:,} not indexed yet"
        if selected > 1:
            text += f" · {selected:,} selected"
        self.count.setText(text)

    def show_waiting(self, why: str) -> None:
        self.count.setText(why)

    def show_filter(self, label: str) -> None:
        self.filter.setText(f"Filter: {label}")
        self.filter.setVisible(bool(label))

    def show_suggestion(self, suggestion: str | None) -> None:
        self._suggestion = suggestion or ""
        if suggestion:
            link = f'<a href="suggestion">{escape(suggestion)}</a>'
            self.did_you_mean.setText(f"Did you mean {link}?")
        self.did_you_mean.setVisible(bool(suggestion))

    def suggestion(self) -> str:
        """The correction offered ("did you mean …"), or an empty string."""
        return self._suggestion

    def _on_link(self, _href: str) -> None:
        if self._suggestion:
            self.suggestion_chosen.emit(self._suggestion)

    # --- long tasks ------------------------------------------------------------------------

    def begin_task(self, label: str) -> None:
        self.task.setText(label)
        self.progress.setRange(0, 0)  # busy until the first progress report
        for widget in (self.task, self.progress, self.cancel):
            widget.show()
        self.cancel.setEnabled(True)

    def set_progress(self, done: int, total: int) -> None:
        """Show ``done`` of ``total``; busy once all is done but the task is still finishing
        (an index's final commit takes seconds, which a full bar would hide)."""
        if total and done >= total:
            self.progress.setRange(0, 0)
            return
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def end_task(self) -> None:
        for widget in (self.task, self.progress, self.cancel):
            widget.hide()

    def cancelling(self) -> None:
        self.cancel.setEnabled(False)
        self.task.setText("Cancelling…")

    def message(self, text: str, msecs: int = 8000) -> None:
        """A passing message beside the counts (QStatusBar's own would hide them)."""
        self.note.setText(text)
        self._note_timer.start(msecs)
