"""The window's remembered state (QSettings): geometry, splitters, columns, filter, choices.

The settings object is passed in, so that tests can give each window a file of its own; the
application passes :func:`app_settings`, named after the organisation and application.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from readerapp import APP_NAME

ORGANISATION = APP_NAME


def app_settings() -> QSettings:
    """The user's GUI settings, in the platform's place for them."""
    return QSettings(
        QSettings.Format.NativeFormat, QSettings.Scope.UserScope, ORGANISATION, APP_NAME
    )


class GuiState:
    """Typed access to the few values the window keeps between runs."""

    def __init__(self, settings: QSettings) -> None:
        self.settings = settings

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
        return self._text("browse/filter", "all")

    @last_filter.setter
    def last_filter(self, key: str) -> None:
        self.settings.setValue("browse/filter", key)

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
