"""Fresh INDEX.md and HISTORY.md inside the commit being made, on the first try.

The pre-commit (and pre-merge-commit) hook works on git's index, never on the
work tree (docs/commit-loop.md says why):

1. ``git write-tree`` the index, and ``git commit-tree`` it onto the parents of
   the commit being made (HEAD; HEAD and MERGE_HEAD when a merge is concluded;
   HEAD's parents for ``--amend``), with the commit's own author date. No ref
   points at this commit: it only lets the history be read exactly as it will
   read at the real commit.
2. Read the staged applications (their blobs) and that history, render both
   files, and when they differ from the staged ones write the new blobs into
   the index (``hash-object -w`` + ``update-index``). git re-reads the index
   after the hook, so the commit carries them.
3. The work tree is left alone: the entries get git's skip-worktree bit, so
   ``git diff`` (what pre-commit compares to see whether a hook "modified
   files") and pre-commit's stash of unstaged changes both leave them out,
   and the stash is restored byte for byte.
4. After the commit, ``settle`` (post-commit, post-merge) clears the bit and
   brings the work tree copies to the committed ones.
"""

from __future__ import annotations

import contextlib
import datetime
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import git
from .blobcache import BlobCache, fingerprint
from .check import check_applications, load_application
from .commitmade import parents_of_commit_being_made, throwaway_commit
from .config import Config
from .errors import JobtrailError
from .filerules import duplicate_key, duplicates_of
from .files import UNREADABLE, display_path, is_application_path
from .generated import Rendered
from .gittree import REGULAR_FILES, SYMLINK, Entry, blob_id, read_blobs, tree_entries
from .historyat import history_at
from .historyfile import history_text
from .hookwrites import git_cannot_write
from .model import Application
from .nextcommit import Gathered, blob_application, folder_tree, gather_from_parent, parent_memo
from .parse import Fields, fields_of_application
from .problem import Problem, error, has_errors
from .render import HISTORY_FILE, INDEX_FILE, index_text
from .repository import Repository
from .rows import Row, application_rows, status_counts
from .rules import CheckContext, check_application
from .settle import GENERATED, write_into_index

if TYPE_CHECKING:  # msgspec (the memo's decoder) is loaded only when the hook reads or keeps a memo
    from .rowmemo import Kept
    from .walk import Snapshot


@dataclass(frozen=True)
class Staged:
    problems: tuple[Problem, ...]  # errors and warnings in the applications this commit changes
    staged: tuple[str, ...]  # generated files whose fresh version was written into the index
    rendered: Rendered | None  # None when the commit was refused
    from_parent: bool = False  # only the changed applications were read: the rest came from the parent's memo

    @property
    def refused(self) -> bool:
        return has_errors(list(self.problems))


def _write_tree(repo: Repository) -> str:
    """The index as a tree; why not, when git cannot write one (a conflict, or no permission)."""
    written, git_says = git.output_or_message(repo.root, "write-tree")
    if written is not None:
        return written.decode().strip()
    if git.output_or_none(repo.root, "ls-files", "--unmerged", "-z"):
        raise JobtrailError("the index has unresolved conflicts: resolve them, `git add` the files and commit again")
    raise git_cannot_write(repo.root, git_says)


