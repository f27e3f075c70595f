"""What an import did: papers added, seen again, and each refused file with the reason."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QWidget

from readerapp.core.collection import ImportSummary
from readerapp.gui.forms import child, embed_form


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}" if count == 1 else f"{count:,} {word}s"


def headline(summary: ImportSummary) -> str:
    """One sentence: how many digests, papers added and seen again, files refused."""
    repeated = sum(r.already_imported for r in summary.results)
    fresh = len(summary.results) - repeated
    text = (
        f"Imported {_plural(fresh, 'digest')}: {_plural(summary.added, 'paper')} added, "
        f"{summary.seen_again:,} seen again."
    )
    if repeated:
        text += f" {_plural(repeated, 'digest')} had been imported before."
    if summary.refused:
        text += f" {_plural(len(summary.refused), 'file')} refused."
    if summary.cancelled:
        text += " The import was cancelled before the end."
    return text


def details(summary: ImportSummary) -> str:
    """A line per refused file (with its reason), then the warnings."""
    lines = [f"Refused {error.source}: {error.reason}" for error in summary.refused]
    lines += [f"Warning: {warning}" for warning in summary.warnings]
    return "\n".join(lines)


class ImportSummaryDialog(QDialog):
    def __init__(self, summary: ImportSummary, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importSummary")
        self.setWindowTitle("Import finished — readerapp")
        self.setAccessibleName("Import summary")
        form = embed_form("import_summary.ui", self)
        self.headline = child(form, QLabel, "summaryHeadline")
        self.headline.setText(headline(summary))
        self.details = child(form, QPlainTextEdit, "summaryDetails")
        self.details.setPlainText(details(summary))
        self.details.setVisible(bool(self.details.toPlainText()))
        child(form, QDialogButtonBox, "summaryButtons").accepted.connect(self.accept)
        self.resize(560, 320 if self.details.isVisible() else 120)
