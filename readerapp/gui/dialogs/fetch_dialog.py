"""File > Fetch Daily Papers…: which day to fetch (today unless the user picks another)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QLabel, QWidget


class FetchDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, today: date | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fetchDialog")
        self.setWindowTitle("Fetch Daily Papers — readerapp")
        self.setAccessibleName("Fetch Daily Papers")
        today = today or date.today()
        layout = QFormLayout(self)
        layout.addRow(QLabel("Fetch the Daily Papers of this day from Hugging Face:"))
        self.day_edit = QDateEdit(QDate(today.year, today.month, today.day), self)
        self.day_edit.setObjectName("fetchDay")
        self.day_edit.setAccessibleName("Day to fetch")
        self.day_edit.lineEdit().setAccessibleName("Day to fetch")
        self.day_edit.setCalendarPopup(True)
        self.day_edit.setDisplayFormat("yyyy-MM-dd")
        self.day_edit.setMaximumDate(QDate(today.year, today.month, today.day))
        layout.addRow("&Day:", self.day_edit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.setObjectName("fetchButtons")
        buttons.setAccessibleName("Fetch or cancel")
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Fetch")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addRow(buttons)

    def day(self) -> date:
        return self.day_edit.date().toPython()
