"""`jobtrail import FILE [--dry-run] [--map COLUMN=FIELD] [--status WORD=STATUS] [--day-first]`.

Applications from a spreadsheet (CSV or TSV) or a `jobtrail export --format json`
file, each with its dated history: one file per row from the template, one
commit per dated status change with the event's date as its author date.
All or nothing: a bad row is named with its row number and nothing is written.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import defaultdict

from .. import git
from ..check import load_application
from ..errors import JobtrailError, UsageError
from ..exportfile import is_export, read_export
from ..files import application_paths, display_path, read_named_file
from ..importgit import taken_paths, write_import
from ..importplan import Existing, Plan, plan_import
from ..incoming import RowProblem, SheetResult
from ..model import JOB_URL
from ..repository import Repository, open_repository
from ..sheet import read_sheet
from ..sheetcolumns import FIELDS, ColumnError
from ..statuswords import status_word
from ..template import is_placeholder

MAX_FILE_BYTES = 100_000_000


def _pairs(values: list[str] | None, option: str) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for value in values or []:
        left, sign, right = value.partition("=")
        if not sign or not left.strip() or not right.strip():
            raise UsageError(f"{option} `{value}`: write it as NAME=VALUE")
        pairs[left.strip()] = right.strip()
    return pairs


def _column_map(values: list[str] | None, repo: Repository) -> dict[str, str]:
    mapping = {}
    for column, target in _pairs(values, "--map").items():
        field = target.casefold()
        if field.startswith("date:"):
            status = status_word(field[5:], repo.config.workflow)
            if status is None:
                raise UsageError(f"--map {column}={target}: unknown status `{target[5:]}`")
            field = f"date:{status}"
        elif field == "date_applied":
            field = "date:" + repo.config.workflow.applied
        elif field not in (*FIELDS, "ignore"):
            choices = ", ".join((*FIELDS, "date:STATUS", "ignore"))
            raise UsageError(f"--map {column}={target}: unknown field `{target}`: one of {choices}")
        mapping[column] = field
    return mapping


def _status_words(values: list[str] | None, repo: Repository) -> dict[str, str]:
    words = {}
    for word, target in _pairs(values, "--status").items():
        status = target.upper()
        if status not in repo.config.workflow.statuses:
            raise UsageError(f"--status {word}={target}: `{target}` is not a workflow status")
        words[" ".join(word.casefold().split())] = status
    return words


def _existing(repo: Repository) -> list[Existing]:
    found = []
    for path in application_paths(repo.applications_path):
        shown = display_path(path, repo.root)
        app = load_application(path, shown, repo.config, front_matter=False)
        url = app.text(JOB_URL)
        found.append(Existing(shown, app.company, app.position, "" if is_placeholder(url) else url))
    return found


def _report_problems(name: str, problems: tuple[RowProblem, ...]) -> None:
    for problem in problems:
        print(f"{name}: {problem.where}: {problem.message}", file=sys.stderr)
    unknown: dict[str, list[str]] = defaultdict(list)
    for problem in problems:
        if problem.unknown_status:
            unknown[problem.unknown_status].append(problem.where.removeprefix("row "))
    if unknown:
        listed = "; ".join(f"`{word}` (row {', '.join(rows)})" for word, rows in unknown.items())
        first = next(iter(unknown))
        print(
            f"{name}: unknown status words: {listed}: rename them in the file, or map them, e.g."
            f" --status '{first}=SCREENING'",
            file=sys.stderr,
        )


def _print_plan(name: str, result: SheetResult, plan: Plan) -> None:
    for app in plan.new:
        timeline = " -> ".join(f"{version.status} {version.date.isoformat()}" for version in app.versions)
        print(f"new   {app.path}  {timeline}  ({app.incoming.where})")
        for note in app.notes:
            print(f"      note: {note}")
    for match in plan.same:
        print(
            f"same  {match.incoming.where}: {match.incoming.company} — {match.incoming.position}: {match.other} ({match.why})"
        )
    if result.unused:
        print(f"columns not used: {', '.join(result.unused)} (use --map COLUMN=FIELD to read one)")
    for note in result.notes:
        print(f"note: {note}")
    total = len(plan.new) + len(plan.same)
    print(f"{name}: {total} application(s): {len(plan.new)} new, {len(plan.same)} already here")


def run(args: argparse.Namespace) -> int:
    repo = open_repository()
    config = repo.config
    mapping = _column_map(args.map, repo)
    words = _status_words(args.status, repo)
    data = read_named_file(args.file, MAX_FILE_BYTES, "a .csv, .tsv or `jobtrail export --format json` file")
    name = args.file
    try:
        if is_export(data) and not mapping:
            result = read_export(data, config.workflow)
        else:
            delimiter = "\t" if args.file.lower().endswith((".tsv", ".tab")) else None
            result = read_sheet(
                data,
                config.workflow,
                mapping=mapping,
                status_words=words,
                delimiter=delimiter,
                day_first=args.day_first,
            )
    except ColumnError as exc:
        raise JobtrailError(f"{name}: {exc}") from None
    today = git.author_today(repo.root)

    def convert_html(html: str) -> str:
        from ..htmltext import html_to_markdown

        return html_to_markdown(html)

    plan = plan_import(result.incoming, _existing(repo), taken_paths(repo), config, today, convert_html)
    problems = result.problems + plan.problems
    if problems:
        _report_problems(name, problems)
        print(
            f"jobtrail: {len(problems)} problem(s) in {name}: nothing was imported; fix them and run again",
            file=sys.stderr,
        )
        return 1
    _print_plan(name, result, plan)
    if args.dry_run:
        print("dry run: nothing written")
        return 0
    if not plan.new:
        print("nothing new to import")
        return 0
    head, commits = write_import(repo, plan, os.path.basename(name), today)
    print(f"imported {len(plan.new)} application(s) in {commits} commit(s); HEAD is now {head[:10]}")
    return 0
