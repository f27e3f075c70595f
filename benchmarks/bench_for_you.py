"""For you measured: simulated readers over a realistic corpus, and what the ranking costs.

Precision: a corpus whose topics share words (`corpus.SHARED_TOPICS`: graph diffusion,
diffusion policies, LLM agents, agentic RL, speech language models...; ``--topics separable``
for the older, easier one). For each reader, a share of the older digests' papers led by the
reader's interests are starred at random, some papers off them too (a real reader's stars are
not all on one subject), and a few more tagged; the newer digests' papers are then ranked and
scored against the papers led by those interests: precision at 10, 20 and 50, and average
precision, averaged over readers and seeds, beside two baselines (newest first; "more like"
the most recently starred paper, `Collection.related`) and other ways of ranking: more Bo1
key terms, related papers' TF-IDF key terms, and arxiv-sanity-lite's linear SVM over TF-IDF
when scikit-learn is installed (readerapp does not need it).

Cost, at 20,000 papers (and more with ``--cost-papers``): the first ranking, the time a star
takes to change the order (the star written, the ranking worked out, every paper ordered),
the first ranking of a new process; the start-up of the command line and For you's import.

    python benchmarks/bench_for_you.py --quick             # a few minutes
    python benchmarks/bench_for_you.py [--papers 6000] [--seeds 3] [--cost-papers 20000]
    python benchmarks/bench_for_you.py --skip-precision --cost-papers 100000 --work DIR
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import corpus
from harness import prepared_data_dir, table

NEWER_DIGESTS = 20  # the digests ranked; the older ones are where the reader starred
LIMITS = (10, 20, 50)


@dataclass(frozen=True)
class Readers:
    """Readers of some interests (topics): each stars a share of the older papers on them (or
    a number), adds stars off them (``noise``: their share of all stars, or ``off`` papers),
    and tags ``tagged`` more papers on them."""

    interests: list[tuple[str, ...]]
    share: float = 1 / 3
    stars: int | None = None  # this many on the interests instead of a share
    noise: float = 0.0
    off: int = 0
    tagged: int = 3


SHARED_ONE = [(topic,) for topic in ("graph-diffusion", "diffusion-policy", "llm-agents",
                                     "agentic-rl", "speech-lm", "llm-rl")]  # fmt: skip
SHARED_THREE = [("graph-diffusion", "speech-lm", "llm-rl"),
                ("diffusion-policy", "llm-agents", "speech-recognition"),
                ("agentic-rl", "graph-networks", "image-diffusion"),
                ("llm-rl", "speech-lm", "diffusion-policy")]  # fmt: skip
SEPARABLE_ONE = [(topic,) for topic in ("graph", "diffusion", "reinforcement", "speech",
                                        "federated")]  # fmt: skip
SEPARABLE_TWO = [("graph", "speech"), ("reinforcement", "federated"), ("diffusion", "speech"),
                 ("graph", "federated")]  # fmt: skip
READERS = {
    "shared": {
        "one interest, a third starred, 1 star in 10 off it, 3 tagged": Readers(
            SHARED_ONE, noise=0.1
        ),
        "three interests, a third of each starred, 1 star in 10 off them, 3 tagged": Readers(
            SHARED_THREE, noise=0.1
        ),
        "one interest, few and noisy stars (5 on it, 2 off it, none tagged)": Readers(
            SHARED_ONE, stars=5, off=2, tagged=0
        ),
    },
    "separable": {
        "one interest (a third starred, 3 tagged)": Readers(SEPARABLE_ONE),
        "two interests (a third of each starred, 3 tagged)": Readers(SEPARABLE_TWO),
        "one interest, few and noisy stars (5 on it, 2 off it, none tagged)": Readers(
            SEPARABLE_ONE, stars=5, off=2, tagged=0
        ),
    },
}
LEAD_TOPIC: dict[str, str] = {}  # title → the topic leading the paper


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


# --- the ways of taking key terms ------------------------------------------------------------


def methods(collection) -> dict[str, object]:
    """For you's way of ranking and the others measured beside it, by name: each a `ForYou`
    over ``collection`` with its own way of taking the liked papers' key terms."""
    from readerapp.core.for_you import ForYou
    from readerapp.core.search.index import key_terms

    class Bo1Forty(ForYou):
        """Whoosh's Bo1 key terms, as For you takes them, but 40 instead of 20."""

        def _key_terms(self, ids):
            with self.index.searcher() as searcher:
                return searcher.key_terms_from_text(
                    "abstract", self._text(ids), numterms=40, normalize=False
                )

    class TfIdfTogether(ForYou):
        """Related papers' TF-IDF key terms (`index.key_terms`) of the liked papers' titles
        and abstracts taken as one paper."""

        def _key_terms(self, ids):
            papers = self.library.papers(list(ids))
            titles = "\n".join(p.title for p in papers)
            abstracts = "\n".join(p.abstract for p in papers)
            with self.index.searcher() as searcher:
                return key_terms(searcher, titles, abstracts, {})

    class TfIdfSummed(ForYou):
        """Related papers' TF-IDF key terms of each liked paper (the first's weight 1),
        summed over the papers: the 40 of most weight."""

        def _key_terms(self, ids):
            total: Counter[str] = Counter()
            frequencies: dict[str, int] = {}
            with self.index.searcher() as searcher:
                for p in self.library.papers(list(ids)):
                    for word, weight in key_terms(searcher, p.title, p.abstract, frequencies):
                        total[word] += weight
            return total.most_common(40)

    kinds = {
        "For you (Bo1 key terms of the liked papers together, 20)": ForYou,
        "Bo1 key terms, 40": Bo1Forty,
        "TF-IDF key terms of the liked papers together, 20": TfIdfTogether,
        "TF-IDF key terms of each liked paper, summed, 40": TfIdfSummed,
    }
    return {name: kind(collection.library, collection.index) for name, kind in kinds.items()}


