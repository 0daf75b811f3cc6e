"""`jobtrail watch`'s loop: keep INDEX.md and HISTORY.md fresh while you edit and while git works.

Three parts: the observer (``observer.FolderObserver``, the only one that
knows watchdog) reports changed paths from its thread; ``watchplan.classify``
keeps those that matter and a Debouncer gathers them into batches; this loop
takes each batch once a burst has been quiet for ``QUIET`` seconds (at the
latest ``MAX_WAIT`` after it began), asks ``watchplan.Planner`` what to do, and
does it: regenerate, or wait while git holds ``index.lock`` or a merge or
rebase is in progress. Every decision is the planner's (pure, tested on its
own); the loop only looks at the file system and git and carries it out. An
error in one regeneration is reported in one line and the next change tries
again: the watcher never dies of what it reads. Between regenerations an
ApplicationCache keeps every unchanged file parsed and checked, so a save costs
the rendering, not the reading of a thousand files.

What is watched, and why: see ``watchplan``.
"""

from __future__ import annotations

import os
import time

from .appcache import ApplicationCache
from .config import DEFAULT_TEMPLATE_FILE, Config, load_config
from .debounce import Debouncer
from .errors import JobtrailError, from_environment
from .generated import regenerate
from .observer import FolderObserver, Say
from .render import HISTORY_FILE, INDEX_FILE
from .repository import git_dirs, operation_in_progress, repository_at
from .watchplan import (
    SETTING_FILES,
    START,
    Action,
    Defer,
    Planner,
    Regenerate,
    Signature,
    WatchPlan,
    changes_of,
    watch_targets,
)

QUIET = 0.1  # seconds without news before regenerating: an editor's save is over in a few milliseconds
MAX_WAIT = 1.0  # a long burst (a big checkout) still regenerates at least this often


def plan_for(root: str, config: Config | None) -> WatchPlan:
    dirs = git_dirs(root)
    applications = config.applications_path if config else os.path.join(root, "applications")
    template = (config.template_path if config else None) or DEFAULT_TEMPLATE_FILE
    settings = {os.path.join(root, name) for name in SETTING_FILES}
    settings.add(os.path.normpath(os.path.join(root, template)))
    return WatchPlan(
        root=root,
        applications=os.path.normpath(applications),
        settings=frozenset(settings),
        generated=frozenset(os.path.join(root, name) for name in (INDEX_FILE, HISTORY_FILE)),
        git_dir=dirs.git_dir,
        common_dir=dirs.common_dir,
    )


def signature(path: str) -> Signature:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_ino, stat.st_size, stat.st_mtime_ns


def git_busy(plan: WatchPlan) -> str | None:
    """Why git's work tree is not a state to record right now, or None."""
    if os.path.exists(os.path.join(plan.git_dir, "index.lock")):
        return "git is writing (.git/index.lock exists; if no git command is running, delete it)"
    operation = operation_in_progress(plan.git_dir)
    return f"{operation} is in progress" if operation else None


class Watcher:
    """The observer, the debouncer and the loop that regenerates. ``run`` blocks until ``stop``."""

    def __init__(
        self,
        root: str,
        say: Say,
        *,
        poll: bool = False,
        quiet: float = QUIET,
        max_wait: float = MAX_WAIT,
    ) -> None:
        self.root = root
        self._say = say
        self._poll = poll
        self._debouncer = Debouncer(quiet, max_wait)
        self._plan = plan_for(root, None)
        self._planner = Planner()
        self._observer: FolderObserver | None = None
        self._cache = ApplicationCache()

    @property
    def regenerations(self) -> int:
        return self._planner.regenerations

    def run(self) -> None:
        try:
            self._observer = FolderObserver(self._on_event, self._say, poll=self._poll)
            self._observer.hold(watch_targets(self._plan, os.path.isdir))
            self._observer.start()
            self._say("info", f"watching {self.root} (Ctrl-C stops)")
            self._debouncer.add([("start", START)])
            while (batch := self._debouncer.take()) is not None:
                self._carry_out(self._planner.batch(batch, busy=git_busy(self._plan), generated=self._generated()))
        finally:
            self._debouncer.stop()
            if self._observer is not None:
                self._observer.stop()

    def stop(self) -> None:
        """Make ``run`` return (from any thread); it stops the observer on its way out."""
        self._debouncer.stop()

    def _on_event(self, event_type: str, paths: list[str], is_folder: bool = False) -> None:
        """In the observer's thread."""
        changes = changes_of(self._plan, paths, is_folder)
        if changes:
            self._say("detail", f"  {event_type}: {', '.join(label for label, _ in changes)}")
            self._debouncer.add(changes)

    def _carry_out(self, actions: list[Action]) -> None:
        for action in actions:
            if isinstance(action, Regenerate):
                self._carry_out(self._regenerate(action))
            elif isinstance(action, Defer):
                self._debouncer.defer(action.batch, action.delay)
            else:
                self._say(action.level, action.text)

    def _regenerate(self, job: Regenerate) -> list[Action]:
        started = time.perf_counter()
        try:
            self._follow_configuration()
            result = regenerate(repository_at(self.root), wait_for_git=True, cache=self._cache)
        except JobtrailError as exc:
            return self._planner.failed(job, exc, self._generated(), bug=False)
        except Exception as exc:
            refused = from_environment(exc)  # a read-only checkout, a full disk: not a bug
            return self._planner.failed(job, refused or exc, self._generated(), bug=refused is None)
        return self._planner.regenerated(job, result, time.perf_counter() - started, self._generated())

    def _generated(self) -> dict[str, Signature]:
        """The generated files' signatures, by label (``INDEX.md``)."""
        return {os.path.relpath(path, self.root).replace(os.sep, "/"): signature(path) for path in self._plan.generated}

    def _follow_configuration(self) -> None:
        """Watch where the configuration says the applications and the template are (it may have changed)."""
        # Before regenerating: what changes in a folder before its watch begins, this regeneration reads.
        self._plan = plan_for(self.root, load_config(self.root))
        if self._observer is not None:
            self._observer.hold(watch_targets(self._plan, os.path.isdir))
