"""Keep INDEX.md and HISTORY.md fresh: read the repository, render, write only what changed.

``regenerate(repo)`` is what `jobtrail index`, the git hooks and the watcher call.
Reading, rendering and writing happen under one lock in the git folder, so two
writers never interleave and the last one to finish wrote the newest state.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import git
from .check import check_applications, load_application
from .config import Config
from .errors import JobtrailError
from .files import (
    application_paths,
    application_relative,
    locked,
    read_or_none,
    repo_relative,
    write_atomic,
)
from .gitlog import current_fields, read_history
from .history import RepositoryHistory
from .historyfile import render_history
from .interrupts import held_signals
from .model import Application
from .parse import Fields, fields_of_application
from .problem import Problem
from .render import HISTORY_FILE, INDEX_FILE, render_index
from .repository import Repository
from .rows import application_rows, status_counts
from .rules import CheckContext, check_application
from .scaffold import MERGE_DRIVER

if TYPE_CHECKING:
    from .appcache import ApplicationCache
    from .outputmemo import Inputs
    from .stampcache import StampCache


@dataclass(frozen=True)
class IndexResult:
    counts: tuple[tuple[str, int], ...]  # (status, applications), in workflow order
    problems: int  # problems `jobtrail check` finds, errors and warnings
    stale: tuple[str, ...]  # generated files whose content was (or would be) different
    written: tuple[str, ...]  # files actually rewritten (none with check=True)
    skipped: str | None = None  # the git operation in progress that made a hook wait
    notes: tuple[str, ...] = ()  # what the history reader says about the repository (for the terminal)
    problem_list: tuple[Problem, ...] = ()  # the problems themselves (the watcher names new ones)

    @property
    def total(self) -> int:
        return sum(count for _, count in self.counts)

    def summary(self) -> str:
        """``3 applications: 1 PENDING, 2 APPLIED; 0 problems.``"""
        noun = "application" if self.total == 1 else "applications"
        counts = ", ".join(f"{count} {status}" for status, count in self.counts)
        problems = "1 problem" if self.problems == 1 else f"{self.problems} problems"
        advice = " (run `jobtrail check`)" if self.problems else ""
        return f"{self.total} {noun}{': ' + counts if counts else ''}; {problems}{advice}."


@dataclass(frozen=True)
class Rendered:
    files: dict[str, bytes]  # file name (at the root) -> content
    counts: tuple[tuple[str, int], ...]
    problems: tuple[Problem, ...]
    notes: tuple[str, ...]


def render_repository(
    repo: Repository, today: datetime.date, cache: ApplicationCache | StampCache | None = None
) -> Rendered:
    """Both generated files as they should be now (``cache``: keep unchanged files parsed and checked)."""
    root, config = repo.root, repo.config
    load = cache.load if cache else load_application
    folder = repo_relative(config.applications_path, root)
    apps: dict[str, Application] = {}
    by_path: dict[str, Application] = {}
    for path in application_paths(config.applications_path):
        relative = application_relative(path, config.applications_path, folder)
        apps[relative] = by_path[path] = load(path, relative, config)
    if cache:
        cache.keep_only(apps)

    def fields_of(path: str, shown: str, config: Config) -> Fields | None:
        """Each file is read and parsed once: the history takes its fields from the parsed file
        (a file that appeared since the folder was listed is read on its own)."""
        app = by_path.get(path)
        return fields_of_application(app) if app is not None else current_fields(path, shown, config)

    history = read_history(repo, today=today, fields_of=fields_of)
    return render(config, history, apps, today, check_one=cache.check_one if cache else check_application)


def render(
    config: Config,
    history: RepositoryHistory,
    apps: dict[str, Application],
    today: datetime.date,
    *,
    check_one: Callable[[Application, CheckContext], list[Problem]] = check_application,
    duplicates: list[Problem] | None = None,
) -> Rendered:
    """Both generated files for these applications and their history (pure; ``duplicates`` as for
    ``check_applications``)."""
    # Checked as of the newest date in the history, not the clock: the files are a function of the repository.
    context = CheckContext(config, history.newest or today)
    problems = check_applications(list(apps.values()), [], context, check_one=check_one, duplicates=duplicates)
    rows = application_rows(history, apps, config)
    files = {
        INDEX_FILE: render_index(history, apps, problems, config, rows=rows).encode("utf-8"),
        HISTORY_FILE: render_history(history, config, apps, rows=rows).encode("utf-8"),
    }
    counts = status_counts(rows, config)
    return Rendered(files, tuple(counts), tuple(problems), history.notes)


def _stale(root: str, rendered: Rendered) -> tuple[str, ...]:
    return tuple(name for name, data in rendered.files.items() if read_or_none(os.path.join(root, name)) != data)


def _unchanged(root: str, digests: dict[str, str]) -> bool:
    """Both generated files on disk are the ones rendered for the memo's key."""
    from .outputmemo import digest

    if set(digests) != {INDEX_FILE, HISTORY_FILE}:
        return False
    for name, expected in digests.items():
        data = read_or_none(os.path.join(root, name))
        if data is None or digest(data) != expected:
            return False
    return True


