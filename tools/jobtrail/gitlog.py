"""All git access: every application's status history, read back from the commits.

How (and why this way):
- One streamed ``git log --raw -z -M --full-history --no-merges`` over the
  applications folder, oldest first, gives every version of every file with the
  commit that made it; renames (``R``) carry an application's history to its
  new path. No commit is diffed in Python.
- The versions' contents come from one persistent ``git cat-file --batch``,
  fed while the log is still streaming; only the status (and, for APPLIED, the
  Application Date) is read from each (``parse.status_facts``).
- A status change is a version whose status differs from the status of the
  version it replaced (its parent's blob), so a merge dates each change by the
  commit that made it, on whichever branch. A version that does not parse
  carries its predecessor's status forward: it adds no entry and breaks nothing.
- A cache under ``.git/jobtrail/`` keeps the facts of every blob (content
  addressed, never stale) and the walk's state at a HEAD. The same HEAD costs
  one ``git status``; a descendant costs only the new commits; anything else
  (rebase, amend, branch switch) walks again, cheaply, from the blob facts.
  The warm path does not even import gitpython.
"""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from .config import Config
from .errors import JobtrailError
from .files import application_paths, read_application, write_atomic
from .history import ApplicationHistory, RepositoryHistory, StatusChange
from .parse import Fields, iso_date, read_fields, status_facts
from .scaffold import MERGE_DRIVER

APPLIED = "APPLIED"
CACHE_VERSION = 4  # 2: unreadable versions are not cached; 3: no APPLIED event dated after its commit; 4: split files
_NULL_SHA = "0" * 40
_SUBMODULE = b"160000"
_RECORD = b"\x1e"
_FIELD = b"\x1f"

Facts = tuple[str | None, str | None]  # (status text, Application Date text) of one blob


# ---------------------------------------------------------------- git plumbing


@dataclass(frozen=True)
class GitDirs:
    git_dir: str
    common_dir: str


def git_dirs(root: str) -> GitDirs:
    """Where git keeps its state, for a normal repository, a worktree or a submodule."""
    dot_git = os.path.join(root, ".git")
    git_dir = dot_git
    if os.path.isfile(dot_git):
        with open(dot_git, encoding="utf-8") as handle:
            pointer = handle.read().strip()
        if pointer.startswith("gitdir:"):
            git_dir = os.path.normpath(os.path.join(root, pointer[len("gitdir:") :].strip()))
    common_dir = git_dir
    commondir_file = os.path.join(git_dir, "commondir")
    if os.path.isfile(commondir_file):
        with open(commondir_file, encoding="utf-8") as handle:
            common_dir = os.path.normpath(os.path.join(git_dir, handle.read().strip()))
    return GitDirs(git_dir, common_dir)


def run_git(root: str, *args: str) -> bytes:
    """``git ARGS`` in ``root``: its output, or a JobtrailError saying what went wrong."""
    try:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, check=False)
    except FileNotFoundError:
        raise JobtrailError("git is not installed or not on PATH: install git first") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise JobtrailError(f"git {args[0]} failed in {root}: {message[-1] if message else 'no message'}")
    return done.stdout


@dataclass
class WorkTreeChange:
    path: str
    head_blob: str | None  # the blob at HEAD (None for a new file)
    original_path: str | None = None  # before a staged rename


@dataclass
class WorkTreeState:
    head: str | None  # None: no commits yet
    changes: dict[str, WorkTreeChange]


