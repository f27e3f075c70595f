"""The one table of actions. It drives the menus, the shortcuts and the cheat sheet.

Each entry is data: what the action is called, which keys start it, in which menu it sits and
which method of the window (a dotted path) it calls. Keys come in three kinds:

- ``keys``: shortcuts with a modifier (or a function key), live anywhere in the window;
- ``single_keys``: plain keys (``s``, ``/``), live only while the focus is in the widgets of
  their ``scope`` (the paper list, the preview, the side panel), so that they never fire while
  typing in the search box or an editor;
- ``native_keys``: keys a widget handles itself (Down in the list, Esc in the search box); they
  are never bound, only shown in the cheat sheet.

A ``numbered`` action's single keys (1 to 9) each call the handler with their number; from the
menu it is called with None.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from operator import attrgetter

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenuBar, QWidget

BROWSE = "browse"  # single keys live in the side panel, the paper list and the preview
READER = "reader"  # single keys live in the paper list and the preview
LIST = "list"  # single keys live in the paper list only
PANEL = "panel"  # single keys live in the side panel only


@dataclass(frozen=True)
class ActionSpec:
    id: str
    text: str
    menu: str
    handler: str
    help: str
    keys: tuple[str, ...] = ()
    single_keys: tuple[str, ...] = ()
    native_keys: tuple[str, ...] = ()
    scope: str = READER
    checkable: bool = False
    numbered: bool = False

    @property
    def plain_text(self) -> str:
        return self.text.replace("&", "").rstrip("…")


MENUS: tuple[tuple[str, str], ...] = (
    ("file", "&File"),
    ("edit", "&Edit"),
    ("go", "&Go"),
    ("paper", "&Paper"),
    ("tags", "&Tags"),
    ("view", "&View"),
    ("help", "&Help"),
)

ACTIONS: tuple[ActionSpec, ...] = (
    # --- File ---
    ActionSpec("import_files", "&Import digests…", "file", "imports.choose_files",
               "Import digest files into the library", keys=("Ctrl+O",)),
    ActionSpec("import_folder", "Import a &folder…", "file", "imports.choose_folder",
               "Import every digest in a folder and its subfolders", keys=("Ctrl+Shift+O",)),
    ActionSpec("paste_digest", "P&aste digest", "file", "imports.paste_digest",
               "Import the digest copied in the browser: select the Daily Papers page, copy it, "
               "and press Ctrl+V here (outside a text field); dropping the text does the same",
               keys=("Ctrl+V",)),
    ActionSpec("import_sample", "Import the &welcome digest", "file", "imports.import_sample",
               "Import the short digest that introduces readerapp"),
    ActionSpec("fetch_daily_papers", "Fetch &Daily Papers…", "file", "imports.choose_fetch_day",
               "Fetch a day's Daily Papers from Hugging Face (the only time readerapp goes on "
               "the internet) and import them, with their arXiv ids and authors"),
    ActionSpec("rebuild_index", "Re&build the search index", "file", "rebuild_index",
               "Build the search index afresh from the library, in the background; the list "
               "and its filters keep working meanwhile"),
    ActionSpec("export", "&Export…", "file", "open_export",
               "Export the results, the selection, the starred papers or a tag to Markdown",
               keys=("Ctrl+E",)),
    ActionSpec("preferences", "&Preferences…", "file", "folders.open_preferences",
               "Choose folders (Downloads, say) whose new digests are imported by themselves",
               keys=("Ctrl+,",)),
    ActionSpec("quit", "&Quit", "file", "close", "Quit readerapp", keys=("Ctrl+Q",)),
    # --- Edit ---
    ActionSpec("undo", "&Undo", "edit", "undo.undo",
               "Undo the last change to stars, read states, tags, notes or the tag vocabulary",
               keys=("Ctrl+Z",)),
    ActionSpec("redo", "&Redo", "edit", "undo.redo", "Make the change undone last again",
               keys=("Ctrl+Shift+Z",)),
    ActionSpec("copy_markdown", "&Copy as Markdown", "edit", "exporter.copy_markdown",
               "Copy the selected papers to the clipboard as a Markdown reading list",
               keys=("Ctrl+Shift+C",)),
    # F2 is bound once, by rename_tag, which hands a digest over to this action
    ActionSpec("set_digest_date", "Set digest &date…", "edit", "digest_dates.set_date",
               "In the side panel: date the digest chosen, as its date line would; its papers' "
               "first seen follows, and their stars, tags, notes and read states stay",
               native_keys=("F2",)),
    ActionSpec("command_palette", "Command &palette…", "edit", "command_palette.open",
               "Find any action, tag, digest or saved search by typing a few of its letters; "
               "Enter runs it", keys=("Ctrl+K",)),
    # --- Go ---
    ActionSpec("search", "&Search", "go", "searcher.focus",
               "Go to the search box", keys=("Ctrl+F",), single_keys=("/",), scope=BROWSE),
    ActionSpec("first_result", "&First result", "go", "searcher.go_to_first_result",
               "From the search box: Enter goes to the first result (or, when nothing was "
               "found, takes what the empty list offers: the 'did you mean' correction, or the "
               "papers found outside the filter); Down goes to the paper in the preview",
               native_keys=("Enter", "Down")),
    ActionSpec("clear_search", "&Clear the search", "go", "searcher.clear",
               "In the search box: clear the search", native_keys=("Esc",)),
    ActionSpec("next_paper", "&Next paper", "go", "go_next",
               "Select the next paper", single_keys=("J",), native_keys=("Down",)),
    ActionSpec("previous_paper", "&Previous paper", "go", "go_previous",
               "Select the previous paper", single_keys=("K",), native_keys=("Up",)),
    ActionSpec("open_preview", "&Read in the preview", "go", "focus_preview",
               "Move the focus to the preview to scroll it; Esc comes back to the list",
               single_keys=("Return", "Enter", "Space"), scope=LIST),
    ActionSpec("focus_filters", "Filt&ers", "go", "focus_filters",
               "Go to the side panel of filters and tags", keys=("Ctrl+1",)),
    ActionSpec("focus_list", "Paper &list", "go", "focus_list",
               "Go to the paper list", keys=("Ctrl+2",)),
    ActionSpec("next_digest", "Next digest to &triage", "go", "for_you.next_digest",
               "List the next digest down the side panel (an older one) with papers not yet "
               "triaged; a starred, tagged, noted or read paper is triaged. In For you: go to "
               "the best paper of the next digest (the first ] to the newest digest's)",
               single_keys=("]",), scope=BROWSE),
    ActionSpec("previous_digest", "Previous digest to tria&ge", "go", "for_you.previous_digest",
               "List the previous digest up the side panel (a newer one) with papers not yet "
               "triaged. In For you: go to the best paper of the previous (newer) digest",
               single_keys=("[",), scope=BROWSE),
    ActionSpec("new_papers", "New since last sess&ion", "go", "triage.show_new",
               "List the papers added since the previous session began (is:new)",
               keys=("Ctrl+Shift+N",)),
    ActionSpec("save_search", "Sa&ve the search…", "go", "saved_searches.save_current",
               "Save the words in the search box and the side panel's filter under a name; "
               "the saved search sits in the side panel, and search:\"name\" uses it",
               keys=("Ctrl+S",)),
    # --- Paper ---
    ActionSpec("star", "&Star", "paper", "commands.toggle_star",
               "Star or unstar the selected papers", single_keys=("S",)),
    ActionSpec("tags", "&Tags…", "paper", "commands.edit_tags",
               "Add or remove tags on the selected papers", single_keys=("T",)),
    ActionSpec("note", "&Note…", "paper", "commands.edit_note",
               "Write a Markdown note on the selected papers", single_keys=("N",)),
    ActionSpec("toggle_read", "Mark &read / unread", "paper", "commands.toggle_read",
               "Mark the selected papers read, or unread when they all are",
               single_keys=("R",)),
    ActionSpec("open_link", "&Open the code or arXiv page", "paper", "commands.open_first_link",
               "Open the paper's code in the web browser if it has any, else its arXiv page, "
               "else its first link", single_keys=("O",)),
    ActionSpec("open_pdf", "Open the &PDF", "paper", "commands.open_pdf",
               "Open the paper's PDF on arXiv in the web browser", single_keys=("Shift+O",)),
    ActionSpec("more_like_this", "&More like this", "paper", "related.more_like_this",
               "List the papers most like this one (the search like:ID), best first; the "
               "preview shows the first five, Tab and Enter there go to one",
               single_keys=("M",)),
    ActionSpec("not_for_me", "Not &for me", "paper", "for_you.not_for_me",
               "Mark the selected papers Not for me: For you learns from it and lists them "
               "no more (Ctrl+Z undoes it)", single_keys=("X",)),
    ActionSpec("star_or_skip", "Star or s&kip a few papers…", "paper", "for_you.star_or_skip",
               "Give For you its first examples quickly: ten varied unread papers, one at a "
               "time; s stars one, Space skips it, x marks it Not for me, Esc ends the round, "
               "and For you lists what it learnt (Ctrl+Z undoes the stars)"),
    # --- Tags ---
    ActionSpec("toggle_tag", "Toggle a tag by &number…", "tags", "tag_keys.toggle",
               "Keys 1 to 9 add or remove the nine most used tags (most used first, ties A to "
               "Z) on the selected papers; from the menu, choose one from a list",
               single_keys=tuple("123456789"), numbered=True),
    ActionSpec("rename_tag", "&Rename or merge tag…", "tags", "vocabulary.rename",
               "In the side panel: rename the tag; a name that is already a tag merges the two "
               "(on a digest, F2 sets its date)",
               single_keys=("F2",), scope=PANEL),
    ActionSpec("delete_tag", "&Delete tag or saved search…", "tags", "vocabulary.delete",
               "In the side panel: delete the tag from every paper, or the saved search",
               single_keys=("Del",), scope=PANEL),
    ActionSpec("tag_colour", "Tag &colour…", "tags", "vocabulary.choose_colour",
               "In the side panel: give the tag a colour, shown in the list and the preview",
               single_keys=("C",), scope=PANEL),
    ActionSpec("like_tag", "Papers &like this tag", "tags", "for_you.like_tag",
               "In the side panel: list the papers most like the tag's (like:tag:NAME), best "
               "first; For you learns the tag's papers"),
    # --- View ---
    ActionSpec("preview_below", "Preview &below the list", "view", "set_preview_below",
               "Show the preview below the list instead of beside it", checkable=True),
    ActionSpec("auto_reading", "&Mark papers reading after 3 seconds", "view",
               "commands.set_auto_reading",
               "A paper shown for three seconds becomes 'reading'", checkable=True),
    ActionSpec("sort_for_you", "Sort by &For you", "view", "for_you.set_sorted",
               "Order any list by For you: the papers most like those you starred, tagged "
               "and noted first", checkable=True),
    ActionSpec("trends", "T&rends…", "view", "trends.open",
               "Plot, per digest, how many papers match the search or a tag; Left and Right "
               "choose a digest, Enter lists its papers", keys=("Ctrl+Shift+T",)),
    # --- Help ---
    ActionSpec("cheat_sheet", "&Keyboard shortcuts", "help", "open_cheat_sheet",
               "Show every shortcut", keys=("F1",), single_keys=("?",), scope=BROWSE),
    ActionSpec("about", "&About readerapp", "help", "open_about", "Version and licence"),
)  # fmt: skip

SPECS = {spec.id: spec for spec in ACTIONS}


def bound_keys(spec: ActionSpec) -> list[str]:
    """Every key sequence ``spec`` binds, in Qt's portable spelling."""
    return [QKeySequence(key).toString() for key in (*spec.keys, *spec.single_keys)]