def _remember(repo: Repository, day: datetime.date, key: Inputs | None, rendered: Rendered) -> None:
    """Keep what was rendered for ``key`` when the inputs did not move during the render.

    Not with notes about the history (a partial clone's missing versions, a shallow
    clone, an operation in progress): those runs are rare, and a later one may read more.
    """
    from . import outputmemo

    if key is None or rendered.notes:
        return
    after = outputmemo.inputs(repo, day)  # a file or HEAD that moved while it rendered: nothing kept
    if after is not None and after.key == key.key and outputmemo.same_content(repo.root, key.racy):
        digests = {name: outputmemo.digest(data) for name, data in rendered.files.items()}
        outputmemo.remember(repo.git_dir, key, outputmemo.Recalled(digests, rendered.counts, rendered.problems))


def ensure_merge_driver(repo: Repository) -> None:
    """Register the merge driver `.gitattributes` names for the generated files (best effort).

    The driver keeps the current branch's version (``true`` leaves it in place and
    reports success); the post-merge hook then regenerates both files.
    """
    key = f"merge.{MERGE_DRIVER}.driver"
    if git.output_or_none(repo.root, "config", "--get", key) is not None:
        return
    for name, value in (
        (f"merge.{MERGE_DRIVER}.name", "jobtrail generated file: keep one side, the post-merge hook regenerates it"),
        (key, "true"),
    ):
        git.output_or_none(repo.root, "config", name, value)


def regenerate(
    repo: Repository,
    *,
    check: bool = False,
    today: datetime.date | None = None,
    wait_for_git: bool = False,
    cache: ApplicationCache | None = None,
    lock_timeout: float | None = None,
) -> IndexResult:
    """Bring INDEX.md and HISTORY.md up to date (``check``: only say which are not).

    ``wait_for_git``: do nothing while a merge, rebase, cherry-pick, revert or
    bisect is in progress (for hooks and the watcher: writing then would dirty
    the work tree under git's feet). ``cache``: the watcher's, kept between calls.
    ``lock_timeout``: give up (``LockTimeout``) after waiting that long for another writer.
    """
    root = repo.root
    if wait_for_git and (operation := repo.operation_in_progress()):
        return IndexResult((), 0, (), (), skipped=operation)
    day = today or git.author_today(root)
    key = None
    if cache is None:  # not the watcher's: what the last run rendered, and the versions it read, by file stamp
        from . import outputmemo

        key = outputmemo.inputs(repo, day)
        recalled = outputmemo.recall_inputs(repo, key) if key is not None else None
        if recalled is not None and _unchanged(root, recalled.digests):
            if not check:
                ensure_merge_driver(repo)
            return IndexResult(recalled.counts, len(recalled.problems), (), (), problem_list=recalled.problems)
        from .stampcache import StampCache

        stamps = StampCache(repo.git_dir, repo.config)
    if check:
        rendered = render_repository(repo, day, cache or stamps)
        if cache is None:
            stamps.save()
            _remember(repo, day, key, rendered)
        return IndexResult(
            rendered.counts,
            len(rendered.problems),
            _stale(root, rendered),
            (),
            notes=rendered.notes,
            problem_list=rendered.problems,
        )
    with locked(os.path.join(repo.git_dir, "jobtrail-index.lock"), timeout=lock_timeout, waiting_for="write INDEX.md"):
        rendered = render_repository(repo, day, cache or stamps)
        if cache is None:
            stamps.save()
        stale = _stale(root, rendered)
        with held_signals():  # both files or neither: a stop between the two would leave them disagreeing
            for name in stale:
                try:
                    write_atomic(os.path.join(root, name), rendered.files[name])
                except OSError as exc:
                    raise JobtrailError(f"{name}: cannot write it ({exc.strerror}): move what is in the way") from None
        if cache is None:
            _remember(repo, day, key, rendered)
    ensure_merge_driver(repo)
    return IndexResult(
        rendered.counts, len(rendered.problems), stale, stale, notes=rendered.notes, problem_list=rendered.problems
    )
