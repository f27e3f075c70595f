"""The core and the command line never load Qt (STYLE.md, rule 1)."""

from __future__ import annotations

import subprocess
import sys

CHECK = """
import importlib, pkgutil, sys
import readerapp.core as core
for info in pkgutil.walk_packages(core.__path__, "readerapp.core."):
    importlib.import_module(info.name)
import readerapp.cli
print(sorted(name for name in sys.modules if name.startswith("PySide6")))
"""


def test_core_and_cli_import_no_qt() -> None:
    done = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
