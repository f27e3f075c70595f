"""Put readerapp into the desktop's application menu (freedesktop.org), and take it out again.

``install_desktop`` writes, under the user's XDG data home, the desktop entry
(``applications/``), the icons (``icons/hicolor/``) and the AppStream metainfo
(``metainfo/``). A manifest, ``readerapp/desktop-install.json``, records each file written
with its checksum and each folder created, so that ``uninstall_desktop`` removes exactly
those and nothing else.

The shipped copies live in ``resources/linux/`` (byte-identical to the canonical ones in
``packaging/linux/``, which a test checks) and ``resources/icons/``, so that they are found
through ``resource_path`` from a checkout and from a wheel alike.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from readerapp import APP_ID
from readerapp.core.errors import ReaderappError
from readerapp.core.paths import resource_path, xdg_data_home

log = logging.getLogger(__name__)

DESKTOP_ENTRY = f"{APP_ID}.desktop"
METAINFO = f"{APP_ID}.metainfo.xml"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
MANIFEST = PurePosixPath("readerapp", "desktop-install.json")

_MANIFEST_VERSION = 1
# Characters that oblige an argument of an Exec key to be quoted (desktop entry spec 1.4).
_EXEC_RESERVED = frozenset(" \t\n\"'\\><~|&;$*?#()`")
# Characters escaped with a backslash inside a quoted Exec argument.
_EXEC_ESCAPED = frozenset('"`$\\')
_TOOL_TIMEOUT = 60  # seconds for update-desktop-database or gtk-update-icon-cache


@dataclass
class _Manifest:
    """What one install wrote: files (relative to the data home) with their SHA-256, and
    the folders it had to create."""

    files: dict[str, str] = field(default_factory=dict)
    directories: list[str] = field(default_factory=list)


def gui_executable() -> Path:
    """The absolute path of the installed ``readerapp-gui`` (or of the frozen bundle itself)."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve()
    beside = Path(sys.executable).parent / "readerapp-gui"
    found = beside if beside.is_file() else shutil.which("readerapp-gui")
    if not found:
        raise ReaderappError("readerapp-gui is not installed; install readerapp with pip first")
    return Path(found).absolute()


def install_desktop(executable: Path, data_home: Path | None = None) -> list[Path]:
    """Install the desktop entry, icons and metainfo for ``executable``; return the files written.

    The entry's ``Exec`` and ``TryExec`` name ``executable`` by its absolute path. An earlier
    install under the same data home is removed first. Raises ``ReaderappError`` if a shipped
    file is missing or the data home cannot be written; nothing is left half-installed.
    """
    home = (data_home if data_home is not None else xdg_data_home()).absolute()
    contents = _contents(Path(executable).expanduser().absolute())
    if (home / MANIFEST).exists():
        _remove_installed(home)
    manifest = _Manifest()
    try:
        for relative, data in contents.items():
            _write_file(home, relative, data, manifest)
        _write_manifest(home, manifest)
    except OSError as exc:
        _roll_back(home, manifest)
        raise ReaderappError(
            f"Could not install the desktop entry into {home}: {exc.strerror or exc}"
        ) from exc
    _refresh_caches(home)
    log.info("installed the desktop entry for %s into %s", executable, home)
    return [home / relative for relative in manifest.files]


def uninstall_desktop(data_home: Path | None = None) -> list[Path]:
    """Remove what ``install_desktop`` wrote under ``data_home``; return the files removed.

    A file changed since it was installed is left in place (and logged). Without a manifest
    there is nothing to remove and the list is empty.
    """
    home = (data_home if data_home is not None else xdg_data_home()).absolute()
    if not (home / MANIFEST).exists():
        return []
    removed = _remove_installed(home)
    _refresh_caches(home)
    log.info("removed the desktop entry from %s", home)
    return removed


