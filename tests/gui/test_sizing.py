"""The window opens within the screen: at its default size where that fits, smaller and
centred where it does not, and a place remembered from a bigger screen is brought back on."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QRect, QSize

from readerapp.gui.sizing import default_geometry, on_screen

LAPTOP = QRect(0, 0, 1200, 800)


def test_the_default_size_shrinks_to_a_small_screen_and_is_centred() -> None:
    small = QSize(600, 400)  # the layout's minimum
    # 90% of 1200x800 is 1080x720, leaving 60 and 40 pixels on each side
    assert default_geometry((1280, 800), small, LAPTOP) == QRect(60, 40, 1080, 720)
    # below a 30-pixel panel on 1920x1080: the default fits, centred in the 1920x1050 left
    below_panel = QRect(0, 30, 1920, 1050)
    assert default_geometry((1280, 800), small, below_panel) == QRect(320, 155, 1280, 800)
    # never below the layout's minimum: 1100 wide leaves 50 pixels on each side
    assert default_geometry((1280, 800), QSize(1100, 400), LAPTOP) == QRect(50, 40, 1100, 720)


def test_a_place_off_the_screen_is_brought_back_on() -> None:
    assert on_screen(QRect(100, 100, 1700, 950), LAPTOP) == LAPTOP  # from a bigger screen
    assert on_screen(QRect(900, 500, 600, 400), LAPTOP) == QRect(600, 400, 600, 400)
    assert on_screen(QRect(2500, 100, 800, 600), LAPTOP) == QRect(400, 100, 800, 600)  # gone
    assert on_screen(QRect(50, 60, 700, 500), LAPTOP) == QRect(50, 60, 700, 500)  # fits


def test_the_first_window_fits_a_small_screen_centred(tmp_path: Path) -> None:
    first = _window_on_a_screen(tmp_path, 1200, 800)
    assert first["available"] == [0, 0, 1200, 800]
    assert first["geometry"] == [60, 40, 1080, 720]  # worked out above


def test_a_window_last_placed_on_a_bigger_screen_opens_on_this_one(tmp_path: Path) -> None:
    big = _window_on_a_screen(tmp_path, 1920, 1080, place=(100, 100, 1700, 950))
    assert big["geometry"] == [100, 100, 1700, 950]  # the place saved as the window closed
    small = _window_on_a_screen(tmp_path, 1200, 800)
    left, top, width, height = small["frame"]
    assert left >= 0 and top >= 0 and left + width <= 1200 and top + height <= 800


# The window on an empty library, in a process whose offscreen screen has the size asked for;
# moved to ``place`` if given, then closed (saving where it was, as the user's window does).
WINDOW = """
import json, sys
from PySide6.QtCore import QRect, QSettings
from PySide6.QtWidgets import QApplication
from readerapp.core.collection import Collection
from readerapp.gui.views.main_window import MainWindow

data, settings, place = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
app = QApplication([])
window = MainWindow(Collection(data), QSettings(settings, QSettings.Format.IniFormat))
window.show()
if place:
    window.setGeometry(QRect(*place))
app.processEvents()
seen = {
    "available": window.screen().availableGeometry().getRect(),
    "geometry": window.geometry().getRect(),
    "frame": window.frameGeometry().getRect(),
}
window.close()
print(json.dumps(seen))
"""


def _window_on_a_screen(
    tmp_path: Path, width: int, height: int, place: tuple[int, ...] = ()
) -> dict[str, list[int]]:
    screen = {"name": "screen", "x": 0, "y": 0, "width": width, "height": height, "dpr": 1,
              "logicalDpi": 96, "logicalDpiX": 96, "logicalDpiY": 96}  # fmt: skip
    config = tmp_path / f"screen-{width}x{height}.json"
    config.write_text(json.dumps({"screens": [screen]}), encoding="utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}")
    args = [str(tmp_path / "data"), str(tmp_path / "window.ini"), json.dumps(place)]
    done = subprocess.run(
        [sys.executable, "-c", WINDOW, *args], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])
