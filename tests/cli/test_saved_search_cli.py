"""The command line sees the saved searches of the window: search:"name" in any search."""

from __future__ import annotations

from pathlib import Path

from readerapp.core.collection import Collection
from tests.cli.test_cli import PAPERS, run


def test_search_uses_a_saved_search_and_says_when_there_is_none(
    data_dir: Path, write_digest
) -> None:
    collection = Collection(data_dir)
    collection.import_paths([write_digest("a.txt", "Mar 13", PAPERS)])
    collection.save_search("with code", "has:code")  # as the window saves it
    collection.close()
    found = run(data_dir, "search", 'search:"with code" diffusion')
    assert found.returncode == 0, found.stderr
    assert "Diffusion Models Beat GANs" in found.stdout and "1 of 1 paper\n" in found.stdout
    missing = run(data_dir, "search", 'search:"nope"')
    assert missing.stdout.splitlines() == [
        "no papers found", "The saved search “nope” does not exist."]  # fmt: skip
