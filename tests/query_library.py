"""A small library for the query language's tests: ten papers over three digests of 2026, some
with code, starred, tagged, noted or read, and made-up words whose papers are known exactly.

Expected answers are worked out by hand from the tables below (`PAPERS`, `WORDS`, `STATE`).
"""

from __future__ import annotations

import os
from datetime import datetime

from readerapp.core.collection import Collection
from readerapp.core.models import ReadState, paper_id

# number → (title, abstract); made-up words (zorbix, quandle, flimbar, trevok, mizzle) end them
PAPERS = {
    1: ("Diffusion Models for Robot Grasping",
        "A diffusion policy grasps objects. Code: https://github.com/a/grasp. zorbix quandle"),
    2: ("Graph Networks for Traffic", "Message passing over road graphs. flimbar zorbix"),
    3: ("Latent Diffusion for Audio", "Diffusion in a latent space makes audio. quandle trevok"),
    4: ("Reward Shaping for Agents", "Shaped rewards speed up agents. mizzle"),
    5: ("Video Diffusion with Code",
        "Diffusion for video frames. https://github.com/b/video. flimbar"),
    6: ("Graph Diffusion on Molecules", "Diffusion over molecular graphs. zorbix trevok mizzle"),
    7: ("Robots that Play", "Play data teaches robot arms. quandle"),
    8: ("Sparse Attention Graph Transformers",
        "Attention over sparse graph edges. https://github.com/c/sparse. trevok flimbar"),
    9: ("Consistency Models Distil Diffusion",
        "Fast sampling from diffusion models in one step. mizzle zorbix"),
    10: ("Offline Agents Benchmarked", "Benchmarks for offline agents. quandle flimbar"),
}  # fmt: skip
WORDS = ("zorbix", "quandle", "flimbar", "trevok", "mizzle")
# Jan 20, Feb 14 and Mar 13 of 2026; paper 1 is seen again on Mar 13.
DIGESTS = (("a.txt", "Jan 20", (1, 2, 3, 4)), ("b.txt", "Feb 14", (5, 6, 7)),
           ("c.txt", "Mar 13", (8, 9, 10, 1)))  # fmt: skip
FILE_TIME = datetime(2026, 6, 1).timestamp()  # the digests' year is read from their files' time
CODE = {1, 5, 8}
STARRED = {1, 4, 8}
TAGS = {"rl": {4, 10}, "robotics": {1, 7}, "to-read": {3, 9}, "to read": {5}}
NOTED = {6}
READ = {1, 2}
READING = {3}
EVERY = set(PAPERS)


def ids(*numbers: int) -> set[str]:
    return {paper_id(PAPERS[n][0]) for n in numbers}


def numbers(found: list[str]) -> list[int]:
    """The numbers of the papers ``found``, in their order."""
    by_id = {paper_id(title): n for n, (title, _) in PAPERS.items()}
    return [by_id[pid] for pid in found]


def with_word(word: str) -> set[int]:
    return {n for n, (title, abstract) in PAPERS.items() if word in f"{title} {abstract}".split()}


def build(collection: Collection, write_digest) -> Collection:
    """Import the three digests into ``collection``, set the user's state, index them."""
    files = []
    for name, day, papers in DIGESTS:
        path = write_digest(name, day, [PAPERS[n] for n in papers])
        os.utime(path, (FILE_TIME, FILE_TIME))
        files.append(path)
    collection.import_paths(files)
    library = collection.library
    library.set_starred(ids(*STARRED), True)
    for tag, tagged in TAGS.items():
        library.tags.add(ids(*tagged), [tag])
    library.set_note(paper_id(PAPERS[6][0]), "check the molecules")
    library.set_read_state(ids(*READ), ReadState.READ)
    library.set_read_state(ids(*READING), ReadState.READING)
    collection.ensure_index()
    return collection
