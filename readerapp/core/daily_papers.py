"""The Daily Papers service: one day's list of papers as JSON, fetched and read into a digest.

``GET {base}/api/daily_papers?date=YYYY-MM-DD`` answers a JSON list of items, each with a
``paper`` holding its arXiv id (``id``), ``title``, ``summary`` (the abstract), ``authors``
(each with a ``name``) and ``publishedAt``. Unknown fields are ignored. The base address is
`DEFAULT_BASE` unless `URL_ENV` names another (a mirror, a proxy, a test's server). Nothing here
runs unless the user asked for a fetch.
"""

from __future__ import annotations

import email.utils
import json
import os
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import readerapp
from readerapp.core.errors import DigestError, ReaderappError
from readerapp.core.models import DateSource, ParsedDigest, ParsedPaper, digest_key

DEFAULT_BASE = "https://huggingface.co"
URL_ENV = "READERAPP_DAILY_PAPERS_URL"
TIMEOUT_S = 30.0  # seconds to wait for the service's answer
MAX_BYTES = 32 * 1024 * 1024  # a day's list is some 100 KB: more is not a day's list
TRIES = 3  # tries while the service says "too many requests" (429)
MAX_WAIT_S = 60.0  # the longest wait a 429's Retry-After is granted
SERVICE = "the Daily Papers service"
MAX_DAYS = 31  # the most days one fetch asks for: the newest ones

# The library's settings for the fetch at start: whether the user wants it, and the last day
# it ran (it runs once a day).
AT_START_SETTING = "fetch.at_start"
LAST_AT_START_SETTING = "fetch.at_start.last_day"

Say = Callable[[str], None]


class FetchError(ReaderappError):
    """A day could not be fetched or read; nothing was imported."""


def base_url() -> str:
    """The service's address: $READERAPP_DAILY_PAPERS_URL, else Hugging Face."""
    return (os.environ.get(URL_ENV) or DEFAULT_BASE).rstrip("/")


def day_url(day: date) -> str:
    return f"{base_url()}/api/daily_papers?" + urllib.parse.urlencode({"date": day.isoformat()})


def user_agent() -> str:
    return f"readerapp/{readerapp.__version__}"


def download(
    day: date, *, timeout: float = TIMEOUT_S, say: Say | None = None, sleep=time.sleep
) -> bytes:
    """The service's answer for ``day``, as received. Raises `FetchError` with one line for
    the user when the service cannot be reached, is slow, refuses, or keeps saying "too many
    requests" (each wait for it is told to ``say``)."""
    url = day_url(day)
    tries = 1
    while True:
        try:
            return _get(url, timeout)
        except urllib.error.HTTPError as exc:
            exc.close()  # its body is not read
            if exc.code != 429 or tries == TRIES:
                raise FetchError(_http_problem(day, exc)) from None
            wait = _retry_after(exc.headers.get("Retry-After"))
            if say:
                say(f"{SERVICE} asked to slow down (HTTP 429); trying {day} again in {wait:g} s")
            sleep(wait)
            tries += 1


def _get(url: str, timeout: float) -> bytes:
    """One GET: certificates checked, no cookies kept or sent, readerapp named."""
    request = urllib.request.Request(url, headers={"User-Agent": user_agent(),
                                                   "Accept": "application/json"})  # fmt: skip
    context = ssl.create_default_context()
    opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=context))
    host = urllib.parse.urlsplit(url).netloc
    try:
        with opener.open(request, timeout=timeout) as response:
            data = response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError:
        raise
    except TimeoutError:
        raise FetchError(_slow(host, timeout)) from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise FetchError(_slow(host, timeout)) from None
        raise FetchError(
            f"cannot reach {SERVICE} at {host} ({exc.reason}); are you offline?"
            " Nothing was imported"
        ) from None
    except OSError as exc:  # the connection dropped while reading
        raise FetchError(
            f"{SERVICE} at {host} broke off its answer ({exc}); nothing was imported"
        ) from None
    if len(data) > MAX_BYTES:
        raise FetchError(f"{SERVICE} answered more than a day's list; nothing was imported")
    return data


def _slow(host: str, timeout: float) -> str:
    return f"{SERVICE} at {host} did not answer within {timeout:g} s; nothing was imported"


def _http_problem(day: date, exc: urllib.error.HTTPError) -> str:
    if exc.code == 429:
        return f"{SERVICE} still says too many requests (HTTP 429); try later. Nothing was imported"
    return f"{SERVICE} refused {day} (HTTP {exc.code} {exc.reason}); nothing was imported"


