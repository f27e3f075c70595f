"""Make the README's screenshot: ``python3 docs/make_screenshot.py`` refreshes docs/screenshot.png.

It starts a virtual display (Xvfb) with a window manager (openbox) of its own, builds a fresh
library in a temporary folder (the welcome digest and ``docs/screenshot-digest.txt``, with a few
papers starred, tagged, noted and read), opens the window there, searches, selects a starred,
tagged paper with a note, and grabs the window with its title bar into the PNG. Nothing of the
user's (library, settings) is read or written.

``--scene for-you`` makes docs/for-you.png instead: one more paper starred (For you needs five
examples), the side panel's For you chosen, its first paper selected with the preview's reason.

Needs Xvfb and openbox on the PATH. ``--display :97`` uses that display number instead of the
first free one; ``--output FILE`` writes elsewhere.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # this checkout's readerapp, not an installed one

FIXTURE = HERE / "screenshot-digest.txt"
FIXTURE_SAVED = datetime(2026, 3, 18, 9, 0)  # the day the digest was saved: its year is 2026
SIZE = (1400, 900)
SEARCH = "diffusion"
CHOSEN = "Consistency Distillation for One-Step Latent Diffusion"
NOTE = """Try the **coarse-to-fine schedule** on our latent model.

- compare with the 4-step sampler on ImageNet 64
- [code](https://github.com/example-lab/one-step-ldm) looks clean
"""
TAGS = {
    CHOSEN: ["generative", "to read"],
    "Score Distillation Without Over-Saturation": ["3d", "generative"],
    "Diffusion Policies for Dexterous Manipulation from Few Demonstrations": ["robotics"],
}
COLOURS = {"generative": "blue", "to read": "green", "robotics": "orange"}
STARRED = [CHOSEN, "Learning Weather Forecasts with Graph Diffusion"]
FOR_YOU_STARRED = ["Sparse Attention Kernels for Long-Context Video Diffusion"]  # the fifth example
SCENES = {"search": "screenshot.png", "for-you": "for-you.png"}
READ = ["Audio Diffusion with Latent Codecs", "Evaluating Image Editing with Human-Aligned Metrics"]
TIMEOUT_S = 60


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scene", choices=sorted(SCENES), default="search")
    parser.add_argument("--output", type=Path, help="the PNG (default: docs/ and the scene's name)")
    parser.add_argument("--display", help="the X display to start, as :97 (default: a free one)")
    args = parser.parse_args(argv)
    args.output = args.output or HERE / SCENES[args.scene]
    logging.basicConfig(level=logging.ERROR, format="make_screenshot: %(message)s")
    for tool in ("Xvfb", "openbox"):
        if shutil.which(tool) is None:
            print(f"make_screenshot: {tool} is needed and not installed", file=sys.stderr)
            return 1
    with tempfile.TemporaryDirectory(prefix="readerapp-screenshot-") as temp:
        home = Path(temp)
        with virtual_display(args.display, home) as display:
            isolate(home, display)
            data_dir = build_library(home, args.scene)
            shoot(data_dir, args.output.resolve(), args.scene)
    print(f"wrote {args.output}")
    return 0


@contextmanager
def virtual_display(display: str | None, home: Path) -> Iterator[str]:
    """Xvfb with openbox on it, for as long as the block runs."""
    width, height = SIZE
    screen = ["-screen", "0", f"{width + 200}x{height + 200}x24", "-nolisten", "tcp"]
    read, write = os.pipe()
    chosen = [display] if display else []
    xvfb = subprocess.Popen(["Xvfb", *chosen, "-displayfd", str(write), *screen], pass_fds=(write,))
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()  # once the display answers; nothing if Xvfb failed
    if not number:
        xvfb.wait(10)
        raise SystemExit(f"make_screenshot: Xvfb did not start (is {display or 'X'} in use?)")
    display = f":{number}"
    env = {**os.environ, "DISPLAY": display, "HOME": str(home)}
    window_manager = None
    try:
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        window_manager = subprocess.Popen(["openbox"], env=env, **quiet)
        wait_for(lambda: _has_window_manager(display), "the window manager to start")
        yield display
    finally:
        for process in (window_manager, xvfb):
            if process is not None:
                process.terminate()
                process.wait(10)


def _has_window_manager(display: str) -> bool:
    probe = subprocess.run(
        ["xprop", "-display", display, "-root", "_NET_SUPPORTING_WM_CHECK"],
        capture_output=True,
        text=True,
    )
    return "window id" in probe.stdout


def isolate(home: Path, display: str) -> None:
    """This process's settings, data and display: the temporary folder's and the new display."""
    os.environ.update({
        "DISPLAY": display,
        "QT_QPA_PLATFORM": "xcb",
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_STATE_HOME": str(home / "state"),
        "XDG_CACHE_HOME": str(home / "cache"),
    })  # fmt: skip
    os.environ.pop("WAYLAND_DISPLAY", None)
    os.environ.pop("READERAPP_DATA_DIR", None)


def build_library(home: Path, scene: str) -> Path:
    """A library of the welcome digest and the fixture, some papers annotated, indexed."""
    from readerapp.core.collection import Collection
    from readerapp.core.models import ReadState
    from readerapp.core.paths import sample_digest

    fixture = home / FIXTURE.name
    shutil.copyfile(FIXTURE, fixture)
    saved = FIXTURE_SAVED.timestamp()
    os.utime(fixture, (saved, saved))
    data_dir = home / "library"
    collection = Collection(data_dir)
    try:
        collection.import_paths([sample_digest(), fixture])
        library = collection.library
        by_title = {p.title: p.id for p in library.papers(library.filter_ids())}
        starred = STARRED + (FOR_YOU_STARRED if scene == "for-you" else [])
        library.set_starred([by_title[title] for title in starred], True)
        library.set_read_state([by_title[title] for title in READ], ReadState.READ)
        for title, tags in TAGS.items():
            library.tags.add([by_title[title]], tags)
        for tag, colour in COLOURS.items():
            library.tags.set_colour(tag, colour)
        library.set_note(by_title[CHOSEN], NOTE)
        collection.ensure_index()
    finally:
        collection.close()
    return data_dir


def shoot(data_dir: Path, output: Path, scene: str) -> None:
    """Open the window on ``data_dir``, show the scene, grab it."""
    from PySide6.QtCore import QSettings
    from PySide6.QtGui import QGuiApplication

    from readerapp.core.collection import Collection
    from readerapp.gui.app import make_application
    from readerapp.gui.views.main_window import MainWindow

    app = make_application()
    settings = QSettings(str(data_dir.parent / "gui.ini"), QSettings.Format.IniFormat)
    collection = Collection(data_dir)
    window = MainWindow(collection, settings)
    try:
        window.resize(*SIZE)
        window.show()
        window.start()
        idle = lambda: not window.tasks.busy_long and not window.side_counts.counting  # noqa: E731
        wait_for(idle, "the window to settle", app)
        (show_for_you if scene == "for-you" else show_search)(window, app)
        settle(app)
        frame = window.frameGeometry()
        screen = window.screen() or QGuiApplication.primaryScreen()
        image = screen.grabWindow(0, frame.x(), frame.y(), frame.width(), frame.height())
        if not image.save(str(output), "PNG"):
            raise SystemExit(f"make_screenshot: cannot write {output}")
    finally:
        window.close()
        collection.close()


def show_search(window, app) -> None:
    """The search, the chosen paper selected."""
    chosen = next(p.id for p in window.library.papers(window.papers.ids()) if p.title == CHOSEN)
    window.searcher.search_for(SEARCH, select=chosen)
    wait_for(lambda: window.table.current_id() == chosen, "the search", app)
    window.paper_view.setFocus()
    wait_for(lambda: window.windowTitle().startswith(SEARCH), "the title", app)


def show_for_you(window, app) -> None:
    """The side panel's For you, its first paper selected, the preview saying why."""
    from readerapp.gui.models.side_model import FOR_YOU_KEY

    ordered = []  # whether each list shown since is in For you's order
    window.searcher.results_shown.connect(lambda outcome: ordered.append(outcome.request.for_you))
    window.tag_panel.setCurrentIndex(window.side.index(window.side.row_of(FOR_YOU_KEY)))
    wait_for(lambda: any(ordered) and window.papers.total() > 0, "For you", app)
    window.focus_list()
    window.table.select_row(0)
    wait_for(lambda: "For you: " in window.preview.toPlainText(), "the reason", app)


def settle(app, seconds: float = 1.0) -> None:
    """Let the window manager draw the frame and the window paint."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def wait_for(done: Callable[[], bool], what: str, app=None) -> None:
    end = time.monotonic() + TIMEOUT_S
    while not done():
        if time.monotonic() > end:
            raise SystemExit(f"make_screenshot: gave up waiting for {what}")
        if app is not None:
            app.processEvents()
        time.sleep(0.02)


if __name__ == "__main__":
    sys.exit(main())
