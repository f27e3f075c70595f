"""``readerapp search --json`` gives the spans of what matched: a phrase as a phrase, a word
searched in one field in that field only."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_cli as run

PAPERS = [
    (
        "Graph Language Models",
        "A language model reads a graph. Other models and a language are compared. It works.",
    ),
]


def spans(data_dir: Path, query: str) -> dict[str, list[str]]:
    done = run(data_dir, "search", query, "--json")
    assert done.returncode == 0, done.stderr
    row = json.loads(done.stdout)["results"][0]
    return {
        field: [row[field][start:end] for start, end in found]
        for field, found in row["highlights"].items()
    }


def test_json_spans_of_a_phrase_and_of_a_field(data_dir: Path, write_digest) -> None:
    done = run(data_dir, "import", str(write_digest("a.txt", "Mar 13", PAPERS)))
    assert done.returncode == 0, done.stderr
    assert spans(data_dir, '"language model"') == {
        "title": ["Language Models"],
        "abstract": ["language model"],
    }
    assert spans(data_dir, "title:graph") == {"title": ["Graph"], "abstract": []}
