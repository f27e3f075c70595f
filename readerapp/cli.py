"""The command line: a thin face on the core. Never imports Qt."""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TextIO

import readerapp
from readerapp.core import annotations, citations, daily_papers, doctor, index_job
from readerapp.core.collection import (
    SORTS,
    Collection,
    ImportSummary,
    SearchResult,
    highlight_spans,
    restore_library,
)
from readerapp.core.errors import BackupError, DataDirError, QueryError, ReaderappError
from readerapp.core.export import ExportOptions, write_markdown, write_text_atomically
from readerapp.core.import_report import problem_lines, report_lines
from readerapp.core.library import DigestInfo
from readerapp.core.models import Paper, ReadState
from readerapp.core.paths import data_dir, split_data_dir
from readerapp.core.plural import counted
from readerapp.core.progress import Progress
from readerapp.core.search import Highlight
from readerapp.core.vault import write_vault
from readerapp.logs import setup_logging

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2
log = logging.getLogger(__name__)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, no usage dump
        self.exit(EXIT_USAGE, f"readerapp: {message} (see 'readerapp --help')\n")

    def _check_value(self, action: argparse.Action, value: object) -> None:
        """An unknown command is refused with the list of the commands a user may give."""
        if isinstance(action, argparse._SubParsersAction) and value not in action.choices:
            shown = ", ".join(repr(verb) for verb in action.choices if verb not in HIDDEN_VERBS)
            raise argparse.ArgumentError(action, f"invalid choice: {value!r} (choose from {shown})")
        super()._check_value(action, value)


class _ShowVersion(argparse.Action):
    """``--version``: the installed version is looked up only when asked for (see
    `readerapp.__getattr__`)."""

    def __call__(self, parser: argparse.ArgumentParser, *_args: object) -> None:
        print(f"readerapp {readerapp.__version__}")
        parser.exit()


# Verbs for readerapp's own use, left out of the help and of the commands an error lists.
HIDDEN_VERBS = frozenset({index_job.VERB})

SEARCH_SYNTAX = """\
query syntax (the same as the window's search box):
  words                stemmed ("learning" finds "learn"); all must match
  "a phrase"           these words in this order
  AND OR NOT ( )       combine words and groups
  title:W abstract:W note:W
                       a word in one field
  diffus* difusion~    a prefix; a word spelt nearly so
  is:starred is:unread is:reading is:read is:new is:triaged is:untriaged
  tag:NAME tag:"two words" has:code has:note author:NAME
  date:2024-03 date:2024-03-13 date:2024-01..2024-03
  search:"name"        the words and filters of a saved search
  like:ID              the papers most like one, best first
An empty query lists the whole library, newest first."""


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="readerapp",
        description="A reading list for the daily digests of trending research papers. "
        "With no command, or with digest files, the window opens.",
    )
    parser.add_argument("--version", action=_ShowVersion, nargs=0, default=argparse.SUPPRESS,
                        help="show program's version number and exit")  # fmt: skip
    parser.add_argument("--data-dir", metavar="DIR",
                        help="use this data directory (default: $READERAPP_DATA_DIR, else the "
                        "platform's own)")  # fmt: skip
    verbs = parser.add_subparsers(dest="verb", metavar="COMMAND", parser_class=_Parser,
                                  help="what to do (each has its own --help)")  # fmt: skip
    _add_reading_verbs(verbs)
    _add_annotating_verbs(verbs)
    _add_export_verb(verbs)
    _add_upkeep_verbs(verbs)
    _add_safety_verbs(verbs)
    return parser


def _verb(
    verbs: argparse._SubParsersAction, name: str, text: str, **kwargs: object
) -> argparse.ArgumentParser:
    """The parser of the command ``name``; ``text`` says what it does, in the list of commands
    and atop its own help."""
    description = text[0].upper() + text[1:] + "."
    return verbs.add_parser(name, help=text, description=description, **kwargs)


def _json_option(parser: argparse.ArgumentParser, returns: str) -> None:
    parser.add_argument("--json", action="store_true", help=f"print JSON: {returns}")