def stage_generated(repo: Repository, *, made: str | None = None) -> Staged:
    """Check the applications this commit changes; write fresh generated files into the index.

    ``made``: a commit already made (a merge: git fixes its tree before the
    pre-merge-commit hook runs), read instead of the index; nothing is staged.
    """
    from . import outputmemo, rowmemo

    config = repo.config
    if made:
        tree = git.run(repo.root, "rev-parse", f"{made}^{{tree}}").decode().strip()
        parents = git.run(repo.root, "rev-parse", f"{made}^@").decode().split()
    else:
        tree = _write_tree(repo)
        parents = parents_of_commit_being_made(repo)
    today = git.author_today(repo.root)
    folder = folder_tree(repo, tree)
    context = outputmemo.context(repo)
    prior = None if made else parent_memo(repo, parents, context)
    found: tuple[Gathered, Rendered] | None = None
    from_parent = False
    if prior is not None and folder is not None:
        try:
            gathered = gather_from_parent(repo, tree, folder, parents, prior, today)
            found = None if gathered is None else (gathered, _render(gathered, config))
        except (TypeError, ValueError, AttributeError, KeyError, IndexError):  # a memo whose values disagree
            found = None
        from_parent = found is not None
    if found is None:
        gathered = _gather(repo, tree, parents, today, made)
        found = (gathered, _render(gathered, config))
    gathered, rendered = found
    shown = [
        problem._replace(path=display_path(os.path.join(repo.root, problem.path), repo.root))
        for problem in gathered.problems
    ]
    if has_errors(gathered.problems):
        return Staged(tuple(shown), (), None, from_parent)

    rows = gathered.rows
    generated = {name: tree_entries(repo, tree, name).get(name) for name in GENERATED}
    stale = [
        name
        for name in GENERATED
        if (old := generated[name]) is None or blob_id(rendered.files[name], old.sha) != old.sha
    ]
    if stale and not made:
        write_into_index(repo, {name: rendered.files[name] for name in stale}, generated)
    if not made and not rendered.notes:  # the next `jobtrail index` takes it up (outputmemo)
        if folder is not None:
            _keep_rendering(repo, folder, parents, today, [row.path for row in rows], rendered)
            if gathered.kept is not None:
                committed = _write_tree(repo) if stale else tree  # the tree the commit will have
                key = rowmemo.commit_key(committed, parents, today, context)
                rowmemo.save(
                    repo.git_dir,
                    rowmemo.Memo(key, gathered.day, gathered.kept, gathered.base, gathered.since_base),
                )
    return Staged(tuple(shown), tuple(stale), rendered, from_parent)


def _render(gathered: Gathered, config: Config) -> Rendered:
    """Both generated files (nothing when the commit is refused)."""
    if has_errors(gathered.problems):
        return Rendered({}, (), (), ())
    rows = gathered.rows
    problems = sorted([problem for found in gathered.own.values() for problem in found] + gathered.duplicates)
    files = {
        INDEX_FILE: index_text(rows, problems, config, shallow=gathered.shallow).encode("utf-8"),
        HISTORY_FILE: history_text(rows, shallow=gathered.shallow).encode("utf-8"),
    }
    return Rendered(files, tuple(status_counts(rows, config)), tuple(problems), gathered.notes)


def _gather(repo: Repository, tree: str, parents: list[str], today: datetime.date, made: str | None) -> Gathered:
    """Every staged application read (from the blob cache where it has them) and every history."""
    config = repo.config
    folder = config.applications_dir
    entries = tree_entries(repo, tree, folder)
    files = {path: entry for path, entry in entries.items() if is_application_path(path, folder)}
    before = tree_entries(repo, parents[0], folder) if parents else {}
    changed = {path for path, entry in files.items() if path not in before or before[path].sha != entry.sha}

    cache = BlobCache.load(repo.git_dir, fingerprint(config))
    apps = _applications(repo, files, changed, cache)
    keys = {path: duplicate_key(app) for path, app in apps.items()}
    duplicates = duplicates_of(keys.items())  # once: the rendering needs them too
    problems = check_applications(
        [apps[path] for path in sorted(changed)], [], CheckContext(config, today), duplicates=duplicates
    )
    if has_errors(problems):
        return Gathered(problems, [], {}, today, duplicates, None)

    commit = made or throwaway_commit(repo, tree, parents)
    fields: dict[str, Fields | None] = {path: fields_of_application(app) for path, app in apps.items()}
    history, snapshot = history_at(repo, commit, parents, fields)
    day = history.newest or today
    own = _own_problems(repo, files, apps, cache, CheckContext(config, day))
    rows = list(application_rows(history, apps, config))
    cache.save({(path, entry.sha) for path, entry in files.items()})
    kept: dict[str, Kept] | None = None
    with contextlib.suppress(ValueError):  # a file name that is not UTF-8 (msgspec encodes text only): none kept
        kept = _kept(files, rows, own, keys, apps, snapshot)
    return Gathered(problems, rows, own, day, duplicates, kept, history.notes, history.shallow)


