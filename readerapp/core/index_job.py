"""Big index work in a child process of readerapp, so that the calling process stays light.

Indexing is CPU-bound Python. In the window's process it would compete with the event loop for
the GIL, and Whoosh's worker processes cannot safely be forked from a process with threads. So
a rebuild, or a catch-up of more than `IN_PROCESS_LIMIT` papers, runs as the hidden command
``readerapp --data-dir DIR index-job [--rebuild]``: the child takes the index lock, does the
work (with two Whoosh workers where processes are forked) and prints one JSON object a
line on its standard output: progress, then the outcome or the error. Killing it loses nothing:
a rebuild is built beside the old index and swapped in at the end, and what the library queued
for the index stays queued until a sync has taken it in. Smaller work (a note, a digest of some
80 papers) stays in the calling process: starting a child would cost more than it saves.

A big import starts the job at once, beside it (`import_with_index`, with ``--during-import``):
the import itself keeps one core busy, and the job indexes what it has added so far on the
other, so that the papers are searchable sooner.
"""

from __future__ import annotations

import collections
import contextlib
import json
import os
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO

import readerapp
from readerapp.core import errors
from readerapp.core.collection import Collection, ImportSummary, digest_files
from readerapp.core.errands import Errands
from readerapp.core.errors import ReaderappError, SearchIndexError
from readerapp.core.progress import Progress, never
from readerapp.core.search import WORKER_BATCH, Cancelled

IN_PROCESS_LIMIT = 300
VERB = "index-job"
DURING_IMPORT = "--during-import"  # the job's option to index beside an import (`IndexBeside`)
# Digests of this many bytes (some 1,000 papers) and more are indexed beside their import.
BESIDE_IMPORT_BYTES = 2_000_000
_POLL_SECONDS = 0.1
_IMPORT_POLL_SECONDS = 0.25  # how often the job beside an import looks for a batch to index
_MAX_WORKERS = 2  # each takes its pool and more in memory (see `search.index._writer`)
_NICENESS = 10
# The errors a child reports that are raised again as that type (or as their nearest base
# among these) in the caller, with the child's message.
_KINDS = {
    kind.__name__: kind
    for kind in (ReaderappError, errors.LibraryError, errors.DataDirError, SearchIndexError)
}


# --- the calling side --------------------------------------------------------------------------


def ensure_index(
    collection: Collection,
    progress: Progress | None = None,
    cancelled=never,
    errands: Errands | None = None,
    beside: IndexBeside | None = None,
) -> str | None:
    """`Collection.ensure_index`, in a child process when the work is big; or wait for the
    job started ``beside`` an import (see `import_with_index`), which does the same.

    While a child catches up an index that is sound, this thread runs the ``errands`` offered
    (searches, of what is indexed so far). Not while it rebuilds: the index is then missing,
    damaged or about to be replaced, and must be left closed for the swap (Windows).
    """
    if beside is not None:
        return beside.finish(progress, cancelled, errands)
    problem = collection.index_problem()
    work = collection.library.count() if problem else len(collection.library.index_queue.ids())
    if work <= IN_PROCESS_LIMIT:
        return collection.ensure_index(progress, cancelled)
    served = None if problem else errands
    return run_job(
        collection, rebuild=False, progress=progress, cancelled=cancelled, errands=served
    )


def rebuild_index(
    collection: Collection, progress: Progress | None = None, cancelled=never
) -> None:
    """`Collection.rebuild_index`, in a child process when the library is big."""
    if collection.library.count() <= IN_PROCESS_LIMIT:
        collection.rebuild_index(progress, cancelled)
    else:
        run_job(collection, rebuild=True, progress=progress, cancelled=cancelled)


def run_job(
    collection: Collection,
    *,
    rebuild: bool,
    progress: Progress | None = None,
    cancelled=never,
    errands: Errands | None = None,
) -> str | None:
    """Run the index job on ``collection``'s data folder in a child process and wait for it,
    running the ``errands`` offered meanwhile.

    Returns the reason the child rebuilt the index (None when it did not have to). Raises
    `Cancelled` once the child is killed because ``cancelled()`` said so, and the child's own
    error type and message when it failed.
    """
    collection.index.close()  # Windows cannot move an index folder that is open
    try:
        child = _Child(job_command(collection.data_dir, rebuild))
        return child.follow(progress, cancelled, errands)
    finally:
        collection.index.close()  # what errands opened is older than what the child made


class IndexBeside:
    """The index job, started beside a big import rather than after it.

    While the import runs, the child indexes the papers imported so far, whenever a whole
    batch of them waits (see `WORKER_BATCH`), below the import's priority: on the core the
    import leaves idle. Once told the import is over, it indexes the rest and ends.
    """

    def __init__(self, collection: Collection) -> None:
        self._collection = collection
        batch = worker_processes() * WORKER_BATCH
        command = job_command(collection.data_dir, rebuild=False, import_batch=batch)
        self._child = _Child(command, with_input=True)

    def import_over(self) -> None:
        """Tell the child that the import is over: it indexes the rest and ends."""
        self._child.end_input()

    def finish(
        self, progress: Progress | None = None, cancelled=never, errands: Errands | None = None
    ) -> str | None:
        """Wait for the child as `run_job` does."""
        try:
            return self._child.follow(progress, cancelled, errands)
        finally:
            self._collection.index.close()

    def stop(self) -> None:
        """Kill the child (the import failed): what it had not indexed stays queued."""
        self._child.kill()
        self._child.close()


