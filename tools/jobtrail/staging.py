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

import datetime
import os
from dataclasses import dataclass

from . import git
from .blobcache import BlobCache, fingerprint
from .check import check_applications, load_application
from .commitmade import parents_of_commit_being_made, throwaway_commit
from .errors import JobtrailError
from .filerules import duplicate_applications
from .files import UNREADABLE, display_path, is_application_path
from .generated import Rendered, render
from .gittree import REGULAR_FILES, SYMLINK, Entry, blob_id, read_blobs, tree_entries
from .historyat import read_history_at
from .hookwrites import git_cannot_write
from .model import Application
from .parse import Fields, fields_of_application, parse_bytes
from .problem import Problem, error, has_errors
from .repository import Repository
from .rules import CheckContext, check_application
from .settle import GENERATED, write_into_index


@dataclass(frozen=True)
class Staged:
    problems: tuple[Problem, ...]  # errors and warnings in the applications this commit changes
    staged: tuple[str, ...]  # generated files whose fresh version was written into the index
    rendered: Rendered | None  # None when the commit was refused

    @property
    def refused(self) -> bool:
        return has_errors(list(self.problems))


def _application(path: str, data: bytes | None, max_bytes: int) -> Application:
    if data is None:
        return Application(
            path=path,
            problems=(error(path, 1, "JT103", f"file is larger than {max_bytes:,} bytes"),),
            readable=False,
        )
    return parse_bytes(path, data)


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
    config = repo.config
    if made:
        tree = git.run(repo.root, "rev-parse", f"{made}^{{tree}}").decode().strip()
        parents = git.run(repo.root, "rev-parse", f"{made}^@").decode().split()
    else:
        tree = _write_tree(repo)
        parents = parents_of_commit_being_made(repo)
    entries = tree_entries(repo, tree, config.applications_dir, *GENERATED)
    generated = {name: entries.pop(name, None) for name in GENERATED}
    folder = config.applications_dir
    files = {path: entry for path, entry in entries.items() if is_application_path(path, folder)}
    before = tree_entries(repo, parents[0], folder) if parents else {}
    changed = {path for path, entry in files.items() if path not in before or before[path].sha != entry.sha}

    cache = BlobCache.load(repo.git_dir, fingerprint(config))
    apps = _applications(repo, files, changed, cache)

    today = git.author_today(repo.root)
    changed_apps = [apps[path] for path in sorted(changed)]
    duplicates = duplicate_applications(apps.values())  # once: the rendering needs them too
    problems = check_applications(
        changed_apps,
        [apps[path] for path in apps if path not in changed],
        CheckContext(config, today),
        duplicates=duplicates,
    )
    shown = [
        problem._replace(path=display_path(os.path.join(repo.root, problem.path), repo.root)) for problem in problems
    ]
    if has_errors(problems):
        return Staged(tuple(shown), (), None)

    commit = made or throwaway_commit(repo, tree, parents)
    fields: dict[str, Fields | None] = {path: fields_of_application(app) for path, app in apps.items()}
    history = read_history_at(repo, commit, parents, fields)
    own = _own_problems(repo, files, apps, cache, CheckContext(config, history.newest or today))
    rendered = render(
        config, history, apps, today, check_one=lambda app, _context: list(own[app.path]), duplicates=duplicates
    )
    cache.save({(path, entry.sha) for path, entry in files.items()})
    stale = [
        name
        for name in GENERATED
        if (old := generated[name]) is None or blob_id(rendered.files[name], old.sha) != old.sha
    ]
    if stale and not made:
        write_into_index(repo, {name: rendered.files[name] for name in stale}, generated)
    if not made and not rendered.notes:  # the post-commit hook hands it on to `jobtrail index` (outputmemo)
        _keep_rendering(repo, tree, parents, today, files, rendered)
    return Staged(tuple(shown), tuple(stale), rendered)


def _keep_rendering(
    repo: Repository, tree: str, parents: list[str], today: datetime.date, files: dict[str, Entry], rendered: Rendered
) -> None:
    from . import outputmemo

    folder = git.output_or_none(repo.root, "rev-parse", "-q", "--verify", f"{tree}:{repo.config.applications_dir}")
    if folder is None:
        return
    digests = {name: outputmemo.digest(data) for name, data in rendered.files.items()}
    key = outputmemo.staged_key(repo, folder.decode().strip(), parents, today, outputmemo.paths_digest(files))
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
            apps[path] = _application(path, blobs[entry.sha], max_bytes)
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
            full = _application(path, blobs[entry.sha], repo.config.max_file_bytes)
            own[path] = tuple(check_application(full, context))
            cache.put_problems((path, entry.sha), day, own[path])
    return own
