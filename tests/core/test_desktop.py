"""The desktop entry, metainfo and icons: as shipped, and as installed into an XDG data home."""

from __future__ import annotations

import json
import shutil
import stat
import struct
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from readerapp import APP_ID
from readerapp.core import desktop
from readerapp.core.desktop import (
    DESKTOP_ENTRY,
    ICON_SIZES,
    MANIFEST,
    METAINFO,
    exec_argument,
    install_desktop,
    uninstall_desktop,
)
from readerapp.core.errors import ReaderappError
from readerapp.core.paths import resource_path, xdg_data_home

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging" / "linux"

INSTALLED = {
    f"applications/{DESKTOP_ENTRY}",
    f"metainfo/{METAINFO}",
    f"icons/hicolor/scalable/apps/{APP_ID}.svg",
    *(f"icons/hicolor/{n}x{n}/apps/{APP_ID}.png" for n in ICON_SIZES),
}

needs_desktop_file_validate = pytest.mark.skipif(
    shutil.which("desktop-file-validate") is None, reason="desktop-file-validate is not installed"
)
needs_appstreamcli = pytest.mark.skipif(
    shutil.which("appstreamcli") is None, reason="appstreamcli is not installed"
)


def validate_desktop_entry(path: Path) -> None:
    """Fail on any error or warning from desktop-file-validate (hints are fine)."""
    result = subprocess.run(
        ["desktop-file-validate", str(path)], capture_output=True, text=True, check=False
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert ": error:" not in output, output
    assert ": warning:" not in output, output


def validate_metainfo(path: Path) -> None:
    """Fail on any error or warning from appstreamcli (infos and pedantic notes are fine)."""
    result = subprocess.run(
        ["appstreamcli", "validate", "--no-net", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert not [line for line in output.splitlines() if line.startswith(("E:", "W:"))], output


def entry_values(path: Path) -> dict[str, str]:
    """The keys of the [Desktop Entry] group, as written."""
    values = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        key, sep, value = line.partition("=")
        if sep:
            values[key] = value
    return values


def unquote_exec(value: str) -> list[str]:
    """The argument vector of an Exec value, undoing the escapes the desktop entry spec defines."""
    value = value.replace("\\\\", "\\")  # the general escape rule for strings comes first
    arguments, current, quoted, index = [], "", False, 0
    while index < len(value):
        char = value[index]
        if quoted and char == "\\":
            index += 1
            current += value[index]
        elif char == '"':
            quoted = not quoted
        elif char == " " and not quoted:
            arguments.append(current)
            current = ""
        else:
            current += char
        index += 1
    arguments.append(current)
    return [argument.replace("%%", "%") for argument in arguments]


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", path
    return struct.unpack(">II", header[16:24])


@pytest.fixture
def data_home(tmp_path: Path) -> Path:
    return tmp_path / "share"


@pytest.fixture
def executable(tmp_path: Path) -> Path:
    return tmp_path / "My Programs" / "bin" / "readerapp-gui"


# --- as shipped ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", [DESKTOP_ENTRY, METAINFO])
def test_shipped_copy_is_identical_to_packaging(name: str) -> None:
    shipped = resource_path("linux", name)
    assert shipped.read_bytes() == (PACKAGING / name).read_bytes(), (
        f"resources/linux/{name} differs from packaging/linux/{name}: "
        "copy the packaging one over it"
    )


@needs_desktop_file_validate
def test_packaging_desktop_entry_is_valid() -> None:
    validate_desktop_entry(PACKAGING / DESKTOP_ENTRY)


@needs_appstreamcli
def test_packaging_metainfo_is_valid() -> None:
    validate_metainfo(PACKAGING / METAINFO)


def test_one_id_names_entry_metainfo_and_icon() -> None:
    values = entry_values(PACKAGING / DESKTOP_ENTRY)
    assert values["Icon"] == APP_ID
    assert values["StartupWMClass"] == APP_ID
    assert values["Exec"] == "readerapp-gui %F"
    component = ET.parse(PACKAGING / METAINFO).getroot()
    assert component.get("type") == "desktop-application"
    assert component.findtext("id") == APP_ID
    assert component.findtext("launchable") == DESKTOP_ENTRY
    assert [b.text for b in component.iter("binary")] == ["readerapp-gui", "readerapp"]


@pytest.mark.parametrize("size", ICON_SIZES)
def test_icon_is_rendered_at_its_size(size: int) -> None:
    png = resource_path("icons", "hicolor", f"{size}x{size}", "apps", f"{APP_ID}.png")
    assert png_size(png) == (size, size)


def test_icon_source_and_platform_icons_exist() -> None:
    icons = resource_path("icons")
    assert ET.parse(icons / f"{APP_ID}.svg").getroot().tag == "{http://www.w3.org/2000/svg}svg"
    assert (icons / "readerapp.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"
    assert (icons / "readerapp.icns").read_bytes()[:4] == b"icns"


# --- install ------------------------------------------------------------------------------


def test_install_writes_entry_icons_and_metainfo(executable: Path, data_home: Path) -> None:
    written = install_desktop(executable, data_home)

    assert {path.relative_to(data_home).as_posix() for path in written} == INSTALLED
    assert all(path.is_file() for path in written)
    svg = data_home / f"icons/hicolor/scalable/apps/{APP_ID}.svg"
    assert svg.read_bytes() == resource_path("icons", f"{APP_ID}.svg").read_bytes()
    recorded = json.loads((data_home / MANIFEST).read_text(encoding="utf-8"))
    assert set(recorded["files"]) == INSTALLED


def test_installed_entry_runs_the_executable_by_absolute_path(
    executable: Path, data_home: Path
) -> None:
    install_desktop(executable, data_home)

    values = entry_values(data_home / "applications" / DESKTOP_ENTRY)
    assert values["Exec"] == f'"{executable}" %F'  # quoted: the path holds a space
    assert unquote_exec(values["Exec"]) == [str(executable), "%F"]
    assert values["TryExec"] == str(executable)
    assert values["Icon"] == APP_ID


def test_relative_executable_is_made_absolute(
    tmp_path: Path, data_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    install_desktop(Path("bin/readerapp-gui"), data_home)

    values = entry_values(data_home / "applications" / DESKTOP_ENTRY)
    assert values["Exec"] == f"{tmp_path}/bin/readerapp-gui %F"


@pytest.mark.parametrize(
    "argument",
    ["/usr/bin/readerapp-gui", "/opt/My Apps/readerapp-gui", '/tmp/a"b $c`d\\e %f (g)/x'],
)
def test_exec_argument_round_trips(argument: str) -> None:
    assert unquote_exec(exec_argument(argument)) == [argument]


@needs_desktop_file_validate
@pytest.mark.parametrize("folder", ["bin", "My Programs", 'odd "$name`\\ 100% (x)'])
def test_installed_entry_is_valid(tmp_path: Path, data_home: Path, folder: str) -> None:
    install_desktop(tmp_path / folder / "readerapp-gui", data_home)
    validate_desktop_entry(data_home / "applications" / DESKTOP_ENTRY)


@needs_appstreamcli
def test_installed_metainfo_is_valid(executable: Path, data_home: Path) -> None:
    install_desktop(executable, data_home)
    validate_metainfo(data_home / "metainfo" / METAINFO)


def test_control_characters_in_the_path_are_refused(tmp_path: Path, data_home: Path) -> None:
    with pytest.raises(ReaderappError, match="control characters"):
        install_desktop(tmp_path / "line\nbreak" / "readerapp-gui", data_home)
    assert not data_home.exists()


def test_missing_shipped_file_is_reported(
    tmp_path: Path, data_home: Path, executable: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "empty-resources"
    monkeypatch.setattr(desktop, "resource_path", lambda *parts: empty.joinpath(*parts))

    with pytest.raises(ReaderappError, match="incomplete"):
        install_desktop(executable, data_home)
    assert not data_home.exists()


def test_failed_install_leaves_nothing_behind(executable: Path, data_home: Path) -> None:
    data_home.mkdir()
    (data_home / "icons").write_text("a file where a folder should be\n")

    with pytest.raises(ReaderappError, match="Could not install"):
        install_desktop(executable, data_home)

    left = sorted(path.relative_to(data_home).as_posix() for path in data_home.rglob("*"))
    assert left == ["icons"]


def test_reinstall_points_at_the_new_executable(tmp_path: Path, data_home: Path) -> None:
    install_desktop(tmp_path / "old" / "readerapp-gui", data_home)
    install_desktop(tmp_path / "new" / "readerapp-gui", data_home)

    values = entry_values(data_home / "applications" / DESKTOP_ENTRY)
    assert values["TryExec"] == str(tmp_path / "new" / "readerapp-gui")
    removed = uninstall_desktop(data_home)
    assert {path.relative_to(data_home).as_posix() for path in removed} == INSTALLED


# --- uninstall ----------------------------------------------------------------------------


def test_uninstall_removes_exactly_what_install_wrote(executable: Path, data_home: Path) -> None:
    user_entry = data_home / "applications" / "org.example.Editor.desktop"
    user_entry.parent.mkdir(parents=True)
    user_entry.write_text("[Desktop Entry]\nType=Application\nName=Editor\nExec=editor\n")
    written = install_desktop(executable, data_home)
    user_icon = data_home / "icons" / "hicolor" / "48x48" / "apps" / "org.example.Editor.png"
    user_icon.write_bytes(b"not really a PNG")

    removed = uninstall_desktop(data_home)

    assert sorted(removed) == sorted(written)
    assert not any(path.exists() for path in written)
    assert not (data_home / MANIFEST).exists()
    assert user_entry.read_text().startswith("[Desktop Entry]")
    assert user_icon.read_bytes() == b"not really a PNG"
    assert not (data_home / "icons" / "hicolor" / "16x16").exists()  # created by install
    assert not (data_home / "metainfo").exists()


def test_uninstall_without_install_removes_nothing(data_home: Path) -> None:
    assert uninstall_desktop(data_home) == []


def test_uninstall_keeps_a_file_changed_after_install(executable: Path, data_home: Path) -> None:
    install_desktop(executable, data_home)
    entry = data_home / "applications" / DESKTOP_ENTRY
    entry.write_text(entry.read_text() + "NoDisplay=true\n")

    removed = uninstall_desktop(data_home)

    assert entry.exists()
    assert entry not in removed
    assert len(removed) == len(INSTALLED) - 1


@pytest.mark.parametrize(
    "manifest",
    [
        "not json",
        '{"version": 1, "files": {"../outside.txt": "0"}, "directories": []}',
        '{"version": 1, "files": {"/etc/passwd": "0"}, "directories": []}',
        '{"version": 99, "files": {}, "directories": []}',
        '{"files": {}}',
    ],
)
def test_unusable_manifest_is_reported_and_nothing_removed(
    tmp_path: Path, data_home: Path, manifest: str
) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("keep me\n")
    (data_home / MANIFEST).parent.mkdir(parents=True)
    (data_home / MANIFEST).write_text(manifest)

    with pytest.raises(ReaderappError, match="by hand"):
        uninstall_desktop(data_home)
    assert outside.read_text() == "keep me\n"


# --- the desktop's caches -----------------------------------------------------------------


def fake_tool(folder: Path, name: str, log: Path) -> None:
    """A stand-in for a cache tool that records its arguments and then fails."""
    script = folder / name
    script.write_text(f'#!/bin/sh\necho "{name} $*" >> "{log}"\nexit 1\n')
    script.chmod(script.stat().st_mode | stat.S_IXUSR)


def test_cache_tools_run_and_their_failures_are_ignored(
    tmp_path: Path, executable: Path, data_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bin_dir, log = tmp_path / "fake-bin", tmp_path / "tools.log"
    bin_dir.mkdir()
    fake_tool(bin_dir, "update-desktop-database", log)
    fake_tool(bin_dir, "gtk-update-icon-cache", log)
    monkeypatch.setenv("PATH", str(bin_dir))

    install_desktop(executable, data_home)
    assert log.read_text().splitlines() == [
        f"update-desktop-database -q {data_home / 'applications'}"
    ]  # no icon cache existed, so none is created

    (data_home / "applications" / "org.example.Editor.desktop").write_text("[Desktop Entry]\n")
    (data_home / "icons" / "hicolor" / "icon-theme.cache").write_bytes(b"")
    uninstall_desktop(data_home)
    assert log.read_text().splitlines()[1:] == [
        f"update-desktop-database -q {data_home / 'applications'}",
        f"gtk-update-icon-cache -q -t -f {data_home / 'icons' / 'hicolor'}",
    ]  # an icon cache exists now, so it is kept up to date


# --- where ------------------------------------------------------------------------------


def test_xdg_data_home_follows_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert xdg_data_home() == tmp_path / "data"

    default = tmp_path / ".local" / "share"
    for ignored in ("", "relative/data"):
        monkeypatch.setenv("XDG_DATA_HOME", ignored)
        assert xdg_data_home() == default
    monkeypatch.delenv("XDG_DATA_HOME")
    assert xdg_data_home() == default


def test_install_defaults_to_xdg_data_home(
    tmp_path: Path, executable: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    install_desktop(executable)
    assert (tmp_path / "xdg" / "applications" / DESKTOP_ENTRY).is_file()
    assert len(uninstall_desktop()) == len(INSTALLED)
