"""Fixtures shared by every test: a private data directory and home, and digests in the real
layout (the repository's own, and the real ones in ../shared when they are beside the clone)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

from readerapp.core.collection import Collection
from tests.daily_papers_server import DailyPapersServer

# The offscreen platform's own screen is 800x800, smaller than the window's default size: the
# tests' windows open on a desktop's screen instead (`tests/gui/test_sizing.py` opens
# them on smaller ones).
DESKTOP_SCREEN = Path(__file__).resolve().parent / "data" / "desktop-screen.json"
if os.environ.setdefault("QT_QPA_PLATFORM", "offscreen") == "offscreen":
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={DESKTOP_SCREEN}"

REPOSITORY_DIGESTS = Path(__file__).resolve().parent / "data" / "digests"
SHARED_DIGESTS = Path(__file__).resolve().parents[1].parent / "shared" / "digests"


def _digest_sets() -> dict[str, list[Path]]:
    """The sets of digests the tests run on: the repository's always, the shared ones if here."""
    sets = {"repository": sorted(REPOSITORY_DIGESTS.glob("*.txt"))}
    shared = sorted(SHARED_DIGESTS.glob("*.txt")) if SHARED_DIGESTS.is_dir() else []
    if shared:
        sets["shared"] = shared
    return sets


DIGEST_SETS = _digest_sets()


@pytest.fixture(autouse=True)
def private_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep every test away from the user's real data, settings and desktop folders."""
    home = tmp_path_factory.mktemp("home")
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(name, str(home / name.lower()))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("READERAPP_DATA_DIR", raising=False)
    # No test reaches the real service: a fetch without `daily_papers` finds nothing listening.
    monkeypatch.setenv("READERAPP_DAILY_PAPERS_URL", "http://127.0.0.1:9")
    return home


@pytest.fixture
def daily_papers(monkeypatch: pytest.MonkeyPatch) -> Iterator[DailyPapersServer]:
    """A Daily Papers service on 127.0.0.1, which fetches (here and in subprocesses) reach."""
    server = DailyPapersServer()
    server.start()
    monkeypatch.setenv("READERAPP_DAILY_PAPERS_URL", server.url)
    yield server
    server.stop()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture(params=list(DIGEST_SETS))
def real_digests(request: pytest.FixtureRequest) -> list[Path]:
    """Digest files in the real layout: tests/data/digests (three digests sharing some papers,
    some with code links), and as a second case the real digests in ../shared/digests."""
    return DIGEST_SETS[request.param]


def plain_papers(files: Sequence[Path]) -> list[tuple[str, str]]:
    """Every (title, abstract) entry of ``files`` in order, read plainly: the paragraphs after
    the date line, title and abstract in turn. A reference for tests, not the app's parser."""
    entries: list[tuple[str, str]] = []
    for path in files:
        paragraphs = [p.strip() for p in path.read_text(encoding="utf-8").split("\n\n")]
        paragraphs = [p for p in paragraphs if p]
        dated = next(i for i, p in enumerate(paragraphs) if re.fullmatch(r"[A-Z][a-z]{2} \d+", p))
        body = paragraphs[dated + 1 :]
        entries.extend(zip(body[0::2], body[1::2], strict=True))
    return entries


DigestWriter = Callable[..., Path]


def run_cli(data_dir: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    """The real command line on ``data_dir``, in a process of its own, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "readerapp", "--data-dir", str(data_dir), *args],
        capture_output=True,
        text=True,
        input=stdin,
        timeout=300,
    )


@pytest.fixture
def indexed_collection(data_dir: Path, write_digest) -> Iterator[Callable[..., Collection]]:
    """Open a collection of one digest of ``papers``, indexed: ``indexed_collection(PAPERS)``."""
    opened: list[Collection] = []

    def make(papers: Sequence[tuple[str, str]]) -> Collection:
        coll = Collection(data_dir)
        coll.import_paths([write_digest("a.txt", "Mar 13", papers)])
        coll.ensure_index()
        opened.append(coll)
        return coll

    yield make
    for coll in opened:
        coll.close()


@pytest.fixture
def write_digest(tmp_path: Path) -> DigestWriter:
    """Write a digest in the real layout: ``write_digest("a.txt", "Mar 13", [(t, abstract)])``."""

    def write(name: str, day: str, papers: Sequence[tuple[str, str]]) -> Path:
        path = tmp_path / "digests" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(digest_text(day, papers), encoding="utf-8")
        return path

    return write


def digest_text(day: str, papers: Sequence[tuple[str, str]]) -> str:
    """A digest in the real layout, of the day ``day`` ("Mar 13") and ``papers``."""
    header = ["new", "Get trending papers in your email inbox!", "Subscribe",
              "byAK and the research community", day]  # fmt: skip
    body = [part for title, abstract in papers for part in (title, abstract)]
    return "\n\n".join(header + body) + "\n"
