"""Check the bundle that ``packaging/build.py`` left in dist/, as a user would run it.

    python packaging/check_bundle.py [--dist DIR] [--gui-seconds N]

With Qt's offscreen platform, in a private home and data folder: ``--version``; ``import`` of
the real digests (``../shared/digests`` beside the checkout, else the bundled welcome digest);
``search`` for a word of a title, which must find that paper; ``export`` to Markdown, which must
hold the title; on Linux ``install-desktop`` (which reads the shipped icons through the data
locator) and ``uninstall-desktop``; then the window, started on an empty and on the imported
library, must still be running after a few seconds. The first failure ends the check with a
message and status 1.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED_DIGESTS = ROOT.parent / "shared" / "digests"
WELCOME_DIGEST = ROOT / "resources" / "sample" / "welcome-digest.txt"
APP_ID = "io.github.readerapp.ReaderApp"
VERB_TIMEOUT = 180  # seconds for one command-line verb
# A title the Markdown export writes as it is, with no escapes, and that opens no block.
_PLAIN_TITLE = re.compile(r"[A-Za-z][A-Za-z0-9 :,.?!'()/-]*")
_QUERY_WORDS = frozenset({"and", "or", "not", "to"})


class CheckFailed(Exception):
    """What went wrong, for the person reading the CI log."""


@dataclass(frozen=True)
class Bundle:
    cli: Path  # runs the verbs and prints
    gui: Path  # what a double-click starts
    data: Path  # readerapp/_data inside the bundle


@dataclass(frozen=True)
class Target:
    """A paper of the imported digests and a word of its title to search for."""

    title: str
    word: str


def find_bundle(dist: Path) -> Bundle:
    if sys.platform == "darwin":
        root = dist / "readerapp.app"
        cli = gui = root / "Contents" / "MacOS" / "readerapp"
    elif sys.platform == "win32":
        root = dist / "readerapp"
        cli, gui = root / "readerapp.exe", root / "readerapp-gui.exe"
    else:
        root = dist / "readerapp"
        cli = gui = root / "readerapp"
    for program in {cli, gui}:
        if not program.is_file():
            raise CheckFailed(f"{program} is missing: run 'python packaging/build.py' first")
    found = sorted(root.rglob("readerapp/_data"), key=lambda p: len(p.parts))
    if not found:
        raise CheckFailed(f"no readerapp/_data folder inside {root}")
    return Bundle(cli=cli, gui=gui, data=found[0])


def check_data(bundle: Bundle) -> str:
    """Every file of the checkout's ui/ and resources/ is in the bundle, byte for byte."""
    missing, differing, count = [], [], 0
    for name in ("ui", "resources"):
        for source in sorted(p for p in (ROOT / name).rglob("*") if p.is_file()):
            relative = source.relative_to(ROOT)
            shipped = bundle.data / relative
            count += 1
            if not shipped.is_file():
                missing.append(str(relative))
            elif shipped.read_bytes() != source.read_bytes():
                differing.append(str(relative))
    if missing or differing:
        raise CheckFailed(
            "the bundle's data is not the checkout's (rebuild it): "
            + "; ".join(
                part
                for part in (
                    "missing " + ", ".join(missing) if missing else "",
                    "different " + ", ".join(differing) if differing else "",
                )
                if part
            )
        )
    if not any((bundle.data / "ui").glob("*.ui")):
        raise CheckFailed(f"no .ui form in {bundle.data / 'ui'}: the window cannot open")
    where = bundle.data.relative_to(bundle.data.parents[2])
    return f"{count} files of ui/ and resources/ under {where}"


