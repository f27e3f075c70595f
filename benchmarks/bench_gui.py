"""The window's figures ("Speed at scale"): keystroke to list, event-loop stalls, cold start.

    python benchmarks/bench_gui.py --papers 20000 [--quick] [--json FILE] [--work DIR]
                                   [--profile DIR]

Everything runs in the real main window on the offscreen platform, over a copy of a data
directory that ``harness.prepared_data_dir`` imported and indexed, in a child process of its own
(clean peak RSS):

- keystroke to list: real key events into the search box (``searchEdit``), one letter at a time,
  each time waiting until the paper list shows the results of the text typed so far (the search
  controller's ``results_shown``); beside it what is ours (the figure less the debounce), the
  search alone on the worker and the GUI thread's share (model reset to results shown); and the
  same queries typed at a steady 10 keys a second, from the last key to the list;
- the longest stall of the GUI event loop (a heartbeat timer every 5 ms; a stall is how much
  later than its interval a beat came) while idle, while typing, during an import of a folder
  of new digests through the window's import action, and during File > Rebuild the search index;
- the process's cold start (``python -m readerapp --data-dir D``) until the window is interactive
  with the library listed: the window writes the number of papers listed to the file
  ``READERAPP_TEST_HOOK_READY_FILE`` names once its event loop has turned (see
  `readerapp.gui.testing_hooks`); and its peak RSS then.

Markdown on stdout, progress on stderr, ``--json FILE`` for the raw numbers, ``--work DIR`` to keep
and reuse corpora and data directories, ``--profile DIR`` for pyinstrument reports of the GUI
thread during each phase. The machine is noisy: the load average is printed with the tables.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import harness

from readerapp.gui.testing_hooks import READY_FILE_ENV

QUICK_PAPERS = 2_000
NEW_PAPERS, QUICK_NEW_PAPERS = 2_000, 400
NEW_SEED = 2  # another seed: papers the library does not hold yet
QUERIES = ("diffusion model", "federated learning", "graph neural network")
STEADY_KEY_MS = 100  # a steady typist: 10 keys a second, faster than the debounce
BEAT_MS = 5
STALL_MS = 50  # the target: the event loop never stalls longer
IDLE_S = 2.0
COLD_RUNS, QUICK_COLD_RUNS = 5, 3
WAIT_S = 900.0
BARE_QT = (
    "from PySide6.QtCore import QTimer\n"
    "from PySide6.QtWidgets import QApplication, QMainWindow\n"
    "import pathlib, sys\n"
    "app = QApplication([]); w = QMainWindow(); w.show()\n"
    "QTimer.singleShot(0, lambda: pathlib.Path(sys.argv[1]).write_text('0'))\n"
    "app.exec()\n"
)


# --- in the window (the worker process) --------------------------------------------------------


def stolen_ms() -> float:
    """The CPU time the hypervisor has taken from this virtual machine's cores, all of them
    summed (the steal column of ``/proc/stat``, in ms); 0 where the kernel does not count it."""
    try:
        with open("/proc/stat", "rb") as stat:
            fields = stat.readline().split()
    except OSError:
        return 0.0
    return int(fields[8]) * 1000 / os.sysconf("SC_CLK_TCK") if len(fields) > 8 else 0.0


class Heartbeat:
    """A precise timer every ``BEAT_MS``; records how much later than that each beat came, how
    much CPU the GUI thread spent in between, and how much time the hypervisor stole from the
    machine's cores meanwhile: a late beat with little CPU was kept waiting (by the GIL, or by
    other programs on a busy machine) rather than kept busy by our code, and one with stolen
    time in it may have been kept waiting by the host of this virtual machine."""

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(BEAT_MS)
        self._timer.timeout.connect(self._beat)
        self._last = self._last_cpu = self._last_stolen = 0.0
        self.stalls: list[tuple[float, float, float]] = []  # ms late, of GUI-thread CPU, stolen

    def start(self) -> None:
        self.stalls = []
        self._last, self._last_cpu = time.perf_counter(), time.thread_time()
        self._last_stolen = stolen_ms()
        self._timer.start()

    def stop(self) -> dict[str, float]:
        self._beat()
        self._timer.stop()
        late, cpu, stolen = max(self.stalls)
        return {
            "longest_ms": late,
            "longest_cpu_ms": cpu,
            "longest_stolen_ms": stolen,
            "longest_unstolen_ms": max(
                (late for late, _, stolen in self.stalls if not stolen), default=0.0
            ),
            "busiest_cpu_ms": max(cpu for _, cpu, _ in self.stalls),
            "over_50ms": sum(late > STALL_MS for late, _, _ in self.stalls),
            "beats": len(self.stalls),
        }

    def _beat(self) -> None:
        now, cpu, stolen = time.perf_counter(), time.thread_time(), stolen_ms()
        late = max(0.0, (now - self._last) * 1000 - BEAT_MS)
        self.stalls.append((late, (cpu - self._last_cpu) * 1000, stolen - self._last_stolen))
        self._last, self._last_cpu, self._last_stolen = now, cpu, stolen


class WindowBench:
    """Drives one main window and measures it."""

    def __init__(self, args: argparse.Namespace) -> None:
        from PySide6.QtCore import QSettings

        from readerapp.core.collection import Collection
        from readerapp.gui.app import make_application
        from readerapp.gui.views.main_window import MainWindow

        self.args = args
        self.started = time.perf_counter()
        self.results: dict[str, object] = {"papers": args.papers, "rss": {}}
        self.app = make_application()
        self.collection = Collection(args.data)
        settings = QSettings(str(args.run_dir / "gui.ini"), QSettings.Format.IniFormat)
        start = time.perf_counter()
        self.window = MainWindow(self.collection, settings)
        self.window.show()
        self.results["window_open_ms"] = (time.perf_counter() - start) * 1000
        self.heartbeat = Heartbeat()
        self.shown: list[tuple[float, str]] = []  # (when, text) of each result list shown
        self.reset_at = 0.0
        self.window.searcher.results_shown.connect(self._results_shown)
        self.window.papers.modelAboutToBeReset.connect(self._resetting)

    def say(self, text: str) -> None:
        at = time.perf_counter() - self.started
        print(f"[window {self.args.papers:,}, {at:6.0f} s] {text}", file=sys.stderr, flush=True)

    def _results_shown(self, outcome) -> None:
        self.shown.append((time.perf_counter(), outcome.request.text))

    def _resetting(self) -> None:
        self.reset_at = time.perf_counter()

    # --- waiting in a real event loop (no sleeps, which would stall the loop themselves) ---

    def wait_until(self, done: Callable[[], bool], timeout_s: float = WAIT_S) -> None:
        from PySide6.QtCore import QEventLoop, Qt, QTimer

        if done():
            return
        loop = QEventLoop()
        deadline = time.perf_counter() + timeout_s
        poll = QTimer()
        poll.setTimerType(Qt.TimerType.PreciseTimer)
        poll.timeout.connect(lambda: (done() or time.perf_counter() > deadline) and loop.quit())
        poll.start(1)
        loop.exec()
        poll.stop()
        if not done():
            raise TimeoutError(f"still waiting after {timeout_s:.0f} s")

    def pause(self, ms: float) -> None:
        end = time.perf_counter() + ms / 1000
        self.wait_until(lambda: time.perf_counter() >= end)

    def settle(self) -> None:
        """Until no long task is queued and the worker has run everything submitted so far."""
        tasks = self.window.tasks
        self.wait_until(lambda: not tasks.busy_long)
        answered: list[bool] = []
        tasks.run(lambda _collection: None, lambda _none: answered.append(True))
        self.wait_until(lambda: bool(answered))

    def on_worker(self, job: Callable):
        """Run ``job(collection)`` on the window's worker and wait for its result."""
        answer: list[object] = []
        self.window.tasks.run(job, answer.append)
        self.wait_until(lambda: bool(answer))
        return answer[0]

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        """Heartbeat (and, when asked, pyinstrument on this thread) around one phase."""
        profiler = self._profiler()
        self.heartbeat.start()
        start = time.perf_counter()
        try:
            yield
        finally:
            stalls = self.heartbeat.stop()
            stalls["seconds"] = time.perf_counter() - start
            self.results.setdefault("stalls", {})[name] = stalls
            self.results["rss"][name] = harness.peak_rss_mb()
            if profiler is not None:
                self._save_profile(profiler, name)

    def _profiler(self):
        if self.args.profile is None:
            return None
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.001)
        profiler.start()
        return profiler

    def _save_profile(self, profiler, name: str) -> None:
        profiler.stop()
        stem = self.args.profile / f"gui-{self.args.papers}-{name.replace(' ', '-')}"
        harness.save_profile(profiler, stem)

    # --- the phases --------------------------------------------------------------------------

    def run(self) -> dict[str, object]:
        import readerapp

        self.results["readerapp"] = str(Path(readerapp.__file__).parent)
        self.results["load_start"] = os.getloadavg()[0]
        self.say("starting: back-up, index catch-up")
        with self.phase("start-up"):
            self.window.start()
            self.settle()
        with self.phase("idle"):
            self.pause(IDLE_S * 1000)
        self.say("typing")
        self.typing()
        self.say(f"importing {self.args.new.name}")
        self.import_new()
        self.say("rebuilding the index")
        self.rebuild()
        self.results["load_end"] = os.getloadavg()[0]
        return self.results

    def typing(self) -> None:
        letters, gui, steady = [], [], []
        with self.phase("typing"):
            for query in QUERIES:
                letter_ms, gui_ms = self.type_letter_by_letter(query)
                letters += letter_ms
                gui += gui_ms
            for query in QUERIES:
                steady.append(self.type_steadily(query))
        self.results["keystroke_ms"] = letters
        self.results["apply_ms"] = gui
        self.results["steady_ms"] = steady
        self.results["worker_search_ms"] = self.on_worker(self.time_searches)

    def clear_search(self) -> None:
        edit = self.window.search_edit
        edit.clear()
        self.window.searcher.run()
        self.wait_until(lambda: self.shown and self.shown[-1][1] == "" and not edit.text())
        self.pause(100)

    def type_letter_by_letter(self, query: str) -> tuple[list[float], list[float]]:
        """Milliseconds from each key to its results in the list; and of the GUI's share."""
        from PySide6.QtTest import QTest

        edit = self.window.search_edit
        self.clear_search()
        edit.setFocus()
        total, gui = [], []
        for letter in query:
            start = time.perf_counter()
            QTest.keyClicks(edit, letter)
            typed = edit.text()
            self.wait_until(lambda typed=typed: self.shown[-1][1] == typed)
            total.append((self.shown[-1][0] - start) * 1000)
            if self.reset_at > start:  # the same results again leave the model as it was
                gui.append((self.shown[-1][0] - self.reset_at) * 1000)
            self.pause(30)
        return total, gui

    def type_steadily(self, query: str) -> float:
        """Milliseconds from the last of keys typed every ``STEADY_KEY_MS`` to the list."""
        from PySide6.QtTest import QTest

        edit = self.window.search_edit
        self.clear_search()
        edit.setFocus()
        for letter in query:
            last = time.perf_counter()
            QTest.keyClicks(edit, letter)
            self.pause(STEADY_KEY_MS - (time.perf_counter() - last) * 1000)
        self.wait_until(lambda: self.shown[-1][1] == query)
        return (self.shown[-1][0] - last) * 1000

    @staticmethod
    def time_searches(collection) -> list[float]:
        """The worker's part alone: ``run_search`` of every prefix typed, in milliseconds."""
        from readerapp.gui.search import SearchRequest, run_search

        prefixes = [query[:end] for query in QUERIES for end in range(1, len(query) + 1)]
        return [
            harness.elapsed(lambda text=text: run_search(collection, SearchRequest(text))) * 1000
            for text in prefixes
        ]

    def import_new(self) -> None:
        """Import the folder of new digests as File > Import a folder does, the search box
        empty (the whole library listed, as it grows); the phase ends once the summary shows
        and the list has been searched again."""
        window = self.window
        self.clear_search()
        before = window.library.count()
        listed_before = window.papers.total()
        first_listed: list[float] = []
        with self.phase("import"):
            start = time.perf_counter()
            window.imports.import_paths([self.args.new])
            self.wait_until(lambda: self._imported(listed_before, first_listed))
            self.results["import_s"] = time.perf_counter() - start
            ended = time.perf_counter()
            self.wait_until(lambda: self.shown[-1][0] > ended)
            self.settle()
        window.imports.summary_dialog.accept()
        self.results["import_added"] = window.library.count() - before
        self.results["import_first_listed_s"] = (first_listed or [ended])[0] - start

    def _imported(self, listed_before: int, first_listed: list[float]) -> bool:
        if not first_listed and self.window.papers.total() > listed_before:
            first_listed.append(time.perf_counter())
        dialog = self.window.imports.summary_dialog
        return not self.window.tasks.busy_long and dialog is not None and dialog.isVisible()

    def rebuild(self) -> None:
        with self.phase("rebuild"):
            start = time.perf_counter()
            self.window.actions["rebuild_index"].trigger()
            self.settle()
            self.results["rebuild_s"] = time.perf_counter() - start

    def close(self) -> None:
        self.window.close()
        self.collection.close()


