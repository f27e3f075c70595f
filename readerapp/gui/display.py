"""Whether the window has a display to open on, found out before Qt is loaded: Qt aborts the
whole process, saying nothing useful, when it finds none. No Qt here."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

NO_DISPLAY = "no display found; set DISPLAY or use a command, see readerapp --help"
# The systems where windows need an X11 or Wayland display; macOS and Windows always have one.
_DISPLAY_SYSTEMS = ("linux", "freebsd", "openbsd", "netbsd", "sunos")


def display_missing(environ: Mapping[str, str] = os.environ, system: str = sys.platform) -> bool:
    """True when Qt would find no display: on Linux and the like, neither X11's ``DISPLAY``
    nor Wayland's ``WAYLAND_DISPLAY`` is set, and ``QT_QPA_PLATFORM`` names no platform that
    needs none (``offscreen``, ``minimal``, ``vnc``, ``eglfs``…)."""
    if not system.startswith(_DISPLAY_SYSTEMS):
        return False
    chosen = environ.get("QT_QPA_PLATFORM", "")
    names = [part.split(":")[0].strip() for part in chosen.split(";") if part.strip()]
    return not any(_can_open(name, environ) for name in names or ["xcb", "wayland"])


def _can_open(platform: str, environ: Mapping[str, str]) -> bool:
    """Whether Qt's platform plugin ``platform`` finds what it draws on."""
    if platform == "xcb":
        return bool(environ.get("DISPLAY"))
    if platform.startswith("wayland"):
        return bool(environ.get("WAYLAND_DISPLAY") or environ.get("WAYLAND_SOCKET"))
    return True
