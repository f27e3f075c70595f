"""Only web and mail links may be opened; anything a digest could use against the machine is not."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from readerapp.core.links import is_openable


@pytest.mark.parametrize(
    "url", ["https://arxiv.org/abs/1", "http://example.com", "HTTPS://EXAMPLE.COM/x?y=1#z",
            "mailto:someone@example.com"],
)  # fmt: skip
def test_web_and_mail_links_open(url: str) -> None:
    assert is_openable(url)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)",
        "java\tscript:alert(1)", "file:///etc/passwd", "FILE:///C:/Windows",
        "data:text/html,<script>alert(1)</script>", "vbscript:msgbox", "ftp://example.com",
        "http://", "https:///path-only", "mailto:", "http://exa mple.com",
        "http://example.com\x00.evil", "//example.com", "example.com", "", "http://[::1",
        "https:\\\\evil.example",
    ],
)  # fmt: skip
def test_everything_else_does_not(url: str) -> None:
    assert not is_openable(url)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_any_text_gives_an_answer_and_only_safe_schemes_pass(text: str) -> None:
    if is_openable(text):
        assert text.split(":", 1)[0].lower() in ("http", "https", "mailto")