def exec_argument(argument: str) -> str:
    """``argument`` as it must appear in the value of an ``Exec`` key.

    Quoted (with ``"`$\\`` escaped) when it holds a reserved character, ``%`` doubled, and
    then every backslash doubled by the general escape rule for string values.
    """
    if not _EXEC_RESERVED.isdisjoint(argument):
        escaped = "".join("\\" + char if char in _EXEC_ESCAPED else char for char in argument)
        argument = f'"{escaped}"'
    return _string_value(argument.replace("%", "%%"))


def _string_value(text: str) -> str:
    """``text`` escaped as the value of a desktop entry key of type string."""
    return text.replace("\\", "\\\\")


def _desktop_entry(template: str, executable: Path) -> str:
    """The shipped desktop entry with ``Exec`` and ``TryExec`` pointing at ``executable``."""
    path = str(executable)
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in path):
        raise ReaderappError(
            f"Cannot name {path!r} in a desktop entry: it holds control characters"
        )
    lines = []
    found_exec = False
    for line in template.splitlines():
        key, sep, value = line.partition("=")
        if sep and key.strip() == "Exec":
            _program, _space, arguments = value.strip().partition(" ")
            line = f"Exec={exec_argument(path)} {arguments}".rstrip()
            found_exec = True
        elif sep and key.strip() == "TryExec":
            line = f"TryExec={_string_value(path)}"
        lines.append(line)
    if not found_exec:
        raise ReaderappError(f"The shipped {DESKTOP_ENTRY} has no Exec key; reinstall readerapp")
    return "\n".join(lines) + "\n"


def _sources() -> dict[PurePosixPath, Path]:
    """Each file to install, by its place under the data home, with its shipped source."""
    apps = PurePosixPath("icons", "hicolor", "scalable", "apps")
    sources = {
        PurePosixPath("applications", DESKTOP_ENTRY): resource_path("linux", DESKTOP_ENTRY),
        PurePosixPath("metainfo", METAINFO): resource_path("linux", METAINFO),
        apps / f"{APP_ID}.svg": resource_path("icons", f"{APP_ID}.svg"),
    }
    for size in ICON_SIZES:
        folder = f"{size}x{size}"
        target = PurePosixPath("icons", "hicolor", folder, "apps", f"{APP_ID}.png")
        sources[target] = resource_path("icons", "hicolor", folder, "apps", f"{APP_ID}.png")
    return sources


def _contents(executable: Path) -> dict[PurePosixPath, bytes]:
    """The bytes of every file to install, read before anything is written."""
    sources = _sources()
    missing = [str(source) for source in sources.values() if not source.is_file()]
    if missing:
        raise ReaderappError(
            "This copy of readerapp is incomplete; reinstall it. Missing: " + ", ".join(missing)
        )
    try:
        contents = {relative: source.read_bytes() for relative, source in sources.items()}
    except OSError as exc:
        raise ReaderappError(f"Could not read {exc.filename}: {exc.strerror}") from exc
    entry = PurePosixPath("applications", DESKTOP_ENTRY)
    try:
        text = _desktop_entry(contents[entry].decode("utf-8"), executable)
        contents[entry] = text.encode("utf-8")
    except UnicodeError as exc:
        raise ReaderappError(f"Cannot name {executable} in a desktop entry: {exc}") from exc
    return contents


def _make_parents(home: Path, relative: PurePosixPath, manifest: _Manifest) -> None:
    """Create the missing folders above ``relative``, recording each one created."""
    missing = [parent for parent in relative.parents if str(parent) != "."]
    for parent in reversed(missing):
        folder = home / parent
        if not folder.is_dir():
            folder.mkdir(parents=True)
            manifest.directories.append(str(parent))


def _write_file(home: Path, relative: PurePosixPath, data: bytes, manifest: _Manifest) -> None:
    """Write ``data`` to ``home / relative`` atomically and record it in ``manifest``."""
    _make_parents(home, relative, manifest)
    _replace_atomically(home / relative, data)
    manifest.files[str(relative)] = hashlib.sha256(data).hexdigest()


