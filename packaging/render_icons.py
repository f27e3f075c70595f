"""Regenerate the icon renderings from resources/icons/io.github.readerapp.ReaderApp.svg.

Writes the hicolor PNGs (resources/icons/hicolor/<N>x<N>/apps/), the Windows icon
(resources/icons/readerapp.ico) and the macOS icon (resources/icons/readerapp.icns).

Needs ``rsvg-convert`` (Debian: librsvg2-bin) and ImageMagick (``magick`` or ``convert``)
for the .ico. The .icns is assembled here from PNG renderings (macOS 10.7+ reads PNG in
every ``ic07``..``ic14`` slot), so no macOS tool is needed.

Usage: python packaging/render_icons.py
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

APP_ID = "io.github.readerapp.ReaderApp"  # the same as readerapp.APP_ID
ICONS_DIR = Path(__file__).resolve().parent.parent / "resources" / "icons"
SVG = ICONS_DIR / f"{APP_ID}.svg"
HICOLOR_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)  # 256 is the largest an .ico entry can be
# The .icns slots that hold PNG data, with the pixel size each one wants
# (ic11..ic14 and ic10 are the "@2x" slots). The same set Pillow writes.
ICNS_SLOTS = (
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic09", 512),
    (b"ic10", 1024),
    (b"ic11", 32),
    (b"ic12", 64),
    (b"ic13", 256),
    (b"ic14", 512),
)


def find_tool(*names: str) -> str:
    """The first of ``names`` found on PATH, or exit with a message."""
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    sys.exit(f"render_icons: none of {', '.join(names)} is installed")


def render_png(svg: Path, size: int, out: Path) -> Path:
    """Render ``svg`` to a ``size`` x ``size`` PNG at ``out``."""
    out.parent.mkdir(parents=True, exist_ok=True)
    rsvg = find_tool("rsvg-convert")
    subprocess.run(
        [rsvg, "--width", str(size), "--height", str(size), "--output", str(out), str(svg)],
        check=True,
    )
    return out


def hicolor_png(size: int) -> Path:
    """Where the ``size`` px rendering lives in the source tree."""
    return ICONS_DIR / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"


def write_ico(pngs: list[Path], out: Path) -> None:
    """A multi-size Windows icon from square PNGs, without time stamps (reproducible)."""
    magick = find_tool("magick", "convert")
    subprocess.run(
        [magick, *map(str, pngs), "-define", "png:exclude-chunks=date,time", str(out)],
        check=True,
    )


def write_icns(pngs_by_size: dict[int, Path], out: Path) -> None:
    """A macOS icon: a table of contents, then one PNG per slot (the format Pillow writes)."""
    entries = [(kind, pngs_by_size[size].read_bytes()) for kind, size in ICNS_SLOTS]
    toc = b"".join(kind + struct.pack(">I", 8 + len(data)) for kind, data in entries)
    blocks = [b"TOC " + struct.pack(">I", 8 + len(toc)) + toc]
    blocks += [kind + struct.pack(">I", 8 + len(data)) + data for kind, data in entries]
    body = b"".join(blocks)
    out.write_bytes(b"icns" + struct.pack(">I", 8 + len(body)) + body)


def main() -> int:
    if not SVG.is_file():
        sys.exit(f"render_icons: {SVG} is missing")
    pngs = {size: render_png(SVG, size, hicolor_png(size)) for size in HICOLOR_SIZES}
    write_ico([pngs[size] for size in ICO_SIZES], ICONS_DIR / "readerapp.ico")
    with tempfile.TemporaryDirectory() as tmp:
        extra = {1024: render_png(SVG, 1024, Path(tmp) / "1024.png")}
        write_icns(pngs | extra, ICONS_DIR / "readerapp.icns")
    for path in sorted(ICONS_DIR.rglob("*")):
        if path.is_file() and path != SVG:
            print(path.relative_to(ICONS_DIR.parent.parent))
    return 0


if __name__ == "__main__":
    sys.exit(main())
