"""The export dialog: which papers (results, selection, starred, a tag), the core's options,
the file (in the folder used last time), and whether to open it afterwards. As notes for a
notes app, it asks for a vault folder instead of a file (see `readerapp.core.vault`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QWidget,
)

from readerapp.core.export import ExportOptions
from readerapp.gui.forms import child, embed_form

RESULTS, SELECTION, STARRED, TAG = "results", "selection", "starred", "tag"
RADIOS = {
    RESULTS: ("exportResults", "Current &results"),
    SELECTION: ("exportSelection", "The &selection"),
    STARRED: ("exportStarred", "Every s&tarred paper"),
    TAG: ("exportTag", "Every paper tagge&d"),
}
# Each format the dialog offers: its name in the list and the suffix of its files.
FORMATS = {
    "markdown": ("Markdown reading list", ".md"),
    "bibtex": ("BibTeX citations", ".bib"),
    "csl-json": ("CSL JSON citations (Zotero, Pandoc)", ".json"),
}


@dataclass(frozen=True)
class ExportChoice:
    """What the user asked for."""

    scope: str
    tag: str
    path: Path
    options: ExportOptions
    open_after: bool
    vault: bool = False  # ``path`` is then a folder of notes
    one_file_per_paper: bool = False
    format: str = "markdown"  # or a citation format (`readerapp.core.citations.WRITERS`)


def default_file(folder: Path) -> Path:
    return folder / f"reading-list-{date.today().isoformat()}.md"


def default_vault(folder: Path) -> Path:
    return folder / "Reading list"


class ExportDialog(QDialog):
    """Ask what to export and where."""

    def __init__(
        self,
        counts: dict[str, int],
        tags: Sequence[tuple[str, int]],
        folder: Path,
        open_after: bool,
        parent: QWidget | None = None,
        vault_folder: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self._vault_folder = vault_folder
        self.setWindowTitle("Export — readerapp")
        self.setAccessibleName("Export")
        self.form = embed_form("export_dialog.ui", self)
        self.radios = {
            scope: child(self.form, QRadioButton, name) for scope, (name, _) in RADIOS.items()
        }
        self.tag_choice = child(self.form, QComboBox, "exportTagChoice")
        self.tag_choice.view().setAccessibleName("Tags")
        self.title = child(self.form, QLineEdit, "exportTitle")
        self.path = child(self.form, QLineEdit, "exportPath")
        self.abstracts = child(self.form, QCheckBox, "exportAbstract")
        self.group = child(self.form, QCheckBox, "exportGroup")
        self.open_after = child(self.form, QCheckBox, "exportOpen")
        self.vault = child(self.form, QCheckBox, "exportVault")
        self.per_paper = child(self.form, QCheckBox, "exportPerPaper")
        self.path_label = child(self.form, QLabel, "exportPathLabel")
        self.error = child(self.form, QLabel, "exportError")
        self.format = child(self.form, QComboBox, "exportFormat")
        self.format.view().setAccessibleName("Formats")
        for key, (text, suffix) in FORMATS.items():
            self.format.addItem(f"{text} ({suffix})", key)
        self.replace_question: QMessageBox | None = None
        self._fill(counts, tags, folder, open_after)
        self._wire()
        self.resize(540, self.sizeHint().height())

    def _fill(
        self,
        counts: dict[str, int],
        tags: Sequence[tuple[str, int]],
        folder: Path,
        open_after: bool,
    ) -> None:
        counts = {**counts, TAG: len(tags)}
        for scope, (_, text) in RADIOS.items():
            radio = self.radios[scope]
            radio.setText(text if scope == TAG else f"{text}  ({counts.get(scope, 0):,})")
            radio.setEnabled(counts.get(scope, 0) > 0)
        for tag, count in tags:
            self.tag_choice.addItem(f"{tag}  ({count:,})", tag)
        self.tag_choice.setEnabled(bool(tags))
        first = next(
            (s for s in (RESULTS, SELECTION, STARRED, TAG) if self.radios[s].isEnabled()), RESULTS
        )
        self.radios[first].setChecked(True)
        self.path.setText(str(default_file(folder)))
        self.open_after.setChecked(open_after)
        self.error.hide()

    def _wire(self) -> None:
        buttons = child(self.form, QDialogButtonBox, "exportButtons")
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Export")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        child(self.form, QPushButton, "exportBrowse").clicked.connect(self._browse)
        self.tag_choice.activated.connect(lambda _: self.radios[TAG].setChecked(True))
        self.vault.toggled.connect(self._vault_toggled)
        self.format.currentIndexChanged.connect(self._format_changed)

    def _format_changed(self) -> None:
        """Citations are one file, without the reading list's options; its suffix follows."""
        markdown = self.format.currentData() == "markdown"
        if not markdown:
            self.vault.setChecked(False)
        for box in (self.vault, self.abstracts, self.group, self.title):
            box.setEnabled(markdown)
        path = Path(self.path.text().strip() or ".").expanduser()
        if path.suffix in {suffix for _text, suffix in FORMATS.values()}:
            self.path.setText(str(path.with_suffix(FORMATS[self.format.currentData()][1])))

    def _vault_toggled(self, on: bool) -> None:
        """A folder of notes instead of a file: the path, its label and the options follow."""
        self.per_paper.setEnabled(on)
        self.group.setEnabled(not on)
        self.path_label.setText("&Folder:" if on else "&File:")
        path = Path(self.path.text().strip() or ".").expanduser()
        if on:
            folder = self._vault_folder or default_vault(path.parent if path.suffix else path)
            self.path.setText(str(folder))
        else:
            self.path.setText(str(default_file(path.parent)))

    def _browse(self) -> None:
        if self.vault.isChecked():
            folder = QFileDialog.getExistingDirectory(self, "Export into", self.path.text())
            if folder:
                self.path.setText(folder)
            return
        chosen, _ = QFileDialog.getSaveFileName(
            self, "Export to", self.path.text(), "Markdown (*.md);;All files (*)"
        )
        if chosen:
            self.path.setText(chosen)

    def scope(self) -> str:
        return next(scope for scope, radio in self.radios.items() if radio.isChecked())

    def problem(self) -> str | None:
        """Why the export cannot go ahead as filled in, or None."""
        text = self.path.text().strip()
        if not text:
            return "Choose a file to write."
        path = Path(text).expanduser()
        if self.vault.isChecked() and path.exists() and not path.is_dir():
            return f"{path} is a file; give a folder for the notes."
        if path.is_dir() and not self.vault.isChecked():
            return f"{path} is a folder; give a file name."
        if not path.parent.is_dir():
            return f"The folder {path.parent} does not exist."
        if self.scope() == TAG and self.tag_choice.currentData() is None:
            return "Choose a tag."
        return None

    def accept(self) -> None:
        problem = self.problem()
        if problem:
            self.error.setText(problem)
            self.error.show()
            return
        target = self._target()
        if not self.vault.isChecked() and target.exists():
            self._ask_to_replace(target)
            return
        super().accept()

    def _ask_to_replace(self, target: Path) -> None:
        """A file of that name is there: replace it only when the user says so (Cancel, the
        default, goes back to the dialog to change the name)."""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Replace the file? — readerapp",
            f"“{target.name}” already exists in {target.parent}. Replace it?",
            QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setObjectName("replaceQuestion")
        box.setAccessibleName("Replace the file?")
        replace = box.addButton("&Replace", QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        replace.setAccessibleName("Replace the file")
        replace.clicked.connect(self._replace)
        box.rejected.connect(self.path.setFocus)
        self.replace_question = box
        box.open()

    def _replace(self) -> None:
        super().accept()

    def _target(self) -> Path:
        """The path to write: the field's, a file named without a suffix gets ``.md``."""
        path = Path(self.path.text().strip()).expanduser()
        if not path.suffix and not self.vault.isChecked():
            path = path.with_suffix(FORMATS[self.format.currentData()][1])
        return path

    def choice(self) -> ExportChoice:
        path = self._target()
        vault = self.vault.isChecked()
        options = ExportOptions(
            title=self.title.text().strip() or "Reading list",
            include_abstract=self.abstracts.isChecked(),
            group_by_tag=self.group.isChecked() and self.group.isEnabled(),
        )
        tag = self.tag_choice.currentData() or ""
        return ExportChoice(
            self.scope(),
            tag,
            path,
            options,
            self.open_after.isChecked(),
            vault=vault,
            one_file_per_paper=vault and self.per_paper.isChecked(),
            format=self.format.currentData(),
        )
