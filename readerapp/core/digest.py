"""Read a "Daily Papers" digest text file into papers.

A digest is a few header lines, a date line without a year ("Mar 13"), then paper titles
and abstracts in alternating paragraphs separated by blank lines. Copies of the web page
also carry page furniture ("Upvote", "42", "Submitted by …") between the entries; it is
skipped. A file that is not a digest raises `DigestError`; nothing partial is returned.

A text is judged by its shape first: a header or date line followed by titles and abstracts
is a digest, whatever its abstracts quote (HTML, Markdown, code). Only a text without that
shape is looked at for what else it may be (a saved web page, a list of links), so that the
user is told why it is refused. Readerapp's own exports are refused whatever their shape
(`OwnOutputError`): they hold papers' titles and abstracts too.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from datetime import MINYEAR, date, datetime
from pathlib import Path

from readerapp.core import live_files
from readerapp.core.errors import DigestError
from readerapp.core.links import find_links
from readerapp.core.models import DateSource, ParsedDigest, ParsedPaper, digest_key
from readerapp.core.own_output import own_output_kind

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_DATE_PATTERN = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?"
    r"|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
    r"\s+(?P<day>\d{1,2})"
)
_DATE_LINE = re.compile(_DATE_PATTERN, re.IGNORECASE)

# Lines (or "·"-separated parts of a line) that belong to the page, not to a paper.
_FURNITURE = re.compile(
    r"new|get trending papers in your email inbox!|subscribe|daily papers"
    r"|by ?ak and the research community|upvotes?|\d[\d,.]*k?"
    rf"|submitted by\s+\S.*|published on\s+\S.*|{_DATE_PATTERN}",
    re.IGNORECASE,
)
_FURNITURE_MAX_CHARS = 200
# Furniture that only the top of the page has: seen before the first paper, it is the header.
_HEADER = re.compile(
    r"get trending papers in your email inbox!|subscribe|daily papers"
    r"|by ?ak and the research community",
    re.IGNORECASE,
)

# One line without its terminator; the empty match at the very end is a harmless blank line.
_LINE = re.compile(r"([^\r\n]*)(?:\r\n|\r|\n|\Z)")

_SAMPLE_CHARS = 65_536
_NON_TEXT = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd]")
_NON_TEXT_RATIO = 0.02
_HTML_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>")
_HTML_TAGS_IN_SAMPLE = 20
_HTML_SHARE = 0.1  # of the sample's characters in tags: markup, not text that quotes some
_WEB_PAGE_STARTS = ("<!doctype html", "<html", "<head", "<?xml")
_LIST_MARKER = re.compile(r"[-*•·]|\d+[.)]")
_LINK_WORD = re.compile(r"https?://\w", re.IGNORECASE)

_ABSTRACT_MIN_CHARS = 400
_SENTENCE_BREAK = re.compile(r"[.!?]\s+[A-Z]")

_HTML_REASON = "this looks like a saved web page (HTML), not a digest text file"
_BINARY_REASON = "binary data, not text"
_WHAT_A_DIGEST_HOLDS = "a digest holds a title and an abstract for each paper, each a paragraph"


class OwnOutputError(DigestError):
    """The file is readerapp's own output (an export), which an import never takes in."""

    def __init__(self, source: str, kind: str) -> None:
        super().__init__(source, f"a readerapp export ({kind}), not a digest")
        self.kind = kind


def parse_digest_file(path: Path, *, max_line_chars: int = 1_000_000) -> ParsedDigest:
    """Read the digest at `path`, inferring its year from the file's modification time."""
    if live_files.is_open(path):  # not even read: see `live_files`
        raise DigestError(str(path), "this is readerapp's own library, not a digest")
    try:
        mtime = datetime.fromtimestamp(path.stat().st_mtime)
        data = path.read_bytes()
    except OSError as error:
        raise DigestError(str(path), f"the file cannot be read ({error.strerror})") from error
    return parse_digest_bytes(data, source=path, mtime=mtime, max_line_chars=max_line_chars)


