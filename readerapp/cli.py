"""The command line: a thin face on the core. Never imports Qt."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

import readerapp
from readerapp.core import annotations, doctor, index_job
from readerapp.core.collection import (
    SORTS,
    Collection,
    SearchResult,
    highlight_spans,
    restore_library,
)
from readerapp.core.errors import BackupError, DataDirError, QueryError, ReaderappError
from readerapp.core.export import ExportOptions, write_markdown
from readerapp.core.models import Paper, ReadState
from readerapp.core.paths import data_dir
from readerapp.core.vault import write_vault
from readerapp.logs import setup_logging

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2
Progress = Callable[[int, int], None]
log = logging.getLogger(__name__)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, no usage dump
        self.exit(EXIT_USAGE, f"readerapp: {message} (see 'readerapp --help')\n")


class _ShowVersion(argparse.Action):
    """``--version``: the installed version is looked up only when asked for (see
    `readerapp.__getattr__`)."""

    def __call__(self, parser: argparse.ArgumentParser, *_args: object) -> None:
        print(f"readerapp {readerapp.__version__}")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="readerapp",
        description="A reading list for the daily digests of trending research papers. "
        "With no command, or with digest files, the window opens.",
    )
    parser.add_argument("--version", action=_ShowVersion, nargs=0, default=argparse.SUPPRESS,
                        help="show program's version number and exit")  # fmt: skip
    parser.add_argument("--data-dir", metavar="DIR", help="use this data directory")
    verbs = parser.add_subparsers(dest="verb", metavar="COMMAND", parser_class=_Parser)
    _add_verbs(verbs)
    return parser


def _add_verbs(verbs: argparse._SubParsersAction) -> None:
    p = verbs.add_parser("import", help="import digest files or folders")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    p = verbs.add_parser("search", help="search the library")
    p.add_argument("query", nargs="?", default="")
    p.add_argument("--limit", type=int, default=20, help="at most N results (0: all)")
    p.add_argument("--sort", choices=SORTS, default="relevance")
    p.add_argument("--json", action="store_true")
    p = verbs.add_parser("show", help="show one paper")
    p.add_argument("id")
    p.add_argument("--json", action="store_true")
    for verb, text in (("star", "star papers"), ("unstar", "remove stars")):
        verbs.add_parser(verb, help=text).add_argument("ids", nargs="+", metavar="ID")
    for verb, text in (("tag", "add tags to a paper"), ("untag", "remove tags from a paper")):
        p = verbs.add_parser(verb, help=text)
        p.add_argument("id")
        p.add_argument("tags", nargs="+", metavar="TAG")
    p = verbs.add_parser("note", help="show or set a paper's Markdown note")
    p.add_argument("id")
    p.add_argument("text", nargs="?", help="the note; '-' reads standard input")
    p = verbs.add_parser("mark", help="set the read state")
    p.add_argument("ids", nargs="+", metavar="ID")
    p.add_argument("--as", dest="state", required=True, choices=[s.value for s in ReadState])
    p = verbs.add_parser("export", help="export a query's results to Markdown")
    p.add_argument("query", nargs="?", default="")
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("-o", "--output", type=Path, metavar="FILE.md")
    where.add_argument("--vault", type=Path, metavar="DIR",
                       help="write Markdown notes into a notes app's folder")  # fmt: skip
    p.add_argument("--one-file-per-paper", action="store_true",
                   help="with --vault: a note per paper, which the list links to")  # fmt: skip
    p.add_argument("--group-by-tag", action="store_true")
    p.add_argument("--no-abstract", action="store_true")
    p.add_argument("--title", default="Reading list")
    verbs.add_parser("reindex", help="rebuild the search index from the library")
    # Hidden (no help): the child process that does big index work for the window and verbs.
    job = verbs.add_parser(index_job.VERB)
    job.add_argument("--rebuild", action="store_true")
    job.add_argument(index_job.DURING_IMPORT, type=int, metavar="BATCH")
    verbs.add_parser("stats", help="count papers, digests and tags").add_argument(
        "--json", action="store_true"
    )
    verbs.add_parser("install-desktop", help="add readerapp to the desktop's application menu")
    verbs.add_parser("uninstall-desktop", help="remove what install-desktop added")
    _add_safety_verbs(verbs)


def _add_safety_verbs(verbs: argparse._SubParsersAction) -> None:
    p = verbs.add_parser("backup", help="back up the library (to FILE, or as today's backup)")
    p.add_argument("file", nargs="?", type=Path, metavar="FILE")
    p = verbs.add_parser("restore", help="replace the library with a backup")
    p.add_argument("file", type=Path, metavar="FILE")
    verbs.add_parser("doctor", help="check the library, the search index and the data folder")
    p = verbs.add_parser("annotations", help="move stars, tags, notes and read states")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True,
                               parser_class=_Parser)  # fmt: skip
    actions.add_parser("export", help="write every annotation to a JSON file").add_argument(
        "file", type=Path, metavar="FILE.json"
    )
    actions.add_parser("import", help="merge a JSON file, the newest change winning").add_argument(
        "file", type=Path, metavar="FILE.json"
    )


VERBS = {
    "import", "search", "show", "star", "unstar", "tag", "untag", "note", "mark", "export",
    "reindex", "stats", "install-desktop", "uninstall-desktop",
    "backup", "restore", "doctor", "annotations", index_job.VERB,
}  # fmt: skip
# Verbs that work on the data folder themselves, even when the library cannot be opened.
_WITHOUT_COLLECTION = {"install-desktop", "uninstall-desktop", "restore", "doctor", index_job.VERB}


def wants_cli(argv: Sequence[str]) -> bool:
    """True unless ``argv`` is empty or names files to open in the window.

    A first word that is neither a command nor an existing file goes to the command line,
    which says it is not a command.
    """
    args = list(argv)
    while args:
        head = args.pop(0)
        if head in ("-h", "--help", "--version"):
            return True
        if head == "--data-dir":
            args = args[1:]
        elif not head.startswith("--data-dir="):
            return head in VERBS or not Path(head).exists()
    return False


def run(argv: Sequence[str], out: TextIO | None = None) -> int:
    """Run one command. Errors are one line on stderr; the exit status says how it went."""
    out = out or sys.stdout
    args = build_parser().parse_args(list(argv))
    setup_logging()
    if args.verb in _WITHOUT_COLLECTION:
        return _guard(lambda: OWN_HANDLERS[args.verb](args, out))
    return _guard(lambda: _with_collection(args, out))


def _guard(action: Callable[[], int]) -> int:
    try:
        return action()
    except QueryError as exc:  # the query names a filter that cannot mean anything
        print(f"readerapp: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ReaderappError as exc:
        print(f"readerapp: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except OSError as exc:  # one our code did not expect: still one line for the user
        log.exception("unexpected system error")
        where = f" ({exc.filename})" if exc.filename else ""
        print(f"readerapp: {exc.strerror or exc}{where}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("readerapp: interrupted", file=sys.stderr)
        return 130


def _with_collection(args: argparse.Namespace, out: TextIO) -> int:
    collection = Collection(data_dir(args.data_dir))
    try:
        if args.verb != "backup":
            _daily_backup(collection)
        return HANDLERS[args.verb](args, collection, out)
    finally:
        collection.close()


def _daily_backup(collection: Collection) -> None:
    """The first command of the day backs the library up; a damaged library stops it here."""
    try:
        collection.daily_backup()
    except (BackupError, DataDirError) as exc:  # no backup today is no reason to stop
        print(f"readerapp: warning: no backup today: {exc}", file=sys.stderr)


def _ensure_index(
    collection: Collection,
    progress: Progress | None = None,
    beside: index_job.IndexBeside | None = None,
) -> None:
    """Bring the index up to date, or wait for the job ``beside`` an import to; say so when an
    index that was there had to be rebuilt.

    Big work runs in a child process (see `index_job`), with its workers on every core.
    """
    first_build = not collection.index.path.exists()
    reason = index_job.ensure_index(collection, progress, beside=beside)
    if reason and not first_build:
        print(f"readerapp: {reason}; rebuilt it from the library", file=sys.stderr)


# --- verbs -----------------------------------------------------------------------------------


def _import(args, collection: Collection, out: TextIO) -> int:
    progress = _progress_bar("importing", "files")
    summary, beside = index_job.import_with_index(collection, args.paths, progress)
    for error in summary.refused:
        print(f"readerapp: refused {error}", file=sys.stderr)
    for warning in summary.warnings:
        print(f"readerapp: warning: {warning}", file=sys.stderr)
    repeated = sum(r.already_imported for r in summary.results)
    line = f"{summary.added} papers added, {summary.seen_again} seen again"
    line += f" from {len(summary.results)} digests"
    if repeated:
        line += f" ({repeated} already imported)"
    if summary.refused:
        line += f"; {len(summary.refused)} files refused"
    print(line, file=out)
    _ensure_index(collection, _progress_bar("indexing", "papers"), beside)
    return EXIT_ERROR if summary.refused else EXIT_OK


def _searched(collection: Collection, query: str, sort: str) -> SearchResult:
    """``query``'s results; how a broken query was read instead is said on stderr."""
    _ensure_index(collection)
    result = collection.search(query, sort)
    for note in result.query.notes:
        print(f"readerapp: note: {note}", file=sys.stderr)
    return result


