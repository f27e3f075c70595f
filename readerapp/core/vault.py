"""Export into a folder of Markdown notes, as Obsidian and similar notes apps keep them.

One list file (``reading-list.md``, after the list's title) holds a checkbox per paper,
``- [x]`` once the paper is read, under a heading per tag when grouped by tag. With one file
per paper, each paper gets a note of its own, ``<slug>-<id>.md``, which the list links to
(a Markdown link, whose label is escaped as every title is); without, the list carries each
paper's details.

Every file opens with YAML front matter (``source: readerapp`` marks it as ours). Exporting
again updates our files in place: a paper's note is found by the id at the end of its name,
even after the user renamed the rest, and what the user wrote below the ``KEEP_MARKER`` line
is kept. Files that are not ours are never changed or deleted: a name taken by one of them
stops the export before anything is written. Unchanged files are not rewritten, so sync tools
see only real changes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from urllib.parse import quote

from readerapp.core.errors import ReaderappError
from readerapp.core.export import (
    ExportOptions,
    escape_markdown,
    paper_details,
    paper_markdown,
    shift_headings,
    tag_groups,
    write_text_atomically,
)
from readerapp.core.models import Paper, ReadState
from readerapp.core.repos import code_repository

SOURCE_LINE = "source: readerapp"
KEEP_MARKER = "%% readerapp: what you write below this line is kept when you export again %%"
_NOTE_NAME = re.compile(r"-([0-9a-f]{12})\.md$")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_NOT_TAG = re.compile(r"[^\w/-]+")
SLUG_LENGTH = 60
INDENT = "    "


class VaultError(ReaderappError):
    """The vault cannot be written as asked; nothing was written."""


@dataclass(frozen=True)
class VaultReport:
    """What an export into a vault did."""

    list_file: Path
    written: int  # files created or changed
    unchanged: int


# --- YAML ----------------------------------------------------------------------------------


def _yaml_escape(char: str) -> str:
    code = ord(char)
    if char in '"\\':
        return "\\" + char
    simple = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}
    if char in simple:
        return simple[char]
    unsafe = (
        code < 0x20
        or 0x7F <= code <= 0x9F
        or 0xD800 <= code <= 0xDFFF
        or code in (0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF)
    )
    if not unsafe:
        return char
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def yaml_string(text: str) -> str:
    """``text`` as a YAML double-quoted scalar that YAML 1.1 and 1.2 readers read back exactly:
    quotes, backslashes, line breaks and every character YAML may not carry raw are escaped."""
    return '"' + "".join(map(_yaml_escape, text)) + '"'


def _yaml_list(items: Iterable[str]) -> str:
    return "[" + ", ".join(map(yaml_string, items)) + "]"


def front_matter(fields: Sequence[tuple[str, str]]) -> str:
    """``---`` fenced YAML of ``fields``, whose values are YAML already."""
    lines = [SOURCE_LINE, *(f"{key}: {value}" for key, value in fields)]
    return "---\n" + "\n".join(lines) + "\n---\n"


# --- names ---------------------------------------------------------------------------------


def slug(text: str) -> str:
    """Lower-case ASCII words joined by hyphens, at most SLUG_LENGTH characters."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")
    if len(words) > SLUG_LENGTH:
        words = words[:SLUG_LENGTH].rsplit("-", 1)[0]
    return words


def note_name(paper: Paper) -> str:
    """``<slug>-<id>.md``: the id keeps the name stable and unique."""
    return f"{slug(paper.title) or 'paper'}-{paper.id}.md"


def obsidian_tag(tag: str) -> str:
    """A tag as Obsidian accepts one: no spaces or punctuation but ``-``, ``_`` and ``/``."""
    return _NOT_TAG.sub("-", tag.strip().lstrip("#")).strip("-") or "tag"


# --- the files -----------------------------------------------------------------------------


def _day(day: date | None) -> str | None:
    return day.isoformat() if day else None


def paper_note(paper: Paper, options: ExportOptions) -> str:
    """The note of one paper: front matter, then the paper as a reading list shows it."""
    days = [d for d in dict.fromkeys(_day(s.date) for s in paper.sightings) if d]
    fields = [
        ("title", yaml_string(paper.title)),
        ("id", yaml_string(paper.id)),
        ("tags", _yaml_list(obsidian_tag(t) for t in paper.tags)),
        ("first_seen", _day(paper.first_seen) or '""'),
        ("seen_in", "[" + ", ".join(days) + "]"),
        ("links", _yaml_list(paper.ordered_links)),
        ("code", yaml_string(code_repository(paper) or "")),
        ("starred", "true" if paper.starred else "false"),
        ("read_state", yaml_string(str(paper.read_state))),
    ]
    body = paper_markdown(paper, options, level=1)
    return f"{front_matter(fields)}\n{body}\n\n{KEEP_MARKER}\n"


def _checkbox(paper: Paper) -> str:
    return "- [x]" if paper.read_state == ReadState.READ else "- [ ]"


def _shown_title(paper: Paper) -> str:
    return escape_markdown(" ".join(paper.title.split())) or "(untitled)"


def _indented(text: str) -> Iterator[str]:
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        yield INDENT + line if line.strip() else ""


