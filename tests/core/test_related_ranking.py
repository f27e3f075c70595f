"""Related papers where the right answer is plain: three topics of three papers each, written
as abstracts are, with the words every paper uses ("we propose", "model", "results")."""

from __future__ import annotations

from pathlib import Path

import pytest

from readerapp.core.collection import Collection
from readerapp.core.models import paper_id

GRAPHS = [
    ("Heterogeneous Graph Attention over Typed Nodes",
     "Heterogeneous graphs hold nodes and edges of many types. We propose a model that learns "
     "node embeddings with attention over the typed neighbours of each node, and a method to "
     "sample meta-paths. Our results show that the model improves node classification and "
     "link prediction on heterogeneous graph benchmarks, and scales to large graphs."),
    ("Message Passing Networks for Knowledge Graphs",
     "Knowledge graphs link entities by typed relations. We pass messages along the edges so "
     "that each node aggregates its neighbours, and predict missing links between entities. "
     "We propose a simple model; results on standard graph benchmarks show gains in link "
     "prediction."),
    ("Scalable Node Classification on Large Graphs",
     "Node classification on graphs with millions of nodes needs sampling: we sample the "
     "neighbours of each node and aggregate their embeddings. The graph sampler keeps "
     "training efficient, and results show that accuracy holds on large citation graphs."),
]  # fmt: skip
DIFFUSION = [
    ("Efficient Diffusion Models for Image Data",
     "We propose a simple and efficient method to train diffusion models on large data. Our "
     "model learns to denoise images with a noise schedule and a training procedure that "
     "improves sample quality. Results show that the model improves on image generation "
     "benchmarks."),
    ("Fast Sampling of Denoising Diffusion",
     "Denoising diffusion samplers need hundreds of steps. We sample images in ten denoising "
     "steps with a learned noise schedule; results show the quality of the images holds."),
    ("Guided Image Generation with Diffusion",
     "Classifier-free guidance steers a diffusion model toward the prompt while denoising "
     "the image from noise. We propose a simple method that improves the trade of diversity "
     "for quality."),
]  # fmt: skip
SPEECH = [
    ("Streaming Speech Recognition with Transducers",
     "Streaming speech recognition transcribes audio as it arrives. Our transducer reads the "
     "acoustic frames of the speech once; results show that it is efficient and emits words "
     "with low latency."),
    ("Speaker Adaptation for Speech Recognition",
     "Recognition of speech degrades for unseen speakers. We adapt the acoustic model to each "
     "speaker from a minute of audio: a simple method that improves the word error rate."),
    ("Self-Supervised Audio Representations for Speech",
     "Speech models pretrained on unlabeled audio learn acoustic representations; fine-tuned "
     "on a few hours of transcribed speech, the model improves on speech benchmarks."),
]  # fmt: skip
TOPICS = {"graphs": GRAPHS, "diffusion": DIFFUSION, "speech": SPEECH}


@pytest.fixture
def library(data_dir: Path, write_digest) -> Collection:
    papers = GRAPHS + DIFFUSION + SPEECH
    collection = Collection(data_dir)
    collection.import_paths([write_digest("a.txt", "Mar 13", papers)])
    collection.ensure_index()
    yield collection
    collection.close()


@pytest.mark.parametrize("topic", TOPICS)
def test_each_papers_related_list_starts_with_its_topic(library: Collection, topic: str) -> None:
    ids = [paper_id(title) for title, _abstract in TOPICS[topic]]
    for pid in ids:
        others = set(ids) - {pid}
        assert set(library.related(pid, len(others))) == others, library.library.get(pid).title
        assert set(library.search(f"like:{pid}").ids[: len(others)]) == others


def test_a_paper_with_no_words_in_common_has_no_related_papers(
    library: Collection, write_digest
) -> None:
    alone = ("Zymurgy of Quinoa", "Quinoa ferments slowly: zymurgy watches the yeasts.")
    library.import_paths([write_digest("b.txt", "Mar 14", [alone])])
    library.ensure_index()
    assert library.related(paper_id(alone[0])) == []
