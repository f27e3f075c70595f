"""Papers made up for the index's tests, so that they run in any clone.

The words come in families that a search must tell apart or bring together: stems of one word
("diffusion", "diffused", "diffusing"), words that share a start ("diffusion", "different",
"difficult"), near-spellings of each other ("graph", "graft"), stop words, accents, numbers
and dotted words. Each paper has a title, an abstract of a few sentences, and for some a note.
The real digests in ../shared/digests, when present, add a source of papers of their own.
"""

from __future__ import annotations

import functools
import random
from pathlib import Path

from readerapp.core.collection import Collection

SHARED_DIGESTS = Path(__file__).resolve().parents[1].parent / "shared" / "digests"
FAMILIES = [
    ["diffusion", "diffusions", "diffuse", "diffused", "diffusing"],
    ["different", "difference", "differences", "differentiable", "differ"],
    ["difficult", "difficulty", "difficulties"],
    ["model", "models", "modeling", "modelling", "modeled", "modal", "modality", "modular"],
    ["graph", "graphs", "graphical", "graft", "grafting"],
    ["transformer", "transformers", "transform", "transformation", "transformed"],
    ["language", "languages", "linguistic"],
    ["learning", "learned", "learner", "learners", "learn"],
    ["generation", "generative", "generator", "generated", "general", "generalization"],
    ["attention", "attend", "attentive", "attending"],
    ["network", "networks", "networked", "net"],
    ["token", "tokens", "tokenizer", "taken"],
    ["policy", "policies", "police", "polish"],
    ["noise", "noisy", "poise", "denoising"],
    ["speech", "speaker", "speakers", "speak", "spectrogram"],
    ["robot", "robots", "robotic", "robust", "robustness"],
    ["naïve", "naive", "schrödinger", "café", "résumé"],
    ["v2.0", "3.14", "x_y", "gpt-4", "classifier-free"],
]
STOP_WORDS = ["the", "of", "and", "a", "to", "in", "we", "with", "is", "for", "on"]
VOCABULARY = sorted({word for family in FAMILIES for word in family})


def made_papers(count: int, seed: int = 3) -> list[tuple[str, str, str]]:
    """``count`` papers (title, abstract, note): each draws most of its words from two
    families, so that papers share words and stems unevenly, as a library's do."""
    rng = random.Random(seed)
    papers = []
    for n in range(count):
        topical = [word for family in rng.sample(FAMILIES, 2) for word in family]
        words = functools.partial(_words, rng, topical)
        title = " ".join(words(rng.randint(3, 8))).capitalize() + f" {n}"
        abstract = " ".join(
            " ".join(words(rng.randint(6, 14))).capitalize() + "." for _ in range(rng.randint(3, 6))
        )
        note = " ".join(words(rng.randint(2, 6))) if rng.random() < 0.2 else ""
        papers.append((title, abstract, note))
    return papers


def _words(rng: random.Random, topical: list[str], k: int) -> list[str]:
    kinds = rng.choices([topical, VOCABULARY, STOP_WORDS], weights=[5, 2, 3], k=k)
    return [rng.choice(kind) for kind in kinds]


def made_rows(count: int, seed: int = 3) -> list[tuple[str, str, str, str]]:
    """`made_papers` as the library hands papers to the index: id, title, abstract, note."""
    return [(f"p{n:04d}", *paper) for n, paper in enumerate(made_papers(count, seed))]


def real_digest_files() -> list[Path]:
    """The real digests beside the repository, or none in a clone without them."""
    return sorted(SHARED_DIGESTS.glob("*.txt")) if SHARED_DIGESTS.is_dir() else []


# The sources of papers a test can take: the made ones always, the real ones when present.
SOURCES = ["made", *(["real"] if real_digest_files() else [])]


def source_rows(source: str, folder: Path) -> list[tuple[str, str, str, str]]:
    """The papers of ``source`` as the library hands them to the index (a library made in
    ``folder`` to read the real digests)."""
    if source == "made":
        return made_rows(300)
    collection = Collection(folder / "library")
    try:
        collection.import_paths(real_digest_files())
        return list(collection.library.index_queue.text_rows())
    finally:
        collection.close()


def source_digests(source: str, write_digest) -> list[Path]:
    """The digest files of ``source``: the made papers written by the ``write_digest``
    fixture (without their notes), or the real digests."""
    if source == "real":
        return real_digest_files()
    papers = [(title, abstract) for title, abstract, _note in made_papers(300)]
    return [write_digest("made.txt", "Mar 13", papers)]
