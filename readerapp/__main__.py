"""Entry point: a command-line verb runs in the terminal; anything else opens the window."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    if getattr(sys, "frozen", False):  # a bundle started as a multiprocessing worker: be one
        import multiprocessing

        multiprocessing.freeze_support()
    args = list(sys.argv[1:] if argv is None else argv)
    from readerapp import cli

    if cli.wants_cli(args):
        return cli.run(args)
    from readerapp.gui.display import NO_DISPLAY, display_missing

    if display_missing():  # before Qt, which would abort the process
        print(f"readerapp: {NO_DISPLAY}", file=sys.stderr)
        return 1
    from readerapp.gui.app import run_gui  # Qt is loaded only for the window

    return run_gui(args)


if __name__ == "__main__":
    sys.exit(main())