def import_with_index(
    collection: Collection,
    paths: Sequence[Path],
    progress: Progress | None = None,
    cancelled=never,
    errands: Errands | None = None,
) -> tuple[ImportSummary, IndexBeside | None]:
    """`Collection.import_paths`, with the index job beside it when the import is big (see
    `_start_beside_import`); the caller hands that job to `ensure_index`, which waits for it."""
    beside = _start_beside_import(collection, paths)
    try:
        summary = collection.import_paths(paths, progress, cancelled, errands)
    except BaseException:
        if beside:
            beside.stop()
        raise
    if beside:
        beside.import_over()
    return summary, beside


def _start_beside_import(collection: Collection, paths: Iterable[Path]) -> IndexBeside | None:
    """The index job started beside an import of ``paths``; None when the files are too small
    for it to be worth a process, or when a big index must first be rebuilt (index after the
    import with `ensure_index` then). A small one (a new library's) is rebuilt here first."""
    size = 0
    for path in digest_files(paths):
        with contextlib.suppress(OSError):
            size += path.stat().st_size
    if size < BESIDE_IMPORT_BYTES:
        return None
    if collection.index_problem():
        if collection.library.count() > IN_PROCESS_LIMIT:
            return None
        collection.ensure_index()
    return IndexBeside(collection)


def job_command(data_dir: Path, rebuild: bool, *, import_batch: int | None = None) -> list[str]:
    """The command line that runs the index job: this program, frozen or from the source;
    ``import_batch``: beside an import (see `IndexBeside`), indexing that many at a time."""
    if getattr(sys, "frozen", False):
        program = [_console_executable()]
    else:
        program = [sys.executable, "-m", "readerapp"]
    options = ["--rebuild"] * rebuild
    if import_batch:
        options += [DURING_IMPORT, str(import_batch)]
    return [*program, "--data-dir", str(data_dir), VERB, *options]


def _console_executable() -> str:
    """The frozen bundle's console program: on Windows the window's ``readerapp-gui.exe``
    has no standard output to report on, its ``readerapp.exe`` beside it has."""
    here = Path(sys.executable)
    console = here.with_name("readerapp" + here.suffix)
    return str(console if console.is_file() else here)


def _child_env() -> dict[str, str]:
    """The environment, with this very readerapp package first on the child's import path."""
    env = dict(os.environ)
    if not getattr(sys, "frozen", False):
        source = str(Path(readerapp.__file__).resolve().parent.parent)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [source, env.get("PYTHONPATH")]))
    return env


def _start(command: list[str], *, with_input: bool = False) -> subprocess.Popen[str]:
    """Start the child in a process group of its own, so that a kill reaches its workers, and
    below the window's priority (see `run_in_child` for POSIX); ``with_input``: with a pipe to
    its standard input."""
    if sys.platform == "win32":
        flags = subprocess.CREATE_NO_WINDOW | subprocess.BELOW_NORMAL_PRIORITY_CLASS
        options: dict = {"creationflags": flags}
    else:
        options = {"start_new_session": True}
    try:
        return subprocess.Popen(
            command,
            stdin=subprocess.PIPE if with_input else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            errors="replace",
            env=_child_env(),
            **options,
        )
    except OSError as exc:
        raise SearchIndexError(f"cannot start the indexing process: {exc}") from exc


class _Child:
    """A started index job, whose output is read as it comes (so that it never waits on a
    full pipe) until `follow` passes it on."""

    def __init__(self, command: list[str], *, with_input: bool = False) -> None:
        self.process = _start(command, with_input=with_input)
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.stderr: collections.deque[str] = collections.deque(maxlen=20)
        self._readers = [
            threading.Thread(target=_pump, args=(self.process.stdout, self.lines), daemon=True),
            threading.Thread(target=self.stderr.extend, args=(self.process.stderr,), daemon=True),
        ]
        for reader in self._readers:
            reader.start()

    def end_input(self) -> None:
        if self.process.stdin:
            with contextlib.suppress(OSError):  # it may have ended (its error is read next)
                self.process.stdin.close()

    def kill(self) -> None:
        _kill(self.process)

    def follow(
        self, progress: Progress | None = None, cancelled=never, errands: Errands | None = None
    ) -> str | None:
        """Pass the child's progress on until it ends, running ``errands`` as they come; the
        child's outcome, or its error raised here.

        The child is killed when ``cancelled()`` or when anything goes wrong here.
        """
        progress = progress or (lambda done, total: None)
        serving = (errands or Errands()).serve(wake=lambda: self.lines.put(""))
        outcome: dict | None = None
        with serving as run_errands:
            try:
                for event in _events(self.lines, cancelled, run_errands):
                    if event.get("event") == "progress":
                        progress(event["done"], event["total"])
                    else:
                        outcome = event
            except BaseException:
                self.kill()
                raise
            finally:
                self.close()
        return _outcome(outcome, self.process.returncode, self.stderr)

    def close(self) -> None:
        self.end_input()
        self.process.wait()
        for reader in self._readers:
            reader.join(_POLL_SECONDS * 10)
        self.process.stdout.close()
        self.process.stderr.close()


