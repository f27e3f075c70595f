"""The shape of the code: the GUI's modules take the window's parts, not the window.

Only the application (`readerapp/gui/app.py`) builds the main window; a controller, a view or a
dialog that imported `main_window` (even for a type hint under TYPE_CHECKING) would reach
through the window again and close an import cycle around it.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GUI = ROOT / "readerapp" / "gui"
MAIN_WINDOW = "readerapp.gui.views.main_window"
ALLOWED = {"readerapp/gui/app.py", "readerapp/gui/views/main_window.py"}


def _module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path, root: Path = ROOT) -> set[str]:
    """Every module ``path`` (under ``root``) imports, wherever the import stands
    (TYPE_CHECKING, a function), relative imports made absolute; ``from a import b`` counts as
    ``a`` and ``a.b``."""
    package = _module_name(path, root)
    if path.name != "__init__.py":
        package = package.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def main_window_importers() -> list[str]:
    """The GUI modules, but the app and the window itself, that import the main window."""
    return sorted(
        str(path.relative_to(ROOT))
        for path in GUI.rglob("*.py")
        if str(path.relative_to(ROOT)) not in ALLOWED and MAIN_WINDOW in imported_modules(path)
    )


def test_imported_modules_sees_every_form_of_import(tmp_path: Path) -> None:
    views = tmp_path / "readerapp" / "gui" / "views"
    views.mkdir(parents=True)
    sample = views / "sample.py"
    sample.write_text(
        "from typing import TYPE_CHECKING\n"
        "import readerapp.gui.views.main_window\n"
        "from readerapp.gui.views import main_window\n"
        "from . import paper_table\n"
        "if TYPE_CHECKING:\n"
        "    from ..dialogs.about import AboutDialog\n"
    )
    found = imported_modules(sample, tmp_path)
    assert MAIN_WINDOW in found
    assert "readerapp.gui.views.paper_table" in found
    assert "readerapp.gui.dialogs.about.AboutDialog" in found


def test_no_gui_module_but_the_app_imports_the_main_window() -> None:
    assert main_window_importers() == []
