"""A deterministic corpus of "Daily Papers" digest files for the benchmarks.

Every paper is built from word lists with a seeded random generator, so the same seed gives the
same files byte for byte. The text is plausible machine-learning prose: a Zipf-like general
vocabulary, a long tail of rare words and coined method names (so the term dictionary grows with
the corpus, as real abstracts do), and topical words at realistic document frequencies (at 20,000
papers, seed 1: 16.7% of abstracts mention diffusion, 9.7% transformer, 8.1% reinforcement, 2.1%
federated, 43% "language model"; ``--stats`` prints these facts for any corpus).

Layout of a file, as on the real page: the header lines, a date line without a year (``Mar 13``),
then title and abstract paragraphs separated by blank lines, about 80 papers per digest. A third
of the abstracts end with a ``https://github.com/owner/repo.`` link; a fifth of the papers come
back in one to three later digests. Digests are dated on consecutive days going back from a
fixed date, and each file's modification time is set to the evening of its date so that the
parser's year inference gives that date.

    python benchmarks/corpus.py --papers 20000 --out DIR --seed 1
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import os
import random
import string
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

LAST_DAY = date(2026, 3, 13)
PAPERS_PER_DIGEST = (72, 88)
REPEAT_SHARE = 0.20
CODE_LINK_SHARE = 1 / 3
ABSTRACT_CHARS = (1300, 1900)
HEADER = (
    "new",
    "Get trending papers in your email inbox!",
    "Subscribe",
    "byAK and the research community",
)

# --- word lists ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Topic:
    """A research area: how often it leads a paper, and the words it brings."""

    name: str
    weight: float
    subjects: tuple[str, ...]  # noun phrases that name the approach ("diffusion models")
    tasks: tuple[str, ...]  # what the papers are trying to do
    words: tuple[str, ...]  # topical words sprinkled in the general sentences
    pieces: tuple[str, ...]  # pieces of coined method names


# fmt: off
TOPICS = (
    Topic(
        "diffusion",
        0.12,
        ("diffusion models", "latent diffusion models", "denoising diffusion", "diffusion "
         "backbones", "score-based diffusion", "video diffusion models", "diffusion priors"),
        ("text-to-image generation", "image editing", "video generation", "image synthesis",
         "inpainting", "super-resolution", "controllable generation", "3D asset generation"),
        ("denoising", "sampling", "noise", "schedule", "guidance", "classifier-free", "latent",
         "generative", "fidelity", "steps", "distillation", "prompts", "samplers"),
        ("Diff", "Dream", "Flow", "Paint", "Noise", "Gen", "Edit", "Denoise", "Stable"),
    ),
    Topic(
        "language",
        0.26,
        ("large language models", "language models", "LLMs", "instruction-tuned models",
         "decoder-only models", "small language models", "chain-of-thought prompting"),
        ("mathematical reasoning", "code generation", "question answering", "summarization",
         "instruction following", "long-context understanding", "tool use", "dialogue"),
        ("tokens", "prompting", "reasoning", "alignment", "fine-tuning", "pretraining",
         "in-context", "instructions", "hallucination", "decoding", "context", "preference"),
        ("LLa", "Chat", "Reason", "Token", "Prompt", "Think", "Lingo", "Instruct", "Mind"),
    ),
    Topic(
        "transformer",
        0.09,
        ("transformers", "vision transformers", "the transformer architecture", "linear "
         "attention", "state space models", "mixture-of-experts transformers"),
        ("sequence modeling", "efficient inference", "long-range modeling", "length "
         "extrapolation", "image classification", "language modeling"),
        ("attention", "heads", "layers", "positional", "encodings", "quadratic", "sparse",
         "memory", "throughput", "kernels", "experts", "routing"),
        ("Former", "Attn", "Mamba", "Linear", "Sparse", "Hydra", "Block", "Span"),
    ),
    Topic(
        "reinforcement",
        0.07,
        ("reinforcement learning", "deep reinforcement learning", "policy optimization",
         "offline reinforcement learning", "reinforcement learning from human feedback",
         "model-based reinforcement learning"),
        ("robotic manipulation", "continuous control", "exploration", "reward modeling",
         "multi-agent coordination", "navigation", "game playing"),
        ("policy", "reward", "agent", "agents", "environment", "actions", "value", "returns",
         "trajectories", "exploration", "rollouts", "critic"),
        ("Policy", "Reward", "Agent", "Q", "Act", "Explore", "Robo", "Plan"),
    ),
    Topic(
        "federated",
        0.02,
        ("federated learning", "federated optimization", "personalized federated learning",
         "decentralized training"),
        ("privacy-preserving training", "learning on edge devices", "client heterogeneity",
         "communication-efficient training"),
        ("clients", "server", "privacy", "communication", "heterogeneous", "aggregation",
         "rounds", "local", "devices", "drift"),
        ("Fed", "Client", "Share", "Local", "Edge", "Private"),
    ),
    Topic(
        "vision",
        0.16,
        ("convolutional networks", "vision-language models", "self-supervised learning",
         "contrastive pretraining", "neural radiance fields", "Gaussian splatting"),
        ("object detection", "semantic segmentation", "depth estimation", "3D reconstruction",
         "novel view synthesis", "visual question answering", "tracking", "pose estimation"),
        ("images", "pixels", "visual", "views", "scenes", "camera", "geometry", "masks",
         "features", "resolution", "3D", "point", "clouds", "rendering"),
        ("Vis", "Seg", "Pix", "Scene", "View", "Gauss", "NeRF", "Depth", "Cam", "Occ"),
    ),
    Topic(
        "graph",
        0.06,
        ("graph neural networks", "message passing networks", "graph attention networks",
         "knowledge graphs"),
        ("node classification", "link prediction", "molecular property prediction",
         "recommendation", "graph generation"),
        ("nodes", "edges", "neighborhoods", "graphs", "molecules", "relational", "spectral",
         "topology", "aggregation", "embeddings"),
        ("Graph", "GNN", "Node", "Mol", "Link", "Hop"),
    ),
    Topic(
        "speech",
        0.05,
        ("speech models", "audio language models", "neural codecs", "text-to-speech systems"),
        ("speech recognition", "speech synthesis", "music generation", "speaker verification",
         "audio captioning"),
        ("audio", "speech", "acoustic", "waveform", "speakers", "spectrogram", "phonemes",
         "music", "codec", "prosody"),
        ("Voice", "Audio", "Speech", "Sound", "Wave", "Tune"),
    ),
    Topic(
        "theory",
        0.07,
        ("stochastic gradient descent", "optimization methods", "kernel methods",
         "Bayesian inference", "variational inference", "optimal transport"),
        ("convergence analysis", "generalization", "uncertainty estimation",
         "hyperparameter tuning", "distribution shift", "causal inference"),
        ("bounds", "convergence", "gradient", "loss", "landscape", "regularization",
         "theoretical", "convex", "stochastic", "posterior", "estimator", "sample"),
        ("Opt", "Grad", "Bayes", "Kern", "Sharp", "Prox", "Adam"),
    ),
    Topic(
        "agents",
        0.05,
        ("autonomous agents", "multimodal agents", "web agents", "embodied agents"),
        ("web navigation", "software engineering", "task planning", "tool use",
         "embodied question answering"),
        ("agents", "planning", "tools", "environment", "memory", "actions", "tasks",
         "feedback", "execution", "workflows"),
        ("Agent", "Web", "Tool", "Task", "Act", "Operator"),
    ),
    Topic(
        "medical",
        0.04,
        ("medical imaging models", "clinical language models", "foundation models for "
         "pathology", "protein language models"),
        ("MRI reconstruction", "tumor segmentation", "drug discovery", "protein design",
         "clinical prediction"),
        ("patients", "clinical", "medical", "scans", "proteins", "molecules", "diagnosis",
         "cells", "tissue", "radiology"),
        ("Med", "Bio", "Prot", "Cell", "Path", "Rad"),
    ),
    Topic(
        "robotics",
        0.03,
        ("robot learning", "imitation learning", "vision-language-action models",
         "diffusion policies"),
        ("robotic manipulation", "grasping", "locomotion", "autonomous driving",
         "dexterous manipulation"),
        ("robots", "robot", "manipulation", "demonstrations", "grippers", "control",
         "sim-to-real", "trajectories", "sensors", "dynamics"),
        ("Robo", "Grasp", "Drive", "Walk", "Reach", "Dex"),
    ),
)
# fmt: on


def _made_topic(
    name: str, weight: float, subjects: str, tasks: str, words: str, pieces: str
) -> Topic:
    """A `Topic` from ``|``-separated lists (phrases) and space-separated words and pieces."""
    return Topic(name, weight, tuple(subjects.split("|")), tuple(tasks.split("|")),
                 tuple(words.split()), tuple(pieces.split()))  # fmt: skip


# Topics that share their words, as real ones do: "graph diffusion" and "diffusion policies"
# both write diffusion, denoising and sampling; "LLM agents", "agentic reinforcement learning"
# and "RL for language models" share agents, reward, policy and language. A paper's topic is
# told from the mix of its words, not from one word of its own (`--topics shared`).
SHARED_TOPICS = (
    _made_topic("graph-diffusion", 0.045,
           "graph diffusion models|diffusion on graphs|graph neural diffusion|discrete "
           "diffusion over graphs|heat diffusion kernels",
           "graph generation|molecule generation|node classification|link prediction",
           "graphs nodes edges diffusion denoising noise spectral molecules sampling "
           "neighborhoods", "Graph Diff Node Heat Mol"),
    _made_topic("image-diffusion", 0.08,
           "diffusion models|latent diffusion models|denoising diffusion|video diffusion models",
           "text-to-image generation|image editing|video generation|super-resolution",
           "denoising sampling noise guidance latent images prompts steps distillation "
           "generative", "Diff Dream Paint Noise Stable"),
    _made_topic("diffusion-policy", 0.045,
           "diffusion policies|diffusion models for reinforcement learning|policy "
           "diffusion|generative policies",
           "robotic manipulation|offline reinforcement learning|continuous control|imitation "
           "learning", "policy denoising actions trajectories reward diffusion sampling robots "
           "demonstrations agents", "Diff Policy Act Robo Plan"),
    _made_topic("offline-rl", 0.05,
           "reinforcement learning|offline reinforcement learning|policy "
           "optimization|model-based reinforcement learning",
           "continuous control|exploration|game playing|reward modeling",
           "policy reward agent agents environment actions value returns trajectories critic",
           "Policy Reward Q Explore Act"),
    _made_topic("llm-rl", 0.05,
           "reinforcement learning from human feedback|RL fine-tuning of language "
           "models|policy optimization for LLMs|reward models",
           "mathematical reasoning|alignment|instruction following|code generation",
           "reward policy preference tokens reasoning language alignment rollouts verifiable "
           "fine-tuning", "Reward Align Pref Reason GRPO"),
    _made_topic("llm-agents", 0.05,
           "LLM agents|language model agents|web agents|tool-using language models",
           "web navigation|tool use|task planning|software engineering",
           "agents planning tools environment actions language memory tasks feedback reasoning",
           "Agent Web Tool Task Operator"),
    _made_topic("agentic-rl", 0.04,
           "agentic reinforcement learning|LLM agents trained with reinforcement "
           "learning|multi-turn reinforcement learning for agents",
           "web navigation|multi-turn tool use|game playing|task planning",
           "agents reward policy environment rollouts actions tools language trajectories "
           "planning", "Agent Reward Act Turn Quest"),
    _made_topic("speech-lm", 0.045,
           "speech language models|audio language models|spoken dialogue models|speech "
           "tokenizers", "spoken question answering|speech-to-speech translation|spoken "
           "dialogue|audio captioning",
           "speech audio tokens language codec speakers spoken prosody decoding pretraining",
           "Voice Speech Talk Audio Token"),
    _made_topic("speech-recognition", 0.04,
           "speech recognition models|acoustic models|neural codecs|text-to-speech systems",
           "speech recognition|speech synthesis|speaker verification|music generation",
           "speech audio acoustic waveform speakers spectrogram phonemes music codec noise",
           "Voice Audio Wave Sound Tune"),
    _made_topic("llm-reasoning", 0.12,
           "large language models|language models|chain-of-thought prompting|small language "
           "models", "mathematical reasoning|code generation|question answering|long-context "
           "understanding", "tokens prompting reasoning language fine-tuning pretraining "
           "in-context hallucination decoding context", "LLa Chat Reason Think Mind"),
    _made_topic("vision-language", 0.09,
           "vision-language models|multimodal language models|contrastive pretraining",
           "visual question answering|image captioning|visual grounding|video understanding",
           "images visual language tokens captions features alignment video reasoning scenes",
           "Vis VL Cap Scene Look"),
    _made_topic("graph-networks", 0.05,
           "graph neural networks|message passing networks|graph transformers|knowledge graphs",
           "node classification|link prediction|molecular property prediction|recommendation",
           "nodes edges graphs neighborhoods spectral molecules embeddings attention topology "
           "relational", "Graph GNN Node Hop Link"),
    *(topic for topic in TOPICS if topic.name in ("vision", "theory", "medical", "robotics",
                                                  "transformer")),
)  # fmt: skip
TOPIC_SETS = {"separable": TOPICS, "shared": SHARED_TOPICS}

ADJECTIVES = (
    "novel", "simple", "efficient", "effective", "robust", "scalable", "unified", "general",
    "lightweight", "strong", "competitive", "principled", "flexible", "accurate", "fast",
    "adaptive", "hierarchical", "multimodal", "large-scale", "state-of-the-art", "existing",
    "previous", "recent", "diverse", "challenging", "complex", "compositional", "consistent",
    "sparse", "dense", "implicit", "explicit", "modular", "interpretable", "controllable",
    "zero-shot", "few-shot", "open-source", "high-quality", "fine-grained", "long-horizon",
    "semantic", "temporal", "spatial", "structured", "unsupervised", "supervised",
    "self-supervised", "synthetic", "real-world", "downstream", "theoretical", "empirical",
    "practical", "computational", "significant", "substantial", "comprehensive", "key",
)  # fmt: skip
NOUNS = (
    "model", "models", "method", "methods", "approach", "framework", "data", "dataset",
    "datasets", "training", "performance", "results", "tasks", "task", "representations",
    "representation", "learning", "network", "networks", "architecture", "architectures",
    "benchmark", "benchmarks", "baselines", "features", "objective", "loss", "parameters",
    "accuracy", "efficiency", "robustness", "quality", "generalization", "inference",
    "evaluation", "analysis", "module", "modules", "encoder", "decoder", "embeddings",
    "signals", "supervision", "annotations", "labels", "samples", "distribution",
    "distributions", "scaling", "capacity", "computation", "latency", "memory", "pipeline",
    "strategy", "mechanism", "components", "design", "knowledge", "information", "structure",
    "domains", "settings", "scenarios", "applications", "metrics", "experiments", "ablations",
    "limitations", "trade-off", "gap", "bottleneck", "alignment", "consistency", "diversity",
    "fidelity", "uncertainty", "priors", "constraints", "objectives", "outputs", "inputs",
)  # fmt: skip
VERBS = (
    "improves", "outperforms", "achieves", "enables", "reduces", "captures", "leverages",
    "learns", "generates", "predicts", "combines", "integrates", "extends", "introduces",
    "exploits", "models", "encodes", "aligns", "preserves", "scales", "matches", "surpasses",
    "mitigates", "addresses", "bridges", "unifies", "simplifies", "accelerates", "stabilizes",
    "recovers", "refines", "decomposes", "distills", "transfers", "adapts", "optimizes",
)  # fmt: skip
DATASETS = (
    "ImageNet", "COCO", "CIFAR-10", "CIFAR-100", "MMLU", "GSM8K", "HumanEval", "MATH",
    "LibriSpeech", "ScanNet", "KITTI", "nuScenes", "ADE20K", "Cityscapes", "MS-COCO", "LAION",
    "OGB", "Cora", "PubMed", "SQuAD", "HellaSwag", "ARC", "BIG-Bench", "AlpacaEval",
    "MT-Bench", "SWE-bench", "WebArena", "Atari", "MuJoCo", "D4RL", "Habitat", "LIBERO",
    "Objaverse", "ShapeNet", "DTU", "LLFF", "MIMIC-CXR", "BraTS", "UCF-101", "Kinetics",
)  # fmt: skip
METRICS = (
    "accuracy", "FID", "CLIP score", "BLEU", "success rate", "mIoU", "PSNR", "F1", "pass@1",
    "win rate", "word error rate", "AUROC", "perplexity", "mAP", "SSIM", "LPIPS",
)  # fmt: skip
SYLLABLES = (
    "ka", "lo", "mi", "ren", "tu", "vas", "ne", "por", "si", "dra", "fen", "gal", "hu", "ix",
    "jo", "ker", "lum", "mor", "nid", "ost", "pra", "quo", "rin", "sol", "tam", "ul", "ver",
    "wen", "xa", "yor", "zel", "bri", "cla", "dun", "eph", "fro", "gri", "hel", "ith", "jun",
)  # fmt: skip
OWNERS = (
    "lab", "ai", "ml", "nlp", "cv", "research", "group", "team", "org", "dev", "hub", "io",
)  # fmt: skip

# Sentence templates; the slots are filled per paper. {M} is the paper's method name.
OPENINGS = (
    "{Subject} have shown {adj} progress in {task}, yet {adj2} {noun} remain {hard}.",
    "Recent advances in {subject} have enabled {adj} {noun} for {task}.",
    "{Task} is a {adj} problem with {adj2} applications in {task2}.",
    "Despite the success of {subject}, {task} still suffers from {adj} {noun} and {rare} {noun2}.",
    "A central question in {task} is how {subject} can exploit {adj} {noun} without {noun2}.",
    "Existing approaches to {task} rely on {adj} {noun}, which limits their {noun2} in practice.",
)  # fmt: skip
PROBLEMS = (
    "However, {adj} methods often fail to capture {word} {noun} and require {adj2} {noun2}.",
    "This limits their {noun} when the {word} {noun2} is {adj} or {rare}.",
    "In particular, {subject} struggle with {word} {noun}, {word2} {noun2} and {adj} {noun3}.",
    "Moreover, the {word} {noun} grows quickly with the {noun2}, making {task} {hard}.",
    "We identify {num2} causes of this gap: {word} {noun} and {adj} {noun2}.",
)  # fmt: skip
PROPOSALS = (
    "In this paper, we propose {M}, a {adj} {noun} for {task} that {verb} {word} {noun2}.",
    "To address this, we introduce {M}, which {verb} {subject} with {adj} {word} {noun}.",
    "We present {M}, a {adj} and {adj2} {noun} built on {subject}.",
    "Our key idea is to {verb_base} the {word} {noun} through a {adj} {rare} {noun2}.",
    "{M} {verb} {adj} {noun} and {verb2} the {word} {noun2} during {phase}.",
    "Specifically, {M} {verb} a {word} {noun} with a {adj} {noun2} module.",
    "We further design a {adj} {word} {noun} that {verb} {noun2} across {noun3}.",
    "Unlike prior work, our method {verb} {word} {noun} without {adj} {noun2}.",
    "Training uses a {adj} objective that {verb} {word} {noun} and {rare} {noun2}.",
    "We also show that {M} {verb} {subject} at a fraction of the {noun}.",
)  # fmt: skip
RESULTS = (
    "Extensive experiments on {dataset} and {dataset2} show that {M} {verb} {adj} baselines"
    " by {pct} in {metric}.",
    "On {dataset}, {M} achieves {pct} higher {metric} than the strongest baseline.",
    "{M} reduces {noun} by {times} while keeping {metric} within {pct} of {adj} {noun2}.",
    "Ablations confirm that each {word} {noun} contributes to the gains on {dataset}.",
    "Across {num} benchmarks, our approach {verb} {adj} {subject} in {task}.",
    "Human evaluations further indicate that {M} {verb} {word} {noun} in {task}.",
    "We release {num} {adj} {noun} to support future research on {task}.",
)  # fmt: skip
CODE_SENTENCES = (
    "Code is available at {url}.",
    "Our code is available at: {url}.",
    "Code and models are released at {url}.",
    "The project page and code are at {url}.",
)  # fmt: skip
TITLE_PATTERNS = (
    "{M}: {Adj} {Subject} for {Task}",
    "{M}: Towards {Adj} {Task} with {Subject}",
    "{Adj} {Task} via {Word} {Noun}",
    "{M}: {Verb_ing} {Subject} with {Word} {Noun}",
    "On the {Noun} of {Subject} for {Task}",
    "{M}: {Adj} and {Adj2} {Task}",
    "{Word} {Noun} Is All You Need for {Task}",
    "Scaling {Subject} for {Task} with {M}",
)  # fmt: skip
HARD = ("challenging", "costly", "difficult", "an open problem", "poorly understood", "brittle")
PHASES = ("training", "inference", "pretraining", "fine-tuning", "sampling", "evaluation")


def _zipf_cum(count: int, exponent: float = 1.0) -> list[float]:
    """Cumulative Zipf weights for ``count`` ranked items (the first is the most common)."""
    return list(itertools.accumulate(1.0 / (rank**exponent) for rank in range(1, count + 1)))


# --- one paper ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Paper:
    title: str
    abstract: str


class PaperWriter:
    """Writes papers one after another from one seeded generator; titles never repeat."""

    def __init__(self, seed: int, topics: Sequence[Topic] = TOPICS) -> None:
        self.rng = random.Random(seed)
        self._titles: set[str] = set()
        self.topics = topics
        self._topic_cum = list(itertools.accumulate(t.weight for t in topics))
        self._noun_cum = _zipf_cum(len(NOUNS), 0.8)
        self._adj_cum = _zipf_cum(len(ADJECTIVES), 0.8)
        self._verb_cum = _zipf_cum(len(VERBS), 0.8)
        # The rare tail: pseudo-words from syllables, ranked so that a few recur often and most
        # are seen once or twice in a large corpus (Heaps' law growth of the dictionary).
        rare_rng = random.Random(seed + 7919)
        self._rare = [
            "".join(rare_rng.choices(SYLLABLES, k=rare_rng.choice((2, 3, 3, 4))))
            for _ in range(60_000)
        ]
        self._rare_cum = _zipf_cum(len(self._rare), 1.05)

    def _pick(self, items: Sequence[str], cum: list[float]) -> str:
        return items[bisect.bisect(cum, self.rng.random() * cum[-1])]

    def _topic(self) -> Topic:
        return self.topics[bisect.bisect(self._topic_cum, self.rng.random() * self._topic_cum[-1])]

    def _method_name(self, topic: Topic) -> str:
        rng = self.rng
        first = rng.choice(topic.pieces)
        second = rng.choice(SYLLABLES).capitalize() + rng.choice(SYLLABLES)
        name = first + second
        if rng.random() < 0.2:
            name += f"-{rng.choice(('v2', 'XL', '3D', 'R1', 'Lite', 'Zero'))}"
        return name

    def paper(self) -> Paper:
        """The next paper; repeated titles are drawn again so that every id is new."""
        while True:
            paper = self._paper()
            key = " ".join(paper.title.casefold().split())
            if key not in self._titles:
                self._titles.add(key)
                return paper

    def _paper(self) -> Paper:
        rng = self.rng
        topic = self._topic()
        other = self._topic() if rng.random() < 0.35 else topic
        name = self._method_name(topic)
        slots = _Slots(self, topic, other, name)
        title = slots.fill(rng.choice(TITLE_PATTERNS), title=True)
        link = None
        if rng.random() < CODE_LINK_SHARE:
            owner = self._pick(self._rare, self._rare_cum) + rng.choice(OWNERS)
            url = f"https://github.com/{owner}/{name}"
            link = slots.fill(rng.choice(CODE_SENTENCES)).replace("{url}", url)
        return Paper(title, self._abstract(slots, link))

    def _abstract(self, slots: _Slots, link: str | None) -> str:
        rng = self.rng
        low, high = ABSTRACT_CHARS
        target = rng.randint(low, high - 250)
        room = high - (len(link) + 1 if link else 0)
        parts = [slots.fill(rng.choice(OPENINGS)), slots.fill(rng.choice(PROBLEMS))]
        groups = (PROPOSALS, PROPOSALS, PROBLEMS, PROPOSALS, RESULTS, RESULTS, PROPOSALS)
        length = sum(len(p) + 1 for p in parts)
        attempts = 0
        while length < target and attempts < 200:
            attempts += 1
            sentence = slots.fill(rng.choice(rng.choice(groups)))
            if length + len(sentence) + 1 <= room:
                parts.append(sentence)
                length += len(sentence) + 1
        if link:
            parts.append(link)
        return " ".join(parts)


class _Slots:
    """Fills the {slots} of a template for one paper."""

    def __init__(self, writer: PaperWriter, topic: Topic, other: Topic, name: str) -> None:
        self.w = writer
        self.topic = topic
        self.other = other
        self.name = name

    def fill(self, template: str, *, title: bool = False) -> str:
        out = []
        for literal, field, _spec, _conv in _parse(template):
            out.append(literal)
            if field is not None:
                text = self.value(field)
                if field[0].isupper():
                    text = _title_case(text) if title else text[:1].upper() + text[1:]
                out.append(text)
        return "".join(out)

    def value(self, field: str) -> str:
        w, rng = self.w, self.w.rng
        key = field.rstrip("23").lower()
        topic = self.topic if rng.random() < 0.75 else self.other
        if key == "m":
            return self.name
        if key == "url":
            return "{url}"
        if key == "subject":
            text = rng.choice(topic.subjects)
        elif key == "task":
            text = rng.choice(topic.tasks)
        elif key == "word":
            topical = rng.random() < 0.6
            text = rng.choice(topic.words) if topical else w._pick(ADJECTIVES, w._adj_cum)
        elif key == "noun":
            text = w._pick(NOUNS, w._noun_cum)
        elif key == "adj":
            text = w._pick(ADJECTIVES, w._adj_cum)
        elif key in ("verb", "verb_base", "verb_ing"):
            text = _inflect(w._pick(VERBS, w._verb_cum), key)
        elif key == "rare":
            text = w._pick(w._rare, w._rare_cum)
        elif key == "dataset":
            text = rng.choice(DATASETS)
        elif key == "metric":
            text = rng.choice(METRICS)
        elif key == "hard":
            text = rng.choice(HARD)
        elif key == "phase":
            text = rng.choice(PHASES)
        elif key == "pct":
            text = f"{rng.uniform(0.5, 35):.1f}%"
        elif key == "times":
            text = f"{rng.choice((1.5, 2, 2.4, 3, 4, 5.7, 8, 10))}x"
        elif key == "num":
            text = str(rng.choice((2, 3, 4, 5, 6, 8, 10, 12, 14, 20)))
        else:
            raise KeyError(field)
        return text


def _inflect(verb: str, form: str) -> str:
    """'improves' as a base form ('improve') or a gerund ('Improving')."""
    base = verb[:-2] if verb.endswith(("ches", "shes", "sses", "xes")) else verb[:-1]
    if form == "verb_base":
        return base
    if form == "verb_ing":
        return (base[:-1] if base.endswith("e") and not base.endswith("ee") else base) + "ing"
    return verb


def _title_case(text: str) -> str:
    return " ".join(w[:1].upper() + w[1:] if w.islower() else w for w in text.split(" "))


_TEMPLATE_CACHE: dict[str, list] = {}


def _parse(template: str) -> list:
    if template not in _TEMPLATE_CACHE:
        _TEMPLATE_CACHE[template] = list(string.Formatter().parse(template))
    return _TEMPLATE_CACHE[template]


# --- digests ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Digest:
    day: date
    papers: tuple[Paper, ...]


def digests(papers: int, seed: int, topics: Sequence[Topic] = TOPICS) -> Iterator[Digest]:
    """The digests holding ``papers`` distinct papers on ``topics``, oldest first.

    Each digest holds 72-88 entries. A fifth of the papers are scheduled to come back in one
    (sometimes two or three) of the next few digests, as trending papers do.
    """
    writer = PaperWriter(seed, topics)
    rng = random.Random(seed * 31 + 5)
    days: list[list[Paper]] = []
    due: dict[int, list[Paper]] = {}
    made = 0
    while made < papers or due:
        day = len(days)
        size = rng.randint(*PAPERS_PER_DIGEST)
        entries = due.pop(day, [])
        if len(entries) > size:  # too many returns today: the rest come tomorrow
            due.setdefault(day + 1, []).extend(entries[size:])
            entries = entries[:size]
        while len(entries) < size and made < papers:
            paper = writer.paper()
            made += 1
            entries.append(paper)
            if rng.random() < REPEAT_SHARE:
                for later in sorted(rng.sample(range(1, 6), rng.choice((1, 1, 1, 2, 3)))):
                    due.setdefault(day + later, []).append(paper)
        rng.shuffle(entries)
        days.append(entries)
    first = LAST_DAY - timedelta(days=len(days) - 1)
    for offset, entries in enumerate(days):
        yield Digest(first + timedelta(days=offset), tuple(entries))


def render(digest: Digest) -> str:
    """The text of a digest file in the real layout."""
    blocks = [*HEADER, f"{digest.day:%b} {digest.day.day}"]
    for paper in digest.papers:
        blocks += [paper.title, paper.abstract]
    return "\n\n".join(blocks) + "\n"


def digest_path(out: Path, digest: Digest) -> Path:
    return out / f"daily-papers-{digest.day.isoformat()}.txt"


def write_corpus(
    papers: int, out: Path, seed: int = 1, topics: Sequence[Topic] = TOPICS
) -> list[Path]:
    """Write the digests holding ``papers`` papers on ``topics`` into ``out``; returns the
    files, oldest first.

    The file names sort by date, and each file's mtime is 18:00 local time on its date.
    """
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for digest in digests(papers, seed, topics):
        path = digest_path(out, digest)
        path.write_text(render(digest), encoding="utf-8")
        evening = datetime.combine(digest.day, datetime.min.time()) + timedelta(hours=18)
        stamp = time.mktime(evening.timetuple())
        os.utime(path, (stamp, stamp))
        written.append(path)
    return written


def corpus_stats(files: Sequence[Path]) -> dict[str, float]:
    """Facts about a written corpus, read back with readerapp's own parser."""
    from readerapp.core.digest import parse_digest_file

    seen: dict[str, int] = {}
    abstracts: dict[str, str] = {}
    with_link = entries = 0
    for path in files:
        for paper in parse_digest_file(path).papers:
            entries += 1
            seen[paper.id] = seen.get(paper.id, 0) + 1
            if paper.id not in abstracts:
                abstracts[paper.id] = paper.abstract.lower()
                with_link += bool(paper.links)
    lengths = sorted(len(a) for a in abstracts.values())
    stats = {
        "digests": len(files),
        "papers": len(seen),
        "entries": entries,
        "per_digest": entries / len(files),
        "seen_more_than_once": sum(n > 1 for n in seen.values()) / len(seen),
        "with_code_link": with_link / len(seen),
        "abstract_min": lengths[0],
        "abstract_median": lengths[len(lengths) // 2],
        "abstract_max": lengths[-1],
    }
    for word in ("diffusion", "transformer", "reinforcement", "federated", "language model"):
        stats[f"mentions {word}"] = sum(word in a for a in abstracts.values()) / len(abstracts)
    return stats


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--papers", type=int, default=20_000, help="distinct papers")
    parser.add_argument("--out", type=Path, required=True, help="folder for the digest files")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--stats", action="store_true", help="parse the files back, print facts")
    parser.add_argument(
        "--topics",
        choices=TOPIC_SETS,
        default="separable",
        help="separable: topics told apart by words of their own (the default); shared: "
        "topics that share their words (graph diffusion, diffusion policies, LLM agents...)",
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    files = write_corpus(args.papers, args.out, args.seed, TOPIC_SETS[args.topics])
    elapsed = time.perf_counter() - started
    print(f"wrote {len(files)} digests with {args.papers} papers to {args.out} in {elapsed:.1f} s")
    if args.stats:
        for key, value in corpus_stats(files).items():
            print(f"{key}: {value:.3f}" if isinstance(value, float) else f"{key}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