def _search(args, collection: Collection, out: TextIO) -> int:
    result = _searched(collection, args.query, args.sort)
    ids = result.ids[: args.limit] if args.limit > 0 else result.ids
    papers = collection.library.papers(ids)
    if args.json:
        rows = [_paper_json(p, result) for p in papers]
        json.dump({"total": len(result.ids), "suggestion": result.suggestion, "results": rows},
                  out, indent=2, ensure_ascii=False)  # fmt: skip
        out.write("\n")
        return EXIT_OK
    bold = _Emphasis(out)
    for paper in papers:
        flags = ("*" if paper.starred else " ") + ("c" if paper.has_code else " ")
        day = paper.first_seen.isoformat() if paper.first_seen else "          "
        print(f"{paper.id}  {day} {flags} {bold.marked(paper.title, result.terms)}", file=out)
    print(f"{len(papers)} of {len(result.ids)} papers" if papers else "no papers found", file=out)
    if result.suggestion:
        print(f"did you mean: {result.suggestion}", file=out)
    for problem in result.query.problems:  # an unknown saved search, or one that uses itself
        print(problem, file=out)
    return EXIT_OK


def _show(args, collection: Collection, out: TextIO) -> int:
    paper = collection.library.get(collection.library.resolve_id(args.id))
    if args.json:
        json.dump(_paper_json(paper), out, indent=2, ensure_ascii=False)
        out.write("\n")
        return EXIT_OK
    seen = ", ".join(s.date.isoformat() if s.date else "?" for s in paper.sightings)
    lines = [
        paper.title,
        f"id {paper.id} · seen in {len(paper.sightings)} digests ({seen}) · {paper.read_state}"
        + (" · starred" if paper.starred else ""),
    ]
    if paper.tags:
        lines.append("tags: " + ", ".join(paper.tags))
    lines += [f"link: {link}" for link in paper.ordered_links]
    lines += ["", paper.abstract or "(no abstract)"]
    if paper.note:
        lines += ["", "note:", paper.note]
    print("\n".join(lines), file=out)
    return EXIT_OK


