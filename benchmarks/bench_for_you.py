"""For you measured: simulated readers over a realistic corpus, and what the model costs.

Precision: for each interest (a topic of `corpus`, the one leading a paper), a third of the
older digests' papers on it are starred at random and three more tagged; the newer digests'
papers are then ranked For you and scored against the interest: precision at 10 and at 20,
averaged over interests and seeds, beside two baselines: newest first, and "more like" the
most recently starred paper (`Collection.related`, the index's key terms).

Cost: the first ranking, the time a star takes to change the order, and the first ranking of
a new process at 20,000 papers (and more with ``--cost-papers``); the start-up of the command
line and the import of For you's module.

    python benchmarks/bench_for_you.py [--papers 6000] [--seeds 3] [--cost-papers 20000]
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import corpus
from harness import table

TAGGED = 3
SINGLE = [(topic,) for topic in ("graph", "diffusion", "reinforcement", "speech", "federated")]
PAIRS = [("graph", "speech"), ("reinforcement", "federated"), ("diffusion", "speech"),
         ("graph", "federated")]  # fmt: skip


@dataclass(frozen=True)
class Readers:
    """Readers of some topics: each stars a share of the older papers on them (or a number),
    and some off them (the stars of a real reader are not all on one subject), and tags a few."""

    topics: list[tuple[str, ...]]
    share: float = 1 / 3
    stars: int | None = None  # this many on the topics instead of a share
    off_topic: int = 0
    tagged: int = TAGGED


READERS = {
    "one interest (a third starred, 3 tagged)": Readers(SINGLE),
    "two interests (a third of each starred, 3 tagged)": Readers(PAIRS),
    "one interest, few and noisy stars (5 on it, 2 off it, none tagged)": Readers(
        SINGLE, stars=5, off_topic=2, tagged=0
    ),
}
NEWER_DIGESTS = 20  # the digests ranked; the older ones are where the reader starred
LIMITS = (10, 20, 50)
LEAD_TOPIC: dict[str, str] = {}  # title → the topic leading the paper
LEAD_TOPIC_OF: dict[str, str] = {}  # paper id → the topic leading the paper


class _RecordingWriter(corpus.PaperWriter):
    """`corpus.PaperWriter` noting the topic that leads each paper (its first pick)."""

    def _paper(self) -> corpus.Paper:
        self._lead: str | None = None
        paper = super()._paper()
        LEAD_TOPIC[paper.title] = self._lead or ""
        return paper

    def _topic(self) -> corpus.Topic:
        topic = super()._topic()
        if self._lead is None:
            self._lead = topic.name
        return topic


corpus.PaperWriter = _RecordingWriter


# --- precision -------------------------------------------------------------------------------


def precision(ranked: Sequence[str], wanted: set[str], limit: int) -> float:
    return sum(pid in wanted for pid in ranked[:limit]) / limit


def average_precision(ranked: Sequence[str], wanted: set[str]) -> float:
    """The mean of the precisions at each paper wanted, those never listed counting 0."""
    found, total = 0, 0.0
    for at, pid in enumerate(ranked, start=1):
        if pid in wanted:
            found += 1
            total += found / at
    return total / len(wanted)


def simulate(papers: int, seeds: int, work: Path) -> dict[str, list[list[object]]]:
    """The precision tables, of readers of one interest and of two: one row a method,
    readers and seeds averaged."""
    from readerapp.core.collection import Collection

    files = corpus.write_corpus(papers, work / "digests", seed=1)
    collection = Collection(work / "data")
    collection.import_paths(files)
    collection.ensure_index()
    library = collection.library
    every = library.papers(library.filter_ids())
    cutoff = max(p.first_seen for p in every) - timedelta(days=NEWER_DIGESTS - 1)
    newer = [p.id for p in every if p.first_seen >= cutoff]  # newest first
    LEAD_TOPIC_OF.update({p.id: LEAD_TOPIC[p.title] for p in every})
    older = [p.id for p in every if p.first_seen < cutoff]
    tables = {}
    for group, readers in READERS.items():
        scores: dict[str, dict[int, list[float]]] = {}
        for topics in readers.topics:
            for seed in range(seeds):
                _score_reader(collection, readers, topics, seed, older, newer, scores)
        tables[group] = [
            [method, *(f"{statistics.mean(kept[limit]):.2f}" for limit in (*LIMITS, 0))]
            for method, kept in scores.items()
        ]
    collection.close()
    return tables


def _score_reader(collection, readers, topics, seed, older, newer, scores) -> None:
    """One reader of ``topics``, starring and tagging older papers as ``readers`` do."""
    rng = random.Random(seed)
    starred = []
    for topic in topics:
        on_it = sorted(pid for pid in older if LEAD_TOPIC_OF[pid] == topic)
        starred += rng.sample(on_it, readers.stars or int(len(on_it) * readers.share))
    off_it = sorted(pid for pid in older if LEAD_TOPIC_OF[pid] not in topics)
    starred += rng.sample(off_it, readers.off_topic)
    rng.shuffle(starred)
    liked_topics = sorted(pid for pid in older if LEAD_TOPIC_OF[pid] in topics)
    tagged = rng.sample(sorted(set(liked_topics) - set(starred)), readers.tagged)
    wanted = {pid for pid in newer if LEAD_TOPIC_OF[pid] in topics}
    rankings = _rankings(collection, starred, tagged, topics, newer)
    for method, ranked in rankings.items():
        kept = scores.setdefault(method, {})
        for limit in LIMITS:
            kept.setdefault(limit, []).append(precision(ranked, wanted, limit))
        kept.setdefault(0, []).append(average_precision(ranked, wanted))
    if seed == 0:
        print(
            f"  {'+'.join(topics)}: {len(starred)} starred, {len(wanted)} to find", file=sys.stderr
        )


def _rankings(collection, starred, tagged, topics, newer) -> dict[str, list[str]]:
    """The newer papers in each method's order, for a reader who starred ``starred`` (in that
    order, the last most recently) and tagged ``tagged``."""
    library = collection.library
    for pid in starred:
        library.set_starred([pid], True)
    interest = "_".join(topics)
    if tagged:
        library.tags.add(tagged, [interest])
    newer_set = set(newer)
    related = collection.related(starred[-1], len(newer) * 10)
    rankings = {
        "(the best possible: every paper on the interest first)": sorted(
            newer, key=lambda pid: LEAD_TOPIC_OF[pid] not in topics
        ),
        "newest first": newer,
        "more like the last star": [pid for pid in related if pid in newer_set],
        "For you": collection.for_you().order(newer),
    }
    if tagged:
        rankings["like:tag:NAME (its 3 tagged papers only)"] = [
            pid for pid in collection.search(f"like:tag:{interest}").ids if pid in newer_set
        ]
    library.set_starred(starred, False)
    if tagged:
        library.tags.remove(tagged, [interest])
    return rankings


# --- cost ------------------------------------------------------------------------------------


def cost(papers: int, work: Path) -> list[list[object]]:
    """What For you costs at ``papers`` papers, imported and indexed."""
    from readerapp.core.collection import Collection

    files = corpus.write_corpus(papers, work / f"digests-{papers}", seed=2)
    data = work / f"data-{papers}"
    collection = Collection(data)
    collection.import_paths(files)
    collection.ensure_index()
    library = collection.library
    ids = library.filter_ids()
    liked = random.Random(3).sample(ids, 300)
    library.set_starred(liked, True)
    rows = []
    started = time.perf_counter()
    ranking = collection.for_you()
    rows.append(["first ranking: key terms + their postings + scoring", _ms(started)])
    star_times = []
    for pid in random.Random(4).sample(ids, 5):
        started = time.perf_counter()
        library.set_starred([pid], True)
        ranking = collection.for_you()
        ranking.order(ids)
        star_times.append(time.perf_counter() - started)
    rows.append(["a star → the new order (ranking + ordering), median", _ms(star_times)])
    started = time.perf_counter()
    ranking.order(ids)
    rows.append(["ordering every paper by the scores", _ms(started)])
    collection.close()
    reopened = Collection(data)
    started = time.perf_counter()
    reopened.for_you()
    rows.append(["a new process: first ranking (the index opened, postings read)", _ms(started)])
    reopened.close()
    return [[f"{papers:,} papers", what, value] for what, value in rows]


def _ms(started: float | list[float]) -> str:
    seconds = (
        statistics.median(started) if isinstance(started, list) else time.perf_counter() - started
    )
    return f"{seconds * 1000:,.0f} ms"


def import_cost() -> list[list[object]]:
    """Start-up: what the command line imports, and For you's module."""
    rows = []
    for what, code in (
        ("readerapp's command line", "import readerapp.cli"),
        ("readerapp.core.for_you", "import readerapp.core.for_you"),
    ):
        runs = []
        for _ in range(3):
            started = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], check=True)
            runs.append(time.perf_counter() - started)
        rows.append(["start-up", what, _ms(runs)])
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--papers", type=int, default=6_000, help="the simulated readers' corpus")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--cost-papers", type=int, action="append", help="default: 20000")
    parser.add_argument("--skip-precision", action="store_true")
    parser.add_argument("--skip-cost", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if not args.skip_precision:
            headers = ["method", *(f"P@{limit}" for limit in LIMITS), "average precision"]
            for group, rows in simulate(args.papers, args.seeds, work).items():
                readers = f"{len(READERS[group].topics)} readers x {args.seeds} seeds"
                print(f"Readers of {group}: {readers}, {args.papers:,} papers,"
                      f" the newest {NEWER_DIGESTS} digests ranked\n")  # fmt: skip
                print(table(headers, rows), "\n")
        if not args.skip_cost:
            rows = import_cost()
            for papers in args.cost_papers or [20_000]:
                rows += cost(papers, work)
            print(table(["", "what", "cost"], rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