def key_labels(spec: ActionSpec) -> list[str]:
    """Every key of ``spec`` as the user reads it, bound or native."""
    bound = [QKeySequence(k).toString(QKeySequence.SequenceFormat.NativeText) for k in spec.keys]
    single = [k.lower() if k.isalpha() and len(k) == 1 else
              QKeySequence(k).toString(QKeySequence.SequenceFormat.NativeText)
              for k in spec.single_keys]  # fmt: skip
    if spec.numbered:
        single = [f"{single[0]}–{single[-1]}"]
    return [*bound, *single, *spec.native_keys]


def build_menus(menubar: QMenuBar, actions: dict[str, QAction]) -> None:
    """One menu per entry of MENUS, its actions in table order."""
    for menu_id, title in MENUS:
        menu = menubar.addMenu(title)
        menu.setObjectName(f"{menu_id}Menu")
        for spec in ACTIONS:
            if spec.menu == menu_id:
                menu.addAction(actions[spec.id])


def build_actions(
    owner: QWidget, scopes: dict[str, Iterable[QWidget]], checked: dict[str, bool]
) -> dict[str, QAction]:
    """A QAction per entry, connected to its handler on ``owner``, with its shortcuts live.

    ``scopes`` names the widgets where single keys work; ``checked`` the initial state of the
    checkable actions.
    """
    actions = {}
    for spec in ACTIONS:
        handler = attrgetter(spec.handler)(owner)
        action = _menu_action(owner, spec, scopes, checked)
        if spec.checkable:
            action.toggled.connect(handler)
        elif spec.numbered:
            action.triggered.connect(lambda _=False, h=handler: h(None))
            _numbered_actions(owner, spec, scopes, handler)
        else:
            action.triggered.connect(lambda _=False, h=handler: h())
        if spec.keys and spec.single_keys:
            _single_key_action(owner, spec, scopes).triggered.connect(
                lambda _=False, h=handler: h()
            )
        actions[spec.id] = action
    return actions


