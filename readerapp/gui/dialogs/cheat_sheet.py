"""The cheat sheet: every action of the table, its keys and what it does."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QWidget

from readerapp.gui.actions import ACTIONS, MENUS, ActionSpec, key_labels
from readerapp.gui.forms import child, embed_form
from readerapp.gui.views.preview import SafeBrowser

SCOPE_NOTE = (
    "Single keys (s, t, n, r, o, m, x, j, k, 1–9, [, ], /, ?) work in the paper list and the "
    "preview, never while you type in the search box or an editor; F2, Del and c work on the "
    "tag or saved search chosen in the side panel. In For you, the list in For you's order, "
    "] and [ go from one digest's best paper to the next's."
)


def _row(spec: ActionSpec) -> str:
    keys = " ".join(f"<code>&nbsp;{escape(k)}&nbsp;</code>" for k in key_labels(spec)) or "—"
    return (
        f"<tr><td width='30%'>{keys}</td><td><b>{escape(spec.plain_text)}</b><br>"
        f"<span class='meta'>{escape(spec.help)}</span></td></tr>"
    )


def cheat_sheet_html() -> str:
    parts = ["<h1>Keyboard shortcuts</h1>", f"<p class='meta'>{escape(SCOPE_NOTE)}</p>"]
    for menu_id, title in MENUS:
        rows = "".join(_row(spec) for spec in ACTIONS if spec.menu == menu_id)
        parts.append(f"<h3>{escape(title.replace('&', ''))}</h3>")
        parts.append(f"<table cellspacing='0' cellpadding='4' width='100%'>{rows}</table>")
    return "".join(parts)


class CheatSheet(QDialog):
    """A window listing every shortcut, drawn from the table of actions."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cheatSheet")
        self.setWindowTitle("Keyboard shortcuts — readerapp")
        self.setAccessibleName("Keyboard shortcuts")
        form = embed_form("cheat_sheet.ui", self)
        self.text = child(form, SafeBrowser, "cheatSheetText")
        self.text.show_html(cheat_sheet_html())
        child(form, QDialogButtonBox, "cheatSheetButtons").rejected.connect(self.reject)
        self.resize(640, 640)
