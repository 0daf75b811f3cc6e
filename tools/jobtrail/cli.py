"""The command line: one argparse parser, one module per subcommand in ``commands/``.

Command modules are imported only when their command runs, so ``jobtrail check``
(which every commit pays for) never loads git or watcher code.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import io
import os
import sys
from collections.abc import Sequence
from typing import Any, cast

from . import __version__
from .errors import JobtrailError, UsageError, from_environment


def _add_check(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("check", help="validate application files (default: all of them)")
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files to check; default: every file in applications/")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")


def _add_index(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("index", help="regenerate INDEX.md and HISTORY.md")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 when either file would change")
    parser.add_argument(
        "--hook",
        nargs="?",
        const="",
        choices=("", "pre-commit", "pre-merge-commit", "post-commit", "post-merge", "post-checkout", "post-rewrite"),
        metavar="GIT_HOOK",
        help="run from this git hook (default: the one pre-commit runs). pre-commit, pre-merge-commit: check the"
        " applications the commit changes and put fresh INDEX.md and HISTORY.md into it; post-*: bring the work"
        " tree's copies up to date (never fail git; post-checkout only reports)",
    )


def _add_history(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("history", help="status history read from the git commits")
    parser.add_argument("app", nargs="?", metavar="APP", help="a path, a file stem or a unique prefix of a stem")
    parser.add_argument("--json", action="store_true", help="print JSON")


def _add_new(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("new", help="create applications/<slug>.md from the template")
    parser.add_argument("company", nargs="?", metavar="COMPANY", help="required unless --from gives it")
    parser.add_argument("position", nargs="?", metavar="POSITION", help="required unless --from gives it")
    parser.add_argument("--url", metavar="URL", help="the job listing's address")
    parser.add_argument(
        "--from",
        dest="page",
        metavar="FILE_OR_URL",
        help="fill company, position, URL, location, salary, date posted and description from a saved job page"
        " or its https:// address (its schema.org JobPosting)",
    )
    parser.add_argument(
        "--description",
        metavar="FILE",
        help="put the text of FILE (`-`: standard input) under ## Job Description, in a code fence that no"
        " ``` inside it can close (wins over --from's)",
    )


def _add_import(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "import", help="applications from a spreadsheet (CSV/TSV) or a `jobtrail export --format json` file"
    )
    parser.add_argument("file", metavar="FILE", help="a .csv, .tsv or .json file")
    parser.add_argument("--dry-run", action="store_true", help="print what would be imported; write nothing")
    parser.add_argument(
        "--map",
        action="append",
        metavar="COLUMN=FIELD",
        help="read COLUMN as FIELD (company, position, url, status, status_date, created, location, salary,"
        " notes, tags, description, source, date:STATUS, ignore); repeatable",
    )
    parser.add_argument(
        "--status", action="append", metavar="WORD=STATUS", help="read the status word WORD as STATUS; repeatable"
    )
    parser.add_argument("--day-first", action="store_true", help="read dates like 01/02/2026 as 1 February")


def _add_status(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("status", help="change an application's status in place")
    parser.add_argument("app", metavar="APP", help="a path, a file stem or a unique prefix of a stem")
    parser.add_argument("status", metavar="STATUS", help="the new status (any letter case)")
    parser.add_argument("--reason", metavar="TEXT", help="add a dated line with TEXT under ## Notes")


def _add_followed_up(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "followed-up", help="mark an application's follow-up done (writes `followed_up: DATE` in its front matter)"
    )
    parser.add_argument("app", metavar="APP", help="a path, a file stem or a unique prefix of a stem")
    parser.add_argument("date", nargs="?", metavar="DATE", help="when you followed up, YYYY-MM-DD (default: today)")


def _add_agenda(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "agenda", help="what is due: overdue, today, this week, later (interviews, deadlines, follow-ups)"
    )
    parser.add_argument("--json", action="store_true", help="print JSON")


def _add_list(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("list", help="applications as a table: status, since when, days waiting")
    parser.add_argument(
        "--status", action="append", metavar="S", help="only this status (repeatable; also `active`, `closed`)"
    )
    parser.add_argument("--json", action="store_true", help="print JSON")


def _add_stats(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("stats", help="funnel, response rate, time in each stage")
    parser.add_argument("--json", action="store_true", help="print JSON")


def _add_export(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("export", help="every application with its status history, as CSV, JSON or ICS")
    parser.add_argument("--format", choices=("csv", "json", "ics"), required=True, help="output format")
    parser.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of standard output")


def _add_init(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("init", help="make DIR (default: here) a jobtrail applications repository")
    parser.add_argument("dir", nargs="?", metavar="DIR", help="the folder (created if needed)")
    parser.add_argument(
        "--hooks", action="store_true", help="only (re)install the git hooks in an existing repository (`make run`)"
    )


def _add_watch(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("watch", help="keep INDEX.md and HISTORY.md fresh while you edit (Ctrl-C stops)")
    noise = parser.add_mutually_exclusive_group()
    noise.add_argument("--quiet", "-q", action="store_true", help="print only errors")
    noise.add_argument("--verbose", "-v", action="store_true", help="also print every event and watch")
    parser.add_argument(
        "--poll", action="store_true", help="look for changes twice a second (file systems without native events)"
    )


def _columns() -> int:
    """The terminal's width as ``shutil.get_terminal_size`` reads it (``COLUMNS``, else the terminal, else 80)."""
    try:
        columns = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's own, sized without importing shutil (~3 ms): argparse builds one for every argument added."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24, width: int | None = None):
        super().__init__(prog, indent_increment, max_help_position, _columns() - 2 if width is None else width)


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _HelpFormatter)
        super().__init__(*args, **kwargs)


