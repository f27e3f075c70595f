"""Where readerapp keeps its files, and where the desktop looks for the files it installs.
The only module that asks platformdirs or reads the XDG variables."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import platformdirs

from readerapp import APP_NAME

DATA_DIR_ENV = "READERAPP_DATA_DIR"
_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The data directory: ``override``, else $READERAPP_DATA_DIR, else the platform default."""
    chosen = override or os.environ.get(DATA_DIR_ENV)
    if chosen:
        return Path(chosen).expanduser().resolve()
    return default_data_dir()


def default_data_dir() -> Path:
    """The platform's data directory for readerapp, whatever the user chose instead."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def log_dir() -> Path:
    """The per-user log directory."""
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def xdg_data_home() -> Path:
    """$XDG_DATA_HOME, or ``~/.local/share`` when it is unset, empty or relative (XDG spec):
    where ``install-desktop`` puts the menu entry, icons and metainfo. Read here rather than
    through platformdirs, whose releases differ on a relative value and, on macOS, on
    whether they read the variable at all."""
    value = os.environ.get("XDG_DATA_HOME", "")
    if value and os.path.isabs(value):
        return Path(value)
    return Path.home() / ".local" / "share"


def _data_root(name: str) -> Path:
    """A shipped data folder (``ui`` or ``resources``): installed copy first, checkout second."""
    installed = _PACKAGE_DIR / "_data" / name
    if installed.is_dir():
        return installed
    return _PACKAGE_DIR.parent / name


def resource_path(*parts: str) -> Path:
    """A file below the shipped ``resources/`` folder."""
    return _data_root("resources").joinpath(*parts)


def ui_path(*parts: str) -> Path:
    """A file below the shipped ``ui/`` folder."""
    return _data_root("ui").joinpath(*parts)


def sample_digest() -> Path:
    """The bundled welcome digest, offered on an empty library."""
    return resource_path("sample", "welcome-digest.txt")


def split_data_dir(argv: Sequence[str]) -> tuple[str | None, list[str]]:
    """``--data-dir DIR`` (or ``--data-dir=DIR``, the last one winning) taken out of ``argv``,
    and the other arguments in order: how the launcher's words are read before either face
    parses them (is it a command? which files does the window open?)."""
    data_dir: str | None = None
    rest: list[str] = []
    items = list(argv)
    while items:
        item = items.pop(0)
        if item == "--data-dir" and items:
            data_dir = items.pop(0)
        elif item.startswith("--data-dir="):
            data_dir = item.partition("=")[2]
        else:
            rest.append(item)
    return data_dir, rest