def _ids(collection: Collection, given: Sequence[str]) -> list[str]:
    return [collection.library.resolve_id(text) for text in given]


def _star(args, collection: Collection, out: TextIO) -> int:
    ids = _ids(collection, args.ids)
    collection.library.set_starred(ids, args.verb == "star")
    print(f"{args.verb}red {len(ids)} papers", file=out)
    return EXIT_OK


def _tag(args, collection: Collection, out: TextIO) -> int:
    ids = _ids(collection, [args.id])
    change = collection.library.add_tags if args.verb == "tag" else collection.library.remove_tags
    change(ids, args.tags)
    tags = collection.library.get(ids[0]).tags
    print(f"{ids[0]} tags: {', '.join(tags) if tags else '(none)'}", file=out)
    return EXIT_OK


def _note(args, collection: Collection, out: TextIO) -> int:
    pid = collection.library.resolve_id(args.id)
    if args.text is None:
        print(collection.library.get(pid).note, file=out)
        return EXIT_OK
    text = sys.stdin.read() if args.text == "-" else args.text
    collection.set_note(pid, text)
    print(f"saved the note of {pid} ({len(text)} characters)", file=out)
    return EXIT_OK


def _mark(args, collection: Collection, out: TextIO) -> int:
    ids = _ids(collection, args.ids)
    collection.library.set_read_state(ids, ReadState(args.state))
    print(f"marked {len(ids)} papers {args.state}", file=out)
    return EXIT_OK


def _export(args, collection: Collection, out: TextIO) -> int:
    if args.one_file_per_paper and args.vault is None:
        print("readerapp: --one-file-per-paper goes with --vault (see 'readerapp --help')",
              file=sys.stderr)  # fmt: skip
        return EXIT_USAGE
    result = _searched(collection, args.query, "date")
    papers = collection.library.papers(result.ids)
    options = ExportOptions(
        title=args.title, include_abstract=not args.no_abstract, group_by_tag=args.group_by_tag
    )
    if args.vault is not None:
        per_paper = args.one_file_per_paper
        report = write_vault(args.vault, papers, options, one_file_per_paper=per_paper)
        files = "1 file" if report.written == 1 else f"{report.written} files"
        print(f"exported {len(papers)} papers to {report.list_file}: {files} written,"
              f" {report.unchanged} unchanged", file=out)  # fmt: skip
        return EXIT_OK
    path = write_markdown(args.output, papers, options)
    print(f"exported {len(papers)} papers to {path}", file=out)
    return EXIT_OK


def _reindex(args, collection: Collection, out: TextIO) -> int:
    index_job.rebuild_index(collection, _progress_bar("indexing", "papers"))
    print(f"rebuilt the search index: {collection.index.doc_count()} papers", file=out)
    return EXIT_OK


