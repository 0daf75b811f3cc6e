"""`jobtrail watch`: keep INDEX.md and HISTORY.md fresh while you edit and while git works.

What is watched, and why (every watch but the branch refs is one folder deep):

- The applications folder. An application is a ``*.md`` file in it whose name
  does not start with a dot, the rule `jobtrail check` uses; anything else there
  is an editor's temporary file (``.x.md.swp``, ``x.md~``, ``4913``,
  ``#x.md#``, ``x.md.tmp``) and is ignored. An editor's atomic save renames its
  temporary file over the application: the rename counts, the temporary does not.
- The top folder: the configuration (``jobtrail.toml``, ``pyproject.toml``),
  the template, the applications folder itself (deleted, created, renamed) and
  the generated files: a deleted or hand-edited ``INDEX.md`` is written again,
  while the watcher's own writes are recognised (inode, size, time) and ignored.
- Git's state: ``HEAD``, the branch refs and ``packed-refs`` (a commit,
  checkout, reset, merge or rebase moves one of them) and the markers of a merge
  or rebase in progress. Not ``.git/index``: ``git add`` and ``git status``
  rewrite it, and they change no history.

How: the observer's thread classifies each event (``classify``) and hands the
ones that matter to a Debouncer; the loop regenerates once a burst has been
quiet for ``QUIET`` seconds (at the latest ``MAX_WAIT`` after it began). While
git holds ``index.lock`` (a commit or checkout is writing the work tree) or a
merge or rebase is in progress, the loop waits and tries again. An error in one
regeneration is reported in one line and the next change tries again: the
watcher never dies of what it reads. Between regenerations an ApplicationCache
keeps every unchanged file parsed and checked, so a save costs the rendering,
not the reading of a thousand files.
"""

from __future__ import annotations

import os
import time
import traceback
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .appcache import ApplicationCache
from .config import DEFAULT_TEMPLATE_FILE, Config, load_config
from .debounce import Debouncer
from .errors import JobtrailError
from .generated import IndexResult, regenerate
from .problem import Problem
from .render import HISTORY_FILE, INDEX_FILE
from .repository import GIT_OPERATIONS, git_dirs, operation_in_progress, repository_at

QUIET = 0.1  # seconds without news before regenerating: an editor's save is over in a few milliseconds
MAX_WAIT = 1.0  # a long burst (a big checkout) still regenerates at least this often
LOCK_RETRY = (0.1, 1.0)  # first and longest wait while git holds index.lock
OPERATION_RETRY = 1.0  # while a merge or rebase is in progress (its end is an event too)
POLL_INTERVAL = 0.5  # seconds between two looks with --poll
NEW_PROBLEMS_SHOWN = 10

# The kinds of change; the order of a batch's description follows the events.
APPLICATION = "application"
SETTING = "setting"
GENERATED = "generated"
FOLDER = "folder"
GIT = "git"
START = "start"

SETTING_FILES = ("jobtrail.toml", "pyproject.toml")
GIT_MARKERS = frozenset({"HEAD", *GIT_OPERATIONS})

Say = Callable[[str, str], None]  # (level, text); level: "error", "info" or "detail"
Signature = tuple[int, int, int] | None  # (inode, size, mtime in ns) of a file; None when it does not exist
FolderIdentity = tuple[int, int] | None  # (device, inode)


def is_within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def is_application_name(name: str) -> bool:
    """The rule of ``files.application_paths``: ``*.md``, not hidden."""
    return name.endswith(".md") and not name.startswith(".")


@dataclass(frozen=True)
class WatchPlan:
    """Which folders to watch and which paths in them matter, for one root and configuration."""

    root: str
    applications: str
    settings: frozenset[str]  # configuration files and the template (absolute paths)
    generated: frozenset[str]  # INDEX.md and HISTORY.md
    git_dir: str
    common_dir: str  # where refs live (differs from git_dir in a linked worktree)

    @property
    def heads(self) -> str:
        return os.path.join(self.common_dir, "refs", "heads")

    def folders(self) -> set[tuple[str, bool]]:
        """``(folder, recursive)`` pairs to watch (some may not exist yet)."""
        wanted = {(self.root, False), (self.applications, False), (self.git_dir, False), (self.common_dir, False)}
        wanted |= {(os.path.dirname(path), False) for path in self.settings}
        wanted.add((self.heads, True))  # branch names may contain slashes
        return wanted


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