def _add_reading_verbs(verbs: argparse._SubParsersAction) -> None:
    p = _verb(verbs, "import", "import digest files or folders")
    p.add_argument(
        "paths",
        nargs="+",
        type=Path,
        metavar="PATH",
        help="a digest file, a folder whose digest files are all imported, or - to read a digest"
        " from standard input",
    )
    p.add_argument(
        "--date",
        type=_day,
        metavar="YYYY-MM-DD",
        help="date the digest (one file, or -) this day; re-dates it if imported before",
    )
    p = _verb(verbs, "fetch", "fetch the Daily Papers of a day from Hugging Face and import them")
    when = p.add_mutually_exclusive_group()
    when.add_argument("--date", type=_day, metavar="YYYY-MM-DD", help="this day (default: today)")
    when.add_argument(
        "--since", type=_day, metavar="YYYY-MM-DD", help="every day from this one to today"
    )
    p.add_argument(
        "--timeout",
        type=float,
        default=daily_papers.TIMEOUT_S,
        metavar="SECONDS",
        help=f"wait this long for an answer (default: {daily_papers.TIMEOUT_S:g})",
    )
    _json_option(
        _verb(verbs, "digests", "list the imported digests with their dates"),
        "a list of each digest's id, date and how it got it, papers and source",
    )
    p = _verb(
        verbs,
        "search",
        "search the library",
        epilog=SEARCH_SYNTAX,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "query",
        nargs="?",
        default="",
        help="what to find (see the query syntax below); none lists every paper",
    )
    p.add_argument(
        "--limit", type=int, default=20, metavar="N", help="at most N results (default: 20; 0: all)"
    )
    p.add_argument(
        "--sort",
        choices=SORTS,
        default="relevance",
        help="the order of the results (default: relevance)",
    )
    _json_option(
        p,
        "{total, suggestion, results}: the number found, a spelling that finds more (or "
        "null), and the papers shown as 'show --json' gives them, with highlights",
    )
    p = _verb(verbs, "show", "show one paper")
    p.add_argument("id", metavar="ID", help="the paper's id, or its first 4 or more characters")
    _json_option(p, "the paper's fields (id, title, abstract, links, tags, note, read_state…)")


def _add_annotating_verbs(verbs: argparse._SubParsersAction) -> None:
    ids_help = "a paper's id, or its first 4 or more characters"
    for verb, text in (("star", "star papers"), ("unstar", "remove stars")):
        _verb(verbs, verb, text).add_argument("ids", nargs="+", metavar="ID", help=ids_help)
    for verb, text, what in (
        ("tag", "add tags to a paper", "a tag to add"),
        ("untag", "remove tags from a paper", "a tag to remove"),
    ):
        p = _verb(verbs, verb, text)
        p.add_argument("id", metavar="ID", help=ids_help)
        p.add_argument("tags", nargs="+", metavar="TAG", help=what)
    p = _verb(verbs, "note", "show or set a paper's Markdown note")
    p.add_argument("id", metavar="ID", help=ids_help)
    p.add_argument(
        "text",
        nargs="?",
        metavar="TEXT",
        help="the new note ('-' reads it from standard input, as UTF-8 text); "
        "without it, the note is shown",
    )
    p = _verb(verbs, "mark", "set the read state")
    p.add_argument("ids", nargs="+", metavar="ID", help=ids_help)
    p.add_argument(
        "--as",
        dest="state",
        required=True,
        choices=[s.value for s in ReadState],
        help="the new read state",
    )


def _add_export_verb(verbs: argparse._SubParsersAction) -> None:
    p = _verb(verbs, "export", "export a query's results to Markdown, BibTeX or CSL JSON")
    p.add_argument(
        "query",
        nargs="?",
        default="",
        help="which papers (see 'readerapp search --help'); none exports every paper",
    )
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        help="write one Markdown reading list (or the --format asked for) to this file",
    )
    where.add_argument(
        "--vault", type=Path, metavar="DIR", help="write Markdown notes into a notes app's folder"
    )
    p.add_argument(
        "--one-file-per-paper",
        action="store_true",
        help="with --vault: a note per paper, which the list links to",
    )
    p.add_argument(
        "--group-by-tag",
        action="store_true",
        help="list the papers under a heading per tag (a paper with two tags is under both)",
    )
    p.add_argument(
        "--format",
        choices=citations.FORMATS,
        default="markdown",
        help="with -o: a Markdown reading list (the default), or citations as BibTeX or CSL JSON",
    )
    p.add_argument("--no-abstract", action="store_true", help="leave the abstracts out")
    p.add_argument(
        "--title",
        default="Reading list",
        help="the list's title (default: Reading list); with --vault it also names the list's file",
    )
    p.add_argument(
        "--no-clobber", action="store_true", help="with -o: leave an existing FILE as it is"
    )


