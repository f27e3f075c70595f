"""SIGKILL at random moments of real readerapp processes loses nothing that was saved.

Each round starts a real process (an import of fresh digests, a loop of annotation writes
through the command line, or a reindex), kills it with SIGKILL after a seeded random delay,
then checks that the library opens and is sound, that every annotation acknowledged before the
kill is there, and that `ensure_index` brings the search index in line with the library.
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from readerapp.core.collection import Collection
from readerapp.core.models import paper_id
from readerapp.core.tags import clean_tag

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

SEED = 20250313
KILLS_WANTED = 32
KINDS = ["import", "import", "annotate", "annotate", "reindex"]
MAX_ROUNDS = 60
DIGESTS_PER_BATCH = 40
PAPERS_PER_DIGEST = 2
WORDS = ["graph", "kernel", "sparse", "tensor", "latent", "policy", "reward", "vision"]

# A process that writes annotations through the command line, one after another, and says
# "try" before each and "ack" once the command returned success.
ANNOTATOR = """
import sys
from io import StringIO
from readerapp import cli

data, i, stop, ids = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
while i < stop:
    pid = ids[i % len(ids)]
    kind = ("note", "tag", "star", "mark")[i % 4]
    if kind == "note":
        value, args = f"note {i} zq{i}x", ["note", pid, f"note {i} zq{i}x"]
    elif kind == "tag":
        value, args = f"t{i}", ["tag", pid, f"t{i}"]
    elif kind == "star":
        value = "star" if i % 8 < 4 else "unstar"
        args = [value, pid]
    else:
        value = "read" if i % 8 < 4 else "reading"
        args = ["mark", pid, "--as", value]
    print(f"try {i} {kind} {pid} {value}", flush=True)
    if cli.run(["--data-dir", data, *args], out=StringIO()) != 0:
        sys.exit(1)
    print(f"ack {i}", flush=True)
    i += 1
"""


def title_of(batch: int, digest: int, number: int) -> str:
    return f"Paper b{batch}d{digest}n{number} on {WORDS[(batch + digest + number) % len(WORDS)]}"


def write_batch(folder: Path, batch: int) -> list[Path]:
    header = "new\n\nSubscribe\n\nbyAK and the research community\n\nMar 13\n\n"
    folder.mkdir(parents=True)
    files = []
    for digest in range(DIGESTS_PER_BATCH):
        entries = [
            f"{title_of(batch, digest, n)}\n\nWe study uniq{batch}w{digest}w{n} in depth. "
            + "It works well. Results are strong. " * 8
            for n in range(PAPERS_PER_DIGEST)
        ]
        path = folder / f"digest-{digest:03d}.txt"
        path.write_text(header + "\n\n".join(entries) + "\n", encoding="utf-8")
        files.append(path)
    return files


def cli(data: Path, *args: str) -> float:
    """Run the real program to its end; return how long it took (to aim the kills)."""
    began = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "readerapp", "--data-dir", str(data), *args],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return time.monotonic() - began


@dataclass
class Expected:
    """What each field must hold: the acknowledged value, or one tried after it."""

    acked: dict[tuple[str, str], str] = field(default_factory=dict)
    tried: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    tags: dict[str, set[str]] = field(default_factory=dict)
    tags_tried: dict[str, set[str]] = field(default_factory=dict)
    acknowledged: int = 0

    def record(self, output: str) -> None:
        """Read an annotator's output: each "try" line, then its "ack" if it came."""
        pending: tuple[str, str, str] | None = None
        for line in output.splitlines():
            words = line.split(" ", 4)
            if words[0] == "try":
                pending = (words[2], words[3], words[4])
                self._try(*pending)
            elif words[0] == "ack" and pending:
                self._acknowledge(*pending)
                pending = None

    def _try(self, kind: str, pid: str, value: str) -> None:
        if kind == "tag":
            self.tags_tried.setdefault(pid, set()).add(value)
        else:
            self.tried.setdefault((pid, _field(kind)), set()).add(value)

    def _acknowledge(self, kind: str, pid: str, value: str) -> None:
        self.acknowledged += 1
        if kind == "tag":
            self.tags.setdefault(pid, set()).add(value)
        else:
            self.acked[(pid, _field(kind))] = value
            self.tried[(pid, _field(kind))] = set()  # all earlier writes came before it

    def check(self, coll: Collection) -> None:
        for (pid, name), value in self.acked.items():
            stored = _stored(coll.library.get(pid), name)
            allowed = {value} | self.tried.get((pid, name), set())
            assert stored in allowed, f"{pid} {name}: {stored!r}, acknowledged {value!r}"
        for pid, tags in self.tags.items():
            stored = set(coll.library.get(pid).tags)
            assert tags <= stored, f"{pid} lost tags {tags - stored}"
            extra = stored - tags - self.tags_tried.get(pid, set()) - {"seed"}
            assert not extra, f"{pid} has tags nobody wrote: {extra}"


