"""`jobtrail list [--status S] [--json]`: the applications as a table, with how long each has waited."""

from __future__ import annotations

import argparse
import datetime
import json
import shutil
import sys

from ..config import Config
from ..errors import UsageError
from ..gitlog import read_history
from ..listing import format_table, list_rows
from ..repository import open_repository
from ..snapshot import print_notes


def wanted_statuses(values: list[str] | None, config: Config) -> set[str] | None:
    """``--status`` values (any case; ``active`` and ``closed`` name the groups) as a set of statuses."""
    if not values:
        return None
    workflow = config.workflow
    groups = {"ACTIVE": workflow.active, "CLOSED": workflow.closed}
    wanted: set[str] = set()
    for value in values:
        for word in value.replace(",", " ").split():
            word = word.upper()
            if word in groups:
                wanted.update(groups[word])
            elif word in workflow.statuses:
                wanted.add(word)
            else:
                raise UsageError(
                    f"unknown status `{word}`: use one of {', '.join(workflow.statuses)}, active or closed"
                )
    return wanted


def run(args: argparse.Namespace) -> int:
    repo = open_repository()
    config = repo.config
    only = wanted_statuses(args.status, config)
    today = datetime.date.today()
    history = read_history(repo, today=today)
    print_notes(history)
    rows = list_rows(history, config.workflow.statuses, today, only)
    if args.json:
        print(json.dumps([row.as_json() for row in rows], indent=2, ensure_ascii=False))
    elif rows:
        print(format_table(rows, shutil.get_terminal_size((80, 24)).columns))
    else:
        print(
            "no applications" + (" with that status" if only else ": create one with `jobtrail new`"), file=sys.stderr
        )
    return 0
