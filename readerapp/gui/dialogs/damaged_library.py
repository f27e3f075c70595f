"""A library that cannot be opened at start: say what is wrong, keep the file, offer a backup.

`DamagedLibraryError` comes from `Collection` for a damaged file or another program's SQLite
file. The file is never changed: restoring renames it aside (``library.sqlite3.damaged-…``)
and copies the backup in; quitting leaves it exactly as it was.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from readerapp.core.collection import Collection, restore_library
from readerapp.core.errors import DamagedLibraryError

log = logging.getLogger(__name__)


def backup_date(path: Path) -> str:
    """When the backup was made, as a person says it: ``13 March 2026, 09:41``."""
    try:
        moment = datetime.fromtimestamp(path.stat().st_mtime)
    except OSError:
        return path.name
    return f"{moment.day} {moment:%B %Y, %H:%M}"


class DamagedLibraryDialog(QMessageBox):
    """Restore the newest backup (when there is one) or quit."""

    def __init__(self, error: DamagedLibraryError, parent: QWidget | None = None) -> None:
        super().__init__(QMessageBox.Icon.Critical, "The library cannot be opened — readerapp",
                         "readerapp cannot open your library.", parent=parent)  # fmt: skip
        self.setObjectName("damagedLibraryDialog")
        self.setAccessibleName("The library cannot be opened")
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        backup = error.newest_backup
        text = (
            f"The file {error.path} {error.reason}.\n\n"
            "The file is kept as it is: readerapp has not changed it."
        )
        if backup:
            text += (
                f"\n\nThe newest backup is {backup}. Restoring it puts the file aside "
                f"(renamed to {error.path.name}.damaged-…) and opens the backup."
            )
        else:
            text += "\n\nThere is no backup to restore."
        self.setInformativeText(text)
        self.restore_button = None
        if backup:
            self.restore_button = self.addButton(
                f"Restore the newest backup ({backup_date(backup)})",
                QMessageBox.ButtonRole.AcceptRole,
            )
            self.restore_button.setAccessibleName("Restore the newest backup")
            self.setDefaultButton(self.restore_button)
        self.quit_button = self.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
        self.quit_button.setAccessibleName("Quit readerapp")
        self.setEscapeButton(self.quit_button)
        if backup is None:
            self.setDefaultButton(self.quit_button)

    def wants_restore(self) -> bool:
        return self.restore_button is not None and self.clickedButton() is self.restore_button


def open_collection(data_dir: Path) -> tuple[Collection | None, str]:
    """The collection in ``data_dir``, after asking about a damaged library if need be.

    Returns the collection (None when the user chose to quit) and a message for the status
    bar (what a restore did, or nothing). Other errors (`ReaderappError`) go to the caller.
    """
    try:
        return Collection(data_dir), ""
    except DamagedLibraryError as error:
        log.error("the library cannot be opened: %s", error)
        dialog = DamagedLibraryDialog(error)
        dialog.exec()
        if not dialog.wants_restore():
            return None, ""
        backup = error.newest_backup
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        result = restore_library(data_dir, backup)
    finally:
        QApplication.restoreOverrideCursor()
    log.info("restored %s; the old library was kept as %s", backup, result.moved_aside)
    kept = result.moved_aside or result.saved_copy
    message = f"Restored the backup of {backup_date(backup)}."
    if kept:
        message += f" The old file is kept as {kept}."
    return Collection(data_dir), message
