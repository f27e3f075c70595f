"""For you: papers ordered by what the user starred, tagged and noted.

A linear model over TF-IDF features of title (counted twice) and abstract, as arxiv-sanity
ranks papers per tag: the starred, tagged and noted papers are the positives, those marked
"Not for me" the negatives, and a seeded random sample of the other papers weak negatives.
Its weights also say why a paper ranks high: its words that count most for it.

The features of every paper (the slow part) and the weights learnt from the labels are derived
data, like the search index: kept in two files in the data directory, built again when missing,
damaged or stale (papers added, labels changed), never written into the library. scikit-learn
is imported here only, and this module only when For you is first asked for.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import random
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import sklearn
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from readerapp.core.errors import TooFewExamplesError
from readerapp.core.library import Library

log = logging.getLogger(__name__)

MODEL_NAME = "for-you.pickle"
MIN_POSITIVES = 5
TOO_FEW = "Star or tag a few papers to get suggestions"
# Raised when what the files hold changes; a file of another format, or pickled by another
# scikit-learn, is built again.
_FORMAT = (1, sklearn.__version__)
_WEAK_NEGATIVES = 2_000  # at most this many unlabelled papers taken as weak negatives
_WEAK_WEIGHT = 0.3  # how much a weak negative counts beside a paper the user marked
_REASON_WORDS = 3


@dataclass(frozen=True)
class Labels:
    """What the user said: the positives (id → how: starred, tagged, noted), the negatives."""

    positives: dict[str, tuple[str, ...]]
    negatives: frozenset[str]

    def key(self) -> str:
        """A fingerprint: the same labels give the same model."""
        text = repr((sorted(self.positives), sorted(self.negatives)))
        return hashlib.sha1(text.encode()).hexdigest()


@dataclass
class _Features:
    """The TF-IDF features of every paper, one row a paper."""

    papers_key: tuple[int, int]
    ids: list[str]
    vectorizer: TfidfVectorizer
    matrix: sparse.csr_matrix

    def __post_init__(self) -> None:
        self.row = {pid: at for at, pid in enumerate(self.ids)}
        self.words = self.vectorizer.get_feature_names_out()


@dataclass(frozen=True)
class Ranking:
    """Every paper's score under one model (higher: more for the user), and why."""

    labels: Labels
    scores: dict[str, float]
    _features: _Features
    _weights: np.ndarray
    _bias: float

    def order(self, ids: Iterable[str]) -> list[str]:
        """``ids`` best first (papers the model does not know last, in their order)."""
        ids = list(ids)
        known = [pid for pid in ids if pid in self.scores]
        rest = [pid for pid in ids if pid not in self.scores]
        return sorted(known, key=self.scores.__getitem__, reverse=True) + rest  # stable

    def reason(self, paper_id: str) -> str:
        """One line a reader can check: "like 4 of your starred papers: graph, nodes, edges"."""
        at = self._features.row.get(paper_id)
        if at is None:
            return ""
        row = self._features.matrix[at]
        weighed = row.data * self._weights[row.indices]
        best = [row.indices[i] for i in np.argsort(-weighed)[:_REASON_WORDS] if weighed[i] > 0]
        if not best:
            return "little like the papers you starred, tagged or noted"
        words = [str(self._features.words[i]) for i in best]
        alike = self._alike(best, paper_id)
        if not alike:
            return f"words of your papers: {', '.join(words)}"
        kinds = sorted({k for pid in alike for k in self.labels.positives[pid]}, key=_KINDS.index)
        return f"like {len(alike)} of your {' and '.join(kinds)} papers: {', '.join(words)}"

    def _alike(self, columns: list[int], paper_id: str) -> list[str]:
        """The positives holding most of ``columns`` (two of three, or all when fewer)."""
        need = min(2, len(columns))
        rows = self._features.row
        matrix = self._features.matrix
        alike = []
        for pid in self.labels.positives:
            if pid != paper_id and pid in rows:
                held = matrix[rows[pid]].indices
                if np.isin(columns, held).sum() >= need:
                    alike.append(pid)
        return alike


_KINDS = ("starred", "tagged", "noted")