def _pump(stream: IO[str], lines: queue.Queue[str | None]) -> None:
    """Queue the lines of ``stream``, then None at its end."""
    for line in stream:
        lines.put(line)
    lines.put(None)


def _events(
    lines: queue.Queue[str | None], cancelled, run_errands: Callable[[], None]
) -> Iterator[dict]:
    """The child's events as they come, until its output ends; `Cancelled` when asked. An
    empty line is an errand's wake-up call."""
    while True:
        if cancelled():
            raise Cancelled
        run_errands()
        try:
            line = lines.get(timeout=_POLL_SECONDS)
        except queue.Empty:
            continue
        if line is None:
            return
        try:
            event = json.loads(line)
        except ValueError:
            continue  # not ours: something the child's libraries printed
        if isinstance(event, dict):
            yield event


def _outcome(event: dict | None, status: int, stderr: collections.deque[str]) -> str | None:
    if event and event.get("event") == "done" and status == 0:
        return event.get("rebuilt")
    if event and event.get("event") == "error":
        kind = next((_KINDS[k] for k in event.get("kinds", []) if k in _KINDS), ReaderappError)
        raise kind(event["message"])
    last = next((line.strip() for line in reversed(stderr) if line.strip()), "no message")
    raise SearchIndexError(f"the indexing process stopped (exit status {status}): {last}")


def _kill(child: subprocess.Popen[str]) -> None:
    """Kill the child and its Whoosh workers; the index lock dies with them."""
    try:
        if sys.platform == "win32":
            child.kill()
        else:
            os.killpg(child.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass  # gone already


# --- the child's side ----------------------------------------------------------------------------


def worker_processes() -> int:
    """How many Whoosh workers a job process uses: one per core (up to `_MAX_WORKERS`) where
    they are forked, else one (spawning would start this program again, frozen or not)."""
    import multiprocessing  # only in the job process: the command line starts fast

    if multiprocessing.get_start_method() != "fork":
        return 1
    return max(1, min(os.cpu_count() or 1, _MAX_WORKERS))


def run_in_child(
    data_dir: Path, rebuild: bool, out: IO[str], import_batch: int | None = None
) -> int:
    """The child's part: do the work, reporting on ``out``. Returns the exit status.

    ``import_batch``: an import runs beside (see `IndexBeside`) until the standard input ends;
    until then, index what it adds, whenever this many papers wait.
    """

    def say(event: str, **fields: object) -> None:
        out.write(json.dumps({"event": event, **fields}) + "\n")
        out.flush()

    def progress(done: int, total: int) -> None:
        say("progress", done=done, total=total)

    if hasattr(os, "nice"):
        os.nice(_NICENESS)  # the window (and the user's other work) before the index
    procs = worker_processes()
    try:
        collection = Collection(data_dir)
        try:
            if rebuild:
                collection.rebuild_index(progress, procs=procs)
                reason = None
            else:
                taken = 0
                if import_batch:
                    taken = _while_importing(collection, import_batch, progress, procs)
                reason = collection.ensure_index(_after(taken, progress), procs=procs)
            indexed = collection.index.doc_count()
        finally:
            collection.close()
    except ReaderappError as exc:
        say("error", kinds=[kind.__name__ for kind in type(exc).__mro__], message=str(exc))
        return 1
    say("done", rebuilt=reason, indexed=indexed)
    return 0


def _while_importing(collection: Collection, batch: int, progress: Progress, procs: int) -> int:
    """Index the papers an import adds, whenever ``batch`` of them wait, until the standard
    input ends. Returns how many were indexed.

    Its end is read as raw bytes on a thread: a thread that held a Python file's lock while
    the workers were forked would leave it held in them.
    """
    import_running = sys.stdin.fileno()
    ended = threading.Event()

    def wait_for_the_end() -> None:
        with contextlib.suppress(OSError):
            while os.read(import_running, 4096):
                pass
        ended.set()

    threading.Thread(target=wait_for_the_end, daemon=True).start()
    taken = 0
    while not ended.wait(_IMPORT_POLL_SECONDS):
        if collection.library.index_queue.count() >= batch:
            taken += collection.sync_index(_after(taken, progress), procs=procs, whole=batch)
    return taken


def _after(taken: int, progress: Progress) -> Progress:
    """``progress``, counted after the ``taken`` papers indexed already."""
    return lambda done, total: progress(taken + done, taken + total)
