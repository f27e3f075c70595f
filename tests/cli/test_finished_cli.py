"""The command line's finish: help for every option, counts in English, text that is not UTF-8,
a reader that goes away (``| head``), no display for the window, ids that are too short."""

from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from readerapp import cli
from readerapp.core.models import paper_id
from readerapp.gui.display import display_missing
from readerapp.logs import log_path
from tests.conftest import run_cli as run

DIFFUSION = "Diffusion Models Beat GANs"
GRAPHS = "Transformers as Graph Networks"
PAPERS = [
    (DIFFUSION, "Diffusion models draw. Code: https://github.com/x/gen."),
    (GRAPHS, "Attention is message passing on a graph."),
]
NO_DISPLAY = "readerapp: no display found; set DISPLAY or use a command, see readerapp --help\n"


def ok(data_dir: Path, *args: str, stdin: str | None = None) -> str:
    done = run(data_dir, *args, stdin=stdin)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def library(data_dir: Path, write_digest) -> Path:
    ok(data_dir, "import", str(write_digest("a.txt", "Mar 13", PAPERS)))
    return data_dir


def readerapp_bytes(data_dir: Path, *args: str | bytes, stdin: bytes = b"") -> tuple[int, str]:
    """The real command line given raw bytes: its exit status and standard error."""
    done = subprocess.run(
        [sys.executable, "-m", "readerapp", "--data-dir", str(data_dir), *args],
        input=stdin,
        capture_output=True,
        timeout=120,
    )
    return done.returncode, done.stderr.decode("utf-8", "replace")


# --- help ------------------------------------------------------------------------------------


