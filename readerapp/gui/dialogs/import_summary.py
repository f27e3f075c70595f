"""What an import did: papers added, seen again, and each refused file with the reason.

When nothing at all could be imported, the summary is a warning (its icon and title say so), so
that a refusal is not mistaken for a finished import.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QStyle,
    QWidget,
)

from readerapp.core.collection import ImportSummary
from readerapp.gui.forms import child, embed_form


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}" if count == 1 else f"{count:,} {word}s"


def all_refused(summary: ImportSummary) -> bool:
    """True when files were given and every one was refused."""
    return bool(summary.refused) and not summary.results


def headline(summary: ImportSummary) -> str:
    """One sentence: how many digests, papers added and seen again, files refused."""
    if all_refused(summary):
        return f"Nothing was imported: {_plural(len(summary.refused), 'file')} refused."
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
        warning = all_refused(summary)
        self.setWindowTitle(f"{'Nothing imported' if warning else 'Import finished'} — readerapp")
        self.setAccessibleName("Import summary")
        form = embed_form("import_summary.ui", self)
        self.icon = child(form, QLabel, "summaryIcon")
        self.icon.setVisible(warning)
        if warning:
            size = self.style().pixelMetric(QStyle.PixelMetric.PM_MessageBoxIconSize, None, self)
            icon = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
            self.icon.setPixmap(icon.pixmap(size))
        self.headline = child(form, QLabel, "summaryHeadline")
        self.headline.setText(headline(summary))
        self.details = child(form, QPlainTextEdit, "summaryDetails")
        self.details.setPlainText(details(summary))
        self.details.setVisible(bool(self.details.toPlainText()))
        child(form, QDialogButtonBox, "summaryButtons").accepted.connect(self.accept)
        self.resize(560, 320 if self.details.isVisible() else 120)
