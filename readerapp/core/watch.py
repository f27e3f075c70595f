"""Watched folders: digests saved into them are imported without being asked.

The window checks the folders when it starts and whenever they change. A check imports the
digest-like files at the top of each folder that are new or changed since the last check (by
size and modification time, remembered in the library's settings). The library ignores a
digest it has already imported, so a changed file adds only its new papers, and the user's
state is never touched. Files that are not digests are passed over quietly: a Downloads folder
holds much else. Readerapp's own exports saved there are skipped, and said to be.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from pathlib import Path

from readerapp.core.collection import DIGEST_SUFFIXES, Collection, ImportSummary
from readerapp.core.library import Library
from readerapp.core.progress import Progress

log = logging.getLogger(__name__)

FOLDERS_KEY = "watch.folders"
SEEN_KEY = "watch.seen"
# A digest is some 100 KB; bigger files in a watched folder are something else.
MAX_WATCHED_BYTES = 4 * 1024 * 1024

Stamp = tuple[int, int]  # size, modification time in nanoseconds


def watched_folders(library: Library) -> list[Path]:
    """The folders the user asked to watch, in the order given."""
    return [Path(folder) for folder in json.loads(library.settings.get(FOLDERS_KEY) or "[]")]


def set_watched_folders(library: Library, folders: Iterable[Path]) -> None:
    unique = list(dict.fromkeys(str(Path(folder).expanduser()) for folder in folders))
    library.settings.set(FOLDERS_KEY, json.dumps(unique) if unique else None)


def _stamp(path: Path) -> Stamp | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns


def digest_candidates(folder: Path) -> dict[Path, Stamp]:
    """The files at the top of ``folder`` that may be digests, with their stamps."""
    try:
        entries = list(folder.iterdir())
    except OSError:
        return {}
    found = {}
    for path in entries:
        stamp = _stamp(path) if path.suffix.lower() in DIGEST_SUFFIXES else None
        if stamp and path.is_file() and 0 < stamp[0] <= MAX_WATCHED_BYTES:
            found[path] = stamp
    return dict(sorted(found.items()))


def check_folders(
    collection: Collection,
    folders: Iterable[Path],
    progress: Progress | None = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> ImportSummary:
    """Import what is new or changed in ``folders`` since the last check.

    The summary lists the digests read and readerapp's exports skipped; files that were not
    digests are left out of it.
    """
    library = collection.library
    seen: dict[str, list[int]] = json.loads(library.settings.get(SEEN_KEY) or "{}")
    stamps: dict[Path, Stamp] = {}
    for folder in folders:
        stamps.update(digest_candidates(Path(folder)))
    changed = [path for path, stamp in stamps.items() if seen.get(str(path)) != list(stamp)]
    summary = collection.import_paths(changed, progress, cancelled, found_in_folder=True)
    for refused in summary.refused:
        log.info("a watched folder holds a file that is not a digest: %s", refused)
    for skipped in summary.skipped:
        log.info("%s skipped: %s", skipped.source, skipped.reason)
    done = {r.source for r in summary.results}
    done |= {e.source for e in summary.refused + summary.skipped}
    kept = {str(path): list(stamp) for path, stamp in stamps.items()
            if str(path) in done or seen.get(str(path)) == list(stamp)}  # fmt: skip
    if kept != seen:
        library.settings.set(SEEN_KEY, json.dumps(kept))
    return ImportSummary(
        results=summary.results, cancelled=summary.cancelled, skipped=summary.skipped
    )