class ForYou:
    """The model of one library, kept in ``path`` and in memory. Safe to share between
    threads (one builds at a time)."""

    def __init__(self, library: Library, path: Path) -> None:
        self.library = library
        self.path = Path(path)
        self._lock = threading.Lock()
        self._features: _Features | None = None
        self._ranking: Ranking | None = None
        self._loaded = False

    def labels(self) -> Labels:
        positives = self.library.liked_ids()
        negatives = frozenset(self.library.not_for_me_ids() - positives.keys())
        return Labels(positives, negatives)

    def ranking(self) -> Ranking:
        """The model of the current labels, built if needed. Raises `TooFewExamplesError`
        under `MIN_POSITIVES` positives."""
        labels = self.labels()
        if len(labels.positives) < MIN_POSITIVES:
            raise TooFewExamplesError(TOO_FEW)
        with self._lock:
            features = self._current_features()
            ranking = self._ranking
            if ranking is None or ranking.labels != labels or ranking._features is not features:
                ranking = self._ranking = _trained(features, labels)
                self._save_ranking()
            return ranking

    def like(self, positives: set[str], least: int) -> list[str]:
        """The papers most like ``positives`` (a tag's papers), best first, those themselves
        left out: those the model scores above zero, and at least the ``least`` best."""
        if not positives:
            return []
        labels = Labels(dict.fromkeys(positives, ("tagged",)), self.labels().negatives - positives)
        with self._lock:
            ranking = _trained(self._current_features(), labels)
        ordered = ranking.order(pid for pid in ranking.scores if pid not in positives)
        above = sum(ranking.scores[pid] > 0 for pid in ordered)
        return ordered[: max(above, least)]

    def _current_features(self) -> _Features:
        """The features of the library's papers: from memory, from the file, or built."""
        key = self.library.papers_key()
        if self._features is None and not self._loaded:
            self._loaded = True
            self._load()
        if self._features is None or self._features.papers_key != key:
            self._features = _features_of(self.library, key)
            self._ranking = None
            self._save_features()
        return self._features

    def _load(self) -> None:
        """Read the files; a missing, damaged or older one is built again."""
        stored = _read(self.path)
        if stored is None:
            return
        self._features = _Features(**stored)
        weights = _read(self._weights_path)
        if weights is not None and weights["papers_key"] == self._features.papers_key:
            labels = Labels(weights["positives"], weights["negatives"])
            self._ranking = _ranking(self._features, labels, weights["weights"], weights["bias"])

    @property
    def _weights_path(self) -> Path:
        return self.path.with_name(f"{self.path.stem}-weights{self.path.suffix}")

    def _save_features(self) -> None:
        features = self._features
        _write(self.path, {
            "papers_key": features.papers_key,
            "ids": features.ids,
            "vectorizer": features.vectorizer,
            "matrix": features.matrix,
        })  # fmt: skip

    def _save_ranking(self) -> None:
        ranking = self._ranking
        _write(self._weights_path, {
            "papers_key": ranking._features.papers_key,
            "positives": ranking.labels.positives,
            "negatives": ranking.labels.negatives,
            "weights": ranking._weights,
            "bias": ranking._bias,
        })  # fmt: skip


def _read(path: Path) -> dict | None:
    """What `_write` wrote to ``path``; None when it is missing, damaged or of another format."""
    try:
        with path.open("rb") as file:
            stored = pickle.load(file)
        return stored["content"] if stored["format"] == _FORMAT else None
    except FileNotFoundError:
        return None
    except Exception as exc:  # a damaged file raises many types; it is only derived data
        log.warning("building the For you model again: %s cannot be read (%s)", path, exc)
        return None


def _write(path: Path, content: dict) -> None:
    """Write ``content`` to ``path`` all at once (a crash leaves the old file)."""
    part = path.with_suffix(".part")
    try:
        with part.open("wb") as file:
            pickle.dump({"format": _FORMAT, "content": content}, file, pickle.HIGHEST_PROTOCOL)
        os.replace(part, path)
    except OSError as exc:  # the model works from memory; it is built again next time
        log.warning("could not keep the For you model in %s: %s", path, exc)


def _features_of(library: Library, key: tuple[int, int]) -> _Features:
    ids, texts = [], []
    for pid, title, abstract, _note in library.text_rows():
        ids.append(pid)
        texts.append(f"{title}. {title}. {abstract}")
    vectorizer = TfidfVectorizer(
        stop_words="english", sublinear_tf=True, min_df=2, max_df=0.5, dtype=np.float32
    )
    if len(ids) < 2:
        vectorizer.set_params(min_df=1, max_df=1.0)
    matrix = vectorizer.fit_transform(texts) if ids else sparse.csr_matrix((0, 0))
    return _Features(key, ids, vectorizer, matrix.tocsr())


def _trained(features: _Features, labels: Labels) -> Ranking:
    """Logistic regression: positives against the negatives and a sample of the rest."""
    positives = [features.row[pid] for pid in labels.positives if pid in features.row]
    negatives = [features.row[pid] for pid in labels.negatives if pid in features.row]
    labelled = set(positives) | set(negatives)
    others = [at for at in range(len(features.ids)) if at not in labelled]
    weak = random.Random(labels.key()).sample(others, min(_WEAK_NEGATIVES, len(others)))
    rows = positives + negatives + weak
    targets = [1] * len(positives) + [0] * (len(negatives) + len(weak))
    weights = np.array([1.0] * (len(positives) + len(negatives)) + [_WEAK_WEIGHT] * len(weak))
    if len(set(targets)) < 2:  # nothing to tell them from: rank by likeness to the positives
        centre = np.asarray(features.matrix[positives].mean(axis=0)).ravel()
        return _ranking(features, labels, centre, 0.0)
    weights *= _balance(targets)
    model = LogisticRegression(C=4.0, solver="liblinear")
    model.fit(features.matrix[rows], targets, sample_weight=weights)
    return _ranking(features, labels, model.coef_.ravel(), float(model.intercept_[0]))


def _balance(targets: list[int]) -> np.ndarray:
    """Weights making the positives count as much, all together, as the negatives."""
    target = np.array(targets)
    share = target.mean()
    return np.where(target == 1, 0.5 / share, 0.5 / (1 - share))


def _ranking(features: _Features, labels: Labels, weights: np.ndarray, bias: float) -> Ranking:
    scores = (features.matrix @ weights + bias).tolist()
    return Ranking(labels, dict(zip(features.ids, scores, strict=True)), features, weights, bias)