def _retry_after(value: str | None) -> float:
    """The wait a Retry-After header asks for (seconds or a date), within 0..`MAX_WAIT_S`;
    one second when it says nothing readable."""
    if not value:
        return 1.0
    try:
        seconds = float(value)
    except ValueError:
        try:
            moment = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return 1.0
        if moment.tzinfo is None:
            return 1.0
        seconds = (moment - datetime.now(UTC)).total_seconds()
    return min(max(seconds, 0.0), MAX_WAIT_S)


def read_day(data: bytes, source: Path, day: date) -> ParsedDigest:
    """The service's answer for ``day`` read into a digest. Papers without a title or an
    abstract are left out, each with a warning; an answer that is not a JSON list of items
    is refused whole (`DigestError`)."""
    try:
        items = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DigestError(str(source), f"the answer is not JSON ({exc})") from None
    if not isinstance(items, list):
        raise DigestError(str(source), f"expected a list of papers, got a {_kind(items)}")
    papers: list[ParsedPaper] = []
    warnings: list[str] = []
    for number, item in enumerate(items, 1):
        paper = _paper(item, number, source)
        if isinstance(paper, str):
            warnings.append(paper)
        else:
            papers.append(paper)
    key = digest_key(f"daily papers {day.isoformat()}", [paper.id for paper in papers])
    return ParsedDigest(source=source, content_key=key, date_text=None, date=day,
                        papers=tuple(papers), warnings=tuple(warnings),
                        date_source=DateSource.SERVICE)  # fmt: skip


def _paper(item: object, number: int, source: Path) -> ParsedPaper | str:
    """One item as a paper, or the warning saying why it was skipped."""
    if not isinstance(item, dict) or not isinstance(item.get("paper", {}), dict):
        raise DigestError(str(source), f"item {number} is a {_kind(item)}, not a paper")
    paper = item.get("paper") or {}
    arxiv_id = _text(paper.get("id")) or None
    title = _text(paper.get("title")) or _text(item.get("title"))
    abstract = _text(paper.get("summary")) or _text(item.get("summary"))
    name = f"paper {number}" + (f" ({arxiv_id})" if arxiv_id else "")
    if not title:
        return f"{name} has no title; skipped"
    if not abstract:
        return f"{name} “{title}” has no abstract; skipped"
    authors = paper.get("authors") if isinstance(paper.get("authors"), list) else []
    names = [_text(a.get("name")) for a in authors if isinstance(a, dict)]
    code = _text(paper.get("githubRepo"))
    return ParsedPaper(title=title, abstract=abstract, links=(code,) if code else (),
                       arxiv_id=arxiv_id, authors=tuple(n for n in names if n),
                       published=_day_of(paper.get("publishedAt")))  # fmt: skip


def _text(value: object) -> str:
    """A string field with its white space folded; anything else is nothing."""
    return " ".join(value.split()) if isinstance(value, str) else ""


def _day_of(value: object) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        return None


def _kind(value: object) -> str:
    return {dict: "JSON object", list: "list", str: "string"}.get(type(value), "plain value")


def read_file(path: Path) -> ParsedDigest:
    """A day kept in the data directory (``fetched/YYYY-MM-DD.json``), read again without the
    network."""
    try:
        day = date.fromisoformat(path.stem[:10])
    except ValueError:
        raise DigestError(
            str(path), "not a fetched Daily Papers file (its name is not YYYY-MM-DD.json)"
        ) from None
    return read_day(path.read_bytes(), path, day)


def due_at_start(wanted: str | None, last_day: str | None, today: date) -> bool:
    """Whether to fetch today's list as the window starts: the user turned it on
    (``wanted``, the setting's value) and it has not run today (``last_day``)."""
    return wanted == "1" and last_day != today.isoformat()


def newest_days(first: date, last: date, most: int = MAX_DAYS) -> tuple[list[date], int]:
    """The days from ``first`` to ``last``, keeping only the ``most`` newest so that one fetch
    stays short and polite to the service; and how many older days were left out."""
    count = (last - first).days + 1
    kept = min(count, most)
    return [last - timedelta(days=n) for n in reversed(range(kept))], max(count - kept, 0)


def missing_days(last_fetched: date | None, today: date) -> tuple[list[date], int]:
    """Every day after ``last_fetched`` (the newest day fetched before) up to ``today``, bounded
    by `newest_days`; just today when nothing was ever fetched, none when today was."""
    first = last_fetched + timedelta(days=1) if last_fetched else today
    if first > today:
        return [], 0
    return newest_days(first, today)


def cut_line(days: list[date], left_out: int) -> str:
    """The line telling the user that only the newest days are fetched."""
    older = "day was" if left_out == 1 else "days were"
    return (
        f"only the newest {len(days)} days are fetched ({days[0]} to {days[-1]});"
        f" {left_out} older {older} left out"
    )
