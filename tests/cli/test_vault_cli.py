"""``readerapp export --vault DIR [--one-file-per-paper]``, as a user runs it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from tests.conftest import run_cli as run

PAPERS = [
    ("Diffusion Models Beat GANs", "Diffusion models draw. Code: https://github.com/x/gen."),
    ("Transformers as Graph Networks", "Attention is message passing on a graph."),
]


@pytest.fixture
def library(data_dir: Path, write_digest) -> Path:
    done = run(data_dir, "import", str(write_digest("a.txt", "Mar 13", PAPERS)))
    assert done.returncode == 0, done.stderr
    return data_dir


def paper_ids(data_dir: Path) -> dict[str, str]:
    found = json.loads(run(data_dir, "search", "", "--json").stdout)["results"]
    return {row["title"]: row["id"] for row in found}


def test_export_to_a_vault_and_again(library: Path, tmp_path: Path) -> None:
    ids = paper_ids(library)
    graph = ids["Transformers as Graph Networks"]
    assert run(library, "mark", graph, "--as", "read").returncode == 0
    vault = tmp_path / "Vault"
    done = run(library, "export", "--vault", str(vault), "--one-file-per-paper", "--title", "Mar")
    assert done.returncode == 0, done.stderr
    assert "exported 2 papers" in done.stdout and "3 files written" in done.stdout
    notes = sorted(p.name for p in vault.glob("*.md"))
    assert notes == sorted(["mar.md", f"diffusion-models-beat-gans-{ids[PAPERS[0][0]]}.md",
                            f"transformers-as-graph-networks-{graph}.md"])  # fmt: skip
    listed = (vault / "mar.md").read_text(encoding="utf-8")
    assert (
        f"- [x] [Transformers as Graph Networks](transformers-as-graph-networks-{graph}.md)"
        in listed
    )
    note = vault / f"transformers-as-graph-networks-{graph}.md"
    head = yaml.safe_load(note.read_text(encoding="utf-8").split("\n---\n")[0][4:])
    assert head["id"] == graph and head["read_state"] == "read"

    assert run(library, "star", graph).returncode == 0
    again = run(library, "export", "--vault", str(vault), "--one-file-per-paper", "--title", "Mar")
    assert "1 file written, 2 unchanged" in again.stdout
    assert len(list(vault.glob("*.md"))) == 3
    assert "starred: true" in note.read_text(encoding="utf-8")


def test_one_file_for_the_list(library: Path, tmp_path: Path) -> None:
    done = run(library, "export", "graph", "--vault", str(tmp_path / "v"))
    assert done.returncode == 0, done.stderr
    text = (tmp_path / "v" / "reading-list.md").read_text(encoding="utf-8")
    assert "- [ ] **Transformers as Graph Networks**" in text and "Diffusion" not in text


def test_a_file_not_ours_is_left_alone(library: Path, tmp_path: Path) -> None:
    (tmp_path / "reading-list.md").write_text("mine\n", encoding="utf-8")
    done = run(library, "export", "--vault", str(tmp_path))
    assert done.returncode == 1 and "not written by readerapp" in done.stderr
    assert (tmp_path / "reading-list.md").read_text(encoding="utf-8") == "mine\n"


def test_a_vault_grouped_by_tag(library: Path, tmp_path: Path) -> None:
    ids = paper_ids(library)
    assert run(library, "tag", ids[PAPERS[1][0]], "graphs").returncode == 0
    done = run(library, "export", "--vault", str(tmp_path), "--group-by-tag")
    assert done.returncode == 0, done.stderr
    text = (tmp_path / "reading-list.md").read_text(encoding="utf-8")
    assert text.index("## graphs") < text.index("Transformers") < text.index("## Untagged")
    assert text.index("## Untagged") < text.index("Diffusion")


def test_export_onto_a_link_writes_where_it_points(library: Path, tmp_path: Path) -> None:
    (tmp_path / "synced").mkdir()
    real = tmp_path / "synced" / "list.md"
    real.write_text("old\n", encoding="utf-8")
    real.chmod(0o640)
    (tmp_path / "list.md").symlink_to(real)
    done = run(library, "export", "-o", str(tmp_path / "list.md"))
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"exported 2 papers to {tmp_path / 'list.md'}\n"
    assert (tmp_path / "list.md").is_symlink() and "## Diffusion" in real.read_text("utf-8")
    assert real.stat().st_mode & 0o777 == 0o640


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--one-file-per-paper", "-o", "x.md"], "--one-file-per-paper goes with --vault"),
        (["-o", "x.md", "--vault", "v"], "not allowed with argument"),
        ([], "one of the arguments -o/--output --vault is required"),
    ],
)
def test_usage_errors(library: Path, args: list[str], message: str) -> None:
    done = run(library, "export", *args)
    assert done.returncode == 2 and message in done.stderr
    assert "Traceback" not in done.stderr
