"""The benchmark suite of the core and the command line ("Speed at scale").

    python benchmarks/bench.py --papers 20000 [--papers 100000] [--quick] [--profile DIR]

For each corpus size, in a fresh interpreter and a fresh temporary data directory: import
throughput (files to library, with the index job's child process and its Whoosh workers
started beside the import as the window runs it, then its rest after the import, then end to
end), time until the first
digest is in the list, search latency p50/p95 over a fixed query set beside SQLite FTS5 on the same
library, star/tag/note write latency, a 10k-paper Markdown export, peak RSS after each phase and
the command line's cold start. Results are printed as Markdown tables; ``--json FILE`` keeps them.

Each size runs in its own child process (``--worker``) so that peak RSS and caches belong to that
size alone. The machine is noisy: compare ratios measured within one run. The GUI's figures belong
in a ``bench_gui.py`` beside this file, built on the same ``harness`` module.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import harness

QUICK_PAPERS = 2_000
EXPORT_PAPERS = 10_000
WRITES = 50
CLI_RUNS = 5
STARRED_SHARE = 0.05
TAGGED_SHARE = 0.02
TAG = "toread"
FOUR_WORDS = "diffusion model image generation"
FOUR_TYPED = "diffusion model image generatio"
FIRST_REPEAT = 5


# --- the query set -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One query as readerapp gets it, and its FTS5 equivalent (a kind of SQL and its argument)."""

    name: str
    query: str
    fts_kind: str
    fts_arg: str = ""
    sort: str = "relevance"
    typing: bool = False

    @property
    def previous(self) -> str | None:
        """The text one key earlier, for a query typed as it is searched."""
        return self.query[:-1] if self.typing else None


CASES = (
    Case("one word", "diffusion", "top", "diffusion"),
    Case("two words", "diffusion model", "top", "diffusion model"),
    Case("four words", FOUR_WORDS, "top", FOUR_WORDS),
    Case("phrase", '"language model"', "top", '"language model"'),
    Case("prefix", "diffus*", "top", "diffus*"),
    Case("fuzzy", "difusion~", "fuzzy", "difusion"),
    Case("filter + word", "is:starred diffusion", "starred", "diffusion"),
    Case("tag", f"tag:{TAG}", "tag", TAG),
    Case("sort by date", "diffusion", "by_date", "diffusion", sort="date"),
    Case("empty (whole library)", "", "all"),
    Case("as-you-type", "diffusion mod", "top", "diffusion mod*", typing=True),
    # FTS5's index holds stems ("gener"): a longer prefix of the word would find nothing
    Case("four words as you type", FOUR_TYPED, "top", "diffusion model image gener*", typing=True),
)  # fmt: skip


