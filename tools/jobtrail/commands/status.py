"""`jobtrail status APP STATUS [--reason TEXT]`: change an application's status in place.

Only the status value changes (and the Application Date, when the status
becomes APPLIED and the date is still a placeholder); every other byte of the
file stays as it was. ``--reason`` adds one dated line at the end of the
``## Notes`` section: ``- 2026-11-25 REJECTED: went with an internal candidate``.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys

from ..config import Config, load_config
from ..edit import EditError, add_note, set_status
from ..errors import JobtrailError, UsageError
from ..files import display_path, find_root, read_application, write_atomic
from ..model import APPLICATION_DATE, Application
from ..parse import parse_bytes
from ..problem import Problem
from ..rules import CheckContext, check_application
from ..selection import resolve_app

APPLIED = "APPLIED"


def status_from_argument(text: str, config: Config) -> str:
    """The workflow status ``text`` names (any letter case), or a UsageError listing the valid ones."""
    status = text.strip().upper()
    statuses = config.workflow.statuses
    if status not in statuses:
        import difflib

        closest = difflib.get_close_matches(status, statuses, n=1, cutoff=0.5)
        hint = f"did you mean {closest[0]}? " if closest else ""
        raise UsageError(f"unknown status `{text}`: {hint}use one of {', '.join(statuses)}")
    return status


def reason_from_argument(text: str) -> str:
    reason = text.strip()
    if not reason or "\n" in reason or "\r" in reason:
        raise UsageError("--reason must be one line of text")
    return reason


def _read(path: str, shown: str, config: Config) -> tuple[bytes, Application]:
    data, problem = read_application(path, shown, config.root, config.max_file_bytes)
    if data is None:
        raise JobtrailError(problem.as_text() if problem else f"{shown}: cannot read the file")
    app = parse_bytes(shown, data)
    if not app.readable:
        raise JobtrailError("; ".join(problem.as_text() for problem in app.problems))
    return data, app


def _signature(problem: Problem) -> tuple[str, str]:
    # Line numbers move when --reason adds a line; the code and message identify a problem.
    return problem.code, problem.message


def _new_errors(before: Application, after: Application, context: CheckContext) -> list[Problem]:
    known = {_signature(problem) for problem in check_application(before, context)}
    return [
        problem
        for problem in check_application(after, context)
        if problem.severity == "error" and _signature(problem) not in known
    ]


def run(args: argparse.Namespace) -> int:
    root = find_root()
    config = load_config(root)
    status = status_from_argument(args.status, config)
    reason = reason_from_argument(args.reason) if args.reason is not None else None
    path = resolve_app(config, args.app)
    shown = display_path(path, root)
    data, app = _read(path, shown, config)
    if app.status == status:
        print(f"{shown}: already {status}; nothing changed")
        return 0
    today = datetime.date.today()
    try:
        edited = set_status(data, app, status, fill_date=today if status == APPLIED else None)
        if reason is not None:
            edited = add_note(edited, parse_bytes(shown, edited), f"- {today.isoformat()} {status}: {reason}")
    except EditError as exc:
        raise JobtrailError(f"{shown}: {exc}") from None
    if _read(path, shown, config)[0] != data:
        raise JobtrailError(f"{shown}: the file changed while jobtrail was editing it: run the command again")
    write_atomic(os.path.realpath(path), edited)  # through a symlink: the link stays a link
    after = parse_bytes(shown, edited)
    date_before, date_after = app.text(APPLICATION_DATE), after.text(APPLICATION_DATE)
    filled = f"; Application Date {date_after}" if date_after != date_before else ""
    print(f"{shown}: {app.status or '(none)'} -> {status}{filled}")
    for problem in _new_errors(app, after, CheckContext(config, today)):
        print(f"jobtrail: note: {problem.as_text()}", file=sys.stderr)
    return 0
