"""An import's summary in words, the same in the window and on the command line.

The first line says what the import did in all; then a line per digest with the date it got
and how, per file skipped, and per folder with no digest in it; then the problems: each
refused file with its reason, and the parser's warnings.
"""

from __future__ import annotations

from readerapp.core.collection import ImportSummary
from readerapp.core.library import ImportResult


def count(number: int, word: str) -> str:
    """``number`` and ``word`` in proper English: "1 paper", "2 papers"."""
    return f"{number} {word}" if number == 1 else f"{number} {word}s"


def describe_import(summary: ImportSummary) -> list[str]:
    """Every line of the summary: `report_lines`, then `problem_lines`."""
    return [*report_lines(summary), *problem_lines(summary)]


def report_lines(summary: ImportSummary) -> list[str]:
    """The headline, then a line per digest and per file skipped (none for an import that
    found nothing to read)."""
    if not (summary.results or summary.refused or summary.skipped or summary.cancelled):
        return []
    lines = [headline(summary)]
    lines += [_digest_line(result) for result in summary.results]
    lines += [f"{error.source} skipped: {error.reason}" for error in summary.skipped]
    return lines


def problem_lines(summary: ImportSummary) -> list[str]:
    """What went wrong: folders with no digest file, refused files, the parser's warnings."""
    lines = [f"no digest files found in {folder}" for folder in summary.empty_folders]
    lines += [f"refused {error}" for error in summary.refused]
    lines += [f"warning: {warning}" for warning in summary.warnings]
    return lines


def headline(summary: ImportSummary) -> str:
    """One line: papers added and seen again, from how many digests; files refused."""
    repeated = sum(result.already_imported for result in summary.results)
    line = (
        f"{count(summary.added, 'paper')} added, {summary.seen_again} seen again"
        f" from {count(len(summary.results), 'digest')}"
    )
    if repeated:
        line += f" ({repeated} already imported)"
    if summary.skipped:
        line += f"; {count(len(summary.skipped), 'readerapp export')} skipped"
    if summary.refused:
        line += f"; {count(len(summary.refused), 'file')} refused"
    if summary.cancelled:
        line += "; cancelled before the end"
    return line


def _digest_line(result: ImportResult) -> str:
    dated = f" ({result.day_note})" if result.day_note else ""
    if result.already_imported:
        return f"{result.source}: already imported{dated}"
    return (
        f"{result.source}: {count(result.added, 'paper')} added,"
        f" {result.seen_again} seen again{dated}"
    )
