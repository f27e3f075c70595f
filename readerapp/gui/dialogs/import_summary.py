"""What an import did: papers added, seen again, each digest with the date it got, and each
refused file with the reason (the lines of `core.import_report`, as the command line has them).

When nothing at all could be imported, the summary is a warning (its icon and title say so), so
that a refusal is not mistaken for a finished import.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QStyle,
    QWidget,
)

from readerapp.core.collection import ImportSummary
from readerapp.core.import_report import problem_lines, report_lines
from readerapp.core.plural import counted
from readerapp.gui.forms import child, embed_form

# Counts as the window shows them: thousands separated ("1,200 papers").
_count = partial(counted, grouped=True)


def nothing_imported(summary: ImportSummary) -> bool:
    """True when files or folders were given and not one digest came of them."""
    given = summary.refused or summary.skipped or summary.empty_folders
    return bool(given) and not summary.results and not summary.cancelled


def headline(summary: ImportSummary, text: str = "") -> str:
    """One sentence: how many digests, papers added and seen again, files refused. ``text``
    names the text imported ("pasted", "dropped"), when it was not files."""
    if nothing_imported(summary):
        if text:
            return f"Nothing was imported: the {text} text is not a digest readerapp can read."
        return f"Nothing was imported: {'; '.join(_not_imported(summary))}."
    repeated = sum(r.already_imported for r in summary.results)
    fresh = len(summary.results) - repeated
    text = (
        f"Imported {_count(fresh, 'digest')}: {_count(summary.added, 'paper')} added, "
        f"{summary.seen_again:,} seen again."
    )
    if repeated:
        text += f" {_count(repeated, 'digest')} had been imported before."
    if summary.skipped:
        text += f" {_count(len(summary.skipped), 'readerapp export')} skipped."
    if summary.refused:
        text += f" {_count(len(summary.refused), 'file')} refused."
    if summary.cancelled:
        text += " The import was cancelled before the end."
    return text


def _not_imported(summary: ImportSummary) -> list[str]:
    reasons = [f"{_count(len(summary.refused), 'file')} refused"] if summary.refused else []
    if summary.skipped:
        reasons.append(f"{_count(len(summary.skipped), 'readerapp export')} skipped")
    reasons += [f"no digest files found in {folder}" for folder in summary.empty_folders]
    return reasons


def details(summary: ImportSummary) -> str:
    """The lines the command line prints under its headline: a line per digest with the date
    it got and how ("Mar 13 → 2026-03-13, year from the file's date"), per file skipped, then
    each refused file with its reason, and the warnings."""
    lines = [*report_lines(summary)[1:], *problem_lines(summary)]
    return "\n".join(line[:1].upper() + line[1:] for line in lines)


class ImportSummaryDialog(QDialog):
    def __init__(
        self, summary: ImportSummary, parent: QWidget | None = None, text: str = ""
    ) -> None:
        super().__init__(parent)
        self.setObjectName("importSummary")
        warning = nothing_imported(summary)
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
        self.headline.setText(headline(summary, text))
        self.details = child(form, QPlainTextEdit, "summaryDetails")
        self.details.setPlainText(details(summary))
        self.details.setVisible(bool(self.details.toPlainText()))
        child(form, QDialogButtonBox, "summaryButtons").accepted.connect(self.accept)
        self.resize(560, 320 if self.details.isVisible() else 120)