def _add_upkeep_verbs(verbs: argparse._SubParsersAction) -> None:
    _verb(verbs, "reindex", "rebuild the search index from the library")
    # The child process that does big index work for the window and verbs: not for users.
    job = verbs.add_parser(
        index_job.VERB, description="Do big index work for the window or another command."
    )
    job.add_argument("--rebuild", action="store_true", help="rebuild the index from scratch")
    job.add_argument(
        index_job.DURING_IMPORT,
        type=int,
        metavar="BATCH",
        help="index beside an import until standard input ends, BATCH papers at a time",
    )
    _json_option(
        _verb(verbs, "stats", "count papers, digests and tags"),
        "the counts and the data directory",
    )
    _verb(verbs, "install-desktop", "add readerapp to the desktop's application menu")
    _verb(verbs, "uninstall-desktop", "remove what install-desktop added")


def _add_safety_verbs(verbs: argparse._SubParsersAction) -> None:
    p = _verb(verbs, "backup", "back up the library (to FILE, or as today's backup)")
    p.add_argument(
        "file",
        nargs="?",
        type=Path,
        metavar="FILE",
        help="the backup file to write (default: today's, in the data directory)",
    )
    p = _verb(verbs, "restore", "replace the library with a backup")
    p.add_argument("file", type=Path, metavar="FILE", help="the backup file to restore")
    _verb(verbs, "doctor", "check the library, the search index and the data folder")
    p = _verb(verbs, "annotations", "move stars, tags, notes and read states")
    actions = p.add_subparsers(
        dest="action",
        metavar="ACTION",
        required=True,
        parser_class=_Parser,
        help="export or import",
    )
    p = _verb(actions, "export", "write every annotation to a JSON file")
    p.add_argument("file", type=Path, metavar="FILE.json", help="the file to write")
    p = _verb(actions, "import", "merge a JSON file, the newest change winning")
    p.add_argument(
        "file", type=Path, metavar="FILE.json", help="a file that 'annotations export' wrote"
    )


def wants_cli(argv: Sequence[str]) -> bool:
    """True unless ``argv`` is empty or names files to open in the window.

    A first word that is neither a command nor an existing file goes to the command line,
    which says it is not a command.
    """
    _data_dir, rest = split_data_dir(argv)
    if not rest:
        return False
    head = rest[0]
    return head in ("-h", "--help", "--version", *VERBS) or not Path(head).exists()


class NotTextError(ReaderappError):
    """An argument or the standard input is not UTF-8 text; nothing was done."""


def run(argv: Sequence[str], out: TextIO | None = None) -> int:
    """Run one command. Errors are one line on stderr; the exit status says how it went.

    Text that is not UTF-8 is refused before anything is opened; when the reader of the
    output goes away (``| head``), the command ends quietly (see `_Output`).
    """
    try:
        args = build_parser().parse_args(list(argv))
    except SystemExit:  # --help and --version print, then exit
        _flush_standard_output()
        raise
    except BrokenPipeError:  # their reader went away while they printed
        _quiet_standard_output()
        return EXIT_OK
    stream = out or sys.stdout
    # The index job writes to the process that started it: without that reader it must stop.
    output = stream if args.verb in HIDDEN_VERBS else _Output(stream)
    try:
        _check_text(args)
    except NotTextError as exc:
        print(f"readerapp: {exc}", file=sys.stderr)
        return EXIT_USAGE
    setup_logging()
    if args.verb in OWN_HANDLERS:
        return _guard(lambda: OWN_HANDLERS[args.verb](args, output), output)
    return _guard(lambda: _with_collection(args, output), output)


