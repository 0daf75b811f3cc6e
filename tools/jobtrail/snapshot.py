"""The repository as the reporting commands (list, stats, export) see it: history plus the current files."""

from __future__ import annotations

import datetime
import os
import sys
from dataclasses import dataclass

from .check import load_application
from .gitlog import read_history
from .history import RepositoryHistory
from .model import Application
from .repository import Repository


@dataclass(frozen=True)
class Snapshot:
    history: RepositoryHistory
    apps: tuple[Application, ...]  # the current file of each application in ``history``, same order and paths


def read_snapshot(repo: Repository, *, today: datetime.date | None = None) -> Snapshot:
    """Every application's history and its current file, parsed with its front matter."""
    config = repo.config
    history = read_history(repo, today=today)
    apps = tuple(
        load_application(os.path.join(config.root, *entry.path.split("/")), entry.path, config)
        for entry in history.applications
    )
    return Snapshot(history, apps)


def print_notes(history: RepositoryHistory) -> None:
    """What the history reader wants people to know (a shallow clone, a rebase in progress), on stderr."""
    for note in history.notes:
        print(f"jobtrail: note: {note}", file=sys.stderr)
