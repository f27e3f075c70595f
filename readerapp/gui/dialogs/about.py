"""Help > About: the version, where the library and the log are, the licence, what it runs on."""

from __future__ import annotations

import platform
from html import escape
from importlib.metadata import PackageNotFoundError, metadata
from pathlib import Path

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QLabel, QPushButton, QWidget

from readerapp import APP_NAME, __version__
from readerapp.gui.forms import child, embed_form
from readerapp.gui.style import app_icon
from readerapp.gui.views.preview import open_external
from readerapp.logs import log_path

PROJECT_URL = "https://github.com/readerapp/readerapp"
ICON_SIZE = 64
MIN_WIDTH = 560


def licence() -> str:
    """The licence the package metadata names (the wheel's ``License-Expression``)."""
    try:
        data = metadata(APP_NAME)
    except PackageNotFoundError:  # a checkout that was never installed
        return "MIT"
    return data.get("License-Expression") or data.get("License") or "MIT"


def versions() -> str:
    return f"Qt {qVersion()} · PySide6 {PySide6.__version__} · Python {platform.python_version()}"


class AboutDialog(QDialog):
    """The facts a bug report needs, selectable, and a button that copies them."""

    def __init__(self, data_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle("About readerapp")
        self.setAccessibleName("About readerapp")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        form = embed_form("about_dialog.ui", self)
        child(form, QLabel, "aboutIcon").setPixmap(app_icon().pixmap(ICON_SIZE))
        self.facts = {
            "aboutTitle": f"readerapp {__version__}",
            "aboutDataDir": str(data_dir),
            "aboutLogFile": str(log_path()),
            "aboutLicence": licence(),
            "aboutVersions": versions(),
        }
        for name, text in self.facts.items():
            child(form, QLabel, name).setText(text)
        title = child(form, QLabel, "aboutTitle")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        title.setFont(font)
        link = child(form, QLabel, "aboutLink")
        link.setText(f'<a href="{escape(PROJECT_URL)}">{escape(PROJECT_URL)}</a>')
        link.linkActivated.connect(open_external)
        child(form, QPushButton, "aboutCopy").clicked.connect(self.copy_details)
        child(form, QDialogButtonBox, "aboutButtons").rejected.connect(self.reject)
        self.setMinimumWidth(MIN_WIDTH)
        self.adjustSize()

    def details(self) -> str:
        """The facts as plain lines, for a bug report."""
        f = self.facts
        return "\n".join((
            f["aboutTitle"], f"Library folder: {f['aboutDataDir']}",
            f"Log file: {f['aboutLogFile']}", f"Licence: {f['aboutLicence']}",
            f["aboutVersions"], PROJECT_URL,
        ))  # fmt: skip

    def copy_details(self) -> None:
        QApplication.clipboard().setText(self.details())
