"""Designer forms (``ui/*.ui``), loaded at run time with QUiLoader.

Why at run time rather than compiled with pyside6-uic: the ``.ui`` files that ship in the wheel
(through ``ui_path``) are then the only copy of each form, so there is no generated code that can
go stale, nothing to quarantine from ruff and coverage, and no build step between editing a form in
Designer and running it. The price is a few milliseconds per form and no static check that a
widget exists; :func:`child` makes a missing widget fail loudly, and the GUI tests open every form.

Every form's top level is a plain QWidget; our classes (the main window, the dialogs) build their
own chrome and compose the loaded form into it.
"""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QFile, QIODevice
from PySide6.QtUiTools import QUiLoader
from PySide6.QtWidgets import QVBoxLayout, QWidget

from readerapp.core.paths import ui_path
from readerapp.gui.views.preview import SafeBrowser

W = TypeVar("W", bound=QWidget)


class FormError(RuntimeError):
    """A form is missing from the installation or lacks a widget the code needs."""


def load_form(name: str, parent: QWidget) -> QWidget:
    """Load ``ui/<name>`` as a child of ``parent``."""
    path = ui_path(name)
    file = QFile(str(path))
    if not file.open(QIODevice.OpenModeFlag.ReadOnly):
        raise FormError(f"the form {path} cannot be read")
    loader = QUiLoader()
    loader.registerCustomWidget(SafeBrowser)
    try:
        form = loader.load(file, parent)
    finally:
        file.close()
    if form is None:
        raise FormError(f"the form {path} did not load: {loader.errorString()}")
    return form


DIALOG_MARGIN = 14


def embed_form(name: str, host: QWidget) -> QWidget:
    """Load ``ui/<name>`` and make it fill ``host`` (a dialog of ours), with the margins of a
    dialog around it."""
    form = load_form(name, host)
    layout = QVBoxLayout(host)
    layout.setContentsMargins(*(DIALOG_MARGIN,) * 4)
    layout.addWidget(form)
    if form.layout() is not None:
        form.layout().setContentsMargins(0, 0, 0, 0)
    return form


def child(form: QWidget, kind: type[W], name: str) -> W:
    """The widget ``name`` of ``form``, which must exist and be a ``kind``."""
    found = form.findChild(kind, name)
    if found is None:
        raise FormError(f"the form {form.objectName()} has no {kind.__name__} named {name}")
    return found
