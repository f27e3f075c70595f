"""``readerapp export -o FILE`` replaces FILE, as command-line tools do, unless --no-clobber."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_cli as run

PAPERS = [("Diffusion Models Beat GANs", "Diffusion models draw images step by step.")]


def test_export_replaces_a_file_unless_no_clobber(
    data_dir: Path, write_digest, tmp_path: Path
) -> None:
    assert run(data_dir, "import", str(write_digest("a.txt", "Mar 13", PAPERS))).returncode == 0
    out = tmp_path / "list.md"
    out.write_text("my own notes\n", encoding="utf-8")
    kept = run(data_dir, "export", "-o", str(out), "--no-clobber")
    assert kept.returncode == 1
    assert kept.stderr == f"readerapp: {out} exists; not replacing it (--no-clobber)\n"
    assert out.read_text(encoding="utf-8") == "my own notes\n"
    replaced = run(data_dir, "export", "-o", str(out))
    assert replaced.returncode == 0, replaced.stderr
    assert "Diffusion Models Beat GANs" in out.read_text(encoding="utf-8")
    fresh = tmp_path / "fresh.md"
    assert run(data_dir, "export", "-o", str(fresh), "--no-clobber").returncode == 0
    assert "Diffusion Models Beat GANs" in fresh.read_text(encoding="utf-8")