def private_environment(home: Path) -> dict[str, str]:
    """The environment for the bundle: offscreen Qt, and every user folder inside ``home``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("READERAPP_", "XDG_"))}
    env.update(QT_QPA_PLATFORM="offscreen", HOME=str(home), USERPROFILE=str(home))
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        env[name] = str(home / name.lower())
    if sys.platform == "win32":
        env.update(APPDATA=str(home / "AppData" / "Roaming"))
        env.update(LOCALAPPDATA=str(home / "AppData" / "Local"))
    return env


def run(program: Path, args: Sequence[str], env: dict[str, str]) -> str:
    """Run one verb; its standard output, or CheckFailed with everything it said."""
    command = [str(program), *args]
    shown = " ".join(["readerapp", *args])
    try:
        done = subprocess.run(
            command, env=env, capture_output=True, text=True, timeout=VERB_TIMEOUT, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise CheckFailed(f"'{shown}' did not finish in {VERB_TIMEOUT} s") from exc
    if done.returncode != 0:
        raise CheckFailed(
            f"'{shown}' exited with status {done.returncode}\n"
            f"--- stdout\n{done.stdout}--- stderr\n{done.stderr}"
        )
    return done.stdout


def digests_to_import(override: Path | None) -> list[Path]:
    if override is not None:
        return [override]
    real = sorted(SHARED_DIGESTS.glob("*.txt")) if SHARED_DIGESTS.is_dir() else []
    return real or [WELCOME_DIGEST]


def pick_target(digest: Path) -> Target:
    """A paper of ``digest`` with a plain title, and the longest word of that title."""
    sys.path.insert(0, str(ROOT))  # the checkout's parser says what the digest holds
    from readerapp.core.digest import parse_digest_file

    for paper in parse_digest_file(digest).papers:
        title = paper.title
        if not _PLAIN_TITLE.fullmatch(title):
            continue
        words = [w for w in re.findall(r"[A-Za-z]{5,}", title) if w.lower() not in _QUERY_WORDS]
        if words:
            return Target(title=title, word=max(words, key=len))
    raise CheckFailed(f"no paper of {digest} has a title plain enough to search and export")


def check_version(bundle: Bundle, env: dict[str, str]) -> str:
    wanted = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"]
    said = run(bundle.cli, ["--version"], env).strip()
    if said != f"readerapp {wanted}":
        raise CheckFailed(f"'readerapp --version' said {said!r}, expected 'readerapp {wanted}'")
    return said


def check_import(bundle: Bundle, env: dict[str, str], data: Path, digests: list[Path]) -> str:
    said = run(bundle.cli, ["--data-dir", str(data), "import", *map(str, digests)], env)
    match = re.search(r"(\d+) papers added", said)
    if not match or int(match.group(1)) == 0:
        raise CheckFailed(f"'import' added no papers: {said.strip()!r}")
    return said.strip()


def check_search(bundle: Bundle, env: dict[str, str], data: Path, target: Target) -> str:
    said = run(bundle.cli, ["--data-dir", str(data), "search", target.word, "--limit", "0"], env)
    if target.title not in said:
        raise CheckFailed(f"'search {target.word}' did not list {target.title!r}; it said:\n{said}")
    found = said.strip().splitlines()[-1]
    # A misspelt word finds little, so the search corrects it (Whoosh's spelling modules).
    typo = target.word[:2] + target.word[3:]
    corrected = run(bundle.cli, ["--data-dir", str(data), "search", typo, "--limit", "1"], env)
    return f"'{target.word}' found {target.title!r} ({found}); '{typo}': {corrected.splitlines()}"


def check_export(
    bundle: Bundle, env: dict[str, str], data: Path, target: Target, output: Path
) -> str:
    args = ["--data-dir", str(data), "export", target.word, "-o", str(output)]
    run(bundle.cli, args, env)
    if not output.is_file():
        raise CheckFailed(f"'export' wrote no {output}")
    text = output.read_text("utf-8")
    if target.title not in text:
        raise CheckFailed(f"{output} does not hold {target.title!r}:\n{text[:2000]}")
    return f"{output.name}: {len(text)} characters, holds the title"


def check_desktop(bundle: Bundle, env: dict[str, str], home: Path) -> str:
    """install-desktop reads the shipped entry and icons through the frozen data locator."""
    run(bundle.cli, ["install-desktop"], env)
    entry = Path(env["XDG_DATA_HOME"]) / "applications" / f"{APP_ID}.desktop"
    icon = Path(env["XDG_DATA_HOME"]) / "icons" / "hicolor" / "scalable" / "apps"
    icon = icon / f"{APP_ID}.svg"
    if not entry.is_file() or not icon.is_file():
        raise CheckFailed(f"'install-desktop' did not write {entry} and {icon}")
    exec_line = next(
        (line for line in entry.read_text("utf-8").splitlines() if line.startswith("Exec=")), ""
    )
    if str(bundle.gui.resolve()) not in exec_line:
        raise CheckFailed(f"the desktop entry's {exec_line!r} does not start {bundle.gui}")
    said = run(bundle.cli, ["uninstall-desktop"], env)
    if entry.exists():
        raise CheckFailed(f"'uninstall-desktop' left {entry}")
    return f"{exec_line}; then {said.strip()}"


def check_window(bundle: Bundle, env: dict[str, str], data: Path, seconds: float) -> str:
    """The window starts and is still running after ``seconds``; then it is terminated."""
    log = data.parent / f"gui-{data.name}.log"
    with log.open("w+", encoding="utf-8", errors="replace") as output:
        process = subprocess.Popen(
            [str(bundle.gui), "--data-dir", str(data)],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            status = process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            status = None
        finally:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        output.seek(0)
        said = output.read()
    if status is not None:
        raise CheckFailed(f"the window exited with status {status} within {seconds} s:\n{said}")
    if "Traceback (most recent call last)" in said:
        raise CheckFailed(f"the window printed a Python traceback:\n{said}")
    if re.search(r"^readerapp: (ERROR|CRITICAL):", said, re.MULTILINE):
        raise CheckFailed(f"the window logged an error:\n{said}")
    notes = f"; it printed:\n{said.rstrip()}" if said.strip() else ""
    return f"still running after {seconds:g} s, then terminated{notes}"


def check_logs(home: Path) -> str:
    """Nothing logged at ERROR or above (or a traceback) in the bundle's log files."""
    logs = sorted(home.rglob("readerapp.log*"))
    bad = [
        f"{path.name}: {line}"
        for path in logs
        for line in path.read_text("utf-8", errors="replace").splitlines()
        if re.search(r" (ERROR|CRITICAL) |^Traceback", line)
    ]
    if bad:
        raise CheckFailed("the log records errors:\n" + "\n".join(bad[:40]))
    return f"{len(logs)} log files, no errors"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="default: dist/")
    parser.add_argument("--digest", type=Path, help="import this digest instead")
    parser.add_argument("--gui-seconds", type=float, default=5.0, help="default: 5")
    parser.add_argument("--no-gui", action="store_true", help="skip starting the window")
    args = parser.parse_args(argv)
    started = time.monotonic()
    scratch = Path(tempfile.mkdtemp(prefix="readerapp-bundle-check-"))
    try:
        bundle = find_bundle(args.dist.resolve())
        home = scratch / "home"
        env = private_environment(home)
        library = scratch / "library"
        digests = digests_to_import(args.digest)
        target = pick_target(digests[0])
        steps = [
            ("data", lambda: check_data(bundle)),
            ("--version", lambda: check_version(bundle, env)),
            ("import", lambda: check_import(bundle, env, library, digests)),
            ("search", lambda: check_search(bundle, env, library, target)),
            ("export", lambda: check_export(bundle, env, library, target, scratch / "list.md")),
        ]
        if sys.platform.startswith("linux"):
            steps.append(("desktop", lambda: check_desktop(bundle, env, home)))
        if not args.no_gui:
            empty = scratch / "empty"
            steps += [
                ("window, empty", lambda: check_window(bundle, env, empty, args.gui_seconds)),
                ("window, library", lambda: check_window(bundle, env, library, args.gui_seconds)),
            ]
        steps.append(("logs", lambda: check_logs(home)))
        print(f"checking {bundle.cli}")
        for name, step in steps:
            step_started = time.monotonic()
            result = step()
            print(f"ok  {name} ({time.monotonic() - step_started:.1f} s): {result}", flush=True)
    except CheckFailed as exc:
        print(f"FAIL {exc}", file=sys.stderr)
        print(f"check_bundle.py: the bundle is broken; files kept in {scratch}", file=sys.stderr)
        return 1
    shutil.rmtree(scratch, ignore_errors=True)
    print(f"check_bundle.py: all checks passed in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