def _check_text(args: argparse.Namespace) -> None:
    """Refuse text arguments that are not UTF-8 (the surrogates Python decodes such bytes to
    could be neither stored nor printed); read a '-' note from standard input, so that bad
    input is refused before the library opens."""
    for name, value in vars(args).items():
        if name == "data_dir":  # a path, which need not be UTF-8
            continue
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str) and not _is_utf8(item):
                shown = os.fsencode(item).decode("utf-8", "backslashreplace")
                raise NotTextError(f'the argument "{shown}" is not UTF-8 text; nothing was done')
    if getattr(args, "text", None) == "-":
        args.text = _standard_input_text()


def _is_utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _standard_input_text() -> str:
    """Standard input as text, its line endings made ``\\n`` as Python's text mode makes them."""
    data = sys.stdin.buffer.read()
    try:
        return data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError as exc:
        raise NotTextError(
            f"the standard input is not UTF-8 text (byte {exc.start + 1} is"
            f" {data[exc.start]:#04x}); nothing was done"
        ) from exc


def _guard(action: Callable[[], int], output: TextIO | _Output) -> int:
    try:
        status = action()
        output.flush()
        return status
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


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date such as 2024-03-13") from None


def _import(args, collection: Collection, out: TextIO) -> int:
    stdin = Path("-")
    files = [path for path in args.paths if path != stdin]
    if args.date and (len(args.paths) > 1 or any(path.is_dir() for path in files)):
        print("readerapp: --date goes with one digest: a file, or - for standard input"
              " (see 'readerapp import --help')", file=sys.stderr)  # fmt: skip
        return EXIT_USAGE
    summary, beside = ImportSummary(), None
    if stdin in args.paths:
        summary = collection.import_text(_read_stdin(), name="standard input", day=args.date)
    progress = _progress_bar("importing", "file")
    if args.date and files:
        summary = collection.import_paths(files, progress, day=args.date)
    elif files:
        more, beside = index_job.import_with_index(collection, files, progress)
        summary = summary.joined(more)
    for line in problem_lines(summary):
        print(f"readerapp: {line}", file=sys.stderr)
    for line in report_lines(summary):
        print(line, file=out)
    _ensure_index(collection, _progress_bar("indexing", "paper"), beside)
    return EXIT_ERROR if summary.refused or summary.empty_folders else EXIT_OK


def _fetch(args, collection: Collection, out: TextIO) -> int:
    today = date.today()
    start = args.since or args.date or today
    if args.since and args.since > today:
        print(f"readerapp: --since {args.since} is after today", file=sys.stderr)
        return EXIT_USAGE
    days, left_out = daily_papers.newest_days(start, today if args.since else start)

    def say(line: str) -> None:
        print(f"readerapp: {line}", file=sys.stderr)

    if left_out:
        say(daily_papers.cut_line(days, left_out))

    progress = _progress_bar("fetching", "day")
    summary = collection.fetch_days(days, progress, timeout=args.timeout, say=say)
    for line in problem_lines(summary):
        say(line)
    for line in report_lines(summary):
        print(line, file=out)
    _ensure_index(collection, _progress_bar("indexing", "paper"))
    return EXIT_OK


def _read_stdin() -> bytes:
    """A digest from standard input, as bytes: decoded as a file is."""
    if sys.stdin.isatty():
        print("readerapp: reading a digest from standard input; end it with Ctrl+D",
              file=sys.stderr)  # fmt: skip
    return sys.stdin.buffer.read()


def _digests(args, collection: Collection, out: TextIO) -> int:
    infos = collection.library.digests()
    if args.json:
        json.dump([_digest_json(info) for info in infos], out, indent=2, ensure_ascii=False)
        out.write("\n")
        return EXIT_OK
    for info in infos:
        day = info.date.isoformat() if info.date else "undated   "
        print(f"{info.id:>4}  {day}  {counted(info.paper_count, 'paper'):>10}  {info.source}"
              f"  ({info.date_note})", file=out)  # fmt: skip
    print(counted(len(infos), "digest") if infos else "no digests imported yet", file=out)
    return EXIT_OK


