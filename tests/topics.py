"""A small library on three topics over three digests: papers on one topic share their words,
so "more like this" and the trends have clear answers."""

from __future__ import annotations

from readerapp.core.collection import Collection

GRAPHS = [
    ("Graph Neural Networks for Molecules",
     "Graph neural networks pass messages between the atoms of molecules. Nodes and edges of "
     "the molecular graph carry features. Code: https://github.com/graphlab/molgnn."),
    ("Message Passing on Citation Graphs",
     "We pass messages along the edges of citation graphs; each node aggregates its "
     "neighbours with graph attention."),
    ("Scaling Graph Transformers to Large Graphs",
     "Graph transformers attend over the nodes of large graphs; sparse message passing "
     "between neighbours keeps the graph attention cheap."),
    ("Oversmoothing in Deep Graph Networks",
     "Deep graph networks oversmooth node features: after many message passing layers, the "
     "nodes of a graph look alike."),
    ("Graph Pooling with Node Clusters",
     "Pooling clusters the nodes of a graph so that graph networks see coarse graphs; message "
     "passing runs on each cluster of nodes."),
]  # fmt: skip
DIFFUSION = [
    ("Denoising Diffusion for Image Synthesis",
     "Denoising diffusion models synthesise images by reversing a noise process step by step. "
     "Code: https://gitlab.com/imagine/ddpm-lite."),
    ("Faster Sampling for Diffusion Models",
     "Diffusion samplers need many denoising steps; we sample images from diffusion models in "
     "ten steps with a better noise schedule."),
    ("Latent Diffusion for Video",
     "Latent diffusion denoises video frames in a learned latent space; the noise schedule "
     "of the diffusion process is shared across frames."),
    ("Guidance in Diffusion Image Models",
     "Classifier-free guidance steers diffusion models toward the prompt while denoising the "
     "image from noise."),
]  # fmt: skip
BANDITS = [
    ("Contextual Bandits for Recommendation",
     "A contextual bandit recommends items and learns from the clicks it gets as rewards."),
    ("Regret Bounds for Linear Bandits",
     "We bound the regret of linear bandits that explore arms with optimism."),
]  # fmt: skip
# Mar 13, Mar 15 and Mar 17; the first graph paper is seen again on Mar 17.
DIGESTS = (
    ("a.txt", "Mar 13", GRAPHS[:3] + DIFFUSION[:2]),
    ("b.txt", "Mar 15", GRAPHS[3:] + BANDITS + DIFFUSION[2:3]),
    ("c.txt", "Mar 17", DIFFUSION[3:] + GRAPHS[:1]),
)
GRAPH_PER_DAY = [3, 2, 1]


def import_topics(collection: Collection, write_digest) -> Collection:
    """Import the three digests into ``collection`` and index them."""
    collection.import_paths([write_digest(name, day, papers) for name, day, papers in DIGESTS])
    collection.ensure_index()
    return collection