def parse_digest_bytes(
    data: bytes,
    *,
    source: Path,
    mtime: datetime,
    max_line_chars: int = 1_000_000,
    date_source: DateSource = DateSource.FILE_DATE,
) -> ParsedDigest:
    """Parse the raw bytes of a digest; `source` and `mtime` describe where they came from.

    The year of the date line is the one that puts it on or before `mtime`; `date_source`
    says what `mtime` is (the file's date, or the day the text was imported).
    """
    text = _decode(data, source)
    kind = own_output_kind(text)
    if kind:
        raise OwnOutputError(str(source), kind)
    sample = text[:_SAMPLE_CHARS]
    if sample.lstrip().lower().startswith(_WEB_PAGE_STARTS):
        raise DigestError(str(source), _HTML_REASON)
    date_text, headed, paragraphs = _scan(text, source, max_line_chars)
    del text  # the paragraphs hold all we still need
    if not (date_text or headed) and _is_markup(sample):
        raise DigestError(str(source), _HTML_REASON)
    papers, warnings = _pair(paragraphs)
    if not any(paper.abstract for paper in papers) or _all_links(paragraphs):
        raise DigestError(str(source), _why_no_papers(paragraphs))
    return ParsedDigest(
        source=source,
        content_key=digest_key(date_text, (paper.id for paper in papers)),
        date_text=date_text,
        date=_date_of(date_text, mtime),
        papers=tuple(papers),
        warnings=tuple(warnings),
        date_source=date_source,
    )


def infer_year(month: int, day: int, reference: datetime) -> date:
    """The latest date with this month and day that is on or before `reference`.

    Raises ValueError if no year can hold the date (Feb 30, or a reference too early).
    """
    date(2000, month, day)  # a leap year: rejects only dates no year has
    for year in range(reference.year, MINYEAR - 1, -1):
        try:
            candidate = date(year, month, day)
        except ValueError:  # Feb 29 outside a leap year
            continue
        if candidate <= reference.date():
            return candidate
    raise ValueError(f"no year puts {month}/{day} on or before {reference:%Y-%m-%d}")


def _decode(data: bytes, source: Path) -> str:
    """Decode by byte order mark, else as UTF-8, else as Windows-1252; refuse non-text."""
    if not data:
        raise DigestError(str(source), "the file is empty")
    if data.startswith(codecs.BOM_UTF8):
        text = data.decode("utf-8-sig", errors="replace")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16", errors="replace")
    elif b"\x00" in data:
        raise DigestError(str(source), _BINARY_REASON)
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
    _check_is_text(text, source)
    return text


def _check_is_text(text: str, source: Path) -> None:
    """Refuse binary data and blank files, judging by the start of the text."""
    sample = text[:_SAMPLE_CHARS]
    if "\x00" in text or len(_NON_TEXT.findall(sample)) > len(sample) * _NON_TEXT_RATIO:
        raise DigestError(str(source), _BINARY_REASON)
    if not text or text.isspace():
        raise DigestError(str(source), "the file is empty (it holds only blank lines)")


def _is_markup(sample: str) -> bool:
    """Whether the text is mostly HTML tags: a page's source, not a text quoting a few."""
    tags = _HTML_TAG.findall(sample)
    return len(tags) >= _HTML_TAGS_IN_SAMPLE and sum(map(len, tags)) >= _HTML_SHARE * len(sample)


def _why_no_papers(paragraphs: list[str]) -> str:
    """Why a text with no paper in it is not a digest, in words for the user."""
    if not paragraphs:
        return "no papers found: there is nothing below the digest's header"
    if _all_links(paragraphs):
        return f"no papers found: this is a list of links, while {_WHAT_A_DIGEST_HOLDS}"
    if len(paragraphs) == 1:
        return f"no papers found: this is a single paragraph, while {_WHAT_A_DIGEST_HOLDS}"
    return f"no papers found: no paragraph reads as an abstract, while {_WHAT_A_DIGEST_HOLDS}"


def _all_links(paragraphs: list[str]) -> bool:
    """Whether the paragraphs are nothing but links (in a list, maybe)."""
    return bool(paragraphs) and all(map(_is_list_of_links, paragraphs))


def _is_list_of_links(paragraph: str) -> bool:
    words = [word for word in paragraph.split() if not _LIST_MARKER.fullmatch(word)]
    return bool(words) and all(_LINK_WORD.match(word) for word in words)


def _lines(text: str, source: Path, max_line_chars: int) -> Iterator[str]:
    """The lines of `text`, whatever their endings (LF, CRLF or a lone CR)."""
    for match in _LINE.finditer(text):
        if match.end(1) - match.start(1) > max_line_chars:
            raise DigestError(str(source), f"a line is longer than {max_line_chars:,} characters")
        yield match.group(1)


