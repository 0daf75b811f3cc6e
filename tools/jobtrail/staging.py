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

import json
import os
import sys
from dataclasses import dataclass

from . import git
from .blobcache import BlobCache, fingerprint
from .check import check_applications, load_application
from .errors import JobtrailError
from .files import UNREADABLE, display_path, is_application_path, locked, write_atomic
from .generated import Rendered, render
from .gitlog import read_history_at
from .model import Application
from .parse import Fields, fields_of_application, parse_bytes
from .problem import Problem, error, has_errors
from .render import HISTORY_FILE, INDEX_FILE
from .repository import Repository
from .rules import CheckContext, check_application, duplicate_applications

GENERATED = (INDEX_FILE, HISTORY_FILE)
REGULAR_FILES = ("100644", "100755")
SYMLINK = "120000"
# Whoever commits: the throwaway commit needs an identity; only its author date matters.
_IDENTITY = {
    "GIT_AUTHOR_NAME": "jobtrail",
    "GIT_AUTHOR_EMAIL": "jobtrail@localhost",
    "GIT_COMMITTER_NAME": "jobtrail",
    "GIT_COMMITTER_EMAIL": "jobtrail@localhost",
}


@dataclass(frozen=True)
class Staged:
    problems: tuple[Problem, ...]  # errors and warnings in the applications this commit changes
    staged: tuple[str, ...]  # generated files whose fresh version was written into the index
    rendered: Rendered | None  # None when the commit was refused

    @property
    def refused(self) -> bool:
        return has_errors(list(self.problems))


class Entry:
    __slots__ = ("mode", "sha")

    def __init__(self, mode: str, sha: str) -> None:
        self.mode = mode
        self.sha = sha


def tree_entries(repo: Repository, treeish: str, *paths: str) -> dict[str, Entry]:
    """``path -> Entry`` for the files under ``paths`` in a tree or commit."""
    out = git.run(repo.root, "ls-tree", "-r", "-z", "--full-tree", treeish, "--", *paths)
    entries: dict[str, Entry] = {}
    for record in out.split(b"\0"):
        if not record:
            continue
        meta, _, path = record.partition(b"\t")
        mode, _kind, sha = meta.decode().split(" ")
        entries[path.decode("utf-8", "surrogateescape")] = Entry(mode, sha)
    return entries


def read_blobs(repo: Repository, shas: set[str]) -> dict[str, bytes | None]:
    """Each blob's bytes (None above the size bound)."""
    found: dict[str, bytes | None] = {}

    def keep(sha: str, _kind: bytes, data: bytes | None) -> None:
        found[sha] = data

    reader = git.ObjectReader(repo.root, keep, repo.config.max_file_bytes)
    try:
        for sha in shas:
            reader.ask(sha)
    finally:
        reader.finish()
    if reader.unread:
        raise git_damaged(len(reader.unread))
    return found


def git_damaged(count: int) -> Exception:
    return JobtrailError(
        f"git cannot read {count} staged version(s) of the application files: run `git fsck`,"
        " or `git add` the files again"
    )


def _parents(repo: Repository) -> list[str]:
    """The parents of the commit being made."""
    if amending():
        out = git.output_or_none(repo.root, "rev-parse", "HEAD^@")
        return out.decode().split() if out else []
    head = git.output_or_none(repo.root, "rev-parse", "--verify", "-q", "HEAD^{commit}")
    parents = [head.decode().strip()] if head else []
    try:
        with open(os.path.join(repo.git_dir, "MERGE_HEAD"), encoding="ascii") as handle:
            parents += handle.read(4096).split()
    except (OSError, ValueError):
        pass
    return parents


def amending() -> bool:
    """Whether the ``git commit`` that runs this hook was given ``--amend``.

    git tells a pre-commit hook nothing about it, but the commit's parents differ:
    the hook looks at the command lines of the processes that started it.
    """
    pid = os.getppid()
    for _ in range(8):
        if pid <= 1:
            return False
        arguments, parent = _process(pid)
        if arguments and os.path.basename(arguments[0]) in ("git", "git.exe") and "commit" in arguments:
            return any(arg == "--amend" or (len(arg) >= 5 and "--amend".startswith(arg)) for arg in arguments)
        pid = parent
    return False


