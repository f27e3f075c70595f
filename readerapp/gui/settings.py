"""The window's remembered state (QSettings): geometry, splitters, columns, choices, and the
reader's place in each library (search, filter, paper, scroll position).

The settings object is passed in, so that tests can give each window a file of its own; the
application passes :func:`app_settings`, named after the organisation and application. The
place is kept per data directory, under a key made from its path, so that two libraries keep
their own.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from readerapp import APP_NAME

ORGANISATION = APP_NAME


def app_settings() -> QSettings:
    """The user's GUI settings, in the platform's place for them."""
    return QSettings(
        QSettings.Format.NativeFormat, QSettings.Scope.UserScope, ORGANISATION, APP_NAME
    )


def library_key(data_dir: Path) -> str:
    """The settings group of one library's place: a digest of its folder's full path."""
    path = str(Path(data_dir).expanduser().resolve())
    return "libraries/" + hashlib.sha256(path.encode("utf-8")).hexdigest()[:16]


class GuiState:
    """Typed access to the few values the window keeps between runs."""

    def __init__(self, settings: QSettings, data_dir: Path) -> None:
        self.settings = settings
        self._place = library_key(data_dir)  # this library's group
        settings.setValue(f"{self._place}/folder", str(data_dir))  # for a person reading it

    def blob(self, key: str) -> QByteArray | None:
        value = self.settings.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def set_blob(self, key: str, value: QByteArray) -> None:
        self.settings.setValue(key, value)

    def _flag(self, key: str, default: bool) -> bool:
        return self.settings.value(key, default, type=bool)

    def _text(self, key: str, default: str = "") -> str:
        return str(self.settings.value(key, default) or default)

    @property
    def last_filter(self) -> str:
        """The side panel's entry chosen last in this library."""
        return self._text(f"{self._place}/filter", "all")

    @last_filter.setter
    def last_filter(self, key: str) -> None:
        self.settings.setValue(f"{self._place}/filter", key)

    @property
    def last_search(self) -> str:
        """The search box's text when this library's window closed."""
        return self._text(f"{self._place}/search")

    @last_search.setter
    def last_search(self, text: str) -> None:
        self.settings.setValue(f"{self._place}/search", text)

    @property
    def last_paper(self) -> str:
        """The id of the paper current when this library's window closed ("" for none)."""
        return self._text(f"{self._place}/paper")

    @last_paper.setter
    def last_paper(self, paper_id: str) -> None:
        self.settings.setValue(f"{self._place}/paper", paper_id)

    @property
    def last_scroll(self) -> int:
        """The paper list's vertical scroll position when this library's window closed."""
        return self.settings.value(f"{self._place}/scroll", 0, type=int)

    @last_scroll.setter
    def last_scroll(self, value: int) -> None:
        self.settings.setValue(f"{self._place}/scroll", value)

    @property
    def preview_below(self) -> bool:
        return self._flag("view/previewBelow", False)

    @preview_below.setter
    def preview_below(self, below: bool) -> None:
        self.settings.setValue("view/previewBelow", below)

    @property
    def auto_mark_reading(self) -> bool:
        return self._flag("reading/autoMark", True)

    @auto_mark_reading.setter
    def auto_mark_reading(self, on: bool) -> None:
        self.settings.setValue("reading/autoMark", on)

    @property
    def export_folder(self) -> Path | None:
        text = self._text("export/folder")
        return Path(text) if text else None

    @export_folder.setter
    def export_folder(self, folder: Path) -> None:
        self.settings.setValue("export/folder", str(folder))

    @property
    def vault_folder(self) -> Path | None:
        """The folder of notes exported into last."""
        text = self._text("export/vault")
        return Path(text) if text else None

    @vault_folder.setter
    def vault_folder(self, folder: Path) -> None:
        self.settings.setValue("export/vault", str(folder))

    @property
    def export_open(self) -> bool:
        return self._flag("export/open", False)

    @export_open.setter
    def export_open(self, on: bool) -> None:
        self.settings.setValue("export/open", on)

    def sync(self) -> None:
        self.settings.sync()