def _digest_json(info: DigestInfo) -> dict[str, object]:
    return {
        "id": info.id,
        "date": info.date.isoformat() if info.date else None,
        "date_text": info.date_text,
        "dated_by": str(info.date_source),
        "date_note": info.date_note,
        "papers": info.paper_count,
        "source": info.source,
        "imported_at": info.imported_at.isoformat(),
    }


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
        title = bold.marked(paper.title, result.terms, "title")
        print(f"{paper.id}  {day} {flags} {title}", file=out)
    shown = f"{len(papers)} of {counted(len(result.ids), 'paper')}"
    print(shown if papers else "no papers found", file=out)
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
        f"id {paper.id} · seen in {counted(len(paper.sightings), 'digest')} ({seen})"
        f" · {paper.read_state}" + (" · starred" if paper.starred else ""),
    ]
    if paper.authors:
        lines.append("authors: " + ", ".join(paper.authors))
    if paper.arxiv_id:
        published = f" · published {paper.published}" if paper.published else ""
        lines.append(f"arXiv {paper.arxiv_id}{published}")
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
    print(f"{args.verb}red {counted(len(ids), 'paper')}", file=out)
    return EXIT_OK


def _tag(args, collection: Collection, out: TextIO) -> int:
    ids = _ids(collection, [args.id])
    change = collection.library.tags.add if args.verb == "tag" else collection.library.tags.remove
    change(ids, args.tags)
    tags = collection.library.get(ids[0]).tags
    print(f"{ids[0]} tags: {', '.join(tags) if tags else '(none)'}", file=out)
    return EXIT_OK


def _note(args, collection: Collection, out: TextIO) -> int:
    pid = collection.library.resolve_id(args.id)
    if args.text is None:
        print(collection.library.get(pid).note, file=out)
        return EXIT_OK
    collection.set_note(pid, args.text)  # '-': standard input, read by `_check_text`
    print(f"saved the note of {pid} ({counted(len(args.text), 'character')})", file=out)
    return EXIT_OK


def _mark(args, collection: Collection, out: TextIO) -> int:
    ids = _ids(collection, args.ids)
    collection.library.set_read_state(ids, ReadState(args.state))
    print(f"marked {counted(len(ids), 'paper')} {args.state}", file=out)
    return EXIT_OK


def _export(args, collection: Collection, out: TextIO) -> int:
    if args.one_file_per_paper and args.vault is None:
        print("readerapp: --one-file-per-paper goes with --vault (see 'readerapp --help')",
              file=sys.stderr)  # fmt: skip
        return EXIT_USAGE
    if args.no_clobber and args.output is not None and args.output.exists():
        print(f"readerapp: {args.output} exists; not replacing it (--no-clobber)",
              file=sys.stderr)  # fmt: skip
        return EXIT_ERROR
    if args.format != "markdown" and args.vault is not None:
        print("readerapp: --vault writes Markdown; use -o FILE with --format"
              f" {args.format}", file=sys.stderr)  # fmt: skip
        return EXIT_USAGE
    result = _searched(collection, args.query, "date")
    papers = collection.library.papers(result.ids)
    if args.format != "markdown":
        cited = citations.WRITERS[args.format](papers)
        write_text_atomically(args.output, cited.text)
        line = f"exported {counted(len(papers), 'paper')} to {args.output}"
        if cited.without_arxiv_id:
            line += f" ({cited.without_arxiv_id} without an arXiv id: cited with what is known)"
        print(line, file=out)
        return EXIT_OK
    options = ExportOptions(
        title=args.title, include_abstract=not args.no_abstract, group_by_tag=args.group_by_tag
    )
    if args.vault is not None:
        per_paper = args.one_file_per_paper
        report = write_vault(args.vault, papers, options, one_file_per_paper=per_paper)
        print(f"exported {counted(len(papers), 'paper')} to {report.list_file}:"
              f" {counted(report.written, 'file')} written, {report.unchanged} unchanged",
              file=out)  # fmt: skip
        return EXIT_OK
    path = write_markdown(args.output, papers, options)
    print(f"exported {counted(len(papers), 'paper')} to {path}", file=out)
    return EXIT_OK


def _reindex(args, collection: Collection, out: TextIO) -> int:
    index_job.rebuild_index(collection, _progress_bar("indexing", "paper"))
    print(f"rebuilt the search index: {counted(collection.index.doc_count(), 'paper')}",
          file=out)  # fmt: skip
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