def _stats(args, collection: Collection, out: TextIO) -> int:
    stats = collection.library.stats()
    stats["data_dir"] = str(collection.data_dir)
    if args.json:
        json.dump(stats, out, indent=2)
        out.write("\n")
    else:
        for key, value in stats.items():
            print(f"{key.replace('_', ' ')}: {value}", file=out)
    return EXIT_OK


def _progress_bar(doing: str, things: str) -> Progress | None:
    """A one-line progress counter on a terminal's standard error; None when piped."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        end = "\n" if done == total else ""
        print(f"\r{doing} {done:,} of {total:,} {things}", end=end, file=sys.stderr, flush=True)

    return show


def _backup(args, collection: Collection, out: TextIO) -> int:
    path = collection.backup(args.file)
    print(f"backed up {collection.library.count()} papers to {path}", file=out)
    return EXIT_OK


def _restore(args: argparse.Namespace, out: TextIO) -> int:
    result = restore_library(data_dir(args.data_dir), args.file)
    print(f"restored {result.papers} papers from {args.file}", file=out)
    if result.saved_copy:
        print(f"the library as it was is saved in {result.saved_copy}", file=out)
    if result.moved_aside:
        print(f"the damaged library was kept as {result.moved_aside}", file=out)
    return EXIT_OK


def _doctor(args: argparse.Namespace, out: TextIO) -> int:
    findings = doctor.examine(data_dir(args.data_dir))
    for finding in findings:
        print(f"{finding.status}: {finding.text}", file=out)
    return EXIT_ERROR if doctor.has_problems(findings) else EXIT_OK


def _annotations(args, collection: Collection, out: TextIO) -> int:
    if args.action == "export":
        count = annotations.export_annotations(collection.library, args.file)
        print(f"exported the annotations of {count} papers to {args.file}", file=out)
        return EXIT_OK
    report = annotations.import_annotations(collection.library, args.file)
    print(report.describe(), file=out)
    _ensure_index(collection)
    return EXIT_OK


def _index_job(args: argparse.Namespace, out: TextIO) -> int:
    return index_job.run_in_child(data_dir(args.data_dir), args.rebuild, out, args.during_import)


def _desktop(args: argparse.Namespace, out: TextIO) -> int:
    from readerapp.core import desktop

    if args.verb == "install-desktop":
        written = desktop.install_desktop(desktop.gui_executable())
        print(f"installed the desktop entry and icons ({len(written)} files)", file=out)
    else:
        removed = desktop.uninstall_desktop()
        print(f"removed {len(removed)} files", file=out)
    return EXIT_OK


HANDLERS: dict[str, Callable[[argparse.Namespace, Collection, TextIO], int]] = {
    "import": _import, "search": _search, "show": _show, "star": _star, "unstar": _star,
    "tag": _tag, "untag": _tag, "note": _note, "mark": _mark, "export": _export,
    "reindex": _reindex, "stats": _stats, "backup": _backup, "annotations": _annotations,
}  # fmt: skip
OWN_HANDLERS: dict[str, Callable[[argparse.Namespace, TextIO], int]] = {
    "install-desktop": _desktop, "uninstall-desktop": _desktop, "restore": _restore,
    "doctor": _doctor, index_job.VERB: _index_job,
}  # fmt: skip


def _paper_json(paper: Paper, result: SearchResult | None = None) -> dict[str, object]:
    data: dict[str, object] = {
        "id": paper.id,
        "title": paper.title,
        "abstract": paper.abstract,
        "links": paper.ordered_links,
        "has_code": paper.has_code,
        "first_seen": paper.first_seen.isoformat() if paper.first_seen else None,
        "seen_in": [
            {"date": s.date.isoformat() if s.date else None, "date_text": s.date_text}
            for s in paper.sightings
        ],
        "starred": paper.starred,
        "tags": paper.tags,
        "read_state": str(paper.read_state),
        "note": paper.note,
    }
    if result is not None:
        data["highlights"] = {
            "title": highlight_spans(paper.title, result.terms),
            "abstract": highlight_spans(paper.abstract, result.terms),
        }
    return data


class _Emphasis:
    """Marks matched words in bold on a terminal, and leaves piped output plain."""

    def __init__(self, out: TextIO) -> None:
        self.on = hasattr(out, "isatty") and out.isatty()

    def marked(self, text: str, terms: frozenset[str]) -> str:
        if not self.on:
            return text
        pieces, last = [], 0
        for start, end in highlight_spans(text, terms):
            pieces += [text[last:start], "\033[1m", text[start:end], "\033[0m"]
            last = end
        return "".join([*pieces, text[last:]])