def _field(kind: str) -> str:
    return {"note": "note", "star": "starred", "mark": "read_state"}[kind]


def _stored(paper, name: str) -> str:
    if name == "starred":
        return "star" if paper.starred else "unstar"
    return str(getattr(paper, name))


def start(kind: str, data: Path, batch_folder: Path, ids: list[str], first: int):
    base = [sys.executable, "-m", "readerapp", "--data-dir", str(data)]
    if kind == "import":
        args = [*base, "import", str(batch_folder)]
    elif kind == "reindex":
        args = [*base, "reindex"]
    else:
        args = [sys.executable, "-c", ANNOTATOR, str(data), str(first), "1000000", *ids]
    return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def check_library(data: Path, expected: Expected, known_titles: list[str]) -> None:
    coll = Collection(data)
    try:
        assert coll.library.db.integrity_problems(full=False) == []
        expected.check(coll)
        coll.ensure_index()
        papers = set(coll.library.filter_ids())
        assert coll.index.doc_count() == len(papers)
        assert coll.index.all_ids() == papers
        title = known_titles[-1] if paper_id(known_titles[-1]) in papers else known_titles[0]
        word = title.split()[1]  # "b3d7n1": in no other title
        assert coll.search(f"title:{word}").ids == [paper_id(title)]
        notes = [(pid, v) for (pid, name), v in expected.acked.items() if name == "note"]
        for pid, note in notes[-3:]:
            if coll.library.get(pid).note == note:  # not replaced by the one in flight
                assert coll.search(note.split()[-1]).ids == [pid], f"{note!r} not searchable"
    finally:
        coll.close()


def test_sigkill_at_random_moments_loses_no_saved_annotation(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    data = tmp_path / "data"
    write_batch(tmp_path / "batch-0", 0)
    lasts = {"import": cli(data, "import", str(tmp_path / "batch-0"))}
    lasts["reindex"] = cli(data, "reindex")
    lasts["annotate"] = 1.5 * lasts["import"]
    titles = [title_of(0, d, n) for d in range(DIGESTS_PER_BATCH) for n in range(2)]
    ids = [paper_id(t) for t in titles[:12]]
    expected = Expected()
    for pid in ids[:4]:  # annotations written by the real program before any kill
        cli(data, "star", pid)
        cli(data, "tag", pid, "seed")
        cli(data, "note", pid, f"first note zqseed{pid}x")
        expected.acked[(pid, "starred")] = "star"
        expected.acked[(pid, "note")] = f"first note zqseed{pid}x"
        expected.tags[pid] = {clean_tag("seed")}

    kills = next_annotation = batch = 0
    while kills < KILLS_WANTED and batch < MAX_ROUNDS:
        batch += 1
        kind = rng.choice(KINDS)
        folder = tmp_path / f"batch-{batch}"
        if kind == "import":
            write_batch(folder, batch)
        proc = start(kind, data, folder, ids, next_annotation)
        time.sleep(rng.uniform(0.2, 0.9 * lasts[kind]))  # a moment within a normal run
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        out, err = proc.communicate(timeout=60)
        assert "Traceback" not in err, err
        if kind == "annotate":
            expected.record(out)
            next_annotation += out.count("try ") + 1
        if kind == "import":
            titles.append(title_of(batch, 0, 0))
        check_library(data, expected, titles)

    print(f"\n{kills} kills survived, {expected.acknowledged} annotations acknowledged")
    assert kills >= KILLS_WANTED
    assert expected.acknowledged > 0