class Fts5Reference:
    """SQLite FTS5 (porter) over title and abstract, beside the library it was built from.

    Text queries give the top 50 by bm25 (title weighted 2, as readerapp boosts titles); the
    filter, tag and sort queries give every matching id, as readerapp does.
    """

    _TEXT = "FROM fts JOIN lib.papers p ON p.rowid = fts.rowid WHERE fts MATCH ?"
    _BM25 = "ORDER BY bm25(fts, 2.0, 1.0)"
    _BY_DATE = "ORDER BY p.first_seen DESC, p.rowid ASC"

    def __init__(self, path: Path, library_db: Path) -> None:
        self.conn = sqlite3.connect(f"file:{path}", uri=True, isolation_level=None)
        self.conn.execute("ATTACH DATABASE ? AS lib", (f"file:{library_db}?mode=ro",))

    def build(self) -> None:
        self.conn.executescript(
            """
            BEGIN;
            CREATE VIRTUAL TABLE fts USING fts5(title, abstract, tokenize='porter unicode61');
            INSERT INTO fts (rowid, title, abstract) SELECT rowid, title, abstract FROM lib.papers;
            CREATE VIRTUAL TABLE fts_vocab USING fts5vocab(fts, 'row');
            COMMIT;
            """
        )

    def close(self) -> None:
        self.conn.close()

    def _ids(self, sql: str, params: Sequence[object] = ()) -> list[str]:
        return [row[0] for row in self.conn.execute(sql, params)]

    def run(self, kind: str, arg: str, *, limit: int | None = 50) -> list[str]:
        top = f" LIMIT {limit}" if limit else ""
        if kind == "top":
            return self._ids(f"SELECT p.id {self._TEXT} {self._BM25}{top}", (arg,))
        if kind == "fuzzy":
            return self._ids(f"SELECT p.id {self._TEXT} {self._BM25}{top}", (self.fuzzy(arg),))
        if kind == "starred":
            return self._ids(f"SELECT p.id {self._TEXT} AND p.starred = 1 {self._BM25}", (arg,))
        if kind == "by_date":
            return self._ids(f"SELECT p.id {self._TEXT} {self._BY_DATE}", (arg,))
        if kind == "tag":
            return self._ids(
                "SELECT p.id FROM lib.papers p WHERE EXISTS (SELECT 1 FROM lib.tags t"
                f" WHERE t.paper_id = p.id AND t.tag = ?) {self._BY_DATE}",
                (arg,),
            )
        if kind == "all":
            return self._ids(f"SELECT p.id FROM lib.papers p {self._BY_DATE}")
        raise ValueError(kind)

    def fuzzy(self, word: str) -> str:
        """An OR of the indexed terms within one edit of ``word`` or of its stem, first letter
        fixed: FTS5 has no fuzzy query of its own, so this expansion is timed with it."""
        from whoosh.lang.porter import stem

        wanted = {word.lower(), stem(word.lower())}
        first = word[0].lower()
        rows = self.conn.execute(
            "SELECT term FROM fts_vocab WHERE term >= ? AND term < ?",
            (first, chr(ord(first) + 1)),
        )
        terms = [term for (term,) in rows if any(_within_one_edit(term, w) for w in wanted)]
        # The query is stemmed again: a stem that stems further ("diffus") is asked as a prefix.
        asked = [f'"{term}"' if stem(term) == term else f'"{term}" *' for term in terms]
        return " OR ".join(asked) or f'"{word}"'


def _within_one_edit(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1 :] == b[i + 1 :]
    return a[i:] == b[i + 1 :]


# --- one corpus size, in a worker process ------------------------------------------------------