class LinearSvm:
    """arxiv-sanity-lite's ranking, when scikit-learn is installed (readerapp does not need
    it): TF-IDF of each paper's title and abstract (words and pairs of words, sublinear,
    20,000 features), a linear SVM trained with the liked papers as positives and every other
    as negative (balanced classes, C 0.01), the papers ordered by its decision function."""

    def __init__(self, ids: list[str], features) -> None:
        self.ids = ids
        self.features = features
        self.row = {pid: row for row, pid in enumerate(ids)}

    @classmethod
    def of(cls, papers) -> LinearSvm | None:
        try:
            from sklearn.feature_extraction.text import TfidfVectorizer
        except ImportError:
            print("  scikit-learn is not installed: no linear SVM", file=sys.stderr)
            return None
        vectorizer = TfidfVectorizer(
            strip_accents="unicode", stop_words="english", ngram_range=(1, 2),
            max_features=20_000, min_df=2, max_df=0.5, sublinear_tf=True,
        )  # fmt: skip
        features = vectorizer.fit_transform(f"{p.title}. {p.abstract}" for p in papers)
        return cls([p.id for p in papers], features)

    def order(self, liked: set[str], ids: list[str]) -> list[str]:
        from sklearn.svm import LinearSVC

        labels = [pid in liked for pid in self.ids]
        model = LinearSVC(class_weight="balanced", C=0.01, tol=1e-6, max_iter=10_000)
        model.fit(self.features, labels)
        scores = model.decision_function(self.features[[self.row[pid] for pid in ids]])
        return [pid for _score, pid in sorted(zip(-scores, ids, strict=True))]


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


@dataclass
class Simulation:
    """The library of a written corpus: the newer papers (ranked) and the older (starred)."""

    collection: object
    lead: dict[str, str]  # paper id → the topic leading it
    newer: list[str]  # newest first
    older: list[str]
    svm: LinearSvm | None = None