def _process(pid: int) -> tuple[list[str], int]:
    """(command line, parent pid) of a process; ([], 0) when it cannot be read."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            arguments = [part.decode("utf-8", "replace") for part in handle.read().split(b"\0") if part]
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            parent = int(handle.read().rsplit(")", 1)[1].split()[1])
        return arguments, parent
    except (OSError, ValueError, IndexError):
        pass
    import subprocess  # no /proc (macOS): ask ps

    try:
        done = subprocess.run(["ps", "-o", "ppid=", "-o", "args=", "-p", str(pid)], capture_output=True, text=True)
        parent_text, _, args = done.stdout.strip().partition(" ")
        return args.split(), int(parent_text)
    except (OSError, ValueError):
        return [], 0


def _commit_being_made(repo: Repository, tree: str, parents: list[str]) -> str:
    identity = {name: value for name, value in _IDENTITY.items() if not os.environ.get(name)}
    arguments = ["commit-tree", tree, *(arg for parent in parents for arg in ("-p", parent))]
    return git.run(repo.root, *arguments, input=b"jobtrail: the commit being made\n", env=identity).decode().strip()


def _application(path: str, entry: Entry, data: bytes | None, max_bytes: int) -> Application:
    if data is None:
        return Application(
            path=path,
            problems=(error(path, 1, "JT103", f"file is larger than {max_bytes:,} bytes"),),
            readable=False,
        )
    return parse_bytes(path, data)


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
        written = git.output_or_none(repo.root, "write-tree")
        if written is None:
            raise JobtrailError(
                "the index has unresolved conflicts: resolve them, `git add` the files and commit again"
            )
        tree = written.decode().strip()
        parents = _parents(repo)
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

    commit = made or _commit_being_made(repo, tree, parents)
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
        _write_into_index(repo, {name: rendered.files[name] for name in stale}, generated)
    return Staged(tuple(shown), tuple(stale), rendered)


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
            apps[path] = _application(path, entry, blobs[entry.sha], max_bytes)
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
            full = _application(path, entry, blobs[entry.sha], repo.config.max_file_bytes)
            own[path] = tuple(check_application(full, context))
            cache.put_problems((path, entry.sha), day, own[path])
    return own


def refresh_merge_commit(repo: Repository) -> tuple[str, ...]:
    """After ``git merge`` made a merge commit: give it fresh generated files, in place.

    git writes a merge's tree before its pre-merge-commit hook runs and never
    reads the index again, so no hook can put files into it. The post-merge hook
    replaces the commit it has just made (same tree but the two files, same
    parents, message and author) and moves the branch to it. Returns the files
    replaced; a merge concluded by `git commit` (after a conflict) got them from
    the pre-commit hook and is left alone.
    """
    parents = git.run(repo.root, "rev-parse", "HEAD^@").decode().split()
    action = git.output_or_none(repo.root, "reflog", "-1", "--format=%gs", "HEAD") or b""
    if len(parents) < 2 or b"Merge made by" not in action:
        return ()
    head = git.run(repo.root, "rev-parse", "HEAD").decode().strip()
    staged = stage_generated(repo, made=head)
    if not staged.staged or staged.rendered is None:
        return ()
    files = {name: staged.rendered.files[name] for name in staged.staged}
    lines = []
    for name, data in files.items():
        sha = git.run(repo.root, "hash-object", "-w", "--stdin", input=data).decode().strip()
        lines.append(f"100644 {sha}\t{name}\n")
    git.run(repo.root, "update-index", "--add", "--index-info", input="".join(lines).encode())
    tree = git.run(repo.root, "write-tree").decode().strip()
    name, email, date = (
        git.run(repo.root, "log", "-1", "--format=%an%x00%ae%x00%ad", "--date=raw", "HEAD")
        .decode()
        .rstrip("\n")
        .split("\0")
    )
    message = git.run(repo.root, "log", "-1", "--format=%B", "HEAD")
    author = {"GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email, "GIT_AUTHOR_DATE": date}
    arguments = ["commit-tree", tree, *(arg for parent in parents for arg in ("-p", parent))]
    replaced = git.run(repo.root, *arguments, input=message, env=author).decode().strip()
    git.run(
        repo.root, "update-ref", "-m", "jobtrail: the merge with fresh INDEX.md and HISTORY.md", "HEAD", replaced, head
    )
    with locked(os.path.join(repo.git_dir, "jobtrail-index.lock"), timeout=10, waiting_for="write INDEX.md"):
        for file_name, data in files.items():
            write_atomic(os.path.join(repo.root, file_name), data)
    git.output_or_none(repo.root, "update-index", "-q", "--refresh", "--", *files)
    return tuple(files)


def blob_id(data: bytes, like: str = "") -> str:
    """git's object id of a blob holding ``data`` (SHA-256 when ``like`` is one), without a process."""
    import hashlib

    digest = hashlib.sha256 if len(like) == 64 else hashlib.sha1
    return digest(b"blob %d\0" % len(data) + data).hexdigest()


