"""Peak memory of every process of an index build, and its speed ("Speed at scale").

    python benchmarks/bench_index_memory.py DATA_DIR [--work DIR] [--json FILE]

Copies the library of ``DATA_DIR`` (never changed) into a fresh data directory (kept under
``--work``, with the index built, to search it afterwards) and runs the index job on it as the
window does, ``python -m readerapp --data-dir COPY index-job --rebuild``, in a session of its
own. Every 50 ms it reads the peak resident set (``VmHWM``) of each process of that session
from /proc: the job's own process and each Whoosh worker it forks. Reports them with the papers
indexed, wall and CPU seconds (the job and its workers), papers/s, and the time from the last
progress report to the end (the final commit, which shows no progress).
Linux only. Set ``PYTHONPATH`` to measure a copy of ``readerapp/`` (see README.md).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO

import harness

POLL_S = 0.05
LIBRARY = "library.sqlite3"


@dataclass
class Build:
    """What one index job did and took."""

    papers: int = 0
    wall_s: float = 0.0
    cpu_s: float = 0.0
    last_progress_s: float = 0.0
    job_peak_mb: float = 0.0
    worker_peaks_mb: list[float] = field(default_factory=list)
    any_peak_mb: float = 0.0  # the largest of all, from the kernel's own accounting

    @property
    def papers_per_s(self) -> float:
        return self.papers / self.wall_s if self.wall_s else 0.0


def copied_data_dir(source: Path, work: Path) -> Path:
    """A fresh data directory holding a copy of ``source``'s library only."""
    target = work / f"{source.name}-copy"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    shutil.copy2(source / LIBRARY, target / LIBRARY)
    return target


def session_peaks(session: int) -> dict[int, float]:
    """The peak resident set in MB of each live process of ``session``, by process id."""
    peaks = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            status = (entry / "status").read_text()
        except OSError:
            continue  # ended meanwhile
        if int(stat.rpartition(")")[2].split()[3]) != session:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                peaks[int(entry.name)] = int(line.split()[1]) / 1024
    return peaks


def run_build(data_dir: Path) -> Build:
    """Rebuild ``data_dir``'s index in the index job, watching the memory of its processes."""
    command = [sys.executable, "-m", "readerapp", "--data-dir", str(data_dir)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    child = subprocess.Popen(
        [*command, "index-job", "--rebuild"],
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
        cwd=data_dir,  # not the checkout: PYTHONPATH decides which readerapp runs
    )
    build, peaks = Build(), dict[int, float]()
    reader = threading.Thread(target=_read_events, args=(child.stdout, build, start))
    reader.start()
    while child.poll() is None:
        peaks.update(session_peaks(child.pid))
        time.sleep(POLL_S)
    reader.join()
    build.wall_s = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    build.cpu_s = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    build.any_peak_mb = after.ru_maxrss / 1024
    build.job_peak_mb = peaks.pop(child.pid, 0.0)
    build.worker_peaks_mb = sorted(peaks.values(), reverse=True)
    if child.returncode:
        raise SystemExit(f"the index job failed (exit status {child.returncode})")
    return build


def _read_events(stream: IO[str], build: Build, start: float) -> None:
    """Note the job's progress and outcome as it prints them."""
    for line in stream:
        try:
            event = json.loads(line)
        except ValueError:
            continue  # not the job's: something a library printed
        if event["event"] == "progress":
            build.last_progress_s = time.perf_counter() - start
        elif event["event"] == "done":
            build.papers = event["indexed"]


def report(build: Build) -> str:
    workers = build.worker_peaks_mb
    rows = [
        ["papers", build.papers],
        ["wall s / CPU s", f"{build.wall_s:.1f} / {build.cpu_s:.1f}"],
        ["papers/s (wall)", build.papers_per_s],
        ["last progress to end, s", build.wall_s - build.last_progress_s],
        ["peak RSS, the job's process (MB)", build.job_peak_mb],
        ["peak RSS, largest worker (MB)", max(workers, default=0.0)],
        ["workers", len(workers)],
        ["peak RSS, any process (kernel, MB)", build.any_peak_mb],
    ]
    return harness.table(["index build", "value"], rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path, help="a data directory; only its library is read")
    parser.add_argument("--work", type=Path, help="keep the copy, index built, here")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        build = run_build(copied_data_dir(args.data_dir, args.work or Path(temporary)))
    print(report(build))
    print(f"\nload average: {os.getloadavg()[0]:.1f}", file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps({**asdict(build), "papers_per_s": build.papers_per_s}))


if __name__ == "__main__":
    main()