def work_tree_state(root: str, applications_dir: str) -> WorkTreeState:
    """HEAD and the uncommitted changes under the applications folder, in one ``git status``."""
    out = run_git(
        root, "status", "--porcelain=v2", "--branch", "-z", "--untracked-files=all", "--renames", "--", applications_dir
    )
    head: str | None = None
    changes: dict[str, WorkTreeChange] = {}
    tokens = out.split(b"\0")
    index = 0
    while index < len(tokens):
        token = tokens[index].decode("utf-8", "surrogateescape")
        index += 1
        if token.startswith("# branch.oid "):
            oid = token.split(" ", 2)[2]
            head = None if oid == "(initial)" else oid
        elif token.startswith("1 "):
            parts = token.split(" ", 8)
            changes[parts[8]] = WorkTreeChange(parts[8], _blob(parts[6]))
        elif token.startswith("2 "):
            parts = token.split(" ", 9)
            original = tokens[index].decode("utf-8", "surrogateescape")
            index += 1
            changes[parts[9]] = WorkTreeChange(parts[9], _blob(parts[6]), original)
        elif token.startswith("u "):
            parts = token.split(" ", 10)  # u XY sub m1 m2 m3 mW h1 h2 h3 path: h2 is ours, HEAD's
            changes[parts[10]] = WorkTreeChange(parts[10], _blob(parts[8]))
        elif token.startswith("? "):
            changes[token[2:]] = WorkTreeChange(token[2:], None)
    return WorkTreeState(head, changes)


def _blob(sha: str) -> str | None:
    return None if sha == _NULL_SHA else sha


# While git is in the middle of one of these, the work tree is not a state to record:
# hooks leave the files alone, and regenerate once the operation ends.
GIT_OPERATIONS = {
    "MERGE_HEAD": "a merge",
    "rebase-merge": "a rebase",
    "rebase-apply": "a rebase",
    "CHERRY_PICK_HEAD": "a cherry-pick",
    "REVERT_HEAD": "a revert",
    "BISECT_LOG": "a bisect",
}


def operation_in_progress(root: str) -> str | None:
    """``a merge``, ``a rebase``, ... when git is in the middle of one, else None."""
    git_dir = git_dirs(root).git_dir
    return next((what for name, what in GIT_OPERATIONS.items() if os.path.exists(os.path.join(git_dir, name))), None)


def author_today(root: str) -> datetime.date:
    """The date the next commit will carry, in its author's time zone.

    Uncommitted changes are dated "today"; inside a pre-commit hook that must be
    the date of the commit being made (``GIT_AUTHOR_DATE``, ``--date``, ``--amend``),
    or the files would change right after the commit. ``git var`` knows it.
    """
    try:
        done = subprocess.run(["git", "var", "GIT_AUTHOR_IDENT"], cwd=root, capture_output=True, text=True)
        epoch, offset = done.stdout.split()[-2:]
        sign = -1 if offset.startswith("-") else 1
        zone = datetime.timezone(sign * datetime.timedelta(hours=int(offset[1:3]), minutes=int(offset[3:5])))
        return datetime.datetime.fromtimestamp(int(epoch), zone).date()
    except (OSError, ValueError):
        return datetime.date.today()


def ensure_merge_driver(root: str) -> None:
    """Register the merge driver `.gitattributes` names for the generated files (best effort).

    The driver keeps the current branch's version (``true`` leaves it in place and
    reports success); the post-merge hook then regenerates both files.
    """
    key = f"merge.{MERGE_DRIVER}.driver"
    if subprocess.run(["git", "config", "--get", key], cwd=root, capture_output=True).returncode == 0:
        return
    for name, value in (
        (f"merge.{MERGE_DRIVER}.name", "jobtrail generated file: keep one side, the post-merge hook regenerates it"),
        (key, "true"),
    ):
        subprocess.run(["git", "config", name, value], cwd=root, capture_output=True)


# ---------------------------------------------------------------- the log walk


@dataclass(frozen=True)
class FileChange:
    kind: str  # A, M, D, R (T counts as M)
    old_blob: str | None
    new_blob: str | None
    old_path: str | None
    path: str


@dataclass(frozen=True)
class Commit:
    sha: str
    date: str  # the author date, in the author's own time zone, YYYY-MM-DD
    epoch: int
    changes: tuple[FileChange, ...]


