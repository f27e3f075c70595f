"""Which links readerapp may hand to the system: web pages and mail addresses, nothing else.

Digest text is untrusted. A ``javascript:``, ``file:`` or ``data:`` link, or one with control
characters hidden in it, is shown as text and never opened. The window opens a link only when
the user clicks it, and only if `is_openable` says so.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

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