def _progress_bar(doing: str, thing: str) -> Progress | None:
    """A one-line progress counter on a terminal's standard error; None when piped."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        end = "\n" if done == total else ""
        shown = f"{done:,} of {counted(total, thing, grouped=True)}"
        print(f"\r{doing} {shown}", end=end, file=sys.stderr, flush=True)

    return show


def _backup(args, collection: Collection, out: TextIO) -> int:
    path = collection.backup(args.file)
    print(f"backed up {counted(collection.library.count(), 'paper')} to {path}", file=out)
    return EXIT_OK


def _restore(args: argparse.Namespace, out: TextIO) -> int:
    result = restore_library(data_dir(args.data_dir), args.file)
    print(f"restored {counted(result.papers, 'paper')} from {args.file}", file=out)
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
        print(f"exported the annotations of {counted(count, 'paper')} to {args.file}",
              file=out)  # fmt: skip
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
        print(f"installed the desktop entry and icons ({counted(len(written), 'file')})",
              file=out)  # fmt: skip
    else:
        removed = desktop.uninstall_desktop()
        print(f"removed {counted(len(removed), 'file')}", file=out)
    return EXIT_OK


HANDLERS: dict[str, Callable[[argparse.Namespace, Collection, TextIO], int]] = {
    "import": _import, "search": _search, "show": _show, "star": _star, "unstar": _star,
    "tag": _tag, "untag": _tag, "note": _note, "mark": _mark, "export": _export,
    "reindex": _reindex, "stats": _stats, "backup": _backup, "annotations": _annotations,
    "digests": _digests, "fetch": _fetch,
}  # fmt: skip
# Verbs that work on the data folder themselves, even when the library cannot be opened.
OWN_HANDLERS: dict[str, Callable[[argparse.Namespace, TextIO], int]] = {
    "install-desktop": _desktop, "uninstall-desktop": _desktop, "restore": _restore,
    "doctor": _doctor, index_job.VERB: _index_job,
}  # fmt: skip
VERBS = frozenset(HANDLERS) | frozenset(OWN_HANDLERS)


def _paper_json(paper: Paper, result: SearchResult | None = None) -> dict[str, object]:
    data: dict[str, object] = {
        "id": paper.id,
        "title": paper.title,
        "authors": paper.authors,
        "arxiv_id": paper.arxiv_id,
        "published": paper.published.isoformat() if paper.published else None,
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
            "title": highlight_spans(paper.title, result.terms, "title"),
            "abstract": highlight_spans(paper.abstract, result.terms, "abstract"),
        }
    return data


class _Output:
    """A command's output. When its reader goes away (``| head`` once it has read enough),
    the rest is dropped and the command finishes its work quietly, with its own exit status;
    a pipe closed elsewhere (say, the index job's) is still an error to report."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._reader_gone = False

    def write(self, text: str) -> int:
        if not self._reader_gone:
            try:
                self._stream.write(text)
            except BrokenPipeError:
                self._drop_the_rest()
        return len(text)

    def flush(self) -> None:
        if not self._reader_gone:
            try:
                self._stream.flush()
            except BrokenPipeError:
                self._drop_the_rest()

    def _drop_the_rest(self) -> None:
        self._reader_gone = True
        if self._stream is sys.stdout:
            _quiet_standard_output()

    def isatty(self) -> bool:
        return self._stream.isatty()


def _flush_standard_output() -> None:
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _quiet_standard_output()


def _quiet_standard_output() -> None:
    """Send what is left of standard output to the null device, so that Python's own flush at
    exit does not fail on the closed pipe again (the recipe of Python's `signal` docs)."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


class _Emphasis:
    """Marks matched words in bold on a terminal, and leaves piped output plain."""

    def __init__(self, out: TextIO) -> None:
        self.on = hasattr(out, "isatty") and out.isatty()

    def marked(self, text: str, highlight: Highlight, field: str) -> str:
        """``text``, a paper's ``field``, with what the search matched in bold."""
        if not self.on:
            return text
        pieces, last = [], 0
        for start, end in highlight_spans(text, highlight, field):
            pieces += [text[last:start], "\033[1m", text[start:end], "\033[0m"]
            last = end
        return "".join([*pieces, text[last:]])
