"""The links of a paper: those found in its abstract, which of them point at code, and which
readerapp may hand to the system (web pages and mail addresses, nothing else).

Digest text is untrusted. A ``javascript:``, ``file:`` or ``data:`` link, or one with control
characters hidden in it, is shown as text and never opened. The window opens a link only when
the user clicks it, and only if `is_openable` says so.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

CODE_HOSTS = frozenset({"github.com", "gitlab.com", "bitbucket.org", "codeberg.org"})
# Hugging Face hosts code (spaces, models) beside what is not (papers, datasets, docs...).
HUGGING_FACE_HOSTS = frozenset({"huggingface.co", "hf.co"})
_HUGGING_FACE_NOT_CODE = frozenset({
    "papers", "datasets", "docs", "blog", "collections", "learn", "tasks", "posts", "join",
    "login", "pricing", "settings", "organizations", "search", "api", "chat",
})  # fmt: skip
_HUGGING_FACE_KINDS = frozenset({"spaces", "models"})  # before the owner of a space or model

_LINK_CHARACTERS = r"[^\s<>\"{}|\\^`“”‘’«»]"
_URL = re.compile(rf"https?://{_LINK_CHARACTERS}+", re.IGNORECASE)
_URL_HAS_HOST = re.compile(r"https?://\w", re.IGNORECASE)
# A code host's link written without its scheme: "github.com/owner/repo", "www.github.com/…",
# or what is left of "https: //github.com/…" (a space slipped in).
_BARE_CODE_LINK = re.compile(
    r"(?<![\w.@-])(?:www\.)?(?:"
    + "|".join(re.escape(host) for host in sorted(CODE_HOSTS | HUGGING_FACE_HOSTS))
    + rf")/\w{_LINK_CHARACTERS}*",
    re.IGNORECASE,
)
_ALL_CODE_HOSTS = tuple(f"{host}/" for host in sorted(CODE_HOSTS | HUGGING_FACE_HOSTS))
_URL_TRAILING_PUNCTUATION = ".,;:!?"
_URL_OPENERS = {")": "(", "]": "["}

OPENABLE_SCHEMES = frozenset({"http", "https", "mailto"})
_UNSAFE_CHARACTERS = re.compile(r"[\x00-\x20\x7f-\x9f\\]")


def is_openable(url: str) -> bool:
    """True for an http(s) link with a host, or a mailto link with an address."""
    if not url or _UNSAFE_CHARACTERS.search(url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:  # a malformed host, such as an unclosed "["
        return False
    scheme = parts.scheme.lower()
    if scheme not in OPENABLE_SCHEMES:
        return False
    return bool(parts.path if scheme == "mailto" else parts.hostname)


def find_links(text: str) -> tuple[str, ...]:
    """The http(s) links in ``text``, and the links to code hosts written without a scheme
    (given "https://"), without trailing sentence punctuation, each once, in order."""
    found = [(m.start(), m.group()) for m in _URL.finditer(text)] if "://" in text else []
    ends = [start + len(link) for start, link in found]
    found += [
        (m.start(), "https://" + m.group())
        for m in _bare_code_links(text)
        if not any(start <= m.start() < end for (start, _), end in zip(found, ends, strict=False))
    ]
    links = (_trim_url(link) for _, link in sorted(found))
    return tuple(dict.fromkeys(link for link in links if _URL_HAS_HOST.match(link)))


def _bare_code_links(text: str) -> Iterator[re.Match[str]]:
    """The links to code hosts in ``text`` written without "http(s)://", found where their
    host's name is: scanning the whole text with the pattern took ten times longer."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a letter whose lower case is longer ("İ"): kept as it is
        lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    for host in _ALL_CODE_HOSTS:
        at = lowered.find(host)
        while at >= 0:
            start = at - 4 if lowered.startswith("www.", at - 4) else at
            match = _BARE_CODE_LINK.match(text, start)
            if match:
                yield match
            at = lowered.find(host, at + 1)


def _trim_url(url: str) -> str:
    """Strip sentence punctuation, unbalanced closing brackets and quotes off a link's end."""
    while url and _ends_in_junk(url):
        url = url[:-1]
    return url


def _ends_in_junk(url: str) -> bool:
    last = url[-1]
    if last in _URL_TRAILING_PUNCTUATION:
        return True
    if last in _URL_OPENERS:
        return url.count(last) > url.count(_URL_OPENERS[last])
    return last == "'" and url.count("'") % 2 == 1


def is_code_link(url: str) -> bool:
    """True for a link to a code host (GitHub, GitLab, Bitbucket, Codeberg), or to a space or
    model on Hugging Face, with or without its scheme and "www."."""
    host, _, path = re.sub(r"^https?://(www\.)?|^www\.", "", url.strip().lower()).partition("/")
    if host in CODE_HOSTS:
        return True
    if host not in HUGGING_FACE_HOSTS:
        return False
    parts = [part for part in path.split("?")[0].split("#")[0].split("/") if part]
    if parts and parts[0] in _HUGGING_FACE_KINDS:
        parts = parts[1:]
    return len(parts) >= 2 and parts[0] not in _HUGGING_FACE_NOT_CODE