def simulate(papers: int, seeds: int, topics: str, work: Path) -> dict[str, list[list[object]]]:
    """The precision tables, one per kind of reader: one row a method, readers and seeds
    averaged."""
    from readerapp.core.collection import Collection

    files = corpus.write_corpus(papers, work / "digests", 1, corpus.TOPIC_SETS[topics])
    collection = Collection(work / "data")
    collection.import_paths(files)
    collection.ensure_index()
    every = collection.library.papers(collection.library.filter_ids())
    cutoff = max(p.first_seen for p in every) - timedelta(days=NEWER_DIGESTS - 1)
    world = Simulation(
        collection,
        {p.id: LEAD_TOPIC[p.title] for p in every},
        [p.id for p in every if p.first_seen >= cutoff],
        [p.id for p in every if p.first_seen < cutoff],
        LinearSvm.of(every),
    )
    tables = {}
    for group, readers in READERS[topics].items():
        scores: dict[str, dict[int, list[float]]] = {}
        for interests in readers.interests:
            for seed in range(seeds):
                _score_reader(world, readers, interests, seed, scores)
        tables[group] = [
            [method, *(f"{statistics.mean(kept[limit]):.2f}" for limit in (*LIMITS, 0))]
            for method, kept in scores.items()
        ]
    collection.close()
    return tables


def _score_reader(world: Simulation, readers: Readers, interests, seed: int, scores) -> None:
    """One reader of ``interests``, starring and tagging older papers as ``readers`` do."""
    rng = random.Random(f"{seed} {' '.join(interests)}")  # each reader draws differently
    starred = []
    for topic in interests:
        on_it = sorted(pid for pid in world.older if world.lead[pid] == topic)
        starred += rng.sample(on_it, readers.stars or int(len(on_it) * readers.share))
    off_it = sorted(pid for pid in world.older if world.lead[pid] not in interests)
    off = readers.off or round(len(starred) * readers.noise / (1 - readers.noise))
    starred += rng.sample(off_it, off)
    rng.shuffle(starred)
    liked = sorted(pid for pid in world.older if world.lead[pid] in interests)
    tagged = rng.sample(sorted(set(liked) - set(starred)), readers.tagged)
    wanted = {pid for pid in world.newer if world.lead[pid] in interests}
    for method, ranked in _rankings(world, starred, tagged, interests).items():
        kept = scores.setdefault(method, {})
        for limit in LIMITS:
            kept.setdefault(limit, []).append(precision(ranked, wanted, limit))
        kept.setdefault(0, []).append(average_precision(ranked, wanted))
    if seed == 0:
        print(f"  {'+'.join(interests)}: {len(starred)} starred ({off} off), {len(wanted)}"
              " to find", file=sys.stderr)  # fmt: skip


def _rankings(world: Simulation, starred, tagged, interests) -> dict[str, list[str]]:
    """The newer papers in each method's order, for a reader who starred ``starred`` (in that
    order, the last most recently) and tagged ``tagged``."""
    collection, newer = world.collection, world.newer
    library = collection.library
    for pid in starred:
        library.set_starred([pid], True)
    tag = "_".join(interests)
    if tagged:
        library.tags.add(tagged, [tag])
    newer_set = set(newer)
    related = collection.related(starred[-1], len(newer) * 10)
    rankings = {
        "(the best possible: every paper on the interests first)": sorted(
            newer, key=lambda pid: world.lead[pid] not in interests
        ),
        "newest first": newer,
        "more like the last star": [pid for pid in related if pid in newer_set],
    }
    collection.ensure_index()
    for method, for_you in methods(collection).items():
        rankings[method] = for_you.ranking().order(newer)
    if world.svm:
        rankings["linear SVM over TF-IDF (arxiv-sanity-lite's way)"] = world.svm.order(
            {*starred, *tagged}, newer
        )
    library.set_starred(starred, False)
    if tagged:
        library.tags.remove(tagged, [tag])
    return rankings


# --- cost ------------------------------------------------------------------------------------