def _scan(text: str, source: Path, max_line_chars: int) -> tuple[str | None, bool, list[str]]:
    """Find the date line, the header and the paragraphs of the text, skipping furniture.

    A paragraph is a run of lines with no blank line or furniture between them, joined with
    single spaces. The date is the first date line before any paragraph; the header is
    there when a line of it comes before any paragraph.
    """
    date_text: str | None = None
    headed = False
    paragraphs: list[str] = []
    lines: list[str] = []
    for raw_line in _lines(text, source, max_line_chars):
        line = raw_line.strip()
        at_top = not paragraphs and not lines
        if at_top and date_text is None and _is_date_line(line):
            date_text = line
        elif line and not _is_furniture(line):
            lines.append(line)
        else:
            headed = headed or (at_top and bool(_HEADER.fullmatch(line)))
            if lines:
                paragraphs.append(" ".join(lines))
                lines = []
    if lines:
        paragraphs.append(" ".join(lines))
    return date_text, headed, paragraphs


def _is_date_line(line: str) -> bool:
    return _month_day(line) is not None


def _month_day(date_text: str) -> tuple[int, int] | None:
    """(month, day) of a date line such as "Mar 13" or "March 13"; None if it is not one."""
    match = _DATE_LINE.fullmatch(date_text)
    if match is None:
        return None
    month = _MONTHS.index(match["month"][:3].lower()) + 1
    day = int(match["day"])
    try:
        date(2000, month, day)
    except ValueError:
        return None
    return month, day


def _date_of(date_text: str | None, mtime: datetime) -> date | None:
    month_day = _month_day(date_text) if date_text else None
    if month_day is None:
        return None
    try:
        return infer_year(*month_day, mtime)
    except ValueError:  # a modification time in year 1
        return None


def _is_furniture(line: str) -> bool:
    """Whether a line is page furniture: every "·"-separated part is a known piece of it."""
    if len(line) > _FURNITURE_MAX_CHARS:
        return False
    return all(not part or _FURNITURE.fullmatch(part) for part in map(str.strip, line.split("·")))


def _pair(paragraphs: list[str]) -> tuple[list[ParsedPaper], list[str]]:
    """Pair titles with abstracts, keeping the alternation right when something is missing.

    A paragraph that looks like an abstract where a title is expected continues the
    previous abstract. A title whose next paragraph is title-like while the one after
    looks like an abstract has no abstract of its own.
    """
    entries: list[tuple[str, list[str]]] = []
    warnings: list[str] = []
    index = 0
    while index < len(paragraphs):
        paragraph = paragraphs[index]
        if _looks_like_abstract(paragraph):
            if entries:
                entries[-1][1].append(paragraph)
            else:
                warnings.append(f"A paragraph with no title was skipped: “{_excerpt(paragraph)}”")
            index += 1
        elif _has_abstract(paragraphs, index):
            entries.append((_collapse(paragraph), [paragraphs[index + 1]]))
            index += 2
        else:
            entries.append((_collapse(paragraph), []))
            index += 1
    papers = []
    for title, parts in entries:
        abstract = "\n\n".join(parts)
        if not abstract:
            warnings.append(f"“{title}” has no abstract; it was kept with an empty one.")
        papers.append(ParsedPaper(title=title, abstract=abstract, links=find_links(abstract)))
    return papers, warnings


def _has_abstract(paragraphs: list[str], title_index: int) -> bool:
    """Whether the paragraph after the title at `title_index` is its abstract."""
    following = paragraphs[title_index + 1 : title_index + 3]
    if not following:
        return False
    if _looks_like_abstract(following[0]):
        return True
    return len(following) == 1 or not _looks_like_abstract(following[1])


def _looks_like_abstract(paragraph: str) -> bool:
    """Long, or ending in a period after several sentences: no title looks like this."""
    if len(paragraph) > _ABSTRACT_MIN_CHARS:
        return True
    return paragraph.endswith(".") and len(_SENTENCE_BREAK.findall(paragraph)) >= 2


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _excerpt(text: str, length: int = 60) -> str:
    return text if len(text) <= length else text[:length].rstrip() + "…"
