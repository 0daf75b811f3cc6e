"""The rows of the commit being made, from its parent's (``rowmemo``): only the applications it changes are read.

The parent's memo is the one the hook kept when it staged the parent: same
tree, parents, author's day and context (``commit_key``).
A commit with one parent changes the rows of the files it changes only (see
rowmemo); those are parsed from their blobs, and their histories read at the
throwaway commit as for a full render. Anything this path does not handle (a
merge, a symlink or a submodule among the changes) is left to the full render.
"""

from __future__ import annotations

import datetime
import os
from typing import TYPE_CHECKING, NamedTuple

from . import git
from .check import check_applications
from .filerules import duplicate_key, duplicates_of
from .files import is_application_path
from .gittree import REGULAR_FILES, read_blobs
from .historyat import history_at
from .model import Application
from .parse import fields_of_application, parse_bytes
from .problem import Problem, error, has_errors
from .repository import Repository
from .rows import Row, application_rows, newest_date
from .rules import CheckContext, check_application

if TYPE_CHECKING:  # rowmemo loads msgspec: only once a memo is read
    from .rowmemo import Kept, Memo


class Gathered(NamedTuple):
    """What the generated files of the commit being made are rendered from."""

    problems: list[Problem]  # the changed applications' problems as of today (they stop the commit)
    rows: list[Row]  # every application, by path
    own: dict[str, tuple[Problem, ...]]  # every application's per-file problems as of ``day``
    day: datetime.date  # the as-of date (the newest date in the history, else today)
    duplicates: list[Problem]
    kept: dict[str, Kept] | None  # what rowmemo keeps for the next commit; None: nothing (a symlink, say)
    notes: tuple[str, ...] = ()
    shallow: bool = False
    base: str | None = None  # rowmemo: the base file ``kept`` came from
    since_base: frozenset[str] = frozenset()  # rowmemo: the paths whose entry differs from that file's


def folder_tree(repo: Repository, treeish: str) -> str | None:
    """The tree of the applications folder in ``treeish`` (a tree or a commit); None when it has none (no
    folder, or a file or a symlink by that name)."""
    folder = repo.config.applications_dir
    found = git.output_or_none(repo.root, "ls-tree", "-z", treeish, "--", folder)  # `040000 tree SHA\tNAME`
    meta, _, name = (found or b"").partition(b"\t")
    kind = meta.split(b" ")
    if name.rstrip(b"\0") != os.fsencode(folder) or len(kind) != 3 or kind[1] != b"tree":
        return None
    return kind[2].decode()


def parent_memo(repo: Repository, parents: list[str], context: str) -> tuple[str, Memo] | None:
    """The memo of the only parent, and that parent's applications folder tree; None for a merge, a first
    commit, or a parent the hook did not stage (``--no-verify``, a rebase) or staged in another context.

    The memo is named by the parent's whole tree, not its applications folder's only: which file git
    pairs with which as a rename can depend on files outside the folder (an amend without the hook that
    adds one keeps the folder, the parents and the day)."""
    from .rowmemo import commit_key, load

    if len(parents) != 1:
        return None
    made = git.output_or_none(repo.root, "log", "-1", "--format=%T%n%P%n%ad", "--date=format:%Y-%m-%d", parents[0])
    folder = folder_tree(repo, parents[0])
    if made is None or folder is None:
        return None
    fields = made.decode().rstrip("\n").split("\n")  # a root commit's parents: an empty line
    if len(fields) != 3:
        return None
    tree, grandparents, day = fields
    try:
        authored = datetime.date.fromisoformat(day)
    except ValueError:
        return None
    memo = load(repo.git_dir, commit_key(tree, grandparents.split(), authored, context))
    return (folder, memo) if memo is not None else None