def classify(plan: WatchPlan, path: str) -> tuple[str, str] | None:
    """``(label, kind)`` of a changed path, or None when the change cannot affect the generated files."""
    folder, name = os.path.split(path)
    if is_within(path, plan.common_dir) or is_within(path, plan.git_dir):
        if folder == plan.git_dir and name in GIT_MARKERS:
            return f"git {name}", GIT
        if path == os.path.join(plan.common_dir, "packed-refs"):
            return "git packed-refs", GIT
        if is_within(path, plan.heads) and path != plan.heads and not name.endswith(".lock"):
            return "git " + os.path.relpath(path, plan.common_dir).replace(os.sep, "/"), GIT
        return None
    if not is_within(path, plan.root) or path == plan.root:
        return None
    label = os.path.relpath(path, plan.root).replace(os.sep, "/")
    if folder == plan.applications:
        return (label, APPLICATION) if is_application_name(name) else None
    if path in plan.generated:
        return label, GENERATED
    if path in plan.settings:
        return label, SETTING
    if any(is_within(watched, path) for watched in (plan.applications, *plan.settings)):
        return label + "/", FOLDER
    return None


def changes_of(plan: WatchPlan, event: Any) -> list[tuple[str, str]]:
    """The changes one watchdog event stands for (a move counts at both ends)."""
    paths = [event.src_path]
    if getattr(event, "dest_path", ""):
        paths.append(event.dest_path)
    found = (classify(plan, os.fsdecode(path)) for path in paths if path)
    return [change for change in found if change is not None]


def describe(batch: Mapping[str, str], shown: int = 3) -> str:
    """``applications/a.md, git HEAD and 498 more``."""
    labels = list(batch)
    if len(labels) <= shown:
        return " and ".join([", ".join(labels[:-1]), labels[-1]] if len(labels) > 1 else labels)
    return f"{', '.join(labels[:shown])} and {len(labels) - shown} more"


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


def _problem_key(problem: Problem) -> tuple[str, str, str]:
    # Not the line: an edit above a problem moves it without making it new.
    return problem.path, problem.code, problem.message


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"


class ProblemTracker:
    """Which problems are new since the last regeneration (the first one only counts them)."""

    def __init__(self) -> None:
        self._known: set[tuple[str, str, str]] | None = None

    def update(self, problems: Iterable[Problem]) -> tuple[list[Problem], int]:
        """The new problems, and how many known ones were fixed."""
        current = {_problem_key(problem): problem for problem in problems}
        if self._known is None:
            new: list[Problem] = []
            fixed = 0
        else:
            new = [problem for key, problem in current.items() if key not in self._known]
            fixed = len(self._known - current.keys())
        self._known = set(current)
        return new, fixed