def worker(args: argparse.Namespace) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    bench = WindowBench(args)
    try:
        results = bench.run()
    finally:
        bench.close()
    args.result.write_text(json.dumps(results, indent=2))
    return 0


# --- cold start (separate processes) ----------------------------------------------------------


def child_env(run_dir: Path, ready: Path) -> dict[str, str]:
    """The environment of a window process: offscreen, settings and logs in ``run_dir``."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env[READY_FILE_ENV] = str(ready)
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        env[name] = str(run_dir / name.lower())
    env.pop("READERAPP_DATA_DIR", None)
    return env


def time_to_ready(command: Sequence[str], run_dir: Path) -> tuple[float, float, int]:
    """Seconds from the start of ``command`` until it writes its ready file, its peak RSS then
    (MB) and the number it wrote (the papers listed); the process is then ended."""
    ready = run_dir / "ready"
    ready.unlink(missing_ok=True)
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=run_dir, env=child_env(run_dir, ready), stdout=subprocess.DEVNULL
    )
    try:
        listed = _wait_for_ready(process, ready)
        seconds = time.perf_counter() - start
        return seconds, harness.peak_rss_mb(process.pid), listed
    finally:
        process.terminate()
        process.wait()


def _wait_for_ready(process: subprocess.Popen, ready: Path) -> int:
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args} ended ({process.returncode}) before it was ready")
        try:
            return int(ready.read_text())
        except (OSError, ValueError):
            time.sleep(0.002)


def cold_starts(data: Path, run_dir: Path, runs: int) -> dict[str, dict[str, float]]:
    """Median and max of ``runs`` cold starts (after one warm-up) of each command."""
    commands = {
        "python -c pass": None,
        "a bare Qt window": [sys.executable, "-c", BARE_QT, str(run_dir / "ready")],
        "readerapp window": [sys.executable, "-m", "readerapp", "--data-dir", str(data)],
    }
    found = {}
    for name, command in commands.items():
        samples = [_one_start(command, run_dir) for _ in range(runs + 1)][1:]
        seconds = [sample[0] for sample in samples]
        found[name] = {
            "median_ms": statistics.median(seconds) * 1000,
            "max_ms": max(seconds) * 1000,
            "peak_rss_mb": statistics.median(sample[1] for sample in samples),
            "listed": samples[-1][2],
        }
    return found


def _one_start(command: Sequence[str] | None, run_dir: Path) -> tuple[float, float, int]:
    if command is None:
        seconds = harness.elapsed(lambda: subprocess.run([sys.executable, "-c", "pass"]))
        return seconds, 0.0, 0
    return time_to_ready(command, run_dir)


# --- the report ------------------------------------------------------------------------------


def report(run: dict) -> str:
    papers = f"{run['papers']:,} papers"
    load = f"load average {run['load_start']:.1f} at the start, {run['load_end']:.1f} at the end"
    parts = [
        f"readerapp from `{run['readerapp']}`; {load} (2 cores).",
        f"## Keystroke to list, {papers} (ms)",
        _typing_table(run),
        f"## Longest stall of the GUI event loop, {papers} (heartbeat every {BEAT_MS} ms)",
        _stall_table(run),
        f"## Cold start to an interactive window, {papers} (ms, median of {run['cold_runs']})",
        _cold_table(run),
    ]
    return "\n\n".join(parts)


def _typing_table(run: dict) -> str:
    from_key = harness.summary([ms / 1000 for ms in run["keystroke_ms"]])
    debounce = run["debounce_ms"]
    rows = [
        ["key to list, letter by letter", *_p50_p95(run["keystroke_ms"])],
        [f"  less the debounce ({debounce} ms): ours", from_key.p50_ms - debounce,
         from_key.p95_ms - debounce, from_key.count],
        ["  the search on the worker (run_search)", *_p50_p95(run["worker_search_ms"])],
        ["  the GUI thread: model reset to list shown", *_p50_p95(run["apply_ms"])],
        [f"last key to list, typing a key every {STEADY_KEY_MS} ms", *_p50_p95(run["steady_ms"])],
    ]  # fmt: skip
    note = f"Queries typed: {', '.join(repr(q) for q in QUERIES)}."
    return harness.table(["", "p50", "p95", "n"], rows) + "\n\n" + note


def _p50_p95(milliseconds: Sequence[float]) -> list[object]:
    found = harness.summary([ms / 1000 for ms in milliseconds])
    return [found.p50_ms, found.p95_ms, found.count]


def _stall_table(run: dict) -> str:
    names = {
        "start-up": "start-up (back-up, index catch-up)",
        "idle": f"idle, {IDLE_S:.0f} s (the machine's noise)",
        "typing": "typing the queries above",
        "import": f"import of {run['import_added']:,} new papers ({run['import_s']:.1f} s)",
        "rebuild": f"File > Rebuild the search index ({run['rebuild_s']:.1f} s)",
    }
    rows = []
    for key, label in names.items():
        found = run["stalls"][key]
        rows.append([label, found["longest_ms"], found.get("longest_cpu_ms"),
                     found.get("longest_stolen_ms"), found.get("longest_unstolen_ms"),
                     found.get("busiest_cpu_ms"), found["over_50ms"], found["seconds"],
                     run["rss"][key]])  # fmt: skip
    headers = ["while", "longest stall", "its GUI CPU", "its stolen time",
               "longest with none stolen", "longest GUI CPU", f"stalls > {STALL_MS} ms", "s",
               "peak RSS (MB)"]  # fmt: skip
    note = (
        'Milliseconds. A stall is how late a beat came; "its GUI CPU" is the GUI thread\'s own '
        "CPU time during the longest one (the rest it waited: for the GIL, or for the cores that "
        'other programs held); "its stolen time" is the time the hypervisor took from this '
        "virtual machine's cores meanwhile (/proc/stat's steal, all cores summed, counted in "
        f"{1000 / os.sysconf('SC_CLK_TCK'):.0f} ms ticks), and the next column the longest stall "
        'with none stolen; "longest GUI CPU" is the most CPU it spent between two beats. '
        f"The window opened (constructor and show) in {run['window_open_ms']:.0f} ms; the first "
        f"imported papers were listed {run['import_first_listed_s']:.1f} s after the import began."
    )
    return harness.table(headers, rows) + "\n\n" + note


def _cold_table(run: dict) -> str:
    rows = [
        [name, found["median_ms"], found["max_ms"], found["peak_rss_mb"] or None]
        for name, found in run["cold"].items()
    ]
    listed = run["cold"]["readerapp window"]["listed"]
    note = f"The window listed {listed:,} papers when it said it was ready."
    return harness.table(["", "median", "max", "peak RSS (MB)"], rows) + "\n\n" + note


# --- the command -------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--papers", type=int, default=20_000, help="corpus size")
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_PAPERS:,} papers, fast")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, help="keep corpora and data directories here")
    parser.add_argument("--profile", type=Path, metavar="DIR", help="pyinstrument reports here")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the raw results")
    parser.add_argument("--report", type=Path, metavar="JSON", help="only print saved results")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--new", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--run-dir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.quick:
        args.papers = QUICK_PAPERS
    return args


def fresh_copy(data: Path, run_dir: Path, name: str) -> Path:
    copy = run_dir / name
    shutil.copytree(data, copy)
    return copy


def measure(args: argparse.Namespace, work: Path) -> dict:
    """Prepare (or reuse) the data, then the window in a worker process, then cold starts."""
    from readerapp.gui.controllers.search_controller import DEBOUNCE_MS

    print(f"[{args.papers:,} papers] preparing the data directory", file=sys.stderr, flush=True)
    data = harness.prepared_data_dir(work, args.papers, args.seed)
    new = harness.corpus_dir(work, QUICK_NEW_PAPERS if args.quick else NEW_PAPERS, NEW_SEED)
    run_dir = Path(tempfile.mkdtemp(prefix=f"gui-{args.papers}-", dir=work))
    result = run_dir / "result.json"
    command = [sys.executable, __file__, "--worker", "--papers", str(args.papers),
               "--data", str(fresh_copy(data, run_dir, "window-data")), "--new", str(new),
               "--run-dir", str(run_dir), "--result", str(result)]  # fmt: skip
    if args.profile:
        command += ["--profile", str(args.profile.resolve())]
    try:
        subprocess.run(command, check=True, env=child_env(run_dir, run_dir / "unused"))
        found = json.loads(result.read_text())
        runs = QUICK_COLD_RUNS if args.quick else COLD_RUNS
        print(f"[{args.papers:,} papers] timing cold starts", file=sys.stderr, flush=True)
        found["cold"] = cold_starts(fresh_copy(data, run_dir, "cold-data"), run_dir, runs)
        found["load_end"] = os.getloadavg()[0]
    finally:
        shutil.rmtree(run_dir, ignore_errors=True)
    found["cold_runs"] = runs
    found["debounce_ms"] = DEBOUNCE_MS
    return found


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.worker:
        return worker(args)
    if args.report:
        print(report(json.loads(args.report.read_text())))
        return 0
    work = args.work or Path(tempfile.mkdtemp(prefix="readerapp-bench-gui-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        found = measure(args, work)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps(found, indent=2))
    print(report(found))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