class Run:
    """The measurements of one corpus size; ``results`` becomes the worker's JSON."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.corpus: Path = args.corpus
        self.run_dir: Path = args.run_dir
        self.data_dir = self.run_dir / "data"
        self.profile_dir: Path | None = args.profile
        self.rng = random.Random(args.seed)
        self.results: dict[str, object] = {"papers": args.papers, "rss": []}
        self.collection = None
        self.started = time.perf_counter()

    def say(self, text: str) -> None:
        at = time.perf_counter() - self.started
        print(f"[{self.args.papers:,} papers, {at:6.0f} s] {text}", file=sys.stderr, flush=True)

    def memory(self, phase: str) -> None:
        self.results["rss"].append(
            {"phase": phase, "peak_mb": harness.peak_rss_mb(), "now_mb": harness.current_rss_mb()}
        )

    @contextmanager
    def profiled(self, name: str):
        """Profile the block with pyinstrument into ``profile_dir`` when asked: a text report
        with library frames shown, and the session (``pyinstrument --load FILE`` re-renders it)."""
        if self.profile_dir is None:
            yield
            return
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.001)
        profiler.start()
        try:
            yield
        finally:
            profiler.stop()
            harness.save_profile(profiler, self.profile_dir / f"{self.args.papers}-{name}")

    def run(self) -> dict[str, object]:
        import readerapp
        from readerapp.core.collection import Collection

        self.results["readerapp"] = str(Path(readerapp.__file__).parent)
        self.results["load_start"] = os.getloadavg()[0]
        self.memory("start")
        self.parse_only()
        self.collection = Collection(self.data_dir)
        try:
            self.import_and_index()
            self.mark_some()
            fts = self.build_fts()
            self.searches(fts)
            fts.close()
            self.cli_cold_start()
            self.writes()
            self.export()
        finally:
            self.collection.close()
        self.results["load_end"] = os.getloadavg()[0]
        return self.results

    # --- phases ----------------------------------------------------------------------------

    def parse_only(self) -> None:
        """The parser alone over every file: the part of the import that is not SQLite."""
        from readerapp.core.collection import digest_files
        from readerapp.core.digest import parse_digest_file

        files = digest_files([self.corpus])
        wall, cpu, entries = harness.timed(
            lambda: sum(len(parse_digest_file(path).papers) for path in files)
        )
        self.results["parse_s"], self.results["parse_cpu_s"] = wall, cpu
        self.results["digests"] = len(files)
        self.results["entries"] = entries
        self.memory("parse only")

    def import_and_index(self) -> None:
        from readerapp.core import index_job

        collection = self.collection
        first_visible: list[float] = []
        start, start_cpu = time.perf_counter(), time.process_time()

        def progress(done: int, total: int) -> None:
            if done == 1:
                collection.library.filter_ids()  # what the list would show
                first_visible.append(time.perf_counter() - start)

        self.say("importing, with the index job beside the import as the window runs it")
        with self.profiled("import"):
            summary, beside = index_job.import_with_index(collection, [self.corpus], progress)
        self.results["import_s"] = time.perf_counter() - start
        self.results["import_cpu_s"] = time.process_time() - start_cpu
        self.results["first_digest_visible_s"] = first_visible[0]
        self.results["added"] = summary.added
        self.results["refused"] = len(summary.refused)
        self.memory("import")

        self.say("waiting for the index job to index the rest")
        with self.profiled("index"):
            wall, cpu, _reason = harness.timed(
                lambda: index_job.ensure_index(collection, beside=beside)
            )
        self.results["index_s"], self.results["index_cpu_s"] = wall, cpu
        self.results["indexed"] = collection.index.doc_count()
        self.results["index_mb"] = _folder_mb(self.data_dir / "index")
        self.results["library_mb"] = _folder_mb(self.data_dir, "library.sqlite3*")
        self.memory("index")

    def mark_some(self) -> None:
        """Star 5% and tag 2% of the papers, in one call each, as the filter queries need."""
        library = self.collection.library
        ids = library.filter_ids()
        self.starred = set(self.rng.sample(ids, int(len(ids) * STARRED_SHARE)))
        self.tagged = set(self.rng.sample(ids, int(len(ids) * TAGGED_SHARE)))
        self.results["bulk_star_s"] = harness.elapsed(
            lambda: library.set_starred(sorted(self.starred), True)
        )
        self.results["bulk_tag_s"] = harness.elapsed(
            lambda: library.tags.add(sorted(self.tagged), [TAG])
        )
        self.results["bulk_star_n"] = len(self.starred)
        self.results["bulk_tag_n"] = len(self.tagged)

    def build_fts(self) -> Fts5Reference:
        self.say("building the FTS5 reference")
        fts = Fts5Reference(self.run_dir / "fts5.sqlite3", self.collection.library.path)
        wall, cpu, _none = harness.timed(fts.build)
        self.results["fts_build_s"], self.results["fts_build_cpu_s"] = wall, cpu
        self.memory("FTS5 build")
        return fts

    def searches(self, fts: Fts5Reference) -> None:
        """Each query on readerapp, then at once on FTS5, so that both see the same noise."""
        self.say("searching")
        collection, repeat = self.collection, self.args.repeat
        rows = []
        for case in CASES:
            timings, result = self.fresh_latencies(
                lambda c=case: collection.search(c.query, c.sort, typing=c.typing), repeat
            )
            row = {"name": case.name, "query": case.query, "sort": case.sort,
                   "typing": case.typing, "hits": len(result.ids),
                   **harness.summary(timings).as_dict()}  # fmt: skip
            if case.previous is not None:
                row["after_previous"] = self.after_previous_key(case)
            first, _result = harness.latencies(lambda c=case: self.first_search(c), FIRST_REPEAT)
            row["first"] = harness.summary(first).as_dict()
            fts_timings, fts_ids = harness.latencies(
                lambda c=case: fts.run(c.fts_kind, c.fts_arg), repeat
            )
            row["fts"] = {**harness.summary(fts_timings).as_dict(), "hits": len(fts_ids)}
            if case.fts_kind in ("top", "fuzzy"):  # every match by bm25, for scale
                all_timings, all_ids = harness.latencies(
                    lambda c=case: fts.run(c.fts_kind, c.fts_arg, limit=None), repeat
                )
                row["fts_all"] = {**harness.summary(all_timings).as_dict(), "hits": len(all_ids)}
            rows.append(row)
            self.say(f"  {case.name}: {row['p50_ms']:.1f} ms (FTS5 {row['fts']['p50_ms']:.1f})")
        self.results["search"] = rows
        self.memory("search")
        if self.profile_dir is not None:
            self.profile_slowest(rows)

    def forget_word_scores(self) -> None:
        """Forget the scores of whole words and ANDs readerapp keeps from one search to the next,
        so that a repeated query costs what it does typed fresh (its postings already read)."""
        self.collection.index.cache.forget_scores()

    def fresh_latencies(
        self, action: Callable[[], object], repeat: int, before: Callable[[], object] = lambda: None
    ) -> tuple[harness.Timings, object]:
        """Timings of ``repeat`` calls of ``action`` after one warm-up call, and its result, as
        ``harness.latencies`` gives them; each call right after the words' scores kept are
        forgotten and ``before`` is called, neither of which is timed."""
        result = None
        timings = harness.Timings([], [])
        for turn in range(repeat + 1):
            self.forget_word_scores()
            before()
            wall, cpu, result = harness.timed(action)
            if turn:
                timings.wall.append(wall)
                timings.cpu.append(cpu)
        return timings, result

    def after_previous_key(self, case: Case) -> dict[str, float | None]:
        """``case`` searched right after the text one key earlier, as while typing: the earlier
        words are kept from that search, the last one is new."""
        collection = self.collection
        timings, _result = self.fresh_latencies(
            lambda: collection.search(case.query, case.sort, typing=case.typing),
            self.args.repeat,
            before=lambda: collection.search(case.previous, case.sort, typing=case.typing),
        )
        return harness.summary(timings).as_dict()

    def first_search(self, case: Case):
        """``case`` as the first search after the app starts: nothing read from the index yet
        (readerapp keeps postings it has read, per segment) and no order of the library kept."""
        from readerapp.core.search.matching import SegmentCache

        self.collection.index.cache = SegmentCache()
        self.collection.library._orders.clear()
        return self.collection.search(case.query, case.sort, typing=case.typing)

    def profile_slowest(self, rows: list[dict], count: int = 3) -> None:
        slowest = sorted(rows, key=lambda row: row["p50_ms"], reverse=True)[:count]
        by_name = {case.name: case for case in CASES}
        for row in slowest:
            case = by_name[row["name"]]
            name = "search-" + case.name.replace(" ", "-").replace("(", "").replace(")", "")
            with self.profiled(name):
                for _ in range(5):
                    self.forget_word_scores()
                    self.collection.search(case.query, case.sort, typing=case.typing)

    def cli_cold_start(self) -> None:
        """Wall time of fresh ``python -m readerapp`` processes: median of 5 after a warm-up."""
        self.say("timing the command line's cold start")
        base = [sys.executable, "-m", "readerapp", "--data-dir", str(self.data_dir)]
        commands = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "readerapp stats": [*base, "stats"],
            "readerapp search diffusion": [*base, "search", "diffusion"],
        }
        found = {}
        for name, command in commands.items():
            runs = []
            for attempt in range(CLI_RUNS + 1):
                start = time.perf_counter()
                # cwd: not the checkout, so that ``-m`` finds the readerapp on the path
                subprocess.run(command, check=True, capture_output=True, cwd=self.run_dir)
                if attempt:
                    runs.append(time.perf_counter() - start)
            found[name] = {"median_ms": statistics.median(runs) * 1000, "max_ms": max(runs) * 1000}
        self.results["cli"] = found

    def writes(self) -> None:
        """Single-paper writes as the window makes them; the note also re-indexes the paper."""
        self.say("timing writes")
        collection = self.collection
        library = collection.library
        ids = library.filter_ids()
        free = [pid for pid in ids if pid not in self.starred and pid not in self.tagged]
        picked = self.rng.sample(free, WRITES * 3)
        stars, tags, notes = picked[:WRITES], picked[WRITES : 2 * WRITES], picked[2 * WRITES :]
        note = "A note on {}: read the method section again."
        steps: dict[str, tuple[list[str], Callable[[str], object]]] = {
            "star": (stars, lambda pid: library.set_starred([pid], True)),
            "tag": (tags, lambda pid: library.tags.add([pid], ["benchmark"])),
            "note saved (library)": (notes, lambda pid: library.set_note(pid, note.format(pid))),
            "note searchable (index commit after it)": (notes, lambda _p: collection.sync_index()),
        }
        found = {name: harness.Timings([], []) for name in steps}
        for turn in range(WRITES):  # each note is saved, then indexed, as the window does
            for name, (targets, action) in steps.items():
                wall, cpu, _none = harness.timed(lambda a=action, p=targets[turn]: a(p))
                found[name].wall.append(wall)
                found[name].cpu.append(cpu)
        found = {name: harness.summary(timings).as_dict() for name, timings in found.items()}
        self.results["writes"] = found
        timings, result = self.fresh_latencies(
            lambda: collection.search("diffusion"), self.args.repeat
        )
        self.results["search_after_notes"] = {
            **harness.summary(timings).as_dict(),
            "hits": len(result.ids),
            "segments": len(collection.index.segments()),
        }
        self.memory("writes")

    def export(self) -> None:
        from readerapp.core.export import write_markdown

        self.say("exporting")
        library = self.collection.library
        ids = library.filter_ids()[:EXPORT_PAPERS]
        start = time.perf_counter()
        papers = library.papers(ids)
        loaded = time.perf_counter() - start
        target = self.run_dir / "export.md"
        written = harness.elapsed(lambda: write_markdown(target, papers))
        self.results["export"] = {
            "papers": len(papers),
            "load_s": loaded,
            "write_s": written,
            "mb": target.stat().st_size / 2**20,
        }
        self.memory("export")


def _folder_mb(folder: Path, pattern: str = "**/*") -> float:
    return sum(p.stat().st_size for p in folder.glob(pattern) if p.is_file()) / 2**20


def worker(args: argparse.Namespace) -> int:
    results = Run(args).run()
    args.result.write_text(json.dumps(results, indent=2))
    return 0


# --- the report --------------------------------------------------------------------------------


def report(runs: list[dict]) -> str:
    sizes = [f"{run['papers']:,} papers" for run in runs]
    measured = sorted({run.get("readerapp", "?") for run in runs})
    loads = ", ".join(f"{run['load_start']:.1f}-{run['load_end']:.1f}" for run in runs)
    parts = [
        f"Measured: readerapp from {', '.join(measured)}; Python {sys.version.split()[0]}; "
        f"load average (1 min) at start-end of each size: {loads} on {os.cpu_count()} CPUs."
    ]
    parts += ["## Corpus", _corpus_table(runs, sizes), "## Import and index"]
    parts.append(_import_table(runs, sizes))
    for run in runs:
        parts += [f"## Search latency, {run['papers']:,} papers (ms)", _search_table(run)]
    parts += ["## Writes (ms, one paper each)", _writes_table(runs, sizes)]
    parts += ["## Export to Markdown", _export_table(runs, sizes)]
    parts += ["## Command line cold start (ms, median of 5)", _cli_table(runs, sizes)]
    parts += ["## Memory (MB) after each phase: peak RSS (RSS now)", _rss_table(runs, sizes)]
    return "\n\n".join(parts) + "\n"


def _corpus_table(runs: list[dict], sizes: list[str]) -> str:
    rows = [
        ["digest files", *(r["digests"] for r in runs)],
        ["digest entries", *(r["entries"] for r in runs)],
        ["distinct papers imported", *(r["added"] for r in runs)],
        ["files refused", *(r["refused"] for r in runs)],
        ["library DB (MB)", *(r["library_mb"] for r in runs)],
        ["Whoosh index (MB)", *(r["index_mb"] for r in runs)],
    ]
    return harness.table(["", *sizes], rows)


def _import_table(runs: list[dict], sizes: list[str]) -> str:
    def rate(run: dict, seconds: float) -> float:
        return run["added"] / seconds

    rows = [
        ["parse only (no library): s", *(r["parse_s"] for r in runs)],
        ["parse only: papers/s (CPU-time papers/s)", *(_rates(r, "parse") for r in runs)],
        ["import_paths (files → library): s", *(r["import_s"] for r in runs)],
        ["import_paths: papers/s (CPU-time papers/s)", *(_rates(r, "import") for r in runs)],
        ["first digest in the list: ms", *(r["first_digest_visible_s"] * 1000 for r in runs)],
        ["index job, after the import (it starts beside it): s", *(r["index_s"] for r in runs)],
        ["index job: CPU-time papers/s", *(r["added"] / r["index_cpu_s"] for r in runs)],
        ["end to end (files → searchable): s", *(r["import_s"] + r["index_s"] for r in runs)],
        ["end to end: papers/s", *(rate(r, r["import_s"] + r["index_s"]) for r in runs)],
        ["FTS5 reference build: s", *(r["fts_build_s"] for r in runs)],
        ["FTS5 build: papers/s (CPU-time papers/s)", *(_rates(r, "fts_build") for r in runs)],
        ["star 5% in one call: ms", *(r["bulk_star_s"] * 1000 for r in runs)],
        ["tag 2% in one call: ms", *(r["bulk_tag_s"] * 1000 for r in runs)],
    ]
    return harness.table(["", *sizes], rows)


def _rates(run: dict, phase: str) -> str:
    wall, cpu = run[f"{phase}_s"], run[f"{phase}_cpu_s"]
    return f"{run['added'] / wall:,.0f} ({run['added'] / cpu:,.0f})"


def _search_table(run: dict) -> str:
    headers = ["query", "readerapp p50", "p95", "CPU p50", "hits", "after previous key p50",
               "p95", "FTS5 p50", "p95", "CPU p50", "FTS5 hits", "ratio p50", "ratio CPU",
               "FTS5 all-hits p50", "all hits", "first search p50", "p95",
               "ratio first/FTS5"]  # fmt: skip
    rows = []
    for row in run["search"]:
        fts, every = row["fts"], row.get("fts_all")
        shown = row["query"] or "(empty)"
        if row["sort"] != "relevance":
            shown += f" sort={row['sort']}"
        if row["typing"]:
            shown += " typing"
        typed = row.get("after_previous")
        rows.append([
            f"{row['name']}: `{shown}`", row["p50_ms"], row["p95_ms"], row["cpu_p50_ms"],
            row["hits"], typed["p50_ms"] if typed else None, typed["p95_ms"] if typed else None,
            fts["p50_ms"], fts["p95_ms"], fts["cpu_p50_ms"], fts["hits"],
            row["p50_ms"] / fts["p50_ms"], row["cpu_p50_ms"] / max(fts["cpu_p50_ms"], 1e-3),
            every["p50_ms"] if every else None, every["hits"] if every else None,
            *_first_columns(row.get("first"), fts),
        ])  # fmt: skip
    after = run["search_after_notes"]
    rows.append([
        f"one word after {WRITES} note commits ({after['segments']} segments)",
        after["p50_ms"], after["p95_ms"], after["cpu_p50_ms"], after["hits"],
        *([None] * 13),
    ])  # fmt: skip
    repeats = sorted({row["n"] for row in run["search"]})
    note = (f"Repetitions per query after one warm-up: {', '.join(map(str, repeats))}, each "
            "typed fresh: the postings read, the scores of words and ANDs readerapp keeps "
            "forgotten. “After previous key”: the query right after the same less its last "
            "letter, whose earlier words are then kept. “First search”: the query with nothing "
            "read from the index yet, as the first search after the app starts "
            f"({FIRST_REPEAT} repetitions).")  # fmt: skip
    return harness.table(headers, rows) + "\n\n" + note


def _first_columns(first: dict | None, fts: dict) -> list[float | None]:
    if first is None:  # results saved before first searches were measured
        return [None] * 3
    return [first["p50_ms"], first["p95_ms"], first["p50_ms"] / fts["p50_ms"]]


def _writes_table(runs: list[dict], sizes: list[str]) -> str:
    rows = []
    for name in runs[0]["writes"]:
        row = [name]
        for run in runs:
            found = run["writes"][name]
            row.append(f"{found['p50_ms']:.1f} / {found['p95_ms']:.1f}")
        rows.append(row)
    return harness.table(["p50 / p95", *sizes], rows)


def _export_table(runs: list[dict], sizes: list[str]) -> str:
    rows = [
        ["papers exported", *(r["export"]["papers"] for r in runs)],
        ["library.papers(ids): s", *(r["export"]["load_s"] for r in runs)],
        ["write_markdown: s", *(r["export"]["write_s"] for r in runs)],
        ["total: s", *(r["export"]["load_s"] + r["export"]["write_s"] for r in runs)],
        ["file size: MB", *(r["export"]["mb"] for r in runs)],
    ]
    return harness.table(["", *sizes], rows)


def _cli_table(runs: list[dict], sizes: list[str]) -> str:
    rows = [[name, *(r["cli"][name]["median_ms"] for r in runs)] for name in runs[0]["cli"]]
    return harness.table(["command", *sizes], rows)


def _rss_table(runs: list[dict], sizes: list[str]) -> str:
    rows = []
    for index, entry in enumerate(runs[0]["rss"]):
        row = [entry["phase"]]
        for run in runs:
            found = run["rss"][index]
            row.append(f"{found['peak_mb']:.0f} ({found['now_mb']:.0f})")
        rows.append(row)
    return harness.table(["phase", *sizes], rows)


# --- the command -------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--papers", type=int, action="append", help="corpus size (repeatable)")
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_PAPERS:,} papers, fast")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=20, help="timed calls per query")
    parser.add_argument("--work", type=Path, help="keep corpora here and reuse them")
    parser.add_argument("--profile", type=Path, metavar="DIR", help="pyinstrument reports here")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the raw results")
    parser.add_argument(
        "--report", type=Path, nargs="+", metavar="JSON", help="only print tables of saved results"
    )
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--run-dir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.quick:
        args.papers = [QUICK_PAPERS]
        args.repeat = min(args.repeat, 10)
    elif not args.papers:
        args.papers = [20_000]
    return args


def run_size(args: argparse.Namespace, work: Path, papers: int) -> dict:
    """Write (or reuse) the corpus here, then measure it in a fresh worker process."""
    print(f"[{papers:,} papers] writing the corpus", file=sys.stderr, flush=True)
    start = time.perf_counter()
    corpus_folder = harness.corpus_dir(work, papers, args.seed)
    corpus_s = time.perf_counter() - start
    run_dir = Path(tempfile.mkdtemp(prefix=f"run-{papers}-", dir=work))
    result = run_dir / "result.json"
    command = [sys.executable, __file__, "--worker", "--papers", str(papers),
               "--corpus", str(corpus_folder), "--run-dir", str(run_dir), "--result", str(result),
               "--seed", str(args.seed), "--repeat", str(args.repeat)]  # fmt: skip
    if args.profile:
        command += ["--profile", str(args.profile.resolve())]
    try:
        subprocess.run(command, check=True)
        found = json.loads(result.read_text())
    finally:
        shutil.rmtree(run_dir, ignore_errors=True)
    found["corpus_write_s"] = corpus_s
    return found


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.worker:
        args.papers = args.papers[0]
        return worker(args)
    if args.report:
        runs = [run for path in args.report for run in json.loads(path.read_text())]
        print(report(sorted(runs, key=lambda run: run["papers"])))
        return 0
    work = args.work or Path(tempfile.mkdtemp(prefix="readerapp-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    runs = []
    try:
        for papers in args.papers:
            runs.append(run_size(args, work, papers))
            if args.json:  # after each size, so that a later failure keeps what was measured
                args.json.write_text(json.dumps(runs, indent=2))
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    print(report(runs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