def parse_log_record(record: bytes, is_application: Any) -> Commit | None:
    """One ``\\x1e``-separated record of ``git log --raw -z`` with our format."""
    header, _, body = record.partition(b"\0")
    if not header:
        return None
    sha, iso, epoch = header.decode().split("\x1f")
    tokens = body.lstrip(b"\n").split(b"\0")
    changes: list[FileChange] = []
    index = 0
    while index < len(tokens):
        meta = tokens[index]
        index += 1
        if not meta.startswith(b":"):
            continue
        fields = meta[1:].split(b" ")
        # A submodule's entry (mode 160000) names a commit of another repository: no file version to read.
        old_blob = _NULL_SHA if fields[0] == _SUBMODULE else fields[2].decode()
        new_blob = _NULL_SHA if fields[1] == _SUBMODULE else fields[3].decode()
        kind = fields[4][:1].decode()
        old_path = tokens[index].decode("utf-8", "surrogateescape")
        index += 1
        path = old_path
        if kind in ("R", "C"):
            path = tokens[index].decode("utf-8", "surrogateescape")
            index += 1
        kind = {"T": "M", "C": "A"}.get(kind, kind)
        if kind == "R" and not is_application(old_path):
            kind = "A"
        if not is_application(path):
            if kind == "R":  # renamed out of the folder: gone, as far as we can tell
                changes.append(FileChange("D", _blob(old_blob), None, None, old_path))
            continue
        changes.append(FileChange(kind, _blob(old_blob), _blob(new_blob), old_path if kind == "R" else None, path))
    return Commit(sha, iso[:10], int(epoch), tuple(changes))


class BlobReader:
    """One ``git cat-file --batch`` process, fed while the log streams, read on a thread."""

    def __init__(self, repo: Any, facts: dict[str, Facts]) -> None:
        self._facts = facts
        self._process = repo.git.cat_file("--batch", as_process=True, istream=subprocess.PIPE)
        self._stdin: IO[bytes] = self._process.proc.stdin
        self._stdout: IO[bytes] = self._process.proc.stdout
        self._asked: set[str] = set()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._read_all, daemon=True)
        self._thread.start()

    def ask(self, sha: str) -> None:
        if sha in self._facts or sha in self._asked:
            return
        self._asked.add(sha)
        try:
            self._stdin.write(sha.encode() + b"\n")
        except BrokenPipeError:  # git stopped early: what it did not answer is `unread`
            pass

    @property
    def unread(self) -> set[str]:
        """Versions git could not give (missing or corrupt); after ``finish``."""
        return {sha for sha in self._asked if sha not in self._facts}

    def _read_all(self) -> None:
        try:
            while True:
                header = self._stdout.readline()
                if not header:
                    return
                parts = header.split()
                if len(parts) < 3:  # `<sha> missing`: left unread, never cached
                    continue
                data = self._stdout.read(int(parts[2]))
                self._stdout.read(1)  # the newline after the content
                self._facts[parts[0].decode()] = status_facts(data) if parts[1] == b"blob" else (None, None)
        except BaseException as exc:  # reported by finish()
            self._error = exc

    def finish(self) -> None:
        try:
            self._stdin.close()
        except BrokenPipeError:
            pass
        self._thread.join()
        self._process.proc.wait()
        if self._error is not None:
            raise JobtrailError(f"reading file versions from git failed: {self._error}")


def stream_log(repo: Any, revisions: list[str]) -> Iterator[bytes]:
    """The raw records of the log walk, oldest first, as git produces them.

    No pathspec: git limits a walk to a folder by comparing trees at every commit
    (with ``--full-history``), which costs more than skipping the few other
    files' entries here (measured: 0.75 s against 1.25 s for 10,000 commits).
    """
    process = repo.git.log(
        "--raw",
        "-z",
        "-M",
        "--no-abbrev",
        "--full-history",
        "--no-merges",
        "--date-order",
        "--reverse",
        "--format=%x1e%H%x1f%aI%x1f%at",
        *revisions,
        "--",  # revisions only: never read as paths
        as_process=True,
    )
    stdout: IO[bytes] = process.proc.stdout
    rest = b""
    while True:
        chunk = stdout.read(1 << 20)
        if not chunk:
            break
        records = (rest + chunk).split(_RECORD)
        rest = records.pop()
        yield from records
    if rest:
        yield rest
    process.proc.wait()
    if process.proc.returncode != 0:
        error = process.proc.stderr.read().decode("utf-8", "replace").strip()
        raise JobtrailError(f"git log failed: {error or 'no message'}")


