"""File > Fetch Daily Papers…: which day to fetch (today unless the user picks another), or
every day missing since the last fetch."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QRadioButton,
    QWidget,
)

from readerapp.core.plural import counted


class FetchDialog(QDialog):
    """Asks for one day, or offers ``missing`` (the days since the last fetch) when any;
    ``left_out`` older missing days are not offered (a fetch is bounded) and it says so."""

    def __init__(
        self,
        parent: QWidget | None = None,
        today: date | None = None,
        missing: list[date] | None = None,
        left_out: int = 0,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("fetchDialog")
        self.setWindowTitle("Fetch Daily Papers — readerapp")
        self.setAccessibleName("Fetch Daily Papers")
        today = today or date.today()
        self.missing, self.left_out = list(missing or []), left_out
        layout = QFormLayout(self)
        layout.addRow(QLabel("Fetch the Daily Papers from Hugging Face:"))
        self.one_day = QRadioButton("&One day:", self)
        self.one_day.setObjectName("fetchOneDay")
        self.one_day.setChecked(True)
        self.day_edit = QDateEdit(QDate(today.year, today.month, today.day), self)
        self.day_edit.setObjectName("fetchDay")
        self.day_edit.setAccessibleName("Day to fetch")
        self.day_edit.lineEdit().setAccessibleName("Day to fetch")
        self.day_edit.setCalendarPopup(True)
        self.day_edit.setDisplayFormat("yyyy-MM-dd")
        self.day_edit.setMaximumDate(QDate(today.year, today.month, today.day))
        layout.addRow(self.one_day, self.day_edit)
        self.since_last = QRadioButton(self._since_text(), self)
        self.since_last.setObjectName("fetchSinceLast")
        self.since_last.setEnabled(bool(self.missing))
        self.since_last.toggled.connect(lambda on: self.day_edit.setEnabled(not on))
        layout.addRow(self.since_last)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.setObjectName("fetchButtons")
        buttons.setAccessibleName("Fetch or cancel")
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Fetch")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addRow(buttons)

    def _since_text(self) -> str:
        if not self.missing:
            return "&Every missing day since the last fetch (none: up to date)"
        first, last = self.missing[0].isoformat(), self.missing[-1].isoformat()
        span = first if first == last else f"{first} to {last}"
        cut = f"; {self.left_out} older left out" if self.left_out else ""
        count = counted(len(self.missing), "day")
        return f"&Every missing day since the last fetch ({count}: {span}{cut})"

    def day(self) -> date:
        return self.day_edit.date().toPython()

    def days(self) -> list[date]:
        """The days chosen: the missing ones, or the one day."""
        return self.missing if self.since_last.isChecked() else [self.day()]
