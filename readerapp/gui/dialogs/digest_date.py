"""Ask for a digest's date: the side panel's "Set date…" (F2 on a digest).

The dialog shows how the digest got the date it has (its date line and where the year came
from, or the day it was imported when it has no date line), as the import summary and the
command line say it, and what a new date changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QDialog, QDialogButtonBox, QLabel, QWidget

from readerapp.core.library import DigestInfo
from readerapp.gui.forms import child, embed_form
from readerapp.gui.models.side_model import day_label

WHAT_CHANGES = (
    "The papers' “first seen” follows the new date; their stars, tags, notes and read states "
    "stay as they are."
)


def how_dated(digests: Sequence[DigestInfo]) -> str:
    """A line per digest: its file's name and how it got its date."""
    return "\n".join(f"{Path(info.source).name}: {info.date_note}" for info in digests)


class DigestDateDialog(QDialog):
    """Ask for a new date for the digests of ``day``."""

    def __init__(self, day: date, digests: Sequence[DigestInfo], parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setObjectName("digestDateDialog")
        self.setWindowTitle("Set digest date — readerapp")
        self.setAccessibleName("Set digest date")
        form = embed_form("digest_date.ui", self)
        which = "the digest" if len(digests) <= 1 else f"the {len(digests)} digests"
        self.intro = child(form, QLabel, "dateIntro")
        self.intro.setText(f"Set the date of {which} of {day_label(day)}")
        self.how = child(form, QLabel, "dateHow")
        self.how.setText(how_dated(digests))
        child(form, QLabel, "dateNote").setText(WHAT_CHANGES)
        self.editor = child(form, QDateEdit, "dateEdit")
        self.editor.setDate(QDate(day.year, day.month, day.day))
        buttons = child(form, QDialogButtonBox, "dateButtons")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.editor.setFocus()
        self.resize(480, 220)

    def day(self) -> date:
        chosen = self.editor.date()
        return date(chosen.year(), chosen.month(), chosen.day())
