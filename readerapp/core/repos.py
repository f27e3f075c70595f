"""The repository a code link points at, as ``owner/repo``: what the list and preview show."""

from __future__ import annotations

from urllib.parse import urlsplit

from readerapp.core.links import is_code_link
from readerapp.core.models import Paper

# Hugging Face puts the kind of repository before its owner.
_KIND_PREFIXES = frozenset({"spaces", "datasets", "models"})


def repository_name(url: str) -> str | None:
    """``owner/repo`` of a link to a code host (GitHub, GitLab, Hugging Face…), else None."""
    if not is_code_link(url):
        return None
    try:
        path = urlsplit(url.strip()).path
    except ValueError:
        return None
    parts = [part for part in path.split("/") if part]
    if parts and parts[0].lower() in _KIND_PREFIXES:
        parts = parts[1:]
    if len(parts) < 2:
        return None
    owner, repo = parts[0], parts[1].removesuffix(".git")
    return f"{owner}/{repo}" if owner and repo else None


def code_repository(paper: Paper) -> str | None:
    """The repository of the paper's first code link, if it has one."""
    return next(filter(None, map(repository_name, paper.ordered_links)), None)
