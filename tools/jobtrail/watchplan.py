"""The watcher's pure core: which changes matter, and what to do about a batch of them.

No threads, no file system, no watchdog: paths and facts in, decisions out.

- ``WatchPlan`` names the folders to watch and the paths in them that matter;
  ``classify`` turns one changed path into a ``(label, kind)`` change or None.
- ``Planner`` decides, for each batch the debouncer hands over, what the loop
  does: ``Say`` a line, ``Defer`` the batch (git is busy: wait and try again),
  or ``Regenerate``. The loop reports back how the regeneration went
  (``regenerated`` / ``failed``) and gets the lines to print.

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
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .files import is_application_name
from .problem import Problem
from .repository import GIT_OPERATIONS

if TYPE_CHECKING:
    from .generated import IndexResult

LOCK_RETRY = (0.1, 1.0)  # first and longest wait while git holds index.lock
OPERATION_RETRY = 1.0  # while a merge or rebase is in progress (its end is an event too)
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

Batch = dict[str, str]  # label -> kind, in the order the changes came
Signature = tuple[int, int, int] | None  # (inode, size, mtime in ns) of a file; None when it does not exist


def is_within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


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
        wanted = {(self.root, False), (self.applications, True), (self.git_dir, False), (self.common_dir, False)}
        wanted |= {(os.path.dirname(path), False) for path in self.settings}
        wanted.add((self.heads, True))  # branch names may contain slashes
        return wanted


def watch_targets(plan: WatchPlan, is_dir: Callable[[str], bool]) -> set[tuple[str, bool]]:
    """The ``(folder, recursive)`` watches to hold: a folder that does not exist yet
    is watched through its nearest existing parent (not recursively), so its creation is seen."""
    targets = set()
    for folder, recursive in plan.folders():
        target, deep = folder, recursive
        while not is_dir(target) and is_within(target, plan.root) and target != plan.root:
            target, deep = os.path.dirname(target), False
        if is_dir(target):
            targets.add((target, deep))
    return targets


def classify(plan: WatchPlan, path: str, is_folder: bool = False) -> tuple[str, str] | None:
    """``(label, kind)`` of a changed path, or None when the change cannot affect the generated files.

    ``is_folder``: the event was about a folder (one moved into the applications
    folder brings its files without an event for each)."""
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
    if is_within(folder, plan.applications):  # sub-folders hold applications too
        below = os.path.relpath(path, plan.applications).replace(os.sep, "/")
        if is_application_name(below):
            return label, APPLICATION
        if is_folder and not any(part.startswith(".") for part in below.split("/")):
            return label + "/", FOLDER
        return None
    if path in plan.generated:
        return label, GENERATED
    if path in plan.settings:
        return label, SETTING
    if any(is_within(watched, path) for watched in (plan.applications, *plan.settings)):
        return label + "/", FOLDER
    return None


def changes_of(plan: WatchPlan, paths: Iterable[str], is_folder: bool = False) -> list[tuple[str, str]]:
    """The changes one file system event stands for (a move names both ends)."""
    found = (classify(plan, path, is_folder) for path in paths if path)
    return [change for change in found if change is not None]


def describe(batch: Mapping[str, str], shown: int = 3) -> str:
    """``applications/a.md, git HEAD and 498 more``."""
    labels = list(batch)
    if len(labels) <= shown:
        return " and ".join([", ".join(labels[:-1]), labels[-1]] if len(labels) > 1 else labels)
    return f"{', '.join(labels[:shown])} and {len(labels) - shown} more"


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


@dataclass(frozen=True)
class Say:
    level: str  # "error", "info" or "detail"
    text: str


@dataclass(frozen=True)
class Defer:
    """Hand the batch back to the debouncer, to be taken again after ``delay`` seconds (or news)."""

    batch: Batch
    delay: float


@dataclass(frozen=True)
class Regenerate:
    what: str  # how the console line names the batch
    batch: Batch


Action = Say | Defer | Regenerate


class Planner:
    """What to do with each batch, given what the loop saw; remembers what it must between batches.

    ``generated`` is always the current ``Signature`` of each generated file by label
    (``INDEX.md``): after a regeneration it is what the watcher wrote, and a batch
    naming a generated file whose signature is still that is the watcher's own write.
    """

    def __init__(self) -> None:
        self.regenerations = 0
        self._written: dict[str, Signature] = {}
        self._problems = ProblemTracker()
        self._waiting: str | None = None
        self._lock_retries = 0

    def batch(self, batch: Batch, *, busy: str | None, generated: Mapping[str, Signature]) -> list[Action]:
        """A batch the debouncer handed over; ``busy`` says why git's work tree is not to be read now."""
        actions: list[Action] = []
        own = [
            label
            for label, kind in batch.items()
            if kind == GENERATED and label in self._written and generated.get(label) == self._written[label]
        ]
        if own:
            actions.append(
                Say("detail", f"{describe(dict.fromkeys(own, GENERATED))}: the watcher's own write, ignored")
            )
            batch = {label: kind for label, kind in batch.items() if label not in own}
            if not batch:
                return actions
        if busy:
            return actions + self._wait(batch, busy)
        self._waiting = None
        self._lock_retries = 0
        return [*actions, Regenerate("start" if START in batch.values() else describe(batch), batch)]

    def regenerated(
        self, job: Regenerate, result: IndexResult, seconds: float, generated: Mapping[str, Signature]
    ) -> list[Action]:
        """The regeneration of ``job`` ended with ``result`` after ``seconds``."""
        self._written = dict(generated)
        if result.skipped:
            return self._wait(job.batch, f"{result.skipped} is in progress")
        self.regenerations += 1
        new, fixed = self._problems.update(result.problem_list)
        actions: list[Action] = [Say("info", regeneration_line(job.what, result, len(new), fixed, seconds))]
        actions += [
            Say("error" if problem.severity == "error" else "info", f"  {problem.as_text()}")
            for problem in new[:NEW_PROBLEMS_SHOWN]
        ]
        if len(new) > NEW_PROBLEMS_SHOWN:
            actions.append(Say("info", f"  ... and {len(new) - NEW_PROBLEMS_SHOWN} more: run `jobtrail check`"))
        return actions

    def failed(self, job: Regenerate, exc: Exception, generated: Mapping[str, Signature], *, bug: bool) -> list[Action]:
        """The regeneration of ``job`` raised ``exc``: a user's mistake (a JobtrailError) or a ``bug``."""
        self._written = dict(generated)
        retry = "(watching on: the next change tries again)"
        if not bug:
            return [Say("error", f"{job.what}: {exc} {retry}")]
        return [
            Say("error", f"{job.what}: unexpected error, a bug in jobtrail: {type(exc).__name__}: {exc} {retry}"),
            Say("detail", "".join(traceback.format_exception(exc)).rstrip()),
        ]

    def _wait(self, batch: Batch, why: str) -> list[Action]:
        actions: list[Action] = []
        if why != self._waiting:
            actions.append(Say("info", f"waiting: {why}"))
            self._waiting = why
        if "index.lock" in why:
            first, longest = LOCK_RETRY
            delay = min(first * 2**self._lock_retries, longest)
            self._lock_retries += 1
        else:
            delay = OPERATION_RETRY
        return [*actions, Defer(batch, delay)]
