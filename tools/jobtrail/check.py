"""Validate application files: read each one, parse it, run every rule."""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable, Iterable

from .config import Config
from .filerules import duplicate_applications
from .files import application_paths, display_path, read_application
from .model import Application
from .parse import parse_bytes
from .problem import Problem
from .rules import CheckContext, check_application


def load_application(path: str, shown: str, config: Config, *, front_matter: bool = True) -> Application:
    """Read and parse one file; a file that cannot be read becomes an Application with a problem."""
    data, problem = read_application(path, shown, config.root, config.max_file_bytes)
    if data is None:
        return Application(path=shown, problems=(problem,) if problem else (), readable=False)
    return parse_bytes(shown, data, front_matter=front_matter)


def check_applications(
    apps: list[Application],
    others: Iterable[Application],
    context: CheckContext,
    *,
    check_one: Callable[[Application, CheckContext], list[Problem]] = check_application,
    duplicates: list[Problem] | None = None,
) -> list[Problem]:
    """Every problem in ``apps``; ``others`` (the rest of the folder) only feed the cross-file rules.

    ``check_one`` runs the per-file rules (the watcher passes a cached one). ``duplicates``:
    ``duplicate_applications`` of ``apps`` and ``others``, when the caller has it already.
    """
    problems: list[Problem] = []
    for app in apps:
        problems.extend(check_one(app, context))
    checked = {app.path for app in apps}
    if duplicates is None:
        duplicates = duplicate_applications([*apps, *others])
    problems.extend(problem for problem in duplicates if problem.path in checked)
    return sorted(problems)


def check_paths(paths: list[str] | None, config: Config, today: datetime.date) -> list[Problem]:
    """Check the given files (default: every application) against the rules."""
    every = application_paths(config.applications_path)
    targets = paths if paths else every
    chosen = {os.path.realpath(path) for path in targets}
    apps = [load_application(path, display_path(path, config.root), config) for path in targets]
    others = [
        load_application(path, display_path(path, config.root), config, front_matter=False)
        for path in every
        if os.path.realpath(path) not in chosen
    ]
    return check_applications(apps, others, CheckContext(config, today))