def _changes(repo: Repository, before: str, after: str) -> dict[str, tuple[str, str, bool] | None] | None:
    """What differs between two applications folder trees: path -> (mode, blob, whether the content
    changed), None when removed; None when a change is not a regular file."""
    out = git.run(repo.root, "diff-tree", "-r", "-z", "--no-renames", before, after)
    fields = out.split(b"\0")
    folder = repo.config.applications_dir
    changes: dict[str, tuple[str, str, bool] | None] = {}
    for meta, name in zip(fields[0::2], fields[1::2], strict=False):
        _old_mode, mode, old_sha, sha, status = meta.decode().lstrip(":").split(" ")
        path = f"{folder}/{name.decode('utf-8', 'surrogateescape')}"
        if not is_application_path(path, folder):
            continue
        if status == "D":
            changes[path] = None
        elif mode not in REGULAR_FILES:
            return None
        else:  # a mode alone (chmod +x) too: the walk dates the file's last change by it
            changes[path] = (mode, sha, sha != old_sha)
    return changes


def gather_from_parent(
    repo: Repository, tree: str, folder: str, parents: list[str], prior: tuple[str, Memo], today: datetime.date
) -> Gathered | None:
    """``staging._gather``'s result, from the parent's memo and the changed files; None: render in full."""
    from .commitmade import throwaway_commit
    from .rowmemo import keep, version_of

    config = repo.config
    parent_folder, memo = prior
    changes = _changes(repo, parent_folder, folder)
    if changes is None:
        return None
    kept = {path: found for path, found in memo.kept.items() if path not in changes}
    changed = {path: entry for path, entry in changes.items() if entry is not None}
    blobs = read_blobs(repo, {sha for _, sha, _ in changed.values()})
    apps = {path: blob_application(path, blobs[sha], config.max_file_bytes) for path, (_, sha, _) in changed.items()}
    keys = {path: found.duplicate for path, found in kept.items()}
    keys.update((path, duplicate_key(app)) for path, app in apps.items())
    duplicates = duplicates_of(keys.items())
    checked = [apps[path] for path in sorted(apps) if changed[path][2]]  # as a full render: new content only
    problems = check_applications(checked, [], CheckContext(config, today), duplicates=duplicates)
    if has_errors(problems):
        return Gathered(problems, [], {}, today, duplicates, None)

    commit = throwaway_commit(repo, tree, parents)
    before = {path: version_of(memo.kept[path]) for path in changes if path in memo.kept}
    fields = {path: fields_of_application(app) for path, app in apps.items()}
    history, snapshot = history_at(repo, commit, parents, fields, before)
    fresh = {row.path: row for row in application_rows(history, apps, config)}
    rows = sorted([*(found.row for found in kept.values()), *fresh.values()])  # by path: rows start with it
    day = newest_date(rows) or today
    context = CheckContext(config, day)
    own = {path: tuple(check_application(app, context)) for path, app in apps.items()}
    again = _kept_problems(repo, kept, memo.day, day, context)
    own.update((path, found.problems) for path, found in kept.items())
    kept.update(
        (path, keep(changed[path][1], fresh[path], own[path], keys[path], app, snapshot[path]))
        for path, app in apps.items()
    )
    since_base = memo.since_base | changes.keys() | again
    return Gathered(problems, rows, own, day, duplicates, kept, history.notes, history.shallow, memo.base, since_base)


def _kept_problems(
    repo: Repository, kept: dict[str, Kept], then: datetime.date, day: datetime.date, context: CheckContext
) -> set[str]:
    """Bring the kept applications' problems to ``day``: those found as of ``then`` hold unless the one rule
    that reads the day (an Application Date in the future) may say otherwise; those files are read and
    checked again (their paths are returned)."""
    again: dict[str, str] = {}
    if then != day:
        for path, found in kept.items():
            date = found.application_date
            if date is not None and date > min(then, day):
                again[path] = found.blob
    if again:
        blobs = read_blobs(repo, set(again.values()))
        for path, sha in again.items():
            app = blob_application(path, blobs[sha], repo.config.max_file_bytes)
            kept[path] = kept[path]._replace(problems=tuple(check_application(app, context)))
    return set(again)


def blob_application(path: str, data: bytes | None, max_bytes: int) -> Application:
    if data is None:
        return Application(
            path=path,
            problems=(error(path, 1, "JT103", f"file is larger than {max_bytes:,} bytes"),),
            readable=False,
        )
    return parse_bytes(path, data)
