"""Docks and task bars group the window under its launcher: what the application tells the
desktop (its desktop file name on Wayland, its window's WM_CLASS on X11) is what the desktop
entry says."""

from __future__ import annotations

import configparser
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from readerapp.core.desktop import DESKTOP_ENTRY
from readerapp.core.paths import resource_path
from readerapp.gui.app import make_application

ROOT = Path(__file__).resolve().parents[2]
ENTRIES = [ROOT / "packaging" / "linux" / DESKTOP_ENTRY, resource_path("linux", DESKTOP_ENTRY)]
WINDOW_WAIT_S = 60


def desktop_entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys keep their case
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


@pytest.mark.parametrize("entry", ENTRIES, ids=["packaging", "shipped"])
def test_the_application_names_itself_as_its_desktop_entry(qapp, entry: Path) -> None:
    app = make_application()
    assert f"{app.desktopFileName()}.desktop" == entry.name  # the Wayland app id
    # Qt makes the application name the class of each window's WM_CLASS on X11
    assert app.applicationName() == desktop_entry(entry)["StartupWMClass"]
    assert app.applicationDisplayName() == desktop_entry(entry)["Name"]


needs_xvfb = pytest.mark.skipif(
    not all(shutil.which(tool) for tool in ("Xvfb", "xwininfo")),
    reason="Xvfb and xwininfo are needed to look at a real X11 window",
)


@pytest.fixture
def x_display() -> Iterator[str]:
    """A virtual X display of its own (the first free number), for this test."""
    read, write = os.pipe()
    command = ["Xvfb", "-displayfd", str(write), "-screen", "0", "1400x900x24", "-nolisten", "tcp"]
    xvfb = subprocess.Popen(command, pass_fds=(write,), stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    try:
        if not number:
            pytest.skip("Xvfb did not start")
        yield f":{number}"
    finally:
        xvfb.terminate()
        xvfb.wait(10)


def window_classes(display: str, title: str) -> tuple[str, str] | None:
    """The WM_CLASS (instance, class) of the top-level window titled ``title``, if shown."""
    tree = subprocess.run(
        ["xwininfo", "-display", display, "-root", "-tree"], capture_output=True, text=True
    ).stdout
    found = re.search(rf'"{re.escape(title)}": \("([^"]*)" "([^"]*)"\)', tree)
    return (found[1], found[2]) if found else None


@needs_xvfb
def test_the_window_s_wm_class_is_the_desktop_entry_s(x_display: str, data_dir: Path) -> None:
    env = {**os.environ, "DISPLAY": x_display, "QT_QPA_PLATFORM": "xcb"}
    env.pop("WAYLAND_DISPLAY", None)
    app = subprocess.Popen(
        [sys.executable, "-m", "readerapp", "--data-dir", str(data_dir)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + WINDOW_WAIT_S
        classes = None
        while classes is None and app.poll() is None and time.monotonic() < deadline:
            classes = window_classes(x_display, "readerapp")
            time.sleep(0.2)  # another process: polling is the only way to see its window
    finally:
        app.terminate()
        _, errors = app.communicate(timeout=30)
    assert classes is not None, errors
    startup_class = desktop_entry(ENTRIES[0])["StartupWMClass"]
    assert classes == ("readerapp", startup_class)
    assert app.returncode == 0, errors
