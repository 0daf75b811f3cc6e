"""`jobtrail status APP STATUS [--reason TEXT]`: change an application's status in place.

Only the status value changes (and the Application Date, when the status
becomes the sent one, ``Workflow.applied``: APPLIED by default, and the date is still a placeholder, or is from before a return
to PENDING); every other byte of the file stays as it was. ``--reason`` adds one
dated line at the end of the ``## Notes`` section, even when the status does not
change: ``- 2026-11-25 REJECTED: went with an internal candidate``.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys

from ..config import Config, load_config
from ..edit import EditError, add_note, set_status
from ..errors import JobtrailError, UsageError
from ..files import display_path, find_root, read_application, repo_relative, write_atomic
from ..model import APPLICATION_DATE, Application
from ..parse import iso_date, parse_bytes
from ..problem import Problem
from ..rules import CheckContext, check_application
from ..selection import resolve_app


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


def read_for_edit(path: str, shown: str, config: Config) -> tuple[bytes, Application]:
    """The file's bytes and the application parsed from them; a JobtrailError when it cannot be read."""
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


def _stale_date(path: str, app: Application, config: Config) -> datetime.date | None:
    """The Application Date, when it belongs to an earlier round: the status came back to PENDING since.

    Only then does the history (git) need reading: the status is the first one and the date a real date.
    """
    date = iso_date(app.text(APPLICATION_DATE))
    initial = config.workflow.initial
    if date is None or app.status != initial:
        return None
    from ..gitlog import read_history
    from ..repository import repository_at

    relative = repo_relative(path, config.root)
    try:
        history = read_history(repository_at(config.root, config))
    except JobtrailError:
        return None  # no readable history: keep the date, as without one
    mine = next((each for each in history.applications if each.path == relative), None)
    returned = mine.returned_on(initial) if mine is not None else None
    return date if returned is not None and date <= returned else None


def _edit(
    data: bytes, app: Application, shown: str, status: str, reason: str | None, stale: bool, sends: bool
) -> bytes:
    """``sends``: the status is the one that says the application went out, which dates it."""
    today = datetime.date.today()
    try:
        edited = data
        if app.status != status:
            edited = set_status(data, app, status, fill_date=today if sends else None, stale_date=stale)
        if reason is not None:
            edited = add_note(edited, parse_bytes(shown, edited), f"- {today.isoformat()} {status}: {reason}")
    except EditError as exc:
        raise JobtrailError(f"{shown}: {exc}") from None
    return edited


def run(args: argparse.Namespace) -> int:
    root = find_root()
    config = load_config(root)
    status = status_from_argument(args.status, config)
    reason = reason_from_argument(args.reason) if args.reason is not None else None
    path = resolve_app(config, args.app)
    shown = display_path(path, root)
    data, app = read_for_edit(path, shown, config)
    if app.status == status and reason is None:
        print(f"{shown}: already {status}; nothing changed")
        return 0
    sends = status == config.workflow.applied
    stale = _stale_date(path, app, config) if sends else None
    edited = _edit(data, app, shown, status, reason, stale is not None, sends)
    if read_for_edit(path, shown, config)[0] != data:
        raise JobtrailError(f"{shown}: the file changed while jobtrail was editing it: run the command again")
    write_atomic(os.path.realpath(path), edited)  # through a symlink: the link stays a link
    after = parse_bytes(shown, edited)
    if app.status == status:
        print(f"{shown}: already {status}; reason added under ## Notes")
    else:
        date_before, date_after = app.text(APPLICATION_DATE), after.text(APPLICATION_DATE)
        filled = f"; Application Date {date_after}" if date_after != date_before else ""
        if stale is not None and date_after != date_before:
            filled = (
                f"; Application Date {date_before} -> {date_after} (a new application: "
                f"the old date is from before the return to {config.workflow.initial})"
            )
        print(f"{shown}: {app.status or '(none)'} -> {status}{filled}")
    for problem in _new_errors(app, after, CheckContext(config, datetime.date.today())):
        print(f"jobtrail: note: {problem.as_text()}", file=sys.stderr)
    return 0