# ---------------------------------------------------------------- the state of the walk


@dataclass
class Lineage:
    """One application across renames: its events and the status of each of its versions."""

    events: list[list[Any]] = field(default_factory=list)  # [status, date, commit, epoch, sequence]
    effective: dict[str, str | None] = field(default_factory=dict)  # blob -> status it stands for
    last_date: str | None = None
    last_epoch: int = 0


@dataclass
class WalkState:
    head: str | None = None
    paths: dict[str, int] = field(default_factory=dict)
    lineages: dict[int, Lineage] = field(default_factory=dict)
    sequence: int = 0

    def new_lineage(self) -> int:
        number = len(self.lineages)
        self.lineages[number] = Lineage()
        return number

    def to_json(self) -> dict[str, Any]:
        return {
            "head": self.head,
            "paths": self.paths,
            "sequence": self.sequence,
            "lineages": {
                str(number): [lineage.events, lineage.effective, lineage.last_date, lineage.last_epoch]
                for number, lineage in self.lineages.items()
            },
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> WalkState:
        lineages = {
            int(number): Lineage(events, effective, last_date, last_epoch)
            for number, (events, effective, last_date, last_epoch) in data["lineages"].items()
        }
        return cls(data["head"], dict(data["paths"]), lineages, int(data["sequence"]))


def known_status(raw: str | None, statuses: frozenset[str]) -> str | None:
    """The workflow status a version stands for, or None when it has none."""
    if raw is None:
        return None
    upper = raw.upper()
    return upper if upper in statuses else None


def event_date(status: str, facts: Facts, fallback: str) -> str:
    """APPLIED is dated by the file's Application Date when one is filled in (the real event).

    A date after ``fallback`` (the commit's date, or today) is a typo (JT502), not the
    event: taken as it is, it would move "the newest date" and every day count into the future.
    """
    if status == APPLIED and facts[1] is not None:
        date = iso_date(facts[1])
        if date is not None and date.isoformat() <= fallback:
            return date.isoformat()
    return fallback


def apply_commit(state: WalkState, commit: Commit, facts: dict[str, Facts], statuses: frozenset[str]) -> None:
    for change in commit.changes:
        if change.kind == "D":
            state.paths.pop(change.path, None)
            continue
        if change.kind == "R" and change.old_path in state.paths:
            number = state.paths[change.old_path]
        elif change.kind == "A" or change.path not in state.paths:
            number = state.new_lineage()
        else:
            number = state.paths[change.path]
        state.paths[change.path] = number
        lineage = state.lineages[number]
        before: str | None = None
        if change.kind != "A" and change.old_blob is not None:
            if change.old_blob in lineage.effective:
                before = lineage.effective[change.old_blob]
            else:
                before = known_status(facts.get(change.old_blob, (None, None))[0], statuses)
        blob = change.new_blob or ""
        version = facts.get(blob, (None, None))
        now = known_status(version[0], statuses)
        lineage.effective[blob] = now if now is not None else before
        if now is not None and now != before:
            state.sequence += 1
            lineage.events.append(
                [now, event_date(now, version, commit.date), commit.sha, commit.epoch, state.sequence]
            )
        if commit.epoch >= lineage.last_epoch:
            lineage.last_date, lineage.last_epoch = commit.date, commit.epoch


# ---------------------------------------------------------------- the cache


def _cache_path(dirs: GitDirs, name: str) -> str:
    return os.path.join(dirs.git_dir, "jobtrail", f"history-{name}.json")


def _fingerprint(config: Config, shallow: bool) -> str:
    return json.dumps([CACHE_VERSION, config.applications_dir, sorted(config.workflow.statuses), shallow])


def load_cache(dirs: GitDirs, name: str) -> dict[str, Any]:
    """One part of the cache: ``state`` (the walk at a HEAD, all a repeated run needs) or
    ``blobs`` (the facts of every version read, needed only to walk again)."""
    try:
        with open(_cache_path(dirs, name), encoding="utf-8") as handle:
            data = json.load(handle)
        if isinstance(data, dict) and data.get("version") == CACHE_VERSION:
            return data
    except (OSError, ValueError):
        pass
    return {}


def save_cache(dirs: GitDirs, fingerprint: str, state: WalkState, facts: dict[str, Facts]) -> None:
    """Best effort: a cache that cannot be written costs speed, never correctness.

    The blob facts go first: a state is never saved without the facts it was built from.
    """
    parts = (
        ("blobs", {"version": CACHE_VERSION, "blobs": facts}),
        ("state", {"version": CACHE_VERSION, "fingerprint": fingerprint, "state": state.to_json()}),
    )
    try:
        os.makedirs(os.path.dirname(_cache_path(dirs, "state")), exist_ok=True)
        for name, data in parts:
            write_atomic(_cache_path(dirs, name), json.dumps(data, separators=(",", ":")).encode())
    except OSError:
        pass


# ---------------------------------------------------------------- putting it together


def _walk(
    root: str, config: Config, state: WalkState, since: str | None, head: str, facts: dict[str, Facts]
) -> WalkState:
    import git  # only when there are commits to read

    try:
        repo = git.Repo(root)
    except git.exc.GitError as exc:
        raise JobtrailError(f"cannot open the git repository at {root}: {exc}") from None

    def is_application(path: str) -> bool:
        folder, _, name = path.rpartition("/")
        return folder == config.applications_dir and name.endswith(".md") and not name.startswith(".")

    reader = BlobReader(repo, facts)
    commits: list[Commit] = []
    revisions = [f"{since}..{head}"] if since else [head]
    try:
        for record in stream_log(repo, revisions):
            commit = parse_log_record(record, is_application)
            if commit is None:
                continue
            commits.append(commit)
            for change in commit.changes:
                if change.new_blob:
                    reader.ask(change.new_blob)
    finally:
        reader.finish()
    if reader.unread:
        raise JobtrailError(_unreadable(commits, reader.unread))
    missing = [
        change.old_blob
        for commit in commits
        for change in commit.changes
        if change.old_blob and change.old_blob not in facts and change.kind in ("M", "R")
    ]
    if missing:  # versions older than the walk (a shallow clone's boundary)
        reader = BlobReader(repo, facts)
        for sha in missing:
            reader.ask(sha)
        reader.finish()
    statuses = frozenset(config.workflow.statuses)
    for commit in commits:
        apply_commit(state, commit, facts, statuses)
    state.head = head
    return state


def _unreadable(commits: list[Commit], unread: set[str]) -> str:
    where = next(
        f" ({change.path} in commit {commit.sha[:10]})"
        for commit in commits
        for change in commit.changes
        if change.new_blob in unread
    )
    return (
        f"git cannot read {len(unread)} version(s) of the application files{where}: the repository is damaged;"
        " run `git fsck` and restore the missing objects (for example from a clone or a backup)"
    )


def _is_ancestor(root: str, older: str, newer: str) -> bool:
    done = subprocess.run(["git", "merge-base", "--is-ancestor", older, newer], cwd=root, capture_output=True)
    return done.returncode == 0


def _notes(dirs: GitDirs, shallow: bool, head: str | None) -> tuple[str, ...]:
    notes = []
    if shallow:
        notes.append("this is a shallow clone: the history is cut short (run `git fetch --unshallow` for all of it)")
    operations = {what for name, what in GIT_OPERATIONS.items() if os.path.exists(os.path.join(dirs.git_dir, name))}
    for what in sorted(operations):
        notes.append(
            f"{what} is in progress: the history is read up to the commit checked out now; the rest counts as uncommitted"
        )
    if head is None:
        notes.append("no commits yet: every application counts as uncommitted")
    return tuple(notes)


def _walk_state(root: str, config: Config, dirs: GitDirs, head: str | None, shallow: bool) -> WalkState:
    if head is None:
        return WalkState()
    fingerprint = _fingerprint(config, shallow)
    cache = load_cache(dirs, "state")
    cached: WalkState | None = None
    if cache.get("fingerprint") == fingerprint and isinstance(cache.get("state"), dict):
        try:
            cached = WalkState.from_json(cache["state"])
        except (KeyError, TypeError, ValueError):
            cached = None
    if cached is not None and cached.head == head:
        return cached  # the repeated run: no blob facts, no gitpython
    facts: dict[str, Facts] = {
        sha: (value[0], value[1]) for sha, value in load_cache(dirs, "blobs").get("blobs", {}).items()
    }
    if cached is not None and cached.head and _is_ancestor(root, cached.head, head):
        state = _walk(root, config, cached, cached.head, head, facts)
    else:
        state = _walk(root, config, WalkState(), None, head, facts)
    save_cache(dirs, fingerprint, state, facts)
    return state


def _sorted_changes(events: Iterable[list[Any]]) -> list[StatusChange]:
    ordered = sorted(events, key=lambda event: (event[3], event[4]))
    return [StatusChange(status, datetime.date.fromisoformat(date), commit) for status, date, commit, _, _ in ordered]


def current_fields(path: str, relative: str, config: Config) -> Fields | None:
    """The history's fields of a file in the work tree (None when it cannot be read)."""
    data, _problem = read_application(path, relative, config.root, config.max_file_bytes)
    return read_fields(data, names=True) if data is not None else None


def read_history(
    root: str,
    config: Config,
    *,
    today: datetime.date | None = None,
    fields_of: Callable[[str, str, Config], Fields | None] = current_fields,
) -> RepositoryHistory:
    """Every current application with its status changes, oldest first; uncommitted changes last.

    ``fields_of`` reads a current file (the watcher passes one that remembers unchanged files).
    """
    today = today or author_today(root)
    dirs = git_dirs(root)
    shallow = os.path.exists(os.path.join(dirs.common_dir, "shallow"))
    work_tree = work_tree_state(root, config.applications_dir)
    state = _walk_state(root, config, dirs, work_tree.head, shallow)
    statuses = frozenset(config.workflow.statuses)
    applications: list[ApplicationHistory] = []
    for path in application_paths(config.applications_path):
        relative = f"{config.applications_dir}/{os.path.basename(path)}"  # what repo_relative gives, without its cost
        fields = fields_of(path, relative, config)
        current_raw = (fields.status or "") if fields else ""
        current = known_status(current_raw, statuses)
        change = work_tree.changes.get(relative)
        number = state.paths.get(change.original_path or relative) if change else state.paths.get(relative)
        lineage = state.lineages.get(number) if number is not None else None
        changes = _sorted_changes(lineage.events) if lineage else []
        last_changed = datetime.date.fromisoformat(lineage.last_date) if lineage and lineage.last_date else None
        if change is not None:
            before = None
            if lineage is not None and change.head_blob is not None:
                before = lineage.effective.get(change.head_blob)
            # git records a symlink's target, not the file it points to: no committed version of a
            # symlink has a status, so its uncommitted change has none either (or committing it would
            # change the history).
            if current is not None and current != before and fields is not None and not os.path.islink(path):
                date = event_date(current, (fields.status, fields.application_date), today.isoformat())
                changes.append(StatusChange(current, datetime.date.fromisoformat(date), None))
            last_changed = today
        applications.append(
            ApplicationHistory(
                path=relative,
                company=(fields.company or "") if fields else "",
                position=(fields.position or "") if fields else "",
                status=current or current_raw,
                changes=tuple(changes),
                last_changed=last_changed,
            )
        )
    return RepositoryHistory(tuple(applications), shallow=shallow, notes=_notes(dirs, shallow, work_tree.head))