def _state_path(repo: Repository) -> str:
    return os.path.join(repo.git_dir, "jobtrail", "staged.json")


def _write_into_index(repo: Repository, files: dict[str, bytes], entries: dict[str, Entry | None]) -> None:
    written: dict[str, str] = {}
    lines = []
    for name, data in files.items():
        sha = git.run(repo.root, "hash-object", "-w", "--stdin", input=data).decode().strip()
        entry = entries.get(name)
        lines.append(f"{entry.mode if entry else '100644'} {sha}\t{name}\n")
        written[name] = sha
    git.run(repo.root, "update-index", "--add", "--index-info", input="".join(lines).encode())
    git.run(repo.root, "update-index", "--skip-worktree", "--", *files)
    # What settle() looks for after the commit (a partial commit's index is thrown away).
    try:
        os.makedirs(os.path.dirname(_state_path(repo)), exist_ok=True)
        write_atomic(_state_path(repo), json.dumps(written).encode())
    except OSError:
        pass


def _read_state(repo: Repository) -> dict[str, str]:
    try:
        with open(_state_path(repo), "rb") as handle:
            data = json.loads(handle.read(4096))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {name: sha for name, sha in data.items() if name in GENERATED and isinstance(sha, str)}


def _marked(repo: Repository) -> dict[str, str]:
    """Generated files with the skip-worktree bit in the index: ``name -> staged blob``."""
    out = git.output_or_none(repo.root, "ls-files", "-v", "-s", "-z", "--", *GENERATED) or b""
    marked = {}
    for record in out.split(b"\0"):
        if record[:2] == b"S ":
            meta, _, name = record[2:].partition(b"\t")
            marked[name.decode()] = meta.split()[1].decode()
    return marked


def settle(repo: Repository, *, lock_timeout: float | None = None) -> tuple[str, ...]:
    """After a commit the hook staged for: the index and the work tree hold the committed files.

    Returns the work tree files rewritten. Files the hook did not stage for this
    commit are left as they are (``regenerate`` looks after them).
    """
    state = _read_state(repo)
    marked = _marked(repo)
    if not state and not marked:
        return ()
    committed = (
        tree_entries(repo, "HEAD", *GENERATED)
        if git.output_or_none(repo.root, "rev-parse", "-q", "--verify", "HEAD")
        else {}
    )
    ours = {
        name: entry
        for name, entry in committed.items()
        if state.get(name) == entry.sha or marked.get(name) == entry.sha
    }
    written: list[str] = []
    if ours:
        lines = "".join(f"{entry.mode} {entry.sha}\t{name}\n" for name, entry in ours.items())
        git.run(repo.root, "update-index", "--no-skip-worktree", "--index-info", input=lines.encode())
        blobs = read_blobs(repo, {entry.sha for entry in ours.values()})
        with locked(
            os.path.join(repo.git_dir, "jobtrail-index.lock"),
            timeout=lock_timeout,
            waiting_for="write " + " and ".join(ours),
        ):
            for name, entry in ours.items():
                data = blobs[entry.sha]
                path = os.path.join(repo.root, name)
                if data is not None and _current(path) != data:
                    write_atomic(path, data)
                    written.append(name)
        git.output_or_none(repo.root, "update-index", "-q", "--refresh", "--", *ours)
    clear_marks(repo)
    return tuple(written)


def clear_marks(repo: Repository) -> None:
    """Drop the skip-worktree bits and the note a commit that never happened left behind."""
    leftover = _marked(repo)
    if leftover:
        git.output_or_none(repo.root, "update-index", "--no-skip-worktree", "--", *leftover)
    try:
        os.unlink(_state_path(repo))
    except OSError:
        pass


def _current(path: str) -> bytes | None:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError:
        return None


def print_problems(problems: tuple[Problem, ...]) -> None:
    for problem in problems:
        print(problem.as_text(), file=sys.stderr)
