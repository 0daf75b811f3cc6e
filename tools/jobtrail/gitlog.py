"""Every application's status history, read back from the commits: the reader that joins git, walk and cache.

How (and why this way):
- One streamed ``git log --raw -z -M`` (``logformat``) gives every version of
  every file with the commit that made it; renames carry an application's
  history to its new path. No commit is diffed in Python.
- The versions' contents come from one persistent ``git cat-file --batch``
  (``git.ObjectReader``), fed while the log is still streaming; only the status
  (and, for APPLIED, the Application Date) is read from each (``parse.status_facts``).
- The walk itself (``walk``) is pure: commits and facts in, events out.
- A cache (``historycache``) keeps the facts of every blob (content addressed,
  never stale) and the walk's state at a HEAD. The same HEAD costs one
  ``git status``; a descendant costs only the new commits.
"""

from __future__ import annotations

import datetime
import json
import os
from collections.abc import Callable, Mapping

from . import git, historycache
from .config import Config
from .errors import JobtrailError
from .files import application_paths, read_application
from .history import ApplicationHistory, RepositoryHistory, StatusChange
from .logformat import FORMAT, RECORD, LogCommit, parse_log_record
from .parse import Fields, read_fields, status_facts
from .repository import Repository
from .walk import NO_FACTS, Facts, WalkState, event_date, known_status, ordered, walk


class WorkTreeChange:
    __slots__ = ("head_blob", "original_path", "path")

    def __init__(self, path: str, head_blob: str | None, original_path: str | None = None) -> None:
        self.path = path
        self.head_blob = head_blob  # the blob at HEAD (None for a new file)
        self.original_path = original_path  # before a staged rename


class WorkTreeState:
    __slots__ = ("changes", "head")

    def __init__(self, head: str | None, changes: dict[str, WorkTreeChange]) -> None:
        self.head = head  # None: no commits yet
        self.changes = changes


def _blob(sha: str) -> str | None:
    return None if sha == git.NULL_SHA else sha