def _write_manifest(home: Path, manifest: _Manifest) -> None:
    _make_parents(home, MANIFEST, manifest)
    record = {
        "version": _MANIFEST_VERSION,
        "files": manifest.files,
        "directories": manifest.directories,
    }
    _replace_atomically(home / MANIFEST, (json.dumps(record, indent=2) + "\n").encode("utf-8"))


def _replace_atomically(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` so that no reader ever sees half a file."""
    temporary = target.with_name(f".{target.name}.tmp")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, target)
    except OSError:
        temporary.unlink(missing_ok=True)
        raise


def _read_manifest(home: Path) -> _Manifest:
    """The manifest under ``home``, checked so that it can only name places below ``home``."""
    path = home / MANIFEST
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ReaderappError(f"Could not read {path}: {exc.strerror}") from exc
    except ValueError as exc:
        raise ReaderappError(
            f"{path} is damaged ({exc}); delete it and the readerapp files it lists by hand"
        ) from exc
    try:
        files = record["files"]
        directories = record["directories"]
        valid = (
            record["version"] == _MANIFEST_VERSION
            and all(_is_inside(name) and isinstance(files[name], str) for name in files)
            and all(_is_inside(name) for name in directories)
        )
    except (KeyError, TypeError):
        valid = False
    if not valid:
        raise ReaderappError(
            f"{path} is not a manifest readerapp can use; delete it and the files it lists by hand"
        )
    return _Manifest(files=dict(files), directories=list(directories))


def _is_inside(name: object) -> bool:
    """Whether ``name`` is a relative path that stays below the folder it is relative to."""
    if not isinstance(name, str) or not name:
        return False
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and "\\" not in name


def _remove_installed(home: Path) -> list[Path]:
    """Remove the files and folders the manifest lists, then the manifest itself."""
    manifest = _read_manifest(home)
    removed = []
    try:
        for name, digest in manifest.files.items():
            path = home / name
            if not path.is_file():
                continue
            if hashlib.sha256(path.read_bytes()).hexdigest() != digest:
                log.warning("left %s in place: it changed after readerapp installed it", path)
                continue
            path.unlink()
            removed.append(path)
        (home / MANIFEST).unlink()
    except OSError as exc:
        raise ReaderappError(
            f"Could not remove the desktop entry from {home}: {exc.strerror or exc}"
        ) from exc
    _remove_empty_folders(home, manifest.directories)
    return removed


def _roll_back(home: Path, manifest: _Manifest) -> None:
    """Undo a partial install: remove the files written so far and the folders created."""
    for name in manifest.files:
        with contextlib.suppress(OSError):
            (home / name).unlink(missing_ok=True)
    _remove_empty_folders(home, manifest.directories)


def _remove_empty_folders(home: Path, directories: list[str]) -> None:
    """Remove each of ``directories`` that is now empty, deepest first."""
    for name in sorted(directories, key=lambda name: len(PurePosixPath(name).parts), reverse=True):
        # A folder that is not empty (someone else's files, a cache) or already gone stays.
        with contextlib.suppress(OSError):
            (home / name).rmdir()


def _refresh_caches(home: Path) -> None:
    """Tell the desktop about the change, with whichever cache tools are installed.

    The icon cache is only refreshed when one exists already: creating a cache in a user's
    icon folder would hide icons that other programs later add without updating it.
    """
    applications = home / "applications"
    hicolor = home / "icons" / "hicolor"
    commands = []
    if applications.is_dir():
        commands.append(["update-desktop-database", "-q", str(applications)])
    if (hicolor / "icon-theme.cache").is_file():
        commands.append(["gtk-update-icon-cache", "-q", "-t", "-f", str(hicolor)])
    for name, *arguments in commands:
        tool = shutil.which(name)
        if tool is None:
            continue
        try:
            subprocess.run(
                [tool, *arguments], capture_output=True, check=True, timeout=_TOOL_TIMEOUT
            )
        except (OSError, subprocess.SubprocessError) as exc:
            log.info("%s failed, ignored: %s", name, exc)