def cost(papers: int, work: Path, runs: int) -> list[list[object]]:
    """What For you costs at ``papers`` papers (the separable corpus, seed 2), imported and
    indexed, 300 papers starred: each method's ranking, and a star's new order."""
    from readerapp.core.collection import Collection

    print(f"  preparing {papers:,} papers (reused from --work when there)", file=sys.stderr)
    data = prepared_data_dir(work, papers, seed=2)
    collection = Collection(data)
    library = collection.library
    ids = library.filter_ids()
    liked = random.Random(3).sample(ids, 300)
    library.set_starred(liked, True)
    rows = []
    try:
        collection.ensure_index()
        for method, for_you in methods(collection).items():
            rankings, stars = Timings(), Timings()
            for pid in random.Random(4).sample(ids, runs):
                with rankings:
                    for_you.ranking().order(ids)
                with stars:
                    library.set_starred([pid], True)
                    collection.ensure_index()
                    for_you.ranking().order(ids)
                library.set_starred([pid], False)
            rows.append([method, "a ranking worked out, every paper ordered", *rankings.medians()])
            rows.append([method, "a star → the new order", *stars.medians()])
    finally:
        library.set_starred(liked, False)
        collection.close()
    reopened = Collection(data)
    try:
        reopened.library.set_starred(liked, True)
        first = Timings()
        with first:
            reopened.for_you()
        rows.append(["For you", "a new process: first ranking (index opened, postings read)",
                     *first.medians()])  # fmt: skip
        reopened.library.set_starred(liked, False)
    finally:
        reopened.close()
    return [[f"{papers:,}", *row] for row in rows]


class Timings:
    """Wall and CPU seconds of each ``with`` block: on a shared machine the wall time waits for
    a core, the CPU time less so."""

    def __init__(self) -> None:
        self.wall: list[float] = []
        self.cpu: list[float] = []

    def __enter__(self) -> None:
        self._started = (time.perf_counter(), time.process_time())

    def __exit__(self, *_exc) -> None:
        self.wall.append(time.perf_counter() - self._started[0])
        self.cpu.append(time.process_time() - self._started[1])

    def medians(self) -> list[str]:
        return [_ms(self.wall), _ms(self.cpu)]


def _ms(seconds: list[float]) -> str:
    return f"{statistics.median(seconds) * 1000:,.0f} ms"


def import_cost() -> list[list[object]]:
    """Start-up: what the command line imports, and For you's module (median of 3)."""
    rows = []
    for what, code in (
        ("readerapp's command line, `import readerapp.cli`", "import readerapp.cli"),
        ("`import readerapp.core.for_you`", "import readerapp.core.for_you"),
    ):
        runs = []
        for _ in range(3):
            started = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], check=True)
            runs.append(time.perf_counter() - started)
        rows.append(["—", "start-up", what, _ms(runs), ""])
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--papers", type=int, default=6_000, help="the simulated readers' corpus (default 6000)"
    )
    parser.add_argument("--seeds", type=int, default=3, help="seeds per reader (default 3)")
    parser.add_argument(
        "--topics",
        choices=READERS,
        default="shared",
        help="shared: topics that share words (the default); separable: last round's corpus",
    )
    parser.add_argument(
        "--cost-papers", type=int, action="append", help="sizes to cost (default: 20000)"
    )
    parser.add_argument("--runs", type=int, default=5, help="timed stars per size (default 5)")
    parser.add_argument(
        "--work", type=Path, help="keep the cost's corpora and data directories here, reused"
    )
    parser.add_argument(
        "--quick", action="store_true", help="2,500 papers, 1 seed, cost at 5,000: a few minutes"
    )
    parser.add_argument("--skip-precision", action="store_true")
    parser.add_argument("--skip-cost", action="store_true")
    args = parser.parse_args(argv)
    if args.quick:
        args.papers, args.seeds, args.runs = 2_500, 1, 3
        args.cost_papers = args.cost_papers or [5_000]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if not args.skip_precision:
            headers = ["method", *(f"P@{limit}" for limit in LIMITS), "average precision"]
            tables = simulate(args.papers, args.seeds, args.topics, work)
            for group, rows in tables.items():
                readers = f"{len(READERS[args.topics][group].interests)} readers x {args.seeds}"
                print(f"**Readers of {group}: {readers} seeds, {args.papers:,} papers"
                      f" ({args.topics} topics), the newest {NEWER_DIGESTS} digests"
                      " ranked**\n")  # fmt: skip
                print(table(headers, rows), "\n", flush=True)
        if not args.skip_cost:
            rows = import_cost()
            for papers in args.cost_papers or [20_000]:
                rows += cost(papers, args.work or work, args.runs)
            print(table(["papers", "method", "what", "wall, median", "CPU, median"], rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
