"""The README's screenshot is made by one command, on a display and library of its own."""

from __future__ import annotations

import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "docs" / "make_screenshot.py"


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", header[16:24])


@pytest.mark.skipif(
    not all(shutil.which(tool) for tool in ("Xvfb", "openbox")),
    reason="Xvfb and openbox are needed to make the screenshot",
)
def test_the_screenshot_is_made_in_one_command(tmp_path: Path, private_home: Path) -> None:
    output = tmp_path / "screenshot.png"
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--output", str(output)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"wrote {output}\n"
    width, height = png_size(output)
    assert width >= 1400 and height >= 900  # the window with its frame
    assert not any(private_home.rglob("*.sqlite3"))  # nothing of the user's touched