def work_tree_state(repo: Repository) -> WorkTreeState:
    """HEAD and the uncommitted changes under the applications folder, in one ``git status``."""
    out = git.run(
        repo.root,
        "status",
        "--porcelain=v2",
        "--branch",
        "-z",
        "--untracked-files=all",
        "--renames",
        "--",
        repo.applications_dir,
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


# ---------------------------------------------------------------- reading the log


def log_arguments(revisions: list[str]) -> list[str]:
    """The log walk, oldest first.

    No pathspec: git limits a walk to a folder by comparing trees at every commit
    (with ``--full-history``), which costs more than skipping the few other
    files' entries here (measured: 0.75 s against 1.25 s for 10,000 commits).
    """
    return [
        "log",
        "--raw",
        "-z",
        "-M",
        "--no-abbrev",
        "--full-history",
        "--no-merges",
        "--date-order",
        "--reverse",
        FORMAT,
        *revisions,
        "--",  # revisions only: never read as paths
    ]


def _read_commits(repo: Repository, revisions: list[str], facts: dict[str, Facts]) -> list[LogCommit]:
    """The commits of ``revisions``, with the facts of every version they name added to ``facts``."""
    folder = repo.applications_dir

    def is_application(path: str) -> bool:
        parent, _, name = path.rpartition("/")
        return parent == folder and name.endswith(".md") and not name.startswith(".")

    def remember(sha: str, kind: bytes, data: bytes | None) -> None:
        facts[sha] = Facts(*status_facts(data)) if kind == b"blob" and data is not None else NO_FACTS

    max_bytes = repo.config.max_file_bytes
    reader = git.ObjectReader(repo.root, remember, max_bytes)
    commits: list[LogCommit] = []
    try:
        for record in git.stream_records(repo.root, log_arguments(revisions), RECORD):
            commit = parse_log_record(record, is_application)
            if commit is None:
                continue
            commits.append(commit)
            for change in commit.changes:
                if change.new_blob and change.new_blob not in facts:
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
        reader = git.ObjectReader(repo.root, remember, max_bytes)
        for sha in missing:
            reader.ask(sha)
        reader.finish()
    return commits


def _unreadable(commits: list[LogCommit], unread: set[str]) -> str:
    where = next(
        (
            f" ({change.path} in commit {commit.sha[:10]})"
            for commit in commits
            for change in commit.changes
            if change.new_blob in unread
        ),
        "",
    )
    return (
        f"git cannot read {len(unread)} version(s) of the application files{where}: the repository is damaged;"
        " run `git fsck` and restore the missing objects (for example from a clone or a backup)"
    )


# ---------------------------------------------------------------- the walk, cached


def _fingerprint(config: Config, shallow: bool) -> str:
    return json.dumps([historycache.CACHE_VERSION, config.applications_dir, sorted(config.workflow.statuses), shallow])


def _walk_state(repo: Repository, head: str | None, shallow: bool) -> WalkState:
    if head is None:
        return WalkState()
    fingerprint = _fingerprint(repo.config, shallow)
    cache = historycache.load_part(repo.git_dir, "state")
    cached: WalkState | None = None
    if cache.get("fingerprint") == fingerprint:
        cached = historycache.state_from_json(cache.get("state"))
    if cached is not None and cached.head == head:
        return cached  # the repeated run: no blob facts
    facts = historycache.facts_from_json(historycache.load_part(repo.git_dir, "blobs").get("blobs"))
    statuses = frozenset(repo.config.workflow.statuses)
    if cached is not None and cached.head and git.succeeds(repo.root, "merge-base", "--is-ancestor", cached.head, head):
        commits = _read_commits(repo, [f"{cached.head}..{head}"], facts)
        state = walk(cached, commits, facts, statuses, head)
    else:
        commits = _read_commits(repo, [head], facts)
        state = walk(WalkState(), commits, facts, statuses, head)
    historycache.save(repo.git_dir, fingerprint, state, facts)
    return state


def _notes(repo: Repository, shallow: bool, head: str | None) -> tuple[str, ...]:
    notes = []
    if shallow:
        notes.append("this is a shallow clone: the history is cut short (run `git fetch --unshallow` for all of it)")
    for what in sorted(repo.operations_in_progress()):
        notes.append(
            f"{what} is in progress: the history is read up to the commit checked out now; the rest counts as uncommitted"
        )
    if head is None:
        notes.append("no commits yet: every application counts as uncommitted")
    return tuple(notes)


def current_fields(path: str, relative: str, config: Config) -> Fields | None:
    """The history's fields of a file in the work tree (None when it cannot be read)."""
    data, _problem = read_application(path, relative, config.root, config.max_file_bytes)
    return read_fields(data, names=True) if data is not None else None


def read_history(
    repo: Repository,
    *,
    today: datetime.date | None = None,
    fields_of: Callable[[str, str, Config], Fields | None] = current_fields,
) -> RepositoryHistory:
    """Every current application with its status changes, oldest first; uncommitted changes last.

    ``fields_of`` reads a current file (the watcher passes one that remembers unchanged files).
    """
    config = repo.config
    today = today or git.author_today(repo.root)
    shallow = repo.shallow
    work_tree = work_tree_state(repo)
    state = _walk_state(repo, work_tree.head, shallow)
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
        changes = (
            [
                StatusChange(event.status, datetime.date.fromisoformat(event.date), event.commit)
                for event in ordered(lineage.events)
            ]
            if lineage
            else []
        )
        last_changed = datetime.date.fromisoformat(lineage.last_date) if lineage and lineage.last_date else None
        if change is not None:
            before = None
            if lineage is not None and change.head_blob is not None:
                before = lineage.effective.get(change.head_blob)
            # git records a symlink's target, not the file it points to: no committed version of a
            # symlink has a status, so its uncommitted change has none either (or committing it would
            # change the history).
            if current is not None and current != before and fields is not None and not os.path.islink(path):
                date = event_date(current, Facts(fields.status, fields.application_date), today.isoformat())
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
    return RepositoryHistory(tuple(applications), shallow=shallow, notes=_notes(repo, shallow, work_tree.head))


def read_history_at(
    repo: Repository, commit: str, parents: list[str], fields: Mapping[str, Fields | None]
) -> RepositoryHistory:
    """The history as it reads once ``commit`` is checked out with nothing uncommitted.

    ``commit`` is the commit a pre-commit hook is about to see made (its tree is
    the index, its parents the commit's parents): what this returns is exactly
    what ``read_history`` returns at the real commit, so the generated files
    staged with it are fresh there. ``fields``: each application in its tree.
    The walk's state is cached at the first parent (the real commit walks on
    from there), never at ``commit``, which no branch will hold.
    """
    shallow = repo.shallow
    base = parents[0] if parents else None
    state = _walk_state(repo, base, shallow)
    facts: dict[str, Facts] = {}
    commits = _read_commits(repo, [commit, *(f"^{parent}" for parent in parents[:1])], facts)
    state = walk(state, commits, facts, frozenset(repo.config.workflow.statuses), commit)
    statuses = frozenset(repo.config.workflow.statuses)
    applications = []
    for relative in sorted(fields):
        found = fields[relative]
        current_raw = (found.status or "") if found else ""
        number = state.paths.get(relative)
        lineage = state.lineages.get(number) if number is not None else None
        applications.append(
            ApplicationHistory(
                path=relative,
                company=(found.company or "") if found else "",
                position=(found.position or "") if found else "",
                status=known_status(current_raw, statuses) or current_raw,
                changes=tuple(
                    StatusChange(event.status, datetime.date.fromisoformat(event.date), event.commit)
                    for event in ordered(lineage.events)
                )
                if lineage
                else (),
                last_changed=datetime.date.fromisoformat(lineage.last_date) if lineage and lineage.last_date else None,
            )
        )
    notes = ("this is a shallow clone: the history is cut short",) if shallow else ()
    return RepositoryHistory(tuple(applications), shallow=shallow, notes=notes)
