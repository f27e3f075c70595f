"""Build the one-folder bundle of readerapp with PyInstaller, into build/ and dist/.

    python packaging/build.py [--clean]

Run it from a checkout where readerapp is installed (``pip install -e .``); it installs
PyInstaller if it is missing. It prints the time taken and the size of the bundle, and exits
with PyInstaller's status. ``packaging/check_bundle.py`` then checks the result.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import importlib.util
import subprocess
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "packaging" / "readerapp.spec"
PYINSTALLER = "pyinstaller>=6.10,<7"
TIME_BUDGET = 600  # seconds; CI builds the bundle on every run


class BuildError(Exception):
    """A reason not to build, for the user."""


def bundle_path(dist: Path) -> Path:
    """What the build leaves in ``dist``: the .app on macOS, the folder elsewhere."""
    return dist / ("readerapp.app" if sys.platform == "darwin" else "readerapp")


def ensure_pyinstaller() -> None:
    if importlib.util.find_spec("PyInstaller") is None:
        print(f"installing {PYINSTALLER}", flush=True)
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", PYINSTALLER], check=True)


def check_installed_version() -> str:
    """The installed readerapp's version, which must be the checkout's (the bundle reports it)."""
    wanted = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"]
    try:
        installed = importlib.metadata.version("readerapp")
    except importlib.metadata.PackageNotFoundError:
        raise BuildError("readerapp is not installed here: run 'pip install -e .' first") from None
    if installed != wanted:
        raise BuildError(
            f"the installed readerapp is {installed} but pyproject.toml says {wanted}: "
            "run 'pip install -e .' again"
        )
    return installed


def tree_size(path: Path) -> tuple[int, int]:
    """Bytes and number of files below ``path`` (symbolic links not followed)."""
    files = [p for p in path.rglob("*") if p.is_file() and not p.is_symlink()]
    return sum(p.stat().st_size for p in files), len(files)


def build(dist: Path, work: Path, clean: bool) -> int:
    command = [
        sys.executable, "-m", "PyInstaller", str(SPEC), "--noconfirm", "--log-level", "WARN",
        "--distpath", str(dist), "--workpath", str(work),
    ]  # fmt: skip
    if clean:
        command.append("--clean")
    print("running " + " ".join(command), flush=True)
    return subprocess.run(command, cwd=ROOT).returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clean", action="store_true", help="empty PyInstaller's cache first")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="default: dist/")
    parser.add_argument("--work", type=Path, default=ROOT / "build", help="default: build/")
    args = parser.parse_args(argv)
    started = time.monotonic()
    try:
        version = check_installed_version()
        ensure_pyinstaller()
    except BuildError as exc:
        print(f"build.py: {exc}", file=sys.stderr)
        return 1
    status = build(args.dist.resolve(), args.work.resolve(), args.clean)
    elapsed = time.monotonic() - started
    if status != 0:
        print(f"build.py: PyInstaller failed (status {status}) after {elapsed:.0f} s")
        return status
    bundle = bundle_path(args.dist.resolve())
    size, count = tree_size(bundle)
    print(f"built readerapp {version} in {elapsed:.0f} s: {bundle}")
    print(f"bundle size: {size / 2**20:.1f} MiB in {count} files")
    if elapsed > TIME_BUDGET:
        print(f"WARNING: the build took longer than its budget of {TIME_BUDGET} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