def regeneration_line(what: str, result: IndexResult, new: int, fixed: int, seconds: float) -> str:
    """One console line: what changed, what was written, problems found, time taken."""
    wrote = f"wrote {' and '.join(result.written)}" if result.written else "up to date"
    problems = _plural(result.problems, "problem")
    notes = [f"{new} new"] if new else []
    notes += [f"{fixed} fixed"] if fixed else []
    if notes:
        problems += f" ({', '.join(notes)})"
    return f"{what}: {wrote}; {_plural(result.total, 'application')}, {problems}; {seconds * 1000:.0f} ms"


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
        self._observer: Any = None
        self._handler: Any = None
        self._events: list[Any] = []
        self._watches: dict[tuple[str, bool], tuple[Any, FolderIdentity]] = {}
        self._signatures: dict[str, Signature] = {}
        self._problems = ProblemTracker()
        self._cache = ApplicationCache()
        self._waiting: str | None = None
        self._lock_retries = 0
        self.regenerations = 0

    # ------------------------------------------------------------ the loop

    def run(self) -> None:
        try:
            self._start_observer()
            self._say("info", f"watching {self.root} (Ctrl-C stops)")
            self._debouncer.add([("start", START)])
            while (batch := self._debouncer.take()) is not None:
                self._handle(batch)
        finally:
            self._stop_observer()

    def stop(self) -> None:
        """Make ``run`` return (from any thread); it stops the observer on its way out."""
        self._debouncer.stop()

    def _handle(self, batch: dict[str, str]) -> None:
        own = [label for label, kind in batch.items() if kind == GENERATED and self._is_own_write(label)]
        if own:
            self._say("detail", f"{describe(dict.fromkeys(own, GENERATED))}: the watcher's own write, ignored")
            batch = {label: kind for label, kind in batch.items() if label not in own}
            if not batch:
                return
        busy = git_busy(self._plan)
        if busy:
            self._wait(batch, busy)
            return
        self._waiting = None
        self._lock_retries = 0
        self._regenerate(batch)

    def _wait(self, batch: dict[str, str], why: str) -> None:
        if why != self._waiting:
            self._say("info", f"waiting: {why}")
            self._waiting = why
        if "index.lock" in why:
            first, longest = LOCK_RETRY
            delay = min(first * 2**self._lock_retries, longest)
            self._lock_retries += 1
        else:
            delay = OPERATION_RETRY
        self._debouncer.defer(batch, delay)

    def _regenerate(self, batch: dict[str, str]) -> None:
        what = "start" if START in batch.values() else describe(batch)
        started = time.perf_counter()
        try:
            self._follow_configuration()
            result = regenerate(repository_at(self.root), wait_for_git=True, cache=self._cache)
        except JobtrailError as exc:
            self._say("error", f"{what}: {exc} (watching on: the next change tries again)")
            return
        except Exception as exc:
            self._say(
                "error",
                f"{what}: unexpected error, a bug in jobtrail: {type(exc).__name__}: {exc} (watching on: the next change tries again)",
            )
            self._say("detail", "".join(traceback.format_exception(exc)).rstrip())
            return
        finally:
            self._signatures = {path: signature(path) for path in self._plan.generated}
        if result.skipped:
            self._wait(batch, f"{result.skipped} is in progress")
            return
        self.regenerations += 1
        new, fixed = self._problems.update(result.problem_list)
        self._say("info", regeneration_line(what, result, len(new), fixed, time.perf_counter() - started))
        for problem in new[:NEW_PROBLEMS_SHOWN]:
            self._say("error" if problem.severity == "error" else "info", f"  {problem.as_text()}")
        if len(new) > NEW_PROBLEMS_SHOWN:
            self._say("info", f"  ... and {len(new) - NEW_PROBLEMS_SHOWN} more: run `jobtrail check`")

    def _is_own_write(self, label: str) -> bool:
        """A generated file is as the last regeneration left it (not deleted, not edited by hand)."""
        path = os.path.join(self.root, label)
        return path in self._signatures and signature(path) == self._signatures[path]

    # ------------------------------------------------------------ the observer

    def _start_observer(self) -> None:
        from watchdog.events import (
            DirCreatedEvent,
            DirDeletedEvent,
            DirMovedEvent,
            FileClosedEvent,
            FileCreatedEvent,
            FileDeletedEvent,
            FileModifiedEvent,
            FileMovedEvent,
            FileSystemEventHandler,
        )

        watcher = self

        class Handler(FileSystemEventHandler):
            def dispatch(self, event: Any) -> None:
                watcher._on_event(event)

        self._handler = Handler()
        # Opened / closed-without-writing / attribute events change nothing: the kernel does not even send them.
        self._events = [
            FileCreatedEvent,
            FileDeletedEvent,
            FileModifiedEvent,
            FileMovedEvent,
            FileClosedEvent,
            DirCreatedEvent,
            DirDeletedEvent,
            DirMovedEvent,
        ]
        if self._poll:
            from watchdog.observers.polling import PollingObserver

            self._observer = PollingObserver(timeout=POLL_INTERVAL)
        else:
            from watchdog.observers import Observer

            self._observer = Observer()
        self._sync_watches()
        try:
            self._observer.start()
        except OSError as exc:
            raise JobtrailError(
                f"cannot watch the files ({exc.strerror or exc}): try `jobtrail watch --poll`"
            ) from None

    def _on_event(self, event: Any) -> None:
        """In the observer's thread: keep it short, and never let it die."""
        try:
            changes = changes_of(self._plan, event)
            if changes:
                self._say("detail", f"  {event.event_type}: {', '.join(label for label, _ in changes)}")
                self._debouncer.add(changes)
        except Exception as exc:
            self._say("error", f"cannot read a file system event ({type(exc).__name__}: {exc})")

    def _follow_configuration(self) -> None:
        """Watch where the configuration says the applications and the template are (it may have changed)."""
        # Before regenerating: what changes in a folder before its watch begins, this regeneration reads.
        self._plan = plan_for(self.root, load_config(self.root))
        self._sync_watches()

    def _sync_watches(self) -> None:
        """Make the observer's watches match the plan.

        A folder that does not exist yet is watched through its nearest existing
        parent; a folder that was deleted and made again (a new inode) gets a new watch.
        """
        wanted: dict[tuple[str, bool], FolderIdentity] = {}
        for folder, recursive in self._plan.folders():
            target, deep = folder, recursive
            while not os.path.isdir(target) and is_within(target, self.root) and target != self.root:
                target, deep = os.path.dirname(target), False
            if os.path.isdir(target):
                wanted[(target, deep)] = _folder_identity(target)
        for key, (watch, identity) in list(self._watches.items()):
            if wanted.get(key, ()) != identity:
                self._unschedule(watch)
                del self._watches[key]
        for key, identity in wanted.items():
            if key in self._watches:
                continue
            try:
                watch = self._observer.schedule(self._handler, key[0], recursive=key[1], event_filter=self._events)
            except OSError as exc:
                self._say("error", f"cannot watch {key[0]} ({exc.strerror or exc}); the next change tries again")
                continue
            self._watches[key] = (watch, identity)
            self._say("detail", f"  watching {key[0]}{' and below' if key[1] else ''}")

    def _unschedule(self, watch: Any) -> None:
        try:
            self._observer.unschedule(watch)
        except (KeyError, OSError):
            pass

    def _stop_observer(self) -> None:
        self._debouncer.stop()
        observer = self._observer
        if observer is None:
            return
        observer.stop()
        if observer.is_alive():
            observer.join(timeout=2)


def _folder_identity(path: str) -> FolderIdentity:
    """A folder made again under the same name is a new one (a new inode): its watch must be made again."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_dev, stat.st_ino