PARSERS = {
    "check": _add_check,
    "index": _add_index,
    "history": _add_history,
    "new": _add_new,
    "import": _add_import,
    "status": _add_status,
    "followed-up": _add_followed_up,
    "agenda": _add_agenda,
    "list": _add_list,
    "stats": _add_stats,
    "export": _add_export,
    "init": _add_init,
    "watch": _add_watch,
}


MODULES = {"import": "import_"}  # a command whose name is a Python keyword
# Commands that run until stopped: they keep Python's cyclic garbage collector (``main``).
LONG_RUNNING = ("watch",)


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser; with ``only`` (a command's name), that command's alone.

    Every ``add_argument`` makes argparse build a help formatter: the thirteen
    commands' parsers cost ~10 ms, a fifth of a warm ``jobtrail history``. A
    command line that names its command needs no other's parser (and a name it
    does not know gets them all, for the message listing the commands).
    """
    parser = _Parser(prog="jobtrail", description="Job applications as Markdown in git.")
    parser.add_argument("--version", action="version", version=f"jobtrail {__version__}")
    # An explicit prog keeps argparse from building a help formatter (and importing shutil) on every run.
    commands = cast(
        "argparse._SubParsersAction[argparse.ArgumentParser]",
        parser.add_subparsers(dest="command", metavar="COMMAND", required=True, prog="jobtrail", parser_class=_Parser),
    )
    for name, add in PARSERS.items():
        if only is None or name == only:
            add(commands)
    return parser


def _command_named(argv: Sequence[str]) -> str | None:
    """The command the arguments name, when their first is one (else None: build every parser)."""
    return argv[0] if argv and argv[0] in PARSERS else None


SIGPIPE_EXIT = 141  # 128 + SIGPIPE: what a shell shows for a command whose reader went away


def _reader_gone() -> int:
    """``jobtrail check | head``: stop quietly, and say so in the exit status, as `cat` or `grep` do."""
    from .files import discard_stdout

    discard_stdout()  # Python would try to flush what is left at exit and print a second error
    return SIGPIPE_EXIT


def _report_crash(exc: BaseException) -> int:
    import traceback

    print(f"jobtrail: unexpected error: {type(exc).__name__}: {exc}", file=sys.stderr)
    print("This is a bug in jobtrail, not in your files. Please report it with the details below.", file=sys.stderr)
    traceback.print_exception(exc, file=sys.stderr)
    return 3


# Arguments that are text to write into a file, not paths to open.
TEXT_ARGUMENTS = ("company", "position", "url", "status", "reason")


def _as_text(value: str, name: str) -> str:
    """A typed argument as the UTF-8 text it is, whatever the locale.

    Under ``LC_ALL=C`` Python decodes ``Zoë`` from the command line as ASCII with
    lone surrogates; its bytes are UTF-8 all the same. (Paths keep their bytes.)
    """
    if not any("\udc80" <= char <= "\udcff" for char in value):
        return value
    try:
        return os.fsencode(value).decode("utf-8")
    except UnicodeDecodeError:
        raise UsageError(f"{name.upper()} is not UTF-8 text: type it in a UTF-8 terminal") from None


def _text_arguments(args: argparse.Namespace) -> None:
    for name in TEXT_ARGUMENTS:
        value = getattr(args, name, None)
        if isinstance(value, str):
            setattr(args, name, _as_text(value, name))
        elif isinstance(value, list):
            setattr(args, name, [_as_text(item, name) if isinstance(item, str) else item for item in value])


def main(argv: Sequence[str] | None = None) -> int:
    # A file name that is not UTF-8 reaches us with lone surrogates; printed on a strict
    # UTF-8 terminal it would raise. Shown as `\udcff` instead, whatever the command.
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
    arguments = sys.argv[1:] if argv is None else list(argv)
    args = build_parser(_command_named(arguments)).parse_args(arguments)
    for variable in ("GIT_DIR", "GIT_WORK_TREE"):
        # Git runs with the repository's top as its folder: a relative path would mean another place.
        if os.environ.get(variable):
            os.environ[variable] = os.path.abspath(os.environ[variable])
    try:
        _text_arguments(args)
        module = importlib.import_module(
            f"jobtrail.commands.{MODULES.get(args.command, args.command.replace('-', '_'))}"
        )
        collecting = gc.isenabled()
        if args.command not in LONG_RUNNING:
            # A one-shot command keeps what it reads until it exits: with 50,000 applications parsed that
            # is millions of objects, and each of the cyclic collector's full passes walks them all (a
            # third of the pre-commit hook's time, the same peak memory without). Reference counting
            # still frees everything not in a cycle, and little is; the process's exit frees the rest.
            gc.disable()
        try:
            status = int(module.run(args))
        finally:
            if collecting:  # called in-process (tests, a caller of main): as it was
                gc.enable()
        sys.stdout.flush()  # a reader that went away is found here, not at exit
        return status
    except JobtrailError as exc:
        print(f"jobtrail: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return _reader_gone()
    except Exception as exc:
        refused = from_environment(exc)
        if refused is None:
            return _report_crash(exc)
        print(f"jobtrail: error: {refused}", file=sys.stderr)
        return refused.exit_code
