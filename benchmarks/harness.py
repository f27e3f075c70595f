"""What every benchmark script here shares: corpora, prepared data directories, timing, memory,
and Markdown tables.

``bench.py`` (the core and the command line) is built on it, and so can a ``bench_gui.py``
beside it: ``prepared_data_dir`` gives a data directory with a corpus imported and indexed,
``latencies``/``summary`` turn repeated timings into p50/p95, ``peak_rss_mb`` reads memory and
``table`` prints the result the same way.
"""

from __future__ import annotations

import resource
import shutil
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import corpus

# --- corpora and data directories --------------------------------------------------------------


def corpus_dir(work: Path, papers: int, seed: int) -> Path:
    """The digest files of ``papers`` papers under ``work``, written once and then reused."""
    folder = work / f"corpus-{papers}-seed{seed}"
    done = folder / ".complete"
    if not done.exists():
        shutil.rmtree(folder, ignore_errors=True)
        corpus.write_corpus(papers, folder, seed)
        done.write_text("")
    return folder


def prepared_data_dir(work: Path, papers: int, seed: int = 1) -> Path:
    """A data directory with the corpus imported and indexed (reused when already complete)."""
    from readerapp.core.collection import Collection

    folder = work / f"data-{papers}-seed{seed}"
    done = folder / ".complete"
    if not done.exists():
        shutil.rmtree(folder, ignore_errors=True)
        work.mkdir(parents=True, exist_ok=True)
        collection = Collection(folder)
        try:
            collection.import_paths([corpus_dir(work, papers, seed)])
            collection.ensure_index()
        finally:
            collection.close()
        done.write_text("")
    return folder


# --- timing ------------------------------------------------------------------------------------


def elapsed(action: Callable[[], object]) -> float:
    """Seconds that one call of ``action`` took."""
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


@dataclass
class Timings:
    """Wall and CPU seconds of repeated calls. CPU time (this process, all threads) is the
    figure that other programs on a busy machine disturb least."""

    wall: list[float]
    cpu: list[float]


def timed(action: Callable[[], object]) -> tuple[float, float, object]:
    """Wall seconds, CPU seconds (this process's and its children's that ended meanwhile:
    the index job and its workers) and the result of one call of ``action``."""
    wall, cpu = time.perf_counter(), _cpu_seconds()
    result = action()
    return time.perf_counter() - wall, _cpu_seconds() - cpu, result


def _cpu_seconds() -> float:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def latencies(
    action: Callable[[], object], repeat: int, budget_s: float = 30.0
) -> tuple[Timings, object]:
    """Timings of ``repeat`` calls of ``action`` after one warm-up call.

    Slow actions are repeated fewer times (never fewer than 5) to stay near ``budget_s``.
    Returns the timings and the warm-up call's result.
    """
    warm, _cpu, result = timed(action)
    if warm * repeat > budget_s:
        repeat = max(5, int(budget_s / max(warm, 1e-9)))
    timings = Timings([], [])
    for _ in range(repeat):
        wall, cpu, _result = timed(action)
        timings.wall.append(wall)
        timings.cpu.append(cpu)
    return timings, result


def percentile(values: Sequence[float], share: float) -> float:
    """The value at ``share`` (0-1) of the sorted values, interpolated linearly."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    position = share * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass(frozen=True)
class Summary:
    """p50 and p95 of wall times and p50 of CPU times, in milliseconds."""

    p50_ms: float
    p95_ms: float
    cpu_p50_ms: float | None
    count: int

    def as_dict(self) -> dict[str, float | None]:
        return {
            "p50_ms": self.p50_ms,
            "p95_ms": self.p95_ms,
            "cpu_p50_ms": self.cpu_p50_ms,
            "n": self.count,
        }


def summary(timings: Timings | Sequence[float]) -> Summary:
    """p50/p95 of ``timings`` (or of bare wall seconds)."""
    wall, cpu = (timings.wall, timings.cpu) if isinstance(timings, Timings) else (timings, [])
    return Summary(
        statistics.median(wall) * 1000,
        percentile(wall, 0.95) * 1000,
        statistics.median(cpu) * 1000 if cpu else None,
        len(wall),
    )


# --- profiles -----------------------------------------------------------------------------------


def save_profile(profiler, stem: Path) -> None:
    """Write a stopped pyinstrument profile as ``stem``.txt and ``stem``.pyisession."""
    stem.parent.mkdir(parents=True, exist_ok=True)
    text = profiler.output_text(unicode=False, color=False, show_all=True)
    stem.with_suffix(".txt").write_text(text)
    profiler.last_session.save(str(stem.with_suffix(".pyisession")))


# --- memory ------------------------------------------------------------------------------------


def peak_rss_mb(pid: int | str = "self") -> float:
    """The largest resident set a process (this one by default) has had so far: its VmHWM.

    Not ``getrusage``'s ``ru_maxrss``: Linux carries into it the resident set of the parent
    at the fork, so that a window started by a benchmark that had just imported 100,000
    papers reported the benchmark's 425 MB as its own (the window's was 277 MB).
    """
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 if pid == "self" else 0
    kib = next((line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")), 0)
    return int(kib) / 1024


def current_rss_mb() -> float:
    """The resident set now (from /proc; 0 where there is none)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return 0.0
    return pages * resource.getpagesize() / 2**20


# --- output ------------------------------------------------------------------------------------


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A Markdown table; numbers right-aligned."""
    cells = [[_cell(value) for value in row] for row in rows]
    numeric = [
        all(isinstance(row[i], int | float) or row[i] in (None, "") for row in rows)
        for i in range(len(headers))
    ]
    lines = [
        "| " + " | ".join(headers) + " |",
        "|" + "|".join("---:" if num else "---" for num in numeric) + "|",
    ]
    lines += ["| " + " | ".join(row) + " |" for row in cells]
    return "\n".join(lines)


def _cell(value: object) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if value >= 100:
            return f"{value:,.0f}"
        if value >= 10:
            return f"{value:.1f}"
        return f"{value:.2f}"
    return str(value).replace("|", "\\|")
