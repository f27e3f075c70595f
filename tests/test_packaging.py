"""What ships: ui/ and resources/ go where the data locator looks, in the wheel and in the
PyInstaller bundle (STYLE.md, section 3).

Building the bundle itself takes minutes, so it is a CI step of its own
(``packaging/build.py`` then ``packaging/check_bundle.py``). Here the spec is only executed
with PyInstaller's build classes replaced by recorders, once per platform, to check what it
would ask PyInstaller to make on Windows and macOS too.
"""

from __future__ import annotations

import ast
import importlib.metadata
import importlib.util
import plistlib
import subprocess
import sys
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "packaging" / "readerapp.spec"
DATA = "readerapp/_data"
APP_ID = "io.github.readerapp.ReaderApp"


@pytest.fixture(scope="module")
def wheel_members(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """The names inside a wheel built from this checkout."""
    out = tmp_path_factory.mktemp("wheel")
    # Without network or time to spare, use the hatchling already here when there is one.
    isolation = ["--no-isolation"] if importlib.util.find_spec("hatchling") else []
    command = [sys.executable, "-m", "build", "--wheel", *isolation, "--outdir", str(out)]
    done = subprocess.run(
        [*command, str(ROOT)], capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    (wheel,) = out.glob("readerapp-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def checkout_files(folder: str) -> list[str]:
    return sorted(
        path.relative_to(ROOT / folder).as_posix()
        for path in (ROOT / folder).rglob("*")
        if path.is_file()
    )


def test_wheel_ships_resources_inside_the_package(wheel_members: set[str]) -> None:
    resources = f"{DATA}/resources"
    for name in (
        f"icons/{APP_ID}.svg",
        "icons/hicolor/256x256/apps/io.github.readerapp.ReaderApp.png",
        "sample/welcome-digest.txt",
        "styles/app.qss",
        f"linux/{APP_ID}.desktop",
        f"linux/{APP_ID}.metainfo.xml",
    ):
        assert f"{resources}/{name}" in wheel_members
    missing = [n for n in checkout_files("resources") if f"{resources}/{n}" not in wheel_members]
    assert missing == []
    assert "readerapp/core/paths.py" in wheel_members  # the locator, beside _data/


def test_wheel_ships_every_form(wheel_members: set[str]) -> None:
    forms = [name for name in checkout_files("ui") if name.endswith(".ui")]
    if not forms:
        pytest.skip("ui/ holds no .ui form yet (the GUI is being written): nothing to ship")
    assert [f for f in forms if f"{DATA}/ui/{f}" not in wheel_members] == []


def test_spec_names_both_data_folders() -> None:
    text = SPEC.read_text("utf-8")
    assert f'"{DATA}/ui"' in text and f'"{DATA}/resources"' in text


class Recorder:
    """Stands in for one of PyInstaller's build classes and keeps what it was given."""

    made: list[Recorder]

    def __init__(self, kind: str, *args: object, **options: object) -> None:
        self.kind, self.args, self.options = kind, args, options
        self.pure = self.scripts = self.binaries = self.datas = []
        Recorder.made.append(self)

    @classmethod
    def factory(cls, kind: str):
        return lambda *args, **options: cls(kind, *args, **options)


def run_spec(platform: str, workpath: Path, monkeypatch: pytest.MonkeyPatch) -> SimpleNamespace:
    """Execute the spec as PyInstaller would on ``platform``; what it made, by kind."""
    hooks = pytest.importorskip(
        "PyInstaller.utils.hooks", reason="PyInstaller is not installed (packaging/build.py)"
    )
    Recorder.made = []
    namespace = {
        "SPECPATH": str(SPEC.parent),
        "workpath": str(workpath),
        "DISTPATH": str(workpath / "dist"),
        **{kind: Recorder.factory(kind) for kind in ("Analysis", "PYZ", "EXE", "COLLECT")},
        "BUNDLE": Recorder.factory("BUNDLE"),
    }
    with monkeypatch.context() as patch:
        # The real one imports every module in a child interpreter: slow, and not the point.
        patch.setattr(hooks, "collect_submodules", lambda package: [f"{package}.cli"])
        patch.setattr(sys, "platform", platform)
        exec(compile(SPEC.read_bytes(), str(SPEC), "exec"), namespace)
    made: dict[str, list[Recorder]] = {}
    for recorder in Recorder.made:
        made.setdefault(recorder.kind, []).append(recorder)
    return SimpleNamespace(**{kind.lower(): found for kind, found in made.items()}, ns=namespace)


@pytest.mark.parametrize("platform", ["linux", "win32", "darwin"])
def test_spec_bundles_data_where_the_locator_looks(
    platform: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = run_spec(platform, tmp_path, monkeypatch)
    (analysis,) = made.analysis
    datas = analysis.options["datas"]
    assert (str(ROOT / "ui"), f"{DATA}/ui") in datas
    assert (str(ROOT / "resources"), f"{DATA}/resources") in datas
    assert any(dest.endswith(".dist-info") and "readerapp" in dest for _src, dest in datas)
    assert {"tkinter", "unittest"} <= set(analysis.options["excludes"])
    (launcher,) = analysis.args[0]
    assert "from readerapp.__main__ import main" in Path(launcher).read_text("utf-8")
    (collect,) = made.collect
    assert collect.options["name"] == "readerapp"
    assert all(exe in collect.args for exe in made.exe)


def test_spec_linux_is_one_console_executable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = run_spec("linux", tmp_path, monkeypatch)
    assert [(e.options["name"], e.options["console"]) for e in made.exe] == [("readerapp", True)]
    assert not hasattr(made, "bundle")


def test_spec_windows_has_console_and_windowed_executables_with_icon_and_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = run_spec("win32", tmp_path, monkeypatch)
    names = [(e.options["name"], e.options["console"]) for e in made.exe]
    assert names == [("readerapp", True), ("readerapp-gui", False)]
    version = importlib.metadata.version("readerapp")
    for exe in made.exe:
        assert Path(exe.options["icon"]) == ROOT / "resources" / "icons" / "readerapp.ico"
        assert Path(exe.options["icon"]).is_file()
        text = Path(exe.options["version"]).read_text("utf-8")
        ast.parse(text, mode="eval")  # PyInstaller evaluates it as one expression
        numbers = made.ns["windows_version_numbers"](version)
        assert f"filevers={numbers}" in text and f"prodvers={numbers}" in text
        assert f"StringStruct('ProductVersion', {version!r})" in text


def test_windows_version_numbers() -> None:
    numbers = {"0.1.0": (0, 1, 0, 0), "1.2.3.4.5": (1, 2, 3, 4), "2.0.dev3+g1a": (2, 0, 0, 0)}
    namespace = run_spec_functions()
    for version, expected in numbers.items():
        assert namespace["windows_version_numbers"](version) == expected


def run_spec_functions() -> dict[str, object]:
    """The spec's helper functions, without running its build."""
    tree = ast.parse(SPEC.read_text("utf-8"))
    tree.body = [node for node in tree.body if isinstance(node, ast.FunctionDef | ast.Import)]
    namespace: dict[str, object] = {}
    exec(compile(tree, str(SPEC), "exec"), namespace)
    return namespace


def test_spec_macos_app_bundle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    made = run_spec("darwin", tmp_path, monkeypatch)
    (exe,) = made.exe
    assert exe.options["console"] is False  # True would make it LSBackgroundOnly
    (bundle,) = made.bundle
    options = bundle.options
    assert bundle.args == tuple(made.collect)
    assert options["name"] == "readerapp.app"
    assert options["bundle_identifier"] == APP_ID
    assert Path(options["icon"]) == ROOT / "resources" / "icons" / "readerapp.icns"
    assert Path(options["icon"]).is_file()
    version = importlib.metadata.version("readerapp")
    assert options["version"] == version
    plist = options["info_plist"]
    plistlib.dumps(plist)  # only types a property list can hold
    assert plist["CFBundleShortVersionString"] == plist["CFBundleVersion"] == version
    assert plist["NSHighResolutionCapable"] is True
    (document,) = plist["CFBundleDocumentTypes"]
    assert document["CFBundleTypeRole"] == "Viewer"
    assert document["LSHandlerRank"] == "Alternate"
    assert document["LSItemContentTypes"] == ["public.plain-text"]
    assert document["CFBundleTypeExtensions"] == ["txt"]