def _kept(
    files: dict[str, Entry],
    rows: list[Row],
    own: dict[str, tuple[Problem, ...]],
    keys: dict[str, tuple[str, str, int] | None],
    apps: dict[str, Application],
    snapshot: Snapshot,
) -> dict[str, Kept] | None:
    """What rowmemo keeps of a full render: every application, when all are regular files the walk knows."""
    from .rowmemo import keep

    if not all(entry.mode in REGULAR_FILES for entry in files.values()) or snapshot.keys() != files.keys():
        return None
    return {
        row.path: keep(files[row.path].sha, row, own[row.path], keys[row.path], apps[row.path], snapshot[row.path])
        for row in rows
    }


def _keep_rendering(
    repo: Repository, folder: str, parents: list[str], today: datetime.date, paths: list[str], rendered: Rendered
) -> None:
    from . import outputmemo

    digests = {name: outputmemo.digest(data) for name, data in rendered.files.items()}
    key = outputmemo.staged_key(repo, folder, parents, today, outputmemo.paths_digest(paths))
    outputmemo.remember(repo.git_dir, key, outputmemo.Recalled(digests, rendered.counts, rendered.problems))


def _applications(
    repo: Repository, files: dict[str, Entry], changed: set[str], cache: BlobCache
) -> dict[str, Application]:
    """Every staged application: parsed from its blob when it changed or is new to the cache.

    The files this commit changes are parsed in full (their rules run); the
    others may be the cache's slim versions (enough to render and compare).
    """
    max_bytes = repo.config.max_file_bytes
    apps: dict[str, Application] = {}
    wanted = {
        path
        for path, entry in files.items()
        if entry.mode in REGULAR_FILES and (path in changed or (path, entry.sha) not in cache.apps)
    }
    blobs = read_blobs(repo, {files[path].sha for path in wanted})
    for path, entry in files.items():
        if path in wanted:
            apps[path] = blob_application(path, blobs[entry.sha], max_bytes)
            cache.put((path, entry.sha), apps[path])
        elif entry.mode in REGULAR_FILES:
            apps[path] = cache.apps[(path, entry.sha)]
        elif entry.mode == SYMLINK:  # git records where it points: read through it, as a checkout does
            apps[path] = load_application(os.path.join(repo.root, *path.split("/")), path, repo.config)
        else:  # a submodule's commit: no file
            message = "is a submodule in git, not a file: commit the file itself"
            apps[path] = Application(path=path, problems=(error(path, 1, UNREADABLE, message),), readable=False)
    return apps


def _own_problems(
    repo: Repository,
    files: dict[str, Entry],
    apps: dict[str, Application],
    cache: BlobCache,
    context: CheckContext,
) -> dict[str, tuple[Problem, ...]]:
    """Each application's per-file problems as of ``context``: from the cache, else by the rules on the full file."""
    day = context.today.isoformat()
    own: dict[str, tuple[Problem, ...]] = {}
    again: set[str] = set()
    for path, app in apps.items():
        entry = files[path]
        found = cache.problems_on((path, entry.sha), day)
        if found is not None:
            own[path] = found
        elif app.lines or not app.readable or entry.mode not in REGULAR_FILES:
            own[path] = tuple(check_application(app, context))
            cache.put_problems((path, entry.sha), day, own[path])
        else:
            again.add(path)
    if again:  # slim versions: parse them in full once for this date
        blobs = read_blobs(repo, {files[path].sha for path in again})
        for path in again:
            entry = files[path]
            full = blob_application(path, blobs[entry.sha], repo.config.max_file_bytes)
            own[path] = tuple(check_application(full, context))
            cache.put_problems((path, entry.sha), day, own[path])
    return own