def _list_item(paper: Paper, options: ExportOptions, linked: str | None, level: int) -> str:
    """One paper in the list: a checkbox, then (when it has no note of its own) its details,
    note and abstract indented under it. ``level`` is that of the heading the paper is under;
    the note's own headings go below it."""
    if linked:
        return f"{_checkbox(paper)} [{_shown_title(paper)}]({quote(linked)})"
    lines = [f"{_checkbox(paper)} **{_shown_title(paper)}**"]
    lines += [f"{INDENT}- {item}" for item in paper_details(paper)]
    if paper.note.strip():
        lines += ["", *_indented(shift_headings(paper.note.strip("\n"), level))]
    if options.include_abstract:
        for paragraph in re.split(r"\n\s*\n", paper.abstract.strip()):
            if paragraph.strip():
                lines += ["", INDENT + escape_markdown(" ".join(paragraph.split()))]
    return "\n".join(lines)


def list_note(
    papers: Sequence[Paper],
    options: ExportOptions,
    exported_at: datetime,
    names: dict[str, str] | None = None,
) -> str:
    """The list file: front matter, a heading, a checkbox per paper (under a heading per tag
    when grouped by tag). ``names`` maps paper ids to the names of their own notes, when there
    are such notes."""
    names = names or {}
    fields = [
        ("title", yaml_string(options.title)),
        ("exported", exported_at.date().isoformat()),
        ("papers", str(len(papers))),
        ("read", str(sum(p.read_state == ReadState.READ for p in papers))),
    ]
    heading = escape_markdown(" ".join(options.title.split())) or "Reading list"
    separator = "\n" if names else "\n\n"

    def items(group: Sequence[Paper], level: int) -> str:
        return separator.join(_list_item(p, options, names.get(p.id), level) for p in group)

    if options.group_by_tag:
        body = "\n\n".join(
            f"## {escape_markdown(tag)}\n\n{items(group, 2)}" for tag, group in tag_groups(papers)
        )
    else:
        body = items(papers, 1)
    return f"{front_matter(fields)}\n# {heading}\n\n{body}\n"


# --- writing -------------------------------------------------------------------------------


def _is_ours(text: str) -> bool:
    head, _, _ = text.partition("\n---\n")
    return head.startswith("---\n") and SOURCE_LINE in head.split("\n")


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise VaultError(f"Cannot read {path}, so it was left as it is: {exc}") from exc


def _with_kept_text(new: str, old: str | None) -> str:
    """``new`` followed by what the user wrote below the marker in ``old``."""
    if old is None or KEEP_MARKER not in old or not new.endswith(KEEP_MARKER + "\n"):
        return new
    kept = old.split(KEEP_MARKER, 1)[1].removeprefix("\n")
    return new + kept


def _existing_notes(folder: Path) -> dict[str, str]:
    """The names of the paper notes already in ``folder``, by paper id."""
    found: dict[str, str] = {}
    for path in sorted(folder.glob("*.md")):
        match = _NOTE_NAME.search(path.name)
        if match:
            found.setdefault(match.group(1), path.name)
    return found


def _prepare_folder(folder: Path) -> Path:
    folder = Path(folder).expanduser()
    if folder.exists() and not folder.is_dir():
        raise VaultError(f"Cannot export to {folder}: it is a file, not a folder.")
    if not folder.parent.is_dir():
        raise VaultError(f"Cannot export to {folder}: the folder {folder.parent} does not exist.")
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise VaultError(f"Cannot create the folder {folder}: {exc.strerror or exc}.") from exc
    return folder


def _planned(folder: Path, files: dict[str, str]) -> list[tuple[Path, str, bool]]:
    """(path, text, changed) for each file; refuses before any writing when one of the names
    is taken by a file that is not ours."""
    plan = []
    for name, text in files.items():
        path = folder / name
        old = _read(path)
        if old is not None and not _is_ours(old):
            raise VaultError(
                f"{path} was not written by readerapp, so it was left as it is and nothing"
                " was exported; move it or choose another folder or title."
            )
        final = _with_kept_text(text, old)
        plan.append((path, final, final != old))
    return plan


def write_vault(
    folder: Path,
    papers: Sequence[Paper],
    options: ExportOptions | None = None,
    *,
    one_file_per_paper: bool = False,
    exported_at: datetime | None = None,
) -> VaultReport:
    """Export ``papers`` into the vault folder ``folder`` (created when only it is missing).

    Each file is written atomically.
    """
    folder = _prepare_folder(folder)
    options = options or ExportOptions()
    exported_at = exported_at or datetime.now().astimezone()
    files: dict[str, str] = {}
    names: dict[str, str] = {}
    if one_file_per_paper:
        existing = _existing_notes(folder)
        for paper in papers:
            names[paper.id] = existing.get(paper.id, note_name(paper))
            files[names[paper.id]] = paper_note(paper, options)
    list_name = f"{slug(options.title) or 'reading-list'}.md"
    if list_name in files:
        raise VaultError(f"The list's title gives the name of a paper's note ({list_name}).")
    files[list_name] = list_note(papers, options, exported_at, names)
    plan = _planned(folder, files)
    for path, text, changed in plan:
        if changed:
            write_text_atomically(path, text)
    written = sum(changed for *_, changed in plan)
    return VaultReport(folder / list_name, written, len(plan) - written)