def _menu_action(
    owner: QWidget, spec: ActionSpec, scopes: dict[str, Iterable[QWidget]], checked: dict[str, bool]
) -> QAction:
    """The action in the menu: window-wide keys, or else its single keys in their scope."""
    if not spec.keys and spec.single_keys and not spec.numbered:
        action = _single_key_action(owner, spec, scopes)
    else:
        action = QAction(owner)
        action.setShortcuts([QKeySequence(k) for k in spec.keys])
        owner.addAction(action)
    action.setText(spec.text)
    action.setObjectName(f"action_{spec.id}")
    action.setStatusTip(spec.help)
    action.setToolTip(spec.help)
    if spec.checkable:
        action.setCheckable(True)
        action.setChecked(checked.get(spec.id, False))
    return action


def _numbered_actions(
    owner: QObject, spec: ActionSpec, scopes: dict[str, Iterable[QWidget]], handler
) -> None:
    """A scoped action per single key of ``spec``, each calling ``handler`` with its number."""
    for number, key in enumerate(spec.single_keys, start=1):
        numbered = replace(spec, id=f"{spec.id}_{number}", single_keys=(key,))
        action = _single_key_action(owner, numbered, scopes)
        action.setObjectName(f"action_{numbered.id}")
        action.triggered.connect(lambda _=False, n=number: handler(n))


def _single_key_action(
    owner: QObject, spec: ActionSpec, scopes: dict[str, Iterable[QWidget]]
) -> QAction:
    action = QAction(spec.plain_text, owner)
    action.setShortcuts([QKeySequence(k) for k in spec.single_keys])
    action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    for widget in scopes[spec.scope]:
        widget.addAction(action)
    return action