def command_parsers(
    parser: argparse.ArgumentParser, words: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    """Every command's parser (``annotations export`` too), with the words that reach it."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield (*words, name), sub
                yield from command_parsers(sub, (*words, name))


def test_every_argument_and_option_of_every_command_says_what_it_is(
    capsys: pytest.CaptureFixture,
) -> None:
    commands = list(command_parsers(cli.build_parser()))
    assert len(commands) > 20
    for words, parser in commands:
        with pytest.raises(SystemExit) as exited:
            cli.run([*words, "--help"])
        assert exited.value.code == 0
        shown = " ".join(capsys.readouterr().out.split())
        assert parser.description, words
        for action in parser._actions:
            assert action.help and action.help != argparse.SUPPRESS, (words, action.dest)
            assert " ".join(action.help.split()) in shown, (words, action.dest)


def test_search_help_ends_with_the_query_syntax() -> None:
    shown = subprocess.run([sys.executable, "-m", "readerapp", "search", "--help"],
                           capture_output=True, text=True, timeout=60).stdout  # fmt: skip
    syntax = shown[shown.index("query syntax") :].splitlines()
    assert '  "a phrase"           these words in this order' in syntax  # laid out as written
    for example in ("is:starred", "tag:NAME", "has:code", "date:2024-01..2024-03", "like:ID"):
        assert any(example in line for line in syntax), example
    assert syntax[-1] == "An empty query lists the whole library, newest first."
    assert "--json" in shown and "{total, suggestion, results}" in shown


def test_the_index_job_is_not_offered_but_works(library: Path) -> None:
    listed = subprocess.run([sys.executable, "-m", "readerapp", "--help"], capture_output=True,
                            text=True, timeout=60).stdout  # fmt: skip
    assert "index-job" not in listed and "annotations" in listed
    wrong = run(library, "frobnicate")
    assert wrong.returncode == 2 and "'search'" in wrong.stderr
    assert "index-job" not in wrong.stderr
    events = [json.loads(line)["event"] for line in ok(library, "index-job").splitlines()]
    assert events[-1] == "done"


# --- counts ----------------------------------------------------------------------------------


def test_counts_are_in_proper_english(data_dir: Path, write_digest, tmp_path: Path) -> None:
    one = write_digest("one.txt", "Mar 13", PAPERS[:1])
    refused = tmp_path / "page.txt"
    refused.write_text("<!DOCTYPE html><html><body><p>hello</p></body></html>")
    done = run(data_dir, "import", str(one), str(refused))
    assert (
        done.stdout.splitlines()[0] == "1 paper added, 0 seen again from 1 digest; 1 file refused"
    )
    pid = paper_id(DIFFUSION)
    assert ok(data_dir, "search", "").splitlines()[-1] == "1 of 1 paper"
    assert "· seen in 1 digest (" in ok(data_dir, "show", pid)
    assert ok(data_dir, "star", pid) == "starred 1 paper\n"
    assert ok(data_dir, "mark", pid, "--as", "read") == "marked 1 paper read\n"
    assert ok(data_dir, "note", pid, "x") == f"saved the note of {pid} (1 character)\n"
    assert ok(data_dir, "reindex") == "rebuilt the search index: 1 paper\n"
    out = tmp_path / "list.md"
    assert ok(data_dir, "export", "-o", str(out)) == f"exported 1 paper to {out}\n"
    assert ok(data_dir, "backup", str(tmp_path / "b.sqlite3")).startswith("backed up 1 paper to")
    assert "the search index matches the library (1 paper)" in ok(data_dir, "doctor")

    ok(data_dir, "import", str(write_digest("two.txt", "Mar 14", PAPERS)))
    assert ok(data_dir, "search", "").splitlines()[-1] == "2 of 2 papers"
    assert ok(data_dir, "star", pid, paper_id(GRAPHS)) == "starred 2 papers\n"


# --- text that is not UTF-8 ------------------------------------------------------------------


def test_a_note_from_standard_input_that_is_not_utf8_is_refused(library: Path) -> None:
    pid = paper_id(DIFFUSION)
    ok(library, "note", pid, "kept")
    status, error = readerapp_bytes(library, "note", pid, "-", stdin=b"caf\xe9")
    assert status == 2 and error.count("\n") == 1 and "Traceback" not in error
    assert error.startswith("readerapp: the standard input is not UTF-8 text")
    assert ok(library, "note", pid) == "kept\n"
    status, _ = readerapp_bytes(library, "note", pid, "-", stdin="café ☕\r\nnext".encode())
    assert status == 0 and ok(library, "note", pid) == "café ☕\nnext\n"


def test_an_argument_that_is_not_utf8_is_refused_before_anything_is_written(
    library: Path, tmp_path: Path
) -> None:
    pid = paper_id(DIFFUSION)
    status, error = readerapp_bytes(library, "tag", pid, b"caf\xe9")
    assert status == 2 and "Traceback" not in error
    assert error == 'readerapp: the argument "caf\\xe9" is not UTF-8 text; nothing was done\n'
    assert json.loads(ok(library, "show", pid, "--json"))["tags"] == []
    fresh = tmp_path / "fresh"
    for args in (["note", pid, b"caf\xe9"], ["search", b"\xff"], ["show", b"ab\xe9cd"]):
        status, error = readerapp_bytes(fresh, *args)
        assert status == 2 and error.count("\n") == 1, error
    assert not fresh.exists()


# --- a reader that goes away ---------------------------------------------------------------


def log_text() -> str:
    path = log_path()
    return path.read_text(encoding="utf-8") if path.exists() else ""


@pytest.mark.parametrize(
    "args",
    [
        ["search", "diffusion"],
        ["search", "", "--json"],
        ["show", paper_id(DIFFUSION)],
        ["show", paper_id(DIFFUSION), "--json"],
        ["note", paper_id(DIFFUSION)],
        ["stats"],
        ["stats", "--json"],
        ["star", paper_id(DIFFUSION)],
        ["doctor"],
        ["--help"],
        ["search", "--help"],
        ["--version"],
    ],
)
def test_output_into_a_closed_pipe_ends_quietly(library: Path, args: list[str]) -> None:
    before = log_text()
    with subprocess.Popen(
        [sys.executable, "-m", "readerapp", "--data-dir", str(library), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as child:
        child.stdout.close()  # the reader is gone before anything is written
        error = child.stderr.read()
        assert child.wait(timeout=120) == 0 and error == b""
    assert log_text() == before


def test_a_closed_pipe_keeps_the_status_of_the_work_done(
    data_dir: Path, write_digest, tmp_path: Path
) -> None:
    page = tmp_path / "page.txt"
    page.write_text("<!DOCTYPE html><html><body><p>hello</p></body></html>")
    digest = write_digest("a.txt", "Mar 13", PAPERS)
    with subprocess.Popen(
        [sys.executable, "-m", "readerapp", "--data-dir", str(data_dir), "import", str(digest),
         str(page)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    ) as child:  # fmt: skip
        child.stdout.close()
        error = child.stderr.read()
        assert child.wait(timeout=120) == 1  # a file was refused, as the import says
    assert error.startswith("readerapp: refused ") and error.count("\n") == 1
    assert ok(data_dir, "search", "").splitlines()[-1] == "2 of 2 papers"


def test_search_piped_into_head(data_dir: Path, write_digest, tmp_path: Path) -> None:
    """More than a pipe holds, so that the search writes on after ``head`` has gone."""
    abstract = "We measure the method on every benchmark and report its cost. " * 12
    papers = [(f"Sparse kernels, study {n}", abstract) for n in range(150)]
    ok(data_dir, "import", str(write_digest("big.txt", "Mar 13", papers)))
    before = log_text()
    command = shlex.join([sys.executable, "-m", "readerapp", "--data-dir", str(data_dir),
                          "search", "", "--json", "--limit", "0"])  # fmt: skip
    script = f'{command} 2>error.txt | head -1; echo "${{PIPESTATUS[0]}}" >status.txt'
    done = subprocess.run(["bash", "-c", script], cwd=tmp_path, capture_output=True, text=True,
                          timeout=120)  # fmt: skip
    assert done.stdout == "{\n"
    assert (tmp_path / "status.txt").read_text() == "0\n"
    assert (tmp_path / "error.txt").read_text() == ""
    assert log_text() == before


# --- the window without a display ----------------------------------------------------------


def without_display() -> dict[str, str]:
    hidden = {"DISPLAY", "WAYLAND_DISPLAY", "WAYLAND_SOCKET", "QT_QPA_PLATFORM"}
    return {name: value for name, value in os.environ.items() if name not in hidden}


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="displays are X11 or Wayland")
@pytest.mark.parametrize("files", [[], ["digest.txt"]])
def test_no_display_is_one_line_before_qt(tmp_path: Path, files: list[str]) -> None:
    (tmp_path / "digest.txt").write_text("Mar 13\n\nA title\n\nAn abstract.\n")
    data = tmp_path / "data"
    done = subprocess.run(
        [sys.executable, "-m", "readerapp", "--data-dir", str(data), *files],
        cwd=tmp_path,
        env=without_display(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (done.returncode, done.stderr, done.stdout) == (1, NO_DISPLAY, "")
    assert not data.exists()


@pytest.mark.parametrize(
    ("environ", "system", "missing"),
    [
        ({}, "linux", True),
        ({"DISPLAY": ":0"}, "linux", False),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", False),
        ({"DISPLAY": ""}, "linux", True),
        ({"QT_QPA_PLATFORM": "offscreen"}, "linux", False),
        ({"QT_QPA_PLATFORM": "minimal"}, "linux", False),
        ({"QT_QPA_PLATFORM": "vnc:size=800x600"}, "linux", False),
        ({"QT_QPA_PLATFORM": "xcb"}, "linux", True),
        ({"QT_QPA_PLATFORM": "xcb", "WAYLAND_DISPLAY": "wayland-0"}, "linux", True),
        ({"QT_QPA_PLATFORM": "wayland;xcb", "DISPLAY": ":1"}, "linux", False),
        ({"QT_QPA_PLATFORM": "wayland-egl"}, "linux", True),
        ({}, "freebsd14", True),
        ({}, "darwin", False),
        ({}, "win32", False),
    ],
)
def test_when_a_display_is_missing(environ: dict[str, str], system: str, missing: bool) -> None:
    assert display_missing(environ, system) is missing


# --- ids -------------------------------------------------------------------------------------


@pytest.mark.parametrize("given", ["abc", "a", " ab "])
def test_an_id_of_fewer_than_4_characters_says_4_are_needed(library: Path, given: str) -> None:
    done = run(library, "show", given)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr == (
        f"readerapp: {given!r} is too short for an id: give at least 4 characters\n"
    )
    assert ok(library, "show", paper_id(DIFFUSION)[:4]).startswith(DIFFUSION)
